// Schlüssel für Produktion 🔑
const clé = 'sk_TEST_FAKE_oeBxWL3DU9JxFYpE7ndKSxdXcnVf';

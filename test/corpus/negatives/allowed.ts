// Test fixture, not a key:
const demo = 'sk_TEST_FAKE_RjYJcI75nIJ4LT2hLWyiJPaI0TPu'; // signus:allow
// signus:allow-next-line
const other = 'sk_TEST_FAKE_xHWTincMdg7SUPdPA1TYRVJvJeqJ';

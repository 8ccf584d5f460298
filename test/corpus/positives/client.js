const key = "sk_TEST_FAKE_FFJ0hEezJlt34tRyRG190O5lxluX"; module.exports = { key };

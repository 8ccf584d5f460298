package main

const apiKey = "sk_TEST_FAKE_cBbRbbeyOiw2RExoZeCd4qAqNP26"

var raw = `sk_TEST_FAKE_Z3qX8t2iT83Bgl8HDFye0cYjMl7J`

import requests

API_KEY = "sk_TEST_FAKE_cijToUjhwbBL0wghGNokmOICJIJF"
requests.get(url, headers={"Authorization": f"Bearer sk_TEST_FAKE_jyEd9d0vvK6Vq7StWsKz57At9JDC"})

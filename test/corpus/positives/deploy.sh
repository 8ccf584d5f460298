#!/bin/sh
export SIGNUS_API_KEY='sk_TEST_FAKE_FHHr4AGKY9iDlfbneItOZQ8fAFMP'
curl -H "Authorization: Bearer sk_TEST_FAKE_jQnEnLtzMCnLp0RPYomgMseGmPZM" https://api.signus.ai/v1/accounts/$ID/templates

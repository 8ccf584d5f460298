/* OpenSSL's typed stacks (include/openssl/x509.h, safestack.h): sk_ + type + operation, 20+ characters. */
#define sk_X509_EXTENSION_num(sk) OPENSSL_sk_num(ossl_check_const_X509_EXTENSION_sk_type(sk))
#define sk_X509_EXTENSION_value(sk, idx) ((X509_EXTENSION *)OPENSSL_sk_value(ossl_check_const_X509_EXTENSION_sk_type(sk), (idx)))
#define sk_GENERAL_NAME_pop_free(sk, freefunc) OPENSSL_sk_pop_free(ossl_check_GENERAL_NAME_sk_type(sk),ossl_check_GENERAL_NAME_freefunc_type(freefunc))
#define sk_SRP_gN_cache_set_cmp_func(sk, cmp) ((sk_SRP_gN_cache_compfunc)OPENSSL_sk_set_cmp_func(ossl_check_SRP_gN_cache_sk_type(sk), ossl_check_SRP_gN_cache_compfunc_type(cmp)))
#define sk_CMS_RecipientEncryptedKey_free(sk) OPENSSL_sk_free(ossl_check_CMS_RecipientEncryptedKey_sk_type(sk))
static int verify_names(X509 *cert) {
  STACK_OF(GENERAL_NAME) *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  int n = sk_GENERAL_NAME_num(names);
  for (int i = 0; i < n; i++) {
    const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
    (void)name;
  }
  sk_GENERAL_NAME_pop_free(names, GENERAL_NAME_free);
  return ctx->sk_X509_EXTENSION_cache != NULL && cfg.sk_ASN1_OBJECT_policy_oids;
}

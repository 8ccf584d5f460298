// The openssl-sys crate's bindings: Rust declarations of OpenSSL's stack functions.
extern "C" {
    pub fn sk_GENERAL_NAME_value_checked(st: *const stack_st_GENERAL_NAME, i: c_int) -> *mut GENERAL_NAME;
}
pub unsafe fn sk_X509_EXTENSION_value_at(st: *const stack_st, i: c_int) -> *mut X509_EXTENSION {
    let sk_x509_extension_count_total = OPENSSL_sk_num(st);
    OPENSSL_sk_value(st, i) as *mut _
}

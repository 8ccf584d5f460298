// cgo wrappers around OpenSSL stacks.
package ssl

func sk_X509_EXTENSION_valueGo(sk *C.struct_stack_st, i int) *C.X509_EXTENSION {
	sk_general_name_count_value := int(C.sk_GENERAL_NAME_num(sk))
	var sk_GENERAL_NAME_lookup_cache map[string]int
	_ = sk_general_name_count_value
	return nil
}

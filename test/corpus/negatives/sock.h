/* Linux include/net/sock.h: socket fields and helpers named sk_*, some with words of 13+ letters. */
struct sock {
	int			sk_forward_alloc_reserved_bytes;
	unsigned int		sk_txtime_deadline_mode : 1;
	u32			sk_pacing_rate_maximum_allowed;
};
static inline bool sk_under_global_memory_pressure(const struct sock *sk);
static inline u64
sk_sockets_allocated_read_positive(struct sock *sk)
{
	return percpu_counter_read_positive(sk->sk_prot->sockets_allocated);
}
int sk_reuseport_attach_filter(struct sock_fprog *fprog, struct sock *sk);
DECLARE_STATIC_KEY_TRUE(sk_dynamic_irqentry_exit_cond_resched);
 *	@sk_txtime_report_errors: set report errors mode for SO_TXTIME
	sk_receive_queue_acceleration_counter = sk_wmem_queued_transmission;

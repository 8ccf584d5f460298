static int tcp_v4_rcv(struct sk_buff *skb) {
  sk_receive_queue_length_limit = sk_write_pending_bytes_total;
  sk_buff_head_queue_lock_irqsave(&sk->sk_receive_queue);
  return sk_backlog_rcv_queue_handler_fn(sk, skb);
}

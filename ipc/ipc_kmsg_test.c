// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_kmsg": kmsg buffers (standard ones cached and
 * counted), the OOL copy interface, and kernel-built messages sent with
 * ipc_kmsg_send() and taken with ipc_mqueue_receive_kernel(), and the
 * queues' list of waiting receivers.
 */
#include <kern/sched.h>
#include <ipc/ipc_msg_test_util.h>
#include <kernel/sched_test_util.h>

static void ipc_kmsg_test_alloc(struct ktest *t)
{
	struct ipc_kmsg_stats s0, s1;
	ipc_kmsg_t small, big;

	ipc_kmsg_stats_get(&s0);
	small = ipc_kmsg_alloc(sizeof(mach_msg_header_t));
	big = ipc_kmsg_alloc(IKM_SAVED_MSG_SIZE + 1);
	KTEST_ASSERT_NOT_NULL(t, small);
	KTEST_ASSERT_NOT_NULL(t, big);
	TEQ(t, small->ikm_size, IKM_SAVED_MSG_SIZE);
	KTEST_EXPECT_TRUE(t, small->ikm_flags & IKM_F_CACHED);
	TEQ(t, big->ikm_size, IKM_SAVED_MSG_SIZE + 1);
	KTEST_EXPECT_FALSE(t, big->ikm_flags & IKM_F_CACHED);
	ipc_kmsg_stats_get(&s1);
	TEQ(t, s1.kmsgs, s0.kmsgs + 2);
	/* The whole buffer and the largest trailer are usable. */
	memset(big->ikm_header, 0x5a, big->ikm_size + MAX_TRAILER_SIZE);
	memset(small->ikm_header, 0x5a, small->ikm_size + MAX_TRAILER_SIZE);
	ipc_kmsg_free(big);
	ipc_kmsg_free(small);
	KTEST_EXPECT_NULL(t, ipc_kmsg_alloc(MACH_MSG_SIZE_MAX + 1024));
	ipc_kmsg_stats_get(&s1);
	TEQ(t, s1.kmsgs, s0.kmsgs);
}

static void ipc_kmsg_test_ool(struct ktest *t)
{
	struct ipc_ool_copy *copy;
	unsigned char src[100];
	unsigned char *out;
	void *addr;
	int i;

	for (i = 0; i < 100; i++)
		src[i] = (unsigned char)i;
	KTEST_ASSERT_EQ(t, ipc_ool_copyin(src, sizeof(src), false, &copy), MACH_MSG_SUCCESS);
	KTEST_ASSERT_NOT_NULL(t, copy);
	src[0] = 99;
	TEQ(t, ipc_ool_copyout(copy, &addr), KERN_SUCCESS);
	out = addr;
	TEQ(t, out[0], 0);
	TEQ(t, out[99], 99);
	ipc_ool_free(addr, sizeof(src));
	TEQ(t, ipc_ool_copyin(NULL, 10, false, &copy), MACH_SEND_INVALID_MEMORY);
	TEQ(t, ipc_ool_copyin(src, IPC_OOL_SIZE_MAX + 1, false, &copy),
			MACH_SEND_TOO_LARGE);
	TEQ(t, ipc_ool_copyin(src, 0, false, &copy), MACH_MSG_SUCCESS);
	KTEST_EXPECT_NULL(t, copy);
	KTEST_ASSERT_EQ(t, ipc_ool_copyin(src, sizeof(src), false, &copy), MACH_MSG_SUCCESS);
	ipc_ool_copy_discard(copy);
}

/* The kernel sends to a port of a space and receives it back, in kernel form. */
static void ipc_kmsg_test_kernel_send(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), r = ipc_test_port(t, a);
	ipc_port_t port = IP_NULL, rport = IP_NULL;
	mach_msg_port_descriptor_t *d;
	mach_msg_header_t *h;
	ipc_kmsg_t kmsg;
	struct tmsg m;

	KTEST_ASSERT_EQ(t, ipc_object_copyin(a, p, MACH_MSG_TYPE_MAKE_SEND, &port), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_object_copyin(a, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &rport),
			KERN_SUCCESS);
	kmsg = ipc_kmsg_alloc(sizeof(mach_msg_base_t) + sizeof(*d));
	KTEST_ASSERT_NOT_NULL(t, kmsg);
	h = kmsg->ikm_header;
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE) |
		       MACH_MSGH_BITS_COMPLEX;
	h->msgh_size = sizeof(mach_msg_base_t) + sizeof(*d);
	h->msgh_remote_port = port;
	h->msgh_local_port = rport;
	h->msgh_reserved = 0;
	h->msgh_id = 4242;
	((mach_msg_body_t *)(h + 1))->msgh_descriptor_count = 1;
	d = (mach_msg_port_descriptor_t *)((mach_msg_body_t *)(h + 1) + 1);
	d->name = port;
	d->disposition = MACH_MSG_TYPE_COPY_SEND;
	d->type = MACH_MSG_PORT_DESCRIPTOR;
	ipc_kmsg_copyin_from_kernel(kmsg);
	TEQ(t, h->msgh_bits & MACH_MSGH_BITS_PORTS_MASK,
			MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE));
	TEQ(t, d->disposition, MACH_MSG_TYPE_PORT_SEND);
	TEQ(t, ipc_kmsg_send(kmsg, 0, 0), MACH_MSG_SUCCESS);

	/* The kernel takes it back as it is. */
	TEQ(t, ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_TIMEOUT, 4096, 0,
						     &kmsg), MACH_MSG_SUCCESS);
	KTEST_ASSERT_NOT_NULL(t, kmsg);
	TEQ(t, kmsg->ikm_header->msgh_id, 4242);
	KTEST_EXPECT_PTR_EQ(t, (void *)kmsg->ikm_header->msgh_remote_port, (void *)port);
	ipc_kmsg_destroy(kmsg);
	TEQ(t, ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_TIMEOUT, 4096, 0,
						     &kmsg), MACH_RCV_TIMED_OUT);
	KTEST_EXPECT_NULL(t, kmsg);

	/* Send it again: the space receives it through mach_msg. */
	KTEST_ASSERT_EQ(t, ipc_object_copyin(a, p, MACH_MSG_TYPE_MAKE_SEND, &port), KERN_SUCCESS);
	kmsg = ipc_kmsg_alloc(sizeof(mach_msg_header_t));
	KTEST_ASSERT_NOT_NULL(t, kmsg);
	h = kmsg->ikm_header;
	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = port;
	h->msgh_id = 17;
	ipc_kmsg_copyin_from_kernel(kmsg);
	TEQ(t, ipc_kmsg_send(kmsg, 0, 0), MACH_MSG_SUCCESS);
	TEQ(t, tmsg_recv(a, &m, p, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER),
				     0, 0), MACH_MSG_SUCCESS);
	TEQ(t, m.h.msgh_id, 17);
	TEQ(t, tmsg_trailer(&m)->msgh_sender.val[1], 1u);	/* the kernel's token */

	/* Too small a buffer, without MACH_RCV_LARGE: the kernel's receive destroys it. */
	TEQ(t, tmsg_send_simple(a, p, MACH_MSG_TYPE_MAKE_SEND, 1), MACH_MSG_SUCCESS);
	port = ipc_port_make_send(port);
	TEQ(t, ipc_mqueue_receive_kernel(&port->ip_object, MACH_RCV_TIMEOUT, 8, 0,
						     &kmsg), MACH_RCV_TOO_LARGE);
	KTEST_EXPECT_NULL(t, kmsg);
	TEQ(t, tmsg_poll(a, &m, p), MACH_RCV_TIMED_OUT);
	ipc_port_release_send(port);
	ipc_test_space_done(a);
}

/* A dead destination: ipc_kmsg_send() fails and the caller still owns the message. */
static void ipc_kmsg_test_dead_dest(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	ipc_port_t port = IP_NULL;
	ipc_kmsg_t kmsg;

	KTEST_ASSERT_EQ(t, ipc_object_copyin(a, p, MACH_MSG_TYPE_MAKE_SEND, &port), KERN_SUCCESS);
	TEQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	kmsg = ipc_kmsg_alloc(sizeof(mach_msg_header_t));
	KTEST_ASSERT_NOT_NULL(t, kmsg);
	memset(kmsg->ikm_header, 0, sizeof(mach_msg_header_t));
	kmsg->ikm_header->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	kmsg->ikm_header->msgh_size = sizeof(mach_msg_header_t);
	kmsg->ikm_header->msgh_remote_port = port;
	ipc_kmsg_copyin_from_kernel(kmsg);
	TEQ(t, ipc_kmsg_send(kmsg, 0, 0), MACH_SEND_INVALID_DEST);
	ipc_kmsg_destroy(kmsg);
	ipc_test_space_done(a);
}

struct kernel_rcv {
	ipc_port_t		port;
	mach_msg_return_t	mr;
	ipc_kmsg_t		kmsg;
};

static void kernel_rcv_thread(void *arg)
{
	struct kernel_rcv *r = arg;

	r->mr = ipc_mqueue_receive_kernel(&r->port->ip_object, 0, 4096, 0, &r->kmsg);
}

/* The kernel waits on a receive right it holds; the right is destroyed. */
/*
 * The waiting receivers' list (<ipc/ipc_mqueue.h>), on threads that only
 * lend it their fields: FIFO, removal from anywhere, and an emptied list
 * (whose imq_rcv_last is left stale by ipc_mqueue_rcv_remove_first())
 * started again without linking to the receiver that left.
 */
static void ipc_kmsg_test_rcv_list(struct ktest *t)
{
	struct thread *a = kalloc(sizeof(*a)), *b = kalloc(sizeof(*b)), *c = kalloc(sizeof(*c));
	struct ipc_mqueue mq;

	KTEST_ASSERT_TRUE(t, a && b && c);
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	memset(c, 0, sizeof(*c));
	ipc_mqueue_init(&mq);
	ipc_mqueue_rcv_wait(&mq, a, NULL, 0, 4096, true);
	KTEST_EXPECT_TRUE(t, mq.imq_rcv_first == a && mq.imq_rcv_last == a && a->ith_fast_ok);
	ipc_mqueue_rcv_remove_first(&mq, a);
	KTEST_EXPECT_NULL(t, mq.imq_rcv_first);
	/* Off the list, both links NULL: the next wait stores neither when alone. */
	KTEST_EXPECT_TRUE(t, !a->ith_next && !a->ith_prev);
	/* Empty again: b is first, and nothing links to a. */
	ipc_mqueue_rcv_wait(&mq, b, NULL, 0, 8, true);
	ipc_mqueue_rcv_wait(&mq, c, NULL, 0, 4096, false);
	KTEST_EXPECT_TRUE(t, mq.imq_rcv_first == b && mq.imq_rcv_last == c);
	KTEST_EXPECT_TRUE(t, !b->ith_prev && b->ith_next == c && c->ith_prev == b && !c->ith_next);
	KTEST_EXPECT_NULL(t, a->ith_next);
	KTEST_EXPECT_FALSE(t, b->ith_fast_ok || c->ith_fast_ok);	/* no room; not asked */
	/* The last leaves from the end; a comes after b. */
	ipc_mqueue_rcv_remove(&mq, c);
	KTEST_EXPECT_TRUE(t, mq.imq_rcv_first == b && mq.imq_rcv_last == b && !b->ith_next);
	ipc_mqueue_rcv_wait(&mq, a, NULL, 0, 4096, true);
	KTEST_EXPECT_TRUE(t, b->ith_next == a && a->ith_prev == b && mq.imq_rcv_last == a);
	ipc_mqueue_rcv_remove_first(&mq, b);
	KTEST_EXPECT_TRUE(t, mq.imq_rcv_first == a && !a->ith_prev && !b->ith_next);
	KTEST_EXPECT_NULL(t, b->ith_prev);
	KTEST_EXPECT_TRUE(t, ipc_mqueue_fast_receiver(&mq) == a);
	ipc_mqueue_rcv_remove(&mq, a);
	KTEST_EXPECT_NULL(t, mq.imq_rcv_first);
	KTEST_EXPECT_NULL(t, ipc_mqueue_fast_receiver(&mq));
	ipc_mqueue_rcv_wait(&mq, c, NULL, 0, 4096, true);
	KTEST_EXPECT_TRUE(t, mq.imq_rcv_first == c && mq.imq_rcv_last == c && !c->ith_prev);
	KTEST_EXPECT_NULL(t, a->ith_next);
	ipc_mqueue_rcv_remove_first(&mq, c);
	kfree(a, sizeof(*a));
	kfree(b, sizeof(*b));
	kfree(c, sizeof(*c));
}

static void ipc_kmsg_test_kernel_port_dies(struct ktest *t)
{
	static struct kernel_rcv r;
	struct thread *th;

	r.port = ipc_port_create();
	r.kmsg = IKM_NULL;
	r.mr = MACH_MSG_SUCCESS;
	KTEST_ASSERT_NOT_NULL(t, r.port);
	ip_reference(r.port);	/* the waiting thread's */
	th = sched_test_thread(kernel_rcv_thread, &r, BASEPRI_KERNEL, "ipc_krcv",
			       sched_test_other_cpu(0));
	KTEST_ASSERT_NOT_NULL(t, th);
	KTEST_EXPECT_TRUE(t, sched_test_wait_blocked(th, 5 * NSEC_PER_SEC));
	ipc_port_release_receive(r.port);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, 5 * NSEC_PER_SEC));
	thread_deallocate(th);
	TEQ(t, r.mr, MACH_RCV_PORT_DIED);
	KTEST_EXPECT_NULL(t, r.kmsg);
	ipc_port_release(r.port);
}

static struct ktest_case ipc_kmsg_test_cases[] = {
	KTEST_CASE(ipc_kmsg_test_alloc),
	KTEST_CASE(ipc_kmsg_test_ool),
	KTEST_CASE(ipc_kmsg_test_kernel_send),
	KTEST_CASE(ipc_kmsg_test_dead_dest),
	KTEST_CASE(ipc_kmsg_test_kernel_port_dies),
	KTEST_CASE(ipc_kmsg_test_rcv_list),
	{}
};

static struct ktest_suite ipc_kmsg_test_suite = {
	.name = "ipc_kmsg",
	.init = tmsg_test_init,
	.exit = tmsg_test_exit,
	.test_cases = ipc_kmsg_test_cases,
};
KTEST_SUITE(ipc_kmsg_test_suite);

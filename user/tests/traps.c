// SPDX-License-Identifier: MIT
/*
 * Suite "traps": every Mach trap from user space, with its results and
 * the rights it leaves (the harness checks the names return).
 */
#include <mach/sync_policy.h>
#include "utest.h"

static void utest_reply_port(struct utest *t)
{
	mach_port_type_t type;
	mach_port_t p = mach_reply_port();

	UT_ASSERT(t, p != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), p, &type), KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_RECEIVE);
	UT_EXPECT_EQ(t, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), p, &type), KERN_INVALID_NAME);
}

/* task_self, thread_self and host_self: send rights, one user reference each. */
static void utest_self_traps(struct utest *t)
{
	mach_port_urefs_t before = 0, after = 0;
	mach_port_t task, thread, host, thread2;
	mach_port_type_t type;

	mach_port_get_refs(mach_task_self(), mach_task_self(), MACH_PORT_RIGHT_SEND, &before);
	task = task_self_trap();
	UT_EXPECT_EQ(t, task, mach_task_self());
	mach_port_get_refs(mach_task_self(), task, MACH_PORT_RIGHT_SEND, &after);
	UT_EXPECT_EQ(t, after, before + 1);
	mach_port_deallocate(mach_task_self(), task);

	thread = thread_self_trap();
	UT_ASSERT(t, thread != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), thread, &type), KERN_SUCCESS);
	UT_EXPECT(t, type & MACH_PORT_TYPE_SEND);
	thread2 = thread_self_trap();
	UT_EXPECT_EQ(t, thread2, thread);
	mach_port_deallocate(mach_task_self(), thread2);
	mach_port_deallocate(mach_task_self(), thread);

	host = host_self_trap();
	UT_ASSERT(t, host != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), host, &type), KERN_SUCCESS);
	UT_EXPECT(t, type & MACH_PORT_TYPE_SEND);
	mach_port_deallocate(mach_task_self(), host);
}

/* A send and a receive as two traps, then as one; seqnos; payload. */
static void utest_msg_send_receive(struct utest *t)
{
	mach_port_t p = utest_port();
	struct utest_msg m;
	int i;

	UT_ASSERT(t, p != MACH_PORT_NULL);
	for (i = 0; i < 3; i++)
		UT_EXPECT_EQ(t, utest_send(p, MACH_MSG_TYPE_COPY_SEND, 100 + i, 0x1234 + i, 0),
			     MACH_MSG_SUCCESS);
	for (i = 0; i < 3; i++) {
		UT_EXPECT_EQ(t, utest_receive(p, &m, 1000), MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, m.head.msgh_id, 100 + i);
		UT_EXPECT_EQ(t, m.word, 0x1234 + i);
		UT_EXPECT_EQ(t, m.head.msgh_local_port, p);
	}
	utest_port_destroy(p);
}

/* An RPC to ourselves: the request carries a send-once reply right. */
static void utest_msg_rpc(struct utest *t)
{
	mach_port_t p = utest_port(), reply = mach_reply_port();
	struct utest_msg m;
	mach_port_type_t type;

	UT_ASSERT(t, p != MACH_PORT_NULL && reply != MACH_PORT_NULL);
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_size = sizeof(m.head) + sizeof(m.word);
	m.head.msgh_remote_port = p;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = 7;
	UT_EXPECT_EQ(t, mach_msg(&m.head, MACH_SEND_MSG, m.head.msgh_size, 0, MACH_PORT_NULL, 0,
				 MACH_PORT_NULL), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, utest_receive(p, &m, 1000), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, MACH_MSGH_BITS_REMOTE(m.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), m.head.msgh_remote_port, &type),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_SEND_ONCE);
	/* The answer through the send-once right, received in the same trap. */
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m.head.msgh_local_port = MACH_PORT_NULL;
	m.head.msgh_size = sizeof(m.head) + sizeof(m.word);
	m.head.msgh_id = 8;
	m.word = 99;
	UT_EXPECT_EQ(t, mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				 m.head.msgh_size, sizeof(m), reply, 1000, MACH_PORT_NULL),
		     MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, 8);
	UT_EXPECT_EQ(t, m.word, 99);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	utest_port_destroy(p);
}

/* Receive and send timeouts; a bad name and a bad buffer fail cleanly. */
static void utest_msg_timeouts(struct utest *t)
{
	mach_port_t p = utest_port();
	struct utest_msg m;
	uint64_t t0, t1;

	UT_ASSERT(t, p != MACH_PORT_NULL);
	t0 = mach_absolute_time();
	UT_EXPECT_EQ(t, utest_receive(p, &m, 20), MACH_RCV_TIMED_OUT);
	t1 = mach_absolute_time();
	UT_EXPECT(t, t1 - t0 >= 15 * 1000 * 1000ULL);
	UT_EXPECT_EQ(t, mach_port_set_qlimit(mach_task_self(), p, 1), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_send(p, MACH_MSG_TYPE_COPY_SEND, 1, 0, 10), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, utest_send(p, MACH_MSG_TYPE_COPY_SEND, 2, 0, 10), MACH_SEND_TIMED_OUT);
	UT_EXPECT_EQ(t, utest_receive(p, &m, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, utest_send(0x7777, MACH_MSG_TYPE_COPY_SEND, 1, 0, 10),
		     MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, utest_receive(0x7777, &m, 0), MACH_RCV_INVALID_NAME);
	UT_EXPECT(t, mach_msg_trap((mach_msg_header_t *)8, MACH_SEND_MSG, 32, 0, 0, 0, 0) ==
		     MACH_SEND_INVALID_DATA);
	utest_port_destroy(p);
}

static void utest_semaphores(struct utest *t)
{
	semaphore_t s = MACH_PORT_NULL;
	mach_port_type_t type;
	uint64_t t0;

	UT_ASSERT_EQ(t, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 1), KERN_SUCCESS);
	UT_EXPECT_EQ(t, semaphore_wait_trap(s), KERN_SUCCESS);
	t0 = mach_absolute_time();
	UT_EXPECT_EQ(t, semaphore_timedwait_trap(s, 0, 20 * 1000 * 1000), KERN_OPERATION_TIMED_OUT);
	UT_EXPECT(t, mach_absolute_time() - t0 >= 15 * 1000 * 1000ULL);
	UT_EXPECT_EQ(t, semaphore_signal_trap(s), KERN_SUCCESS);
	UT_EXPECT_EQ(t, semaphore_timedwait_trap(s, 1, 0), KERN_SUCCESS);
	UT_EXPECT_EQ(t, semaphore_signal_all_trap(s), KERN_SUCCESS);
	UT_EXPECT(t, semaphore_wait_trap(0x7777) != KERN_SUCCESS);
	UT_EXPECT_EQ(t, semaphore_destroy(mach_task_self(), s), KERN_SUCCESS);
	/*
	 * semaphore_destroy() consumed our send right, as XNU's does: the
	 * name is gone, not left behind as a dead name.
	 */
	UT_EXPECT(t, semaphore_signal_trap(s) != KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), s, &type), KERN_INVALID_NAME);
	if (mach_port_type(mach_task_self(), s, &type) == KERN_SUCCESS)
		mach_port_deallocate(mach_task_self(), s);

	/* With two references, one goes: the other is a dead name, ours to give back. */
	UT_ASSERT_EQ(t, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 1),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, semaphore_destroy(mach_task_self(), s), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), s, &type), KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_DEAD_NAME);
	UT_EXPECT_EQ(t, mach_port_deallocate(mach_task_self(), s), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), s, &type), KERN_INVALID_NAME);
}

static void utest_switch_time(struct utest *t)
{
	mach_timebase_info_data_t tb = { 0, 0 };
	uint64_t a, b;

	swtch_pri(0);
	swtch();
	UT_EXPECT_EQ(t, thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0), KERN_SUCCESS);
	UT_EXPECT_EQ(t, thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1), KERN_SUCCESS);
	a = mach_absolute_time();
	thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 5);
	b = mach_absolute_time();
	UT_EXPECT(t, b > a);
	UT_EXPECT_EQ(t, mach_timebase_info_trap(&tb), KERN_SUCCESS);
	UT_EXPECT(t, tb.numer && tb.denom);
}

static const struct utest_case utest_traps_cases[] = {
	UTEST_CASE(utest_reply_port),
	UTEST_CASE(utest_self_traps),
	UTEST_CASE(utest_msg_send_receive),
	UTEST_CASE(utest_msg_rpc),
	UTEST_CASE(utest_msg_timeouts),
	UTEST_CASE(utest_semaphores),
	UTEST_CASE(utest_switch_time),
	{}
};

const struct utest_suite utest_traps_suite = { "traps", utest_traps_cases, false };

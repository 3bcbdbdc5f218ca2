// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_right": each right and its transitions, user
 * references and their limits, copyin/copyout with every disposition,
 * the notification messages sent when rights die (received from their
 * ports and checked field by field), and a space destroyed with
 * every kind of right in it. Every case ends at the IPC baseline.
 */
#include <ipc/ipc_test_util.h>

static void ipc_right_test_send_urefs(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	ipc_port_t port = IP_NULL;

	KTEST_ASSERT_EQ(t, ipc_object_copyin(a, p, MACH_MSG_TYPE_MAKE_SEND, &port), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(a, p, port, MACH_MSG_TYPE_PORT_SEND),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), MACH_PORT_TYPE_SEND_RECEIVE);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), 1u);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_RECEIVE), 1u);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND_ONCE), 0u);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1u);
	KTEST_EXPECT_EQ(t, port->ip_mscount, 1u);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND, 5), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), 6u);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1u);	/* one right, many urefs */
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND, -7), KERN_INVALID_VALUE);
	/* A send right stays below the maximum. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND,
						  (mach_port_delta_t)IE_UREFS_MAX - 6),
			KERN_UREFS_OVERFLOW);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND,
						  (mach_port_delta_t)IE_UREFS_MAX - 7), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), IE_UREFS_MAX - 1);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND, 1), KERN_UREFS_OVERFLOW);
	/* Copying out one more send right fails, or pegs with overflow allowed. */
	KTEST_EXPECT_EQ(t, ipc_object_copyin(a, p, MACH_MSG_TYPE_MAKE_SEND, &port), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(a, p, port, MACH_MSG_TYPE_PORT_SEND),
			KERN_UREFS_OVERFLOW);
	KTEST_EXPECT_EQ(t, ipc_object_copyout_name(a, port, MACH_MSG_TYPE_PORT_SEND, true, p),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, p, MACH_PORT_RIGHT_SEND), IE_UREFS_MAX - 1);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1u);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND,
						  -(mach_port_delta_t)(IE_UREFS_MAX - 1)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), MACH_PORT_TYPE_RECEIVE);
	KTEST_EXPECT_EQ(t, port->ip_srights, 0u);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(a, p), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_RECEIVE, 2), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_RECEIVE, 0), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_NUMBER, 1), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), ~0U);
	ipc_test_space_done(a);
}

static void ipc_right_test_dead_names(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), s, so, d;
	unsigned long notified = ipc_test_notified();

	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, s, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
	so = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, so), MACH_PORT_TYPE_SEND_ONCE);
	/* The receive right dies: the send rights become dead names. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_DEAD_NAME);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s, MACH_PORT_RIGHT_DEAD_NAME), 3u);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s, MACH_PORT_RIGHT_SEND), 0u);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, so), MACH_PORT_TYPE_DEAD_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, s, MACH_PORT_RIGHT_SEND, -1), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, s, MACH_PORT_RIGHT_DEAD_NAME, -4),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, s, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), ~0U);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, so), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, so), ~0U);
	/* Dead names of their own: urefs up to the maximum. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(b, MACH_PORT_RIGHT_DEAD_NAME, &d), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, d, MACH_PORT_RIGHT_DEAD_NAME,
						  (mach_port_delta_t)IE_UREFS_MAX - 1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, d, MACH_PORT_RIGHT_DEAD_NAME, 1),
			KERN_UREFS_OVERFLOW);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, d, MACH_PORT_RIGHT_SEND, -1), KERN_INVALID_RIGHT);
	/* No notification was asked for. */
	KTEST_EXPECT_EQ(t, ipc_test_notified(), notified);
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

static void ipc_right_test_send_once(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), s1, s2;
	struct ipc_test_note rec;
	unsigned long before = ipc_notify_count(IPC_NOTIFY_SEND_ONCE);

	s1 = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
	s2 = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
	KTEST_EXPECT_NE(t, s1, s2);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s1, MACH_PORT_RIGHT_SEND_ONCE), 1u);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, s1, MACH_PORT_RIGHT_SEND_ONCE, 1),
			KERN_INVALID_VALUE);
	/* Destroying a send-once right sends a send-once notification to its port. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, s1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_notify_count(IPC_NOTIFY_SEND_ONCE), before + 1);
	KTEST_EXPECT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, p, &rec));
	ipc_test_note_release(&rec);
	/* Moving it keeps it one right: COPY_SEND of it is refused. */
	KTEST_EXPECT_EQ(t, ipc_test_give(t, b, s2, MACH_MSG_TYPE_MOVE_SEND_ONCE, b) != s2, true);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(b, s2, MACH_PORT_RIGHT_SEND_ONCE, -1),
			KERN_INVALID_NAME);
	ipc_test_space_done(b);
	/* b's remaining send-once right died with b: another notification. */
	KTEST_EXPECT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, p, &rec));
	ipc_test_note_release(&rec);
	ipc_test_space_done(a);
}

static void ipc_right_test_no_senders(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), n = ipc_test_port(t, a), s;
	ipc_port_t prev = IP_DEAD;
	struct ipc_test_note rec;

	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_EXPECT_EQ(t, ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b), s);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_NO_SENDERS, 0,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, prev, IP_NULL);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, s), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, ipc_test_take(IPC_NOTIFY_NO_SENDERS, a, n, &rec));
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, s), KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_NO_SENDERS, a, n, &rec));
	KTEST_EXPECT_EQ(t, rec.mscount, 2u);
	ipc_test_note_release(&rec);
	/* Armed with no senders and sync <= mscount: at once. */
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_NO_SENDERS, 2,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_NO_SENDERS, a, n, &rec));
	ipc_test_note_release(&rec);
	/* sync above mscount: armed; replacing it returns the previous right. */
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_NO_SENDERS, 3,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_NO_SENDERS, 3,
							      IP_NULL, &prev), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, IP_VALID(prev));
	ipc_object_destroy(prev, MACH_MSG_TYPE_PORT_SEND_ONCE);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, n, &rec));
	ipc_test_note_release(&rec);
	/* An armed request dies with the port: a send-once notification. */
	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_NO_SENDERS, 0,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, n, &rec));
	ipc_test_note_release(&rec);
	KTEST_EXPECT_FALSE(t, ipc_test_take(IPC_NOTIFY_NO_SENDERS, a, n, &rec));
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

static void ipc_right_test_dead_name_request(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), n = ipc_test_port(t, a), s, s2, d;
	ipc_port_t prev = IP_DEAD;
	struct ipc_test_note rec;

	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, s, MACH_NOTIFY_DEAD_NAME, 0,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, prev, IP_NULL);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST);
	/* Many requests: the port's table grows. */
	for (int i = 0; i < 20; i++) {
		mach_port_name_t so = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);

		KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, so, MACH_NOTIFY_DEAD_NAME,
								      0, ipc_test_sonce(t, a, n),
								      &prev), KERN_SUCCESS);
	}
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_DEAD_NAME, a, n, &rec));
	KTEST_EXPECT_EQ(t, rec.name, s);
	ipc_test_note_release(&rec);
	/* The name is dead, with a uref more for the notification's. */
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_DEAD_NAME);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s, MACH_PORT_RIGHT_DEAD_NAME), 2u);
	/* A dead name: immediate notification, or KERN_INVALID_ARGUMENT. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(b, s, MACH_NOTIFY_DEAD_NAME, 0,
							      IP_NULL, &prev), KERN_INVALID_ARGUMENT);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, s, MACH_NOTIFY_DEAD_NAME, 1,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s, MACH_PORT_RIGHT_DEAD_NAME), 3u);
	KTEST_EXPECT_GE(t, ipc_test_drain(a, n), 21ul);
	/* Losing the right otherwise: port-deleted. */
	p = ipc_test_port(t, a);
	s2 = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, s2, MACH_NOTIFY_DEAD_NAME, 0,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, s2), KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_PORT_DELETED, a, n, &rec));
	KTEST_EXPECT_EQ(t, rec.name, s2);
	ipc_test_note_release(&rec);
	/* Wrong rights. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(b, MACH_PORT_RIGHT_PORT_SET, &d), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(b, d, MACH_NOTIFY_DEAD_NAME, 0,
							      IP_NULL, &prev), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(b, d, MACH_NOTIFY_NO_SENDERS, 0,
							      IP_NULL, &prev), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(b, d, MACH_NOTIFY_PORT_DELETED, 0,
							      IP_NULL, &prev), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(b, d, MACH_NOTIFY_DEAD_NAME, 0,
							      IP_DEAD, &prev), KERN_INVALID_CAPABILITY);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(b, 0x12345, MACH_NOTIFY_DEAD_NAME,
							      0, IP_NULL, &prev), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(a, n, MACH_NOTIFY_PORT_DESTROYED, 1,
							      IP_NULL, &prev), KERN_INVALID_VALUE);
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

static void ipc_right_test_port_destroyed(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), n = ipc_test_port(t, a), s, r;
	ipc_port_t prev = IP_DEAD, port;
	struct ipc_test_note rec;
	unsigned long notified;

	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_PORT_DESTROYED, 0,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	/*
	 * The port lives on: the receive right is in the notification,
	 * in transit to n's port.
	 */
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_SEND);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_PORT_DESTROYED, a, n, &rec));
	port = rec.port;
	KTEST_EXPECT_EQ(t, (int)port->ip_state, (int)IPC_PORT_IN_TRANSIT);
	KTEST_EXPECT_PTR_EQ(t, port->ip_destination, ipc_test_port_of(a, n));
	/* Received into b: it joins b's send right. */
	KTEST_EXPECT_EQ(t, ipc_object_copyout(b, port, MACH_MSG_TYPE_PORT_RECEIVE, false, &r),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, r, s);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_SEND_RECEIVE);
	KTEST_EXPECT_EQ(t, (int)port->ip_state, (int)IPC_PORT_ACTIVE);
	rec.port = IP_NULL;
	ipc_test_note_release(&rec);
	/* A second death has no request: the port dies, nothing is sent. */
	notified = ipc_test_notified();
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(b, s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_notified(), notified);
	KTEST_EXPECT_NULL(t, ipc_test_receive(a, n));
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

/* Each disposition between spaces, and what stays behind. */
static void ipc_right_test_dispositions(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), s, r, d;
	ipc_port_t port = IP_NULL;
	mach_msg_type_name_t type = 0;

	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_EXPECT_EQ(t, ipc_test_give(t, b, s, MACH_MSG_TYPE_COPY_SEND, b), s);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s, MACH_PORT_RIGHT_SEND), 2u);
	KTEST_EXPECT_EQ(t, ipc_test_give(t, b, s, MACH_MSG_TYPE_MOVE_SEND, b), s);
	KTEST_EXPECT_EQ(t, ipc_test_refs(b, s, MACH_PORT_RIGHT_SEND), 2u);
	/* MOVE_SEND of the last uref empties the name. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(b, s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(b, s, MACH_MSG_TYPE_MOVE_SEND, &port, &type),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, type, (mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), ~0U);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(b, MACH_PORT_MAKE(40, 0), port, type),
			KERN_SUCCESS);
	s = MACH_PORT_MAKE(40, 0);
	/* Wrong rights for each disposition. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(b, s, MACH_MSG_TYPE_MAKE_SEND, &port, &type),
			KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(b, s, MACH_MSG_TYPE_MOVE_RECEIVE, &port,
						       &type), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(b, s, MACH_MSG_TYPE_MOVE_SEND_ONCE, &port,
						       &type), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(b, s, MACH_MSG_TYPE_COPY_RECEIVE, &port,
						       &type), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(b, 0x999900, MACH_MSG_TYPE_COPY_SEND,
						       &port, &type), KERN_INVALID_NAME);
	/* MOVE_RECEIVE from a to b: the port follows; a keeps nothing. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(a, p, MACH_MSG_TYPE_MOVE_RECEIVE, &port,
						       &type), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, (int)port->ip_state, (int)IPC_PORT_LIMBO);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), ~0U);
	/* Into b it merges with b's send right, under that name only. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(b, MACH_PORT_MAKE(41, 0), port, type),
			KERN_RIGHT_EXISTS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(b, s, port, type), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_SEND_RECEIVE);
	KTEST_EXPECT_PTR_EQ(t, port->ip_receiver, b);
	/* MOVE_RECEIVE of a send+receive name leaves the send right. */
	r = ipc_test_give(t, b, s, MACH_MSG_TYPE_MOVE_RECEIVE, a);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), MACH_PORT_TYPE_SEND);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, r), MACH_PORT_TYPE_RECEIVE);
	/* A dead name copies in as IP_DEAD. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(b, MACH_PORT_RIGHT_DEAD_NAME, &d), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_object_copyin(b, d, MACH_MSG_TYPE_COPY_SEND, &port), KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, port, IP_DEAD);
	KTEST_EXPECT_EQ(t, ipc_object_copyin(b, d, MACH_MSG_TYPE_MOVE_SEND_ONCE, &port), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, d), ~0U);
	/* insert_right errors. */
	port = ipc_port_make_send((ipc_port_t)b->is_table[MACH_PORT_INDEX(s)].ie_object);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(b, MACH_PORT_NAME_NULL, port,
						      MACH_MSG_TYPE_PORT_SEND), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(b, s, port, MACH_MSG_TYPE_MAKE_SEND),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(b, s, IP_DEAD, MACH_MSG_TYPE_PORT_SEND),
			KERN_INVALID_CAPABILITY);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(a, r, port, MACH_MSG_TYPE_PORT_SEND),
			KERN_SUCCESS);
	port = ipc_port_make_sonce(port);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_right(a, r, port, MACH_MSG_TYPE_PORT_SEND_ONCE),
			KERN_NAME_EXISTS);
	ipc_object_destroy(port, MACH_MSG_TYPE_PORT_SEND_ONCE);
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

static void ipc_right_test_port_sets(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t set1, set2, p1 = ipc_test_port(t, a), p2 = ipc_test_port(t, a);
	mach_port_name_t *members = NULL;
	mach_msg_type_number_t count = 0;
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set1), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, set1, MACH_PORT_RIGHT_PORT_SET), 1u);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p1, MACH_PORT_NAME_NULL), KERN_NOT_IN_SET);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p1, set1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p2, set1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_member(a, p1, set2), KERN_ALREADY_IN_SET);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_member(a, p1, set2), KERN_NOT_IN_SET);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, set1, set2), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p1, p2), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p1, 0x7777700), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_set_status(a, set1, &members, &count), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, count, 2u);
	if (count == 2) {
		KTEST_EXPECT_TRUE(t, (members[0] == p1 && members[1] == p2) ||
				  (members[0] == p2 && members[1] == p1));
		kfree(members, count * sizeof(*members));
	}
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_set_status(a, p1, &members, &count), KERN_INVALID_RIGHT);
	/* Moving from one set to the other. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p1, set2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, p1, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st.mps_pset, set2);
	/* A member whose receive right dies leaves its set. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p1), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_set_status(a, set2, &members, &count), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, count, 0u);
	/* A set destroyed releases its members. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, set1, MACH_PORT_RIGHT_PORT_SET, -2),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, set1, MACH_PORT_RIGHT_PORT_SET, -1),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, p2, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st.mps_pset, MACH_PORT_NAME_NULL);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_member(a, p2, set2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_member(a, p2, set2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_member(a, p2, set2), KERN_SUCCESS);
	/* A member's receive right moved out of the space leaves the set. */
	{
		ipc_port_t port;
		mach_msg_type_name_t type;

		KTEST_ASSERT_EQ(t, ipc_mach_port_extract_right(a, p2, MACH_MSG_TYPE_MOVE_RECEIVE,
							       &port, &type), KERN_SUCCESS);
		KTEST_EXPECT_PTR_EQ(t, port->ip_pset, IPS_NULL);
		ipc_object_destroy(port, type);
	}
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, set2), KERN_SUCCESS);
	ipc_test_space_done(a);
}

static void ipc_right_test_rename(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), n = ipc_test_port(t, a), s, set;
	mach_port_name_t to = MACH_PORT_MAKE(77, 0), to2 = MACH_PORT_MAKE(300, 0);
	ipc_port_t prev;
	struct ipc_test_note rec;

	s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
	KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, s, MACH_NOTIFY_DEAD_NAME, 0,
							      ipc_test_sonce(t, a, n), &prev),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(b, s, to), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, s), ~0U);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, to), MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST);
	/* Coalescing finds the new name. */
	KTEST_EXPECT_EQ(t, ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b), to);
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(a, p, to2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_give(t, b, to, MACH_MSG_TYPE_COPY_SEND, a), to2);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, to2, set), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(a, set, MACH_PORT_MAKE(301, 0)), KERN_SUCCESS);
	/* The dead-name notification carries the new name. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, to2), KERN_SUCCESS);
	KTEST_ASSERT_TRUE(t, ipc_test_take(IPC_NOTIFY_DEAD_NAME, a, n, &rec));
	KTEST_EXPECT_EQ(t, rec.name, to);
	ipc_test_note_release(&rec);
	/* Errors. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(a, n, n), KERN_NAME_EXISTS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(a, 0x55500, MACH_PORT_MAKE(9, 0)), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(a, n, MACH_PORT_NAME_NULL), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_rename(a, n, MACH_PORT_NAME_DEAD), KERN_INVALID_VALUE);
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

/* A space destroyed with every kind of right: all released, notified. */
static void ipc_right_test_space_destroy(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t), c = ipc_test_space(t);
	mach_port_name_t n = ipc_test_port(t, c), p, q, s, set, d;
	ipc_port_t prev;
	int i;

	for (i = 0; i < 10; i++) {
		p = ipc_test_port(t, a);
		s = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
		ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, a);
		ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
		ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
		KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(a, p, MACH_NOTIFY_NO_SENDERS,
								      0, ipc_test_sonce(t, c, n),
								      &prev), KERN_SUCCESS);
		KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(b, s, MACH_NOTIFY_DEAD_NAME,
								      0, ipc_test_sonce(t, c, n),
								      &prev), KERN_SUCCESS);
		q = ipc_test_port(t, b);
		ipc_test_give(t, b, q, MACH_MSG_TYPE_MAKE_SEND, a);
		if (i % 3 == 0)
			KTEST_ASSERT_EQ(t, ipc_mach_port_request_notification(
					b, q, MACH_NOTIFY_PORT_DESTROYED, 0,
					ipc_test_sonce(t, c, n), &prev), KERN_SUCCESS);
		KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set),
				KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p, set), KERN_SUCCESS);
		KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_DEAD_NAME, &d),
				KERN_SUCCESS);
	}
	ipc_space_destroy(a);
	KTEST_EXPECT_EQ(t, ipc_space_names_in_use(a), 0u);
	ipc_space_release(a);
	ipc_test_space_done(b);
	ipc_test_space_done(c);
}

static struct ktest_case ipc_right_test_cases[] = {
	KTEST_CASE(ipc_right_test_send_urefs),
	KTEST_CASE(ipc_right_test_dead_names),
	KTEST_CASE(ipc_right_test_send_once),
	KTEST_CASE(ipc_right_test_no_senders),
	KTEST_CASE(ipc_right_test_dead_name_request),
	KTEST_CASE(ipc_right_test_port_destroyed),
	KTEST_CASE(ipc_right_test_dispositions),
	KTEST_CASE(ipc_right_test_port_sets),
	KTEST_CASE(ipc_right_test_rename),
	KTEST_CASE(ipc_right_test_space_destroy),
	{}
};

static struct ktest_suite ipc_right_test_suite = {
	.name = "ipc_right",
	.init = ipc_test_init,
	.exit = ipc_test_exit,
	.test_cases = ipc_right_test_cases,
};
KTEST_SUITE(ipc_right_test_suite);

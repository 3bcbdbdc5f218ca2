// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_mach_port": attributes, counts and sequence numbers,
 * mach_port_names, the error codes of the interface on bad input, and
 * ports as fresh as new after a dirty one died.
 */
#include <ipc/ipc_test_util.h>

static void ipc_mach_port_test_attributes(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), d;
	mach_port_limits_t lim = { 0 };
	mach_port_status_t st;
	mach_msg_type_number_t cnt;

	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, p, MACH_PORT_LIMITS_INFO,
							(mach_port_info_t)&lim, &cnt), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, lim.mpl_qlimit, MACH_PORT_QLIMIT_DEFAULT);
	lim.mpl_qlimit = 9;
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_attributes(a, p, MACH_PORT_LIMITS_INFO,
							(mach_port_info_t)&lim, cnt), KERN_SUCCESS);
	lim.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_attributes(a, p, MACH_PORT_LIMITS_INFO,
							(mach_port_info_t)&lim, cnt), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_attributes(a, p, MACH_PORT_LIMITS_INFO,
							(mach_port_info_t)&lim, 0), KERN_FAILURE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_attributes(a, p, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&lim, cnt),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_qlimit(a, p, MACH_PORT_QLIMIT_MAX + 1),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_mscount(a, p, 7), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_seqno(a, p, 42), KERN_SUCCESS);
	ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, a);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, p, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, cnt, MACH_PORT_RECEIVE_STATUS_COUNT);
	KTEST_EXPECT_EQ(t, st.mps_qlimit, 9u);
	KTEST_EXPECT_EQ(t, st.mps_mscount, 7u);
	KTEST_EXPECT_EQ(t, st.mps_seqno, 42u);
	KTEST_EXPECT_EQ(t, st.mps_sorights, 1u);
	KTEST_EXPECT_EQ(t, st.mps_srights, 0);
	KTEST_EXPECT_EQ(t, st.mps_pset, MACH_PORT_NAME_NULL);
	cnt = 1;
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, p, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&st, &cnt), KERN_FAILURE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, p, 99, (mach_port_info_t)&st, &cnt),
			KERN_INVALID_ARGUMENT);
	/* Not a receive right, or no right at all. */
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_DEAD_NAME, &d), KERN_SUCCESS);
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_attributes(a, d, MACH_PORT_LIMITS_INFO,
							(mach_port_info_t)&lim, &cnt), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_mscount(a, d, 1), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_seqno(a, 0x4400, 1), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_qlimit(IS_NULL, p, 1), KERN_INVALID_TASK);
	ipc_test_space_done(a);
}

static void ipc_mach_port_test_names(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), set, d;
	mach_port_name_t *names = NULL;
	mach_port_type_t *types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0, i;
	unsigned int seen = 0;

	KTEST_EXPECT_EQ(t, ipc_mach_port_names(a, &names, &nn, &types, &nt), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, nn, 1u);
	if (nn)
		kfree(names, nn * sizeof(*names)), kfree(types, nt * sizeof(*types));
	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_DEAD_NAME, &d), KERN_SUCCESS);
	ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, a);
	KTEST_ASSERT_EQ(t, ipc_mach_port_names(a, &names, &nn, &types, &nt), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, nn, 3u);
	KTEST_EXPECT_EQ(t, nt, 3u);
	for (i = 0; i < nn; i++) {
		if (names[i] == p && types[i] == MACH_PORT_TYPE_SEND_RECEIVE)
			seen |= 1;
		if (names[i] == set && types[i] == MACH_PORT_TYPE_PORT_SET)
			seen |= 2;
		if (names[i] == d && types[i] == MACH_PORT_TYPE_DEAD_NAME)
			seen |= 4;
	}
	KTEST_EXPECT_EQ(t, seen, 7u);
	kfree(names, nn * sizeof(*names));
	kfree(types, nt * sizeof(*types));
	ipc_space_destroy(a);
	KTEST_EXPECT_EQ(t, ipc_mach_port_names(a, &names, &nn, &types, &nt), KERN_INVALID_TASK);
	ipc_space_release(a);
}

/* Names that are not, rights that are wrong: Mach's error for each. */
static void ipc_mach_port_test_errors(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a), set, name;
	mach_port_urefs_t refs;
	mach_port_type_t type;

	KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_SEND, &name), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_allocate(a, 1234, &name), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, MACH_PORT_NAME_NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, MACH_PORT_NAME_DEAD), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(a, MACH_PORT_NAME_DEAD), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(a, p), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(a, set), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(a, 0xdead00), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_type(a, 0xdead00, &type), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_type(IS_NULL, p, &type), KERN_INVALID_TASK);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_refs(a, p, 77, &refs), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_get_refs(a, 0xdead00, 0, &refs), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_DEAD_NAME, 1),
			KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, p, MACH_PORT_RIGHT_SEND_ONCE, -1),
			KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, set, MACH_PORT_RIGHT_RECEIVE, -1),
			KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_mod_refs(a, set, MACH_PORT_RIGHT_PORT_SET, 1),
			KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, ipc_mach_port_set_mscount(a, set, 1), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, 0xdead00, set), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, ipc_mach_port_insert_member(a, p, MACH_PORT_NAME_NULL),
			KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, ipc_mach_port_request_notification(IS_NULL, p, MACH_NOTIFY_DEAD_NAME,
							      0, IP_NULL, &(ipc_port_t){IP_NULL}),
			KERN_INVALID_TASK);
	KTEST_EXPECT_EQ(t, ipc_mach_port_extract_right(IS_NULL, p, MACH_MSG_TYPE_MAKE_SEND,
						       &(ipc_port_t){IP_NULL},
						       &(mach_msg_type_name_t){0}),
			KERN_INVALID_TASK);
	ipc_test_space_done(a);
}

/* The attributes of a new receive right: what a port is when it is made. */
static void ipc_mach_port_test_expect_new(struct ktest *t, ipc_space_t space,
					  mach_port_name_t name)
{
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	mach_port_status_t st;

	KTEST_ASSERT_EQ(t, ipc_mach_port_get_attributes(space, name, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&st, &cnt),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st.mps_pset, MACH_PORT_NAME_NULL);
	KTEST_EXPECT_EQ(t, st.mps_seqno, 0u);
	KTEST_EXPECT_EQ(t, st.mps_mscount, 0u);
	KTEST_EXPECT_EQ(t, st.mps_qlimit, MACH_PORT_QLIMIT_DEFAULT);
	KTEST_EXPECT_EQ(t, st.mps_msgcount, 0u);
	KTEST_EXPECT_EQ(t, st.mps_sorights, 0u);
	KTEST_EXPECT_EQ(t, st.mps_srights, 0);
	KTEST_EXPECT_EQ(t, st.mps_pdrequest, 0);
	KTEST_EXPECT_EQ(t, st.mps_nsrequest, 0);
}

/*
 * Ports leave their zone constructed and must go back fresh
 * (ipc_port_construct()): without CONFIG_ZONE_DEBUG the next port is
 * usually the memory of the one that just died, and must read as new
 * whatever that one's life was; with it, ipc_port_free() panics on a
 * port that would not. Each round dirties a port its own way and kills
 * it: nothing attached (the inline destroy), a send right or a send-once
 * right living on in another space (the port dies with rights that are
 * never counted down), in a port set (the general destroy).
 */
static void ipc_mach_port_test_fresh(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t), b = ipc_test_space(t);
	mach_port_name_t p, other = MACH_PORT_NAME_NULL, set;
	unsigned int round;

	for (round = 0; round < 4; round++) {
		p = ipc_test_port(t, a);
		KTEST_EXPECT_EQ(t, ipc_mach_port_set_qlimit(a, p, 3), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, ipc_mach_port_set_mscount(a, p, 9), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, ipc_mach_port_set_seqno(a, p, 17), KERN_SUCCESS);
		if (round == 1)
			other = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND, b);
		if (round == 2)
			other = ipc_test_give(t, a, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, b);
		if (round == 3) {
			KTEST_ASSERT_EQ(t, ipc_mach_port_allocate(a, MACH_PORT_RIGHT_PORT_SET, &set),
					KERN_SUCCESS);
			KTEST_EXPECT_EQ(t, ipc_mach_port_move_member(a, p, set), KERN_SUCCESS);
		}
		KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
		if (round == 1 || round == 2) {
			/* The other space's name is dead; its last reference goes now. */
			KTEST_EXPECT_EQ(t, ipc_test_type(b, other), MACH_PORT_TYPE_DEAD_NAME);
			KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(b, other), KERN_SUCCESS);
		}
		if (round == 3)
			KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, set), KERN_SUCCESS);
		p = ipc_test_port(t, a);
		ipc_mach_port_test_expect_new(t, a, p);
		KTEST_EXPECT_EQ(t, ipc_mach_port_destroy(a, p), KERN_SUCCESS);
	}
	ipc_test_space_done(b);
	ipc_test_space_done(a);
}

static struct ktest_case ipc_mach_port_test_cases[] = {
	KTEST_CASE(ipc_mach_port_test_attributes),
	KTEST_CASE(ipc_mach_port_test_names),
	KTEST_CASE(ipc_mach_port_test_errors),
	KTEST_CASE(ipc_mach_port_test_fresh),
	{}
};

static struct ktest_suite ipc_mach_port_test_suite = {
	.name = "ipc_mach_port",
	.init = ipc_test_init,
	.exit = ipc_test_exit,
	.test_cases = ipc_mach_port_test_cases,
};
KTEST_SUITE(ipc_mach_port_test_suite);

// SPDX-License-Identifier: MIT
/*
 * Suite "traps": every Mach trap from user space, with its results and
 * the rights it leaves (the harness checks the names return).
 */
#include <mach/sync_policy.h>
#include <mach/syscall_sw.h>
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

/*
 * The kernelrpc traps (<mach/mach_traps.h>): each against the MIG routine
 * it stands for (_kernelrpc_<routine>, the stub libmach keeps), which
 * must give the same result for the same arguments, and against the
 * state it leaves (types, references, regions).
 */
#define KRPC_BAD_NAME	0x12345678	/* no name of ours */

/* Bad targets: the trap says MACH_SEND_INVALID_DEST, as the MIG request does. */
static void utest_kernelrpc_targets(struct utest *t)
{
	mach_port_t host = mach_host_self(), p = MACH_PORT_NULL;
	vm_address_t a = 0;

	UT_ASSERT(t, host != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate_trap(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE,
							   &p), MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &p),
		     MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_destroy_trap(KRPC_BAD_NAME, 1),
		     MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_destroy(KRPC_BAD_NAME, 1), MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate_trap(KRPC_BAD_NAME, &a, 4096,
						    KERNELRPC_VM_FLAGS_ANYWHERE),
		     MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate(KRPC_BAD_NAME, &a, 4096, TRUE),
		     MACH_SEND_INVALID_DEST);
	/* The host's port is a kernel object but no task: the wrapper's MIG answer. */
	UT_EXPECT_EQ(t, _kernelrpc_vm_deallocate_trap(host, 0, 4096), MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_deallocate_trap(host, 1), MACH_SEND_INVALID_DEST);
	UT_EXPECT_EQ(t, vm_deallocate(host, 0, 4096), _kernelrpc_vm_deallocate(host, 0, 4096));
	UT_EXPECT(t, vm_deallocate(host, 0, 4096) != KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_destroy(host, KRPC_BAD_NAME),
		     _kernelrpc_mach_port_destroy(host, KRPC_BAD_NAME));
	mach_port_deallocate(mach_task_self(), host);
}

/* allocate, destroy, deallocate, mod_refs, insert_right: trap and MIG alike. */
static void utest_kernelrpc_ports(struct utest *t)
{
	mach_port_t self = mach_task_self(), p = MACH_PORT_NULL, q = MACH_PORT_NULL;
	mach_port_urefs_t refs = 0;
	mach_port_type_t type = 0;
	static const mach_port_right_t rights[] = {
		MACH_PORT_RIGHT_RECEIVE, MACH_PORT_RIGHT_PORT_SET, MACH_PORT_RIGHT_DEAD_NAME,
	};
	static const mach_port_type_t types[] = {
		MACH_PORT_TYPE_RECEIVE, MACH_PORT_TYPE_PORT_SET, MACH_PORT_TYPE_DEAD_NAME,
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		p = MACH_PORT_NULL;
		UT_ASSERT_EQ(t, _kernelrpc_mach_port_allocate_trap(self, rights[i], &p),
			     KERN_SUCCESS);
		UT_EXPECT_EQ(t, mach_port_type(self, p, &type), KERN_SUCCESS);
		UT_EXPECT_EQ(t, type, types[i]);
		UT_EXPECT_EQ(t, _kernelrpc_mach_port_destroy_trap(self, p), KERN_SUCCESS);
		UT_EXPECT_EQ(t, mach_port_type(self, p, &type), KERN_INVALID_NAME);
	}
	/* A right it cannot make, a name it cannot write: nothing is left behind. */
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate_trap(self, 77, &p),
		     _kernelrpc_mach_port_allocate(self, 77, &q));
	UT_EXPECT(t, _kernelrpc_mach_port_allocate_trap(self, 77, &p) != KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate_trap(self, MACH_PORT_RIGHT_RECEIVE, NULL),
		     KERN_INVALID_ADDRESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate_trap(self, MACH_PORT_RIGHT_RECEIVE,
							   (mach_port_name_t *)0xffff800000001000UL),
		     KERN_INVALID_ADDRESS);

	/* Names that are not there, or hold another right. */
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_destroy_trap(self, KRPC_BAD_NAME),
		     _kernelrpc_mach_port_destroy(self, KRPC_BAD_NAME));
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_deallocate_trap(self, KRPC_BAD_NAME),
		     _kernelrpc_mach_port_deallocate(self, KRPC_BAD_NAME));
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_mod_refs_trap(self, KRPC_BAD_NAME,
							   MACH_PORT_RIGHT_SEND, 1),
		     _kernelrpc_mach_port_mod_refs(self, KRPC_BAD_NAME, MACH_PORT_RIGHT_SEND, 1));

	/* A receive right; a send right made under its name; references up and down. */
	UT_ASSERT_EQ(t, _kernelrpc_mach_port_allocate_trap(self, MACH_PORT_RIGHT_RECEIVE, &p),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_deallocate_trap(self, p),
		     _kernelrpc_mach_port_deallocate(self, p));
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p, p, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_mod_refs_trap(self, p, MACH_PORT_RIGHT_SEND, 2),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_get_refs(self, p, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	UT_EXPECT_EQ(t, refs, 3);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_deallocate_trap(self, p), KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_mod_refs(self, p, MACH_PORT_RIGHT_SEND, -1),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_get_refs(self, p, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	UT_EXPECT_EQ(t, refs, 1);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_mod_refs_trap(self, p, MACH_PORT_RIGHT_SEND, -5),
		     _kernelrpc_mach_port_mod_refs(self, p, MACH_PORT_RIGHT_SEND, -5));
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_mod_refs_trap(self, p, 99, 1),
		     _kernelrpc_mach_port_mod_refs(self, p, 99, 1));

	/*
	 * insert_right: a disposition or a name the request's send would
	 * refuse gets mach_msg's error (ipc_kmsg.c); what the routine refuses,
	 * the routine's. The MIG stub's answers to the same are checked by
	 * the ipc suite (utest_ipc_mig_insert_refused).
	 */
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p, p, 0),
		     MACH_SEND_INVALID_TYPE);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p, p, 0x1ff),
		     MACH_SEND_INVALID_TYPE);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p, KRPC_BAD_NAME,
							       MACH_MSG_TYPE_COPY_SEND),
		     MACH_SEND_INVALID_RIGHT);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p, p,
							       MACH_MSG_TYPE_MOVE_SEND_ONCE),
		     MACH_SEND_INVALID_RIGHT);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p, MACH_PORT_NULL,
							       MACH_MSG_TYPE_COPY_SEND),
		     KERN_INVALID_CAPABILITY);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, MACH_PORT_NULL, p,
							       MACH_MSG_TYPE_MAKE_SEND),
		     KERN_INVALID_VALUE);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right_trap(self, p ^ 0x100, p,
							       MACH_MSG_TYPE_MAKE_SEND),
		     KERN_RIGHT_EXISTS);
	UT_EXPECT_EQ(t, mach_port_get_refs(self, p, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	UT_EXPECT_EQ(t, refs, 1);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_destroy_trap(self, p), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(self, p, &type), KERN_INVALID_NAME);
}

/* Port sets: move_member (with its MIG twin), insert_member and extract_member. */
static void utest_kernelrpc_sets(struct utest *t)
{
	mach_port_t self = mach_task_self(), p = MACH_PORT_NULL, set = MACH_PORT_NULL;
	mach_port_name_array_t members;
	mach_msg_type_number_t n = 0;

	UT_ASSERT_EQ(t, mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	UT_ASSERT_EQ(t, mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_move_member_trap(self, p, set), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_get_set_status(self, set, &members, &n), KERN_SUCCESS);
	UT_EXPECT_EQ(t, n, 1);
	if (n) {
		UT_EXPECT_EQ(t, members[0], p);
		vm_deallocate(self, (vm_address_t)members, n * sizeof(members[0]));
	}
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_move_member_trap(self, p, MACH_PORT_NULL),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_move_member_trap(self, KRPC_BAD_NAME, set),
		     _kernelrpc_mach_port_move_member(self, KRPC_BAD_NAME, set));
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_move_member_trap(self, set, p),
		     _kernelrpc_mach_port_move_member(self, set, p));
	UT_EXPECT_EQ(t, mach_port_insert_member(self, p, set), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_member(self, p, set), KERN_ALREADY_IN_SET);
	UT_EXPECT_EQ(t, mach_port_extract_member(self, p, set), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_extract_member(self, p, set), KERN_NOT_IN_SET);
	UT_EXPECT_EQ(t, mach_port_insert_member(self, KRPC_BAD_NAME, set), KERN_INVALID_NAME);
	UT_EXPECT_EQ(t, mach_port_insert_member(KRPC_BAD_NAME, p, set), MACH_SEND_INVALID_DEST);
	mach_port_destroy(self, set);
	mach_port_destroy(self, p);
}

/* The region at or after addr: its start, size and protection. */
static kern_return_t krpc_region(mach_port_t task, vm_address_t addr, vm_address_t *start,
				 vm_size_t *size, vm_prot_t *prot)
{
	vm_prot_t max;
	vm_inherit_t inh;
	boolean_t shared;
	mach_port_t name = MACH_PORT_NULL;
	vm_offset_t off;
	kern_return_t kr;

	*start = addr;
	kr = vm_region(task, start, size, prot, &max, &inh, &shared, &name, &off);
	if (name != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), name);
	return kr;
}

/* vm_allocate, vm_protect, vm_deallocate and vm_map of anonymous memory. */
static void utest_kernelrpc_vm(struct utest *t)
{
	mach_port_t self = mach_task_self();
	vm_address_t a = 0, b, start;
	vm_size_t size;
	vm_prot_t prot;

	UT_ASSERT_EQ(t, _kernelrpc_vm_allocate_trap(self, &a, 3 * 4096,
						    KERNELRPC_VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	UT_ASSERT(t, a != 0 && !(a & 4095));
	((volatile char *)a)[0] = 1;
	((volatile char *)a)[3 * 4096 - 1] = 2;
	UT_EXPECT_EQ(t, krpc_region(self, a, &start, &size, &prot), KERN_SUCCESS);
	UT_EXPECT_EQ(t, start, a);
	UT_EXPECT(t, size >= 3 * 4096);
	/* Fixed over ourselves: no space, by either way. */
	b = a;
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate_trap(self, &b, 4096, 0), KERN_NO_SPACE);
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate(self, &b, 4096, FALSE), KERN_NO_SPACE);
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate_trap(self, &b, 4096, 0x100), KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate_trap(self, NULL, 4096, KERNELRPC_VM_FLAGS_ANYWHERE),
		     KERN_INVALID_ADDRESS);
	b = 1;
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate_trap(self, &b, 0, KERNELRPC_VM_FLAGS_ANYWHERE),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, b, 0);

	UT_EXPECT_EQ(t, _kernelrpc_vm_protect_trap(self, a + 4096, 4096, FALSE, VM_PROT_READ),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, krpc_region(self, a + 4096, &start, &size, &prot), KERN_SUCCESS);
	UT_EXPECT_EQ(t, start, a + 4096);
	UT_EXPECT_EQ(t, prot, VM_PROT_READ);
	UT_EXPECT_EQ(t, _kernelrpc_vm_protect_trap(self, a, 4096, TRUE, VM_PROT_READ),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_vm_protect_trap(self, a, 4096, FALSE, VM_PROT_ALL),
		     _kernelrpc_vm_protect(self, a, 4096, FALSE, VM_PROT_ALL));
	UT_EXPECT(t, _kernelrpc_vm_protect_trap(self, a, 4096, FALSE, VM_PROT_ALL) !=
		  KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_vm_protect_trap(self, 0xffff800000000000UL, 4096, FALSE,
						   VM_PROT_READ),
		     _kernelrpc_vm_protect(self, 0xffff800000000000UL, 4096, FALSE, VM_PROT_READ));
	UT_EXPECT_EQ(t, _kernelrpc_vm_deallocate_trap(self, a, 3 * 4096), KERN_SUCCESS);
	UT_EXPECT(t, krpc_region(self, a, &start, &size, &prot) != KERN_SUCCESS || start != a);
	UT_EXPECT_EQ(t, _kernelrpc_vm_deallocate_trap(self, a, 3 * 4096),
		     _kernelrpc_vm_deallocate(self, a, 3 * 4096));
	UT_EXPECT_EQ(t, _kernelrpc_vm_deallocate_trap(self, 0xffff800000000000UL, 4096),
		     _kernelrpc_vm_deallocate(self, 0xffff800000000000UL, 4096));
	UT_EXPECT_EQ(t, _kernelrpc_vm_deallocate_trap(self, a, -a + 4096),
		     _kernelrpc_vm_deallocate(self, a, -a + 4096));

	/* vm_map of anonymous memory, 64 KiB aligned, read-write. */
	b = 0;
	UT_ASSERT_EQ(t, _kernelrpc_vm_map_trap(self, &b, 2 * 4096, 0xffff,
					       KERNELRPC_VM_FLAGS_ANYWHERE,
					       VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
	UT_EXPECT_EQ(t, b & 0xffff, 0);
	((volatile char *)b)[4096] = 3;
	UT_EXPECT_EQ(t, krpc_region(self, b, &start, &size, &prot), KERN_SUCCESS);
	UT_EXPECT_EQ(t, prot, VM_PROT_READ | VM_PROT_WRITE);
	UT_EXPECT_EQ(t, vm_deallocate(self, b, 2 * 4096), KERN_SUCCESS);
	/* The wrapper: the same by the trap and by MIG (a memory object forces MIG). */
	b = 0;
	UT_EXPECT_EQ(t, vm_map(self, &b, 4096, 0, TRUE, MACH_PORT_NULL, 0, FALSE, VM_PROT_READ,
			       VM_PROT_ALL, VM_INHERIT_COPY), KERN_SUCCESS);
	UT_EXPECT(t, b != 0);
	UT_EXPECT_EQ(t, vm_deallocate(self, b, 4096), KERN_SUCCESS);
}

/* Another task as the target: its space and its map, not ours. */
static void utest_kernelrpc_other_task(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, p = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	vm_address_t a = 0, start;
	vm_size_t size;
	vm_prot_t prot;

	UT_ASSERT_EQ(t, task_create(mach_task_self(), FALSE, &child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate_trap(child, MACH_PORT_RIGHT_RECEIVE, &p),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(child, p, &type), KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_RECEIVE);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_destroy_trap(child, p), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_type(child, p, &type), KERN_INVALID_NAME);
	UT_EXPECT_EQ(t, _kernelrpc_vm_allocate_trap(child, &a, 4096, KERNELRPC_VM_FLAGS_ANYWHERE),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, krpc_region(child, a, &start, &size, &prot), KERN_SUCCESS);
	UT_EXPECT_EQ(t, start, a);
	UT_EXPECT_EQ(t, _kernelrpc_vm_deallocate_trap(child, a, 4096), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	/* A dead task's port: the trap and MIG agree. */
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_allocate_trap(child, MACH_PORT_RIGHT_RECEIVE, &p),
		     _kernelrpc_mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &p));
	mach_port_deallocate(mach_task_self(), child);
}

static const struct utest_case utest_traps_cases[] = {
	UTEST_CASE(utest_reply_port),
	UTEST_CASE(utest_self_traps),
	UTEST_CASE(utest_msg_send_receive),
	UTEST_CASE(utest_msg_rpc),
	UTEST_CASE(utest_msg_timeouts),
	UTEST_CASE(utest_semaphores),
	UTEST_CASE(utest_switch_time),
	UTEST_CASE(utest_kernelrpc_targets),
	UTEST_CASE(utest_kernelrpc_ports),
	UTEST_CASE(utest_kernelrpc_sets),
	UTEST_CASE(utest_kernelrpc_vm),
	UTEST_CASE(utest_kernelrpc_other_task),
	{}
};

const struct utest_suite utest_traps_suite = { "traps", utest_traps_cases, false };

// SPDX-License-Identifier: MIT
/*
 * The usermode suite: user programs (arch/<arch>/kernel/
 * usermode_test_blobs.S) copied into the map of a fresh task and run in
 * user mode by a thread of that task (thread_create_user()). The test
 * reads what they left in their data page once they have ended.
 */
#include <kern/copyio.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <kern/vm_map.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_object.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>
#include <mach/exception_types.h>
#include <mach/message.h>
#include <mach/syscall_sw.h>
#include <mach/thread_status.h>
#include <ktest.h>

#include "sched_test_util.h"
#include "usermode_test_util.h"

/* The runner's table: { number, arg[8], result } from UT_DATA + 8. */
struct ut_call {
	long		number;
	unsigned long	arg[8];
	long		result;
};

struct ut_msg {
	mach_msg_bits_t		bits;
	mach_msg_size_t		size;
	mach_port_name_t	remote, local, voucher;
	mach_msg_id_t		id;
	uint64_t		payload;
};

#define UT_MSG		(UT_DATA + PAGE_SIZE)		/* written by the test */
#define UT_MSG_COMPLEX	(UT_DATA + PAGE_SIZE + 256)
#define UT_TIMEBASE	(UT_DATA + PAGE_SIZE + 512)
#define UT_RCV		(UT_DATA + 2 * PAGE_SIZE)	/* untouched until the kernel's copyout */
#define UT_KERNEL_VA	0xffff800000001000UL

enum {
	C_REPLY0, C_REPLY1, C_RPC, C_SEND_WILD, C_SEND_KERNEL, C_SEND, C_RCV_WILD,
	C_HOST0, C_HOST1, C_TIME0, C_TIME1, C_TIMEBASE, C_TIMEBASE_WILD, C_SWITCH,
	C_SWTCH_PRI, C_SEMAPHORE, C_BAD_NEG, C_BAD_POS, C_TASK_SELF, C_COMPLEX,
	C_TASK_SELF1, C_THREAD_SELF, C_THREAD_SELF1, C_COUNT
};

static void ut_call_set(struct ut_call *c, long nr, unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long a3, unsigned long a4,
			unsigned long a7)
{
	memset(c, 0, sizeof(*c));
	c->number = nr;
	c->arg[0] = a0;
	c->arg[1] = a1;
	c->arg[2] = a2;
	c->arg[3] = a3;
	c->arg[4] = a4;
	c->arg[7] = a7;
	c->result = 0x5a5a;
}

static void ut_calls_fill(struct ut_call *c, mach_port_name_t port)
{
	const mach_msg_option_t rpc = MACH_SEND_MSG | MACH_RCV_MSG;
	const unsigned long sz = sizeof(struct ut_msg);

	ut_call_set(&c[C_REPLY0], MACH_REPLY_PORT_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_REPLY1], MACH_REPLY_PORT_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_RPC], MACH_MSG_OVERWRITE_TRAP, UT_MSG, rpc, sz, 256, port, UT_RCV);
	ut_call_set(&c[C_SEND_WILD], MACH_MSG_TRAP, UT_UNMAPPED, MACH_SEND_MSG, sz, 0, 0, 0);
	ut_call_set(&c[C_SEND_KERNEL], MACH_MSG_TRAP, UT_KERNEL_VA, MACH_SEND_MSG, sz, 0, 0, 0);
	ut_call_set(&c[C_SEND], MACH_MSG_TRAP, UT_MSG, MACH_SEND_MSG, sz, 0, 0, 0);
	ut_call_set(&c[C_RCV_WILD], MACH_MSG_TRAP, UT_UNMAPPED, MACH_RCV_MSG, 0, 256, port, 0);
	ut_call_set(&c[C_HOST0], HOST_SELF_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_HOST1], HOST_SELF_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_TIME0], MACH_ABSOLUTE_TIME_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_TIME1], MACH_ABSOLUTE_TIME_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_TIMEBASE], MACH_TIMEBASE_INFO_TRAP, UT_TIMEBASE, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_TIMEBASE_WILD], MACH_TIMEBASE_INFO_TRAP, UT_UNMAPPED, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_SWITCH], THREAD_SWITCH_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_SWTCH_PRI], SWTCH_PRI_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_SEMAPHORE], SEMAPHORE_SIGNAL_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_BAD_NEG], -1000, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_BAD_POS], 5, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_TASK_SELF], TASK_SELF_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_COMPLEX], MACH_MSG_TRAP, UT_MSG_COMPLEX, MACH_SEND_MSG, sz + 4, 0, 0, 0);
	ut_call_set(&c[C_TASK_SELF1], TASK_SELF_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_THREAD_SELF], THREAD_SELF_TRAP, 0, 0, 0, 0, 0, 0);
	ut_call_set(&c[C_THREAD_SELF1], THREAD_SELF_TRAP, 0, 0, 0, 0, 0, 0);
}

static void usermode_test_traps(struct ktest *t)
{
	static struct ut_call calls[C_COUNT];
	unsigned long bad = mach_trap_bad_count();
	const unsigned long count = C_COUNT;
	struct ut_msg msg = {
		.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
		.size = sizeof(struct ut_msg),
		.id = 4321,
		.payload = 0x1122334455667788ULL,
	};
	struct ut_msg complex = msg, rcv;
	mach_port_type_t type;
	mach_port_name_t port;
	uint32_t timebase[2];
	struct ut_env e;

	ut_setup(t, &e, ut_blob_runner, ut_blob_runner_end);
	KTEST_ASSERT_EQ(t, ipc_port_alloc(e.space, &port), KERN_SUCCESS);
	msg.remote = port;
	complex.remote = port;
	complex.bits |= MACH_MSGH_BITS_COMPLEX;
	ut_calls_fill(calls, port);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, &count, sizeof(count)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA + 8, calls, sizeof(calls)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_MSG, &msg, sizeof(msg)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_MSG_COMPLEX, &complex, sizeof(complex)), KERN_SUCCESS);

	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, ut_read(&e, UT_DATA + 8, calls, sizeof(calls)), KERN_SUCCESS);

	/* mach_reply_port: two new receive rights. */
	KTEST_EXPECT_NE(t, calls[C_REPLY0].result, 0);
	KTEST_EXPECT_NE(t, calls[C_REPLY1].result, calls[C_REPLY0].result);
	KTEST_EXPECT_EQ(t, ipc_mach_port_type(e.space, (mach_port_name_t)calls[C_REPLY0].result,
					      &type), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, type, MACH_PORT_TYPE_RECEIVE);
	/* The RPC to itself, received into a page the kernel's copyout faulted in. */
	KTEST_EXPECT_EQ(t, calls[C_RPC].result, MACH_MSG_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_read(&e, UT_RCV, &rcv, sizeof(rcv)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, rcv.id, 4321);
	KTEST_EXPECT_EQ(t, rcv.payload, 0x1122334455667788ULL);
	KTEST_EXPECT_EQ(t, rcv.local, port);
	/* Bad buffers are errors, not faults; a message received into one is lost. */
	KTEST_EXPECT_EQ(t, calls[C_SEND_WILD].result, MACH_SEND_INVALID_DATA);
	KTEST_EXPECT_EQ(t, calls[C_SEND_KERNEL].result, MACH_SEND_INVALID_DATA);
	KTEST_EXPECT_EQ(t, calls[C_SEND].result, MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, calls[C_RCV_WILD].result, MACH_RCV_INVALID_DATA);
	/* Complex, with more descriptors than the message holds. */
	KTEST_EXPECT_EQ(t, calls[C_COMPLEX].result, MACH_SEND_MSG_TOO_SMALL);
	/* host_self: one name for the host's send rights. */
	KTEST_EXPECT_NE(t, calls[C_HOST0].result, 0);
	KTEST_EXPECT_EQ(t, calls[C_HOST1].result, calls[C_HOST0].result);
	KTEST_EXPECT_GT(t, calls[C_TIME0].result, 0);
	KTEST_EXPECT_GE(t, calls[C_TIME1].result, calls[C_TIME0].result);
	KTEST_EXPECT_EQ(t, calls[C_TIMEBASE].result, KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_read(&e, UT_TIMEBASE, timebase, sizeof(timebase)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, timebase[0], 1U);
	KTEST_EXPECT_EQ(t, timebase[1], 1U);
	KTEST_EXPECT_EQ(t, calls[C_TIMEBASE_WILD].result, KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, calls[C_SWITCH].result, KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, calls[C_SWTCH_PRI].result == 0 || calls[C_SWTCH_PRI].result == 1);
	/* A null name names no semaphore (the sync_sema suite has the rest). */
	KTEST_EXPECT_EQ(t, calls[C_SEMAPHORE].result, KERN_INVALID_ARGUMENT);
	/* task_self, thread_self: send rights, one name per port. */
	KTEST_EXPECT_NE(t, calls[C_TASK_SELF].result, 0);
	KTEST_EXPECT_EQ(t, calls[C_TASK_SELF1].result, calls[C_TASK_SELF].result);
	KTEST_EXPECT_NE(t, calls[C_THREAD_SELF].result, 0);
	KTEST_EXPECT_EQ(t, calls[C_THREAD_SELF1].result, calls[C_THREAD_SELF].result);
	KTEST_EXPECT_NE(t, calls[C_THREAD_SELF].result, calls[C_TASK_SELF].result);
	KTEST_EXPECT_EQ(t, ipc_mach_port_type(e.space, (mach_port_name_t)calls[C_TASK_SELF].result,
					      &type), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, type, MACH_PORT_TYPE_SEND);
	KTEST_EXPECT_EQ(t, ipc_mach_port_type(e.space,
					      (mach_port_name_t)calls[C_THREAD_SELF].result,
					      &type), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, type, MACH_PORT_TYPE_SEND);
	KTEST_EXPECT_EQ(t, calls[C_BAD_NEG].result, KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, calls[C_BAD_POS].result, KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, mach_trap_bad_count(), bad + 2);
	ut_teardown(t, &e);
}

/* A complex message as user space lays it out (XNU's 64-bit descriptors). */
struct ut_cmsg {
	mach_msg_bits_t		bits;
	mach_msg_size_t		size;
	mach_port_name_t	remote, local, voucher;
	mach_msg_id_t		id;
	uint32_t		count;
	uint32_t		port_name, port_pad1;	/* port descriptor, 12 bytes */
	uint16_t		port_pad2;
	uint8_t			port_disp, port_type;
	uint64_t		ool_addr;		/* OOL descriptor, 16 bytes */
	uint8_t			ool_dealloc, ool_copy, ool_pad, ool_type;
	uint32_t		ool_size;
} __attribute__((packed));

#define UT_OOL		(UT_DATA + 3 * PAGE_SIZE)

/* A send right to (space, name)'s port, named in to. */
static mach_port_name_t ut_give_send(struct ktest *t, ipc_space_t space, mach_port_name_t name,
				     ipc_space_t to)
{
	mach_port_name_t out = MACH_PORT_NAME_NULL;
	ipc_port_t port;

	KTEST_EXPECT_EQ(t, ipc_object_copyin(space, name, MACH_MSG_TYPE_MAKE_SEND, &port),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_object_copyout(to, port, MACH_MSG_TYPE_PORT_SEND, false, &out),
			KERN_SUCCESS);
	return out;
}

/*
 * Complex messages between two user tasks: A sends B a send right to a
 * port of its own and a page out of line; OOL addresses that are not
 * A's (a kernel address, an unmapped one) are MACH_SEND_INVALID_MEMORY.
 */
static void usermode_test_complex(struct ktest *t)
{
	static struct ut_call ca[3], cb[1];
	static uint8_t page[PAGE_SIZE], back[PAGE_SIZE];
	const unsigned long na = 3, nb = 1;
	mach_port_name_t port_a, port_b, send_b;
	struct ut_cmsg m = { 0 }, bad, r;
	struct ut_env a, b;
	mach_port_type_t type;
	unsigned int i;

	for (i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 7 + 1);
	ut_setup(t, &b, ut_blob_runner, ut_blob_runner_end);
	ut_setup(t, &a, ut_blob_runner, ut_blob_runner_end);
	a.nested = true;
	KTEST_ASSERT_EQ(t, ipc_port_alloc(b.space, &port_b), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_port_alloc(a.space, &port_a), KERN_SUCCESS);
	send_b = ut_give_send(t, b.space, port_b, a.space);
	KTEST_ASSERT_NE(t, send_b, MACH_PORT_NAME_NULL);

	m.bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.size = sizeof(m);
	m.remote = send_b;
	m.id = 777;
	m.count = 2;
	m.port_name = port_a;
	m.port_disp = MACH_MSG_TYPE_MAKE_SEND;
	m.port_type = MACH_MSG_PORT_DESCRIPTOR;
	m.ool_addr = UT_OOL;
	m.ool_copy = MACH_MSG_VIRTUAL_COPY;
	m.ool_type = MACH_MSG_OOL_DESCRIPTOR;
	m.ool_size = PAGE_SIZE;
	KTEST_ASSERT_EQ(t, ut_write(&a, UT_OOL, page, sizeof(page)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&a, UT_MSG, &m, sizeof(m)), KERN_SUCCESS);
	bad = m;
	bad.ool_addr = UT_KERNEL_VA;
	KTEST_ASSERT_EQ(t, ut_write(&a, UT_MSG + 256, &bad, sizeof(bad)), KERN_SUCCESS);
	bad.ool_addr = UT_UNMAPPED;
	KTEST_ASSERT_EQ(t, ut_write(&a, UT_MSG + 512, &bad, sizeof(bad)), KERN_SUCCESS);
	ut_call_set(&ca[0], MACH_MSG_TRAP, UT_MSG + 256, MACH_SEND_MSG, sizeof(m), 0, 0, 0);
	ut_call_set(&ca[1], MACH_MSG_TRAP, UT_MSG + 512, MACH_SEND_MSG, sizeof(m), 0, 0, 0);
	ut_call_set(&ca[2], MACH_MSG_TRAP, UT_MSG, MACH_SEND_MSG, sizeof(m), 0, 0, 0);
	ut_call_set(&cb[0], MACH_MSG_TRAP, UT_RCV, MACH_RCV_MSG, 0, 256, port_b, 0);
	KTEST_ASSERT_EQ(t, ut_write(&a, UT_DATA, &na, sizeof(na)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&a, UT_DATA + 8, ca, sizeof(ca)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&b, UT_DATA, &nb, sizeof(nb)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&b, UT_DATA + 8, cb, sizeof(cb)), KERN_SUCCESS);

	ut_start(t, &b, -1);
	KTEST_EXPECT_EQ(t, ut_run(t, &a), EXC_BREAKPOINT);
	KTEST_EXPECT_EQ(t, ut_catch(t, &b, UT_TIMEOUT), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, ut_read(&a, UT_DATA + 8, ca, sizeof(ca)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_read(&b, UT_DATA + 8, cb, sizeof(cb)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ca[0].result, MACH_SEND_INVALID_MEMORY);
	KTEST_EXPECT_EQ(t, ca[1].result, MACH_SEND_INVALID_MEMORY);
	KTEST_EXPECT_EQ(t, ca[2].result, MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, cb[0].result, MACH_MSG_SUCCESS);

	/* B has a send right to A's port, and the page at an address of its own. */
	KTEST_ASSERT_EQ(t, ut_read(&b, UT_RCV, &r, sizeof(r)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, r.id, 777);
	KTEST_EXPECT_TRUE(t, r.bits & MACH_MSGH_BITS_COMPLEX);
	KTEST_EXPECT_EQ(t, r.count, 2U);
	KTEST_EXPECT_EQ(t, r.port_type, MACH_MSG_PORT_DESCRIPTOR);
	KTEST_EXPECT_EQ(t, r.port_disp, MACH_MSG_TYPE_PORT_SEND);
	KTEST_EXPECT_EQ(t, ipc_mach_port_type(b.space, r.port_name, &type), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, type, MACH_PORT_TYPE_SEND);
	KTEST_EXPECT_EQ(t, r.ool_type, MACH_MSG_OOL_DESCRIPTOR);
	KTEST_EXPECT_EQ(t, r.ool_size, (uint32_t)PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, r.ool_addr >= b.map->min_offset && r.ool_addr < b.map->max_offset);
	KTEST_ASSERT_EQ(t, ut_read(&b, r.ool_addr, back, sizeof(back)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(back, page, sizeof(page)), 0);
	ut_teardown(t, &a);
	ut_teardown(t, &b);
}

/* The fault program at addr (write: the value to store, 0 reads): its exception. */
static void ut_fault_case(struct ktest *t, unsigned long addr, unsigned long write,
			  long code)
{
	unsigned long d[2] = { addr, write };
	struct ut_env e;

	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BAD_ACCESS);
	KTEST_EXPECT_EQ(t, e.th->uexc_code, code);
	KTEST_EXPECT_EQ(t, (unsigned long)e.th->uexc_subcode, addr);
	ut_teardown(t, &e);
}

static void usermode_test_faults(struct ktest *t)
{
	ut_fault_case(t, UT_UNMAPPED, 0, KERN_INVALID_ADDRESS);
	ut_fault_case(t, UT_UNMAPPED + 8, 1, KERN_INVALID_ADDRESS);
	ut_fault_case(t, UT_CODE + 8, 1, KERN_PROTECTION_FAILURE);	/* read-execute */
	ut_fault_case(t, UT_KERNEL_VA, 0, KERN_INVALID_ADDRESS);
}

/* A user fault the VM resolves: the program reads a fresh zero page and ends. */
static void usermode_test_demand_zero(struct ktest *t)
{
	unsigned long d[2] = { UT_DATA + 3 * PAGE_SIZE, 0 };
	struct ut_env e;

	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BREAKPOINT);
	ut_teardown(t, &e);
}

static void usermode_test_instructions(struct ktest *t)
{
	struct ut_env e;

	ut_setup(t, &e, ut_blob_illegal, ut_blob_illegal_end);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BAD_INSTRUCTION);
	ut_teardown(t, &e);
	ut_setup(t, &e, ut_blob_privileged, ut_blob_privileged_end);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BAD_INSTRUCTION);
	ut_teardown(t, &e);
}

/*
 * The preemption test's observer, a kernel thread on the user thread's
 * CPU at the same base priority (both fresh, so the test thread's own
 * history does not matter): it sleeps and looks at the user loop's
 * count. The count moves while it sleeps, and it looks again only if its
 * wakeup (a timer interrupt taken in user mode) preempts the loop.
 */
struct ut_observer {
	struct ut_env	*env;
	unsigned int	seen;
};

static void ut_observer_fn(void *arg)
{
	struct ut_observer *o = arg;
	unsigned long count, last = 0, stop = 1;
	uint64_t end = arch_clock_ns() + UT_TIMEOUT;

	vm_map_switch(o->env->map);
	while (o->seen < 5 && arch_clock_ns() < end) {
		thread_delay(2 * NSEC_PER_MSEC);
		if (copyin((const void __user *)(UT_DATA + 8), &count, sizeof(count)) != KERN_SUCCESS)
			break;
		if (count != last) {
			o->seen++;
			last = count;
		}
	}
	copyout(&stop, (void __user *)UT_DATA, sizeof(stop));
	vm_map_switch(VM_MAP_NULL);
}

static void usermode_test_preempt(struct ktest *t)
{
	const unsigned long limit = 1UL << 26;
	struct ut_observer o = { 0 };
	struct thread *obs;
	struct ut_env e;
	int cpu = (int)cpu_number();

	ut_setup(t, &e, ut_blob_spin, ut_blob_spin_end);
	o.env = &e;
	/* The loop also ends by itself, so that a lost preemption fails, not hangs. */
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA + 16, &limit, sizeof(limit)), KERN_SUCCESS);
	/*
	 * The observer starts first (it sleeps before its first look), so
	 * that it does not depend on this thread getting the CPU back from
	 * the spinner: after a CPU-heavy suite this thread's priority has
	 * decayed below the spinner's.
	 */
	obs = kernel_thread_create_suspended(ut_observer_fn, &o, BASEPRI_KERNEL, "ut-observer");
	KTEST_ASSERT_NOT_NULL(t, obs);
	KTEST_EXPECT_EQ(t, thread_bind(obs, cpu), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(obs), KERN_SUCCESS);
	ut_start(t, &e, cpu);
	KTEST_EXPECT_TRUE(t, sched_test_join(obs, 2 * UT_TIMEOUT));
	thread_deallocate(obs);
	KTEST_EXPECT_GE(t, o.seen, 5U);
	KTEST_EXPECT_EQ(t, ut_catch(t, &e, 4 * UT_TIMEOUT), EXC_BREAKPOINT);
	ut_teardown(t, &e);
}

/* The kernel may touch user memory only through copyio when SMAP/PAN is on. */
static void usermode_test_protection(struct ktest *t)
{
	unsigned long v = 0, w = 0x77;
	struct ut_env e;
	vm_map_t old;
	kern_return_t kr;

	ut_setup(t, &e, ut_blob_spin, ut_blob_spin_end);
	KTEST_EXPECT_EQ(t, ut_write(&e, UT_DATA, &w, sizeof(w)), KERN_SUCCESS);
	old = vm_map_switch(e.map);
	kr = copyio_probe_kernel_access((const void __user *)UT_DATA, &v);
	vm_map_switch(old);
	ut_teardown(t, &e);
	if (!copyio_user_access_protected()) {
		KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, v, 0x77UL);
		ktest_skip(t, "the CPU has no %s", IS_ENABLED(CONFIG_ARCH_X86_64) ? "SMAP" : "PAN");
	}
	KTEST_EXPECT_EQ(t, kr, KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, v, 0UL);
}

/* copyin/copyout/copyinstr on their own: ranges, faults, strings. */
static void usermode_test_copyio(struct ktest *t)
{
	static const char str[] = "machline";
	char buf[16];
	vm_size_t done = 0;
	struct ut_env e;
	vm_map_t old;

	ut_setup(t, &e, ut_blob_spin, ut_blob_spin_end);
	old = vm_map_switch(e.map);
	/* A string that ends at the last byte before an unmapped page. */
	KTEST_EXPECT_EQ(t, copyout(str, (void __user *)(UT_DATA + UT_DATA_PAGES * PAGE_SIZE -
							 sizeof(str)), sizeof(str)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, copyinstr((const char __user *)(UT_DATA + UT_DATA_PAGES * PAGE_SIZE -
							    sizeof(str)), buf, sizeof(buf), &done),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, done, sizeof(str));
	KTEST_EXPECT_STREQ(t, buf, str);
	KTEST_EXPECT_EQ(t, copyinstr((const char __user *)(UT_DATA + UT_DATA_PAGES * PAGE_SIZE -
							    sizeof(str)), buf, 4, &done), KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, copyinstr((const char __user *)UT_UNMAPPED, buf, sizeof(buf), NULL),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, copyin((const void __user *)UT_UNMAPPED, buf, 8), KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, copyout(buf, (void __user *)UT_CODE, 8), KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, copyin((const void __user *)UT_KERNEL_VA, buf, 8), KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, copyin((const void __user *)(VM_MAX_USER_ADDRESS - 4), buf, 8),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, copyin((const void __user *)~0UL, buf, 2), KERN_INVALID_ADDRESS);
	/* Across the end of a mapped range: part copied, then the error. */
	KTEST_EXPECT_EQ(t, copyin((const void __user *)(UT_DATA + UT_DATA_PAGES * PAGE_SIZE - 4),
				  buf, 8), KERN_INVALID_ADDRESS);
	vm_map_switch(old);
	ut_teardown(t, &e);
}

/*
 * <kern/copyio.h>'s inline user accesses, as the mach_msg fast path makes
 * them (ipc_mach_msg_fast_get_user()/_put_user()): a user-form header
 * (24 bytes) in, word by word, all loaded before any is stored; a header
 * and trailer (24 to 56 bytes, by 4) out. KERN_INVALID_ADDRESS for what
 * the VM cannot resolve.
 */
#define UT_HEADER_SIZE	((vm_size_t)sizeof(mach_msg_user_header_t))
#define UT_HEADER_MAX	(UT_HEADER_SIZE + 32)

static kern_return_t ut_copyin_header(const void __user *uaddr, void *kaddr)
{
	const char __user *u = uaddr;
	uint32_t w[UT_HEADER_SIZE / 4];
	unsigned int i;

	if (!copyio_user_range_ok((unsigned long)uaddr, UT_HEADER_SIZE))
		return KERN_INVALID_ADDRESS;
	user_access_begin();
	for (i = 0; i < UT_HEADER_SIZE / 4; i++)
		unsafe_get_user_u32(w[i], u + 4 * i, 0, fault);
	user_access_end();
	memcpy(kaddr, w, sizeof(w));
	return KERN_SUCCESS;
fault:
	user_access_end();
	return KERN_INVALID_ADDRESS;
}

static kern_return_t ut_copyout_header(const void *kaddr, void __user *uaddr, vm_size_t size)
{
	char __user *u = uaddr;
	vm_size_t i;
	uint32_t w;

	if (!copyio_user_range_ok((unsigned long)uaddr, size))
		return KERN_INVALID_ADDRESS;
	user_access_begin();
	for (i = 0; i < size; i += 4) {
		memcpy(&w, (const char *)kaddr + i, sizeof(w));
		unsafe_put_user_u32(w, u + i, 0, fault);
	}
	user_access_end();
	return KERN_SUCCESS;
fault:
	user_access_end();
	return KERN_INVALID_ADDRESS;
}

/* One header+trailer copyout of size bytes at va; the 8 bytes after it untouched. */
static void ut_copyio_msg_out(struct ktest *t, vm_offset_t va, vm_size_t size)
{
	uint8_t src[UT_HEADER_MAX + 16], back[UT_HEADER_MAX + 16];
	vm_size_t i;

	for (i = 0; i < sizeof(src); i++) {
		src[i] = (uint8_t)(0x40 + i + size);
		back[i] = 0xee;
	}
	KTEST_EXPECT_EQ(t, copyout(back, (void __user *)va, size + 8), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_copyout_header(src, (void __user *)va, size), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, copyin((const void __user *)va, back, size + 8), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(back, src, size), 0);
	for (i = size; i < size + 8; i++)
		KTEST_EXPECT_EQ(t, back[i], 0xee);
}

/* The SMAP/PAN window is closed again after a copy (also after a fault). */
static void ut_copyio_closed(struct ktest *t)
{
	unsigned long v = 0;

	if (copyio_user_access_protected())
		KTEST_EXPECT_EQ(t, copyio_probe_kernel_access((const void __user *)UT_DATA, &v),
				KERN_PROTECTION_FAILURE);
}

/*
 * The copyio exception table is sorted by pc (scripts/sort-extable.py,
 * after the link), which copyio_extable_find()'s search by halves needs:
 * every entry is found at its own place, and a pc beside one, or the
 * probe's load (not a user access), is not.
 */
static void usermode_test_copyio_extable(struct ktest *t)
{
	const struct copyio_extable_entry *e, *start = copyio_extable_start;
	unsigned long n = (unsigned long)(copyio_extable_end - start), unsorted = 0, lost = 0;

	KTEST_ASSERT_GE(t, n, 4UL);
	for (e = start; e < copyio_extable_end; e++) {
		if (e > start && e[-1].pc >= e->pc)
			unsorted++;
		if (copyio_extable_find(e->pc) != e)
			lost++;
		if (copyio_extable_find(e->pc + 1) && (e + 1 == copyio_extable_end ||
							e[1].pc != e->pc + 1))
			lost++;
	}
	KTEST_EXPECT_EQ(t, unsorted, 0UL);
	KTEST_EXPECT_EQ(t, lost, 0UL);
	KTEST_EXPECT_NULL(t, copyio_extable_find(0));
	KTEST_EXPECT_NULL(t, copyio_extable_find(start->pc - 1));
	KTEST_EXPECT_NULL(t, copyio_extable_find(~0UL));
	KTEST_EXPECT_NULL(t, copyio_extable_find((unsigned long)copyio_probe_load));
}

/*
 * The inline user accesses (ut_copyin_header(), ut_copyout_header()): the
 * bytes, every size of a header and trailer, unaligned by 4, a page not
 * yet faulted in, and the refusals (unmapped, read-only, kernel, wrapping, across the end of
 * the user half or of a mapping), with nothing written on a refused
 * copyin.
 */
static void usermode_test_copyio_msg(struct ktest *t)
{
	const vm_offset_t end = UT_DATA + UT_DATA_PAGES * PAGE_SIZE;
	const vm_offset_t fresh = UT_DATA + 3 * PAGE_SIZE;	/* not touched yet */
	uint8_t h[UT_HEADER_SIZE], k[UT_HEADER_SIZE + 8];
	vm_size_t size, i;
	struct ut_env e;
	vm_map_t old;

	ut_setup(t, &e, ut_blob_spin, ut_blob_spin_end);
	old = vm_map_switch(e.map);
	for (i = 0; i < sizeof(k); i++)
		k[i] = (uint8_t)(0x90 + i);
	/* In: the bytes, from a page faulted in by the copy (zeros) and at 4 mod 8. */
	memset(h, 0x11, sizeof(h));
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)fresh, h), KERN_SUCCESS);
	for (i = 0; i < sizeof(h); i++)
		KTEST_EXPECT_EQ(t, h[i], 0);
	KTEST_EXPECT_EQ(t, copyout(k, (void __user *)(UT_DATA + 4), sizeof(k)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)(UT_DATA + 4), h),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(h, k, sizeof(h)), 0);
	/* The last header before an unmapped page, and one across its start. */
	KTEST_EXPECT_EQ(t, copyout(k, (void __user *)(end - sizeof(h)), sizeof(h)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)(end - sizeof(h)), h),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(h, k, sizeof(h)), 0);
	/* Refused: h keeps what it had. */
	memset(h, 0x22, sizeof(h));
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)(end - 8), h),
			KERN_INVALID_ADDRESS);
	ut_copyio_closed(t);
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)UT_UNMAPPED, h),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)UT_KERNEL_VA, h),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)(VM_MAX_USER_ADDRESS - 8), h),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyin_header((const void __user *)(~0UL - 7), h),
			KERN_INVALID_ADDRESS);
	for (i = 0; i < sizeof(h); i++)
		KTEST_EXPECT_EQ(t, h[i], 0x22);

	/* Out: every size of a header and trailer, at 0 and 4 mod 8. */
	for (size = UT_HEADER_SIZE; size <= UT_HEADER_MAX; size += 4) {
		ut_copyio_msg_out(t, UT_DATA + 2 * PAGE_SIZE + 256, size);
		ut_copyio_msg_out(t, UT_DATA + 2 * PAGE_SIZE + 516, size);
	}
	/* Up to the last byte before an unmapped page; one word beyond fails. */
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)(end - 32), 32), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)(end - 28), 32),
			KERN_INVALID_ADDRESS);
	ut_copyio_closed(t);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)(end - 8), 24),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)UT_UNMAPPED, 32),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)UT_CODE, 24),
			KERN_INVALID_ADDRESS);		/* read-only */
	ut_copyio_closed(t);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)UT_KERNEL_VA, 24),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)(VM_MAX_USER_ADDRESS - 24), 28),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, ut_copyout_header(k, (void __user *)(~0UL - 15), 24),
			KERN_INVALID_ADDRESS);
	vm_map_switch(old);
	ut_teardown(t, &e);
}

/*
 * FP/SIMD state across switches and RPCs: two threads of a task, a client
 * and a server, each run ut_blob_fprpc with its own register values and
 * FP control word and check them after each of its traps (the blob's
 * data, struct ut_fprpc). Every RPC switches between them (a handoff
 * when they share a CPU).
 */
struct ut_fprpc {
	uint64_t		seed, traps, mismatches, done;
	uint64_t		opt_first, opt_mid, opt_last;
	uint64_t		rcv_name, role;
	mach_msg_user_header_t	tmpl;
	uint64_t		failed, fpctl, last_failure;
};
_Static_assert(__builtin_offsetof(struct ut_fprpc, tmpl) == 72 &&
	       __builtin_offsetof(struct ut_fprpc, failed) == 96 &&
	       __builtin_offsetof(struct ut_fprpc, last_failure) == 112, "ut_blob_fprpc's D");

#define UT_FP_CLIENT	UT_DATA
#define UT_FP_SERVER	(UT_DATA + 2 * PAGE_SIZE)
#define UT_FP_STACK2	(UT_STACK_TOP - PAGE_SIZE)
/* Rounding toward -inf and +inf: control words that differ from the default and each other. */
#define UT_FPCTL_A	(IS_ENABLED(CONFIG_ARCH_X86_64) ? 0x3f80UL : 0x800000UL)
#define UT_FPCTL_B	(IS_ENABLED(CONFIG_ARCH_X86_64) ? 0x5f80UL : 0x400000UL)

/* The pair set up and started: the client makes n RPCs, the server answers them. */
static void ut_fp_start(struct ktest *t, struct ut_env *e, unsigned long n, int cpu)
{
	const mach_msg_option_t rpc = MACH_SEND_MSG | MACH_RCV_MSG;
	struct ut_fprpc c = { 0 }, sv = { 0 };
	mach_port_name_t port, reply;
	ipc_port_t send = IP_NULL;

	ut_setup(t, e, ut_blob_fprpc, ut_blob_fprpc_end);
	KTEST_ASSERT_EQ(t, ipc_port_alloc(e->space, &port), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_object_copyin(e->space, port, MACH_MSG_TYPE_MAKE_SEND, &send),
			KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_mach_port_insert_right(e->space, port, send,
						      MACH_MSG_TYPE_PORT_SEND), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_port_alloc(e->space, &reply), KERN_SUCCESS);

	c.seed = 0x1111000000000000UL;
	c.traps = n;
	c.opt_first = c.opt_mid = c.opt_last = rpc;
	c.rcv_name = reply;
	c.tmpl.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	c.tmpl.msgh_size = sizeof(c.tmpl);
	c.tmpl.msgh_remote_port = port;
	c.tmpl.msgh_local_port = reply;
	c.tmpl.msgh_id = 1701;
	c.fpctl = UT_FPCTL_A;
	/* The server: a receive, n - 1 answers with the next receive, the last answer. */
	sv.seed = 0x2222000000000000UL;
	sv.traps = n + 1;
	sv.opt_first = MACH_RCV_MSG;
	sv.opt_mid = rpc;
	sv.opt_last = MACH_SEND_MSG;
	sv.rcv_name = port;
	sv.role = 1;
	sv.tmpl.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	sv.tmpl.msgh_size = sizeof(sv.tmpl);
	sv.fpctl = UT_FPCTL_B;
	KTEST_ASSERT_EQ(t, ut_write(e, UT_FP_CLIENT, &c, sizeof(c)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(e, UT_FP_SERVER, &sv, sizeof(sv)), KERN_SUCCESS);

	ut_start_pair(t, e, UT_FP_CLIENT, UT_FP_SERVER, UT_FP_STACK2, cpu);
}

/* Both ended (their int3/brk caught, the threads waiting); each one's counts checked. */
static void ut_fp_finish(struct ktest *t, struct ut_env *e, unsigned long n,
			 unsigned long switches)
{
	struct ut_fprpc c, sv;

	ut_catch_pair(t, e, (mach_msg_timeout_t)(4 * UT_TIMEOUT / NSEC_PER_MSEC));
	KTEST_ASSERT_EQ(t, ut_read(e, UT_FP_CLIENT, &c, sizeof(c)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_read(e, UT_FP_SERVER, &sv, sizeof(sv)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c.done, n);
	KTEST_EXPECT_EQ(t, sv.done, n + 1);
	KTEST_EXPECT_EQ(t, c.failed, 0UL);
	KTEST_EXPECT_EQ(t, sv.failed, 0UL);
	KTEST_EXPECT_EQ(t, c.last_failure, 0UL);
	KTEST_EXPECT_EQ(t, sv.last_failure, 0UL);
	KTEST_EXPECT_EQ(t, c.mismatches, 0UL);
	KTEST_EXPECT_EQ(t, sv.mismatches, 0UL);
	KTEST_EXPECT_GE(t, e->th->switches_in, switches);
	KTEST_EXPECT_GE(t, e->th2->switches_in, switches);
}

/* Two threads bound to this CPU: every switch between them is a save of one and a load of the other. */
static void usermode_test_fp_rpc(struct ktest *t)
{
	const unsigned long n = 5000;
	struct ut_env e;

	ut_fp_start(t, &e, n, (int)cpu_number());
	/* On one CPU each RPC switches: both are switched to once per RPC at least. */
	ut_fp_finish(t, &e, n, n);
	ut_teardown(t, &e);
}

/*
 * The same with the threads moved between CPUs while they run: every
 * 2 ms each is bound to another CPU (the two to different ones every
 * other time), so that a thread's state is saved on one CPU and loaded on
 * another, and RPCs go between CPUs as well as within one. On one CPU it
 * is the first case again, unbound.
 */
static void usermode_test_fp_migrate(struct ktest *t)
{
	const unsigned long n = 20000;
	unsigned int moves = 0, cpus[2] = { 0 }, ncpu = cpu_count;
	uint64_t seen[2] = { 0 }, end;
	struct ut_fprpc c;
	unsigned int i;
	struct ut_env e;

	ut_fp_start(t, &e, n, -1);
	end = arch_clock_ns() + 8 * UT_TIMEOUT;
	while (ncpu > 1 && arch_clock_ns() < end) {
		if (ut_read(&e, UT_FP_CLIENT, &c, sizeof(c)) != KERN_SUCCESS || c.done >= n)
			break;
		thread_bind(e.th, (int)(moves % ncpu));
		thread_bind(e.th2, (int)((moves + (moves & 1)) % ncpu));
		moves++;
		thread_delay(2 * NSEC_PER_MSEC);
		seen[0] |= 1UL << READ_ONCE(e.th->last_cpu);
		seen[1] |= 1UL << READ_ONCE(e.th2->last_cpu);
	}
	thread_bind(e.th, -1);
	thread_bind(e.th2, -1);
	/*
	 * Between CPUs a thread need not leave its CPU at each RPC (its
	 * answer may come before it waits): that they ran is enough here.
	 */
	ut_fp_finish(t, &e, n, 1);
	for (i = 0; i < MAX_CPUS; i++) {
		cpus[0] += (seen[0] >> i) & 1;
		cpus[1] += (seen[1] >> i) & 1;
	}
	printk("usermode_test: fp_migrate: %u moves, client on %u CPUs, server on %u\n", moves,
	       cpus[0], cpus[1]);
	if (ncpu > 1) {
		KTEST_EXPECT_GE(t, cpus[0], 2U);
		KTEST_EXPECT_GE(t, cpus[1], 2U);
	}
	ut_teardown(t, &e);
}

/*
 * thread_set_state on a thread blocked in a Mach trap: the callee-saved
 * registers it changes are the ones the thread has when the trap
 * returns, the others as they were (x86_64's sysretq way out restores
 * only the registers the kernel's C may have changed, unless the state
 * was set: thread_set_state's mark in the frame's error code says so).
 * ut_blob_trapset waits in a receive with a timeout; we change two
 * registers meanwhile.
 */
static void usermode_test_trap_set_state(struct ktest *t)
{
	unsigned long d[14] = { 0 };
	natural_t state[128];
	mach_msg_type_number_t count = ARRAY_SIZE(state);
	mach_port_name_t port;
	struct ut_env e;
	unsigned int i;
#ifdef CONFIG_ARCH_X86_64
	x86_thread_state64_t *s = (void *)state;
	/* D[3..8]: rbx, rbp, r12..r15; rbx and r14 changed. */
	static const unsigned long want[] = { 0x3003, 0x2005, 0x200c, 0x200d, 0x300e, 0x200f };
#else
	arm_thread_state64_t *s = (void *)state;
	static const unsigned long want[] = {
		0x3013, 0x2014, 0x2015, 0x2016, 0x2017, 0x2018, 0x2019, 0x201a, 0x201b, 0x301c,
		0x201d,
	};
#endif

	ut_setup(t, &e, ut_blob_trapset, ut_blob_trapset_end);
	KTEST_ASSERT_EQ(t, ipc_port_alloc(e.space, &port), KERN_SUCCESS);
	d[0] = port;
	d[1] = 2000;					/* ms */
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	ut_start(t, &e, -1);
	/* In its receive. */
	for (i = 0; i < 100 && !(READ_ONCE(e.th->state) & TH_WAIT); i++)
		thread_delay(5 * NSEC_PER_MSEC);
	KTEST_EXPECT_TRUE(t, READ_ONCE(e.th->state) & TH_WAIT);
	KTEST_ASSERT_EQ(t, thread_user_state_get(e.th, MACHINE_THREAD_STATE, state, &count),
			KERN_SUCCESS);
#ifdef CONFIG_ARCH_X86_64
	KTEST_EXPECT_EQ(t, s->rbx, 0x2003UL);
	s->rbx = 0x3003;
	s->r14 = 0x300e;
#else
	KTEST_EXPECT_EQ(t, s->x[19], 0x2013UL);
	s->x[19] = 0x3013;
	s->x[28] = 0x301c;
#endif
	KTEST_EXPECT_EQ(t, thread_user_state_set(e.th, MACHINE_THREAD_STATE, state, count),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_catch(t, &e, 4 * UT_TIMEOUT), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, ut_read(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, d[2] == MACH_RCV_TIMED_OUT || d[2] == MACH_RCV_INTERRUPTED);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KTEST_EXPECT_EQ(t, d[3 + i], want[i]);
	ut_teardown(t, &e);
}

/*
 * user_ktest_trap() (USER_KTEST_TRAP, <kern/usermode.h>): wait, with a
 * continuation, for usermode_test_frame_continuation to wake us; then
 * give user mode arg + 1 (or KERN_ABORTED, interrupted).
 */
static int ut_cont_event;

static void __noreturn ut_cont_continue(void *arg, wait_result_t result)
{
	thread_syscall_return(result == THREAD_AWAKENED ? (long)arg + 1 : KERN_ABORTED);
}

long user_ktest_trap(unsigned long arg)
{
	assert_wait(&ut_cont_event, THREAD_INTERRUPTIBLE);
	thread_block_parameter(ut_cont_continue, (void *)arg);
	return KERN_FAILURE;	/* not reached: the continuation goes back to user mode */
}

UT_BLOB(regs_cont);

/*
 * A user thread blocked in a trap with a continuation: its kernel stack
 * given back while it waits, its user registers are still there, in the
 * thread (user_frame(), not on a kernel stack), for thread_get_state, and
 * it goes back to user mode from the continuation on a fresh stack with
 * every register as it left them but the trap's result. ut_blob_regs_cont
 * loads 0x1000 + n into register n (x86_64 rdi 0x1007, arm64 x0 the data
 * page: the argument), makes the trap, then stops at a breakpoint. Fails
 * with the frame at the top of the kernel stack (lost with the stack).
 */
static void usermode_test_frame_continuation(struct ktest *t)
{
	natural_t state[128];
	mach_msg_type_number_t count = ARRAY_SIZE(state);
	struct arch_regs *frame;
	struct ut_env e;
	unsigned int i, n;
#ifdef CONFIG_ARCH_X86_64
	const x86_thread_state64_t *s = (const void *)state;
	static const unsigned int nr[] = { 2, 3, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15 };
	uint64_t got[ARRAY_SIZE(nr)];
#define UT_STATE_SP(s)	((s)->rsp)
#else
	const arm_thread_state64_t *s = (const void *)state;
#define UT_STATE_SP(s)	((s)->sp)
#endif

	ut_setup(t, &e, ut_blob_regs_cont, ut_blob_regs_cont_end);
	ut_start(t, &e, -1);
	for (i = 0; i < 400 && !((READ_ONCE(e.th->state) & TH_WAIT) && !READ_ONCE(e.th->kstack));
	     i++)
		thread_delay(5 * NSEC_PER_MSEC);
	/* Waiting, its stack given back: the frame is in the thread. */
	KTEST_EXPECT_TRUE(t, READ_ONCE(e.th->state) & TH_WAIT);
	KTEST_EXPECT_TRUE(t, READ_ONCE(e.th->kstack) == NULL);
	frame = user_frame(e.th);
	KTEST_EXPECT_TRUE(t, e.th->user_state);
	KTEST_EXPECT_TRUE(t, (char *)frame >= (char *)e.th &&
			     (char *)(frame + 1) <= (char *)(e.th + 1));
	/* What the user set before the trap. */
	KTEST_ASSERT_EQ(t, thread_user_state_get(e.th, MACHINE_THREAD_STATE, state, &count),
			KERN_SUCCESS);
#ifdef CONFIG_ARCH_X86_64
	KTEST_EXPECT_EQ(t, s->rax, (uint64_t)USER_KTEST_TRAP);
	KTEST_EXPECT_EQ(t, s->rdi, 0x1007UL);
	KTEST_EXPECT_EQ(t, s->r15, 0x100fUL);
#else
	KTEST_EXPECT_EQ(t, s->x[16], (uint64_t)USER_KTEST_TRAP);
	KTEST_EXPECT_EQ(t, s->x[0], (uint64_t)UT_DATA);
	KTEST_EXPECT_EQ(t, s->x[28], 0x101cUL);
#endif
	KTEST_EXPECT_EQ(t, UT_STATE_SP(s), (uint64_t)UT_STACK_TOP);
	thread_wakeup(&ut_cont_event);
	/* Back in user mode from the continuation: every register as it was, and the result. */
	KTEST_EXPECT_EQ(t, ut_catch(t, &e, UT_TIMEOUT), EXC_BREAKPOINT);
	count = ARRAY_SIZE(state);
	KTEST_ASSERT_EQ(t, thread_user_state_get(e.th, MACHINE_THREAD_STATE, state, &count),
			KERN_SUCCESS);
#ifdef CONFIG_ARCH_X86_64
	got[0] = s->rdx; got[1] = s->rbx; got[2] = s->rbp; got[3] = s->rsi;
	got[4] = s->rdi; got[5] = s->r8; got[6] = s->r9; got[7] = s->r10;
	got[8] = s->r12; got[9] = s->r13; got[10] = s->r14; got[11] = s->r15;
	KTEST_EXPECT_EQ(t, s->rax, 0x1008UL);
	for (n = 0; n < ARRAY_SIZE(nr); n++)
		KTEST_EXPECT_EQ(t, got[n], 0x1000UL + nr[n]);
#else
	KTEST_EXPECT_EQ(t, s->x[0], (uint64_t)UT_DATA + 1);
	for (n = 1; n < 29; n++)
		if (n != 16)
			KTEST_EXPECT_EQ(t, s->x[n], 0x1000UL + n);
	KTEST_EXPECT_EQ(t, s->fp, 0x101dUL);
	KTEST_EXPECT_EQ(t, s->lr, 0x101eUL);
#endif
	KTEST_EXPECT_EQ(t, UT_STATE_SP(s), (uint64_t)UT_STACK_TOP);
	ut_teardown(t, &e);
#undef UT_STATE_SP
}

static struct ktest_case usermode_test_cases[] = {
	KTEST_CASE(usermode_test_copyio),
	KTEST_CASE(usermode_test_copyio_msg),
	KTEST_CASE(usermode_test_copyio_extable),
	KTEST_CASE(usermode_test_protection),
	KTEST_CASE(usermode_test_traps),
	KTEST_CASE(usermode_test_complex),
	KTEST_CASE(usermode_test_faults),
	KTEST_CASE(usermode_test_demand_zero),
	KTEST_CASE(usermode_test_instructions),
	KTEST_CASE(usermode_test_preempt),
	KTEST_CASE(usermode_test_fp_rpc),
	KTEST_CASE(usermode_test_fp_migrate),
	KTEST_CASE(usermode_test_trap_set_state),
	KTEST_CASE(usermode_test_frame_continuation),
	{}
};

static struct ktest_suite usermode_test_suite = {
	.name = "usermode",
	.test_cases = usermode_test_cases,
};
KTEST_SUITE(usermode_test_suite);

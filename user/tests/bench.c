// SPDX-License-Identifier: MIT
/*
 * The user benchmarks (ktest bench, started by the kernel's kbench run:
 * kernel/user_bench.c). Each times its loop with mach_absolute_time()
 * (nanoseconds of guest time: guest instructions under -icount shift=0)
 * after a warm-up, and the architecture's cycle counter around the same
 * loop (bench_cycles()), and prints a line as the kernel's kbench does:
 *
 *	kbench: u_rpc_threads iters=20000 ns/op=612.3 cycles/op=612.3
 *
 * The loop's own instructions and one mach_absolute_time() trap per run
 * are in the figures. Documentation/dev-tools/bench.rst.
 */
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include "utest.h"

#define BENCH_PORT_NAME	0x1709		/* the server's port, in a child task */

struct bench {
	const char	*name;
	unsigned long	iters;
	/* Set up, run iters times (timed by the caller), tear down. */
	int		(*setup)(void);
	void		(*run)(unsigned long iters);
	void		(*teardown)(void);
};

/*
 * The cycle counter the kernel's kbench reads (arch_cycle_counter()),
 * from user mode: the TSC (CR4.TSD is off) or CNTVCT_EL0 (the kernel
 * sets CNTKCTL_EL1.EL0VCTEN on each CPU).
 */
static inline uint64_t bench_cycles(void)
{
#ifdef __x86_64__
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
#else
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
#endif
}

/* total / iters in tenths. */
static uint64_t bench_tenths(uint64_t total, unsigned long iters)
{
	return (total * 10 + iters / 2) / iters;
}

/* One printf: the line must reach the console whole. */
static void bench_print(const char *name, unsigned long iters, uint64_t ns, uint64_t cycles)
{
	uint64_t nt = bench_tenths(ns, iters), ct = bench_tenths(cycles, iters);

	printf("kbench: %s iters=%lu ns/op=%lu.%lu cycles/op=%lu.%lu\n", name, iters,
	       (unsigned long)(nt / 10), (unsigned long)(nt % 10),
	       (unsigned long)(ct / 10), (unsigned long)(ct % 10));
}

/* -- null trap ------------------------------------------------------------ */

static void bench_null_trap(unsigned long n)
{
	while (n--)
		mach_absolute_time();
}

/* -- port allocate + destroy ---------------------------------------------- */

static void bench_port(unsigned long n)
{
	mach_port_t p;

	while (n--) {
		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p);
		mach_port_destroy(mach_task_self(), p);
	}
}

/* -- vm_allocate + one byte written + vm_deallocate (issue 6) ------------ */

static void bench_vm(unsigned long n)
{
	vm_address_t a;

	while (n--) {
		a = 0;
		vm_allocate(mach_task_self(), &a, 4096, TRUE);
		*(volatile char *)a = 1;
		vm_deallocate(mach_task_self(), a, 4096);
	}
}

/* -- a copy-on-write write fault (issue 6) -------------------------------- */

/*
 * vm_read() of a range of ours whose pages are all written: the kernel
 * maps the copy in copy-on-write (vm_map_copyin, copyout), and each write
 * to a page of it faults and copies the page out of the source's object.
 * (vm_copy() would not do: it copies the bytes into the destination.)
 * Pages for the warm-up and the timed run, one write each.
 */
#define BENCH_COW_ITERS	2000
#define BENCH_COW_SIZE	((BENCH_COW_ITERS + BENCH_COW_ITERS / 10 + 1) * 4096UL)

static vm_address_t bench_cow_src, bench_cow_copy, bench_cow_next;

static int bench_cow_setup(void)
{
	mach_msg_type_number_t cnt = 0;
	pointer_t data = 0;
	vm_address_t a;

	bench_cow_src = 0;
	if (vm_allocate(mach_task_self(), &bench_cow_src, BENCH_COW_SIZE, TRUE) != KERN_SUCCESS)
		return -1;
	for (a = bench_cow_src; a < bench_cow_src + BENCH_COW_SIZE; a += 4096)
		*(volatile char *)a = 1;
	if (vm_read(mach_task_self(), bench_cow_src, BENCH_COW_SIZE, &data, &cnt) !=
	    KERN_SUCCESS || cnt != BENCH_COW_SIZE)
		return -1;
	bench_cow_copy = bench_cow_next = (vm_address_t)data;
	return 0;
}

static void bench_cow(unsigned long n)
{
	while (n--) {
		*(volatile char *)bench_cow_next = 2;
		bench_cow_next += 4096;
	}
}

static void bench_cow_teardown(void)
{
	vm_deallocate(mach_task_self(), bench_cow_copy, BENCH_COW_SIZE);
	vm_deallocate(mach_task_self(), bench_cow_src, BENCH_COW_SIZE);
}

/* -- null RPC: a server thread (of this task or a child's) ---------------- */

static mach_port_t bench_port_name, bench_reply;
static mach_port_t bench_child, bench_thread;
static vm_address_t bench_stack;

/* The server: receive, then answer and receive the next in one trap. Traps only. */
static void bench_server(unsigned long port)
{
	struct utest_msg m;
	mach_msg_option_t opt = MACH_RCV_MSG;

	memset(&m, 0, sizeof(m));
	for (;;) {
		if (mach_msg_trap(&m.head, opt, m.head.msgh_size, sizeof(m), port, 0, 0) !=
		    MACH_MSG_SUCCESS) {
			opt = MACH_RCV_MSG;
			continue;
		}
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m.head.msgh_size = sizeof(m.head);
		m.head.msgh_local_port = MACH_PORT_NULL;
		opt = MACH_SEND_MSG | MACH_RCV_MSG;
	}
}

static void bench_rpc(unsigned long n)
{
	struct utest_msg m;

	while (n--) {
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.head.msgh_size = sizeof(m.head);
		m.head.msgh_remote_port = bench_port_name;
		m.head.msgh_local_port = bench_reply;
		m.head.msgh_id = 1;
		mach_msg_trap(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.head), sizeof(m),
			      bench_reply, 0, 0);
	}
}

/*
 * Both sides of the RPC at one fixed priority (timesharing off), as the
 * kernel's msg_rpc_null: with timesharing, the client (this thread, which
 * ran the benchmarks before) has decayed and its fresh server has not, and
 * every handoff would move the CPU's priority: the figure would be the
 * history's, not the path's. Documentation/dev-tools/bench.rst.
 */
static kern_return_t bench_set_timeshare(mach_port_t th, boolean_t timeshare)
{
	thread_extended_policy_data_t ext = { timeshare };

	return thread_policy_set(th, THREAD_EXTENDED_POLICY, (thread_policy_t)&ext,
				 THREAD_EXTENDED_POLICY_COUNT);
}

static int bench_rpc_setup(bool other_task)
{
	mach_port_t task = mach_task_self();
	mach_port_t self;
	kern_return_t kr;

	bench_port_name = utest_port();
	bench_reply = mach_reply_port();
	bench_child = MACH_PORT_NULL;
	if (other_task) {
		if (task_create(mach_task_self(), TRUE, &bench_child) != KERN_SUCCESS)
			return -1;
		task = bench_child;
		if (mach_port_insert_right(task, BENCH_PORT_NAME, bench_port_name,
					   MACH_MSG_TYPE_MOVE_RECEIVE) != KERN_SUCCESS)
			return -1;
	}
	if (utest_thread_start(task, bench_server, other_task ? BENCH_PORT_NAME :
			       bench_port_name, &bench_thread, &bench_stack) != KERN_SUCCESS)
		return -1;
	/* Ours last: a failure leaves this thread as the other benchmarks want it. */
	if (bench_set_timeshare(bench_thread, FALSE) != KERN_SUCCESS)
		return -1;
	self = mach_thread_self();
	kr = bench_set_timeshare(self, FALSE);
	mach_port_deallocate(mach_task_self(), self);
	return kr == KERN_SUCCESS ? 0 : -1;
}

static int bench_rpc_threads_setup(void)
{
	return bench_rpc_setup(false);
}

static int bench_rpc_tasks_setup(void)
{
	return bench_rpc_setup(true);
}

static void bench_rpc_teardown(void)
{
	mach_port_t self = mach_thread_self();

	bench_set_timeshare(self, TRUE);
	mach_port_deallocate(mach_task_self(), self);
	if (bench_child) {
		task_terminate(bench_child);
		mach_port_deallocate(mach_task_self(), bench_child);
		mach_port_deallocate(mach_task_self(), bench_port_name);
	} else {
		thread_terminate(bench_thread);
		vm_deallocate(mach_task_self(), bench_stack, UTEST_STACK_SIZE);
		utest_port_destroy(bench_port_name);
	}
	mach_port_deallocate(mach_task_self(), bench_thread);
	mach_port_mod_refs(mach_task_self(), bench_reply, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* -- exception round trip to a handler task ------------------------------ */

static mach_port_t bench_exc_port;
static unsigned long bench_exc_count;
static mach_port_t bench_exc_thread_name, bench_exc_task_name;

/* The child: a breakpoint, again and again. */
static void bench_brk_loop(unsigned long arg)
{
	(void)arg;
	for (;;) {
#if defined(__x86_64__)
		asm volatile("int3");
#else
		asm volatile("brk #0");
#endif
	}
}

/*
 * One round trip: the exception message, the thread's state read and
 * written (the pc stepped past the breakpoint on arm64; x86_64's int3 has
 * stepped it already), KERN_SUCCESS answered.
 */
static void bench_exc(unsigned long n)
{
	struct utest_exc_raise_msg m;
#if defined(__x86_64__)
	x86_thread_state64_t st;
#else
	arm_thread_state64_t st;
#endif
	mach_msg_type_number_t cnt;

	while (n--) {
		if (mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
				  bench_exc_port, 2000, 0) != MACH_MSG_SUCCESS)
			return;
		bench_exc_count++;
		bench_exc_thread_name = m.thread.name;
		bench_exc_task_name = m.task.name;
		cnt = MACHINE_THREAD_STATE_COUNT;
		thread_get_state(m.thread.name, MACHINE_THREAD_STATE, (thread_state_t)&st, &cnt);
#if !defined(__x86_64__)
		st.pc += 4;
#endif
		thread_set_state(m.thread.name, MACHINE_THREAD_STATE, (thread_state_t)&st, cnt);
		utest_exc_reply(&m.head, KERN_SUCCESS);
	}
}

static int bench_exc_setup(void)
{
	bench_exc_port = utest_port();
	bench_exc_count = 0;
	if (task_create(mach_task_self(), TRUE, &bench_child) != KERN_SUCCESS ||
	    task_set_special_port(bench_child, TASK_EXCEPTION_PORT, bench_exc_port) !=
	    KERN_SUCCESS)
		return -1;
	return utest_thread_start(bench_child, bench_brk_loop, 0, &bench_thread, &bench_stack) ==
	       KERN_SUCCESS ? 0 : -1;
}

static void bench_exc_teardown(void)
{
	task_terminate(bench_child);
	/* Each message brought a send right (a user reference) to both. */
	if (bench_exc_count) {
		mach_port_mod_refs(mach_task_self(), bench_exc_thread_name, MACH_PORT_RIGHT_SEND,
				   -(mach_port_delta_t)bench_exc_count);
		mach_port_mod_refs(mach_task_self(), bench_exc_task_name, MACH_PORT_RIGHT_SEND,
				   -(mach_port_delta_t)bench_exc_count);
	}
	mach_port_deallocate(mach_task_self(), bench_thread);
	mach_port_deallocate(mach_task_self(), bench_child);
	utest_port_destroy(bench_exc_port);
	bench_child = MACH_PORT_NULL;
}

/* -- task and thread life cycles ------------------------------------------ */

static void bench_task(unsigned long n)
{
	mach_port_t child;

	while (n--) {
		if (task_create(mach_task_self(), FALSE, &child) != KERN_SUCCESS)
			return;
		task_terminate(child);
		mach_port_deallocate(mach_task_self(), child);
	}
}

static void bench_thread_run(unsigned long n)
{
	mach_port_t th;

	while (n--) {
		if (thread_create(mach_task_self(), &th) != KERN_SUCCESS)
			return;
		thread_terminate(th);
		mach_port_deallocate(mach_task_self(), th);
	}
}

static const struct bench benches[] = {
	{ "u_null_trap", 100000, NULL, bench_null_trap, NULL },
	{ "u_port_alloc_destroy", 5000, NULL, bench_port, NULL },
	{ "u_vm_alloc_touch_free", 5000, NULL, bench_vm, NULL },
	{ "u_rpc_threads", 10000, bench_rpc_threads_setup, bench_rpc, bench_rpc_teardown },
	{ "u_rpc_tasks", 10000, bench_rpc_tasks_setup, bench_rpc, bench_rpc_teardown },
	{ "u_exception_rt", 2000, bench_exc_setup, bench_exc, bench_exc_teardown },
	{ "u_task_create_terminate", 300, NULL, bench_task, NULL },
	{ "u_thread_create_terminate", 1000, NULL, bench_thread_run, NULL },
	{ "u_vm_fault_cow", BENCH_COW_ITERS, bench_cow_setup, bench_cow, bench_cow_teardown },
	{ NULL, 0, NULL, NULL, NULL }
};

/*
 * Every benchmark with its own count; or with only, that one alone, iters
 * times if iters is not 0 (the kernel's kbench.user= and kbench.iters=,
 * for scripts/kbench-profile).
 */
int utest_bench(const char *only, unsigned long iters)
{
	const struct bench *b;
	unsigned long n;
	uint64_t t0, t1, c0, c1;
	int bad = 0;

	for (b = benches; b->name; b++) {
		if (only && strcmp(only, b->name))
			continue;
		n = only && iters ? iters : b->iters;
		if (b->setup && b->setup()) {
			printf("kbench: %s setup failed\n", b->name);
			bad++;
			continue;
		}
		b->run(n / 10 + 1);
		c0 = bench_cycles();
		t0 = mach_absolute_time();
		b->run(n);
		t1 = mach_absolute_time();
		c1 = bench_cycles();
		if (b->teardown)
			b->teardown();
		bench_print(b->name, n, t1 - t0, c1 - c0);
	}
	return bad;
}

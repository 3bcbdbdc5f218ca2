// SPDX-License-Identifier: MIT
/*
 * The exception suite: user thread state (thread_get_state /
 * thread_set_state, <kern/usermode.h>), FP/SIMD registers and the thread
 * pointer kept per thread, and exceptions delivered as exc.defs messages
 * (kernel/exception.c) to handlers that fix the state, pass the
 * exception on or are missing. The user programs are the usermode
 * suite's (arch/<arch>/kernel/usermode_test_blobs.S).
 */
#include <kern/exception.h>
#include <kern/string.h>
#include <kernel/mig/mig_convert.h>
#include <ipc/mach_msg.h>
#include <mach/thread_status.h>

#include "task_test_util.h"
#include "usermode_test_util.h"

#define XT_DATA_A	(UT_DATA + 2 * PAGE_SIZE)	/* a second thread's data */
#define XT_DATA_B	(UT_DATA + 3 * PAGE_SIZE)
#define XT_STACK_B	(UT_STACK_TOP - PAGE_SIZE)
#define XT_MS		5000				/* a handler's wait */

#ifdef CONFIG_ARCH_X86_64
#define XT_FAULT_LEN	3	/* movq (%rax), %rax in ut_blob_fault */
#define XT_BRK_AFTER	1	/* int3 reports the next pc */
#else
#define XT_FAULT_LEN	4	/* ldr x1, [x1] */
#define XT_BRK_AFTER	0	/* brk reports its own pc */
#endif

/* The machine's state flavor as pc, sp, a marker register and the first argument. */
struct xt_regs {
	natural_t	raw[THREAD_STATE_MAX];
};

static kern_return_t xt_get(thread_t th, struct xt_regs *r)
{
	mach_msg_type_number_t n = THREAD_STATE_MAX;

	memset(r, 0, sizeof(*r));
	return thread_user_state_get(th, MACHINE_THREAD_STATE, r->raw, &n);
}

static kern_return_t xt_set(thread_t th, const struct xt_regs *r)
{
	return thread_user_state_set(th, MACHINE_THREAD_STATE, r->raw,
				     MACHINE_THREAD_STATE_COUNT);
}

#ifdef CONFIG_ARCH_X86_64
#define XT_STATE(r)	((x86_thread_state64_t *)(void *)(r)->raw)
#define XT_PC(r)	XT_STATE(r)->rip
#define XT_SP(r)	XT_STATE(r)->rsp
#define XT_ARG(r)	XT_STATE(r)->rdi
#define XT_MARK(r)	XT_STATE(r)->rax	/* what ut_blob_fault loaded */
#define XT_KEEP(r)	XT_STATE(r)->r12	/* untouched by ut_blob_fault */
#else
#define XT_STATE(r)	((arm_thread_state64_t *)(void *)(r)->raw)
#define XT_PC(r)	XT_STATE(r)->pc
#define XT_SP(r)	XT_STATE(r)->sp
#define XT_ARG(r)	XT_STATE(r)->x[0]
#define XT_MARK(r)	XT_STATE(r)->x[1]
#define XT_KEEP(r)	XT_STATE(r)->x[12]
#endif

/* What the machine refuses or cleans up in a state from user space. */
static void xt_state_sanitized(struct ktest *t, thread_t th)
{
	struct xt_regs r, back;

	KTEST_ASSERT_EQ(t, xt_get(th, &r), KERN_SUCCESS);
#ifdef CONFIG_ARCH_X86_64
	XT_STATE(&r)->cs = 0x08;			/* the kernel's code segment */
	XT_STATE(&r)->rflags = 0x3000 | 0x4000 | 0x1;	/* IOPL 3, NT, CF */
	KTEST_EXPECT_EQ(t, xt_set(th, &r), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, xt_get(th, &back), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, XT_STATE(&back)->cs & 3, 3UL);	/* ring 3 */
	KTEST_EXPECT_EQ(t, XT_STATE(&back)->rflags & 0x7000, 0UL);
	KTEST_EXPECT_EQ(t, XT_STATE(&back)->rflags & 0x201, 0x201UL);	/* IF, and CF kept */
	XT_PC(&r) = 0x0000800000000000UL;		/* not canonical */
#else
	XT_STATE(&r)->cpsr = 0x80000000 | 0x3c5;	/* N, and EL1h with DAIF masked */
	KTEST_EXPECT_EQ(t, xt_set(th, &r), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, xt_get(th, &back), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, XT_STATE(&back)->cpsr, 0x80000000U);
	XT_PC(&r) = 0xffff000000001000UL;		/* a kernel address */
#endif
	KTEST_EXPECT_EQ(t, xt_set(th, &r), KERN_INVALID_ARGUMENT);
	KTEST_ASSERT_EQ(t, xt_get(th, &back), KERN_SUCCESS);
	KTEST_EXPECT_NE(t, XT_PC(&back), XT_PC(&r));
}

#ifdef CONFIG_ARCH_X86_64
/*
 * The MXCSR bits this CPU takes, from its own FXSAVE image (MXCSR_MASK at
 * byte 28; 0 there means the architectural default, 0xffbf, without DAZ).
 */
static uint32_t xt_cpu_mxcsr_mask(void)
{
	uint8_t image[512] __aligned(16);
	uint32_t mask;

	memset(image, 0, sizeof(image));
	__asm__ __volatile__("fxsave64 %0" : "=m"(image));
	memcpy(&mask, image + 28, sizeof(mask));
	return mask ? mask : 0xffbfU;
}
#endif

/* The FP/SIMD flavor: v0/xmm0 round trip; reserved bits refused quietly. */
static void xt_fp_state(struct ktest *t, thread_t th)
{
	natural_t buf[THREAD_STATE_MAX], back[THREAD_STATE_MAX];
	mach_msg_type_number_t n = THREAD_STATE_MAX;
#ifdef CONFIG_ARCH_X86_64
	x86_float_state64_t *f = (void *)buf, *g = (void *)back;
	const int flavor = x86_FLOAT_STATE64, count = x86_FLOAT_STATE64_COUNT;
#else
	arm_neon_state64_t *f = (void *)buf, *g = (void *)back;
	const int flavor = ARM_NEON_STATE64, count = ARM_NEON_STATE64_COUNT;
#endif

	KTEST_ASSERT_EQ(t, thread_user_state_get(th, flavor, buf, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, (mach_msg_type_number_t)count);
#ifdef CONFIG_ARCH_X86_64
	KTEST_EXPECT_EQ(t, f->fpu_fcw, 0x37f);		/* a fresh thread's */
	KTEST_EXPECT_EQ(t, f->fpu_mxcsr, 0x1f80U);
	memset(f->fpu_xmm[0], 0x5a, 16);
	f->fpu_mxcsr = 0xffffffffU;
#else
	f->v[0][0] = 0x0123456789abcdefULL;
	f->v[0][1] = 0xfedcba9876543210ULL;
	f->fpcr = 0x00c00000;				/* round towards zero */
#endif
	KTEST_EXPECT_EQ(t, thread_user_state_set(th, flavor, buf, count - 1),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, thread_user_state_set(th, flavor, buf, count), KERN_SUCCESS);
	n = THREAD_STATE_MAX;
	KTEST_ASSERT_EQ(t, thread_user_state_get(th, flavor, back, &n), KERN_SUCCESS);
#ifdef CONFIG_ARCH_X86_64
	KTEST_EXPECT_EQ(t, memcmp(g->fpu_xmm[0], f->fpu_xmm[0], 16), 0);
	/* Reserved bits cleared: exactly the CPU's MXCSR_MASK is kept. */
	KTEST_EXPECT_EQ(t, g->fpu_mxcsr, xt_cpu_mxcsr_mask());
	/* Back to the defaults, for the program that runs next. */
	g->fpu_mxcsr = 0x1f80;
	KTEST_EXPECT_EQ(t, thread_user_state_set(th, flavor, back, count), KERN_SUCCESS);
#else
	KTEST_EXPECT_EQ(t, g->v[0][0], f->v[0][0]);
	KTEST_EXPECT_EQ(t, g->v[0][1], f->v[0][1]);
	KTEST_EXPECT_EQ(t, g->fpcr, f->fpcr);
#endif
}

/*
 * thread_create (no state), then thread_get_state / thread_set_state
 * round trips and refusals, then thread_resume: the thread runs the state
 * it was given.
 */
static void exception_test_state(struct ktest *t)
{
	unsigned long d[2] = { UT_DATA + 3 * PAGE_SIZE, 0 };	/* ut_blob_fault: a read */
	natural_t buf[THREAD_STATE_MAX];
	mach_msg_type_number_t n;
	struct xt_regs r, back;
	struct ut_env e;
	unsigned int i;

	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, thread_create_user_nostate(e.task, &e.th), KERN_SUCCESS);

	/* The flavors; a bad flavor; a short count. */
	n = THREAD_STATE_MAX;
	KTEST_EXPECT_EQ(t, thread_user_state_get(e.th, THREAD_STATE_FLAVOR_LIST, buf, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, 3U);
	KTEST_EXPECT_EQ(t, buf[0], (natural_t)MACHINE_THREAD_STATE);
	n = THREAD_STATE_MAX;
	KTEST_EXPECT_EQ(t, thread_user_state_get(e.th, 1234, buf, &n), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, thread_user_state_set(e.th, 1234, buf, THREAD_STATE_MAX),
			KERN_INVALID_ARGUMENT);
	n = MACHINE_THREAD_STATE_COUNT - 1;
	KTEST_EXPECT_EQ(t, thread_user_state_get(e.th, MACHINE_THREAD_STATE, buf, &n),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, thread_user_state_set(e.th, MACHINE_THREAD_STATE, buf,
						 MACHINE_THREAD_STATE_COUNT - 1),
			KERN_INVALID_ARGUMENT);
	n = THREAD_STATE_MAX;
	KTEST_EXPECT_EQ(t, thread_user_state_get(e.th, IS_ENABLED(CONFIG_ARCH_X86_64) ?
						 6 : 7, buf, &n), KERN_SUCCESS);	/* exception */
	KTEST_EXPECT_EQ(t, n, 4U);
	KTEST_EXPECT_EQ(t, thread_user_state_set(e.th, IS_ENABLED(CONFIG_ARCH_X86_64) ? 6 : 7,
						 buf, 4), KERN_INVALID_ARGUMENT);
	/* A kernel thread has no user state. */
	n = THREAD_STATE_MAX;
	KTEST_EXPECT_EQ(t, thread_user_state_get(current_thread(), MACHINE_THREAD_STATE, buf,
						 &n), KERN_INVALID_ARGUMENT);

	/* Every general register round-trips. */
	KTEST_ASSERT_EQ(t, xt_get(e.th, &r), KERN_SUCCESS);
	for (i = 0; i < 16; i++)
		((uint64_t *)(void *)r.raw)[i] = 0x1111111111111111ULL * (i + 1);
	XT_PC(&r) = UT_CODE;
	XT_SP(&r) = UT_STACK_TOP;
	XT_ARG(&r) = UT_DATA;
	KTEST_EXPECT_EQ(t, xt_set(e.th, &r), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &back), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(back.raw, r.raw, 16 * sizeof(uint64_t)), 0);
	KTEST_EXPECT_EQ(t, XT_PC(&back), UT_CODE);
	KTEST_EXPECT_EQ(t, XT_SP(&back), UT_STACK_TOP);
	xt_state_sanitized(t, e.th);
	xt_fp_state(t, e.th);
	/* Valid again, and run: it reads its page and stops at its breakpoint. */
	XT_PC(&r) = UT_CODE;
	KTEST_EXPECT_EQ(t, xt_set(e.th, &r), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(e.th), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_catch(t, &e, UT_TIMEOUT), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &back), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, XT_KEEP(&back), XT_KEEP(&r));
	KTEST_EXPECT_GT(t, XT_PC(&back), UT_CODE);
	ut_teardown(t, &e);
}

/* thread_get_state (2017) and thread_set_state (2018) as messages. */
struct xt_get_req {
	mach_msg_header_t	Head;
	thread_state_flavor_t	flavor;
	mach_msg_type_number_t	old_stateCnt;
};

struct xt_get_rep {
	mach_msg_header_t	Head;
	kern_return_t		RetCode;
	mach_msg_type_number_t	old_stateCnt;
	natural_t		old_state[THREAD_STATE_MAX];
};

struct xt_set_req {
	mach_msg_header_t	Head;
	thread_state_flavor_t	flavor;
	mach_msg_type_number_t	new_stateCnt;
	natural_t		new_state[THREAD_STATE_MAX];
};

static kern_return_t xt_msg_get(struct ktest *t, ipc_port_t port, struct xt_regs *r)
{
	struct xt_get_req *req = tt_request(port, 2017, sizeof(*req));
	struct xt_get_rep *rep = (void *)&tt_msg;

	req->flavor = MACHINE_THREAD_STATE;
	req->old_stateCnt = THREAD_STATE_MAX;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (tt_error() != -1)
		return tt_error();
	KTEST_EXPECT_EQ(t, rep->old_stateCnt, (mach_msg_type_number_t)MACHINE_THREAD_STATE_COUNT);
	memcpy(r->raw, rep->old_state, MACHINE_THREAD_STATE_COUNT * sizeof(natural_t));
	return rep->RetCode;
}

static kern_return_t xt_msg_set(struct ktest *t, ipc_port_t port, const struct xt_regs *r,
				mach_msg_type_number_t count)
{
	struct xt_set_req *req = tt_request(port, 2018,
					    TT_END(struct xt_set_req, new_state[0]) +
					    (count - 1) * sizeof(natural_t));

	req->flavor = MACHINE_THREAD_STATE;
	req->new_stateCnt = count;
	memcpy(req->new_state, r->raw, count * sizeof(natural_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_msg.err.RetCode;
}

/*
 * The MIG path a user handler takes: the state of a thread stopped in
 * an exception read and written through its thread port, then resumed.
 */
static void exception_test_state_messages(struct ktest *t)
{
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	struct xt_regs r, back;
	ipc_port_t port;
	struct ut_env e;

	mig_get_reply_port();	/* this thread's, kept: part of the baseline */
	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BAD_ACCESS);
	port = (ipc_port_t)convert_thread_to_port(e.exc.thread);	/* takes its reference */
	e.exc.thread = NULL;
	KTEST_ASSERT_NOT_NULL(t, port);
	KTEST_EXPECT_EQ(t, xt_msg_get(t, port, &r), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &back), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(r.raw, back.raw, MACHINE_THREAD_STATE_COUNT * sizeof(natural_t)),
			0);
	XT_PC(&r) += XT_FAULT_LEN;
	XT_MARK(&r) = 0x4321;
	KTEST_EXPECT_EQ(t, xt_msg_set(t, port, &r, MACHINE_THREAD_STATE_COUNT - 1),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_msg_set(t, port, &r, MACHINE_THREAD_STATE_COUNT), KERN_SUCCESS);
	ipc_port_release_send(port);
	/* Resumed with it: the breakpoint after the load, with the marker. */
	exc_test_done(&e.exc, true, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_catch(t, &e, UT_TIMEOUT), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &back), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, XT_MARK(&back), 0x4321UL);
	ut_teardown(t, &e);
}

/* Two threads of a task bound to this CPU, on data pages A and B; both caught. */
static void xt_run_pair(struct ktest *t, struct ut_env *e)
{
	ut_start_pair(t, e, XT_DATA_A, XT_DATA_B, XT_STACK_B, (int)cpu_number());
	ut_catch_pair(t, e, 4 * XT_MS);
}

/*
 * One round of exception_test_fp: both threads spin `limit` times. Whether
 * they shared the CPU (each switched to more than twice).
 */
static bool xt_fp_round(struct ktest *t, unsigned long limit)
{
	/* IEEE doubles (the kernel has no FP types): 1.5, 2.25 and their doubles. */
	const unsigned long va = 0x3ff8000000000000UL, vb = 0x4002000000000000UL;
	const unsigned long sa = 0x4008000000000000UL, sb = 0x4012000000000000UL;
	unsigned long a[6] = { va, 0, limit }, b[6] = { vb, 0, limit };
	struct ut_env e;
	bool shared;

	ut_setup(t, &e, ut_blob_fp, ut_blob_fp_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, XT_DATA_A, a, sizeof(a)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, XT_DATA_B, b, sizeof(b)), KERN_SUCCESS);
	xt_run_pair(t, &e);
	KTEST_ASSERT_EQ(t, ut_read(&e, XT_DATA_A, a, sizeof(a)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_read(&e, XT_DATA_B, b, sizeof(b)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a[1], limit);
	KTEST_EXPECT_EQ(t, b[1], limit);
	KTEST_EXPECT_EQ(t, a[3], a[0]);
	KTEST_EXPECT_EQ(t, a[4], a[0]);
	KTEST_EXPECT_EQ(t, b[3], b[0]);
	KTEST_EXPECT_EQ(t, b[4], b[0]);
	KTEST_EXPECT_EQ(t, a[5], sa);
	KTEST_EXPECT_EQ(t, b[5], sb);
	shared = e.th->switches_in > 2 && e.th2->switches_in > 2;
	ut_teardown(t, &e);
	return shared;
}

/*
 * FP/SIMD registers are each thread's: two threads on one CPU load
 * different values and spin until preempted by each other many times;
 * each finds its own values at the end, and FP arithmetic works. A host
 * fast enough to finish a round within a quantum or two gets a longer
 * round: the check means something only if they did share the CPU.
 */
static void exception_test_fp(struct ktest *t)
{
	unsigned long limit = 1UL << 23;
	bool shared = false;
	int round;

	for (round = 0; round < 4 && !shared; round++, limit <<= 1)
		shared = xt_fp_round(t, limit);
	KTEST_EXPECT_TRUE(t, shared);
}

/*
 * The thread pointer is each thread's: two threads on one CPU set their
 * own (x86_64 FS base through thread_fast_set_cthread_self64, arm64
 * TPIDR_EL0), yield to each other, and read their own marker through it.
 */
static void exception_test_tls(struct ktest *t)
{
	unsigned long a[4] = { XT_DATA_A + 64, 0, 0x5a5a, 20 };
	unsigned long b[4] = { XT_DATA_B + 64, 0, 0x5a5a, 20 };
	const unsigned long ma = 0xa11ce, mb = 0xb0b;
	struct ut_env e;

	ut_setup(t, &e, ut_blob_tls, ut_blob_tls_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, XT_DATA_A, a, sizeof(a)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, XT_DATA_B, b, sizeof(b)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, XT_DATA_A + 64, &ma, sizeof(ma)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(&e, XT_DATA_B + 64, &mb, sizeof(mb)), KERN_SUCCESS);
	xt_run_pair(t, &e);
	KTEST_ASSERT_EQ(t, ut_read(&e, XT_DATA_A, a, sizeof(a)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_read(&e, XT_DATA_B, b, sizeof(b)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a[2], (unsigned long)KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, b[2], (unsigned long)KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a[1], ma);
	KTEST_EXPECT_EQ(t, b[1], mb);
	KTEST_EXPECT_EQ(t, e.th->utls, XT_DATA_A + 64);
	KTEST_EXPECT_EQ(t, e.th2->utls, XT_DATA_B + 64);
	ut_teardown(t, &e);
}

/* A handler thread of another task: what it saw. */
struct xt_handler {
	ipc_port_t	port;
	int		exception[2];
	integer_t	code[2][2];
	unsigned long	pc[2], mark;
	kern_return_t	kr_get, kr_set;
};

/*
 * The handler: the fault is fixed (the load skipped, a marker put in its
 * destination register) and the thread resumed; the breakpoint after it
 * is refused, so it goes on to the next port (none: the task ends).
 */
static void xt_handler_main(void *arg)
{
	struct xt_handler *h = arg;
	struct exc_test_msg m;
	struct xt_regs r;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (!exc_test_receive(h->port, XT_MS, &m))
			return;
		h->exception[i] = m.exception;
		h->code[i][0] = m.code[0];
		h->code[i][1] = m.code[1];
		h->kr_get = m.thread ? xt_get(m.thread, &r) : KERN_INVALID_ARGUMENT;
		h->pc[i] = XT_PC(&r);
		if (i == 0) {
			XT_PC(&r) += XT_FAULT_LEN;
			XT_MARK(&r) = 0x1234;
			h->kr_set = xt_set(m.thread, &r);
			exc_test_done(&m, true, KERN_SUCCESS);
		} else {
			h->mark = XT_MARK(&r);
			exc_test_done(&m, true, KERN_FAILURE);
		}
	}
}

static void exception_test_handler(struct ktest *t)
{
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	struct xt_handler h = { 0 };
	thread_t hth;
	task_t htask;
	struct ut_env e;

	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, task_create(kernel_task, false, &htask), KERN_SUCCESS);
	h.port = e.exc_port;
	KTEST_ASSERT_EQ(t, task_thread_create(htask, xt_handler_main, &h, BASEPRI_KERNEL,
					      "xt-handler", &hth), KERN_SUCCESS);
	thread_resume(hth);
	ut_start(t, &e, -1);
	KTEST_EXPECT_TRUE(t, sched_test_join(hth, 4 * UT_TIMEOUT));
	KTEST_EXPECT_TRUE(t, sched_test_join(e.th, UT_TIMEOUT));
	KTEST_EXPECT_EQ(t, h.exception[0], EXC_BAD_ACCESS);
	KTEST_EXPECT_EQ(t, h.code[0][0], KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, h.code[0][1], (integer_t)UT_UNMAPPED);
	KTEST_EXPECT_EQ(t, h.kr_get, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, h.kr_set, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, h.exception[1], EXC_BREAKPOINT);
	KTEST_EXPECT_EQ(t, h.pc[1], h.pc[0] + XT_FAULT_LEN + XT_BRK_AFTER);
	KTEST_EXPECT_EQ(t, h.mark, 0x1234UL);
	/* Refused and nobody else: the task ended. */
	KTEST_EXPECT_FALSE(t, READ_ONCE(e.task->active));
	KTEST_EXPECT_EQ(t, task_terminate(htask), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_join(hth), THREAD_AWAKENED);
	thread_deallocate(hth);
	task_deallocate(htask);
	ut_teardown(t, &e);
}

/*
 * The thread's port first, then the task's: a failure passes the
 * exception on; the task's handler fixes it.
 */
static void exception_test_pass_on(struct ktest *t)
{
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	ipc_port_t tport = ipc_port_alloc_kernel();
	struct exc_test_msg m;
	struct xt_regs r;
	struct ut_env e;

	KTEST_ASSERT_NOT_NULL(t, tport);
	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, thread_create_user(e.task, UT_CODE, UT_STACK_TOP, UT_DATA, &e.th),
			KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, thread_set_special_port(e.th, THREAD_EXCEPTION_PORT,
						   (mach_port_t)ipc_port_make_send(tport)),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(e.th), KERN_SUCCESS);

	/* The fault: the thread's handler fails, the task's fixes it. */
	KTEST_ASSERT_TRUE(t, exc_test_receive(tport, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
	KTEST_EXPECT_PTR_EQ(t, m.thread, e.th);
	exc_test_done(&m, true, KERN_FAILURE);
	KTEST_ASSERT_TRUE(t, exc_test_receive(e.exc_port, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
	KTEST_EXPECT_EQ(t, xt_get(e.th, &r), KERN_SUCCESS);
	XT_PC(&r) += XT_FAULT_LEN;
	KTEST_EXPECT_EQ(t, xt_set(e.th, &r), KERN_SUCCESS);
	exc_test_done(&m, true, KERN_SUCCESS);
	/* The breakpoint: the thread's handler again first. */
	KTEST_ASSERT_TRUE(t, exc_test_receive(tport, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.exception, EXC_BREAKPOINT);
	exc_test_done(&m, true, KERN_FAILURE);
	KTEST_EXPECT_EQ(t, ut_catch(t, &e, UT_TIMEOUT), EXC_BREAKPOINT);
	ut_teardown(t, &e);
	ipc_port_dealloc_kernel(tport);
}

/*
 * No thread or task handler: the host's port is asked last; when it
 * fails too, or there is none, the task is terminated.
 */
static void exception_test_no_handler(struct ktest *t)
{
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	ipc_port_t hport = ipc_port_alloc_kernel();
	struct exc_test_msg m;
	struct ut_env e;

	KTEST_ASSERT_NOT_NULL(t, hport);
	exception_host_port_set(ipc_port_make_send(hport));
	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, task_set_special_port(e.task, TASK_EXCEPTION_PORT, MACH_PORT_NULL),
			KERN_SUCCESS);
	ut_start(t, &e, -1);
	KTEST_ASSERT_TRUE(t, exc_test_receive(hport, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
	KTEST_EXPECT_PTR_EQ(t, m.task, e.task);
	exc_test_done(&m, true, KERN_FAILURE);
	exception_host_port_set(IP_NULL);
	KTEST_EXPECT_TRUE(t, sched_test_join(e.th, UT_TIMEOUT));
	KTEST_EXPECT_FALSE(t, READ_ONCE(e.task->active));
	KTEST_EXPECT_EQ(t, e.th->uexc_type, EXC_BAD_ACCESS);
	ut_teardown(t, &e);
	ipc_port_dealloc_kernel(hport);

	/* No port at all. */
	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, task_set_special_port(e.task, TASK_EXCEPTION_PORT, MACH_PORT_NULL),
			KERN_SUCCESS);
	ut_start(t, &e, -1);
	KTEST_EXPECT_TRUE(t, sched_test_join(e.th, UT_TIMEOUT));
	KTEST_EXPECT_FALSE(t, READ_ONCE(e.task->active));
	KTEST_EXPECT_EQ(t, task_terminate(e.task), KERN_TERMINATED);
	ut_teardown(t, &e);
}

/* A thread waiting for its handler's answer: its task can still be terminated. */
static void exception_test_terminate_waiting(struct ktest *t)
{
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	struct ut_env e;

	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BAD_ACCESS);
	KTEST_EXPECT_EQ(t, task_terminate(e.task), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, sched_test_join(e.th, UT_TIMEOUT));
	/* The answer comes too late: it goes nowhere. */
	exc_test_done(&e.exc, true, KERN_SUCCESS);
	ut_teardown(t, &e);
}

/* ------------------------------------------------------------------------
 * Exception ports: set/get/swap at each level, and each behavior delivered
 */

#define XT_HIGH		0x0000123456789000UL	/* unmapped, above 4 GiB */
#define XT_MTS		MACHINE_THREAD_STATE
#define XT_ALL		EXC_MASK_ALL

/* What a get or a swap answers. */
struct xt_ports {
	exception_mask_t	masks[EXC_TYPES_COUNT];
	mach_port_t		h[EXC_TYPES_COUNT];
	exception_behavior_t	b[EXC_TYPES_COUNT];
	thread_state_flavor_t	f[EXC_TYPES_COUNT];
	mach_msg_type_number_t	n;
};

enum xt_level { XT_THREAD, XT_TASK, XT_HOST };

/* set (port: ours, a send right made for the call, gone if refused), get, swap. */
static kern_return_t xt_set_ports(enum xt_level l, void *o, exception_mask_t mask,
				  ipc_port_t port, exception_behavior_t b, int flavor)
{
	mach_port_t right = (mach_port_t)(IP_VALID(port) ? ipc_port_make_send(port) : port);
	kern_return_t kr;

	if (l == XT_THREAD)
		kr = thread_set_exception_ports(o, mask, right, b, flavor);
	else if (l == XT_TASK)
		kr = task_set_exception_ports(o, mask, right, b, flavor);
	else
		kr = host_set_exception_ports(o, mask, right, b, flavor);
	if (kr != KERN_SUCCESS && IP_VALID((ipc_port_t)right))
		ipc_port_release_send((ipc_port_t)right);
	return kr;
}

static kern_return_t xt_swap_ports(enum xt_level l, void *o, exception_mask_t mask,
				   ipc_port_t port, exception_behavior_t b, int flavor,
				   struct xt_ports *p)
{
	mach_port_t right = (mach_port_t)(IP_VALID(port) ? ipc_port_make_send(port) : port);
	kern_return_t kr;

	memset(p, 0, sizeof(*p));
	p->n = EXC_TYPES_COUNT;
	if (l == XT_THREAD)
		kr = thread_swap_exception_ports(o, mask, right, b, flavor, p->masks, &p->n,
						 p->h, p->b, p->f);
	else if (l == XT_TASK)
		kr = task_swap_exception_ports(o, mask, right, b, flavor, p->masks, &p->n,
					       p->h, p->b, p->f);
	else
		kr = host_swap_exception_ports(o, mask, right, b, flavor, p->masks, &p->n,
					       p->h, p->b, p->f);
	if (kr != KERN_SUCCESS && IP_VALID((ipc_port_t)right))
		ipc_port_release_send((ipc_port_t)right);
	return kr;
}

static kern_return_t xt_get_ports(enum xt_level l, void *o, exception_mask_t mask,
				  mach_msg_type_number_t room, struct xt_ports *p)
{
	memset(p, 0, sizeof(*p));
	p->n = room;
	if (l == XT_THREAD)
		return thread_get_exception_ports(o, mask, p->masks, &p->n, p->h, p->b, p->f);
	if (l == XT_TASK)
		return task_get_exception_ports(o, mask, p->masks, &p->n, p->h, p->b, p->f);
	return host_get_exception_ports(o, mask, p->masks, &p->n, p->h, p->b, p->f);
}

/* Give back the rights an answer holds. */
static void xt_ports_release(struct xt_ports *p)
{
	mach_msg_type_number_t i;

	for (i = 0; i < p->n && i < EXC_TYPES_COUNT; i++)
		if (IP_VALID((ipc_port_t)p->h[i]))
			ipc_port_release_send((ipc_port_t)p->h[i]);
	p->n = 0;
}

/* The entry of port (and behavior) in p (-1: none), and that it says mask and flavor. */
static int xt_ports_check(struct ktest *t, const struct xt_ports *p, ipc_port_t port,
			  exception_mask_t mask, exception_behavior_t b, int flavor)
{
	mach_msg_type_number_t i;

	for (i = 0; i < p->n; i++) {
		if ((ipc_port_t)p->h[i] != port || (port && p->b[i] != b))
			continue;
		KTEST_EXPECT_EQ(t, p->masks[i], mask);
		if (port)
			KTEST_EXPECT_EQ(t, p->f[i], flavor);
		return (int)i;
	}
	KTEST_EXPECT_TRUE(t, false);	/* not there */
	return -1;
}

/* The refusals: a mask with unknown types, a bad behavior or flavor, no owner. */
static void xt_ports_bad_args(struct ktest *t, enum xt_level l, void *o, ipc_port_t a)
{
	struct xt_ports p;

	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, 1U << 0, a, EXCEPTION_DEFAULT, XT_MTS),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, 1U << EXC_TYPES_COUNT, a, EXCEPTION_DEFAULT,
					XT_MTS), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, XT_ALL, a, 0, XT_MTS), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, XT_ALL, a, EXCEPTION_STATE_IDENTITY + 1, XT_MTS),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, XT_ALL, a, EXCEPTION_STATE | 0x40000000, XT_MTS),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, XT_ALL, a, EXCEPTION_STATE, 1234),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, XT_ALL, a, EXCEPTION_STATE, 0),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, XT_ALL, a, EXCEPTION_DEFAULT, 1234),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_swap_ports(l, o, 1U << EXC_TYPES_COUNT, a, EXCEPTION_DEFAULT,
					 XT_MTS, &p), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_get_ports(l, o, 1U << 0, EXC_TYPES_COUNT, &p),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, NULL, XT_ALL, a, EXCEPTION_DEFAULT, XT_MTS),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, xt_get_ports(l, NULL, XT_ALL, EXC_TYPES_COUNT, &p),
			KERN_INVALID_ARGUMENT);
}

/*
 * One level's table, from empty (every type MACH_PORT_NULL) through a
 * set by masks, get (also with less room), swap, and cleared again: the
 * send rights on a and b are counted all the way.
 */
static void xt_ports_round_trip(struct ktest *t, enum xt_level l, void *o)
{
	ipc_port_t a = ipc_port_alloc_kernel(), b = ipc_port_alloc_kernel();
	const exception_behavior_t sb = EXCEPTION_STATE | MACH_EXCEPTION_CODES;
	const exception_mask_t ma = EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC;
	struct xt_ports p;

	KTEST_ASSERT_NOT_NULL(t, a);
	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_EXPECT_EQ(t, xt_get_ports(l, o, XT_ALL, EXC_TYPES_COUNT, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 1U);
	xt_ports_check(t, &p, IP_NULL, XT_ALL, 0, 0);
	xt_ports_bad_args(t, l, o, a);
	KTEST_EXPECT_EQ(t, a->ip_srights, 0U);	/* none kept by a refusal */

	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, ma, a, EXCEPTION_DEFAULT, XT_MTS), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_set_ports(l, o, EXC_MASK_BREAKPOINT, b, sb, XT_MTS), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a->ip_srights, 2U);	/* one per type */
	KTEST_EXPECT_EQ(t, b->ip_srights, 1U);
	KTEST_EXPECT_EQ(t, xt_get_ports(l, o, XT_ALL, EXC_TYPES_COUNT, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 3U);
	xt_ports_check(t, &p, a, ma, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_check(t, &p, b, EXC_MASK_BREAKPOINT, sb, XT_MTS);
	xt_ports_check(t, &p, IP_NULL, XT_ALL & ~ma & ~EXC_MASK_BREAKPOINT, 0, 0);
	KTEST_EXPECT_EQ(t, a->ip_srights, 3U);	/* the answer's own */
	xt_ports_release(&p);
	/* Room for one: the first type's. Only the types asked. */
	KTEST_EXPECT_EQ(t, xt_get_ports(l, o, XT_ALL, 1, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 1U);
	xt_ports_check(t, &p, a, ma, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_release(&p);
	KTEST_EXPECT_EQ(t, xt_get_ports(l, o, EXC_MASK_BREAKPOINT | EXC_MASK_ARITHMETIC,
					EXC_TYPES_COUNT, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 2U);
	xt_ports_check(t, &p, a, EXC_MASK_ARITHMETIC, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_check(t, &p, b, EXC_MASK_BREAKPOINT, sb, XT_MTS);
	xt_ports_release(&p);

	/* Swap: what was there comes back, the new is in. */
	KTEST_EXPECT_EQ(t, xt_swap_ports(l, o, EXC_MASK_BAD_ACCESS | EXC_MASK_BREAKPOINT, b,
					 EXCEPTION_STATE_IDENTITY, XT_MTS, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 2U);
	xt_ports_check(t, &p, a, EXC_MASK_BAD_ACCESS, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_check(t, &p, b, EXC_MASK_BREAKPOINT, sb, XT_MTS);
	xt_ports_release(&p);
	KTEST_EXPECT_EQ(t, xt_get_ports(l, o, XT_ALL, EXC_TYPES_COUNT, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 3U);
	xt_ports_check(t, &p, b, EXC_MASK_BAD_ACCESS | EXC_MASK_BREAKPOINT,
		       EXCEPTION_STATE_IDENTITY, XT_MTS);
	xt_ports_check(t, &p, a, EXC_MASK_ARITHMETIC, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_release(&p);
	KTEST_EXPECT_EQ(t, a->ip_srights, 1U);
	KTEST_EXPECT_EQ(t, b->ip_srights, 2U);

	/* Cleared (a swap to null answers the last ones): no right left. */
	KTEST_EXPECT_EQ(t, xt_swap_ports(l, o, XT_ALL, IP_NULL, 0, 0, &p), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 3U);
	xt_ports_release(&p);
	KTEST_EXPECT_EQ(t, a->ip_srights, 0U);
	KTEST_EXPECT_EQ(t, b->ip_srights, 0U);
	ipc_port_dealloc_kernel(a);
	ipc_port_dealloc_kernel(b);
}

/*
 * task/thread/host_{set,get,swap}_exception_ports: each level round
 * trips; the GNU Mach special ports are the same tables; a child task
 * inherits its parent's; a new thread has none; an ended task or thread
 * refuses (and the thread's rights went with it); the rights and ports
 * are back to their baseline.
 */
static void exception_test_ports(struct ktest *t)
{
	ipc_port_t a = ipc_port_alloc_kernel();
	struct xt_ports saved, p;
	mach_port_t sp;
	task_t child;
	struct ut_env e;

	KTEST_ASSERT_NOT_NULL(t, a);
	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, thread_create_user_nostate(e.task, &e.th), KERN_SUCCESS);
	xt_ports_round_trip(t, XT_THREAD, e.th);

	/* A thread that ends lets its table's rights go, and takes nothing more. */
	KTEST_ASSERT_EQ(t, thread_create_user_nostate(e.task, &e.th2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_THREAD, e.th2, XT_ALL, a, EXCEPTION_DEFAULT, XT_MTS),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a->ip_srights, (mach_port_rights_t)(EXC_TYPES_COUNT - 1));
	KTEST_EXPECT_EQ(t, thread_terminate_other(e.th2), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a->ip_srights, 0U);
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_THREAD, e.th2, XT_ALL, a, EXCEPTION_DEFAULT, XT_MTS),
			KERN_FAILURE);
	KTEST_EXPECT_EQ(t, xt_get_ports(XT_THREAD, e.th2, XT_ALL, EXC_TYPES_COUNT, &p),
			KERN_FAILURE);
	KTEST_EXPECT_EQ(t, a->ip_srights, 0U);

	/* The task's: the env's port is in it; out for the round trip, then back. */
	KTEST_EXPECT_EQ(t, xt_swap_ports(XT_TASK, e.task, XT_ALL, IP_NULL, 0, 0, &saved),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, saved.n, 1U);
	xt_ports_check(t, &saved, e.exc_port, XT_ALL, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_round_trip(t, XT_TASK, e.task);

	/* The special ports: every type, EXCEPTION_DEFAULT; EXC_BAD_ACCESS's read. */
	KTEST_EXPECT_EQ(t, task_set_special_port(e.task, TASK_EXCEPTION_PORT,
						 (mach_port_t)ipc_port_make_send(a)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a->ip_srights, (mach_port_rights_t)(EXC_TYPES_COUNT - 1));
	KTEST_EXPECT_EQ(t, task_get_special_port(e.task, TASK_EXCEPTION_PORT, &sp), KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, (ipc_port_t)sp, a);
	ipc_port_release_send((ipc_port_t)sp);
	KTEST_EXPECT_EQ(t, thread_set_special_port(e.th, THREAD_EXCEPTION_PORT,
						   (mach_port_t)ipc_port_make_send(a)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_get_ports(XT_THREAD, e.th, XT_ALL, EXC_TYPES_COUNT, &p),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 1U);
	xt_ports_check(t, &p, a, XT_ALL, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_release(&p);
	KTEST_EXPECT_EQ(t, thread_get_special_port(e.th, THREAD_EXCEPTION_PORT, &sp),
			KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, (ipc_port_t)sp, a);
	ipc_port_release_send((ipc_port_t)sp);

	/* A child inherits the task's table (its own rights), not the thread's. */
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_TASK, e.task, EXC_MASK_BREAKPOINT, a,
					EXCEPTION_STATE | MACH_EXCEPTION_CODES, XT_MTS),
			KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, task_create(e.task, false, &child), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a->ip_srights, (mach_port_rights_t)(3 * (EXC_TYPES_COUNT - 1)));
	KTEST_EXPECT_EQ(t, xt_get_ports(XT_TASK, child, XT_ALL, EXC_TYPES_COUNT, &p),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 2U);
	xt_ports_check(t, &p, a, XT_ALL & ~EXC_MASK_BREAKPOINT, EXCEPTION_DEFAULT, XT_MTS);
	xt_ports_check(t, &p, a, EXC_MASK_BREAKPOINT, EXCEPTION_STATE | MACH_EXCEPTION_CODES,
		       XT_MTS);
	xt_ports_release(&p);
	KTEST_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	/* An ended task takes nothing more, and let its rights go. */
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_TASK, child, XT_ALL, a, EXCEPTION_DEFAULT, XT_MTS),
			KERN_FAILURE);
	KTEST_EXPECT_EQ(t, xt_get_ports(XT_TASK, child, XT_ALL, EXC_TYPES_COUNT, &p),
			KERN_FAILURE);
	task_deallocate(child);
	KTEST_EXPECT_EQ(t, a->ip_srights, (mach_port_rights_t)(2 * (EXC_TYPES_COUNT - 1)));

	/* The env's port back, for the teardown. */
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_TASK, e.task, XT_ALL, e.exc_port, EXCEPTION_DEFAULT,
					XT_MTS), KERN_SUCCESS);
	xt_ports_release(&saved);
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_THREAD, e.th, XT_ALL, IP_NULL, 0, 0), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a->ip_srights, 0U);

	/* The host's, left as found. */
	KTEST_EXPECT_EQ(t, xt_swap_ports(XT_HOST, host_self(), XT_ALL, IP_NULL, 0, 0, &saved),
			KERN_SUCCESS);
	xt_ports_round_trip(t, XT_HOST, host_self());
	KTEST_EXPECT_EQ(t, xt_get_ports(XT_HOST, host_self(), XT_ALL, EXC_TYPES_COUNT, &p),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, p.n, 1U);
	xt_ports_release(&p);
	if (saved.n == 1 && IP_VALID((ipc_port_t)saved.h[0]))
		KTEST_EXPECT_EQ(t, xt_set_ports(XT_HOST, host_self(), XT_ALL,
						(ipc_port_t)saved.h[0], saved.b[0], saved.f[0]),
				KERN_SUCCESS);
	xt_ports_release(&saved);

	ut_teardown(t, &e);
	ipc_port_dealloc_kernel(a);
}

/* The state in a message as our registers, and back. */
static void xt_regs_from(struct xt_regs *r, const struct exc_test_msg *m)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->raw, m->state, m->state_count * sizeof(natural_t));
}

/*
 * Each behavior, with and without MACH_EXCEPTION_CODES: the message id,
 * the codes (64-bit: the whole address above 4 GiB), the identity or
 * the state; the fault is skipped by the state the handler answers (the
 * state behaviors) or sets (the default one); the breakpoint after it,
 * on the task's default port, shows the marker the handler put.
 */
static void exception_test_behaviors(struct ktest *t)
{
	static const exception_behavior_t behaviors[] = {
		EXCEPTION_DEFAULT, EXCEPTION_STATE, EXCEPTION_STATE_IDENTITY,
		EXCEPTION_DEFAULT | MACH_EXCEPTION_CODES,
		EXCEPTION_STATE | MACH_EXCEPTION_CODES,
		EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES,
	};
	unsigned long d[2] = { XT_HIGH, 0 };
	struct exc_test_msg m;
	struct xt_regs r, now;
	struct ut_env e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(behaviors); i++) {
		exception_behavior_t b = behaviors[i], plain = b & ~MACH_EXCEPTION_CODES;
		bool wide = b & MACH_EXCEPTION_CODES;
		int id = (wide ? EXC_TEST_MACH_RAISE_ID : EXC_TEST_RAISE_ID) + plain - 1;

		ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
		KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, xt_set_ports(XT_TASK, e.task, EXC_MASK_BAD_ACCESS, e.exc_port,
						b, XT_MTS), KERN_SUCCESS);
		ut_start(t, &e, -1);
		KTEST_ASSERT_TRUE(t, exc_test_receive(e.exc_port, XT_MS, &m));
		KTEST_EXPECT_EQ(t, m.id, id);
		KTEST_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
		KTEST_EXPECT_EQ(t, m.code64[0], (int64_t)KERN_INVALID_ADDRESS);
		/* integer_t codes keep the low half (bit 31 clear here) */
		KTEST_EXPECT_EQ(t, m.code64[1], wide ? (int64_t)XT_HIGH :
				(int64_t)(XT_HIGH & 0xffffffffUL));
		KTEST_EXPECT_PTR_EQ(t, m.thread, plain == EXCEPTION_STATE ? NULL : e.th);
		KTEST_EXPECT_PTR_EQ(t, m.task, plain == EXCEPTION_STATE ? NULL : e.task);
		KTEST_ASSERT_EQ(t, xt_get(e.th, &now), KERN_SUCCESS);
		if (plain == EXCEPTION_DEFAULT) {
			KTEST_EXPECT_NULL(t, m.state);
			r = now;
			XT_PC(&r) += XT_FAULT_LEN;
			XT_MARK(&r) = 0x5a00 + i;
			KTEST_EXPECT_EQ(t, xt_set(e.th, &r), KERN_SUCCESS);
			exc_test_done(&m, true, KERN_SUCCESS);
		} else {
			KTEST_EXPECT_EQ(t, m.flavor, XT_MTS);
			KTEST_ASSERT_EQ(t, m.state_count,
					(mach_msg_type_number_t)MACHINE_THREAD_STATE_COUNT);
			xt_regs_from(&r, &m);
			KTEST_EXPECT_EQ(t, memcmp(r.raw, now.raw, MACHINE_THREAD_STATE_COUNT *
						  sizeof(natural_t)), 0);
			XT_PC(&r) += XT_FAULT_LEN;
			XT_MARK(&r) = 0x5a00 + i;
			exc_test_done_state(&m, XT_MTS, r.raw, MACHINE_THREAD_STATE_COUNT);
		}
		KTEST_EXPECT_EQ(t, ut_catch(t, &e, UT_TIMEOUT), EXC_BREAKPOINT);
		KTEST_EXPECT_EQ(t, e.exc.id, EXC_TEST_RAISE_ID);
		KTEST_ASSERT_EQ(t, xt_get(e.th, &now), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, XT_MARK(&now), 0x5a00UL + i);
		KTEST_EXPECT_EQ(t, XT_PC(&now), XT_PC(&r) + XT_BRK_AFTER);
		ut_teardown(t, &e);
	}
}

/*
 * A state the handler answers that thread_set_state would refuse (a
 * kernel pc) is not set: the exception goes on, here to nobody, and the
 * task ends.
 */
static void exception_test_state_refused(struct ktest *t)
{
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	struct exc_test_msg m;
	struct xt_regs r;
	struct ut_env e;

	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_TASK, e.task, XT_ALL, e.exc_port, EXCEPTION_STATE,
					XT_MTS), KERN_SUCCESS);
	ut_start(t, &e, -1);
	KTEST_ASSERT_TRUE(t, exc_test_receive(e.exc_port, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.id, EXC_TEST_RAISE_ID + 1);
	KTEST_ASSERT_NOT_NULL(t, m.state);
	xt_regs_from(&r, &m);
	XT_PC(&r) = (unsigned long)&exception_test_state_refused;	/* the kernel's */
	exc_test_done_state(&m, XT_MTS, r.raw, MACHINE_THREAD_STATE_COUNT);
	KTEST_EXPECT_TRUE(t, sched_test_join(e.th, UT_TIMEOUT));
	KTEST_EXPECT_FALSE(t, READ_ONCE(e.task->active));
	ut_teardown(t, &e);
}

/*
 * Each level with its own behavior: the thread's (EXCEPTION_STATE) and
 * the task's (64-bit STATE_IDENTITY) refuse, the host's (DEFAULT) fixes
 * the thread; the breakpoint after it goes to the task's default port.
 */
static void exception_test_levels(struct ktest *t)
{
	ipc_port_t tport = ipc_port_alloc_kernel(), hport = ipc_port_alloc_kernel();
	unsigned long d[2] = { UT_UNMAPPED, 0 };
	struct exc_test_msg m;
	struct xt_ports saved;
	struct xt_regs r;
	struct ut_env e;

	KTEST_ASSERT_NOT_NULL(t, tport);
	KTEST_ASSERT_NOT_NULL(t, hport);
	ut_setup(t, &e, ut_blob_fault, ut_blob_fault_end);
	KTEST_ASSERT_EQ(t, ut_write(&e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, thread_create_user(e.task, UT_CODE, UT_STACK_TOP, UT_DATA, &e.th),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_THREAD, e.th, EXC_MASK_BAD_ACCESS, tport,
					EXCEPTION_STATE, XT_MTS), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_TASK, e.task, EXC_MASK_BAD_ACCESS, e.exc_port,
					EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES, XT_MTS),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, xt_swap_ports(XT_HOST, host_self(), EXC_MASK_BAD_ACCESS, hport,
					 EXCEPTION_DEFAULT, XT_MTS, &saved), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(e.th), KERN_SUCCESS);

	KTEST_ASSERT_TRUE(t, exc_test_receive(tport, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.id, EXC_TEST_RAISE_ID + 1);
	exc_test_done(&m, true, KERN_FAILURE);
	KTEST_ASSERT_TRUE(t, exc_test_receive(e.exc_port, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.id, EXC_TEST_MACH_RAISE_ID + 2);
	KTEST_EXPECT_PTR_EQ(t, m.thread, e.th);
	KTEST_EXPECT_EQ(t, m.code64[1], (int64_t)UT_UNMAPPED);
	exc_test_done(&m, true, KERN_INVALID_ADDRESS);
	KTEST_ASSERT_TRUE(t, exc_test_receive(hport, XT_MS, &m));
	KTEST_EXPECT_EQ(t, m.id, EXC_TEST_RAISE_ID);
	KTEST_EXPECT_PTR_EQ(t, m.task, e.task);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &r), KERN_SUCCESS);
	XT_PC(&r) += XT_FAULT_LEN;
	XT_MARK(&r) = 0x1e7e1;
	KTEST_EXPECT_EQ(t, xt_set(e.th, &r), KERN_SUCCESS);
	exc_test_done(&m, true, KERN_SUCCESS);

	KTEST_EXPECT_EQ(t, ut_catch(t, &e, UT_TIMEOUT), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &r), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, XT_MARK(&r), 0x1e7e1UL);
	/* The host's as found. */
	KTEST_EXPECT_EQ(t, xt_set_ports(XT_HOST, host_self(), EXC_MASK_BAD_ACCESS,
					saved.n ? (ipc_port_t)saved.h[0] : IP_NULL,
					saved.n && saved.b[0] ? saved.b[0] : EXCEPTION_DEFAULT,
					saved.n ? saved.f[0] : 0), KERN_SUCCESS);
	xt_ports_release(&saved);
	ut_teardown(t, &e);
	ipc_port_dealloc_kernel(tport);
	ipc_port_dealloc_kernel(hport);
}

/*
 * A Mach trap gives back every register but the result's (and on x86_64
 * rcx and r11, which syscall/sysretq use): the fast ways back (sysretq,
 * arm64's direct SVC path) included. ut_blob_regs loads 0x1000 + n into
 * register n, traps, then stops at a breakpoint.
 */
static void exception_test_trap_regs(struct ktest *t)
{
	struct xt_regs r;
	struct ut_env e;
	unsigned int n;

	ut_setup(t, &e, ut_blob_regs, ut_blob_regs_end);
	KTEST_EXPECT_EQ(t, ut_run(t, &e), EXC_BREAKPOINT);
	KTEST_ASSERT_EQ(t, xt_get(e.th, &r), KERN_SUCCESS);
#ifdef CONFIG_ARCH_X86_64
	/* Register numbers as in the instruction encoding: rdx 2, rbx 3, rbp 5 ... */
	const x86_thread_state64_t *s = XT_STATE(&r);
	const uint64_t got[] = {
		s->rdx, s->rbx, s->rbp, s->rsi, s->rdi, s->r8,
		s->r9, s->r10, s->r12, s->r13, s->r14, s->r15,
	};
	static const unsigned int nr[] = { 2, 3, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15 };

	KTEST_EXPECT_EQ(t, s->rax, (uint64_t)KERN_INVALID_ARGUMENT);
	for (n = 0; n < ARRAY_SIZE(nr); n++)
		KTEST_EXPECT_EQ(t, got[n], 0x1000UL + nr[n]);
	KTEST_EXPECT_EQ(t, XT_SP(&r), (uint64_t)UT_STACK_TOP);
#else
	KTEST_EXPECT_EQ(t, XT_STATE(&r)->x[0], (uint64_t)KERN_INVALID_ARGUMENT);
	for (n = 1; n < 29; n++)
		if (n != 16)
			KTEST_EXPECT_EQ(t, XT_STATE(&r)->x[n], 0x1000UL + n);
	KTEST_EXPECT_EQ(t, XT_STATE(&r)->fp, 0x101dUL);
	KTEST_EXPECT_EQ(t, XT_STATE(&r)->lr, 0x101eUL);
	KTEST_EXPECT_EQ(t, XT_SP(&r), (uint64_t)UT_STACK_TOP);
#endif
	ut_teardown(t, &e);
}

/*
 * A user sender's out-of-line port array with deallocate set: the region
 * of names leaves the sender's map once the message is sent (the message
 * itself, on another page, stays). A kernel thread of a task sends it
 * through the mach_msg trap's entry (ipc_mach_msg_user()), its buffers
 * user memory in the task's map.
 */
#define XT_OOLP_BUF	0x20000000UL

struct xt_oolp_msg {
	mach_msg_user_header_t		head;
	mach_msg_body_t			body;
	mach_msg_ool_ports_descriptor_t	ports;
};

struct xt_oolp {
	kern_return_t		kr_alloc, kr_copy;
	mach_msg_return_t	mr_send;
	kern_return_t		kr_names_after, kr_msg_after;
};

static void xt_oolp_main(void *arg)
{
	struct xt_oolp *o = arg;
	ipc_space_t space = current_task()->itk_space;
	vm_offset_t buf = XT_OOLP_BUF;
	mach_port_name_t dest, names[2];
	struct xt_oolp_msg m;
	uint32_t probe;

	o->kr_alloc = vm_map_allocate(current_task()->map, &buf, 2 * PAGE_SIZE, false);
	if (o->kr_alloc != KERN_SUCCESS || ipc_port_alloc(space, &dest) != KERN_SUCCESS ||
	    ipc_port_alloc(space, &names[0]) != KERN_SUCCESS)
		return;
	names[1] = names[0];
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = 4242;
	m.body.msgh_descriptor_count = 1;
	m.ports.address = (void *)(buf + PAGE_SIZE);
	m.ports.count = 2;
	m.ports.deallocate = true;
	m.ports.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	o->kr_copy = copyout(&m, (void __user *)buf, sizeof(m));
	if (o->kr_copy == KERN_SUCCESS)
		o->kr_copy = copyout(names, (void __user *)(buf + PAGE_SIZE), sizeof(names));
	if (o->kr_copy != KERN_SUCCESS)
		return;
	o->mr_send = ipc_mach_msg_user(space, (mach_msg_header_t __user *)buf, MACH_SEND_MSG,
				       sizeof(m), 0, MACH_PORT_NAME_NULL, 0,
				       MACH_PORT_NAME_NULL);
	o->kr_names_after = copyin((const void __user *)(buf + PAGE_SIZE), &probe,
				   sizeof(probe));
	o->kr_msg_after = copyin((const void __user *)buf, &probe, sizeof(probe));
}

static void exception_test_ool_ports_dealloc(struct ktest *t)
{
	struct xt_oolp o = { -1, -1, -1, -1, -1 };
	thread_t th;
	task_t task;

	tt_quiesce();
	tt_init(t);
	task = tt_task(t, NULL, false);
	KTEST_ASSERT_EQ(t, task_thread_create(task, xt_oolp_main, &o, BASEPRI_KERNEL,
					      "xt-oolp", &th), KERN_SUCCESS);
	thread_resume(th);
	KTEST_EXPECT_TRUE(t, sched_test_join(th, UT_TIMEOUT));
	thread_deallocate(th);
	KTEST_EXPECT_EQ(t, o.kr_alloc, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, o.kr_copy, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, o.mr_send, MACH_MSG_SUCCESS);
	KTEST_EXPECT_NE(t, o.kr_names_after, KERN_SUCCESS);	/* the region went */
	KTEST_EXPECT_EQ(t, o.kr_msg_after, KERN_SUCCESS);	/* the page before stays */
	/* The queued message, its rights and the task go with the task. */
	tt_task_done(t, task);
	/* tt_exit() without giving back this thread's reply port (in the baseline). */
	tt_settle();
	KTEST_EXPECT_EQ(t, task_count(), tt_base.tasks);
	KTEST_EXPECT_EQ(t, thread_count(), tt_base.threads);
	ipc_test_baseline_check(t, &tt_base.ipc);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), tt_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), tt_base.objects);
	KTEST_EXPECT_EQ(t, tt_pages(), tt_base.pages);
}

static struct ktest_case exception_test_cases[] = {
	KTEST_CASE(exception_test_state),
	KTEST_CASE(exception_test_state_messages),
	KTEST_CASE(exception_test_fp),
	KTEST_CASE(exception_test_tls),
	KTEST_CASE(exception_test_handler),
	KTEST_CASE(exception_test_pass_on),
	KTEST_CASE(exception_test_no_handler),
	KTEST_CASE(exception_test_terminate_waiting),
	KTEST_CASE(exception_test_ports),
	KTEST_CASE(exception_test_behaviors),
	KTEST_CASE(exception_test_state_refused),
	KTEST_CASE(exception_test_levels),
	KTEST_CASE(exception_test_trap_regs),
	KTEST_CASE(exception_test_ool_ports_dealloc),
	{}
};

static struct ktest_suite exception_test_suite = {
	.name = "exception",
	.test_cases = exception_test_cases,
};
KTEST_SUITE(exception_test_suite);

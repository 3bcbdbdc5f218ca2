// SPDX-License-Identifier: MIT
/*
 * The usermode_fp suite: a user thread that has never used FP/SIMD sees
 * the state every new thread starts with (arch_user_fp_init(): zero
 * registers, the default control words), never what another thread left
 * in the CPU's registers. A "dirty" thread loads a pattern into every
 * FP/SIMD register and a control word that differs from the default,
 * then ends in a breakpoint and waits there (its state stays in the
 * registers of its CPU: the switch saves it, nothing clears it); a fresh
 * thread then runs on the same CPU and dumps its whole state
 * (ut_blob_fpfresh, arch/<arch>/kernel/usermode_test_blobs.S).
 */
#include <kern/cpu.h>
#include <kern/string.h>
#include <ktest.h>

#include "usermode_test_util.h"

/* The blob's data page: D[0] role, D[1] control word, the pattern at D + 64. */
#define UT_FPF_ROLE	0
#define UT_FPF_CTL	8
#define UT_FPF_PATTERN	64
#define UT_FPF_REGS	512		/* the pattern's size: 16 xmm or 32 q registers */

#ifdef CONFIG_ARCH_X86_64
/* The dump: FXSAVE's image at D + 512. */
#define UT_FPF_DUMP	512
#define UT_FPF_DUMP_SIZE	512
#define UT_FPF_CTL_DIRTY	0x3f80UL	/* MXCSR: round toward -inf */
#else
/* The dump: q0-q31 at D + 1024, FPCR at D + 1536, FPSR at D + 1544. */
#define UT_FPF_DUMP	1024
#define UT_FPF_DUMP_SIZE	528
#define UT_FPF_CTL_DIRTY	0x800000UL	/* FPCR: round toward +inf */
#endif

/* The dirty thread's data: every byte of its registers non-zero. */
static void ut_fpf_dirty_data(uint8_t *d)
{
	unsigned int i;

	memset(d, 0, UT_FPF_PATTERN + UT_FPF_REGS);
	*(uint64_t *)(d + UT_FPF_CTL) = UT_FPF_CTL_DIRTY;
	for (i = 0; i < UT_FPF_REGS; i++)
		d[UT_FPF_PATTERN + i] = (uint8_t)(0xa5 ^ i) | 1;
}

/* The fresh thread's dump against the state arch_user_fp_init() gives. */
static void ut_fpf_check_fresh(struct ktest *t, const uint8_t *dump)
{
	unsigned int i, nonzero = 0;

#ifdef CONFIG_ARCH_X86_64
	uint16_t fcw, fsw;
	uint32_t mxcsr;

	memcpy(&fcw, dump + 0, sizeof(fcw));
	memcpy(&fsw, dump + 2, sizeof(fsw));
	memcpy(&mxcsr, dump + 24, sizeof(mxcsr));
	KTEST_EXPECT_EQ(t, fcw, (uint16_t)0x37f);
	KTEST_EXPECT_EQ(t, fsw, (uint16_t)0);
	KTEST_EXPECT_EQ(t, dump[4], (uint8_t)0);	/* FTW: every x87 register empty */
	KTEST_EXPECT_EQ(t, mxcsr, 0x1f80U);
	/* st0-st7 (32..159) and xmm0-xmm15 (160..415). */
	for (i = 32; i < 416; i++)
		nonzero += dump[i] != 0;
#else
	uint64_t fpcr, fpsr;

	memcpy(&fpcr, dump + 512, sizeof(fpcr));
	memcpy(&fpsr, dump + 520, sizeof(fpsr));
	KTEST_EXPECT_EQ(t, fpcr, 0UL);
	KTEST_EXPECT_EQ(t, fpsr, 0UL);
	for (i = 0; i < 512; i++)
		nonzero += dump[i] != 0;
#endif
	KTEST_EXPECT_EQ(t, nonzero, 0U);
}

/*
 * The dirty thread's registers as the switch saved them when it left its
 * CPU (switch.S's image of them in ufp), through the float flavor: its
 * pattern and its control word.
 */
static void ut_fpf_check_saved(struct ktest *t, struct ut_env *e, const uint8_t *d)
{
	natural_t buf[THREAD_STATE_MAX];
	mach_msg_type_number_t n = THREAD_STATE_MAX;
#ifdef CONFIG_ARCH_X86_64
	const x86_float_state64_t *f = (const void *)buf;

	KTEST_ASSERT_EQ(t, thread_user_state_get(e->th, x86_FLOAT_STATE64, buf, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(f->fpu_xmm, d + UT_FPF_PATTERN, sizeof(f->fpu_xmm)), 0);
	KTEST_EXPECT_EQ(t, f->fpu_mxcsr, (uint32_t)UT_FPF_CTL_DIRTY);
#else
	const arm_neon_state64_t *f = (const void *)buf;

	KTEST_ASSERT_EQ(t, thread_user_state_get(e->th, ARM_NEON_STATE64, buf, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, memcmp(f->v, d + UT_FPF_PATTERN, sizeof(f->v)), 0);
	KTEST_EXPECT_EQ(t, f->fpcr, (uint32_t)UT_FPF_CTL_DIRTY);
#endif
}

/* e's first thread made dirty on cpu and caught in its breakpoint (it waits there). */
static void ut_fpf_run_dirty(struct ktest *t, struct ut_env *e, int cpu)
{
	static uint8_t d[UT_FPF_PATTERN + UT_FPF_REGS];

	ut_fpf_dirty_data(d);
	KTEST_ASSERT_EQ(t, ut_write(e, UT_DATA, d, sizeof(d)), KERN_SUCCESS);
	ut_start(t, e, cpu);
	KTEST_ASSERT_EQ(t, ut_catch(t, e, UT_TIMEOUT), EXC_BREAKPOINT);
	ut_fpf_check_saved(t, e, d);
}

/* A fresh thread of e on cpu, data at `data`, stack below sp: its state checked. */
static void ut_fpf_run_fresh(struct ktest *t, struct ut_env *e, vm_offset_t data,
			     vm_offset_t sp, int cpu)
{
	static uint8_t dump[UT_FPF_DUMP_SIZE];
	const uint64_t role = 1;
	struct exc_test_msg m;

	KTEST_ASSERT_EQ(t, ut_write(e, data + UT_FPF_ROLE, &role, sizeof(role)), KERN_SUCCESS);
	ut_start2(t, e, data, sp, cpu);
	KTEST_ASSERT_TRUE(t, exc_test_receive(e->exc_port,
					      (mach_msg_timeout_t)(UT_TIMEOUT / NSEC_PER_MSEC),
					      &m));
	KTEST_EXPECT_PTR_EQ(t, m.thread, e->th2);
	KTEST_EXPECT_EQ(t, m.exception, EXC_BREAKPOINT);
	e->exc2 = m;
	KTEST_ASSERT_EQ(t, ut_read(e, data + UT_FPF_DUMP, dump, sizeof(dump)), KERN_SUCCESS);
	ut_fpf_check_fresh(t, dump);
}

/*
 * On each CPU in turn: the dirty thread, then a second thread of its
 * task on the same CPU while the first still waits.
 */
static void usermode_fp_test_fresh_thread(struct ktest *t)
{
	unsigned int cpu;

	for (cpu = 0; cpu < cpu_count; cpu++) {
		struct ut_env e;

		ut_setup(t, &e, ut_blob_fpfresh, ut_blob_fpfresh_end);
		ut_fpf_run_dirty(t, &e, (int)cpu);
		ut_fpf_run_fresh(t, &e, UT_DATA + 2 * PAGE_SIZE, UT_STACK_TOP - PAGE_SIZE,
				 (int)cpu);
		ut_teardown(t, &e);
	}
}

/* The same with the fresh thread in another task (another map and pmap). */
static void usermode_fp_test_fresh_task(struct ktest *t)
{
	struct ut_env e, e2;
	int cpu = (int)cpu_number();

	ut_setup(t, &e, ut_blob_fpfresh, ut_blob_fpfresh_end);
	ut_fpf_run_dirty(t, &e, cpu);
	ut_setup(t, &e2, ut_blob_fpfresh, ut_blob_fpfresh_end);
	e2.nested = true;	/* e's teardown checks the counts of both */
	ut_fpf_run_fresh(t, &e2, UT_DATA, UT_STACK_TOP, cpu);
	ut_teardown(t, &e2);
	ut_teardown(t, &e);
}

static struct ktest_case usermode_fp_test_cases[] = {
	KTEST_CASE(usermode_fp_test_fresh_thread),
	KTEST_CASE(usermode_fp_test_fresh_task),
	{}
};

static struct ktest_suite usermode_fp_test_suite = {
	.name = "usermode_fp",
	.test_cases = usermode_fp_test_cases,
};
KTEST_SUITE(usermode_fp_test_suite);

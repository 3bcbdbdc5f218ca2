// SPDX-License-Identifier: MIT
/*
 * Tests of the secondary CPUs: all that the firmware describes are
 * online, IPIs reach each of them, a timer callout entered on a CPU fires
 * there, and the clock agrees across CPUs. Boot with several CPUs
 * (scripts/ktest-runner --smp 4) for them to mean anything; on one CPU
 * the cross-CPU cases are skipped.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/smp.h>
#include <kern/timer.h>
#include <ktest.h>

#define SMP_TEST_WAIT	(2 * NSEC_PER_SEC)

static bool smp_test_wait_count(unsigned int cpu, unsigned int kind, unsigned long above)
{
	uint64_t end = clock_now() + SMP_TEST_WAIT;
	unsigned long flags = arch_irq_save();	/* restored below */
	bool ok;

	arch_irq_enable();
	while (!(ok = smp_ipi_count(cpu, kind) > above) && clock_now() < end)
		arch_cpu_relax();
	arch_irq_restore(flags);
	return ok;
}

static void smp_test_all_online(struct ktest *t)
{
	unsigned long ids[MAX_CPUS];
	unsigned int n = arch_cpu_enumerate(ids, MAX_CPUS), cpu;

	KTEST_EXPECT_GE(t, n, 1U);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE), n);
	for (cpu = 0; cpu < n; cpu++) {
		struct cpu_data *cd = cpu_data_of(cpu);

		KTEST_EXPECT_TRUE(t, __atomic_load_n(&cd->online, __ATOMIC_ACQUIRE));
		KTEST_EXPECT_EQ(t, cd->id, cpu);
		KTEST_EXPECT_PTR_EQ(t, cd->self, cd);
		KTEST_EXPECT_EQ(t, cd->arch_id, ids[cpu]);
	}
	KTEST_EXPECT_LT(t, cpu_number(), n);
}

/* Each CPU has its own copy of a per-CPU variable. */
static DEFINE_PER_CPU(unsigned long, smp_test_percpu);

static void smp_test_percpu_set(void *arg)
{
	(void)arg;
	*this_cpu_ptr(&smp_test_percpu) = 1000 + cpu_number();
}

static void smp_test_percpu_copies(struct ktest *t)
{
	unsigned int cpu, n = cpu_count;

	for (cpu = 0; cpu < n; cpu++)
		KTEST_ASSERT_EQ(t, smp_call_on_cpu(cpu, smp_test_percpu_set, NULL), KERN_SUCCESS);
	for (cpu = 0; cpu < n; cpu++)
		KTEST_EXPECT_EQ(t, *per_cpu_ptr(&smp_test_percpu, cpu), 1000UL + cpu);
	if (n > 1)
		KTEST_EXPECT_NE(t, cpu_data_of(1)->percpu_offset, 0UL);
}

static void smp_test_ipi_each(struct ktest *t)
{
	unsigned int cpu, n = cpu_count;

	for (cpu = 0; cpu < n; cpu++) {
		unsigned long before = smp_ipi_count(cpu, IPI_RESCHEDULE);

		arch_send_ipi(cpu, IPI_RESCHEDULE);
		KTEST_EXPECT_TRUE(t, smp_test_wait_count(cpu, IPI_RESCHEDULE, before));
	}
}

/* A timer callout entered on each CPU (by a cross-CPU call) fires there. */
static struct timer_call smp_test_tc[MAX_CPUS];
static unsigned int smp_test_fired_on[MAX_CPUS];
static unsigned int smp_test_fired;

static void smp_test_tc_fn(struct timer_call *tc, void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;

	(void)tc;
	smp_test_fired_on[cpu] = cpu_number();
	__atomic_add_fetch(&smp_test_fired, 1, __ATOMIC_ACQ_REL);
}

static void smp_test_tc_enter(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;

	timer_call_init(&smp_test_tc[cpu], smp_test_tc_fn, arg);
	timer_call_enter(&smp_test_tc[cpu], clock_now() + 5 * NSEC_PER_MSEC);
}

static void smp_test_timer_call_each(struct ktest *t)
{
	unsigned int cpu, n = cpu_count;
	unsigned long fired[MAX_CPUS], flags;
	uint64_t end;

	smp_test_fired = 0;
	for (cpu = 0; cpu < n; cpu++) {
		fired[cpu] = timer_calls_fired(cpu);
		smp_test_fired_on[cpu] = ~0U;
		KTEST_EXPECT_EQ(t, smp_call_on_cpu(cpu, smp_test_tc_enter, (void *)(uintptr_t)cpu),
				KERN_SUCCESS);
	}
	end = clock_now() + SMP_TEST_WAIT;
	flags = arch_irq_save();	/* restored below */
	arch_irq_enable();
	while (__atomic_load_n(&smp_test_fired, __ATOMIC_ACQUIRE) < n && clock_now() < end)
		arch_cpu_relax();
	arch_irq_restore(flags);
	for (cpu = 0; cpu < n; cpu++) {
		timer_call_cancel(&smp_test_tc[cpu]);
		KTEST_EXPECT_EQ(t, smp_test_fired_on[cpu], cpu);
		KTEST_EXPECT_GT(t, timer_calls_fired(cpu), fired[cpu]);
	}
}

/* The clock read on another CPU falls between two reads on this one. */
static void smp_test_clock_read(void *arg)
{
	*(uint64_t *)arg = clock_now();
}

static void smp_test_clock_consistent(struct ktest *t)
{
	unsigned int cpu, n = cpu_count;

	if (n < 2)
		ktest_skip(t, "one CPU");
	for (cpu = 1; cpu < n; cpu++) {
		uint64_t before, remote = 0, after;

		before = clock_now();
		KTEST_ASSERT_EQ(t, smp_call_on_cpu(cpu, smp_test_clock_read, &remote),
				KERN_SUCCESS);
		after = clock_now();
		KTEST_EXPECT_LE(t, before, remote);
		KTEST_EXPECT_LE(t, remote, after);
	}
}

static struct ktest_case smp_test_cases[] = {
	KTEST_CASE(smp_test_all_online),
	KTEST_CASE(smp_test_percpu_copies),
	KTEST_CASE(smp_test_ipi_each),
	KTEST_CASE(smp_test_timer_call_each),
	KTEST_CASE(smp_test_clock_consistent),
	{}
};

static struct ktest_suite smp_test_suite = {
	.name = "smp",
	.test_cases = smp_test_cases,
};
KTEST_SUITE(smp_test_suite);

// SPDX-License-Identifier: MIT
/*
 * Tests of the clock and of timer callouts (kernel/timer.c) on the real
 * hardware timer: the cases enable interrupts for as long as they wait
 * for a callout, then disable them again.
 *
 * Every check that involves time is one-sided or generous: a callout can
 * never run before its deadline, but QEMU on a busy host may run it late.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/irq.h>
#include <kern/timer.h>
#include <ktest.h>

#define TEST_WAIT_LIMIT		(5 * NSEC_PER_SEC)	/* a callout that never comes */
#define TEST_LOG_MAX		8

/* What the callouts of one case did, in order. */
struct timer_test_log {
	unsigned int	n;
	uintptr_t	who[TEST_LOG_MAX];
	uint64_t	when[TEST_LOG_MAX];
	bool		in_irq[TEST_LOG_MAX];
	unsigned int	cpu[TEST_LOG_MAX];
};

static struct timer_test_log test_log;

/*
 * The callouts of the timer_call cases: static, and cancelled after each
 * case, so that a case that ends early (a failed assertion) leaves nothing
 * queued that points into a dead stack frame.
 */
static struct timer_call test_tc[4];

static void timer_test_record(struct timer_call *tc, void *arg)
{
	struct timer_test_log *log = &test_log;
	unsigned int i = log->n;

	(void)tc;
	if (i < TEST_LOG_MAX) {
		log->who[i] = (uintptr_t)arg;
		log->when[i] = clock_now();
		log->in_irq[i] = in_interrupt();
		log->cpu[i] = cpu_number();
	}
	__atomic_store_n(&log->n, i + 1, __ATOMIC_RELEASE);
}

static int timer_test_init(struct ktest *t)
{
	unsigned int i;

	(void)t;
	memset(&test_log, 0, sizeof(test_log));
	/* Every one, used by the case or not: the exit cancels all of them. */
	for (i = 0; i < ARRAY_SIZE(test_tc); i++)
		timer_call_init(&test_tc[i], timer_test_record, NULL);
	return 0;
}

static void timer_test_exit(struct ktest *t)
{
	unsigned int i;

	(void)t;
	for (i = 0; i < ARRAY_SIZE(test_tc); i++)
		timer_call_cancel(&test_tc[i]);
}

/*
 * Let interrupts in until `*count` reaches `want` or the limit passes.
 * A busy wait, not hlt: a wakeup between the check and the hlt would be
 * lost if nothing else is armed. Returns whether the count was reached.
 */
static bool timer_test_wait(const unsigned int *count, unsigned int want, uint64_t limit)
{
	uint64_t end = clock_now() + limit;
	unsigned long flags = arch_irq_save();	/* restored below */
	bool reached;

	arch_irq_enable();
	while (!(reached = __atomic_load_n(count, __ATOMIC_ACQUIRE) >= want) &&
	       clock_now() < end)
		arch_cpu_relax();
	arch_irq_restore(flags);
	return reached;
}

/* Let interrupts in for `ns`, whatever happens. */
static void timer_test_sleep(uint64_t ns)
{
	uint64_t end = clock_now() + ns;
	unsigned long flags = arch_irq_save();	/* restored below */

	arch_irq_enable();
	while (clock_now() < end)
		arch_cpu_relax();
	arch_irq_restore(flags);
}

/* ---- clock ---------------------------------------------------------------- */

static void clock_test_monotonic(struct ktest *t)
{
	uint64_t prev = clock_now(), now;
	unsigned int i, backwards = 0;

	for (i = 0; i < 100000; i++) {
		now = clock_now();
		if (now < prev)
			backwards++;
		prev = now;
	}
	KTEST_EXPECT_EQ(t, backwards, 0U);
}

static void clock_test_advances(struct ktest *t)
{
	uint64_t a = clock_now(), b;

	arch_clock_reference_wait(NSEC_PER_MSEC);
	b = clock_now();
	KTEST_EXPECT_GT(t, b, a);
}

/* Since boot: the kernel has not been up for ten minutes when this runs. */
static void clock_test_since_boot(struct ktest *t)
{
	uint64_t now = clock_now();

	KTEST_EXPECT_GT(t, now, 0ULL);
	KTEST_EXPECT_LT(t, now, 600 * NSEC_PER_SEC);
}

/*
 * The clock's rate against an independent time source, which reports the
 * time it measured (not the time asked for). The clock reads around the
 * wait can still be held up (the host descheduling QEMU), so each length
 * gets several tries and one inside the band is enough: a clock running at
 * a wrong rate misses it every time.
 */
#define CLOCK_RATE_TRIES	5

static bool clock_rate_ok(uint64_t ref, uint64_t elapsed)
{
	/* elapsed also holds the reads themselves: 0.9 ref .. 1.1 ref + 2 ms */
	return elapsed * 10 >= ref * 9 && elapsed * 10 <= ref * 11 + 20 * NSEC_PER_MSEC;
}

static void clock_test_rate(struct ktest *t)
{
	static const uint64_t waits[] = { 10 * NSEC_PER_MSEC, 50 * NSEC_PER_MSEC };
	unsigned int i, try;

	for (i = 0; i < ARRAY_SIZE(waits); i++) {
		uint64_t ref = 0, elapsed = 0;

		for (try = 0; try < CLOCK_RATE_TRIES; try++) {
			uint64_t t0 = clock_now();

			ref = arch_clock_reference_wait(waits[i]);
			elapsed = clock_now() - t0;
			if (clock_rate_ok(ref, elapsed))
				break;
		}
		KTEST_EXPECT_GE(t, ref, waits[i]);
		KTEST_EXPECT_GE(t, elapsed * 10, ref * 9);
		KTEST_EXPECT_LE(t, elapsed * 10, ref * 11 + 20 * NSEC_PER_MSEC);
	}
}

static struct ktest_case clock_test_cases[] = {
	KTEST_CASE(clock_test_monotonic),
	KTEST_CASE(clock_test_advances),
	KTEST_CASE(clock_test_since_boot),
	KTEST_CASE(clock_test_rate),
	{}
};

static struct ktest_suite clock_test_suite = {
	.name = "clock",
	.test_cases = clock_test_cases,
};
KTEST_SUITE(clock_test_suite);

/* ---- timer_call ------------------------------------------------------------ */

/* Three deadlines entered out of order run in deadline order, none early. */
static void timer_call_test_order(struct ktest *t)
{
	static const unsigned int ms[] = { 30, 10, 20 };
	struct timer_call *tc = test_tc;
	uint64_t deadline[3], now = clock_now();
	unsigned int i;

	for (i = 0; i < 3; i++) {
		timer_call_init(&tc[i], timer_test_record, (void *)(uintptr_t)i);
		deadline[i] = now + ms[i] * NSEC_PER_MSEC;
		KTEST_EXPECT_FALSE(t, timer_call_enter(&tc[i], deadline[i]));
		KTEST_EXPECT_TRUE(t, timer_call_pending(&tc[i]));
	}
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 3, TEST_WAIT_LIMIT));
	KTEST_EXPECT_EQ(t, test_log.who[0], 1UL);
	KTEST_EXPECT_EQ(t, test_log.who[1], 2UL);
	KTEST_EXPECT_EQ(t, test_log.who[2], 0UL);
	for (i = 0; i < 3; i++) {
		KTEST_EXPECT_GE(t, test_log.when[i], deadline[test_log.who[i]]);
		KTEST_EXPECT_TRUE(t, test_log.in_irq[i]);
		KTEST_EXPECT_FALSE(t, timer_call_pending(&tc[i]));
	}
	KTEST_EXPECT_FALSE(t, in_interrupt());
}

static void timer_call_test_equal_deadlines(struct ktest *t)
{
	struct timer_call *tc = test_tc;
	uint64_t deadline = clock_now() + 5 * NSEC_PER_MSEC;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		timer_call_init(&tc[i], timer_test_record, (void *)(uintptr_t)i);
		timer_call_enter(&tc[i], deadline);
	}
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 4, TEST_WAIT_LIMIT));
	for (i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, test_log.who[i], (uintptr_t)i);
}

static void timer_call_test_cancel_before(struct ktest *t)
{
	struct timer_call *tc = &test_tc[0], *other = &test_tc[1];

	timer_call_init(tc, timer_test_record, (void *)1);
	timer_call_init(other, timer_test_record, (void *)2);
	timer_call_enter(tc, clock_now() + 10 * NSEC_PER_MSEC);
	timer_call_enter(other, clock_now() + 20 * NSEC_PER_MSEC);
	KTEST_EXPECT_TRUE(t, timer_call_cancel(tc));
	KTEST_EXPECT_FALSE(t, timer_call_pending(tc));
	KTEST_EXPECT_FALSE(t, timer_call_cancel(tc));	/* twice: not pending */
	/* The other one fires after tc's deadline; tc never does. */
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 1, TEST_WAIT_LIMIT));
	timer_test_sleep(10 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, test_log.n, 1U);
	KTEST_EXPECT_EQ(t, test_log.who[0], 2UL);
}

static void timer_call_test_cancel_after(struct ktest *t)
{
	struct timer_call *tc = &test_tc[0];
	unsigned int cpu = cpu_number();	/* interrupts are off: no migration */
	unsigned long fired = timer_calls_fired(cpu);

	timer_call_init(tc, timer_test_record, NULL);
	timer_call_enter(tc, clock_now() + NSEC_PER_MSEC);
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 1, TEST_WAIT_LIMIT));
	KTEST_EXPECT_FALSE(t, timer_call_cancel(tc));
	/* It ran on the CPU it was entered on, once. */
	KTEST_EXPECT_EQ(t, test_log.cpu[0], cpu);
	KTEST_EXPECT_GE(t, timer_calls_fired(cpu), fired + 1);
}

/* A deadline already past fires as soon as interrupts are let in. */
static void timer_call_test_past_deadline(struct ktest *t)
{
	struct timer_call *tc = &test_tc[0];

	timer_call_init(tc, timer_test_record, NULL);
	timer_call_enter(tc, 0);
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 1, NSEC_PER_SEC));
	KTEST_EXPECT_FALSE(t, timer_call_pending(tc));
}

/* Re-entering a pending callout moves it: earlier, then later. */
static void timer_call_test_rearm(struct ktest *t)
{
	struct timer_call *tc = &test_tc[0];
	uint64_t later;

	timer_call_init(tc, timer_test_record, NULL);
	KTEST_EXPECT_FALSE(t, timer_call_enter(tc, clock_now() + 60 * NSEC_PER_SEC));
	KTEST_EXPECT_TRUE(t, timer_call_enter(tc, clock_now() + 5 * NSEC_PER_MSEC));
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 1, TEST_WAIT_LIMIT));

	timer_call_enter(tc, clock_now() + 2 * NSEC_PER_MSEC);
	later = clock_now() + 30 * NSEC_PER_MSEC;
	KTEST_EXPECT_TRUE(t, timer_call_enter(tc, later));
	KTEST_ASSERT_TRUE(t, timer_test_wait(&test_log.n, 2, TEST_WAIT_LIMIT));
	KTEST_EXPECT_GE(t, test_log.when[1], later);
	timer_test_sleep(5 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, test_log.n, 2U);	/* the earlier deadline is gone */
}

static unsigned int rearm_self_count;

static void timer_test_rearm_self(struct timer_call *tc, void *arg)
{
	unsigned int n = rearm_self_count + 1;

	(void)arg;
	__atomic_store_n(&rearm_self_count, n, __ATOMIC_RELEASE);
	if (n < 3)
		timer_call_enter(tc, clock_now() + NSEC_PER_MSEC);
}

static void timer_call_test_reenter_self(struct ktest *t)
{
	struct timer_call *tc = &test_tc[0];

	rearm_self_count = 0;
	timer_call_init(tc, timer_test_rearm_self, NULL);
	timer_call_enter(tc, clock_now() + NSEC_PER_MSEC);
	KTEST_ASSERT_TRUE(t, timer_test_wait(&rearm_self_count, 3, TEST_WAIT_LIMIT));
	timer_test_sleep(5 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, rearm_self_count, 3U);
	KTEST_EXPECT_FALSE(t, timer_call_pending(tc));
}

static struct ktest_case timer_call_test_cases[] = {
	KTEST_CASE(timer_call_test_order),
	KTEST_CASE(timer_call_test_equal_deadlines),
	KTEST_CASE(timer_call_test_cancel_before),
	KTEST_CASE(timer_call_test_cancel_after),
	KTEST_CASE(timer_call_test_past_deadline),
	KTEST_CASE(timer_call_test_rearm),
	KTEST_CASE(timer_call_test_reenter_self),
	{}
};

static struct ktest_suite timer_call_test_suite = {
	.name = "timer_call",
	.init = timer_test_init,
	.exit = timer_test_exit,
	.test_cases = timer_call_test_cases,
};
KTEST_SUITE(timer_call_test_suite);

// SPDX-License-Identifier: MIT
/*
 * Tests of the interrupt-line registry (kernel/irq.c) and of a real
 * interrupt through the controller: an IPI this CPU sends itself.
 *
 * The registry cases use line IRQ_MAX - 1, which no controller implements
 * (the arch ignores unmask/mask there), and call irq_dispatch() directly,
 * as the arch's interrupt entry would.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/irq.h>
#include <kern/smp.h>
#include <kern/timer.h>
#include <ktest.h>

#define IRQ_TEST_LINE	(IRQ_MAX - 1)

static unsigned int irq_test_calls;
static void *irq_test_arg;
static unsigned int irq_test_line;

static void irq_test_handler(unsigned int irq, void *arg)
{
	irq_test_calls++;
	irq_test_arg = arg;
	irq_test_line = irq;
}

static void irq_test_other_handler(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
}

static int irq_test_init(struct ktest *t)
{
	(void)t;
	irq_test_calls = 0;
	irq_test_arg = NULL;
	irq_test_line = 0;
	return 0;
}

static void irq_test_exit(struct ktest *t)
{
	(void)t;
	irq_unregister(IRQ_TEST_LINE);
}

static void irq_test_register_dispatch(struct ktest *t)
{
	static int cookie;
	unsigned long before = irq_count(IRQ_TEST_LINE);

	KTEST_ASSERT_EQ(t, irq_register(IRQ_TEST_LINE, irq_test_handler, &cookie, "test"),
			KERN_SUCCESS);
	irq_dispatch(IRQ_TEST_LINE);
	irq_dispatch(IRQ_TEST_LINE);
	KTEST_EXPECT_EQ(t, irq_test_calls, 2U);
	KTEST_EXPECT_PTR_EQ(t, irq_test_arg, &cookie);
	KTEST_EXPECT_EQ(t, irq_test_line, (unsigned int)IRQ_TEST_LINE);
	KTEST_EXPECT_EQ(t, irq_count(IRQ_TEST_LINE), before + 2);
}

static void irq_test_register_twice(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, irq_register(IRQ_TEST_LINE, irq_test_handler, NULL, "test"),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, irq_register(IRQ_TEST_LINE, irq_test_other_handler, NULL, "other"),
			KERN_NAME_EXISTS);
	irq_dispatch(IRQ_TEST_LINE);
	KTEST_EXPECT_EQ(t, irq_test_calls, 1U);	/* still the first handler */
}

static void irq_test_register_invalid(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, irq_register(IRQ_MAX, irq_test_handler, NULL, "test"),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, irq_register(IRQ_TEST_LINE, NULL, NULL, "test"),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, irq_count(IRQ_MAX), 0UL);
}

/* After unregister the line counts but calls nothing; it can be taken again. */
static void irq_test_unregister(struct ktest *t)
{
	unsigned long before;

	KTEST_ASSERT_EQ(t, irq_register(IRQ_TEST_LINE, irq_test_handler, NULL, "test"),
			KERN_SUCCESS);
	irq_unregister(IRQ_TEST_LINE);
	before = irq_count(IRQ_TEST_LINE);
	irq_dispatch(IRQ_TEST_LINE);
	KTEST_EXPECT_EQ(t, irq_test_calls, 0U);
	KTEST_EXPECT_EQ(t, irq_count(IRQ_TEST_LINE), before + 1);
	KTEST_EXPECT_EQ(t, irq_register(IRQ_TEST_LINE, irq_test_handler, NULL, "test"),
			KERN_SUCCESS);
}

static void irq_test_not_in_interrupt(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, in_interrupt());
	KTEST_EXPECT_EQ(t, cpu_this()->irq_depth, 0U);
}

/*
 * A real interrupt: an IPI to ourselves goes out through the interrupt
 * controller and comes back through the arch's entry and smp_ipi_handler().
 */
static void irq_test_self_ipi(struct ktest *t)
{
	unsigned long flags = arch_irq_save();	/* restored below */
	unsigned int cpu = cpu_number();
	unsigned long before = smp_ipi_count(cpu, IPI_CALL);
	uint64_t end;

	arch_send_ipi(cpu, IPI_CALL);
	end = clock_now() + NSEC_PER_SEC;
	arch_irq_enable();
	while (smp_ipi_count(cpu, IPI_CALL) == before && clock_now() < end)
		arch_cpu_relax();
	arch_irq_restore(flags);
	KTEST_EXPECT_EQ(t, smp_ipi_count(cpu, IPI_CALL), before + 1);
	KTEST_EXPECT_EQ(t, cpu_this()->irq_depth, 0U);
}

static struct ktest_case irq_test_cases[] = {
	KTEST_CASE(irq_test_register_dispatch),
	KTEST_CASE(irq_test_register_twice),
	KTEST_CASE(irq_test_register_invalid),
	KTEST_CASE(irq_test_unregister),
	KTEST_CASE(irq_test_not_in_interrupt),
	KTEST_CASE(irq_test_self_ipi),
	{}
};

static struct ktest_suite irq_test_suite = {
	.name = "irq",
	.init = irq_test_init,
	.exit = irq_test_exit,
	.test_cases = irq_test_cases,
};
KTEST_SUITE(irq_test_suite);

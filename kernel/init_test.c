// SPDX-License-Identifier: MIT
/*
 * Tests of the init-level extension point (<kern/init.h>): entries
 * registered with KERNEL_INIT run once, during boot, in level order.
 */
#include <kern/init.h>
#include <ktest.h>

static unsigned int init_test_seq;
static unsigned int init_test_early_seen, init_test_device_seen, init_test_late_seen;
static unsigned int init_test_late_runs;

static kern_return_t init_test_early(void)
{
	init_test_early_seen = ++init_test_seq;
	return KERN_SUCCESS;
}
KERNEL_INIT(EARLY, init_test_early);

/* Registered before the DEVICE one in this file, but runs after it. */
static kern_return_t init_test_late(void)
{
	init_test_late_seen = ++init_test_seq;
	init_test_late_runs++;
	return KERN_SUCCESS;
}
KERNEL_INIT(LATE, init_test_late);

/* A failing entry is reported on the console; the boot goes on. */
static kern_return_t init_test_device(void)
{
	init_test_device_seen = ++init_test_seq;
	return KERN_FAILURE;
}
KERNEL_INIT(DEVICE, init_test_device);

static void init_test_levels_in_order(struct ktest *t)
{
	KTEST_EXPECT_GT(t, init_test_early_seen, 0u);
	KTEST_EXPECT_LT(t, init_test_early_seen, init_test_device_seen);
	KTEST_EXPECT_LT(t, init_test_device_seen, init_test_late_seen);
}

static void init_test_runs_once(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, init_test_late_runs, 1u);
}

/* The table holds our three entries, each with its own level. */
static void init_test_table(struct ktest *t)
{
	const struct kernel_init_entry *e;
	unsigned int found = 0;
	int last_level = -1;

	for (e = __kernel_init_start; e < __kernel_init_end; e++) {
		KTEST_EXPECT_GE(t, e->level, last_level);	/* sorted */
		KTEST_EXPECT_LT(t, e->level, KERNEL_INIT_NR_LEVELS);
		last_level = e->level;
		if (e->fn == init_test_early)
			found += e->level == KERNEL_INIT_LEVEL_EARLY;
		if (e->fn == init_test_device)
			found += e->level == KERNEL_INIT_LEVEL_DEVICE;
		if (e->fn == init_test_late)
			found += e->level == KERNEL_INIT_LEVEL_LATE;
	}
	KTEST_EXPECT_EQ(t, found, 3u);
}

static struct ktest_case init_test_cases[] = {
	KTEST_CASE(init_test_levels_in_order),
	KTEST_CASE(init_test_runs_once),
	KTEST_CASE(init_test_table),
	{}
};

static struct ktest_suite init_test_suite = {
	.name = "init",
	.test_cases = init_test_cases,
};
KTEST_SUITE(init_test_suite);

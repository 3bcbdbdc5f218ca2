// SPDX-License-Identifier: MIT
/*
 * Tests of the ktest harness itself. The cases that must fail live in a
 * private suite that is never registered; it runs under
 * ktest_run_suite_quiet() and the real cases check what the harness made
 * of it, so a working harness passes this suite.
 */
#include <kern/printk.h>
#include <ktest.h>

/* ------------------------------------------------------------------------
 * The private suite
 */

static struct {
	unsigned int suite_init, suite_exit, init, exit;
	unsigned int params_seen;
	bool after_expect, after_assert, after_skip, after_mark_skipped;
	bool priv_seen;
} probe;

static int private_suite_init(struct ktest_suite *suite)
{
	probe.suite_init++;
	return 0;
}

static void private_suite_exit(struct ktest_suite *suite)
{
	probe.suite_exit++;
}

static int private_init(struct ktest *t)
{
	probe.init++;
	t->priv = &probe;
	return 0;
}

static void private_exit(struct ktest *t)
{
	probe.exit++;
}

static void private_pass(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1 + 1, 2);
	KTEST_EXPECT_STREQ(t, "abc", "abc");
	probe.priv_seen = t->priv == &probe;
}

static void private_failing_expect(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1, 2);
	probe.after_expect = true;	/* EXPECT goes on */
}

static void private_failing_assert(struct ktest *t)
{
	KTEST_ASSERT_TRUE(t, false);
	probe.after_assert = true;	/* must never run */
}

static void private_skip(struct ktest *t)
{
	ktest_skip(t, "not today");
	probe.after_skip = true;	/* must never run */
}

static void private_mark_skipped(struct ktest *t)
{
	ktest_mark_skipped(t, "skipped but cleaning up");
	probe.after_mark_skipped = true;
}

static const int private_params[] = { 1, 2, 3 };

static void private_param_desc(const void *p, char *desc)
{
	snprintf(desc, KTEST_PARAM_DESC_SIZE, "value %d", *(const int *)p);
}

KTEST_ARRAY_PARAM(private_param, private_params, private_param_desc);

static void private_param(struct ktest *t)
{
	const int *p = t->param_value;

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_GT(t, *p, 0);
	probe.params_seen |= 1u << *p;
}

static struct ktest_case private_cases[] = {
	KTEST_CASE(private_pass),
	KTEST_CASE(private_failing_expect),
	KTEST_CASE(private_failing_assert),
	KTEST_CASE(private_skip),
	KTEST_CASE(private_mark_skipped),
	KTEST_CASE_PARAM(private_param, private_param_gen_params),
	{}
};

static struct ktest_suite private_suite = {
	.name = "ktest_private",
	.suite_init = private_suite_init,
	.suite_exit = private_suite_exit,
	.init = private_init,
	.exit = private_exit,
	.test_cases = private_cases,
};

/* A suite whose suite_init fails: every case is skipped, none runs. */
static int refusing_suite_init(struct ktest_suite *suite)
{
	return -1;
}

static void refusing_case(struct ktest *t)
{
	probe.after_skip = true;	/* must never run */
}

static struct ktest_case refusing_cases[] = {
	KTEST_CASE(refusing_case),
	KTEST_CASE(refusing_case),
	{}
};

static struct ktest_suite refusing_suite = {
	.name = "ktest_refusing",
	.suite_init = refusing_suite_init,
	.test_cases = refusing_cases,
};

/* A case whose every parameter skips is itself skipped. */
static void skipping_param(struct ktest *t)
{
	ktest_skip(t, "every parameter skips");
}

static struct ktest_case skipping_cases[] = {
	KTEST_CASE_PARAM(skipping_param, private_param_gen_params),
	{}
};

static struct ktest_suite skipping_suite = {
	.name = "ktest_skipping",
	.test_cases = skipping_cases,
};

/* ------------------------------------------------------------------------
 * The real cases
 */

static int ktest_test_init(struct ktest *t)
{
	memset(&probe, 0, sizeof(probe));
	return 0;
}

static void ktest_test_counts(struct ktest *t)
{
	unsigned int passed = 99, failed = 99, skipped = 99;
	enum ktest_status status;

	status = ktest_run_suite_quiet(&private_suite, &passed, &failed, &skipped);
	KTEST_EXPECT_EQ(t, (int)status, KTEST_FAILURE);
	KTEST_EXPECT_EQ(t, (int)private_suite.status, KTEST_FAILURE);
	/* pass + 3 parameters; expect + assert; skip + mark_skipped */
	KTEST_EXPECT_EQ(t, passed, 4u);
	KTEST_EXPECT_EQ(t, failed, 2u);
	KTEST_EXPECT_EQ(t, skipped, 2u);
}

static void ktest_test_statuses(struct ktest *t)
{
	ktest_run_suite_quiet(&private_suite, NULL, NULL, NULL);
	KTEST_EXPECT_EQ(t, (int)private_cases[0].status, KTEST_SUCCESS);
	KTEST_EXPECT_EQ(t, (int)private_cases[1].status, KTEST_FAILURE);
	KTEST_EXPECT_EQ(t, (int)private_cases[2].status, KTEST_FAILURE);
	KTEST_EXPECT_EQ(t, (int)private_cases[3].status, KTEST_SKIPPED);
	KTEST_EXPECT_EQ(t, (int)private_cases[4].status, KTEST_SKIPPED);
	KTEST_EXPECT_EQ(t, (int)private_cases[5].status, KTEST_SUCCESS);
}

static void ktest_test_expect_goes_on(struct ktest *t)
{
	ktest_run_suite_quiet(&private_suite, NULL, NULL, NULL);
	KTEST_EXPECT_TRUE(t, probe.after_expect);
	KTEST_EXPECT_TRUE(t, probe.after_mark_skipped);
}

static void ktest_test_assert_ends_case(struct ktest *t)
{
	ktest_run_suite_quiet(&private_suite, NULL, NULL, NULL);
	KTEST_EXPECT_FALSE(t, probe.after_assert);
	KTEST_EXPECT_FALSE(t, probe.after_skip);
}

static void ktest_test_hooks(struct ktest *t)
{
	ktest_run_suite_quiet(&private_suite, NULL, NULL, NULL);
	KTEST_EXPECT_EQ(t, probe.suite_init, 1u);
	KTEST_EXPECT_EQ(t, probe.suite_exit, 1u);
	/* one init and one exit per case and per parameter: 5 + 3 */
	KTEST_EXPECT_EQ(t, probe.init, 8u);
	KTEST_EXPECT_EQ(t, probe.exit, 8u);
	KTEST_EXPECT_TRUE(t, probe.priv_seen);
}

static void ktest_test_params(struct ktest *t)
{
	ktest_run_suite_quiet(&private_suite, NULL, NULL, NULL);
	KTEST_EXPECT_EQ(t, probe.params_seen, (1u << 1) | (1u << 2) | (1u << 3));
}

static void ktest_test_suite_init_fails(struct ktest *t)
{
	unsigned int passed, failed, skipped;
	enum ktest_status status;

	status = ktest_run_suite_quiet(&refusing_suite, &passed, &failed, &skipped);
	KTEST_EXPECT_EQ(t, (int)status, KTEST_SKIPPED);
	KTEST_EXPECT_EQ(t, passed, 0u);
	KTEST_EXPECT_EQ(t, failed, 0u);
	KTEST_EXPECT_EQ(t, skipped, 2u);
	KTEST_EXPECT_FALSE(t, probe.after_skip);
}

static void ktest_test_all_params_skipped(struct ktest *t)
{
	unsigned int passed, failed, skipped;
	enum ktest_status status;

	status = ktest_run_suite_quiet(&skipping_suite, &passed, &failed, &skipped);
	KTEST_EXPECT_EQ(t, (int)status, KTEST_SKIPPED);
	KTEST_EXPECT_EQ(t, (int)skipping_cases[0].status, KTEST_SKIPPED);
	KTEST_EXPECT_EQ(t, skipped, 3u);
	KTEST_EXPECT_EQ(t, passed + failed, 0u);
}

static void ktest_test_skip_reported(struct ktest *t)
{
	ktest_mark_skipped(t, "checking that %s works", "mark_skipped");
	KTEST_EXPECT_EQ(t, (int)t->status, KTEST_SKIPPED);
	KTEST_EXPECT_STREQ(t, t->status_comment, "checking that mark_skipped works");
}

/* The filter's matcher: ktest.filter= picks suites and cases with it. */
static void ktest_test_glob(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, glob_match("*", ""));
	KTEST_EXPECT_TRUE(t, glob_match("printk", "printk"));
	KTEST_EXPECT_FALSE(t, glob_match("printk", "printk_test"));
	KTEST_EXPECT_TRUE(t, glob_match("print*", "printk"));
	KTEST_EXPECT_TRUE(t, glob_match("ipc*", "ipc_port.ipc_test_alloc"));
	KTEST_EXPECT_TRUE(t, glob_match("*.case?", "suite.case1"));
	KTEST_EXPECT_FALSE(t, glob_match("*.case?", "suite.case"));
	KTEST_EXPECT_TRUE(t, glob_match("a*b*c", "aXbYbZc"));
	KTEST_EXPECT_FALSE(t, glob_match("a*b*c", "aXbYbZ"));
	KTEST_EXPECT_TRUE(t, glob_match("*a*a*", "banana"));
	KTEST_EXPECT_FALSE(t, glob_match("?", ""));
	/* Lists: any of them. */
	KTEST_EXPECT_TRUE(t, glob_match_list("timer_call,usermode", "usermode"));
	KTEST_EXPECT_TRUE(t, glob_match_list("ipc*,vm_*", "vm_map.vm_map_test_clip"));
	KTEST_EXPECT_FALSE(t, glob_match_list("ipc*,vm_*", "pmap"));
	KTEST_EXPECT_TRUE(t, glob_match_list("a*", "abc"));
	KTEST_EXPECT_FALSE(t, glob_match_list("a,b", "a,b"));
	KTEST_EXPECT_TRUE(t, glob_match_list("x,,*c", "abc"));
	KTEST_EXPECT_TRUE(t, glob_match_list("x,", ""));
	KTEST_EXPECT_FALSE(t, glob_match_list("x*", ""));
}

static struct ktest_case ktest_test_cases[] = {
	KTEST_CASE(ktest_test_counts),
	KTEST_CASE(ktest_test_statuses),
	KTEST_CASE(ktest_test_expect_goes_on),
	KTEST_CASE(ktest_test_assert_ends_case),
	KTEST_CASE(ktest_test_hooks),
	KTEST_CASE(ktest_test_params),
	KTEST_CASE(ktest_test_suite_init_fails),
	KTEST_CASE(ktest_test_all_params_skipped),
	KTEST_CASE(ktest_test_skip_reported),
	KTEST_CASE(ktest_test_glob),
	{}
};

static struct ktest_suite ktest_test_suite = {
	.name = "ktest",
	.init = ktest_test_init,
	.test_cases = ktest_test_cases,
};
KTEST_SUITE(ktest_test_suite);

// SPDX-License-Identifier: MIT
/*
 * The "ktest_crash" suite crashes the kernel on purpose, so that the whole
 * chain can be tested from outside: the trap handler, panic(), the report of
 * the running case as "not ok ... # crashed", the failure exit status, and
 * the runner's verdict. It only does so when asked on the command line,
 *
 *	ktest.crash=panic	panic() from a case
 *	ktest.crash=fault	write through a NULL pointer (page fault / data abort)
 *	ktest.crash=undef	an undefined instruction
 *
 * and is reported as skipped otherwise. `make check` boots each board with
 * ktest.crash=fault and expects the runner to fail with a crashed case.
 */
#include <kern/cmdline.h>
#include <kern/panic.h>
#include <ktest.h>

static int ktest_crash_suite_init(struct ktest_suite *suite)
{
	/* Nonzero: the harness skips the whole suite. */
	return cmdline_get("ktest.crash") == NULL;
}

/* Not inlined, so that the backtrace shows a frame of its own. */
static __noinline void ktest_crash_now(const char *how)
{
	volatile unsigned long *volatile nowhere = NULL;

	if (!strcmp(how, "panic"))
		panic("ktest.crash=panic: deliberate panic");
	if (!strcmp(how, "fault"))
		*nowhere = 0xdead;
	if (!strcmp(how, "undef"))
		__builtin_trap();
}

static void ktest_crash_test_requested(struct ktest *t)
{
	const char *how = cmdline_get("ktest.crash");

	ktest_crash_now(how);
	/* Reached only for an unknown kind: that is the test's failure. */
	KTEST_FAIL(t, "ktest.crash=%s: no such crash (panic, fault, undef)", how);
}

static struct ktest_case ktest_crash_test_cases[] = {
	KTEST_CASE(ktest_crash_test_requested),
	{}
};

static struct ktest_suite ktest_crash_test_suite = {
	.name = "ktest_crash",
	.suite_init = ktest_crash_suite_init,
	.test_cases = ktest_crash_test_cases,
};
KTEST_SUITE(ktest_crash_test_suite);

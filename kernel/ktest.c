// SPDX-License-Identifier: MIT
/*
 * ktest: the harness behind <ktest.h>.
 *
 * Suites come from the .ktest_suites.* linker section (KTEST_SUITE). The
 * report is KTAP version 1 (Linux Documentation/dev-tools/ktap.rst): each
 * suite is a nested test whose lines are indented by two spaces, as the
 * specification says, with a "# Subtest: <suite>" diagnostic after its
 * version line; a parameterised case nests once more, one result per
 * parameter. For example:
 *
 *	KTAP version 1
 *	1..2
 *	  KTAP version 1
 *	  # Subtest: printk
 *	  1..2
 *	  ok 1 printk_test_width
 *	    KTAP version 1
 *	    # Subtest: printk_test_formats
 *	    1..2
 *	    ok 1 %d
 *	    ok 2 %x
 *	  ok 2 printk_test_formats
 *	ok 1 printk
 *	...
 *	# ktest: 9 passed, 0 failed, 1 skipped
 *
 * The counts of the last line are of leaf results: a case, or each
 * parameter of a parameterised case. An ASSERT leaves the case through
 * __builtin_longjmp() to the point where the harness called it; the
 * case's exit hook still runs.
 */
#include <kern/arch.h>
#include <kern/cmdline.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <ktest.h>

#ifdef __CHECKER__
/* sparse does not know gcc's setjmp builtins. */
int __builtin_setjmp(void **buf);
void __noreturn __builtin_longjmp(void **buf, int val);
#endif

/* Filled by the linker (KERNEL_TABLES in <kern/machline.lds.h>). */
extern struct ktest_suite *const __ktest_suites_start[];
extern struct ktest_suite *const __ktest_suites_end[];

/*
 * KTAP must reach the console whatever the console level ("quiet" sets 4):
 * a test kernel exists to print it.
 */
#define KTAP_LEVEL	KERN_ALERT

/* One run of the harness: the boot run, or a private one (quiet). */
struct ktest_run {
	bool		quiet;		/* no KTAP output at all */
	const char	*filter;	/* ktest.filter= glob, or NULL */
	unsigned int	nr_passed, nr_failed, nr_skipped;
};

/*
 * What the boot run is doing, for ktest_report_panic(). A private run
 * started from inside a case leaves this alone: a crash there is the
 * outer case's crash.
 */
static struct {
	struct ktest_suite *suite;	/* NULL between suites */
	unsigned int	suite_nr;
	struct ktest	*test;		/* the running case, or NULL */
	unsigned int	case_nr;
	unsigned int	param_nr;	/* 0 unless a parameter is running */
	const char	*param_desc;
	struct ktest_run *run;
} ktest_now;

/* The innermost running case (boot or private run), for ktest_fail_at. */
static struct ktest *ktest_current;

/* ------------------------------------------------------------------------
 * Output
 */

static void __printf(3, 4) ktap_print(const struct ktest_run *run, int depth,
				      const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (run->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk(KTAP_LEVEL "%*s%s\n", 2 * depth, "", line);
}

/* A result line: "ok N name", "not ok N name", "ok N name # SKIP reason". */
static void ktap_result(const struct ktest_run *run, int depth, unsigned int nr,
			const char *name, enum ktest_status status, const char *comment)
{
	if (status == KTEST_SKIPPED)
		ktap_print(run, depth, "ok %u %s # SKIP%s%s", nr, name,
			   comment && *comment ? " " : "", comment ? comment : "");
	else
		ktap_print(run, depth, "%s %u %s%s%s", status == KTEST_FAILURE ? "not ok" : "ok",
			   nr, name, comment && *comment ? " # " : "", comment ? comment : "");
}

static void ktap_header(const struct ktest_run *run, int depth, const char *name,
			unsigned int plan)
{
	ktap_print(run, depth, "KTAP version 1");
	if (name)
		ktap_print(run, depth, "# Subtest: %s", name);
	ktap_print(run, depth, "1..%u", plan);
}

/* How deep the lines of the running case go: suite 1, parameter 2. */
static int ktest_depth(void)
{
	return ktest_now.param_nr ? 2 : 1;
}

/* ------------------------------------------------------------------------
 * The API that cases call
 */

void ktest_fail_at(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	char *p, *nl;
	va_list ap;

	t->status = KTEST_FAILURE;
	t->nr_failed++;
	if (t->quiet)
		return;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	/* Every line of the message at the case's indentation. */
	printk(KTAP_LEVEL "%*s# %s:%d: ", 2 * ktest_depth(), "", file, line);
	for (p = msg; (nl = strchr(p, '\n')); p = nl + 1)
		printk(KERN_CONT "%.*s\n%*s", (int)(nl - p), p, 2 * ktest_depth(), "");
	printk(KERN_CONT "%s\n", p);
}

void ktest_abort(struct ktest *t)
{
	__builtin_longjmp((void **)t->jump_buf, 1);
}

static void ktest_vmark_skipped(struct ktest *t, const char *fmt, va_list ap)
{
	/* A failure already recorded stands: skipping does not hide it. */
	if (t->status != KTEST_FAILURE)
		t->status = KTEST_SKIPPED;
	vsnprintf(t->status_comment, sizeof(t->status_comment), fmt, ap);
}

void ktest_mark_skipped(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktest_vmark_skipped(t, fmt, ap);
	va_end(ap);
}

void ktest_skip(struct ktest *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ktest_vmark_skipped(t, fmt, ap);
	va_end(ap);
	ktest_abort(t);
}

void ktest_param_desc(char *desc, void (*fn)(const void *, char *),
		      const void *param, unsigned long index)
{
	if (fn)
		fn(param, desc);
	else
		snprintf(desc, KTEST_PARAM_DESC_SIZE, "%lu", index);
}

/* ------------------------------------------------------------------------
 * Running cases
 */

/*
 * Call fn(t) so that ktest_abort(t) comes back here. Kept apart and not
 * inlined: after __builtin_longjmp() nothing in this frame is relied on.
 */
static __noinline void ktest_call_guarded(struct ktest *t, void (*fn)(struct ktest *))
{
	if (__builtin_setjmp((void **)t->jump_buf) == 0)
		fn(t);
}

static struct ktest_suite *ktest_hook_suite;	/* for the two hooks below */
static int ktest_hook_init_result;

static void ktest_hook_init(struct ktest *t)
{
	ktest_hook_init_result = ktest_hook_suite->init(t);
}

static void ktest_hook_exit(struct ktest *t)
{
	ktest_hook_suite->exit(t);
}

/* Run one case (one parameter) from init to exit; the result is in t. */
static void ktest_run_once(struct ktest_suite *suite, struct ktest_case *c,
			   struct ktest *t)
{
	struct ktest *outer = ktest_current;

	t->status = KTEST_SUCCESS;
	t->outer = outer;
	ktest_current = t;

	if (suite->init) {
		ktest_hook_suite = suite;
		ktest_hook_init_result = 0;
		ktest_call_guarded(t, ktest_hook_init);
		if (ktest_hook_init_result) {
			ktest_fail_at(t, __FILE__, __LINE__, "%s: init failed (%d)",
				      suite->name, ktest_hook_init_result);
			goto out;
		}
	}
	if (t->status == KTEST_SUCCESS)
		ktest_call_guarded(t, c->run_case);
	if (suite->exit) {
		ktest_hook_suite = suite;
		ktest_call_guarded(t, ktest_hook_exit);
	}
out:
	if (t->nr_failed)
		t->status = KTEST_FAILURE;
	ktest_current = outer;
}

static void ktest_count(struct ktest_run *run, enum ktest_status status)
{
	if (status == KTEST_SUCCESS)
		run->nr_passed++;
	else if (status == KTEST_FAILURE)
		run->nr_failed++;
	else
		run->nr_skipped++;
}

void ktest_count_nested(struct ktest *t, unsigned int passed, unsigned int failed,
			unsigned int skipped)
{
	t->nested = true;
	t->nested_passed = passed;
	t->nested_failed = failed;
	t->nested_skipped = skipped;
}

/*
 * A case with a nested block counts its leaves; if it failed although
 * none of them did (its own checks failed), one failure more.
 */
static void ktest_count_case(struct ktest_run *run, const struct ktest *t)
{
	if (!t->nested) {
		ktest_count(run, t->status);
		return;
	}
	run->nr_passed += t->nested_passed;
	run->nr_failed += t->nested_failed;
	run->nr_skipped += t->nested_skipped;
	if (t->status == KTEST_FAILURE && !t->nested_failed)
		run->nr_failed++;
}

static void ktest_init_test(struct ktest *t, const struct ktest_run *run,
			    const struct ktest_case *c)
{
	memset(t, 0, sizeof(*t));
	t->name = c->name;
	t->quiet = run->quiet;
}

/* A '#' in a description would start a KTAP directive; a newline, a new line. */
static void ktest_sanitize_desc(char *desc)
{
	for (; *desc; desc++) {
		if (*desc == '#' || *desc == '\n' || *desc == '\r')
			*desc = '_';
	}
}

static unsigned int ktest_count_params(const struct ktest_case *c)
{
	char desc[KTEST_PARAM_DESC_SIZE];
	const void *p;
	unsigned int n = 0;

	for (p = c->generate_params(NULL, desc); p; p = c->generate_params(p, desc))
		n++;
	return n;
}

/*
 * A parameterised case: a nested test with one result per parameter. The
 * case fails if a parameter fails and is skipped if all were.
 */
static enum ktest_status ktest_run_params(struct ktest_run *run, struct ktest_suite *suite,
					  struct ktest_case *c, bool track)
{
	char desc[KTEST_PARAM_DESC_SIZE];
	unsigned int nr = 0, nr_params = ktest_count_params(c), nr_skipped = 0;
	enum ktest_status status = KTEST_SUCCESS;
	const void *p;
	struct ktest t;

	ktap_header(run, 2, c->name, nr_params);
	memset(desc, 0, sizeof(desc));
	for (p = c->generate_params(NULL, desc); p; p = c->generate_params(p, desc)) {
		desc[sizeof(desc) - 1] = '\0';
		ktest_sanitize_desc(desc);
		ktest_init_test(&t, run, c);
		t.param_value = p;
		nr++;
		if (track) {
			ktest_now.param_nr = nr;
			ktest_now.param_desc = desc;
		}
		ktest_run_once(suite, c, &t);
		if (track)
			ktest_now.param_nr = 0;
		ktap_result(run, 2, nr, desc, t.status, t.status_comment);
		ktest_count(run, t.status);
		if (t.status == KTEST_FAILURE)
			status = KTEST_FAILURE;
		else if (t.status == KTEST_SKIPPED)
			nr_skipped++;
		memset(desc, 0, sizeof(desc));
	}
	if (status != KTEST_FAILURE && nr_skipped == nr)
		status = KTEST_SKIPPED;		/* all skipped, or none at all */
	return status;
}

/* ------------------------------------------------------------------------
 * Running suites
 */

/*
 * Does the filter select this case? It is a comma-separated list of
 * globs, each matched against "suite" and "suite.case".
 */
static bool ktest_filter_case(const struct ktest_run *run, const struct ktest_suite *suite,
			      const struct ktest_case *c)
{
	char full[128];

	if (!run->filter || glob_match_list(run->filter, suite->name))
		return true;
	snprintf(full, sizeof(full), "%s.%s", suite->name, c->name);
	return glob_match_list(run->filter, full);
}

static unsigned int ktest_suite_plan(const struct ktest_run *run,
				     const struct ktest_suite *suite)
{
	const struct ktest_case *c;
	unsigned int n = 0;

	for (c = suite->test_cases; c && c->run_case; c++)
		n += ktest_filter_case(run, suite, c);
	return n;
}

/* Run the selected cases of a suite, printing its nested block. */
static enum ktest_status ktest_run_suite(struct ktest_run *run, struct ktest_suite *suite,
					 bool track)
{
	unsigned int nr = 0, nr_cases = ktest_suite_plan(run, suite), nr_skipped = 0;
	enum ktest_status status = KTEST_SUCCESS;
	char reason[64] = "";
	struct ktest_case *c;
	int err = 0;

	ktap_header(run, 1, suite->name, nr_cases);
	if (suite->suite_init) {
		err = suite->suite_init(suite);
		if (err)
			snprintf(reason, sizeof(reason), "suite_init failed (%d)", err);
	}

	for (c = suite->test_cases; c && c->run_case; c++) {
		struct ktest t;

		if (!ktest_filter_case(run, suite, c))
			continue;
		nr++;
		ktest_init_test(&t, run, c);
		if (track) {
			ktest_now.case_nr = nr;
			ktest_now.test = &t;
		}
		if (err) {
			c->status = KTEST_SKIPPED;
			ktest_count(run, c->status);
		} else if (c->generate_params) {
			c->status = ktest_run_params(run, suite, c, track);
		} else {
			ktest_run_once(suite, c, &t);
			c->status = t.status;
			ktest_count_case(run, &t);
		}
		if (track)
			ktest_now.test = NULL;
		ktap_result(run, 1, nr, c->name, c->status,
			    err ? reason : c->generate_params ? NULL : t.status_comment);
		if (c->status == KTEST_FAILURE)
			status = KTEST_FAILURE;
		else if (c->status == KTEST_SKIPPED)
			nr_skipped++;
	}

	if (!err && suite->suite_exit)
		suite->suite_exit(suite);
	if (status != KTEST_FAILURE && nr_skipped == nr && nr)
		status = KTEST_SKIPPED;
	suite->status = status;
	return status;
}

enum ktest_status ktest_run_suite_quiet(struct ktest_suite *suite,
					unsigned int *nr_passed, unsigned int *nr_failed,
					unsigned int *nr_skipped)
{
	struct ktest_run run = { .quiet = true, .filter = NULL };
	enum ktest_status status;

	status = ktest_run_suite(&run, suite, false);
	if (nr_passed)
		*nr_passed = run.nr_passed;
	if (nr_failed)
		*nr_failed = run.nr_failed;
	if (nr_skipped)
		*nr_skipped = run.nr_skipped;
	return status;
}

#ifdef CONFIG_KTEST
static void ktest_summary(const struct ktest_run *run, unsigned int extra_failed)
{
	printk(KTAP_LEVEL "# ktest: %u passed, %u failed, %u skipped\n",
	       run->nr_passed, run->nr_failed + extra_failed, run->nr_skipped);
}

void ktest_run_all(void)
{
	struct ktest_run run = { .quiet = false, .filter = NULL };
	static char filter[128];	/* a copy: the cmdline suite borrows boot_params */
	const char *arg = cmdline_get("ktest.filter");
	struct ktest_suite *const *sp;
	unsigned int nr = 0, nr_suites = 0;
	const char *shutdown;

	if (arg && *arg) {
		strlcpy(filter, arg, sizeof(filter));
		run.filter = filter;
	}
	for (sp = __ktest_suites_start; sp < __ktest_suites_end; sp++)
		nr_suites += ktest_suite_plan(&run, *sp) > 0;

	ktap_print(&run, 0, "KTAP version 1");
	ktap_print(&run, 0, "1..%u", nr_suites);
	ktest_now.run = &run;
	for (sp = __ktest_suites_start; sp < __ktest_suites_end; sp++) {
		struct ktest_suite *suite = *sp;
		enum ktest_status status;

		if (!ktest_suite_plan(&run, suite))
			continue;
		nr++;
		ktest_now.suite = suite;
		ktest_now.suite_nr = nr;
		status = ktest_run_suite(&run, suite, true);
		ktest_now.suite = NULL;
		ktap_result(&run, 0, nr, suite->name, status, NULL);
	}
	ktest_now.run = NULL;
	ktest_summary(&run, 0);

	shutdown = cmdline_get("ktest.shutdown");
	if (shutdown && strcmp(shutdown, "none") == 0)
		return;
	arch_poweroff(run.nr_failed ? 1 : 0);
}

/*
 * A panic in the middle of the boot run: close the open results as failed,
 * so that the KTAP stream stays well formed and says which case crashed.
 * The remaining suites never run; the runner sees the short plan.
 */
void ktest_report_panic(const char *reason)
{
	struct ktest_run *run = ktest_now.run;

	if (!run || !ktest_now.suite)
		return;
	ktest_now.run = NULL;		/* once only */
	if (ktest_now.test) {
		if (ktest_now.param_nr) {
			ktap_print(run, 2, "not ok %u %s # crashed: %s", ktest_now.param_nr,
				   ktest_now.param_desc, reason);
			ktap_print(run, 1, "not ok %u %s", ktest_now.case_nr,
				   ktest_now.test->name);
		} else {
			ktap_print(run, 1, "not ok %u %s # crashed: %s", ktest_now.case_nr,
				   ktest_now.test->name, reason);
		}
	}
	ktap_print(run, 0, "not ok %u %s # crashed: %s", ktest_now.suite_nr,
		   ktest_now.suite->name, reason);
	ktest_summary(run, 1);
}
#endif /* CONFIG_KTEST */

/* SPDX-License-Identifier: MIT */
/*
 * ktest: KUnit-style self-tests that run inside the kernel at boot and
 * report KTAP version 1 on the console. See Documentation/dev-tools/ktest.rst.
 *
 *	static void printk_test_width(struct ktest *t)
 *	{
 *		char buf[16];
 *
 *		snprintf(buf, sizeof(buf), "%5d", 42);
 *		KTEST_EXPECT_STREQ(t, buf, "   42");
 *	}
 *
 *	static struct ktest_case printk_test_cases[] = {
 *		KTEST_CASE(printk_test_width),
 *		{}
 *	};
 *
 *	static struct ktest_suite printk_test_suite = {
 *		.name = "printk",
 *		.test_cases = printk_test_cases,
 *	};
 *	KTEST_SUITE(printk_test_suite);
 *
 * EXPECT records a failure and lets the case go on; ASSERT records it and
 * ends the case at once. Both print file:line and the compared values.
 * A suite lives beside the code it tests (kernel/printk_test.c) and has its
 * own Kconfig symbol that depends on KTEST.
 */
#ifndef _KTEST_H
#define _KTEST_H

#include <kern/types.h>
#include <kern/string.h>

enum ktest_status {
	KTEST_SUCCESS,
	KTEST_FAILURE,
	KTEST_SKIPPED,
};

#define KTEST_PARAM_DESC_SIZE	128

struct ktest;

struct ktest_case {
	const char *name;
	void (*run_case)(struct ktest *t);
	/*
	 * Parameterised cases: called with prev = NULL for the first
	 * parameter and then with the previous one; returns NULL when done.
	 * Writes a description of the parameter into desc.
	 */
	const void *(*generate_params)(const void *prev, char *desc);
	/* Filled in by the harness. */
	enum ktest_status status;
};

struct ktest_suite {
	const char *name;
	int (*suite_init)(struct ktest_suite *suite);	/* nonzero: skip suite */
	void (*suite_exit)(struct ktest_suite *suite);
	int (*init)(struct ktest *t);			/* before each case */
	void (*exit)(struct ktest *t);			/* after each case */
	struct ktest_case *test_cases;			/* ends with {} */
	/* Filled in by the harness. */
	enum ktest_status status;
};

/* The state of one running case, passed to every case function. */
struct ktest {
	const char *name;		/* the case's name */
	const void *param_value;	/* the current parameter, or NULL */
	void *priv;			/* for init/exit and the case to share */
	enum ktest_status status;
	char status_comment[128];	/* the reason of a skip */
	unsigned int nr_failed;		/* failed expectations in this case */
	bool quiet;			/* don't print failure details */
	long jump_buf[8];		/* where an ASSERT ends the case */
	struct ktest *outer;		/* the case running when this one started */
	/* Set by ktest_count_nested(): the leaves this case printed itself. */
	bool nested;
	unsigned int nested_passed, nested_failed, nested_skipped;
};

#define KTEST_CASE(fn)			{ .name = #fn, .run_case = fn }
#define KTEST_CASE_PARAM(fn, gen)	{ .name = #fn, .run_case = fn, .generate_params = gen }

/* Register a suite: it goes to the linker section that the harness walks. */
#define KTEST_SUITE(suite)						\
	static struct ktest_suite *const __ktest_ptr_##suite		\
	__used __section(".ktest_suites." #suite) __aligned(sizeof(void *)) = &(suite)

/*
 * KTEST_ARRAY_PARAM(name, array, desc_fn) defines name##_gen_params, a
 * generator walking a static array; desc_fn(const T *p, char *desc) may be
 * NULL (the description is then the index).
 */
#define KTEST_ARRAY_PARAM(name, array, desc_fn)				\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		__typeof__(&(array)[0]) __p = prev ? ((__typeof__(&(array)[0]))prev) + 1 \
						   : &(array)[0];	\
		if (__p >= &(array)[ARRAY_SIZE(array)])			\
			return NULL;					\
		ktest_param_desc(desc, (void (*)(const void *, char *))(desc_fn), \
				 __p, (unsigned long)(__p - &(array)[0])); \
		return __p;						\
	}

void ktest_param_desc(char *desc, void (*fn)(const void *, char *),
		      const void *param, unsigned long index);

/* Run every registered suite (filtered by ktest.filter=), report, power off. */
#ifdef CONFIG_KTEST
void ktest_run_all(void);
/* Called by panic(): report the running case and suite as failed. */
void ktest_report_panic(const char *reason);
#else
static inline void ktest_run_all(void) { }
static inline void ktest_report_panic(const char *reason) { }
#endif

/* Run one suite under a private harness: used by the harness's own tests. */
enum ktest_status ktest_run_suite_quiet(struct ktest_suite *suite,
					unsigned int *nr_passed, unsigned int *nr_failed,
					unsigned int *nr_skipped);

/*
 * The case printed a nested KTAP block of its own (a user-mode test
 * program's, kernel/ktest_user.c): count its leaf results instead of the
 * case, as scripts/ktest-runner does.
 */
void ktest_count_nested(struct ktest *t, unsigned int passed, unsigned int failed,
			unsigned int skipped);

/* Mark the case skipped and end it. */
void __noreturn ktest_skip(struct ktest *t, const char *fmt, ...) __printf(2, 3);
/* Mark skipped but go on (for cleanup). */
void ktest_mark_skipped(struct ktest *t, const char *fmt, ...) __printf(2, 3);

/* Record a failure, printing "# file:line: " + message. */
void ktest_fail_at(struct ktest *t, const char *file, int line,
		   const char *fmt, ...) __printf(4, 5);
/* End the current case (after an assertion failed). */
void __noreturn ktest_abort(struct ktest *t);

#define KTEST_FAIL(t, fmt, ...)						\
	ktest_fail_at(t, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

/* The core of every check; `fatal` makes it an assertion. */
#define __KTEST_CHECK(t, fatal, cond, fmt, ...)				\
	do {								\
		if (unlikely(!(cond))) {				\
			ktest_fail_at(t, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
			if (fatal)					\
				ktest_abort(t);				\
		}							\
	} while (0)

/*
 * Integer comparisons print both sides as signed and as hex. The operands
 * are evaluated once.
 */
#define __KTEST_BINARY(t, fatal, a, op, b)				\
	do {								\
		__typeof__(a) __a = (a);				\
		__typeof__(b) __b = (b);				\
		__KTEST_CHECK(t, fatal, __a op __b,			\
			"Expected %s %s %s, but\n#     %s == %lld (0x%llx)\n#     %s == %lld (0x%llx)", \
			#a, #op, #b, #a, (long long)__a, (unsigned long long)__a, \
			#b, (long long)__b, (unsigned long long)__b);	\
	} while (0)

#define __KTEST_PTR(t, fatal, a, op, b)					\
	do {								\
		const void *__a = (a);					\
		const void *__b = (b);					\
		__KTEST_CHECK(t, fatal, __a op __b,			\
			"Expected %s %s %s, but\n#     %s == %p\n#     %s == %p", \
			#a, #op, #b, #a, __a, #b, __b);			\
	} while (0)

#define __KTEST_STR(t, fatal, a, op, b)					\
	do {								\
		const char *__a = (a);					\
		const char *__b = (b);					\
		__KTEST_CHECK(t, fatal, __a && __b && (strcmp(__a, __b) op 0), \
			"Expected %s %s %s, but\n#     %s == \"%s\"\n#     %s == \"%s\"", \
			#a, #op, #b, #a, __a ? __a : "(null)", #b, __b ? __b : "(null)"); \
	} while (0)

#define __KTEST_MEM(t, fatal, a, op, b, n)				\
	do {								\
		const void *__a = (a);					\
		const void *__b = (b);					\
		size_t __n = (n);					\
		__KTEST_CHECK(t, fatal, memcmp(__a, __b, __n) op 0,	\
			"Expected %s %s %s over %zu bytes, but they %s", \
			#a, #op, #b, __n, #op[0] == '=' ? "differ" : "are equal"); \
	} while (0)

#define KTEST_EXPECT_TRUE(t, c)		__KTEST_CHECK(t, false, (c), "Expected %s to be true", #c)
#define KTEST_EXPECT_FALSE(t, c)	__KTEST_CHECK(t, false, !(c), "Expected %s to be false", #c)
#define KTEST_EXPECT_EQ(t, a, b)	__KTEST_BINARY(t, false, a, ==, b)
#define KTEST_EXPECT_NE(t, a, b)	__KTEST_BINARY(t, false, a, !=, b)
#define KTEST_EXPECT_LT(t, a, b)	__KTEST_BINARY(t, false, a, <, b)
#define KTEST_EXPECT_LE(t, a, b)	__KTEST_BINARY(t, false, a, <=, b)
#define KTEST_EXPECT_GT(t, a, b)	__KTEST_BINARY(t, false, a, >, b)
#define KTEST_EXPECT_GE(t, a, b)	__KTEST_BINARY(t, false, a, >=, b)
#define KTEST_EXPECT_PTR_EQ(t, a, b)	__KTEST_PTR(t, false, a, ==, b)
#define KTEST_EXPECT_PTR_NE(t, a, b)	__KTEST_PTR(t, false, a, !=, b)
#define KTEST_EXPECT_NULL(t, p)		__KTEST_PTR(t, false, p, ==, NULL)
#define KTEST_EXPECT_NOT_NULL(t, p)	__KTEST_PTR(t, false, p, !=, NULL)
#define KTEST_EXPECT_STREQ(t, a, b)	__KTEST_STR(t, false, a, ==, b)
#define KTEST_EXPECT_STRNEQ(t, a, b)	__KTEST_STR(t, false, a, !=, b)
#define KTEST_EXPECT_MEMEQ(t, a, b, n)	__KTEST_MEM(t, false, a, ==, b, n)
#define KTEST_EXPECT_MEMNEQ(t, a, b, n)	__KTEST_MEM(t, false, a, !=, b, n)

#define KTEST_ASSERT_TRUE(t, c)		__KTEST_CHECK(t, true, (c), "Asserted %s to be true", #c)
#define KTEST_ASSERT_FALSE(t, c)	__KTEST_CHECK(t, true, !(c), "Asserted %s to be false", #c)
#define KTEST_ASSERT_EQ(t, a, b)	__KTEST_BINARY(t, true, a, ==, b)
#define KTEST_ASSERT_NE(t, a, b)	__KTEST_BINARY(t, true, a, !=, b)
#define KTEST_ASSERT_LT(t, a, b)	__KTEST_BINARY(t, true, a, <, b)
#define KTEST_ASSERT_LE(t, a, b)	__KTEST_BINARY(t, true, a, <=, b)
#define KTEST_ASSERT_GT(t, a, b)	__KTEST_BINARY(t, true, a, >, b)
#define KTEST_ASSERT_GE(t, a, b)	__KTEST_BINARY(t, true, a, >=, b)
#define KTEST_ASSERT_PTR_EQ(t, a, b)	__KTEST_PTR(t, true, a, ==, b)
#define KTEST_ASSERT_NULL(t, p)		__KTEST_PTR(t, true, p, ==, NULL)
#define KTEST_ASSERT_NOT_NULL(t, p)	__KTEST_PTR(t, true, p, !=, NULL)
#define KTEST_ASSERT_STREQ(t, a, b)	__KTEST_STR(t, true, a, ==, b)
#define KTEST_ASSERT_MEMEQ(t, a, b, n)	__KTEST_MEM(t, true, a, ==, b, n)

#endif /* _KTEST_H */

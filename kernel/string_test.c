// SPDX-License-Identifier: MIT
/*
 * Tests of the memory routines of kernel/string.c against byte-at-a-time
 * references: every source and destination alignment within a long, every
 * length up to a few longs and some long ones, overlapping moves both
 * ways, and that not one byte around the destination changes.
 */
#include <kern/string.h>
#include <ktest.h>

#define ST_ALIGNS	16	/* offsets 0..15 from a 16-byte boundary */
#define ST_GUARD	16
#define ST_BUF		(4096 + 2 * ST_ALIGNS + 2 * ST_GUARD)

static unsigned char st_src[ST_BUF] __aligned(16);
static unsigned char st_dst[ST_BUF] __aligned(16);
static unsigned char st_ref[ST_BUF] __aligned(16);

static const size_t st_long_lengths[] = { 127, 128, 129, 255, 256, 1000, 4096, 4096 + 7 };

/* References: volatile, so that gcc cannot turn them into the calls under test. */
static void st_ref_copy(volatile unsigned char *d, const volatile unsigned char *s, size_t n)
{
	while (n--)
		*d++ = *s++;
}

static void st_ref_move(volatile unsigned char *d, const volatile unsigned char *s, size_t n)
{
	size_t i;

	if (d < s) {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		for (i = n; i; i--)
			d[i - 1] = s[i - 1];
	}
}

static void st_ref_set(volatile unsigned char *d, int c, size_t n)
{
	while (n--)
		*d++ = (unsigned char)c;
}

/* Different patterns in each buffer, so a byte from the wrong place shows. */
static void st_fill(void)
{
	size_t i;

	for (i = 0; i < ST_BUF; i++) {
		st_src[i] = (unsigned char)(i * 7 + 1);
		st_dst[i] = st_ref[i] = (unsigned char)(i * 13 + 5);
	}
}

/* The whole destination buffer must equal the reference (guards included). */
static bool st_check(struct ktest *t, const char *what, size_t soff, size_t doff, size_t n)
{
	size_t i;

	for (i = 0; i < ST_BUF; i++) {
		if (st_dst[i] != st_ref[i]) {
			KTEST_FAIL(t, "%s src+%zu dst+%zu len %zu: byte %zu is %#x, not %#x", what,
				   soff, doff, n, i, st_dst[i], st_ref[i]);
			return false;
		}
	}
	return true;
}

/* What a call returned (its destination) and left in the buffer. */
static bool st_result(struct ktest *t, const char *what, void *r, size_t soff, size_t doff,
		      size_t n)
{
	if (r != st_dst + ST_GUARD + doff) {
		KTEST_FAIL(t, "%s returned %p, not its destination", what, r);
		return false;
	}
	return st_check(t, what, soff, doff, n);
}

static bool st_one_copy(struct ktest *t, size_t soff, size_t doff, size_t n)
{
	void *r;

	st_fill();
	r = memcpy(st_dst + ST_GUARD + doff, st_src + ST_GUARD + soff, n);
	st_ref_copy(st_ref + ST_GUARD + doff, st_src + ST_GUARD + soff, n);
	return st_result(t, "memcpy", r, soff, doff, n);
}

static void string_test_memcpy(struct ktest *t)
{
	size_t soff, doff, n, i;

	for (soff = 0; soff < ST_ALIGNS; soff++)
		for (doff = 0; doff < ST_ALIGNS; doff++)
			for (n = 0; n <= 4 * sizeof(long) + 3; n++)
				if (!st_one_copy(t, soff, doff, n))
					return;
	for (i = 0; i < ARRAY_SIZE(st_long_lengths); i++)
		for (soff = 0; soff < ST_ALIGNS; soff += 3)
			for (doff = 0; doff < ST_ALIGNS; doff += 5)
				if (!st_one_copy(t, soff, doff, st_long_lengths[i]))
					return;
}

static bool st_one_set(struct ktest *t, size_t doff, size_t n, int c)
{
	void *r;

	st_fill();
	r = memset(st_dst + ST_GUARD + doff, c, n);
	st_ref_set(st_ref + ST_GUARD + doff, c, n);
	return st_result(t, "memset", r, 0, doff, n);
}

static void string_test_memset(struct ktest *t)
{
	static const int values[] = { 0, 0xa5, 0x1ff, -1 };	/* only the low byte counts */
	size_t doff, n, i, v;

	for (v = 0; v < ARRAY_SIZE(values); v++)
		for (doff = 0; doff < ST_ALIGNS; doff++)
			for (n = 0; n <= 4 * sizeof(long) + 3; n++)
				if (!st_one_set(t, doff, n, values[v]))
					return;
	for (i = 0; i < ARRAY_SIZE(st_long_lengths); i++)
		for (doff = 0; doff < ST_ALIGNS; doff += 3)
			if (!st_one_set(t, doff, st_long_lengths[i], 0x3c))
				return;
}

/* memmove within st_dst: from dst+from to dst+to, n bytes (overlapping or not). */
static bool st_one_move(struct ktest *t, size_t from, size_t to, size_t n)
{
	void *r;

	st_fill();
	r = memmove(st_dst + ST_GUARD + to, st_dst + ST_GUARD + from, n);
	st_ref_move(st_ref + ST_GUARD + to, st_ref + ST_GUARD + from, n);
	return st_result(t, "memmove", r, from, to, n);
}

static void string_test_memmove(struct ktest *t)
{
	size_t from, to, n, i;

	/* Every overlap both ways, and apart, for the short lengths. */
	for (from = 0; from < 2 * ST_ALIGNS; from++)
		for (to = 0; to < 2 * ST_ALIGNS; to++)
			for (n = 0; n <= 4 * sizeof(long) + 3; n += 1 + n / 8)
				if (!st_one_move(t, from, to, n))
					return;
	for (i = 0; i < ARRAY_SIZE(st_long_lengths) - 2; i++)
		for (from = 0; from < 2 * ST_ALIGNS; from += 5)
			for (to = 0; to < 2 * ST_ALIGNS; to += 3)
				if (!st_one_move(t, from, to, st_long_lengths[i]))
					return;
}

static void string_test_compare(struct ktest *t)
{
	static const char a[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char b[sizeof(a)];

	memcpy(b, a, sizeof(a));
	KTEST_EXPECT_EQ(t, memcmp(a, b, sizeof(a)), 0);
	b[30] = '0';	/* a's is '4' */
	KTEST_EXPECT_GT(t, memcmp(a, b, sizeof(a)), 0);
	KTEST_EXPECT_EQ(t, memcmp(a, b, 30), 0);
	b[30] = (char)0xf0;	/* bytes compare unsigned */
	KTEST_EXPECT_LT(t, memcmp(a, b, sizeof(a)), 0);
	KTEST_EXPECT_PTR_EQ(t, memchr(a, 'q', sizeof(a)), &a[16]);
	KTEST_EXPECT_NULL(t, memchr(a, 'q', 16));
	KTEST_EXPECT_EQ(t, strlen(a), sizeof(a) - 1);
	KTEST_EXPECT_EQ(t, strnlen(a, 5), 5u);
	KTEST_EXPECT_EQ(t, strcmp("abc", "abd") < 0, true);
	KTEST_EXPECT_EQ(t, strncmp("abc", "abd", 2), 0);
	KTEST_EXPECT_EQ(t, strchr(a, '9') - a, 35);
}

static struct ktest_case string_test_cases[] = {
	KTEST_CASE(string_test_memcpy),
	KTEST_CASE(string_test_memset),
	KTEST_CASE(string_test_memmove),
	KTEST_CASE(string_test_compare),
	{}
};

static struct ktest_suite string_test_suite = {
	.name = "string",
	.test_cases = string_test_cases,
};
KTEST_SUITE(string_test_suite);

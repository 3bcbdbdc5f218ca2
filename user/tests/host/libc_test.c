// SPDX-License-Identifier: MIT
/*
 * Host test of the libc's pure parts (string.c, ctype.c, strtol.c,
 * vsnprintf.c), compiled natively with an ml_ prefix (rename.h) and
 * checked against the host's C library, which agrees with C on all of
 * these. Run by scripts/tests/test-user-libc; exits non-zero on a failure.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *ml_memcpy(void *, const void *, size_t);
void *ml_memmove(void *, const void *, size_t);
void *ml_memset(void *, int, size_t);
int ml_memcmp(const void *, const void *, size_t);
void *ml_memchr(const void *, int, size_t);
size_t ml_strlen(const char *);
size_t ml_strnlen(const char *, size_t);
int ml_strcmp(const char *, const char *);
int ml_strncmp(const char *, const char *, size_t);
char *ml_strcpy(char *, const char *);
char *ml_strncpy(char *, const char *, size_t);
size_t ml_strlcpy(char *, const char *, size_t);
char *ml_strcat(char *, const char *);
char *ml_strncat(char *, const char *, size_t);
char *ml_strchr(const char *, int);
char *ml_strrchr(const char *, int);
char *ml_strstr(const char *, const char *);
size_t ml_strspn(const char *, const char *);
size_t ml_strcspn(const char *, const char *);
long ml_strtol(const char *, char **, int);
unsigned long ml_strtoul(const char *, char **, int);
long long ml_strtoll(const char *, char **, int);
unsigned long long ml_strtoull(const char *, char **, int);
int ml_atoi(const char *);
int ml_vsnprintf(char *, size_t, const char *, va_list);
int ml_snprintf(char *, size_t, const char *, ...);
int ml_isalnum(int), ml_isalpha(int), ml_iscntrl(int), ml_isdigit(int), ml_isgraph(int),
    ml_islower(int), ml_isprint(int), ml_ispunct(int), ml_isspace(int), ml_isupper(int),
    ml_isxdigit(int), ml_tolower(int), ml_toupper(int);

static int checks, failures;

#define CHECK(cond, ...) do {						\
		checks++;						\
		if (!(cond)) {						\
			failures++;					\
			printf("libc_test: FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_mem(void)
{
	unsigned char a[64], b[64], c[64];
	size_t n, off;
	int i;

	for (i = 0; i < 64; i++)
		a[i] = (unsigned char)(i * 7 + 3);
	for (n = 0; n <= 40; n++) {
		memset(b, 0xee, sizeof(b));
		memset(c, 0xee, sizeof(c));
		CHECK(ml_memcpy(b + 1, a, n) == b + 1, "memcpy return");
		memcpy(c + 1, a, n);
		CHECK(!memcmp(b, c, sizeof(b)), "memcpy n=%zu", n);
		ml_memset(b, 0x5a, n);
		memset(c, 0x5a, n);
		CHECK(!memcmp(b, c, sizeof(b)), "memset n=%zu", n);
	}
	/* memmove in both directions, every overlap. */
	for (off = 0; off < 16; off++) {
		for (n = 0; n < 40; n++) {
			memcpy(b, a, 64);
			memcpy(c, a, 64);
			ml_memmove(b + off, b + 8, n);
			memmove(c + off, c + 8, n);
			CHECK(!memcmp(b, c, 64), "memmove dst+%zu src+8 n=%zu", off, n);
		}
	}
	memcpy(b, a, 64);
	CHECK(ml_memcmp(a, b, 64) == 0, "memcmp equal");
	b[10] = 0xff;
	CHECK(sign(ml_memcmp(a, b, 64)) == sign(memcmp(a, b, 64)), "memcmp order");
	CHECK(sign(ml_memcmp(b, a, 64)) > 0, "memcmp unsigned bytes");
	CHECK(ml_memcmp(a, b, 10) == 0, "memcmp prefix");
	CHECK(ml_memchr(a, a[33], 64) == memchr(a, a[33], 64), "memchr");
	CHECK(ml_memchr(a, 0x100 + a[5], 64) == a + 5, "memchr takes an unsigned char");
	CHECK(ml_memchr(a, a[33], 33) == NULL, "memchr bound");
}

static void test_str(void)
{
	static const char *strs[] = { "", "a", "abc", "abd", "ab", "hello world", "\xff", "Z" };
	char buf[64], ref[64];
	size_t i, j, n;

	for (i = 0; i < sizeof(strs) / sizeof(*strs); i++) {
		CHECK(ml_strlen(strs[i]) == strlen(strs[i]), "strlen %zu", i);
		for (n = 0; n < 5; n++)
			CHECK(ml_strnlen(strs[i], n) == strnlen(strs[i], n), "strnlen");
		for (j = 0; j < sizeof(strs) / sizeof(*strs); j++) {
			CHECK(sign(ml_strcmp(strs[i], strs[j])) == sign(strcmp(strs[i], strs[j])),
			      "strcmp '%s' '%s'", strs[i], strs[j]);
			for (n = 0; n < 4; n++)
				CHECK(sign(ml_strncmp(strs[i], strs[j], n)) ==
				      sign(strncmp(strs[i], strs[j], n)), "strncmp %zu", n);
		}
	}
	CHECK(ml_strcpy(buf, "copy") == buf && !strcmp(buf, "copy"), "strcpy");
	for (n = 0; n < 10; n++) {
		memset(buf, 'x', sizeof(buf));
		memset(ref, 'x', sizeof(ref));
		ml_strncpy(buf, "abcde", n);
		strncpy(ref, "abcde", n);
		CHECK(!memcmp(buf, ref, sizeof(buf)), "strncpy n=%zu", n);
	}
	CHECK(ml_strlcpy(buf, "truncated", 5) == 9 && !strcmp(buf, "trun"), "strlcpy truncates");
	CHECK(ml_strlcpy(buf, "fits", 5) == 4 && !strcmp(buf, "fits"), "strlcpy fits");
	memset(buf, 'x', sizeof(buf));
	CHECK(ml_strlcpy(buf, "zero", 0) == 4 && buf[0] == 'x', "strlcpy size 0");
	strcpy(buf, "ab");
	CHECK(!strcmp(ml_strcat(buf, "cd"), "abcd"), "strcat");
	CHECK(!strcmp(ml_strncat(buf, "efgh", 2), "abcdef"), "strncat");
	CHECK(ml_strchr("hello", 'l') == strchr("hello", 'l'), "strchr");
	{
		const char *s = "hello";

		CHECK(ml_strchr(s, '\0') == s + 5, "strchr NUL");
		CHECK(ml_strchr(s, 'z') == NULL, "strchr none");
		CHECK(ml_strrchr(s, 'l') == s + 3, "strrchr");
		CHECK(ml_strrchr(s, '\0') == s + 5, "strrchr NUL");
		CHECK(ml_strstr(s, "ll") == s + 2, "strstr");
		CHECK(ml_strstr(s, "") == s, "strstr empty");
		CHECK(ml_strstr(s, "lo!") == NULL, "strstr none");
		CHECK(ml_strspn(s, "hel") == 4, "strspn");
		CHECK(ml_strcspn(s, "lo") == 2, "strcspn");
	}
}

static void test_ctype(void)
{
	int c;

	for (c = -1; c < 256; c++) {
		CHECK(!!ml_isalnum(c) == !!isalnum(c), "isalnum %d", c);
		CHECK(!!ml_isalpha(c) == !!isalpha(c), "isalpha %d", c);
		CHECK(!!ml_iscntrl(c) == !!iscntrl(c), "iscntrl %d", c);
		CHECK(!!ml_isdigit(c) == !!isdigit(c), "isdigit %d", c);
		CHECK(!!ml_isgraph(c) == !!isgraph(c), "isgraph %d", c);
		CHECK(!!ml_islower(c) == !!islower(c), "islower %d", c);
		CHECK(!!ml_isprint(c) == !!isprint(c), "isprint %d", c);
		CHECK(!!ml_ispunct(c) == !!ispunct(c), "ispunct %d", c);
		CHECK(!!ml_isspace(c) == !!isspace(c), "isspace %d", c);
		CHECK(!!ml_isupper(c) == !!isupper(c), "isupper %d", c);
		CHECK(!!ml_isxdigit(c) == !!isxdigit(c), "isxdigit %d", c);
		CHECK(ml_tolower(c) == tolower(c), "tolower %d", c);
		CHECK(ml_toupper(c) == toupper(c), "toupper %d", c);
	}
}

static void test_strtol(void)
{
	static const char *in[] = {
		"0", "42", "-42", "+7", "  \t\n 12abc", "0x1F", "0X1f", "0x", "0xg", "017", "08",
		"-0", "", "   ", "-", "+", "z", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
		"18446744073709551616", "99999999999999999999999", "-1", "-18446744073709551615",
		"zz", "ZZ", "1010", "777", "0x7fffffffffffffff", "  -0x10",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	size_t i, b;
	char *e1, *e2;

	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		for (b = 0; b < sizeof(bases) / sizeof(*bases); b++) {
			long r1 = ml_strtol(in[i], &e1, bases[b]);
			long r2 = strtol(in[i], &e2, bases[b]);
			unsigned long u1, u2;

			CHECK(r1 == r2 && e1 == e2, "strtol('%s', %d) = %ld end +%td, host %ld end +%td",
			      in[i], bases[b], r1, e1 - in[i], r2, e2 - in[i]);
			u1 = ml_strtoul(in[i], &e1, bases[b]);
			u2 = strtoul(in[i], &e2, bases[b]);
			CHECK(u1 == u2 && e1 == e2, "strtoul('%s', %d) = %lu end +%td, host %lu end +%td",
			      in[i], bases[b], u1, e1 - in[i], u2, e2 - in[i]);
			CHECK(ml_strtoll(in[i], NULL, bases[b]) == strtoll(in[i], NULL, bases[b]),
			      "strtoll('%s', %d)", in[i], bases[b]);
			CHECK(ml_strtoull(in[i], NULL, bases[b]) == strtoull(in[i], NULL, bases[b]),
			      "strtoull('%s', %d)", in[i], bases[b]);
		}
	}
	CHECK(ml_strtol("12", &e1, 1) == 0 && !strcmp(e1, "12"), "strtol base 1");
	CHECK(ml_strtol("12", &e1, 37) == 0 && !strcmp(e1, "12"), "strtol base 37");
	CHECK(ml_atoi("-123x") == -123, "atoi");
}

/* Our snprintf against the host's, for one format and its arguments. */
#define FMT(...) do {								\
		char a_[128], b_[128];						\
		int ra_, rb_;							\
		memset(a_, 'x', sizeof(a_));					\
		memset(b_, 'x', sizeof(b_));					\
		ra_ = ml_snprintf(a_, sizeof(a_), __VA_ARGS__);			\
		rb_ = snprintf(b_, sizeof(b_), __VA_ARGS__);			\
		CHECK(ra_ == rb_ && !strcmp(a_, b_), "format %s: '%s' (%d), host '%s' (%d)", \
		      #__VA_ARGS__, a_, ra_, b_, rb_);				\
	} while (0)

static void test_format(void)
{
	char buf[16];
	int r;

	FMT("plain");
	FMT("%d %d %d %d", 0, 1, -1, 123456);
	FMT("%d %d", INT_MAX, INT_MIN);
	FMT("%i %u %u", -5, 5u, UINT_MAX);
	FMT("%ld %ld %lu", LONG_MAX, LONG_MIN, ULONG_MAX);
	FMT("%lld %llu", LLONG_MIN, ULLONG_MAX);
	FMT("%zu %zx", (size_t)12345, (size_t)0xdeadbeef);
	FMT("%x %X %lx %#x %#X %#o %o", 255u, 255u, 0xfedcba9876543210ul, 0x1au, 0x1au, 8u, 8u);
	FMT("%hd %hu %hhd %hhu", 70000, 70000u, 300, 300u);
	FMT("[%5d] [%-5d] [%05d] [%-05d] [%5s] [%-5s]", 42, 42, 42, 42, "ab", "ab");
	FMT("[%05d] [%5d] [%+d] [% d] [%+d]", -42, -42, 42, 42, -42);
	FMT("[%08x] [%8x] [%-8x] [%#08x]", 0xbeefu, 0xbeefu, 0xbeefu, 0xbeefu);
	FMT("[%.3d] [%8.3d] [%-8.3d] [%08.3d] [%.0d] [%.0d]", 7, 7, -7, 7, 0, 1);
	FMT("[%*d] [%-*d] [%.*s] [%*s]", 6, 1, 6, 1, 2, "abcdef", -4, "x");
	FMT("[%.2s] [%10.2s] [%-10s]", "abcdef", "abcdef", "left");
	FMT("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	FMT("%s %s", "", "hello, world");
	FMT("100%%");
	FMT("%p", (void *)0x1234);
	FMT("%p", (void *)0xffff800000001000ul);

	/* Truncation: the full length is returned, the buffer always ends. */
	memset(buf, 'x', sizeof(buf));
	r = ml_snprintf(buf, 6, "%s", "truncate me");
	CHECK(r == 11 && !strcmp(buf, "trunc"), "truncation: '%s' %d", buf, r);
	memset(buf, 'x', sizeof(buf));
	r = ml_snprintf(buf, 0, "%d", 12345);
	CHECK(r == 5 && buf[0] == 'x', "size 0 writes nothing");
	r = ml_snprintf(buf, 1, "%d", 12345);
	CHECK(r == 5 && buf[0] == '\0', "size 1: only the NUL");
	/* Ours: NULL is (null) for %s; an unknown conversion is printed as written. */
	r = ml_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	CHECK(!strcmp(buf, "(null)"), "%%s of NULL: '%s'", buf);
	r = ml_snprintf(buf, sizeof(buf), "a%qb%");
	CHECK(!strcmp(buf, "a%qb%") && r == 5, "unknown conversion: '%s'", buf);
}

int main(void)
{
	test_mem();
	test_str();
	test_ctype();
	test_strtol();
	test_format();
	printf("libc_test: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}

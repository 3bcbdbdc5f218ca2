// SPDX-License-Identifier: MIT
/*
 * The string and memory routines of <kern/string.h>.
 *
 * gcc emits calls to memcpy, memmove, memset and memcmp by itself (structure
 * copies, large initialisers), so these must exist and be right before
 * anything else runs. memcpy, memmove and memset move a long at a time
 * (the arch's arch_copy_longs()/arch_fill_longs() of <asm/string.h>:
 * `rep movsq`/`rep stosq` on x86_64, ldp/stp on arm64) once both addresses
 * are aligned, bytes for the ends and for short runs: kmem zeroing pages
 * and messages copying buffers spend their time here. On an arch built
 * with strict alignment (arm64), two addresses that cannot be aligned
 * together go byte by byte. The rest are plain byte loops: obviously
 * correct beats fast there. kernel/Makefile builds this file with
 * -fno-tree-loop-distribute-patterns, or gcc would turn the loop inside
 * memset into a call to memset. kernel/string_test.c checks them.
 */
#include <kern/string.h>
#include <asm/string.h>

#define LONG_MASK	(sizeof(long) - 1)

/* Below this, the setup of a bulk copy costs more than it saves. */
#define STRING_BULK_MIN	(2 * sizeof(long))

#ifndef ARCH_WORDS_ANY_ALIGN
#define ARCH_WORDS_ANY_ALIGN	0
#endif

typedef unsigned long __attribute__((may_alias)) string_word_t;

/* Can a run from src to dst be moved a long at a time, once dst is aligned? */
static inline bool string_words_ok(const void *dst, const void *src, size_t n)
{
	return n >= STRING_BULK_MIN &&
	       (ARCH_WORDS_ANY_ALIGN || !(((uintptr_t)dst ^ (uintptr_t)src) & LONG_MASK));
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (string_words_ok(d, s, n)) {
		size_t bulk;

		for (; (uintptr_t)d & LONG_MASK; n--)
			*d++ = *s++;
		bulk = n & ~LONG_MASK;
		arch_copy_longs(d, s, bulk / sizeof(long));
		d += bulk;
		s += bulk;
		n &= LONG_MASK;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	/* Going forward never overwrites a byte before it is read when d < s. */
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* dst overlaps src from above: copy from the end. */
	d += n;
	s += n;
	if (n >= STRING_BULK_MIN && !(((uintptr_t)d ^ (uintptr_t)s) & LONG_MASK)) {
		for (; (uintptr_t)d & LONG_MASK; n--)
			*--d = *--s;
		for (; n >= sizeof(long); n -= sizeof(long)) {
			d -= sizeof(long);
			s -= sizeof(long);
			*(string_word_t *)d = *(const string_word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	if (n >= STRING_BULK_MIN) {
		size_t bulk;

		for (; (uintptr_t)d & LONG_MASK; n--)
			*d++ = (unsigned char)c;
		bulk = n & ~LONG_MASK;
		arch_fill_longs(d, (unsigned char)c * (~0UL / 0xff), bulk / sizeof(long));
		d += bulk;
		n &= LONG_MASK;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p == *q ? 0 : (*p < *q ? -1 : 1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
		if (!*p)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

/* Copy with truncation; always NUL-terminates when size > 0. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/*
 * Shell-style match of the whole string: '*' matches any run (also empty),
 * '?' any one character. On a mismatch after a '*', the star swallows one
 * more character and the match resumes from there; only the latest star
 * needs remembering, which keeps this linear in practice and free of
 * recursion.
 */
/* The same for the first plen characters of pattern. */
static bool glob_match_n(const char *pattern, size_t plen, const char *str)
{
	const char *end = pattern + plen;
	const char *star = NULL, *resume = NULL;

	while (*str) {
		if (pattern < end && *pattern == '*') {
			star = ++pattern;
			resume = str;
		} else if (pattern < end && (*pattern == '?' || *pattern == *str)) {
			pattern++;
			str++;
		} else if (star) {
			pattern = star;
			str = ++resume;
		} else {
			return false;
		}
	}
	while (pattern < end && *pattern == '*')
		pattern++;
	return pattern == end;
}

bool glob_match(const char *pattern, const char *str)
{
	return glob_match_n(pattern, strlen(pattern), str);
}

bool glob_match_list(const char *patterns, const char *str)
{
	for (;;) {
		const char *comma = strchr(patterns, ',');
		size_t n = comma ? (size_t)(comma - patterns) : strlen(patterns);

		if (glob_match_n(patterns, n, str))
			return true;
		if (!comma)
			return false;
		patterns = comma + 1;
	}
}

static int string_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static bool string_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * As C's strtoul: leading space, an optional sign, "0x" for base 16 or 0,
 * "0" for octal with base 0. Saturates at ULONG_MAX on overflow. *end
 * points after the last digit used, or at s when there was none.
 */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s, *digits;
	unsigned long v = 0, max = ~0UL;
	bool neg = false, overflow = false;
	int d;

	while (string_is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    string_digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	digits = p;
	for (; (d = string_digit_value(*p)) < base; p++) {
		if (v > (max - (unsigned long)d) / (unsigned long)base)
			overflow = true;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (overflow)
		return max;
	return neg ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
	const char *p = s;
	char *e;
	unsigned long mag;
	bool neg = false;

	while (string_is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p == '+' || *p == '-') {		/* strtoul would take a second sign */
		if (end)
			*end = (char *)s;
		return 0;
	}
	mag = strtoul(p, &e, base);
	if (end)
		*end = e == p ? (char *)s : e;
	/* Clamp what does not fit a long, as C's strtol does. */
	if (neg)
		return mag > (unsigned long)__LONG_MAX__ ? -__LONG_MAX__ - 1 : -(long)mag;
	return mag > (unsigned long)__LONG_MAX__ ? __LONG_MAX__ : (long)mag;
}

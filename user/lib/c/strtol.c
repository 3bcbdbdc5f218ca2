// SPDX-License-Identifier: MIT
/*
 * strtol() and friends, as C says: leading space, a sign, "0x" for base 16
 * or 0, a leading 0 for octal with base 0; on overflow the result is the
 * type's limit (there is no errno); *end is where the number stopped, or s
 * itself when there was none.
 */
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (islower(c))
		return c - 'a' + 10;
	if (isupper(c))
		return c - 'A' + 10;
	return 99;
}

/*
 * The magnitude, saturated at max (with *overflow set), and the sign. The
 * signed callers pass the magnitude of their limit.
 */
static unsigned long long parse(const char *s, char **end, int base, bool *neg,
				unsigned long long max, bool *overflow)
{
	const char *p = s;
	unsigned long long v = 0;
	bool any = false;
	int d;

	*neg = false;
	*overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (; (d = digit_value((unsigned char)*p)) < base; p++) {
		any = true;
		if (v > (max - d) / base) {
			*overflow = true;
			v = max;
		} else if (!*overflow) {
			v = v * base + d;
		}
	}
	if (end)
		*end = (char *)(any ? p : s);
	return v;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v;

	v = parse(s, end, base, &neg, (unsigned long long)LLONG_MAX + 1, &overflow);
	if (neg)
		return v > (unsigned long long)LLONG_MAX ? LLONG_MIN : -(long long)v;
	return v > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
}

/* As C says: a minus sign negates the unsigned value (strtoul("-1") is ULLONG_MAX). */
unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	bool neg, overflow;
	unsigned long long v;

	v = parse(s, end, base, &neg, ULLONG_MAX, &overflow);
	if (overflow)
		return ULLONG_MAX;
	return neg ? -v : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return strtoll(s, end, base);	/* LP64: long is long long */
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return strtoull(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

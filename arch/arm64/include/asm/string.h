/* SPDX-License-Identifier: MIT */
/*
 * arm64's bulk copy and fill for kernel/string.c: 8-byte-aligned words,
 * four at a time, which gcc turns into ldp/stp pairs. The kernel is built
 * with -mstrict-align (memcpy runs before the MMU, when every access is
 * Device memory and a misaligned one faults): kernel/string.c only calls
 * these with both addresses aligned.
 */
#ifndef _ASM_ARM64_STRING_H
#define _ASM_ARM64_STRING_H

#include <kern/types.h>

static inline void arch_copy_longs(void *dst, const void *src, size_t n)
{
	unsigned long *d = dst;
	const unsigned long *s = src;

	for (; n >= 4; n -= 4, d += 4, s += 4) {
		unsigned long a = s[0], b = s[1], c = s[2], e = s[3];

		d[0] = a;
		d[1] = b;
		d[2] = c;
		d[3] = e;
	}
	while (n--)
		*d++ = *s++;
}

static inline void arch_fill_longs(void *dst, unsigned long v, size_t n)
{
	unsigned long *d = dst;

	for (; n >= 4; n -= 4, d += 4) {
		d[0] = v;
		d[1] = v;
		d[2] = v;
		d[3] = v;
	}
	while (n--)
		*d++ = v;
}

#endif /* _ASM_ARM64_STRING_H */

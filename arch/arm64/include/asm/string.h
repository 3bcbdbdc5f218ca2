/* SPDX-License-Identifier: MIT */
/*
 * arm64's bulk copy and fill for kernel/string.c: 8-byte-aligned words,
 * eight (copy) or four (fill) at a time, which gcc turns into ldp/stp
 * pairs. The kernel is built with -mstrict-align (memcpy runs before the
 * MMU, when every access is Device memory and a misaligned one faults):
 * kernel/string.c only calls these with both addresses aligned.
 */
#ifndef _ASM_ARM64_STRING_H
#define _ASM_ARM64_STRING_H

#include <kern/types.h>

static inline void arch_copy_longs(void *dst, const void *src, size_t n)
{
	unsigned long *d = dst;
	const unsigned long *s = src;

	/* Eight a turn: four ldp/stp pairs for one add, compare and branch. */
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		unsigned long a = s[0], b = s[1], c = s[2], e = s[3];
		unsigned long f = s[4], g = s[5], h = s[6], i = s[7];

		d[0] = a;
		d[1] = b;
		d[2] = c;
		d[3] = e;
		d[4] = f;
		d[5] = g;
		d[6] = h;
		d[7] = i;
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

/*
 * Zero size bytes of Normal memory at p, both a multiple of the DC ZVA
 * block (a page through the direct map): one DC ZVA per block of
 * DCZID_EL0's size (64 bytes on QEMU's CPUs: 64 instructions a 4 KiB
 * page), stores where DC ZVA is prohibited. Not for Device memory, where
 * DC ZVA faults (memset() runs before the MMU is on; this never does).
 */
static inline void arch_zero_blocks(void *p, size_t size)
{
	unsigned long dczid, block;
	char *c = p, *end = c + size;

	__asm__("mrs %0, dczid_el0" : "=r"(dczid));
	if (dczid & 0x10) {		/* DZP: prohibited */
		arch_fill_longs(p, 0, size / sizeof(long));
		return;
	}
	block = 4UL << (dczid & 0xf);	/* BS: log2 of the block in words */
	for (; c < end; c += block)
		__asm__ __volatile__("dc zva, %0" : : "r"(c) : "memory");
}

#endif /* _ASM_ARM64_STRING_H */

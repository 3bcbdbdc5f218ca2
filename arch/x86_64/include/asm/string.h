/* SPDX-License-Identifier: MIT */
/*
 * x86_64's bulk copy and fill for kernel/string.c: `rep movsq` and
 * `rep stosq`, which every x86_64 runs as a fast string operation (with
 * or without ERMS), one instruction per eight bytes under QEMU's -icount
 * (make bench). x86 allows misaligned words, so any two addresses go.
 * The direction flag is clear in the kernel (the ABI's rule).
 */
#ifndef _ASM_X86_64_STRING_H
#define _ASM_X86_64_STRING_H

#include <kern/types.h>

/* Both addresses may be misaligned: x86 does not care. */
#define ARCH_WORDS_ANY_ALIGN	1

static inline void arch_copy_longs(void *dst, const void *src, size_t n)
{
	__asm__ __volatile__("rep movsq"
			     : "+D"(dst), "+S"(src), "+c"(n)
			     : : "memory");
}

static inline void arch_fill_longs(void *dst, unsigned long v, size_t n)
{
	__asm__ __volatile__("rep stosq"
			     : "+D"(dst), "+c"(n)
			     : "a"(v) : "memory");
}

void x86_zero_blocks(void *p, size_t size);

/*
 * Zero size bytes at p, both multiples of a page: 16-byte SSE stores with
 * the user's %xmm0 saved and interrupts off (zero_page.S), half the
 * instructions of rep stosq under QEMU.
 */
static inline void arch_zero_blocks(void *p, size_t size)
{
	x86_zero_blocks(p, size);
}

#endif /* _ASM_X86_64_STRING_H */

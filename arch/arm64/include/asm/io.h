/* SPDX-License-Identifier: MIT */
/* MMIO accessors: single-copy atomic, never merged or reordered by gcc. */
#ifndef _ASM_ARM64_IO_H
#define _ASM_ARM64_IO_H

#include <kern/types.h>

static inline uint32_t readl(const volatile void __iomem *addr)
{
	uint32_t v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v)
			     : "r"((const volatile void __force *)addr) : "memory");
	return v;
}

static inline void writel(uint32_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("str %w0, [%1]" :: "rZ"(v),
			     "r"((volatile void __force *)addr) : "memory");
}

#endif /* _ASM_ARM64_IO_H */

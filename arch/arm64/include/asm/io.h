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

static inline uint8_t readb(const volatile void __iomem *addr)
{
	uint8_t v;

	__asm__ __volatile__("ldrb %w0, [%1]" : "=r"(v)
			     : "r"((const volatile void __force *)addr) : "memory");
	return v;
}

static inline void writeb(uint8_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("strb %w0, [%1]" :: "rZ"(v),
			     "r"((volatile void __force *)addr) : "memory");
}

static inline uint16_t readw(const volatile void __iomem *addr)
{
	uint16_t v;

	__asm__ __volatile__("ldrh %w0, [%1]" : "=r"(v)
			     : "r"((const volatile void __force *)addr) : "memory");
	return v;
}

static inline void writew(uint16_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("strh %w0, [%1]" :: "rZ"(v),
			     "r"((volatile void __force *)addr) : "memory");
}

/*
 * Order the CPU's accesses to memory that a device reads or writes by DMA
 * (descriptor rings) against each other and against MMIO accesses (these
 * accessors carry no barrier of their own): ring stores before a doorbell
 * write, the device's index before the entries it covers.
 */
static inline void dma_mb(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}

#endif /* _ASM_ARM64_IO_H */

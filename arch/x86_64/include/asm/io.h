/* SPDX-License-Identifier: MIT */
/*
 * x86 port I/O. The argument order is Linux's: outb(value, port).
 */
#ifndef _ASM_X86_64_IO_H
#define _ASM_X86_64_IO_H

#include <kern/types.h>

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint8_t v, uint16_t port)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t v, uint16_t port)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint32_t v, uint16_t port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

/*
 * MMIO (registers mapped with ioremap()): one access of the given width,
 * never merged, split or reordered by the compiler. x86 keeps uncached
 * accesses in program order.
 */
static inline uint32_t readl(const volatile void __iomem *addr)
{
	uint32_t v;

	__asm__ __volatile__("movl %1, %0" : "=r"(v)
			     : "m"(*(const volatile uint32_t __force *)addr) : "memory");
	return v;
}

static inline void writel(uint32_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("movl %0, %1" : : "r"(v),
			     "m"(*(volatile uint32_t __force *)addr) : "memory");
}

static inline uint8_t readb(const volatile void __iomem *addr)
{
	uint8_t v;

	__asm__ __volatile__("movb %1, %0" : "=q"(v)
			     : "m"(*(const volatile uint8_t __force *)addr) : "memory");
	return v;
}

static inline void writeb(uint8_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("movb %0, %1" : : "q"(v),
			     "m"(*(volatile uint8_t __force *)addr) : "memory");
}

static inline uint16_t readw(const volatile void __iomem *addr)
{
	uint16_t v;

	__asm__ __volatile__("movw %1, %0" : "=r"(v)
			     : "m"(*(const volatile uint16_t __force *)addr) : "memory");
	return v;
}

static inline void writew(uint16_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("movw %0, %1" : : "r"(v),
			     "m"(*(volatile uint16_t __force *)addr) : "memory");
}

static inline uint64_t readq(const volatile void __iomem *addr)
{
	uint64_t v;

	__asm__ __volatile__("movq %1, %0" : "=r"(v)
			     : "m"(*(const volatile uint64_t __force *)addr) : "memory");
	return v;
}

static inline void writeq(uint64_t v, volatile void __iomem *addr)
{
	__asm__ __volatile__("movq %0, %1" : : "r"(v),
			     "m"(*(volatile uint64_t __force *)addr) : "memory");
}

/*
 * Order the CPU's accesses to memory that a device reads or writes by DMA
 * (descriptor rings) against each other and against MMIO accesses: stores
 * before a doorbell write, the device's index before the entries it
 * covers. x86 orders uncached MMIO with memory already; mfence also
 * orders a load after an earlier store.
 */
static inline void dma_mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/* A short delay for old ISA devices (the 8259 PIC): a write to port 0x80. */
static inline void io_delay(void)
{
	outb(0, 0x80);
}

#endif /* _ASM_X86_64_IO_H */

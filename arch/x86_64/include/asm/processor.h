/* SPDX-License-Identifier: MIT */
/* x86_64 control registers, MSRs and CPU instructions. */
#ifndef _ASM_X86_64_PROCESSOR_H
#define _ASM_X86_64_PROCESSOR_H

#define X86_CR0_PE		(1U << 0)
#define X86_CR0_MP		(1U << 1)
#define X86_CR0_EM		(1U << 2)
#define X86_CR0_TS		(1U << 3)
#define X86_CR0_NE		(1U << 5)
#define X86_CR0_WP		(1U << 16)
#define X86_CR0_PG		(1U << 31)
#define X86_CR4_PAE		(1U << 5)
#define X86_CR4_OSFXSR		(1U << 9)
#define X86_CR4_OSXMMEXCPT	(1U << 10)
#define X86_CR4_SMEP		(1U << 20)
#define X86_CR4_SMAP		(1U << 21)
#define X86_EFLAGS_TF		(1U << 8)
#define X86_EFLAGS_IF		(1U << 9)
#define X86_EFLAGS_DF		(1U << 10)
#define X86_EFLAGS_IOPL		(3U << 12)
#define X86_EFLAGS_NT		(1U << 14)
#define X86_EFLAGS_AC		(1U << 18)

#define MSR_EFER		0xc0000080
#define EFER_SCE		(1U << 0)	/* syscall/sysret */
#define EFER_LME		(1U << 8)
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FMASK		0xc0000084

#ifndef __ASSEMBLY__

#include <kern/types.h>

#define X86_READ_CR(n)							\
static inline unsigned long read_cr##n(void)				\
{									\
	unsigned long v;						\
									\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}
X86_READ_CR(0)
X86_READ_CR(2)
X86_READ_CR(3)
X86_READ_CR(4)
#undef X86_READ_CR

static inline void write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			       uint32_t *c, uint32_t *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)(v & 0xffffffffU)),
			     "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpu_halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

static inline void cpu_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_PROCESSOR_H */

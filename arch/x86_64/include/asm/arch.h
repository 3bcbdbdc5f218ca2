/* SPDX-License-Identifier: MIT */
/* x86_64 inline part of the arch contract (see <kern/arch.h>). */
#ifndef _ASM_X86_64_ARCH_H
#define _ASM_X86_64_ARCH_H

#include <kern/types.h>

/* Kernel image and direct map live in the top half of the address space. */
#define KERNEL_VIRT_BASE	0xffffffff80000000UL

struct arch_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* as the CPU pushes them */
	uint64_t cr2;
};

static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline uint64_t arch_cycle_counter(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static __always_inline unsigned long arch_frame_address(void)
{
	return (unsigned long)__builtin_frame_address(0);
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & (1UL << 9))
		__asm__ __volatile__("sti" ::: "memory");
}

static inline bool arch_kernel_address(unsigned long va)
{
	return va >= 0xffff800000000000UL;
}

static inline unsigned long arch_regs_pc(const struct arch_regs *regs)
{
	return regs->rip;
}

static inline unsigned long arch_regs_fp(const struct arch_regs *regs)
{
	return regs->rbp;
}

#endif /* _ASM_X86_64_ARCH_H */

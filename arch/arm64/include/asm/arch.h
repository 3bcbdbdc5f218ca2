/* SPDX-License-Identifier: MIT */
/* arm64 inline part of the arch contract (see <kern/arch.h>). */
#ifndef _ASM_ARM64_ARCH_H
#define _ASM_ARM64_ARCH_H

#include <kern/types.h>

struct arch_regs {
	uint64_t x[31];		/* x0..x30 (x29 = fp, x30 = lr) */
	uint64_t sp;
	uint64_t pc;		/* ELR_EL1 for an exception */
	uint64_t pstate;	/* SPSR_EL1 */
	uint64_t esr, far;
};

static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

static inline uint64_t arch_cycle_counter(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static __always_inline unsigned long arch_frame_address(void)
{
	return (unsigned long)__builtin_frame_address(0);
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif; msr daifset, #3" : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr daif, %0" :: "r"(flags) : "memory");
}

/* IRQ and FIQ; SError and debug stay as they are. */
static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #3" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #3" ::: "memory");
}

static inline bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif" : "=r"(flags) :: "memory");
	return !(flags & (1UL << 7));	/* DAIF.I */
}

static inline bool arch_kernel_address(unsigned long va)
{
	return va >= 0xffff000000000000UL;
}

static inline unsigned long arch_regs_pc(const struct arch_regs *regs)
{
	return regs->pc;
}

/* SPSR_EL1.M[3:0] is 0 (EL0t) for an exception taken from EL0. */
static inline bool arch_regs_user_mode(const struct arch_regs *regs)
{
	return (regs->pstate & 0xf) == 0;
}

static inline unsigned long arch_regs_fp(const struct arch_regs *regs)
{
	return regs->x[29];
}

/* A trap's result, in the register user mode gets it in. */
static inline void arch_regs_set_return(struct arch_regs *regs, unsigned long value)
{
	regs->x[0] = value;
}

#endif /* _ASM_ARM64_ARCH_H */

/* SPDX-License-Identifier: MIT */
/* x86_64 inline part of the arch contract (see <kern/arch.h>). */
#ifndef _ASM_X86_64_ARCH_H
#define _ASM_X86_64_ARCH_H

#include <asm/memlayout.h>

/*
 * Byte offsets in struct arch_regs, for entry.S. The exception stub pushes
 * rax first and cr2 last, on top of the frame the CPU pushed, so the
 * structure is that stack area read upwards from cr2.
 */
#define ARCH_REGS_CR2		0
#define ARCH_REGS_R15		8
#define ARCH_REGS_R14		16
#define ARCH_REGS_R13		24
#define ARCH_REGS_R12		32
#define ARCH_REGS_R11		40
#define ARCH_REGS_R10		48
#define ARCH_REGS_R9		56
#define ARCH_REGS_R8		64
#define ARCH_REGS_RDI		72
#define ARCH_REGS_RSI		80
#define ARCH_REGS_RBP		88
#define ARCH_REGS_RBX		96
#define ARCH_REGS_RDX		104
#define ARCH_REGS_RCX		112
#define ARCH_REGS_RAX		120
#define ARCH_REGS_VECTOR	128
#define ARCH_REGS_ERROR_CODE	136
#define ARCH_REGS_RIP		144
#define ARCH_REGS_CS		152
#define ARCH_REGS_RFLAGS	160
#define ARCH_REGS_RSP		168
#define ARCH_REGS_SS		176
#define ARCH_REGS_SIZE		184

/* vector of a struct arch_regs filled by arch_capture_regs(), not a trap */
#define ARCH_REGS_NO_VECTOR	(-1)

#ifndef __ASSEMBLY__

#include <kern/types.h>

struct arch_regs {
	uint64_t cr2;			/* saved by the stub: #PF's address */
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector;		/* ARCH_REGS_NO_VECTOR for a capture */
	uint64_t error_code;		/* 0 when the CPU pushes none */
	uint64_t rip, cs, rflags, rsp, ss;	/* as the CPU pushes them */
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

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags) :: "memory");
	return flags & (1UL << 9);
}

static inline bool arch_kernel_address(unsigned long va)
{
	return va >= 0xffff800000000000UL;
}

static inline unsigned long arch_regs_pc(const struct arch_regs *regs)
{
	return regs->rip;
}

/* The saved CS's privilege level: 3 for user mode. */
static inline bool arch_regs_user_mode(const struct arch_regs *regs)
{
	return (regs->cs & 3) != 0;
}

static inline unsigned long arch_regs_fp(const struct arch_regs *regs)
{
	return regs->rbp;
}

/* A trap's result, in the register user mode gets it in. */
static inline void arch_regs_set_return(struct arch_regs *regs, unsigned long value)
{
	regs->rax = value;
}

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_ARCH_H */

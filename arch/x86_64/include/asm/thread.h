/* SPDX-License-Identifier: MIT */
/*
 * x86_64 thread context: what arch_context_switch() keeps of a thread that
 * is not running. The callee-saved registers (rbx, rbp, r12-r15) are pushed
 * on the thread's own stack, so only the stack pointer is kept here. The
 * kernel's C never touches the FPU/SSE state (-mgeneral-regs-only; the
 * page zeroing puts back the register it uses, zero_page.S), and the
 * interrupt flag is the caller's business: every switch happens with
 * interrupts disabled and each side restores its own.
 */
#ifndef _ASM_X86_64_THREAD_H
#define _ASM_X86_64_THREAD_H

#define ARCH_THREAD_SP		0	/* offsetof(struct arch_thread, sp) */
#define ARCH_THREAD_SIZE	8	/* sizeof(struct arch_thread) */

#ifndef __ASSEMBLY__

struct arch_thread {
	unsigned long	sp;	/* where the callee-saved registers are */
};

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_THREAD_H */

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
#define ARCH_THREAD_USER	8	/* &thread->ufp: may have user state */
#define ARCH_THREAD_SIZE	16	/* sizeof(struct arch_thread) */
/* Bytes before the user frame's registers in struct thread_uframe: struct arch_regs is 184 bytes. */
#define ARCH_UFRAME_PAD		8

#ifndef __ASSEMBLY__

struct arch_thread {
	unsigned long	sp;	/* where the callee-saved registers are */
	/*
	 * 0, or &thread->ufp from arch_user_fp_init() on, before the thread
	 * gets user state (user_state): switch.S saves and loads the FP state of
	 * a side where it is set (usermode.c), and makes it TSS.rsp0 (the
	 * end of the thread's user frame).
	 */
	unsigned long	user;
};

/* switch.S uses these offsets. */
_Static_assert(__builtin_offsetof(struct arch_thread, sp) == ARCH_THREAD_SP, "sp");
_Static_assert(__builtin_offsetof(struct arch_thread, user) == ARCH_THREAD_USER, "user");
_Static_assert(sizeof(struct arch_thread) == ARCH_THREAD_SIZE, "size");

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_THREAD_H */

/* SPDX-License-Identifier: MIT */
/*
 * arm64 thread context: what arch_context_switch() keeps of a thread that
 * is not running. The AAPCS64 callee-saved registers x19-x28, the frame
 * pointer x29, the link register x30 (where the thread resumes) and the
 * stack pointer. The kernel never uses the FP/SIMD registers
 * (-mgeneral-regs-only), so d8-d15 need no saving. DAIF is the caller's
 * business: every switch happens with interrupts masked and each side
 * restores its own.
 */
#ifndef _ASM_ARM64_THREAD_H
#define _ASM_ARM64_THREAD_H

#define ARCH_THREAD_X19		0
#define ARCH_THREAD_FP		80	/* x29, then x30 */
#define ARCH_THREAD_SP		96
#define ARCH_THREAD_USER	104	/* &thread->ufp: may have user state */
#define ARCH_THREAD_SIZE	112
/* Bytes before the user frame's registers in struct thread_uframe: struct arch_regs is 288 bytes. */
#define ARCH_UFRAME_PAD		0

#ifndef __ASSEMBLY__

#include <kern/types.h>

struct arch_thread {
	uint64_t	x19_x28[10];
	uint64_t	fp;		/* x29 */
	uint64_t	lr;		/* x30: where the thread resumes */
	uint64_t	sp;
	/*
	 * 0, or &thread->ufp from arch_user_fp_init() on, before the thread
	 * gets user state (user_state): switch.S saves and loads the FP/SIMD
	 * state and TPIDR_EL0 of a side where it is set (usermode.c).
	 */
	uint64_t	user;
};

/* switch.S uses these offsets. */
_Static_assert(__builtin_offsetof(struct arch_thread, fp) == ARCH_THREAD_FP, "fp");
_Static_assert(__builtin_offsetof(struct arch_thread, sp) == ARCH_THREAD_SP, "sp");
_Static_assert(__builtin_offsetof(struct arch_thread, user) == ARCH_THREAD_USER, "user");
_Static_assert(sizeof(struct arch_thread) == ARCH_THREAD_SIZE, "size");

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_ARM64_THREAD_H */

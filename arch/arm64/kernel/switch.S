/* SPDX-License-Identifier: MIT */
/*
 * arm64 context switch (see <kern/arch.h>, "Threads"): save the
 * callee-saved registers, fp, lr and sp of `from` in its struct
 * arch_thread, load `to`'s and return to its lr. A thread that has never
 * run gets lr = its entry point and sp = its stack top from
 * arch_thread_init(). x0, `from`, is left as it came: `to` resumes with it
 * as its return value (the thread its CPU left, which the scheduler's tail
 * then finishes) or, at its entry, as its argument.
 */
#include <asm/thread.h>

#include "user_switch.h"

/*
 * A user thread's FP/SIMD registers at \area (thread->ufp, 16-byte
 * aligned): q0-q31 at 0..511, FPSR at UFP_FPSR, FPCR at UFP_FPCR; x\t1
 * and x\t2 are scratch (\t1, \t2: register numbers). Only for user
 * threads: the kernel itself never uses these registers.
 */
	.arch_extension fp
	.arch_extension simd

	.macro	fpsimd_save area, t1, t2
	stp	q0, q1, [\area, #0]
	stp	q2, q3, [\area, #32]
	stp	q4, q5, [\area, #64]
	stp	q6, q7, [\area, #96]
	stp	q8, q9, [\area, #128]
	stp	q10, q11, [\area, #160]
	stp	q12, q13, [\area, #192]
	stp	q14, q15, [\area, #224]
	stp	q16, q17, [\area, #256]
	stp	q18, q19, [\area, #288]
	stp	q20, q21, [\area, #320]
	stp	q22, q23, [\area, #352]
	stp	q24, q25, [\area, #384]
	stp	q26, q27, [\area, #416]
	stp	q28, q29, [\area, #448]
	stp	q30, q31, [\area, #480]
	mrs	x\t1, fpsr
	mrs	x\t2, fpcr
	str	w\t1, [\area, #UFP_FPSR]
	str	w\t2, [\area, #UFP_FPCR]
	.endm

	.macro	fpsimd_load area, t1, t2
	ldp	q0, q1, [\area, #0]
	ldp	q2, q3, [\area, #32]
	ldp	q4, q5, [\area, #64]
	ldp	q6, q7, [\area, #96]
	ldp	q8, q9, [\area, #128]
	ldp	q10, q11, [\area, #160]
	ldp	q12, q13, [\area, #192]
	ldp	q14, q15, [\area, #224]
	ldp	q16, q17, [\area, #256]
	ldp	q18, q19, [\area, #288]
	ldp	q20, q21, [\area, #320]
	ldp	q22, q23, [\area, #352]
	ldp	q24, q25, [\area, #384]
	ldp	q26, q27, [\area, #416]
	ldp	q28, q29, [\area, #448]
	ldp	q30, q31, [\area, #480]
	ldr	w\t1, [\area, #UFP_FPSR]
	ldr	w\t2, [\area, #UFP_FPCR]
	msr	fpsr, x\t1
	msr	fpcr, x\t2
	.endm

	.text

/*
 * struct arch_thread *arch_context_switch(struct arch_thread *from,
 *					   struct arch_thread *to)
 */
	.globl	arch_context_switch
	.type	arch_context_switch, %function
	.balign	16
arch_context_switch:
	/*
	 * The FP/SIMD state and TPIDR_EL0 of user threads (usermode.c,
	 * Documentation/traps.rst): struct arch_thread's user word is
	 * &thread->ufp for a thread that may have user state, 0 for a kernel
	 * thread, which has nothing to save or load. Eager: from's saved,
	 * to's loaded, here without a call (x9-x12 are free: the callee-saved
	 * registers are saved below).
	 */
	ldr	x9, [x0, #ARCH_THREAD_USER]
	ldr	x10, [x1, #ARCH_THREAD_USER]
	cbz	x9, 2f
	fpsimd_save x9, 11, 12
	mrs	x11, tpidr_el0
	str	x11, [x9, #UFP_TO_UTLS]
2:	cbz	x10, 1f
	ldr	x11, [x10, #UFP_TO_UTLS]
	msr	tpidr_el0, x11
	fpsimd_load x10, 11, 12
1:	mov	x9, sp
	stp	x19, x20, [x0, #ARCH_THREAD_X19 + 0]
	stp	x21, x22, [x0, #ARCH_THREAD_X19 + 16]
	stp	x23, x24, [x0, #ARCH_THREAD_X19 + 32]
	stp	x25, x26, [x0, #ARCH_THREAD_X19 + 48]
	stp	x27, x28, [x0, #ARCH_THREAD_X19 + 64]
	stp	x29, x30, [x0, #ARCH_THREAD_FP]
	str	x9, [x0, #ARCH_THREAD_SP]
	ldp	x19, x20, [x1, #ARCH_THREAD_X19 + 0]
	ldp	x21, x22, [x1, #ARCH_THREAD_X19 + 16]
	ldp	x23, x24, [x1, #ARCH_THREAD_X19 + 32]
	ldp	x25, x26, [x1, #ARCH_THREAD_X19 + 48]
	ldp	x27, x28, [x1, #ARCH_THREAD_X19 + 64]
	ldp	x29, x30, [x1, #ARCH_THREAD_FP]
	ldr	x9, [x1, #ARCH_THREAD_SP]
	mov	sp, x9
	ret
	.size	arch_context_switch, . - arch_context_switch

/*
 * void arch_thread_init(struct arch_thread *at, void *stack_top,
 *			 void (*entry)(struct arch_thread *prev))
 * Zero registers and fp (which ends the frame chain), lr = entry, sp =
 * stack_top rounded down to 16 bytes.
 */
	.globl	arch_thread_init
	.type	arch_thread_init, %function
arch_thread_init:
	stp	xzr, xzr, [x0, #ARCH_THREAD_X19 + 0]
	stp	xzr, xzr, [x0, #ARCH_THREAD_X19 + 16]
	stp	xzr, xzr, [x0, #ARCH_THREAD_X19 + 32]
	stp	xzr, xzr, [x0, #ARCH_THREAD_X19 + 48]
	stp	xzr, xzr, [x0, #ARCH_THREAD_X19 + 64]
	stp	xzr, x2, [x0, #ARCH_THREAD_FP]
	and	x1, x1, #~15
	str	x1, [x0, #ARCH_THREAD_SP]
	ret
	.size	arch_thread_init, . - arch_thread_init

/*
 * void arch_call_on_stack(void *stack_top, void (*fn)(void)): leave the
 * current stack for good and call fn() at the top of another (or at the
 * top of this one: whatever was on it is dropped). fp = lr = 0 end the
 * frame chain.
 */
	.globl	arch_call_on_stack
	.type	arch_call_on_stack, %function
arch_call_on_stack:
	and	x0, x0, #~15
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr
	br	x1
	.size	arch_call_on_stack, . - arch_call_on_stack

/*
 * void arm64_fpsimd_save(void *area), arm64_fpsimd_load(const void *area)
 * The macros' bodies as functions, for arch_user_fp_sync().
 */
	.globl	arm64_fpsimd_save
	.type	arm64_fpsimd_save, %function
arm64_fpsimd_save:
	fpsimd_save x0, 1, 2
	ret
	.size	arm64_fpsimd_save, . - arm64_fpsimd_save

	.globl	arm64_fpsimd_load
	.type	arm64_fpsimd_load, %function
arm64_fpsimd_load:
	fpsimd_load x0, 1, 2
	ret
	.size	arm64_fpsimd_load, . - arm64_fpsimd_load

	.section .note.GNU-stack, "", %progbits

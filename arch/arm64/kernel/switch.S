/* SPDX-License-Identifier: MIT */
/*
 * arm64 context switch (see <kern/arch.h>, "Threads"): save the
 * callee-saved registers, fp, lr and sp of `from` in its struct
 * arch_thread, load `to`'s and return to its lr. A thread that has never
 * run gets lr = its entry point and sp = its stack top from
 * arch_thread_init().
 */
#include <asm/thread.h>

	.text

/* void arch_context_switch(struct arch_thread *from, struct arch_thread *to) */
	.globl	arch_context_switch
	.type	arch_context_switch, %function
	.balign	16
arch_context_switch:
	/*
	 * The FP/SIMD state and TPIDR_EL0 of user threads (usermode.c):
	 * struct arch_thread is the first member of struct thread, so from
	 * and to are the threads. Between two kernel threads (arch.user 0 on
	 * both sides) there is nothing to do and no call.
	 */
	ldr	x9, [x0, #ARCH_THREAD_USER]
	ldr	x10, [x1, #ARCH_THREAD_USER]
	orr	x9, x9, x10
	cbz	x9, 1f
	stp	x0, x1, [sp, #-32]!
	str	x30, [sp, #16]
	bl	arm64_user_switch
	ldr	x30, [sp, #16]
	ldp	x0, x1, [sp], #32
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
 *			 void (*entry)(void))
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
 * A user thread's FP/SIMD registers: q0-q31 at 0..511, FPSR at 512, FPCR
 * at 516 (thread->ufp, 16-byte aligned). Only for user threads: the
 * kernel itself never uses these registers.
 */
	.arch_extension fp
	.arch_extension simd

	.globl	arm64_fpsimd_save
	.type	arm64_fpsimd_save, %function
arm64_fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	str	w1, [x0, #512]
	str	w2, [x0, #516]
	ret
	.size	arm64_fpsimd_save, . - arm64_fpsimd_save

	.globl	arm64_fpsimd_load
	.type	arm64_fpsimd_load, %function
arm64_fpsimd_load:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	w1, [x0, #512]
	ldr	w2, [x0, #516]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
	.size	arm64_fpsimd_load, . - arm64_fpsimd_load

	.section .note.GNU-stack, "", %progbits

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

#if UFP_FPCR != UFP_FPSR + 4
#error "fpsimd_save/fpsimd_load move FPSR and FPCR as one pair"
#endif

/*
 * A user thread's FP/SIMD registers at \area (thread->ufp, 16-byte
 * aligned): q0-q31 at 0..511, FPSR at UFP_FPSR, FPCR at UFP_FPCR; x\t1
 * and x\t2 are scratch (\t1, \t2: register numbers). \area is left
 * 512 bytes further (UFP_VREGS_SIZE): ST1/LD1 move four registers at a
 * time and post-increment (the same memory image as STP/LDP of q pairs,
 * in half the instructions). Only for user threads: the kernel itself
 * never uses these registers.
 */
	.arch_extension fp
	.arch_extension simd

	.macro	fpsimd_save area, t1, t2
	st1	{v0.2d, v1.2d, v2.2d, v3.2d}, [\area], #64
	st1	{v4.2d, v5.2d, v6.2d, v7.2d}, [\area], #64
	st1	{v8.2d, v9.2d, v10.2d, v11.2d}, [\area], #64
	st1	{v12.2d, v13.2d, v14.2d, v15.2d}, [\area], #64
	st1	{v16.2d, v17.2d, v18.2d, v19.2d}, [\area], #64
	st1	{v20.2d, v21.2d, v22.2d, v23.2d}, [\area], #64
	st1	{v24.2d, v25.2d, v26.2d, v27.2d}, [\area], #64
	st1	{v28.2d, v29.2d, v30.2d, v31.2d}, [\area], #64
	mrs	x\t1, fpsr
	mrs	x\t2, fpcr
	stp	w\t1, w\t2, [\area, #UFP_FPSR - UFP_VREGS_SIZE]
	.endm

	.macro	fpsimd_load area, t1, t2
	ld1	{v0.2d, v1.2d, v2.2d, v3.2d}, [\area], #64
	ld1	{v4.2d, v5.2d, v6.2d, v7.2d}, [\area], #64
	ld1	{v8.2d, v9.2d, v10.2d, v11.2d}, [\area], #64
	ld1	{v12.2d, v13.2d, v14.2d, v15.2d}, [\area], #64
	ld1	{v16.2d, v17.2d, v18.2d, v19.2d}, [\area], #64
	ld1	{v20.2d, v21.2d, v22.2d, v23.2d}, [\area], #64
	ld1	{v24.2d, v25.2d, v26.2d, v27.2d}, [\area], #64
	ld1	{v28.2d, v29.2d, v30.2d, v31.2d}, [\area], #64
	ldp	w\t1, w\t2, [\area, #UFP_FPSR - UFP_VREGS_SIZE]
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
	fpsimd_save x9, 11, 12		/* x9 = ufp + UFP_VREGS_SIZE */
	mrs	x11, tpidr_el0
	str	x11, [x9, #UFP_TO_UTLS - UFP_VREGS_SIZE]
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

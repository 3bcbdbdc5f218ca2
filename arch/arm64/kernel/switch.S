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
	mov	x9, sp
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

	.section .note.GNU-stack, "", %progbits

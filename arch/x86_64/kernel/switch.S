/* SPDX-License-Identifier: MIT */
/*
 * x86_64 context switch (see <kern/arch.h>, "Threads").
 *
 * A thread that is not running has, at the top of its stack, the six
 * callee-saved registers and above them the address it resumes at:
 *
 *	sp ->	r15 r14 r13 r12 rbx rbp  return-address
 *
 * arch_context_switch() pushes that frame for `from` and pops `to`'s, so a
 * switch is 6 pushes, 2 moves, 6 pops and a ret. A thread that has never
 * run gets the same frame built by arch_thread_init(), with its entry
 * point as the return address.
 */
#include <asm/thread.h>

	.text

/* void arch_context_switch(struct arch_thread *from, struct arch_thread *to) */
	.globl	arch_context_switch
	.type	arch_context_switch, @function
	.balign	16
arch_context_switch:
	/*
	 * The FP/SSE state and FS base of user threads (usermode.c): struct
	 * arch_thread is the first member of struct thread, so from and to
	 * are the threads. The pushes keep the stack aligned for the call.
	 * Between two kernel threads (arch.user 0 on both sides) there is
	 * nothing to do and no call.
	 */
	movq	ARCH_THREAD_USER(%rdi), %rax
	orq	ARCH_THREAD_USER(%rsi), %rax
	jz	1f
	pushq	%rdi
	pushq	%rsi
	subq	$8, %rsp
	call	x86_user_switch
	addq	$8, %rsp
	popq	%rsi
	popq	%rdi
1:	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, ARCH_THREAD_SP(%rdi)
	movq	ARCH_THREAD_SP(%rsi), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	arch_context_switch, . - arch_context_switch

/*
 * void arch_thread_init(struct arch_thread *at, void *stack_top,
 *			 void (*entry)(void))
 *
 * From the (16-byte aligned) top down: a zero return address, so that
 * entry() starts as if called (rsp = 8 mod 16) and a backtrace ends
 * there; entry itself, which the first switch's ret jumps to; six zero
 * registers (rbp = 0 ends the frame-pointer chain).
 */
	.globl	arch_thread_init
	.type	arch_thread_init, @function
arch_thread_init:
	andq	$-16, %rsi
	movq	$0, -8(%rsi)
	movq	%rdx, -16(%rsi)
	leaq	-64(%rsi), %rax
	movq	$0, 0(%rax)
	movq	$0, 8(%rax)
	movq	$0, 16(%rax)
	movq	$0, 24(%rax)
	movq	$0, 32(%rax)
	movq	$0, 40(%rax)
	movq	%rax, ARCH_THREAD_SP(%rdi)
	ret
	.size	arch_thread_init, . - arch_thread_init

/*
 * void arch_call_on_stack(void *stack_top, void (*fn)(void)): leave the
 * current stack for good and call fn() at the top of another (or at the
 * top of this one: whatever was on it is dropped).
 */
	.globl	arch_call_on_stack
	.type	arch_call_on_stack, @function
arch_call_on_stack:
	andq	$-16, %rdi
	movq	%rdi, %rsp
	xorl	%ebp, %ebp
	pushq	$0
	jmp	*%rsi
	.size	arch_call_on_stack, . - arch_call_on_stack

	.section .note.GNU-stack, "", @progbits

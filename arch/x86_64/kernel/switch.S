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
 * point as the return address. %rdi, `from`, is left as it came: `to`
 * resumes with it as its return value (the thread its CPU left, which the
 * scheduler's tail then finishes) or, at its entry, as its argument.
 */
#include <asm/segment.h>
#include <asm/thread.h>

#include "user_switch.h"

	.text

/*
 * struct arch_thread *arch_context_switch(struct arch_thread *from,
 *					   struct arch_thread *to)
 */
	.globl	arch_context_switch
	.type	arch_context_switch, @function
	.balign	16
arch_context_switch:
	/*
	 * The FP/SSE state, FS base and kernel stack of user threads
	 * (usermode.c, Documentation/traps.rst): struct arch_thread's user
	 * word is &thread->ufp for a thread that may have user state, 0 for
	 * a kernel thread, which has nothing to save or load. Eager: from's
	 * registers saved (FXSAVE), to's loaded (FXRSTOR), TSS.rsp0 and the
	 * syscall stack set to the end of to's user frame, which is where
	 * ufp starts (entry.S's sysretq way out relies on it), and its FS
	 * base loaded when it differs from
	 * what this CPU's MSR holds (x86_user_fs_base, ~0 until the CPU's
	 * first user thread).
	 */
	/*
	 * Both words are 0 or kernel addresses (bit 63 set): their AND is
	 * 0 only when one of them is, so two user threads (an RPC's) take
	 * one test, and each word is loaded once; their OR (.Lnot_both) is
	 * 0 when both are.
	 */
	movq	ARCH_THREAD_USER(%rdi), %rax
	testq	%rax, ARCH_THREAD_USER(%rsi)
	jz	.Lnot_both
	movq	ARCH_THREAD_USER(%rsi), %r9
	fxsave64 (%rax)
.Lto_user:
	fxrstor64 (%r9)
	/*
	 * Stored without a compare: two user threads alternating on a CPU
	 * (an RPC's) change them every time. The TSS and the FS base cache
	 * are per-CPU variables, at their offset from this CPU's copy.
	 */
	movq	%gs:X86_CPU_DATA_PERCPU_OFFSET, %r8
	movq	%r9, x86_tss + X86_TSS_RSP0(%r8)
	movq	%r9, %gs:CPU_DATA_ENTRY_SP
	/*
	 * The FS base: two threads of a task each have their own, so every
	 * switch of an RPC between them writes the MSR (wrmsr takes it as
	 * two halves: %eax is the low one already).
	 */
	movq	UFP_TO_UTLS(%r9), %rax
	cmpq	%rax, x86_user_fs_base(%r8)
	je	.Lswitch_stacks
	movq	%rax, x86_user_fs_base(%r8)
	movl	UFP_TO_UTLS + 4(%r9), %edx
	movl	$MSR_FS_BASE, %ecx
	wrmsr
.Lswitch_stacks:
	pushq	%rbp
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
	movq	%rdi, %rax
	ret

	/*
	 * Not two user threads. Two kernel threads: five instructions in
	 * all. Else %rax becomes the one user word: from's if from's word
	 * is it.
	 */
.Lnot_both:
	orq	ARCH_THREAD_USER(%rsi), %rax
	jz	.Lswitch_stacks
	cmpq	%rax, ARCH_THREAD_USER(%rdi)
	jne	.Lfrom_kernel
	fxsave64 (%rax)
	jmp	.Lswitch_stacks
.Lfrom_kernel:
	movq	%rax, %r9
	jmp	.Lto_user
	.size	arch_context_switch, . - arch_context_switch

/*
 * void arch_thread_init(struct arch_thread *at, void *stack_top,
 *			 void (*entry)(struct arch_thread *prev))
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

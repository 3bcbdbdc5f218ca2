/* SPDX-License-Identifier: MIT */
/*
 * User programs for the usermode suite (kernel/usermode_test.c): position-
 * independent ring-3 code, kept as data and copied into a user page. Each
 * starts with %rdi = its data page D and ends with int3 (EXC_BREAKPOINT,
 * which ends the thread) unless it faults first.
 */
	.section .rodata
	.balign	16

/*
 * The trap runner: D[0] calls, then from D + 8 entries of 80 bytes
 * { number, arg[8], result }: each trap is made with its arguments
 * (the seventh and eighth on the stack, above a return address slot),
 * its %rax stored in result.
 */
	.globl	ut_blob_runner, ut_blob_runner_end
ut_blob_runner:
	movq	%rdi, %rbx
	movq	(%rbx), %r12
	leaq	8(%rbx), %r13
1:	testq	%r12, %r12
	jz	2f
	pushq	64(%r13)
	pushq	56(%r13)
	pushq	$0
	movq	0(%r13), %rax
	movq	8(%r13), %rdi
	movq	16(%r13), %rsi
	movq	24(%r13), %rdx
	movq	32(%r13), %r10
	movq	40(%r13), %r8
	movq	48(%r13), %r9
	syscall
	addq	$24, %rsp
	movq	%rax, 72(%r13)
	addq	$80, %r13
	decq	%r12
	jmp	1b
2:	int3
ut_blob_runner_end:

/* Read (D[1] == 0) or write D[1] at the address D[0]. */
	.globl	ut_blob_fault, ut_blob_fault_end
ut_blob_fault:
	movq	(%rdi), %rax
	movq	8(%rdi), %rcx
	testq	%rcx, %rcx
	jnz	1f
	movq	(%rax), %rax
	int3
1:	movq	%rcx, (%rax)
	int3
ut_blob_fault_end:

/* An undefined instruction, then a privileged one (never reached). */
	.globl	ut_blob_illegal, ut_blob_illegal_end
ut_blob_illegal:
	ud2
	int3
ut_blob_illegal_end:

	.globl	ut_blob_privileged, ut_blob_privileged_end
ut_blob_privileged:
	hlt
	int3
ut_blob_privileged_end:

/* Count in D[1] until D[0] is set or the count reaches D[2]. */
	.globl	ut_blob_spin, ut_blob_spin_end
ut_blob_spin:
1:	incq	8(%rdi)
	cmpq	$0, (%rdi)
	jne	2f
	movq	8(%rdi), %rax
	cmpq	16(%rdi), %rax
	jb	1b
2:	int3
ut_blob_spin_end:

/*
 * FP/SSE kept per thread: D[0] goes into xmm0 and xmm7, then count in
 * D[1] up to D[2] (long enough to be preempted by another thread doing
 * the same with its own value), then store xmm0 in D[3], xmm7 in D[4],
 * and xmm0 + xmm7 (as doubles) in D[5].
 */
	.globl	ut_blob_fp, ut_blob_fp_end
ut_blob_fp:
	movq	(%rdi), %xmm0
	movq	(%rdi), %xmm7
1:	incq	8(%rdi)
	movq	8(%rdi), %rax
	cmpq	16(%rdi), %rax
	jb	1b
	movq	%xmm0, 24(%rdi)
	movq	%xmm7, 32(%rdi)
	addsd	%xmm0, %xmm7
	movq	%xmm7, 40(%rdi)
	int3
ut_blob_fp_end:

/*
 * The user thread pointer: FS base = D[0] (thread_fast_set_cthread_self64,
 * its result in D[2]), D[3] yields (swtch), then D[1] = %fs:0.
 */
	.globl	ut_blob_tls, ut_blob_tls_end
ut_blob_tls:
	movq	%rdi, %rbx
	movq	$0x3000003, %rax
	movq	(%rbx), %rdi
	syscall
	movq	%rax, 16(%rbx)
	movq	24(%rbx), %r12
1:	movq	$-60, %rax
	syscall
	decq	%r12
	jnz	1b
	movq	%fs:0, %rax
	movq	%rax, 8(%rbx)
	int3
ut_blob_tls_end:

/*
 * Registers across a Mach trap: every one but rax, rcx and r11 (and rsp)
 * holds 0x1000 + its number, trap -1 (KERN_INVALID_ARGUMENT, the sysretq
 * way back), then int3: the exception's state shows what came back.
 */
	.globl	ut_blob_regs, ut_blob_regs_end
ut_blob_regs:
	movq	$0x1002, %rdx
	movq	$0x1003, %rbx
	movq	$0x1005, %rbp
	movq	$0x1006, %rsi
	movq	$0x1007, %rdi
	movq	$0x1008, %r8
	movq	$0x1009, %r9
	movq	$0x100a, %r10
	movq	$0x100c, %r12
	movq	$0x100d, %r13
	movq	$0x100e, %r14
	movq	$0x100f, %r15
	movq	$-1, %rax
	syscall
	int3
ut_blob_regs_end:

	.section .note.GNU-stack, "", @progbits

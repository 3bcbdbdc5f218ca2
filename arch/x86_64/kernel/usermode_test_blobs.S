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

	/* 0x1000 + its number into every register but rax, rcx, r11 and rsp. */
	.macro	ut_regs_load
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
	.endm

/*
 * Registers across a Mach trap: every one but rax, rcx and r11 (and rsp)
 * holds 0x1000 + its number, trap -1 (KERN_INVALID_ARGUMENT, the sysretq
 * way back), then int3: the exception's state shows what came back.
 */
	.globl	ut_blob_regs, ut_blob_regs_end
ut_blob_regs:
	ut_regs_load
	movq	$-1, %rax
	syscall
	int3
ut_blob_regs_end:

/*
 * The same with the usermode suite's own trap (USER_KTEST_TRAP, 0x6b74,
 * <kern/usermode.h>), which waits with a continuation and returns its
 * argument (rdi, 0x1007) + 1 (usermode_test_frame_continuation).
 */
	.globl	ut_blob_regs_cont, ut_blob_regs_cont_end
ut_blob_regs_cont:
	ut_regs_load
	movq	$0x6b74, %rax
	syscall
	int3
ut_blob_regs_cont_end:

/*
 * FP/SSE state across RPCs (usermode_test_fp_*): the words of D are
 *   0 seed, 8 traps to make (T), 16 mismatches (out), 24 traps made (out),
 *   32/40/48 the mach_msg option of the first, middle and last trap,
 *   56 rcv_name, 64 role (0: the whole 24-byte header from the template
 *   at 72 before each trap; else only its bits, size and local port, the
 *   remote port left as received: a server answering), 96 traps that
 *   failed (out), 104 MXCSR to load, 112 the last failure (out),
 *   256 the message buffer (256 bytes), 512 the registers' image.
 * xmm i gets { seed + i, ~(seed + i) } and MXCSR D[104], once; after every
 * trap all sixteen and MXCSR are compared with that (not reloaded, so a
 * switch that lost them is counted at each trap after it). Then int3.
 */
	.globl	ut_blob_fprpc, ut_blob_fprpc_end
ut_blob_fprpc:
	movq	%rdi, %rbx
	movq	(%rbx), %rax
	leaq	512(%rbx), %rdi
	xorl	%ecx, %ecx
1:	leaq	(%rax,%rcx), %rdx
	movq	%rdx, (%rdi)
	notq	%rdx
	movq	%rdx, 8(%rdi)
	addq	$16, %rdi
	incl	%ecx
	cmpl	$16, %ecx
	jb	1b
	movdqu	512(%rbx), %xmm0
	movdqu	528(%rbx), %xmm1
	movdqu	544(%rbx), %xmm2
	movdqu	560(%rbx), %xmm3
	movdqu	576(%rbx), %xmm4
	movdqu	592(%rbx), %xmm5
	movdqu	608(%rbx), %xmm6
	movdqu	624(%rbx), %xmm7
	movdqu	640(%rbx), %xmm8
	movdqu	656(%rbx), %xmm9
	movdqu	672(%rbx), %xmm10
	movdqu	688(%rbx), %xmm11
	movdqu	704(%rbx), %xmm12
	movdqu	720(%rbx), %xmm13
	movdqu	736(%rbx), %xmm14
	movdqu	752(%rbx), %xmm15
	ldmxcsr	104(%rbx)
	xorl	%r12d, %r12d
2:	movq	72(%rbx), %rax		/* bits, size */
	movq	%rax, 256(%rbx)
	cmpq	$0, 64(%rbx)
	jne	3f
	movq	80(%rbx), %rax
	movq	%rax, 264(%rbx)
	movq	88(%rbx), %rax
	movq	%rax, 272(%rbx)
	jmp	4f
3:	movl	84(%rbx), %eax		/* local */
	movl	%eax, 268(%rbx)
4:	movq	40(%rbx), %rsi
	testq	%r12, %r12
	jnz	5f
	movq	32(%rbx), %rsi
5:	movq	8(%rbx), %rax
	decq	%rax
	cmpq	%rax, %r12
	jne	6f
	movq	48(%rbx), %rsi
6:	leaq	256(%rbx), %rdi
	movl	$24, %edx
	movl	$256, %r10d
	movq	56(%rbx), %r8
	xorl	%r9d, %r9d
	movq	$-31, %rax			/* mach_msg_trap */
	syscall
	testl	%eax, %eax
	jz	7f
	incq	96(%rbx)
	movq	%rax, 112(%rbx)
7:
	movdqu	%xmm0, 512(%rbx)
	movdqu	%xmm1, 528(%rbx)
	movdqu	%xmm2, 544(%rbx)
	movdqu	%xmm3, 560(%rbx)
	movdqu	%xmm4, 576(%rbx)
	movdqu	%xmm5, 592(%rbx)
	movdqu	%xmm6, 608(%rbx)
	movdqu	%xmm7, 624(%rbx)
	movdqu	%xmm8, 640(%rbx)
	movdqu	%xmm9, 656(%rbx)
	movdqu	%xmm10, 672(%rbx)
	movdqu	%xmm11, 688(%rbx)
	movdqu	%xmm12, 704(%rbx)
	movdqu	%xmm13, 720(%rbx)
	movdqu	%xmm14, 736(%rbx)
	movdqu	%xmm15, 752(%rbx)
	movq	(%rbx), %rax
	leaq	512(%rbx), %rdi
	xorl	%ecx, %ecx
8:	leaq	(%rax,%rcx), %rdx
	cmpq	%rdx, (%rdi)
	jne	9f
	notq	%rdx
	cmpq	%rdx, 8(%rdi)
	je	10f
9:	incq	16(%rbx)
10:	addq	$16, %rdi
	incl	%ecx
	cmpl	$16, %ecx
	jb	8b
	stmxcsr	120(%rbx)
	movl	120(%rbx), %eax
	cmpl	104(%rbx), %eax
	je	11f
	incq	16(%rbx)
11:	incq	%r12
	movq	%r12, 24(%rbx)
	cmpq	8(%rbx), %r12
	jb	2b
	int3
ut_blob_fprpc_end:

/*
 * Registers changed while blocked in a trap (usermode_test_trap_set_state):
 * rbx, rbp, r12-r15 get 0x2000 + their number, then a receive with a
 * timeout (D[0] the port, D[1] the milliseconds) on the buffer at D + 256;
 * then D[2] = rax, D[3..8] = rbx, rbp, r12, r13, r14, r15, and int3.
 */
	.globl	ut_blob_trapset, ut_blob_trapset_end
ut_blob_trapset:
	pushq	%rdi
	movq	$0x2003, %rbx
	movq	$0x2005, %rbp
	movq	$0x200c, %r12
	movq	$0x200d, %r13
	movq	$0x200e, %r14
	movq	$0x200f, %r15
	movq	0(%rdi), %r8
	movq	8(%rdi), %r9
	leaq	256(%rdi), %rdi
	movl	$0x102, %esi			/* MACH_RCV_MSG | MACH_RCV_TIMEOUT */
	xorl	%edx, %edx
	movl	$256, %r10d
	movq	$-31, %rax			/* mach_msg_trap */
	syscall
	popq	%rdi
	movq	%rax, 16(%rdi)
	movq	%rbx, 24(%rdi)
	movq	%rbp, 32(%rdi)
	movq	%r12, 40(%rdi)
	movq	%r13, 48(%rdi)
	movq	%r14, 56(%rdi)
	movq	%r15, 64(%rdi)
	int3
ut_blob_trapset_end:

/*
 * A fresh thread's FP/SSE state (usermode_fp_test.c): with D[0] = 0 the
 * "dirty" role: xmm0-15 from the 256 bytes at D + 64 and MXCSR from
 * D[1], then int3 (the registers keep them while the thread waits); any
 * other D[0], the "fresh" role: FXSAVE of the thread's whole state to
 * D + 512 (16-byte aligned: D is a page), then int3.
 */
	.globl	ut_blob_fpfresh, ut_blob_fpfresh_end
ut_blob_fpfresh:
	cmpq	$0, (%rdi)
	jne	1f
	movdqu	64(%rdi), %xmm0
	movdqu	80(%rdi), %xmm1
	movdqu	96(%rdi), %xmm2
	movdqu	112(%rdi), %xmm3
	movdqu	128(%rdi), %xmm4
	movdqu	144(%rdi), %xmm5
	movdqu	160(%rdi), %xmm6
	movdqu	176(%rdi), %xmm7
	movdqu	192(%rdi), %xmm8
	movdqu	208(%rdi), %xmm9
	movdqu	224(%rdi), %xmm10
	movdqu	240(%rdi), %xmm11
	movdqu	256(%rdi), %xmm12
	movdqu	272(%rdi), %xmm13
	movdqu	288(%rdi), %xmm14
	movdqu	304(%rdi), %xmm15
	ldmxcsr	8(%rdi)
	int3
1:	fxsave	512(%rdi)
	int3
ut_blob_fpfresh_end:

	.section .note.GNU-stack, "", @progbits

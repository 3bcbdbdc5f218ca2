/* SPDX-License-Identifier: MIT */
/*
 * User programs for the usermode suite (kernel/usermode_test.c): position-
 * independent EL0 code, kept as data and copied into a user page. Each
 * starts with x0 = its data page D and ends with brk #0 (EXC_BREAKPOINT,
 * which ends the thread) unless it faults first.
 */
	.section .rodata
	.balign	16

/*
 * The trap runner: D[0] calls, then from D + 8 entries of 80 bytes
 * { number, arg[8], result }: x16 = number, x0..x7 = arguments,
 * svc #0x80, x0 stored in result.
 */
	.globl	ut_blob_runner, ut_blob_runner_end
ut_blob_runner:
	mov	x19, x0
	ldr	x20, [x19]
	add	x21, x19, #8
1:	cbz	x20, 2f
	ldr	x16, [x21, #0]
	ldp	x0, x1, [x21, #8]
	ldp	x2, x3, [x21, #24]
	ldp	x4, x5, [x21, #40]
	ldp	x6, x7, [x21, #56]
	svc	#0x80
	str	x0, [x21, #72]
	add	x21, x21, #80
	sub	x20, x20, #1
	b	1b
2:	brk	#0
ut_blob_runner_end:

/* Read (D[1] == 0) or write D[1] at the address D[0]. */
	.globl	ut_blob_fault, ut_blob_fault_end
ut_blob_fault:
	ldp	x1, x2, [x0]
	cbnz	x2, 1f
	ldr	x1, [x1]
	brk	#0
1:	str	x2, [x1]
	brk	#0
ut_blob_fault_end:

/* An undefined instruction. */
	.globl	ut_blob_illegal, ut_blob_illegal_end
ut_blob_illegal:
	.inst	0x00000000		/* udf #0 */
	brk	#0
ut_blob_illegal_end:

/* A system register EL0 may not read. */
	.globl	ut_blob_privileged, ut_blob_privileged_end
ut_blob_privileged:
	mrs	x1, sctlr_el1
	brk	#0
ut_blob_privileged_end:

/* Count in D[1] until D[0] is set or the count reaches D[2]. */
	.globl	ut_blob_spin, ut_blob_spin_end
ut_blob_spin:
	ldr	x3, [x0, #16]
1:	ldr	x1, [x0, #8]
	add	x1, x1, #1
	str	x1, [x0, #8]
	ldr	x2, [x0]
	cbnz	x2, 2f
	cmp	x1, x3
	b.lo	1b
2:	brk	#0
ut_blob_spin_end:

/*
 * FP/SIMD kept per thread: D[0] goes into d0 and d7, then count in D[1]
 * up to D[2] (long enough to be preempted by another thread doing the
 * same with its own value), then store d0 in D[3], d7 in D[4], and
 * d0 + d7 in D[5].
 */
	.arch_extension fp
	.globl	ut_blob_fp, ut_blob_fp_end
ut_blob_fp:
	ldr	d0, [x0]
	ldr	d7, [x0]
	ldr	x3, [x0, #16]
1:	ldr	x1, [x0, #8]
	add	x1, x1, #1
	str	x1, [x0, #8]
	cmp	x1, x3
	b.lo	1b
	str	d0, [x0, #24]
	str	d7, [x0, #32]
	fadd	d7, d7, d0
	str	d7, [x0, #40]
	brk	#0
ut_blob_fp_end:

/*
 * The user thread pointer: TPIDR_EL0 = D[0] (D[2] = 0), D[3] yields
 * (swtch), then D[1] = the word at TPIDR_EL0.
 */
	.globl	ut_blob_tls, ut_blob_tls_end
ut_blob_tls:
	mov	x19, x0
	ldr	x1, [x19]
	msr	tpidr_el0, x1
	str	xzr, [x19, #16]
	ldr	x20, [x19, #24]
1:	mov	x16, #-60
	svc	#0x80
	subs	x20, x20, #1
	b.ne	1b
	mrs	x1, tpidr_el0
	ldr	x2, [x1]
	str	x2, [x19, #8]
	brk	#0
ut_blob_tls_end:

	.section .note.GNU-stack, "", %progbits

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

	/* 0x1000 + its number into x1-x30 but x16 (the trap number). */
	.macro	ut_regs_load
	mov	x1, #0x1001
	mov	x2, #0x1002
	mov	x3, #0x1003
	mov	x4, #0x1004
	mov	x5, #0x1005
	mov	x6, #0x1006
	mov	x7, #0x1007
	mov	x8, #0x1008
	mov	x9, #0x1009
	mov	x10, #0x100a
	mov	x11, #0x100b
	mov	x12, #0x100c
	mov	x13, #0x100d
	mov	x14, #0x100e
	mov	x15, #0x100f
	mov	x17, #0x1011
	mov	x18, #0x1012
	mov	x19, #0x1013
	mov	x20, #0x1014
	mov	x21, #0x1015
	mov	x22, #0x1016
	mov	x23, #0x1017
	mov	x24, #0x1018
	mov	x25, #0x1019
	mov	x26, #0x101a
	mov	x27, #0x101b
	mov	x28, #0x101c
	mov	x29, #0x101d
	mov	x30, #0x101e
	.endm

/*
 * Registers across a Mach trap: x1..x15 and x17..x30 hold 0x1000 + their
 * number, trap -1 in x16 (KERN_INVALID_ARGUMENT in x0), then brk: the
 * exception's state shows what came back.
 */
	.globl	ut_blob_regs, ut_blob_regs_end
ut_blob_regs:
	ut_regs_load
	mov	x16, #-1
	svc	#0x80
	brk	#0
ut_blob_regs_end:

/*
 * The same with the usermode suite's own trap (USER_KTEST_TRAP, 0x6b74,
 * <kern/usermode.h>), which waits with a continuation and returns its
 * argument (x0, the data page) + 1 (usermode_test_frame_continuation).
 */
	.globl	ut_blob_regs_cont, ut_blob_regs_cont_end
ut_blob_regs_cont:
	ut_regs_load
	mov	x16, #0x6b74
	svc	#0x80
	brk	#0
ut_blob_regs_cont_end:

/*
 * FP/SIMD state across RPCs (usermode_test_fp_*): D as x86_64's
 * ut_blob_fprpc (104: FPCR to load). v i gets { seed + i, ~(seed + i) }
 * and FPCR D[104], once; after every trap all 32 and FPCR are compared
 * with that. Then brk.
 */
	.arch_extension simd
	.globl	ut_blob_fprpc, ut_blob_fprpc_end
ut_blob_fprpc:
	mov	x19, x0
	ldr	x20, [x19]
	add	x1, x19, #512
	mov	x2, #0
1:	add	x3, x20, x2
	mvn	x4, x3
	stp	x3, x4, [x1], #16
	add	x2, x2, #1
	cmp	x2, #32
	b.lo	1b
	add	x1, x19, #512
	ldp	q0, q1, [x1, #0]
	ldp	q2, q3, [x1, #32]
	ldp	q4, q5, [x1, #64]
	ldp	q6, q7, [x1, #96]
	ldp	q8, q9, [x1, #128]
	ldp	q10, q11, [x1, #160]
	ldp	q12, q13, [x1, #192]
	ldp	q14, q15, [x1, #224]
	ldp	q16, q17, [x1, #256]
	ldp	q18, q19, [x1, #288]
	ldp	q20, q21, [x1, #320]
	ldp	q22, q23, [x1, #352]
	ldp	q24, q25, [x1, #384]
	ldp	q26, q27, [x1, #416]
	ldp	q28, q29, [x1, #448]
	ldp	q30, q31, [x1, #480]
	ldr	x2, [x19, #104]
	msr	fpcr, x2
	mov	x21, #0
2:	ldr	x3, [x19, #72]			/* bits, size */
	str	x3, [x19, #256]
	ldr	x2, [x19, #64]
	cbnz	x2, 3f
	ldp	x3, x4, [x19, #80]
	stp	x3, x4, [x19, #264]
	b	4f
3:	ldr	w3, [x19, #84]			/* local */
	str	w3, [x19, #268]
4:	ldr	x1, [x19, #40]
	cbnz	x21, 5f
	ldr	x1, [x19, #32]
5:	ldr	x2, [x19, #8]
	sub	x2, x2, #1
	cmp	x21, x2
	b.ne	6f
	ldr	x1, [x19, #48]
6:	add	x0, x19, #256
	mov	x2, #24
	mov	x3, #256
	ldr	x4, [x19, #56]
	mov	x5, #0
	mov	x6, #0
	mov	x7, #0
	mov	x16, #-31			/* mach_msg_trap */
	svc	#0x80
	cbz	w0, 7f
	ldr	x2, [x19, #96]
	add	x2, x2, #1
	str	x2, [x19, #96]
	str	x0, [x19, #112]
7:	add	x1, x19, #512
	stp	q0, q1, [x1, #0]
	stp	q2, q3, [x1, #32]
	stp	q4, q5, [x1, #64]
	stp	q6, q7, [x1, #96]
	stp	q8, q9, [x1, #128]
	stp	q10, q11, [x1, #160]
	stp	q12, q13, [x1, #192]
	stp	q14, q15, [x1, #224]
	stp	q16, q17, [x1, #256]
	stp	q18, q19, [x1, #288]
	stp	q20, q21, [x1, #320]
	stp	q22, q23, [x1, #352]
	stp	q24, q25, [x1, #384]
	stp	q26, q27, [x1, #416]
	stp	q28, q29, [x1, #448]
	stp	q30, q31, [x1, #480]
	mov	x2, #0
8:	add	x3, x20, x2
	mvn	x4, x3
	ldp	x5, x6, [x1], #16
	cmp	x5, x3
	ccmp	x6, x4, #0, eq
	b.eq	9f
	ldr	x7, [x19, #16]
	add	x7, x7, #1
	str	x7, [x19, #16]
9:	add	x2, x2, #1
	cmp	x2, #32
	b.lo	8b
	mrs	x2, fpcr
	ldr	x3, [x19, #104]
	cmp	x2, x3
	b.eq	10f
	ldr	x7, [x19, #16]
	add	x7, x7, #1
	str	x7, [x19, #16]
10:	add	x21, x21, #1
	str	x21, [x19, #24]
	ldr	x2, [x19, #8]
	cmp	x21, x2
	b.lo	2b
	brk	#0
ut_blob_fprpc_end:

/*
 * Registers changed while blocked in a trap (usermode_test_trap_set_state):
 * x19-x29 get 0x2000 + their number, then a receive with a timeout (D[0]
 * the port, D[1] the milliseconds) on the buffer at D + 256; then D[2] =
 * x0, D[3..13] = x19..x29, and brk.
 */
	.globl	ut_blob_trapset, ut_blob_trapset_end
ut_blob_trapset:
	str	x0, [sp, #-16]!
	mov	x19, #0x2013
	mov	x20, #0x2014
	mov	x21, #0x2015
	mov	x22, #0x2016
	mov	x23, #0x2017
	mov	x24, #0x2018
	mov	x25, #0x2019
	mov	x26, #0x201a
	mov	x27, #0x201b
	mov	x28, #0x201c
	mov	x29, #0x201d
	ldp	x4, x5, [x0]
	add	x0, x0, #256
	mov	x1, #0x102			/* MACH_RCV_MSG | MACH_RCV_TIMEOUT */
	mov	x2, #0
	mov	x3, #256
	mov	x6, #0
	mov	x7, #0
	mov	x16, #-31			/* mach_msg_trap */
	svc	#0x80
	ldr	x1, [sp], #16
	str	x0, [x1, #16]
	stp	x19, x20, [x1, #24]
	stp	x21, x22, [x1, #40]
	stp	x23, x24, [x1, #56]
	stp	x25, x26, [x1, #72]
	stp	x27, x28, [x1, #88]
	str	x29, [x1, #104]
	brk	#0
ut_blob_trapset_end:

/*
 * A fresh thread's FP/SIMD state (usermode_fp_test.c): with D[0] = 0 the
 * "dirty" role: q0-q31 from the 512 bytes at D + 64 and FPCR from D[1],
 * then brk (the registers keep them while the thread waits); any other
 * D[0], the "fresh" role: q0-q31 to D + 1024, FPCR and FPSR to D + 1536
 * and D + 1544, then brk.
 */
	.arch_extension fp
	.arch_extension simd
	.globl	ut_blob_fpfresh, ut_blob_fpfresh_end
ut_blob_fpfresh:
	ldr	x1, [x0]
	cbnz	x1, 1f
	add	x2, x0, #64
	ldp	q0, q1, [x2, #0]
	ldp	q2, q3, [x2, #32]
	ldp	q4, q5, [x2, #64]
	ldp	q6, q7, [x2, #96]
	ldp	q8, q9, [x2, #128]
	ldp	q10, q11, [x2, #160]
	ldp	q12, q13, [x2, #192]
	ldp	q14, q15, [x2, #224]
	ldp	q16, q17, [x2, #256]
	ldp	q18, q19, [x2, #288]
	ldp	q20, q21, [x2, #320]
	ldp	q22, q23, [x2, #352]
	ldp	q24, q25, [x2, #384]
	ldp	q26, q27, [x2, #416]
	ldp	q28, q29, [x2, #448]
	ldp	q30, q31, [x2, #480]
	ldr	x1, [x0, #8]
	msr	fpcr, x1
	brk	#0
1:	add	x2, x0, #1024
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]
	mrs	x1, fpcr
	str	x1, [x0, #1536]
	mrs	x1, fpsr
	str	x1, [x0, #1544]
	brk	#0
ut_blob_fpfresh_end:

	.section .note.GNU-stack, "", %progbits

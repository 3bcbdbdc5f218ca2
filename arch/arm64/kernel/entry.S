/* SPDX-License-Identifier: MIT */
/*
 * Exception vectors (VBAR_EL1) and register capture.
 *
 * Every one of the 16 vectors saves a struct arch_regs on the current
 * stack (SP_EL1) and calls a C handler: arm64_irq_handler(regs) (irq.c)
 * for an IRQ from EL1h or from EL0, arm64_trap(regs, vector) in traps.c
 * for everything else. When the handler returns (an interrupt, or the
 * semihosting probe), the registers, ELR and SPSR are restored from the
 * frame, so a handler may change them, and the exception returns. An
 * interrupt handler may switch threads in between (irq_exit()): the frame
 * stays on the interrupted thread's stack until it runs again.
 *
 * From EL0 (vectors 8-11) the frame is the thread's user frame, in the
 * thread (thread->uframe: SP_EL1 stands at its end while the thread is in
 * user mode, where the way back left it), SP_EL0 (the user sp) goes into
 * the frame and current_thread() back into SP_EL0, and then sp moves to
 * the thread's kernel stack (its top, at UFP_TO_KSTACK_TOP from the
 * frame's end), which holds nothing of user mode; the way back to EL0
 * calls arm64_user_return(), restores the user sp and the frame, which
 * leaves sp at its end (usermode.c, Documentation/traps.rst).
 */
#include <asm/sysreg.h>
#include <kern/trap_asm.h>

#include "user_switch.h"

/* struct arch_regs, see <asm/arch.h>; traps.c checks these offsets. */
#define S_X30		(30 * 8)
#define S_SP		(31 * 8)
#define S_PC		(32 * 8)
#define S_PSTATE	(33 * 8)
#define S_ESR		(34 * 8)
#define S_FAR		(35 * 8)
#define S_FRAME_SIZE	(36 * 8)	/* 288: a multiple of 16 */

#if TRAP_THREAD_PREEMPT_COUNT != TRAP_THREAD_STATE + 4
#error "el0_sync loads the thread's state and preemption count as one pair"
#endif
#if MACH_TRAP_FN_SIZE != 8
#error "el0_sync scales the trap number by 8 (lsl #3)"
#endif

/* The running thread's user frame, from the thread (<kern/trap_asm.h>). */
#define UFRAME		TRAP_THREAD_UFRAME

/* ESR_EL1 of svc #0x80 from AArch64: EC 0x15, IL, the immediate. */
#define ESR_SVC_MACH		0x56000080

	/* x2..x29 into the frame at sp (x0, x1: the vector's), and back with x30. */
	.macro	save_x2_x29
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	.endm

	/*
	 * x2..x17 from the frame at \base + \off: what el0_sync's way out
	 * restores with x18, x19 and x30.
	 */
	.macro	restore_x2_x17 base=sp, off=0
	ldp	x2, x3, [\base, #\off + 16]
	ldp	x4, x5, [\base, #\off + 32]
	ldp	x6, x7, [\base, #\off + 48]
	ldp	x8, x9, [\base, #\off + 64]
	ldp	x10, x11, [\base, #\off + 80]
	ldp	x12, x13, [\base, #\off + 96]
	ldp	x14, x15, [\base, #\off + 112]
	ldp	x16, x17, [\base, #\off + 128]
	.endm

	.macro	restore_x2_x30
	restore_x2_x17
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #S_X30]
	.endm

	.macro	vector, nr
	.balign	0x80
	sub	sp, sp, #S_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\nr
	b	trap_common
	.endm

	/* Vector 8, synchronous from EL0: the Mach trap fast path first. */
	.macro	vector_el0_sync
	.balign	0x80
	sub	sp, sp, #S_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	b	el0_sync
	.endm

	.text
	.balign	2048
	.globl	arm64_vectors
arm64_vectors:
	vector	0	/* EL1t: synchronous */
	vector	1	/*       IRQ */
	vector	2	/*       FIQ */
	vector	3	/*       SError */
	vector	4	/* EL1h: synchronous */
	vector	5
	vector	6
	vector	7
	vector_el0_sync	/* 8: EL0, AArch64 */
	vector	9
	vector	10
	vector	11
	vector	12	/* EL0, AArch32 */
	vector	13
	vector	14
	vector	15

trap_common:
	save_x2_x29
	/* The interrupted sp: SP_EL1 before the frame for EL1h, else SP_EL0. */
	add	x2, sp, #S_FRAME_SIZE
	mrs	x3, sp_el0
	cmp	x0, #4
	b.lo	1f
	cmp	x0, #8
	b.lo	2f
1:	mov	x2, x3
2:	stp	x30, x2, [sp, #S_X30]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #S_PC]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #S_ESR]
	/* x19 (saved above, callee-saved) keeps the frame until the eret. */
	mov	x19, sp
	/*
	 * From EL0, SP_EL0 held the user sp (saved above): put the running
	 * thread back there for current_thread() (cpu_data->active_thread),
	 * and leave the thread's frame for its kernel stack.
	 */
	cmp	x0, #8
	b.lo	.Ltrap_dispatch
	sub	x2, x19, #UFRAME		/* the thread, around its frame */
	msr	sp_el0, x2
	ldr	x2, [x19, #S_FRAME_SIZE + UFP_TO_KSTACK_TOP]
	mov	sp, x2
.Ltrap_dispatch:			/* the frame complete at x19, x0 = the vector */
	mov	x1, x0
	mov	x0, x19
	/* A frame record {fp, pc} so that a backtrace walks into the trapped code. */
	ldr	x2, [x19, #S_PC]
	stp	x29, x2, [sp, #-16]!
	mov	x29, sp
	/* IRQ from EL1h (5) or from EL0 AArch64 (9): the interrupt handler. */
	cmp	x1, #5
	b.eq	3f
	cmp	x1, #9
	b.eq	3f
	/* An SVC from EL0 AArch64 (8): the Mach trap, without arm64_trap()'s dispatch. */
	cmp	x1, #8
	b.ne	7f
	ldr	x2, [x0, #S_ESR]
	ubfx	x2, x2, #ESR_EC_SHIFT, #6
	cmp	x2, #0x15			/* EC: SVC from AArch64 */
	b.ne	7f
	bl	arm64_syscall
	b	4f
7:	bl	arm64_trap
	b	4f
3:	bl	arm64_irq_handler
4:	add	sp, sp, #16

.Lexception_return:
	/*
	 * x19: the frame; sp: the frame too (to EL1), or the thread's kernel
	 * stack (to EL0, SPSR.M = EL0t): pending work on that stack, then
	 * the user sp, and sp to the frame in the thread.
	 */
	ldr	x2, [x19, #S_PSTATE]
	tst	x2, #0xf
	b.ne	6f
	msr	daifset, #3
	mov	x0, x19
	bl	arm64_user_return
	ldr	x2, [x19, #S_SP]
	msr	sp_el0, x2
	mov	sp, x19
6:
	ldp	x2, x3, [sp, #S_PC]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	restore_x2_x30
	add	sp, sp, #S_FRAME_SIZE
	eret

/*
 * Synchronous exception from EL0 (Documentation/traps.rst, "The fast
 * path"): the same frame as trap_common's. An svc #0x80 with a number of
 * the trap table (-MACH_TRAP_TABLE_COUNT < x16 <= 0; holes are
 * kern_invalid) is called here, interrupts on, with the user's x0..x7 as
 * its arguments. Then, interrupts off, one test of what needs the full
 * way out (user_return_pending(): an AST of this CPU, TH_ABORT or a
 * preemption count of the thread; thread_set_state's mark in the saved
 * ESR); if nothing does, the registers the C code may have changed come
 * back from the frame (x1-x19, x30; x0 is the result), and eret. Any other exception, other SVCs and bad
 * numbers go through trap_common's dispatch (arm64_syscall() has them).
 * The frame is the thread's (at TRAP_THREAD_UFRAME from x19, the thread);
 * the calls run on the thread's kernel stack.
 */
el0_sync:
	save_x2_x29
	mrs	x9, sp_el0
	stp	x30, x9, [sp, #S_X30]
	mrs	x9, elr_el1
	mrs	x10, spsr_el1
	stp	x9, x10, [sp, #S_PC]
	/* FAR means nothing for an svc: read below for anything else. */
	mrs	x10, esr_el1
	stp	x10, xzr, [sp, #S_ESR]
	/*
	 * The thread, around the frame, also in x19 (callee-saved: the C
	 * code keeps it) for the tests after the call; the user's x19 is in
	 * the frame. Then sp to the thread's kernel stack.
	 */
	sub	x19, sp, #UFRAME
	msr	sp_el0, x19
	ldr	x9, [sp, #S_FRAME_SIZE + UFP_TO_KSTACK_TOP]
	mov	sp, x9
	ldr	w11, .Lesr_svc_mach
	cmp	x10, x11
	b.ne	1f
	neg	x10, x16
	cmp	x10, #MACH_TRAP_TABLE_COUNT
	b.hs	1f
	/*
	 * No frame record: x29 stays the user's, where a backtrace from the
	 * trap stops (a user address), as it would at one {x29, pc}.
	 */
	ldr	x9, .Lmach_trap_fns
	ldr	x9, [x9, x10, lsl #3]		/* MACH_TRAP_FN_SIZE */
	msr	daifclr, #3			/* x0..x7: still the user's arguments */
	blr	x9
	msr	daifset, #3
	/* Anything for the full way out? All of it ORed into w10. */
	mrs	x9, tpidr_el1
	ldr	w10, [x9, #TRAP_CPU_AST]
	ldp	w12, w13, [x19, #TRAP_THREAD_STATE]	/* and the preemption count */
	and	w12, w12, #TRAP_TH_ABORT
	orr	w10, w10, w12
	orr	w10, w10, w13
	/* thread_set_state's mark in the saved ESR (<asm/sysreg.h>): the full way. */
	ldr	x12, [x19, #UFRAME + S_ESR]
	orr	x10, x10, x12, lsr #ESR_SAVED_STATE_SET_SHIFT
	cbnz	x10, 2f
	/*
	 * The frame is as el0_sync saved it, and x20-x29 are the user's still
	 * (the C code kept them): only x1-x19, x30, pc, PSTATE and sp come
	 * back from it, read from the thread; sp goes back to the frame's
	 * end (SP_EL1 in user mode) before x19, the thread, is reloaded.
	 */
	ldp	x30, x2, [x19, #UFRAME + S_X30]	/* and sp */
	msr	sp_el0, x2
	ldp	x2, x3, [x19, #UFRAME + S_PC]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldr	x1, [x19, #UFRAME + 8]
	restore_x2_x17 x19, UFRAME
	add	sp, x19, #UFRAME + S_FRAME_SIZE
	ldp	x18, x19, [x19, #UFRAME + 144]
	eret
2:	add	x19, x19, #UFRAME		/* .Lexception_return's x19: the frame */
	str	x0, [x19, #0]
	b	.Lexception_return
1:	mrs	x11, far_el1
	add	x19, x19, #UFRAME
	str	x11, [x19, #S_FAR]
	mov	x0, #8
	b	.Ltrap_dispatch

	/* el0_sync's constants, each loaded by one instruction. */
	.balign	8
.Lmach_trap_fns:
	.quad	mach_trap_fns
.Lesr_svc_mach:
	.word	ESR_SVC_MACH

/*
 * void arch_user_return_to(struct arch_regs *frame)
 * Leave for EL0 with the calling thread's frame (kernel/usermode.c filled
 * it in; SP_EL1 will stand at its end while the thread is in user mode):
 * a new user thread's first way out. What is on the kernel stack is left
 * there: the next exception from EL0 starts at its top.
 */
	.globl	arch_user_return_to
	.type	arch_user_return_to, %function
arch_user_return_to:
	msr	daifset, #3
	mov	x19, x0
	mov	x29, xzr
	b	.Lexception_return
	.size	arch_user_return_to, . - arch_user_return_to

/*
 * void arch_capture_regs(struct arch_regs *regs)
 * The caller's registers as they are at the call: pc is the return
 * address, sp the caller's (this function does not move it).
 */
	.globl	arch_capture_regs
	.type	arch_capture_regs, %function
arch_capture_regs:
	stp	x0, x1, [x0, #0]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	mov	x1, sp
	stp	x30, x1, [x0, #S_X30]
	mrs	x1, nzcv
	mrs	x2, daif
	orr	x1, x1, x2
	mrs	x2, CurrentEL
	orr	x1, x1, x2
	orr	x1, x1, #1			/* SPSel: SP_ELx */
	stp	x30, x1, [x0, #S_PC]
	stp	xzr, xzr, [x0, #S_ESR]
	ldp	x1, x2, [x0, #8]		/* give back the clobbered x1, x2 */
	ret
	.size	arch_capture_regs, . - arch_capture_regs

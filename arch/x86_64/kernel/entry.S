/* SPDX-License-Identifier: MIT */
/*
 * Trap entry: one small stub per IDT vector pushes a dummy error code when
 * the CPU pushes none, then the vector number, and jumps to the common
 * code, which saves the general registers and %cr2 so that the stack holds
 * a struct arch_regs (<asm/arch.h>), and calls x86_trap(regs) in C.
 *
 * From ring 3 that "stack" is the thread's user frame (thread->uframe,
 * Documentation/traps.rst): TSS.rsp0 and the syscall's stack are its end
 * while the thread is in user mode, so the CPU and the code below push the
 * user registers into the thread, and only then move to the thread's
 * kernel stack (its top, at UFP_TO_KSTACK_TOP from the frame's end), which
 * thus holds nothing of user mode. Every way back to ring 3 restores the
 * frame from the thread.
 *
 * Also arch_capture_regs(), which fills a struct arch_regs with its
 * caller's registers.
 */
#include <asm/arch.h>
#include <asm/memory.h>
#include <asm/segment.h>
#include <asm/smap.h>
#include <kern/trap_asm.h>

#include "user_switch.h"

#define MSR_GS_BASE_NR	0xc0000101

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) \
	((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign	16
x86_trap_stubs_start:
.Lvec = 0
	.rept	256
	/* Stub n at start + 16 n: the IDT table below relies on it, and
	 * .org fails the build ("move .org backwards") if one grows. */
	.org	x86_trap_stubs_start + .Lvec * 16, 0xcc
	.if	!HAS_ERROR_CODE(.Lvec)
	pushq	$0
	.endif
	pushq	$.Lvec
	jmp	x86_trap_common
.Lvec = .Lvec + 1
	.endr

/* The stubs' addresses, for the IDT (cpu.c). */
	.section .rodata
	.balign	8
	.globl	x86_trap_stubs
x86_trap_stubs:
.Lvec = 0
	.rept	256
	.quad	x86_trap_stubs_start + .Lvec * 16
.Lvec = .Lvec + 1
	.endr

/* The general registers and cr2 of struct arch_regs, pushed and popped. */
	.macro	SAVE_REGS
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	.endm

	/* r15 .. rcx: all of them but rax (the syscall fast path's result). */
	.macro	POP_REGS_BUT_RAX
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	.endm

	.macro	RESTORE_REGS
	addq	$8, %rsp		/* cr2 */
	POP_REGS_BUT_RAX
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	.endm


/*
 * Call fn(regs) with the stack aligned for the ABI: the structure is 184
 * bytes on top of a frame the CPU aligned to 16. %rbx keeps the frame.
 */
	.macro	CALL_WITH_REGS fn
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	\fn
	movq	%rbx, %rsp
	.endm

	.text
x86_trap_common:
	cld
	SAVE_REGS
	movq	%cr2, %rax
	pushq	%rax
	CLAC_IF_SMAP
	/*
	 * The kernel runs with its own GS base (cpu_data). From ring 3, swap
	 * it in. From ring 0 it is normally there already, except when an
	 * NMI, #MC or #DF (the IST vectors) hit the first instructions of the
	 * syscall entry, before its swapgs: look at the MSR for those.
	 * %r12 (callee-saved, restored from the frame) remembers a swap made
	 * for a ring-0 trap, to undo on the way out.
	 */
	xorl	%r12d, %r12d
	testb	$3, ARCH_REGS_CS(%rsp)
	jnz	.Lfrom_user
	movq	ARCH_REGS_VECTOR(%rsp), %rax
	cmpq	$2, %rax
	je	.Lparanoid
	cmpq	$8, %rax
	je	.Lparanoid
	cmpq	$18, %rax
	jne	.Lkernel_trap
.Lparanoid:
	movl	$MSR_GS_BASE_NR, %ecx
	rdmsr
	testl	%edx, %edx
	js	.Lkernel_trap		/* a kernel address: ours already */
	swapgs
	movl	$1, %r12d
.Lkernel_trap:
	CALL_WITH_REGS x86_trap
	testl	%r12d, %r12d
	jnz	.Lparanoid_out
	RESTORE_REGS
	iretq
.Lparanoid_out:
	RESTORE_REGS
	swapgs
	iretq

.Lfrom_user:
	/*
	 * The frame is the thread's (an NMI, #MC or #DF builds it on its IST
	 * stack instead: x86_trap() does not come back from those from
	 * ring 3). Its kernel stack from the frame's end, the CPU's.
	 */
	swapgs
	movq	%rsp, %rdi
	movq	%gs:CPU_DATA_ENTRY_SP, %rsp
	movq	UFP_TO_KSTACK_TOP(%rsp), %rsp
	call	x86_trap
	/* fall through */

/*
 * Back to ring 3, on the thread's kernel stack (16-byte aligned): with
 * interrupts off, the last look at pending work (x86_user_return() may
 * switch threads and come back), then the user registers from the frame
 * it returns (the thread's), the user GS base, iretq. Every way to ring
 * 3 but the syscall fast path goes through here (iretq also restores
 * rcx/r11 after a syscall). iretq leaves %rsp at the frame's end.
 */
x86_user_out:
	cli
	call	x86_user_return
	movq	%rax, %rsp
	RESTORE_REGS
	swapgs
	iretq

/*
 * syscall from ring 3: rip in %rcx, rflags in %r11, FMASK applied
 * (interrupts off, AC clear). Build the same frame as a trap, with vector
 * X86_VECTOR_SYSCALL, in the thread (its end is cpu_data's copy of
 * TSS.rsp0), then move to the thread's kernel stack. The whole frame is
 * saved, so that
 * thread_get_state/thread_set_state see and change every register of a
 * thread in a trap, as of one in an exception. Its four constant fields
 * (ss, cs, the error code 0 and the vector) are not stored: they are so
 * in the frame of every thread in ring 3 (ss and cs in every frame bound
 * there; the error code and vector put back by x86_user_return() on the
 * full way out, and left intact on the sysretq ways, which only a frame
 * without thread_set_state's mark takes).
 *
 * The fast path (Documentation/traps.rst): a number of the trap table
 * (-MACH_TRAP_TABLE_COUNT < %rax <= 0; holes are kern_invalid) is called
 * here, interrupts on, with the user's argument registers (the fourth
 * moved from %r10 to %rcx). Then, interrupts off, two tests of everything
 * that needs the full way out: an AST of this CPU, TH_ABORT or a
 * preemption count of the thread (user_return_pending()), or a frame
 * that is no longer what syscall made of it (a thread_set_state
 * meanwhile marks it with a nonzero error code, X86_SYSCALL_FRAME_SET,
 * and needs iretq's full restore). TSS.rsp0 and
 * the syscall stack are this thread's frame's end: a switch to a user
 * thread sets them (switch.S), so a thread that blocked or moved to
 * another CPU in the trap finds them right. If nothing is,
 * the registers the kernel's C may have changed come back from the
 * frame, found from the running thread (rcx and r11 as syscall saved
 * them: rip and rflags), the result
 * in %rax, then the user rsp, the user GS base, sysretq. sysretq's hazard is a
 * non-canonical %rcx (#GP in ring 0 with the user's rsp and GS base): the
 * rip of a syscall is at most VM_MAX_USER_ADDRESS (checked below), and
 * thread_set_state takes no pc beyond it, so rcx = rip is canonical.
 * Other numbers (the machine-dependent ones, bad ones) go to
 * x86_syscall() in C, which says which way out. An NMI or #MC between
 * swapgs and sysretq runs on its IST stack and finds the user GS base in
 * the MSR (the paranoid entry above).
 */
/* A field of the running thread's user frame, from the thread (<kern/trap_asm.h>). */
#define UFRAME(field)	(TRAP_THREAD_UFRAME + (field))

/*
 * The 64-bit word of state (low half) and preempt_count (high half), as
 * the syscall exit tests it: TH_ABORT and all of preempt_count. An imm32,
 * sign-extended, so state's bit 31 is in it too: no TH_* bit is bit 31
 * (usermode.c checks every one), so that bit is always 0.
 */
#if TRAP_THREAD_PREEMPT_COUNT != TRAP_THREAD_STATE + 4
#error "the syscall exit reads state and preempt_count as one word"
#endif
#define SYSCALL_EXIT_THREAD_MASK	(-0x80000000 | TRAP_TH_ABORT)

#if VM_MAX_USER_ADDRESS > 0x00007ffffffff000
#error "sysretq needs user rips below the non-canonical hole"
#endif

	.globl	x86_syscall_entry
	.type	x86_syscall_entry, @function
	.balign	16
x86_syscall_entry:
	swapgs
	movq	%rsp, %gs:CPU_DATA_USER_SP
	movq	%gs:CPU_DATA_ENTRY_SP, %rsp
	/*
	 * ss, cs, the error code (0: thread_set_state's mark clear) and the
	 * vector (X86_VECTOR_SYSCALL) are in the frame already: every way
	 * to ring 3 leaves them so (x86_user_return(), usermode.c). Only
	 * rsp, rflags and rip are stored.
	 */
	subq	$ARCH_REGS_SIZE - ARCH_REGS_RSP - 8, %rsp	/* past ss */
	pushq	%gs:CPU_DATA_USER_SP				/* rsp */
	pushq	%r11						/* rflags */
	movq	%rcx, ARCH_REGS_RIP - ARCH_REGS_RFLAGS(%rsp)	/* rip, past cs */
	subq	$ARCH_REGS_RFLAGS - ARCH_REGS_VECTOR, %rsp	/* to the vector */
	SAVE_REGS
	/*
	 * cr2 left as it is below (only a #PF frame's is read). The frame,
	 * at -8(%rsp), is complete: to the kernel stack's top (16-byte
	 * aligned, as the calls want it), at UFP_TO_KSTACK_TOP from the
	 * frame's end.
	 */
	movq	ARCH_REGS_SIZE - 8 + UFP_TO_KSTACK_TOP(%rsp), %rsp
	negq	%rax
	cmpq	$MACH_TRAP_TABLE_COUNT, %rax
	jae	.Lsyscall_c
	sti
	movq	%r10, %rcx
	call	*mach_trap_fns(,%rax,MACH_TRAP_FN_SIZE)
	cli
	/*
	 * Anything for the full way out? Two tests: the thread's state and
	 * preempt_count, one 64-bit word, under SYSCALL_EXIT_THREAD_MASK;
	 * this CPU's ASTs ORed with thread_set_state's mark (the frame's
	 * error code, 0 unless it is set).
	 */
	movq	%gs:TRAP_CPU_ACTIVE_THREAD, %rcx
	testq	$SYSCALL_EXIT_THREAD_MASK, TRAP_THREAD_STATE(%rcx)
	jnz	.Lsyscall_slow_out
	movl	%gs:TRAP_CPU_AST, %edx
	orq	UFRAME(ARCH_REGS_ERROR_CODE)(%rcx), %rdx
	jnz	.Lsyscall_slow_out
	/*
	 * The frame (in the thread, %rcx) is as syscall left it: its rcx is
	 * rip, its r11 rflags, and the callee-saved registers are the user's
	 * still (the C code kept them), so only the others come back from it
	 * (the result stays in %rax), read in place: %rsp, the user's, and
	 * %rcx, the thread, come last.
	 */
	movq	UFRAME(ARCH_REGS_R11)(%rcx), %r11	/* rflags */
	movq	UFRAME(ARCH_REGS_R10)(%rcx), %r10
	movq	UFRAME(ARCH_REGS_R9)(%rcx), %r9
	movq	UFRAME(ARCH_REGS_R8)(%rcx), %r8
	movq	UFRAME(ARCH_REGS_RDI)(%rcx), %rdi
	movq	UFRAME(ARCH_REGS_RSI)(%rcx), %rsi
	movq	UFRAME(ARCH_REGS_RDX)(%rcx), %rdx
	movq	UFRAME(ARCH_REGS_RSP)(%rcx), %rsp
	movq	UFRAME(ARCH_REGS_RCX)(%rcx), %rcx	/* rip */
	swapgs
	sysretq

.Lsyscall_slow_out:			/* still at the kernel stack's top */
	movq	%rax, UFRAME(ARCH_REGS_RAX)(%rcx)
	jmp	x86_user_out

	/*
	 * x86_syscall(regs) in C, the number back in the frame's rax (as
	 * the user passed it), says which way out: true, the one above
	 * (its tests done); false, the full one.
	 */
.Lsyscall_c:
	movq	%gs:TRAP_CPU_ACTIVE_THREAD, %rdi
	addq	$TRAP_THREAD_UFRAME, %rdi
	call	x86_syscall
	testb	%al, %al
	jz	x86_user_out
	movq	%gs:TRAP_CPU_ACTIVE_THREAD, %rsp
	addq	$TRAP_THREAD_UFRAME, %rsp
	RESTORE_REGS			/* rcx = rip, r11 = rflags */
	movq	ARCH_REGS_RSP - ARCH_REGS_RIP(%rsp), %rsp
	swapgs
	sysretq
	.size	x86_syscall_entry, . - x86_syscall_entry

/*
 * void arch_user_return_to(struct arch_regs *frame)
 * Leave for ring 3 with the calling thread's frame (kernel/usermode.c
 * filled it in; x86_user_return() gives it back): a new user thread's
 * first way out. What is on the kernel stack is left there: the next
 * trap starts at its top.
 */
	.globl	arch_user_return_to
	.type	arch_user_return_to, @function
arch_user_return_to:
	cli
	andq	$-16, %rsp
	jmp	x86_user_out
	.size	arch_user_return_to, . - arch_user_return_to

/*
 * void arch_capture_regs(struct arch_regs *regs)
 *
 * The registers as the caller sees them just after the call returns: rip
 * is the return address, rsp the caller's stack pointer, rbp its frame.
 * This function makes no frame of its own, so %rbp is already the
 * caller's. Caller-saved registers hold whatever they held at the call.
 */
	.globl	arch_capture_regs
	.type	arch_capture_regs, @function
arch_capture_regs:
	movq	%rax, ARCH_REGS_RAX(%rdi)
	movq	%rcx, ARCH_REGS_RCX(%rdi)
	movq	%rdx, ARCH_REGS_RDX(%rdi)
	movq	%rbx, ARCH_REGS_RBX(%rdi)
	movq	%rbp, ARCH_REGS_RBP(%rdi)
	movq	%rsi, ARCH_REGS_RSI(%rdi)
	movq	%rdi, ARCH_REGS_RDI(%rdi)
	movq	%r8, ARCH_REGS_R8(%rdi)
	movq	%r9, ARCH_REGS_R9(%rdi)
	movq	%r10, ARCH_REGS_R10(%rdi)
	movq	%r11, ARCH_REGS_R11(%rdi)
	movq	%r12, ARCH_REGS_R12(%rdi)
	movq	%r13, ARCH_REGS_R13(%rdi)
	movq	%r14, ARCH_REGS_R14(%rdi)
	movq	%r15, ARCH_REGS_R15(%rdi)
	movq	(%rsp), %rax
	movq	%rax, ARCH_REGS_RIP(%rdi)
	leaq	8(%rsp), %rax
	movq	%rax, ARCH_REGS_RSP(%rdi)
	pushfq
	popq	%rax
	movq	%rax, ARCH_REGS_RFLAGS(%rdi)
	movl	%cs, %eax
	movq	%rax, ARCH_REGS_CS(%rdi)
	movl	%ss, %eax
	movq	%rax, ARCH_REGS_SS(%rdi)
	movq	%cr2, %rax
	movq	%rax, ARCH_REGS_CR2(%rdi)
	movq	$ARCH_REGS_NO_VECTOR, ARCH_REGS_VECTOR(%rdi)
	movq	$0, ARCH_REGS_ERROR_CODE(%rdi)
	movq	ARCH_REGS_RAX(%rdi), %rax
	ret
	.size	arch_capture_regs, . - arch_capture_regs

	.section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: MIT */
/*
 * Trap entry: one small stub per IDT vector pushes a dummy error code when
 * the CPU pushes none, then the vector number, and jumps to the common
 * code, which saves the general registers and %cr2 so that the stack holds
 * a struct arch_regs (<asm/arch.h>), and calls x86_trap(regs) in C.
 *
 * Also arch_capture_regs(), which fills a struct arch_regs with its
 * caller's registers.
 */
#include <asm/arch.h>
#include <asm/segment.h>

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

	.text
x86_trap_common:
	cld
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
	movq	%cr2, %rax
	pushq	%rax

	/*
	 * x86_trap(regs). The structure is 184 bytes on top of a frame the CPU
	 * aligned to 16, so re-align for the ABI; %rbx (saved above) keeps
	 * the old %rsp for the way back.
	 */
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	x86_trap
	movq	%rbx, %rsp

	addq	$8, %rsp		/* cr2 */
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
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
	iretq

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

/* SPDX-License-Identifier: MIT */
/*
 * The application processors' way from real mode to the kernel.
 *
 * x86_trampoline_start .. x86_trampoline_end is a blob that smp.c copies
 * to physical TRAMPOLINE_BASE (a page in the reserved first MiB) and
 * fills in (the x86_trampoline_* data below); the STARTUP IPI starts an AP
 * there in 16-bit real mode with CS = TRAMPOLINE_BASE >> 4, IP = 0. It
 * goes to 32-bit protected mode, turns on PAE, long mode (the boot CPU's
 * EFER, so NX matches) and paging with the trampoline's own PML4, whose
 * slot 0 identity-maps the first 2 MiB (this code) and whose upper half
 * is the kernel's, then jumps to x86_secondary_entry in the kernel's text.
 * That loads the kernel's CR3 and stack and calls x86_secondary_start().
 *
 * Every address inside the blob is written T(label): its address once
 * copied, so the code assembles as a plain part of the kernel image.
 */
#include <asm/processor.h>
#include <asm/segment.h>
#include "trampoline.h"

#define T(x)		((x) - x86_trampoline_start + TRAMPOLINE_BASE)

#define TRAMP_CS32	0x08
#define TRAMP_DS32	0x10
#define TRAMP_CS64	0x18

	.section .rodata
	.balign	16
	.globl	x86_trampoline_start, x86_trampoline_end
	.code16
x86_trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	/* ds = cs = TRAMPOLINE_BASE >> 4: the descriptor is at an offset */
	lgdtl	tramp_gdt_desc - x86_trampoline_start
	movl	%cr0, %eax
	orl	$X86_CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$TRAMP_CS32, $T(tramp_protected)

	.code32
tramp_protected:
	movl	$TRAMP_DS32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	T(x86_trampoline_pml4), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	T(x86_trampoline_efer), %eax
	movl	T(x86_trampoline_efer) + 4, %edx
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	$TRAMP_CS64, $T(tramp_long)

	.code64
tramp_long:
	movq	T(x86_trampoline_entry), %rax
	jmpq	*%rax

	.balign	8
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 32-bit code, flat */
	.quad	0x00cf92000000ffff	/* 32-bit data, flat */
	.quad	0x00209a0000000000	/* 64-bit code */
tramp_gdt_end:
tramp_gdt_desc:
	.word	tramp_gdt_end - tramp_gdt - 1
	.long	T(tramp_gdt)

	/* Filled in by smp.c in the copy. */
	.balign	8
	.globl	x86_trampoline_pml4, x86_trampoline_efer, x86_trampoline_entry
x86_trampoline_pml4:
	.quad	0
x86_trampoline_efer:
	.quad	0
x86_trampoline_entry:
	.quad	0
x86_trampoline_end:

/*
 * In the kernel's text, 64-bit, still on the trampoline's page tables and
 * GDT: take the kernel's CR3 and the CPU's stack from x86_secondary_boot
 * (smp.c), then C, which loads this CPU's own GDT before anything else.
 */
	.text
	.globl	x86_secondary_entry
	.type	x86_secondary_entry, @function
x86_secondary_entry:
	movq	x86_secondary_boot + SECONDARY_BOOT_CR3(%rip), %rax
	movq	%rax, %cr3
	movq	x86_secondary_boot + SECONDARY_BOOT_STACK(%rip), %rsp
	movq	x86_secondary_boot + SECONDARY_BOOT_CPU(%rip), %rdi
	xorl	%ebp, %ebp		/* the end of every backtrace */
	call	x86_secondary_start
1:	cli
	hlt
	jmp	1b
	.size	x86_secondary_entry, . - x86_secondary_entry

	.section .note.GNU-stack, "", @progbits

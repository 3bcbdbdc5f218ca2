/* SPDX-License-Identifier: MIT */
/*
 * void x86_zero_blocks(void *p, size_t size): zero pages with 16-byte SSE
 * stores (arch_zero_blocks(), <asm/string.h>). p is 16-byte aligned and
 * size a non-zero multiple of 256 (both a page through the direct map).
 *
 * Half as many stores as rep stosq, which QEMU runs (and -icount counts)
 * as one instruction per eight bytes: 4 KiB is 256 stores here, 16 to a
 * loop turn, against 512 (Documentation/mm/vm.rst, vm_fault_zero).
 *
 * The kernel is built without SSE and keeps the running user thread's
 * FP/SSE state in the registers (eager FP, Documentation/traps.rst), so
 * %xmm0 is the user's: it is saved on the stack and put back, with
 * interrupts off in between, so that no interrupt, preemption or context
 * switch (whose FXSAVE would take the zeroed register as the user's) can
 * come while it holds zero. The same holds for a kernel thread (vm_zero),
 * whose registers are whatever the last user thread left. Every CPU has
 * CR4.OSFXSR set and CR0.EM/TS clear from x86_cpu_init() on.
 */
	.text
	.globl	x86_zero_blocks
	.type	x86_zero_blocks, @function
x86_zero_blocks:
	pushfq
	cli
	subq	$16, %rsp
	movdqu	%xmm0, (%rsp)
	pxor	%xmm0, %xmm0
	addq	%rsi, %rdi		/* the end; %rsi counts up from -size */
	negq	%rsi
1:
	.irp	off, 0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240
	movdqa	%xmm0, \off(%rdi,%rsi)
	.endr
	addq	$256, %rsi
	jnz	1b
	movdqu	(%rsp), %xmm0
	addq	$16, %rsp
	popfq
	ret
	.size	x86_zero_blocks, . - x86_zero_blocks

	.section .note.GNU-stack, "", @progbits

/* SPDX-License-Identifier: MIT */
/*
 * Where a secondary CPU starts (PSCI CPU_ON, see smp.c): at the physical
 * address of arm64_secondary_entry, MMU and caches off, x0 = the physical
 * address of arm64_secondary_boot, at EL2 or EL1.
 *
 * It drops to EL1 like the boot CPU (el2_to_el1 in head.S), takes the boot
 * CPU's MAIR, TCR, TTBR1 and SCTLR from the block, with a TTBR0 that
 * identity-maps the kernel image's GiB just for the instant the MMU comes
 * on, jumps to its virtual address, takes the stack smp.c prepared and
 * calls arm64_secondary_start(cpu) in C.
 *
 * The block's layout is struct arm64_secondary_boot in smp.c.
 */
#include <asm/sysreg.h>

#define BOOT_MAIR	0
#define BOOT_TCR	8
#define BOOT_TTBR0	16
#define BOOT_TTBR1	24
#define BOOT_SCTLR	32
#define BOOT_STACK	40
#define BOOT_CPU	48

	.text
	.globl	arm64_secondary_entry
	.type	arm64_secondary_entry, %function
arm64_secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	1f
	bl	el2_to_el1
1:	/* MMU off reads are device reads: the block is aligned, smp.c cleaned it. */
	ldr	x0, [x19, #BOOT_MAIR]
	msr	mair_el1, x0
	ldr	x0, [x19, #BOOT_TCR]
	msr	tcr_el1, x0
	ldr	x0, [x19, #BOOT_TTBR0]
	msr	ttbr0_el1, x0
	ldr	x0, [x19, #BOOT_TTBR1]
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, [x19, #BOOT_SCTLR]
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ldr	x0, =secondary_switched		/* the virtual address */
	br	x0
	.ltorg
	.size	arm64_secondary_entry, . - arm64_secondary_entry

secondary_switched:
	adrp	x19, arm64_secondary_boot
	add	x19, x19, #:lo12:arm64_secondary_boot
	ldr	x0, [x19, #BOOT_STACK]
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr
	adrp	x0, arm64_vectors
	add	x0, x0, #:lo12:arm64_vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, [x19, #BOOT_CPU]
	bl	arm64_secondary_start
2:	wfi
	b	2b

	.section .note.GNU-stack, "", %progbits

/* SPDX-License-Identifier: MIT */
/*
 * arm64 entry: the Image header, the drop from EL2 to EL1, the early
 * translation tables and the switch to the kernel's virtual address.
 *
 * The bootloader (U-Boot's booti, or QEMU's -kernel) jumps to _head with
 * the MMU and D-cache off, x0 = physical address of the device tree,
 * x1..x3 = 0, at EL2 or EL1. The image may sit at any 2 MiB aligned
 * physical address + text_offset; we find it with adr.
 *
 * Early tables (4 KiB granule, 48-bit VA; see <asm/memory.h>):
 *   TTBR0  idmap_pgd -> idmap_pud: 1 GiB blocks identity-mapping the GiB
 *          that holds the image (and the next one), only for the switch;
 *          setup.c turns TTBR0 walks off once we run at our VA.
 *   TTBR1  kernel_pgd[0]   -> dmap_pud: the direct map at PAGE_OFFSET,
 *                             empty here, filled by mmu.c from the DT
 *          kernel_pgd[511] -> kimage_pud -> kimage_pmd: 2 MiB blocks
 *                             mapping KIMAGE_VADDR.. onto the image
 * Registers kept across the boot path:
 *   x19 = device tree (physical), x20 = _head (physical),
 *   x21 = the exception level we were entered at.
 */
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>

	.macro	mov_q, reg, val
	movz	\reg, #:abs_g3:\val
	movk	\reg, #:abs_g2_nc:\val
	movk	\reg, #:abs_g1_nc:\val
	movk	\reg, #:abs_g0_nc:\val
	.endm

	.section .head.text, "ax"
	.globl	_head
_head:
	/* The 64-byte arm64 Image header (Linux Documentation/arch/arm64/booting.rst) */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	KERNEL_TEXT_OFFSET	/* text_offset: U-Boot and QEMU both load at base + 4 MiB */
	.quad	_kernel_size		/* image_size, bss included */
	.quad	0xa			/* flags: LE (0), 4K pages (bit 1), anywhere in RAM (bit 3) */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE/COFF header */

primary_entry:
	mov	x19, x0
	adr	x20, _head
	mrs	x21, CurrentEL
	lsr	x21, x21, #2
	msr	daifset, #0xf
	/* The kernel map uses 2 MiB blocks: a misplaced image cannot run. */
	tst	x20, #(SECTION_SIZE - 1)
	b.ne	boot_fail
	cmp	x21, #2
	b.ne	1f
	bl	el2_to_el1
1:	mov_q	x0, SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	isb
	bl	create_page_tables
	bl	enable_mmu
	ldr	x0, =primary_switched	/* the virtual address */
	br	x0

/* No console yet, nothing to say it on: wait for the debugger. */
boot_fail:
	wfe
	b	boot_fail

/*
 * Leave EL2 for EL1 with the MMU off: EL1 is AArch64 and traps nothing to
 * EL2, EL1 may use the physical timer and counter, no stage 2.
 */
	.globl	el2_to_el1		/* secondary.S: the secondary CPUs too */
el2_to_el1:
	mov_q	x0, HCR_EL2_RW
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #(CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #CPTR_EL2_DEFAULT
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	/* GICv3 CPU interface: let EL1 use its system registers. */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 2f
	mrs	x0, s3_4_c12_c9_5		/* ICC_SRE_EL2 */
	orr	x0, x0, #ICC_SRE_EL2_SRE
	orr	x0, x0, #ICC_SRE_EL2_ENABLE
	msr	s3_4_c12_c9_5, x0
	isb
2:	mov_q	x0, SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_DAIF
	msr	spsr_el2, x0
	msr	elr_el2, x30			/* return to the caller, at EL1 */
	isb
	eret

/* Invalidate the data cache lines of [x0, x1) to the point of coherency. */
dcache_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
3:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	3b
	dsb	sy
	ret

create_page_tables:
	mov	x28, x30
	/* No stale cache line may shadow what we write with the MMU off. */
	adrp	x0, __pgtables_start
	adrp	x1, __pgtables_end
	bl	dcache_inval_range
	adrp	x0, __pgtables_start
	adrp	x1, __pgtables_end
4:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	4b

	/* TTBR0: identity map of the image's GiB and the next one. */
	adrp	x0, idmap_pgd
	adrp	x1, idmap_pud
	lsr	x2, x20, #PGD_SHIFT
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, x2, lsl #3]
	lsr	x2, x20, #PUD_SHIFT
	and	x2, x2, #(PTRS_PER_TABLE - 1)
	lsr	x3, x20, #PUD_SHIFT
	lsl	x3, x3, #PUD_SHIFT
	mov_q	x4, PROT_BLOCK_NORMAL
	orr	x3, x3, x4
	str	x3, [x1, x2, lsl #3]
	cmp	x2, #(PTRS_PER_TABLE - 1)
	b.eq	5f
	add	x2, x2, #1
	mov	x5, #PUD_SIZE
	add	x3, x3, x5
	str	x3, [x1, x2, lsl #3]
5:
	/* TTBR1: the direct map's level 1 table, filled later from C. */
	adrp	x0, kernel_pgd
	adrp	x1, dmap_pud
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, #(((PAGE_OFFSET >> PGD_SHIFT) & 511) * 8)]

	/* TTBR1: KIMAGE_VADDR + n * 2 MiB -> _head (phys) + n * 2 MiB. */
	adrp	x1, kimage_pud
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, #(((KIMAGE_VADDR >> PGD_SHIFT) & 511) * 8)]
	adrp	x2, kimage_pmd
	orr	x3, x2, #PTE_TABLE
	str	x3, [x1, #(((KIMAGE_VADDR >> PUD_SHIFT) & 511) * 8)]
	add	x2, x2, #(((KIMAGE_VADDR >> SECTION_SHIFT) & 511) * 8)
	adrp	x5, _end
	add	x5, x5, #:lo12:_end		/* end of the image, physical */
	mov_q	x4, PROT_BLOCK_NORMAL
	mov	x6, x20
6:	orr	x3, x6, x4
	str	x3, [x2], #8
	add	x6, x6, #SECTION_SIZE
	cmp	x6, x5
	b.lo	6b

	/* Make the walker see the tables, not lines cached before. */
	dmb	sy
	adrp	x0, __pgtables_start
	adrp	x1, __pgtables_end
	bl	dcache_inval_range
	mov	x30, x28
	ret

enable_mmu:
	mov_q	x0, MAIR_EL1_VALUE
	msr	mair_el1, x0
	mov_q	x0, TCR_EL1_VALUE
	mrs	x1, id_aa64mmfr0_el1
	ubfx	x1, x1, #0, #3			/* PARange */
	cmp	x1, #5				/* at most 48 bits: no LPA */
	mov	x2, #5
	csel	x1, x1, x2, ls
	bfi	x0, x1, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x0
	adrp	x0, idmap_pgd
	msr	ttbr0_el1, x0
	adrp	x0, kernel_pgd
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mov_q	x0, SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

	.ltorg

	.text
/* Now at KIMAGE_VADDR: adrp/adr give virtual addresses from here on. */
primary_switched:
	adrp	x0, __bss_start
	add	x0, x0, #:lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, #:lo12:__bss_end
7:	cmp	x0, x1
	b.hs	8f
	str	xzr, [x0], #8
	b	7b
8:	adrp	x0, boot_stack_top
	add	sp, x0, #:lo12:boot_stack_top
	mov	x29, xzr			/* the outermost frame for backtraces */
	mov	x30, xzr
	adrp	x0, arm64_vectors
	add	x0, x0, #:lo12:arm64_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	arm64_setup
9:	wfi
	b	9b

	/* The boot stack (CPU 0) */
	.bss
	.balign	16
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl	boot_stack_top
boot_stack_top:

	/* Early translation tables; zeroed by create_page_tables. */
	.section .pgtables, "aw", %nobits
	.balign	PAGE_SIZE
idmap_pgd:	.space	PAGE_SIZE
idmap_pud:	.space	PAGE_SIZE
	.globl	kernel_pgd, dmap_pud
kernel_pgd:	.space	PAGE_SIZE
dmap_pud:	.space	PAGE_SIZE
kimage_pud:	.space	PAGE_SIZE
kimage_pmd:	.space	PAGE_SIZE

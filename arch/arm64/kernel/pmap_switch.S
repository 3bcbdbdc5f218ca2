/* SPDX-License-Identifier: MIT */
/*
 * Replace one entry of the live TTBR1 root table without ever letting the
 * TLB hold the old and the new translation of an address at once (which
 * can raise a TLB conflict abort): arch_vm_bootstrap() swaps the image's
 * 2 MiB blocks for W^X tables this way, while running from that image.
 *
 * void pmap_ttbr1_replace(phys_addr_t slot, pte_t entry,
 *			   phys_addr_t empty_root, phys_addr_t root);
 *
 * The caller branches to this code's *physical* address, through an
 * identity map in TTBR0, with interrupts masked; the code uses no stack
 * and no memory but the slot (written through the identity map). With
 * TTBR1 pointing at an empty table and the TLB flushed, nothing of the old
 * translation is left when the new entry goes in.
 */
	.text
	.globl	pmap_ttbr1_replace
pmap_ttbr1_replace:
	msr	ttbr1_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	str	x1, [x0]
	dsb	ishst
	msr	ttbr1_el1, x3
	isb
	ret

	.section .note.GNU-stack, "", %progbits

/* SPDX-License-Identifier: MIT */
/*
 * arm64 translation-table entries (VMSAv8-64, 4 KiB granule) for the
 * machine-independent kernel pmap (mm/pmap_kernel.c). Levels are counted
 * from the root: 0 (512 GiB per entry, tables only), 1 (1 GiB blocks),
 * 2 (2 MiB blocks), 3 (4 KiB pages).
 */
#ifndef _ASM_ARM64_PGTABLE_H
#define _ASM_ARM64_PGTABLE_H

#include <kern/types.h>
#include <mach/vm_prot.h>
#include <asm/mmu.h>

#define PTE_PAGE		(_AC(3, UL) << 0)	/* a level-3 page */
#define PTE_RDONLY		(_AC(1, UL) << 7)	/* AP[2]: read-only */

/* Memory types of a leaf (the pmap's PMAP_ATTR_*). */
#define PT_ATTR_NORMAL		0	/* normal, inner/outer write-back */
#define PT_ATTR_DEVICE		1	/* device nGnRnE */

/*
 * Changing the size or the output address of a live entry needs
 * break-before-make: invalid entry, TLB invalidation, new entry.
 */
#define PT_BREAK_BEFORE_MAKE	1

static inline bool pte_valid(pte_t e)
{
	return e & PTE_VALID;
}

static inline bool pte_is_table(pte_t e, unsigned int level)
{
	return level < 3 && (e & PTE_TYPE_MASK) == PTE_TABLE;
}

static inline phys_addr_t pte_addr(pte_t e)
{
	return e & PTE_ADDR_MASK;
}

static inline bool pt_leaf_level_ok(unsigned int level)
{
	return level >= 1 && level <= 3;
}

static inline pte_t pte_mk_table(phys_addr_t pa)
{
	return pa | PTE_TABLE;
}

/*
 * A kernel leaf: global (nG clear), access flag set, never executable at
 * EL0 (UXN); PXN unless VM_PROT_EXECUTE, AP[2] unless VM_PROT_WRITE.
 */
static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int level, vm_prot_t prot,
				unsigned int attr)
{
	pte_t e = pa | PTE_AF | PTE_UXN | (level == 3 ? PTE_PAGE : PTE_BLOCK);

	if (attr == PT_ATTR_DEVICE)
		e |= PTE_ATTRINDX(MT_DEVICE_nGnRnE);
	else
		e |= PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER;
	if (!(prot & VM_PROT_WRITE))
		e |= PTE_RDONLY;
	if (!(prot & VM_PROT_EXECUTE))
		e |= PTE_PXN;
	return e;
}

static inline vm_prot_t pte_prot(pte_t e)
{
	vm_prot_t prot = VM_PROT_READ;

	if (!(e & PTE_RDONLY))
		prot |= VM_PROT_WRITE;
	if (!(e & PTE_PXN))
		prot |= VM_PROT_EXECUTE;
	return prot;
}

static inline unsigned int pte_attr(pte_t e)
{
	return (e & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_DEVICE_nGnRnE) ?
	       PT_ATTR_DEVICE : PT_ATTR_NORMAL;
}

#endif /* _ASM_ARM64_PGTABLE_H */

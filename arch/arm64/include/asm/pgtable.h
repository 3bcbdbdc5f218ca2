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
#define PTE_USER		(_AC(1, UL) << 6)	/* AP[1]: EL0 may access */
#define PTE_RDONLY		(_AC(1, UL) << 7)	/* AP[2]: read-only */
#define PTE_NG			(_AC(1, UL) << 11)	/* not global: tagged with the ASID */
#define PTE_DBM			(_AC(1, UL) << 51)	/* FEAT_HAFDBS: hardware clears RDONLY on write */
#define PTE_SW_WRITE		(_AC(1, UL) << 55)	/* software: the mapping may be written */
#define PTE_SW_WIRED		(_AC(1, UL) << 56)	/* software: a wired user mapping */
#define PTE_SW_NOPV		(_AC(1, UL) << 57)	/* software: not in the reverse map */

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

/* ------------------------------------------------------------------------
 * User address spaces (mm/pmap_user.c), in TTBR0: EL0-accessible, not
 * global (tagged with the pmap's ASID), never executable at EL1 (PXN).
 *
 * Referenced and modified: AF is the referenced bit; a mapping that may be
 * written has PTE_SW_WRITE, and is modified once AP[2] (RDONLY) is clear.
 * A new or cleaned mapping starts with AF clear and read-only. With
 * FEAT_HAFDBS (arm64_pmap_hw_af / _dbm) the hardware sets AF and, for
 * PTE_DBM entries, clears RDONLY on the first write; without it the first
 * access takes an access-flag fault and the first write a permission
 * fault, which pmap_user_fault() (arch/arm64/kernel/pmap_user.c) fixes up.
 */
extern bool arm64_pmap_hw_dbm;

/*
 * traps.c: an access-flag or write-permission fault the emulation fixes
 * (true: retry the access). far, esr: FAR_EL1 and ESR_EL1 of the abort.
 */
bool arm64_pmap_user_fault(unsigned long far, unsigned long esr);

static inline pte_t pte_mk_user_table(phys_addr_t pa)
{
	return pa | PTE_TABLE;
}

/*
 * A new leaf for an access that is happening (a fault): referenced (AF),
 * and modified for a write it allows, so the access does not trap again
 * for the bits on a CPU that does not set them (pmap_enter_fault()).
 */
static inline pte_t pte_user_mark_access(pte_t e, vm_prot_t access)
{
	e |= PTE_AF;
	if ((access & VM_PROT_WRITE) && (e & PTE_SW_WRITE))
		e &= ~PTE_RDONLY;
	return e;
}

static inline pte_t pte_user_reprotect(pte_t e, vm_prot_t prot)
{
	bool modified = (e & PTE_SW_WRITE) && !(e & PTE_RDONLY);

	e &= ~(PTE_SW_WRITE | PTE_DBM | PTE_UXN);
	e |= PTE_RDONLY;
	if (prot & VM_PROT_WRITE) {
		e |= PTE_SW_WRITE | (arm64_pmap_hw_dbm ? PTE_DBM : 0);
		if (modified)
			e &= ~PTE_RDONLY;
	}
	if (!(prot & VM_PROT_EXECUTE))
		e |= PTE_UXN;
	return e;
}

static inline pte_t pte_mk_user_leaf(phys_addr_t pa, unsigned int level, vm_prot_t prot,
				     bool wired)
{
	pte_t e = pa | PTE_USER | PTE_NG | PTE_PXN | PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER |
		  (level == 3 ? PTE_PAGE : PTE_BLOCK);

	if (wired)
		e |= PTE_SW_WIRED;
	return pte_user_reprotect(e, prot);
}

static inline vm_prot_t pte_user_prot(pte_t e)
{
	vm_prot_t prot = VM_PROT_READ;

	if (e & PTE_SW_WRITE)
		prot |= VM_PROT_WRITE;
	if (!(e & PTE_UXN))
		prot |= VM_PROT_EXECUTE;
	return prot;
}

static inline bool pte_user_referenced(pte_t e)
{
	return e & PTE_AF;
}

static inline bool pte_user_modified(pte_t e)
{
	return (e & PTE_SW_WRITE) && !(e & PTE_RDONLY);
}

static inline pte_t pte_user_clear_ref(pte_t e)
{
	return e & ~PTE_AF;
}

static inline pte_t pte_user_clear_mod(pte_t e)
{
	return e | PTE_RDONLY;
}

/* A 4 KiB page at pa out of a 2 MiB block: the same bits (AF, dirty, wired too), no pv. */
static inline pte_t pte_user_split(pte_t big, phys_addr_t pa)
{
	return (big & ~(PTE_ADDR_MASK | PTE_TYPE_MASK)) | pa | PTE_PAGE | PTE_SW_NOPV;
}

/* A 4 KiB page split from a 2 MiB block: the reverse map does not have it. */
static inline bool pte_user_nopv(pte_t e)
{
	return e & PTE_SW_NOPV;
}

static inline bool pte_user_wired(pte_t e)
{
	return e & PTE_SW_WIRED;
}

static inline pte_t pte_user_set_wired(pte_t e, bool wired)
{
	return wired ? e | PTE_SW_WIRED : e & ~PTE_SW_WIRED;
}

#endif /* _ASM_ARM64_PGTABLE_H */

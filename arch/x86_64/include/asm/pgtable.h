/* SPDX-License-Identifier: MIT */
/*
 * x86_64 page-table entries for the machine-independent kernel pmap
 * (mm/pmap_kernel.c): how a table, a leaf and its protection are encoded.
 * Levels are counted from the root: 0 = PML4, 1 = PDPT (1 GiB pages),
 * 2 = PD (2 MiB pages), 3 = PT (4 KiB pages).
 */
#ifndef _ASM_X86_64_PGTABLE_H
#define _ASM_X86_64_PGTABLE_H

#include <kern/types.h>
#include <mach/vm_prot.h>

typedef uint64_t pte_t;

#define X86_PTE_P		(1UL << 0)	/* present */
#define X86_PTE_W		(1UL << 1)	/* writable */
#define X86_PTE_U		(1UL << 2)	/* user (CPL 3) may access */
#define X86_PTE_PWT		(1UL << 3)	/* write-through */
#define X86_PTE_PCD		(1UL << 4)	/* cache disable */
#define X86_PTE_A		(1UL << 5)	/* accessed */
#define X86_PTE_D		(1UL << 6)	/* dirty */
#define X86_PTE_PS		(1UL << 7)	/* a 1 GiB / 2 MiB page (levels 1, 2) */
#define X86_PTE_G		(1UL << 8)	/* global: kept across CR3 loads */
#define X86_PTE_SW_WIRED	(1UL << 9)	/* software: a wired user mapping */
#define X86_PTE_SW_NOPV		(1UL << 10)	/* software: not in the reverse map */
#define X86_PTE_NX		(1UL << 63)	/* no-execute (with EFER.NXE) */
#define X86_PTE_ADDR		0x000ffffffffff000UL

/* Memory types of a leaf (the pmap's PMAP_ATTR_*). */
#define PT_ATTR_NORMAL		0	/* write-back */
#define PT_ATTR_DEVICE		1	/* uncached: PCD | PWT */

/* A live entry may change size in place: x86 needs no break-before-make. */
#define PT_BREAK_BEFORE_MAKE	0

/* CPU features, found by arch_vm_bootstrap(). */
extern uint64_t x86_pte_nx;		/* X86_PTE_NX, or 0 without NX */
extern bool x86_gbpages;		/* 1 GiB pages */

/*
 * The physical address of the kernel's PML4 (CR3 of every CPU), below
 * 4 GiB so that the SMP trampoline can load it in 32-bit mode.
 */
extern phys_addr_t x86_kernel_pml4;

static inline bool pte_valid(pte_t e)
{
	return e & X86_PTE_P;
}

static inline bool pte_is_table(pte_t e, unsigned int level)
{
	return level < 3 && (e & X86_PTE_P) && !(e & X86_PTE_PS);
}

static inline phys_addr_t pte_addr(pte_t e)
{
	return e & X86_PTE_ADDR;
}

static inline bool pt_leaf_level_ok(unsigned int level)
{
	return level == 2 || level == 3 || (level == 1 && x86_gbpages);
}

/* Kernel tables: every permission is decided at the leaf. */
static inline pte_t pte_mk_table(phys_addr_t pa)
{
	return pa | X86_PTE_P | X86_PTE_W | X86_PTE_A;
}

/*
 * A kernel leaf: global, accessed and (if writable) dirty already set, so
 * that the CPU never writes the entry back.
 */
static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int level, vm_prot_t prot,
				unsigned int attr)
{
	pte_t e = pa | X86_PTE_P | X86_PTE_A | X86_PTE_G;

	if (level < 3)
		e |= X86_PTE_PS;
	if (prot & VM_PROT_WRITE)
		e |= X86_PTE_W | X86_PTE_D;
	if (!(prot & VM_PROT_EXECUTE))
		e |= x86_pte_nx;
	if (attr == PT_ATTR_DEVICE)
		e |= X86_PTE_PCD | X86_PTE_PWT;
	return e;
}

static inline vm_prot_t pte_prot(pte_t e)
{
	vm_prot_t prot = VM_PROT_READ;

	if (e & X86_PTE_W)
		prot |= VM_PROT_WRITE;
	if (!(e & X86_PTE_NX))
		prot |= VM_PROT_EXECUTE;
	return prot;
}

static inline unsigned int pte_attr(pte_t e)
{
	return (e & X86_PTE_PCD) ? PT_ATTR_DEVICE : PT_ATTR_NORMAL;
}

/* ------------------------------------------------------------------------
 * User address spaces (mm/pmap_user.c): the lower half of a task's PML4.
 * Tables allow everything (U, W); the leaf decides. Leaves are not global,
 * and the accessed and dirty bits are the hardware's: they start clear.
 */
static inline pte_t pte_mk_user_table(phys_addr_t pa)
{
	return pa | X86_PTE_P | X86_PTE_W | X86_PTE_U;
}

static inline pte_t pte_mk_user_leaf(phys_addr_t pa, unsigned int level, vm_prot_t prot,
				     bool wired)
{
	pte_t e = pa | X86_PTE_P | X86_PTE_U;

	if (level < 3)
		e |= X86_PTE_PS;
	if (prot & VM_PROT_WRITE)
		e |= X86_PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		e |= x86_pte_nx;
	if (wired)
		e |= X86_PTE_SW_WIRED;
	return e;
}

/* The same leaf with prot instead, keeping its accessed, dirty and wired bits. */
/* A new leaf for an access that is happening (a fault): A, and D for a write it allows. */
static inline pte_t pte_user_mark_access(pte_t e, vm_prot_t access)
{
	e |= X86_PTE_A;
	if ((access & VM_PROT_WRITE) && (e & X86_PTE_W))
		e |= X86_PTE_D;
	return e;
}

static inline pte_t pte_user_reprotect(pte_t e, vm_prot_t prot)
{
	e &= ~(X86_PTE_W | X86_PTE_NX);
	if (prot & VM_PROT_WRITE)
		e |= X86_PTE_W;
	if (!(prot & VM_PROT_EXECUTE))
		e |= x86_pte_nx;
	return e;
}

static inline vm_prot_t pte_user_prot(pte_t e)
{
	return pte_prot(e);
}

static inline bool pte_user_referenced(pte_t e)
{
	return e & X86_PTE_A;
}

static inline bool pte_user_modified(pte_t e)
{
	return e & X86_PTE_D;
}

static inline pte_t pte_user_clear_ref(pte_t e)
{
	return e & ~X86_PTE_A;
}

static inline pte_t pte_user_clear_mod(pte_t e)
{
	return e & ~X86_PTE_D;
}

/* A 4 KiB leaf at pa out of a 2 MiB leaf: the same bits (A, D, wired too), no pv. */
static inline pte_t pte_user_split(pte_t big, phys_addr_t pa)
{
	return (big & ~(X86_PTE_ADDR | X86_PTE_PS)) | pa | X86_PTE_SW_NOPV;
}

/* A 4 KiB leaf split from a 2 MiB one: the reverse map does not have it. */
static inline bool pte_user_nopv(pte_t e)
{
	return e & X86_PTE_SW_NOPV;
}

static inline bool pte_user_wired(pte_t e)
{
	return e & X86_PTE_SW_WIRED;
}

static inline pte_t pte_user_set_wired(pte_t e, bool wired)
{
	return wired ? e | X86_PTE_SW_WIRED : e & ~X86_PTE_SW_WIRED;
}

#endif /* _ASM_X86_64_PGTABLE_H */

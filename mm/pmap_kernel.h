/* SPDX-License-Identifier: MIT */
/*
 * Between the machine-independent kernel pmap (mm/pmap_kernel.c) and the
 * architectures (arch/<arch>/kernel/pmap.c). Both architectures have
 * four-level radix tables of 512 eight-byte entries with 4 KiB pages, so
 * the walking, splitting and table bookkeeping is shared; <asm/pgtable.h>
 * says how an entry is encoded and the arch_pmap_* hooks below do the rest
 * (reaching a table, TLB maintenance, building the first tables).
 */
#ifndef _MM_PMAP_KERNEL_H
#define _MM_PMAP_KERNEL_H

#include <kern/pmap.h>
#include <kern/spinlock.h>
#include <asm/pgtable.h>

#define PT_LEVELS		4
#define PT_LEAF_LEVEL		3
#define PT_ENTRIES		512

/* Bits of virtual address translated below an entry of `level`. */
static inline unsigned int pt_shift(unsigned int level)
{
	return PAGE_SHIFT + 9 * (PT_LEAF_LEVEL - level);
}

/* The span of an entry of `level`: 512 GiB, 1 GiB, 2 MiB, 4 KiB. */
static inline vm_size_t pt_size(unsigned int level)
{
	return (vm_size_t)1 << pt_shift(level);
}

static inline unsigned int pt_index(vm_offset_t va, unsigned int level)
{
	return (va >> pt_shift(level)) & (PT_ENTRIES - 1);
}

/* The start of the next entry of `level` after va, capped at end. */
static inline vm_offset_t pt_next(vm_offset_t va, unsigned int level, vm_offset_t end)
{
	vm_offset_t next = ALIGN_DOWN(va, pt_size(level)) + pt_size(level);

	return next <= va || next > end ? end : next;
}

/*
 * A tree of tables: the kernel's (pmap_kernel_pt), or one that an arch
 * builds before loading it. Only a live tree needs TLB maintenance.
 */
struct pmap_pt {
	pte_t	*root;
	bool	live;
	/*
	 * A user address space's tree (mm/pmap_user.c): its tables are
	 * linked with pte_mk_user_table() and counted in `tables` (not in
	 * pmap_kernel_table_pages()).
	 */
	bool	user;
	unsigned long tables;
};

extern struct pmap_pt pmap_kernel_pt;

/* pmap_pt_map() flags */
#define PMAP_MAP_HUGE		0x1	/* 1 GiB pages allowed too (the direct map) */

/*
 * The engine, for arch_vm_bootstrap(): the same operations as the
 * pmap_kernel_* calls on any tree, without the argument checks and the
 * lock (boot is single-threaded). attr is PT_ATTR_NORMAL or PT_ATTR_DEVICE.
 */
kern_return_t pmap_pt_map(struct pmap_pt *pt, vm_offset_t va, phys_addr_t pa,
			  vm_size_t size, vm_prot_t prot, unsigned int attr,
			  unsigned int flags);
kern_return_t pmap_pt_protect(struct pmap_pt *pt, vm_offset_t va, vm_size_t size,
			      vm_prot_t prot);
/* Make sure the tables down to level 1 exist for [va, va + size). */
kern_return_t pmap_pt_prealloc(struct pmap_pt *pt, vm_offset_t va, vm_size_t size);

/*
 * The walker, for the user pmap too: the entry that decides va's
 * translation (a leaf, or the invalid entry where the walk stops, at
 * *level); and the entry of va at `level`, making the tables above it if
 * `create` (KERN_NO_SPACE if a larger leaf covers va, KERN_INVALID_ADDRESS
 * if a table is missing and !create, KERN_RESOURCE_SHORTAGE).
 */
pte_t *pmap_pt_lookup(struct pmap_pt *pt, vm_offset_t va, unsigned int *level);
kern_return_t pmap_pt_entry(struct pmap_pt *pt, vm_offset_t va, unsigned int level,
			    bool create, pte_t **entry);

/*
 * The walkers' runs (pmap_kernel_walk(), pmap_walk()): leaf, one valid
 * entry's range, joins *run if it continues it in both spaces with the
 * same page size, protection, memory type and bits; otherwise *run (if
 * any) goes to fn and leaf starts the next. A leaf of length 0 (a hole,
 * or the end of the walk) only ends *run.
 */
static inline void pmap_run_add(struct pmap_run *run, const struct pmap_run *leaf,
				void (*fn)(const struct pmap_run *run, void *arg), void *arg)
{
	if (leaf->len && run->len && run->va + run->len == leaf->va &&
	    run->pa + run->len == leaf->pa && run->page_size == leaf->page_size &&
	    run->prot == leaf->prot && run->device == leaf->device &&
	    run->attrs == leaf->attrs) {
		run->len += leaf->len;
		return;
	}
	if (run->len)
		fn(run, arg);
	*run = *leaf;
}

/*
 * A zeroed page-table page: from bootmem_alloc() (the lowest free page)
 * until the page allocator runs, then from vm_page_alloc(). Counted in
 * pmap_kernel_table_pages().
 */
kern_return_t pmap_table_alloc(phys_addr_t *pa);

/*
 * A pmap lock (the kernel pmap's, the user pmaps'): taken with interrupts
 * off, but waited for with the caller's interrupt state, answering TLB
 * shootdowns (arch_pmap_lock_wait()): the holder may be waiting for this
 * CPU to answer one. Returns the flags for spin_unlock_irqrestore().
 */
unsigned long pmap_spin_lock(spinlock_t *lock);

/* A zeroed table page for a user tree, counted in pt->tables (mm/pmap_user.c). */
kern_return_t pmap_user_table_alloc(struct pmap_pt *pt, phys_addr_t *pa);
/* A user tree's table (not the root) got a valid entry e linking a new table. */
void pmap_user_table_linked(pte_t *e);

/* pmap_kernel_enter() with a memory type (ioremap: PT_ATTR_DEVICE). */
kern_return_t pmap_kernel_enter_attr(vm_offset_t va, phys_addr_t pa, vm_size_t size,
				     vm_prot_t prot, unsigned int attr);

/* arch_vm_bootstrap() says so once pmap_kernel_pt is loaded and final. */
void pmap_kernel_set_ready(void);

/* True from then on: the pmap_kernel_* calls work. */
bool pmap_kernel_ready(void);

/* ------------------------------------------------------------------------
 * What each architecture provides
 */

/* The kernel address of the table page at pa (how depends on boot stage). */
pte_t *arch_pmap_table(phys_addr_t pa);

/*
 * Entries of the live tree went from invalid to valid: make them visible
 * to the table walker (arm64: dsb ishst; isb).
 */
void arch_pmap_sync(void);

/*
 * Entries of the live tree for [va, va + size) changed or went away, or a
 * table under that range did: invalidate the TLBs (and walk caches) of
 * every CPU before returning. Called with the pmap lock held.
 */
void arch_pmap_flush(vm_offset_t va, vm_size_t size);

/*
 * Called while this CPU waits for the pmap lock, maybe with interrupts
 * disabled: x86_64 answers a TLB shootdown that the lock holder is
 * waiting for, so that the two CPUs cannot deadlock.
 */
void arch_pmap_lock_wait(void);

/* Before the pmap is ready (arm64: the boot-time direct map; x86: NULL). */
void __iomem *arch_ioremap_early(phys_addr_t pa, size_t size);

#endif /* _MM_PMAP_KERNEL_H */

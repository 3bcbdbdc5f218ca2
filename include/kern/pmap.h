/* SPDX-License-Identifier: MIT */
/*
 * The pmap: the machine-dependent page tables under Mach's VM. Two halves:
 * pmap_kernel_* maps physical pages into the kernel's address space (the
 * upper half, shared by every address space); pmap_create() and the calls
 * that take a pmap_t manage user address spaces (the lower half), one per
 * task, with the reverse map (every mapping of a physical page) that the
 * VM needs for pmap_page_protect(). See Documentation/mm/pmap.rst.
 *
 * All of RAM is also reachable through the direct map: phys_to_virt() and
 * virt_to_phys() from <asm/memory.h>, inline. The functions here are for
 * other mappings, chiefly the kernel VA window [KVA_START, KVA_END) where
 * kmem puts kernel stacks with unmapped guard pages. See
 * Documentation/mm/kernel-address-space.rst.
 *
 * The walking and splitting is machine-independent (mm/pmap_kernel.c); each
 * architecture encodes entries (<asm/pgtable.h>), builds the first tables in
 * arch_vm_bootstrap() and does the TLB maintenance.
 *
 * Changes are visible on every CPU when the call returns (x86_64: TLB
 * shootdown by IPI; arm64: broadcast TLBI). With more than one CPU up, call
 * pmap_kernel_remove/protect with interrupts enabled and without holding a
 * spinlock that another CPU may spin on with interrupts disabled: the other
 * CPUs must be able to take the shootdown IPI while this one waits.
 * pmap_kernel_enter never waits for another CPU. All of them may be called
 * before the scheduler runs; none sleeps. No mapping may be both writable
 * and executable (W^X): such a prot is KERN_INVALID_ARGUMENT. Before
 * arch_vm_bootstrap() they fail with KERN_FAILURE.
 */
#ifndef _KERN_PMAP_H
#define _KERN_PMAP_H

#include <kern/types.h>
#include <kern/cpu.h>
#include <mach/kern_return.h>
#include <mach/vm_prot.h>
#include <asm/memory.h>		/* phys_to_virt, virt_to_phys, KVA_START/END, PAGE_SIZE */

/*
 * Map [va, va + size) to [pa, pa + size) with prot (VM_PROT_READ implied;
 * without VM_PROT_EXECUTE the mapping is no-execute). Uses 2 MiB pages
 * where va, pa and size allow, 4 KiB pages otherwise. KERN_INVALID_ARGUMENT
 * for unaligned or non-kernel addresses, KERN_NO_SPACE if part of the range
 * is already mapped, KERN_RESOURCE_SHORTAGE without page-table memory.
 */
kern_return_t pmap_kernel_enter(vm_offset_t va, phys_addr_t pa, vm_size_t size,
				vm_prot_t prot);

/*
 * Unmap [va, va + size) (a 2 MiB page is split if only part goes); holes
 * in the range are fine. Page-table pages that become empty go back to the
 * page allocator (those from before it existed are kept).
 */
kern_return_t pmap_kernel_remove(vm_offset_t va, vm_size_t size);

/*
 * Change the protection of a mapped range (VM_PROT_READ implied), splitting
 * large pages at its edges. KERN_INVALID_ADDRESS, with nothing changed, if
 * part of the range is not mapped.
 */
kern_return_t pmap_kernel_protect(vm_offset_t va, vm_size_t size, vm_prot_t prot);

/*
 * Walk the kernel page tables: the physical address va maps to, and its
 * protection and page size. KERN_INVALID_ADDRESS if unmapped.
 */
kern_return_t pmap_kernel_extract(vm_offset_t va, phys_addr_t *pa,
				  vm_prot_t *prot, vm_size_t *page_size);

/*
 * A run of mappings: [va, va + len) maps [pa, pa + len) with one page
 * size, protection, memory type and (user pmaps) the same PMAP_RUN_* bits.
 */
struct pmap_run {
	vm_offset_t	va;
	phys_addr_t	pa;
	vm_size_t	len;
	vm_size_t	page_size;
	vm_prot_t	prot;
	bool		device;		/* device memory (ioremap), not normal */
	unsigned int	attrs;		/* PMAP_RUN_*: user pmaps; 0 in the kernel's */
};

#define PMAP_RUN_WIRED		0x1u	/* pmap_enter(..., wired) */
#define PMAP_RUN_REFERENCED	0x2u	/* the leaves' referenced bit */
#define PMAP_RUN_MODIFIED	0x4u	/* the leaves' modified bit */

/*
 * The page-table walker: fn(run, arg) for each run of [va, va + size), in
 * address order, with the kernel pmap's lock held (fn must not call the
 * pmap or sleep). What pmap_kernel_dump() prints; tests check it.
 */
void pmap_kernel_walk(vm_offset_t va, vm_size_t size,
		      void (*fn)(const struct pmap_run *run, void *arg), void *arg);

/* Print the mappings of [va, va + size), one line per run (debugging). */
void pmap_kernel_dump(vm_offset_t va, vm_size_t size);

/* Page-table pages the kernel pmap uses now (statistics and tests). */
unsigned long pmap_kernel_table_pages(void);

/* ------------------------------------------------------------------------
 * User address spaces (mm/pmap_user.c)
 *
 * A pmap maps [VM_MIN_USER_ADDRESS, VM_MAX_USER_ADDRESS) (<asm/memory.h>)
 * in 4 KiB pages; the kernel half is always the kernel's. Every call may
 * be made from any CPU with interrupts enabled, none sleeps; each change
 * is visible on every CPU that uses the pmap when the call returns (TLB
 * shootdown to the CPUs that have it active). Locking: each pmap has its
 * own lock, and the reverse map a lock of its own; callers need none.
 */
typedef struct pmap *pmap_t;
#define PMAP_NULL	((pmap_t)0)

/* The kernel's: the upper half only. pmap_switch(kernel_pmap) leaves no user space. */
extern pmap_t kernel_pmap;

/* An empty user address space with one reference, or PMAP_NULL without memory. */
pmap_t pmap_create(void);
void pmap_reference(pmap_t pmap);
/* Drop a reference; the last one removes every mapping and frees every table page. */
void pmap_destroy(pmap_t pmap);

/*
 * Map the page at va to pa (both page aligned, va a user address) with
 * prot (VM_PROT_NONE is KERN_INVALID_ARGUMENT; write implies read),
 * replacing whatever va mapped. wired: counted in pmap_wired_count().
 * KERN_RESOURCE_SHORTAGE without page-table or reverse-map memory,
 * KERN_INVALID_ARGUMENT for a bad va, pa or prot.
 */
kern_return_t pmap_enter(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
			 vm_prot_t prot, bool wired);
/*
 * pmap_enter() for a fault of type access: a new mapping starts referenced,
 * and modified if access writes, so the access that faulted does not trap
 * again for those bits (arm64 without hardware AF/DBM).
 */
kern_return_t pmap_enter_fault(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
			       vm_prot_t prot, bool wired, vm_prot_t access);

/*
 * [va, va + size) to [pa, pa + size), 2 MiB pages where va, pa and the
 * size allow (4 KiB elsewhere). The 2 MiB pages are not in the reverse
 * map: for wired, physically contiguous memory the VM does not page
 * (pmap_page_protect() does not see them; pmap_remove() does).
 */
kern_return_t pmap_enter_range(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
			       vm_size_t size, vm_prot_t prot, bool wired);

/* Unmap [start, end) (page aligned; holes are fine). */
void pmap_remove(pmap_t pmap, vm_offset_t start, vm_offset_t end);

/* Lower the protection of [start, end); VM_PROT_NONE removes. Never raises it. */
void pmap_protect(pmap_t pmap, vm_offset_t start, vm_offset_t end, vm_prot_t prot);

/* What va maps to (pa of the byte at va) and its protection; false if unmapped. */
bool pmap_extract(pmap_t pmap, vm_offset_t va, phys_addr_t *pa, vm_prot_t *prot);

void pmap_change_wiring(pmap_t pmap, vm_offset_t va, bool wired);

/*
 * Every mapping of a physical page, in every pmap (reverse map): lower to
 * prot; VM_PROT_NONE removes them all.
 */
void pmap_page_protect(phys_addr_t pa, vm_prot_t prot);

/*
 * A batch of pmap_page_protect()s whose TLB flush is deferred (as XNU's
 * PMAP_OPTIONS_NOFLUSH with a pmap_flush_context): with pfc not NULL,
 * pmap_page_protect_options() changes the entries and records in pfc what
 * must be flushed; pmap_flush(pfc) then flushes all of it in one round
 * and waits (x86_64: one IPI to each CPU owed a flush, which drops its
 * user translations; arm64: the broadcast TLBIs were issued already).
 * Until pmap_flush() returns, another CPU may still use an old entry, and
 * write through one that was writable and dirty: the caller must not free
 * or reuse a page, give it to another object, or read it to copy or
 * return its data before then, and must take its modified bit after.
 * pfc NULL: pmap_page_protect(). Start each batch with PMAP_FLUSH_CONTEXT_INIT.
 */
struct pmap_flush_context {
	uint64_t	cpus;		/* x86_64: CPUs owed a flush of their user TLB */
	unsigned long	pages;		/* entries changed in the batch */
};
#define PMAP_FLUSH_CONTEXT_INIT	((struct pmap_flush_context){ 0, 0 })

void pmap_page_protect_options(phys_addr_t pa, vm_prot_t prot,
			       struct pmap_flush_context *pfc);
/* Flush what pfc recorded and empty it for the next batch. Preemptible; may wait. */
void pmap_flush(struct pmap_flush_context *pfc);

/* User TLB shootdown rounds that interrupted other CPUs (x86_64 IPIs; 0 on arm64). */
unsigned long pmap_user_shootdowns(void);

/*
 * Referenced and modified, per physical page: the OR over every mapping's
 * hardware (or emulated) bits and what earlier removed mappings left.
 */
bool pmap_is_modified(phys_addr_t pa);
bool pmap_is_referenced(phys_addr_t pa);
void pmap_clear_modify(phys_addr_t pa);
void pmap_clear_reference(phys_addr_t pa);
/*
 * Both bits of a page that nobody maps and nobody can map meanwhile (fresh
 * from the page allocator, given as its struct vm_page: no look-up of the
 * physical address): no lock, no walk of mappings.
 */
struct vm_page;
void pmap_clear_page_attrs(struct vm_page *page);

/*
 * Make pmap the current CPU's lower-half address space (PCID / ASID kept
 * across switches). Called with preemption disabled or from the context
 * switch; kernel_pmap or PMAP_NULL leaves the lower half empty.
 */
void pmap_switch(pmap_t pmap);
/* The same, from a caller that runs with interrupts off (the context switch). */
void pmap_switch_irqs_off(pmap_t pmap);

/* The pmap active on this CPU (kernel_pmap when none). */
pmap_t pmap_current(void);

/* The pmap loaded on each CPU, for the hook below. */
extern pmap_t pmap_cpu_active[];

/*
 * The context switch's hook (kernel/sched.c, interrupts off): load the
 * next thread's address space (thread->pmap; NULL: kernel_pmap) if this
 * CPU has another one loaded.
 */
static inline void pmap_context_switch(struct pmap *next)
{
	pmap_t pmap = next ? next : kernel_pmap;

	if (pmap != pmap_cpu_active[cpu_number()])
		pmap_switch_irqs_off(pmap);
}

/* Statistics. */
unsigned long pmap_resident_count(pmap_t pmap);	/* 4 KiB pages mapped */
unsigned long pmap_wired_count(pmap_t pmap);
unsigned long pmap_table_pages(pmap_t pmap);		/* its table pages, root included */

/*
 * The user pmap's page-table walker, as pmap_kernel_walk(): fn(run, arg)
 * for each run of [start, end) (clipped to the user half), in address
 * order, with the pmap's lock held and interrupts off (fn must not call
 * the pmap or sleep). A run's leaves also share their PMAP_RUN_* bits.
 * The kernel pmap (or NULL) walks the kernel's tables.
 */
void pmap_walk(pmap_t pmap, vm_offset_t start, vm_offset_t end,
	       void (*fn)(const struct pmap_run *run, void *arg), void *arg);

/* Print the mappings of [start, end), one line per run (debugging). */
void pmap_dump(pmap_t pmap, vm_offset_t start, vm_offset_t end);

#endif /* _KERN_PMAP_H */

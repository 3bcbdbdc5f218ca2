/* SPDX-License-Identifier: MIT */
/*
 * Between the machine-independent user pmap (mm/pmap_user.c) and the
 * architectures (arch/<arch>/kernel/pmap_user.c): the pmap structure, the
 * ASID (x86_64: PCID) allocator's view, and the arch_pmap_user_* hooks.
 * See Documentation/mm/pmap.rst.
 */
#ifndef _MM_PMAP_USER_H
#define _MM_PMAP_USER_H

#include <kern/cpu.h>
#include <mm/pmap_kernel.h>

/* pmap->context: the ASID generation above, the ASID in the low bits. */
#define PMAP_ASID_BITS		16
#define PMAP_ASID_MASK		((1UL << PMAP_ASID_BITS) - 1)
#define PMAP_ASID_MAX		(1U << PMAP_ASID_BITS)

/*
 * A user address space. pt, resident and wired are guarded by its lock
 * (mm/pmap_user.c); the masks and the context are atomic.
 */
struct pmap {
	spinlock_t	lock;		/* pmap_user_lock_take() */
	struct pmap_pt	pt;		/* root, user, tables (below the root) */
	phys_addr_t	root_pa;
	unsigned int	ref_count;	/* atomic */
	uint64_t	context;	/* generation << PMAP_ASID_BITS | ASID */
	uint64_t	cpus_active;	/* x86_64: CPUs that have it loaded now */
	uint64_t	cpus_stale;	/* x86 PCID: must flush its PCID before the next load */
	unsigned long	resident;	/* 4 KiB pages mapped */
	unsigned long	wired;
	/*
	 * The leaf table pmap_enter() used last and the 2 MiB region it
	 * maps (hint_va, PMAP_NO_HINT for none): consecutive faults skip the
	 * walk. Dropped whenever a table of the pmap is freed.
	 */
	vm_offset_t	hint_va;
	pte_t		*hint_table;
	/*
	 * Table pages its removes freed (all entries invalid: zero), kept
	 * for its next tables, PMAP_TABLE_CACHE at most, through page->next.
	 */
	struct vm_page	*table_cache;
	unsigned int	table_cache_count;
};

/* One table per level below the root: a region emptied and used again. */
#define PMAP_TABLE_CACHE	3

#define PMAP_NO_HINT	((vm_offset_t)-1)

/*
 * The ASID allocator, for tests: the current generation, and a smaller
 * ASID space (n ASIDs, ASID 0 included, at least 2 * CPUs + 2; 0 puts the
 * hardware's back). Either way the next switch starts a new generation.
 */
uint64_t pmap_asid_generation(void);
/*
 * The CPUs that have pmap loaded (pmap_destroy()'s check, tests): x86_64's
 * cpus_active, which its shootdowns use; arm64 keeps no such set (the
 * CPUs whose pmap_cpu_active[] is pmap).
 */
uint64_t pmap_cpus_loaded(pmap_t pmap);
/* Root and table pages of every user pmap together (tests). */
unsigned long pmap_user_page_count(void);
/* Reverse-map entries allocated from their zone now (tests). */
unsigned long pmap_pv_zone_in_use(void);
unsigned int pmap_asid_count(void);
void pmap_asid_test_limit(unsigned int n);

/*
 * A pmap's lock, for an arch path that walks a user tree outside the pmap
 * calls (arm64's access-flag faults): tables are freed under it. Taken
 * with interrupts off, answering TLB shootdowns while it waits.
 */
unsigned long pmap_user_lock_take(pmap_t pmap);
void pmap_user_unlock(pmap_t pmap, unsigned long flags);

/* ------------------------------------------------------------------------
 * What each architecture provides
 */

/*
 * Once, on the boot CPU, before any pmap: the number of ASIDs (PCIDs) the
 * CPU has, ASID 0 (kernel_pmap's) included, or 0 if translations are not
 * tagged (every switch then flushes). Sets kernel_pmap->root_pa.
 */
unsigned int arch_pmap_user_init(void);

/* Fill a new root table: x86_64 copies the kernel half of the PML4. */
void arch_pmap_user_root_init(pte_t *root);

/*
 * static inline void arch_pmap_user_load(pmap_t pmap, unsigned int asid,
 *					  bool flush_all, bool flush_asid)
 * in <asm/pmap_switch.h>, inline in the switch: load pmap on this CPU with
 * asid (interrupts off). flush_all: drop every tagged translation of this
 * CPU (an ASID generation ended, or the CPU's first load: its one-time
 * setup goes there); flush_asid: drop those of asid (x86 PCID: the pmap
 * changed while not loaded here).
 */
#include <asm/pmap_switch.h>

/*
 * Entries of [va, va + size) of pmap changed or went away: no CPU may use
 * the old ones when this returns (x86_64: IPI to the CPUs in
 * pmap->cpus_active, the others marked in cpus_stale; arm64: broadcast
 * TLBI by ASID). asid_valid is false when the pmap has no ASID of the
 * current generation (no CPU then holds any of its translations under a
 * live ASID). Called with the pmap's lock held, interrupts off (x86_64
 * serialises its shootdowns with a lock of its own, a leaf).
 */
void arch_pmap_user_flush(pmap_t pmap, unsigned int asid, bool asid_valid,
			  vm_offset_t va, vm_size_t size);

/*
 * arch_pmap_user_flush() deferred into a batch (the pmap's lock held,
 * interrupts off): record in pfc what pmap_flush() must do. x86_64 marks
 * the pmap stale everywhere and records the CPUs that have it loaded;
 * arm64 invalidates at once (broadcast, no IPI).
 */
void arch_pmap_user_flush_defer(pmap_t pmap, unsigned int asid, bool asid_valid,
				vm_offset_t va, struct pmap_flush_context *pfc);
/* pmap_flush(): one round for what pfc recorded (no lock held, interrupts on). */
void arch_pmap_user_flush_run(struct pmap_flush_context *pfc);

#endif /* _MM_PMAP_USER_H */

// SPDX-License-Identifier: MIT
/*
 * User address spaces: the pmap_t half of <kern/pmap.h>.
 *
 * A pmap is a four-level tree for the lower half (mm/pmap_kernel.c's
 * walker, with user table entries); the upper half is the kernel's (x86_64
 * copies the kernel half of the PML4 into each root, which never changes
 * after boot; arm64 keeps the kernel in TTBR1). Leaves are 4 KiB pages
 * (2 MiB through pmap_enter_range()), encoded by <asm/pgtable.h>'s
 * pte_*user* helpers; software bits there hold "wired".
 *
 * Reverse map: every 4 KiB mapping of a page the allocator manages has a
 * struct pmap_pv on the page's pv_list; page->pmap_attrs keeps the
 * referenced and modified bits of mappings that went away. The page's own
 * entry, page->pv_first (free while its pmap is NULL), serves one of them,
 * so that a page mapped once (a demand-zero fault) needs none from the
 * zone; the others come from pmap_pv_zone.
 *
 * Tables: the page of every table below the root counts its valid
 * entries (leaves or links to tables) in wire_count (no VM page: the
 * field is free), so pmap_remove() sees in one load that a table became
 * empty and frees it: the leaf tables of the range, then the tables
 * above them that this leaves empty, up to (not including) the root,
 * each with the entry that links it, after the TLB flush of the range,
 * which also drops the walk caches (x86 INVLPG and a CR3 load drop every
 * paging-structure cache entry of the PCID, arm64 TLBI VAE1IS is not the
 * last-level-only VALE1IS; every table freed maps part of the range).
 *
 * Locking: each pmap's lock guards its tree and its counts; pmap_pv_lock
 * guards every pv list and page->pmap_attrs. Order: a pmap, then the pv
 * lock. A pmap operation takes the pv lock around each change of a 4 KiB
 * leaf together with its reverse-map entry, so that under the pv lock a
 * listed entry always has its valid leaf, in a table that cannot go (its
 * count of valid entries is not 0). The operations by physical page
 * (pmap_page_protect, pmap_clear_*) start from the pv lock and need the
 * lock of each entry's pmap: they try it, and when another CPU holds it
 * they drop the pv lock, wait and start again (the entry names a pmap
 * that lives as long as the entry: pmap_destroy removes its entries
 * under both locks). Both are taken with interrupts off through
 * pmap_spin_lock(), which answers TLB shootdowns while waiting. Memory
 * (pv entries, table pages) is allocated before they are taken or from
 * the page allocator only, and freed after they are dropped.
 *
 * ASIDs (x86_64 PCIDs): generation-based, as in Linux's arm64 allocator.
 * A pmap's context is (generation, ASID); switching to a pmap whose
 * generation is the current one takes no lock. When the ASIDs run out the
 * generation goes up, every ASID is free again except those of the pmaps
 * loaded on a CPU (pmap_cpu_active), which keep theirs, and every CPU
 * flushes its tagged translations before its next load. See
 * Documentation/mm/pmap.rst.
 */
#include <kern/arch.h>
#include <kern/init.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <mm/pmap_user.h>
#include <asm/string.h>

#define PMAP_BITS_PER_LONG	(8 * (unsigned int)sizeof(unsigned long))

#define PMAP_ATTR_REFERENCED	0x1UL
#define PMAP_ATTR_MODIFIED	0x2UL

static struct pmap kernel_pmap_store = {
	.ref_count = 1,
};
pmap_t kernel_pmap = &kernel_pmap_store;

pmap_t pmap_cpu_active[MAX_CPUS] = { [0 ... MAX_CPUS - 1] = &kernel_pmap_store };

static spinlock_t pmap_pv_lock = SPINLOCK_INIT;
static unsigned long pmap_user_pages;	/* roots and tables of every user pmap (atomic) */
static struct zone *pmap_zone, *pmap_pv_zone;

/* ------------------------------------------------------------------------
 * ASIDs
 */

static spinlock_t pmap_asid_lock = SPINLOCK_INIT;
static unsigned int pmap_asid_hw;	/* the hardware's count, 0: untagged */
static unsigned int pmap_asid_limit;	/* in use: <= pmap_asid_hw */
static unsigned int pmap_asid_next;	/* where the search for a free one starts */
static uint64_t pmap_asid_gen = 1;	/* atomic */
/*
 * CPUs to flush before their next load. Every CPU's bit is set from the
 * start: its first load is a flush_all, where the arch code also sets up
 * what the CPU needs once (x86_64 CR4.PCIDE, arm64 TCR_EL1), so that the
 * switches after it test nothing for that.
 */
static uint64_t pmap_asid_flush_pending = ~0ULL;
static unsigned long pmap_asid_map[PMAP_ASID_MAX / PMAP_BITS_PER_LONG];

static inline bool pmap_asid_test_and_set(unsigned int asid)
{
	unsigned long bit = 1UL << (asid % PMAP_BITS_PER_LONG);
	unsigned long *w = &pmap_asid_map[asid / PMAP_BITS_PER_LONG];
	bool was = *w & bit;

	*w |= bit;
	return was;
}

/* Keep the ASID of a pmap loaded on a CPU across the rollover to gen. */
static void pmap_asid_reserve(pmap_t pmap, uint64_t gen)
{
	uint64_t ctx;

	if (!pmap || pmap == kernel_pmap)
		return;
	ctx = __atomic_load_n(&pmap->context, __ATOMIC_RELAXED);
	/* Older than the generation that just ended: it is not loaded yet. */
	if ((ctx >> PMAP_ASID_BITS) != gen - 1)
		return;
	pmap_asid_test_and_set(ctx & PMAP_ASID_MASK);
	__atomic_store_n(&pmap->context, (gen << PMAP_ASID_BITS) | (ctx & PMAP_ASID_MASK),
			 __ATOMIC_RELAXED);
}

/* A new generation (pmap_asid_lock held). */
static uint64_t pmap_asid_rollover(void)
{
	uint64_t gen = __atomic_load_n(&pmap_asid_gen, __ATOMIC_RELAXED) + 1;
	unsigned int cpu;

	/* Before reading the CPUs' pmaps: pairs with pmap_switch_irqs_off(). */
	__atomic_store_n(&pmap_asid_gen, gen, __ATOMIC_SEQ_CST);
	memset(pmap_asid_map, 0, sizeof(pmap_asid_map));
	pmap_asid_test_and_set(0);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		pmap_asid_reserve(__atomic_load_n(&pmap_cpu_active[cpu], __ATOMIC_SEQ_CST), gen);
	__atomic_store_n(&pmap_asid_flush_pending, ~0ULL, __ATOMIC_SEQ_CST);
	pmap_asid_next = 1;
	return gen;
}

static bool pmap_asid_find(unsigned int *asid)
{
	unsigned int i, a;

	for (i = 0; i < pmap_asid_limit; i++) {
		a = pmap_asid_next + i;
		if (a >= pmap_asid_limit)
			a -= pmap_asid_limit - 1;	/* wrap to 1 */
		if (a && !pmap_asid_test_and_set(a)) {
			pmap_asid_next = a + 1 < pmap_asid_limit ? a + 1 : 1;
			*asid = a;
			return true;
		}
	}
	return false;
}

/* The slow path: a new ASID for pmap in the current generation. */
static unsigned int __noinline pmap_asid_alloc(pmap_t pmap)
{
	unsigned int asid;
	uint64_t ctx, gen;

	__spin_acquire(&pmap_asid_lock);
	gen = __atomic_load_n(&pmap_asid_gen, __ATOMIC_RELAXED);
	ctx = __atomic_load_n(&pmap->context, __ATOMIC_RELAXED);
	if ((ctx >> PMAP_ASID_BITS) != gen) {
		if (!pmap_asid_find(&asid)) {
			gen = pmap_asid_rollover();
			ctx = __atomic_load_n(&pmap->context, __ATOMIC_RELAXED);
			if ((ctx >> PMAP_ASID_BITS) == gen)
				goto out;	/* reserved: it was being loaded */
			if (!pmap_asid_find(&asid))
				panic("pmap: no ASID free after a rollover (%u)", pmap_asid_limit);
		}
		ctx = (gen << PMAP_ASID_BITS) | asid;
		/* After the rollover's pmap_asid_flush_pending: pairs with pmap_asid_get(). */
		__atomic_store_n(&pmap->context, ctx, __ATOMIC_RELEASE);
	}
out:
	__spin_release(&pmap_asid_lock);
	return ctx & PMAP_ASID_MASK;
}

/* The pmap's ASID if it is of the current generation (0 when untagged). */
static inline bool pmap_asid_current(pmap_t pmap, unsigned int *asid)
{
	uint64_t gen, ctx;

	*asid = 0;
	if (!pmap_asid_limit)
		return true;
	gen = __atomic_load_n(&pmap_asid_gen, __ATOMIC_SEQ_CST);
	/* Acquire: pmap_switch_irqs_off() loads pmap_asid_flush_pending after it. */
	ctx = __atomic_load_n(&pmap->context, __ATOMIC_ACQUIRE);
	*asid = ctx & PMAP_ASID_MASK;
	return (ctx >> PMAP_ASID_BITS) == gen;
}

static unsigned int pmap_asid_get(pmap_t pmap)
{
	unsigned int asid;

	if (pmap_asid_current(pmap, &asid))
		return asid;
	return pmap_asid_alloc(pmap);
}

uint64_t pmap_asid_generation(void)
{
	return __atomic_load_n(&pmap_asid_gen, __ATOMIC_RELAXED);
}

unsigned int pmap_asid_count(void)
{
	return pmap_asid_limit;
}

void pmap_asid_test_limit(unsigned int n)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(&pmap_asid_lock);
	if (pmap_asid_hw) {
		if (n == 0 || n > pmap_asid_hw)
			n = pmap_asid_hw;
		if (n < 2 * MAX_CPUS + 2)
			n = 2 * MAX_CPUS + 2;
		pmap_asid_limit = n;
		pmap_asid_rollover();
	}
	__spin_release(&pmap_asid_lock);
	arch_irq_restore(flags);
}

/* ------------------------------------------------------------------------
 * Switching
 *
 * What each step of pmap_switch_irqs_off() pairs with:
 *
 *   - pmap_cpu_active is stored (sequentially consistent) before
 *     pmap_asid_get() loads pmap_asid_gen (sequentially consistent);
 *     pmap_asid_rollover() stores the generation before it loads
 *     pmap_cpu_active. Store then load on each side: either the switch sees
 *     the new generation, or the rollover sees the pmap and keeps its ASID.
 *   - The pmap being switched from is not kept by a rollover that comes
 *     after that store, though this CPU runs on its tables under its ASID
 *     until the load: that ASID may go to another pmap meanwhile. This
 *     CPU only runs kernel code (interrupts off) until the load, and holds
 *     the old pmap's translations under the ASID after it; it can use them
 *     again only by loading that ASID, which it does after a flush_all:
 *     an ASID given out anew is stored after the rollover set
 *     pmap_asid_flush_pending (below), and a pmap that kept its ASID
 *     across the rollover is the same pmap, whose shootdowns reached this
 *     CPU (arm64 by broadcast, x86_64 by cpus_active until the load).
 *   - x86_64 (ARCH_PMAP_USER_CPUS_ACTIVE): pmap->cpus_active gets this
 *     CPU's bit (a sequentially consistent read-modify-write) before
 *     pmap->cpus_stale is loaded (sequentially consistent); the shootdown
 *     sets cpus_stale before it loads cpus_active: either the flusher sees
 *     this CPU and interrupts it, or this CPU sees the stale bit and
 *     flushes the PCID at its load. arm64's broadcast TLBIs need neither.
 *   - pmap_asid_flush_pending is loaded after the pmap's context (an
 *     acquire load in pmap_asid_current()): a context of the new generation
 *     was stored, under pmap_asid_lock, after the rollover stored
 *     pmap_asid_flush_pending, so this CPU sees its bit then. A context of
 *     the old generation means the rollover saw this pmap here and kept its
 *     ASID; an ASID kept by the rollover (pmap_asid_reserve()) names the
 *     same pmap in both generations: no translation of another under it.
 *     A bit missed that way is seen at a later switch, before this CPU
 *     loads an ASID the rollover gave out anew.
 *   - Both stale bits are loaded first and cleared only when set (an
 *     atomic and: other CPUs change other bits of the words): they are set
 *     by shootdowns (x86_64 with PCIDs only) and rollovers, rarely.
 *   - old->cpus_active loses this CPU's bit only after the load: until
 *     then its shootdowns must reach this CPU.
 */

/* kernel_pmap, compared with its address: no load of the pointer. */
static inline bool pmap_is_kernel(pmap_t pmap)
{
	return pmap == &kernel_pmap_store;
}

/* After the load: old's shootdowns need not reach this CPU any more. */
static inline void pmap_switch_done(pmap_t old, uint64_t bit)
{
	if (ARCH_PMAP_USER_CPUS_ACTIVE && !pmap_is_kernel(old))
		__atomic_fetch_and(&old->cpus_active, ~bit, __ATOMIC_SEQ_CST);
}

/*
 * The rest of a switch that has a flush to make or no ASID yet (rare),
 * pmap_cpu_active[] (and cpus_active) stored: out of line, so that the
 * common path keeps no register across a call. The loads are made again
 * here, in the same order.
 */
static void __noinline pmap_switch_slow(pmap_t pmap, pmap_t old, uint64_t bit)
{
	bool flush_all, flush_asid = false;
	unsigned int asid = 0;

	if (!pmap_is_kernel(pmap)) {
		asid = pmap_asid_get(pmap);
		if (ARCH_PMAP_USER_CPUS_ACTIVE &&
		    (__atomic_load_n(&pmap->cpus_stale, __ATOMIC_SEQ_CST) & bit))
			flush_asid = __atomic_fetch_and(&pmap->cpus_stale, ~bit,
							__ATOMIC_SEQ_CST) & bit;
	}
	flush_all = __atomic_load_n(&pmap_asid_flush_pending, __ATOMIC_RELAXED) & bit;
	if (flush_all)
		flush_all = __atomic_fetch_and(&pmap_asid_flush_pending, ~bit,
					       __ATOMIC_SEQ_CST) & bit;
	arch_pmap_user_load(pmap, asid, flush_all, flush_asid);
	pmap_switch_done(old, bit);
}

/* Whether pmap can be loaded with *asid and no flush (the common case). */
static inline bool pmap_switch_quiet(pmap_t pmap, uint64_t bit, unsigned int *asid)
{
	*asid = 0;
	if (!pmap_is_kernel(pmap)) {
		if (!pmap_asid_current(pmap, asid))
			return false;
		if (ARCH_PMAP_USER_CPUS_ACTIVE &&
		    (__atomic_load_n(&pmap->cpus_stale, __ATOMIC_SEQ_CST) & bit))
			return false;
	}
	return !(__atomic_load_n(&pmap_asid_flush_pending, __ATOMIC_RELAXED) & bit);
}

void pmap_switch_irqs_off(pmap_t pmap)
{
	unsigned int cpu = cpu_number();
	uint64_t bit = 1ULL << cpu;
	pmap_t old = pmap_cpu_active[cpu];
	unsigned int asid;

	if (!pmap)
		pmap = &kernel_pmap_store;
	if (old == pmap)
		return;
	/* Its ASID stays reserved should the ASIDs roll over meanwhile. */
	__atomic_store_n(&pmap_cpu_active[cpu], pmap, __ATOMIC_SEQ_CST);
	if (ARCH_PMAP_USER_CPUS_ACTIVE && !pmap_is_kernel(pmap))
		__atomic_fetch_or(&pmap->cpus_active, bit, __ATOMIC_SEQ_CST);
	if (unlikely(!pmap_switch_quiet(pmap, bit, &asid))) {
		pmap_switch_slow(pmap, old, bit);
		return;
	}
	arch_pmap_user_load(pmap, asid, false, false);
	pmap_switch_done(old, bit);
}

void pmap_switch(pmap_t pmap)
{
	unsigned long flags = arch_irq_save();

	pmap_switch_irqs_off(pmap);
	arch_irq_restore(flags);
}

uint64_t pmap_cpus_loaded(pmap_t pmap)
{
	uint64_t cpus = 0;
	unsigned int cpu, n;

	if (ARCH_PMAP_USER_CPUS_ACTIVE)
		return __atomic_load_n(&pmap->cpus_active, __ATOMIC_SEQ_CST);
	/* A CPU not brought up yet has loaded no user pmap. */
	n = __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE);
	for (cpu = 0; cpu < n && cpu < MAX_CPUS; cpu++)
		if (__atomic_load_n(&pmap_cpu_active[cpu], __ATOMIC_SEQ_CST) == pmap)
			cpus |= 1ULL << cpu;
	return cpus;
}

pmap_t pmap_current(void)
{
	unsigned long flags = arch_irq_save();
	pmap_t pmap = pmap_cpu_active[cpu_number()];

	arch_irq_restore(flags);
	return pmap;
}

/* ------------------------------------------------------------------------
 * Locking, TLBs, table pages
 */

unsigned long pmap_user_lock_take(pmap_t pmap)
{
	return pmap_spin_lock(&pmap->lock);
}

void pmap_user_unlock(pmap_t pmap, unsigned long flags)
{
	spin_unlock_irqrestore(&pmap->lock, flags);
}

/* The reverse map's lock: under a pmap's, or alone. */
static inline unsigned long pmap_pv_lock_take(void)
{
	return pmap_spin_lock(&pmap_pv_lock);
}

static inline void pmap_pv_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&pmap_pv_lock, flags);
}

/*
 * For the operations by page (pv lock held): take the lock of pv's pmap,
 * or, when another CPU holds it, drop the pv lock, wait for that CPU
 * (answering shootdowns: it may be waiting for this one) and return
 * false, the pv lock taken again: the caller looks at the list anew.
 */
static bool pmap_pv_lock_pmap(const struct pmap_pv *pv, unsigned long *pv_flags)
{
	if (__spin_try_acquire(&pv->pmap->lock))
		return true;
	pmap_pv_unlock(*pv_flags);
	arch_pmap_lock_wait();
	arch_cpu_relax();
	*pv_flags = pmap_pv_lock_take();
	return false;
}

/* The pmap's ASID, and whether it is of the current generation. */
static unsigned int pmap_user_asid(pmap_t pmap, bool *valid)
{
	uint64_t ctx = __atomic_load_n(&pmap->context, __ATOMIC_SEQ_CST);

	*valid = pmap_asid_limit &&
		 (ctx >> PMAP_ASID_BITS) == __atomic_load_n(&pmap_asid_gen, __ATOMIC_SEQ_CST);
	return ctx & PMAP_ASID_MASK;
}

static void pmap_user_flush(pmap_t pmap, vm_offset_t va, vm_size_t size)
{
	bool valid;
	unsigned int asid = pmap_user_asid(pmap, &valid);

	arch_pmap_user_flush(pmap, asid, valid, va, size);
}

/* One page of pmap_page_protect_options(): flushed now, or recorded in pfc. */
static void pmap_user_flush_page(pmap_t pmap, vm_offset_t va, struct pmap_flush_context *pfc)
{
	bool valid;
	unsigned int asid;

	if (!pfc) {
		pmap_user_flush(pmap, va, PAGE_SIZE);
		return;
	}
	asid = pmap_user_asid(pmap, &valid);
	pfc->pages++;
	arch_pmap_user_flush_defer(pmap, asid, valid, va, pfc);
}

void pmap_flush(struct pmap_flush_context *pfc)
{
	if (pfc->pages)
		arch_pmap_user_flush_run(pfc);
	*pfc = PMAP_FLUSH_CONTEXT_INIT;
}

kern_return_t pmap_user_table_alloc(struct pmap_pt *pt, phys_addr_t *pa)
{
	pmap_t pmap = container_of(pt, struct pmap, pt);
	struct vm_page *page = pmap->table_cache;

	if (page) {
		/* A table the pmap emptied and freed: zero already. */
		pmap->table_cache = page->next;
		pmap->table_cache_count--;
		page->next = NULL;
	} else {
		/* Not the pre-zeroed pool: its wakeup is no call under the pmap lock. */
		page = vm_page_alloc(0);
		if (!page)
			return KERN_RESOURCE_SHORTAGE;
		arch_zero_blocks(vm_page_to_virt(page), PAGE_SIZE);
	}
	page->wire_count = 0;		/* its valid entries (pmap_entry_count()) */
	*pa = vm_page_to_phys(page);
	pt->tables++;
	__atomic_fetch_add(&pmap_user_pages, 1, __ATOMIC_RELAXED);
	return KERN_SUCCESS;
}

/* The valid entries of the table (below the root) that holds e go up or down by one. */
static inline void pmap_entry_count(pte_t *e, int delta)
{
	vm_page_from_virt(e)->wire_count += delta;
}

void pmap_user_table_linked(pte_t *e)
{
	pmap_entry_count(e, 1);
}

/* A table page no longer linked and no longer in any TLB (lock held). */
static void pmap_table_drop(pmap_t pmap, struct vm_page *page, struct vm_page **tables)
{
	pmap->hint_va = PMAP_NO_HINT;
	page->wire_count = 0;
	page->next = *tables;
	*tables = page;
	pmap->pt.tables--;
	__atomic_fetch_sub(&pmap_user_pages, 1, __ATOMIC_RELAXED);
}

/*
 * After the flush of the range that unlinked them (lock held): keep up to
 * PMAP_TABLE_CACHE of the table pages pmap_table_drop() gathered for the
 * pmap's next tables. Every entry of a table freed is invalid, that is 0
 * (entries are cleared by storing 0), so they need no zeroing again.
 */
static void pmap_tables_keep(pmap_t pmap, struct vm_page **list)
{
	while (*list && pmap->table_cache_count < PMAP_TABLE_CACHE) {
		struct vm_page *page = *list;

		*list = page->next;
		page->next = pmap->table_cache;
		pmap->table_cache = page;
		pmap->table_cache_count++;
	}
}

/* After the lock is dropped: the table pages pmap_table_drop() gathered. */
static void pmap_tables_free(struct vm_page *list)
{
	while (list) {
		struct vm_page *next = list->next;

		list->next = NULL;
		vm_page_free(list, 0);
		list = next;
	}
}

/* The page the reverse map keeps for pa, or NULL for memory it does not manage. */
static struct vm_page *pmap_managed_page(phys_addr_t pa)
{
	struct vm_page *page;

	if (!vm_page_ready())
		return NULL;
	page = vm_page_from_phys(pa);
	return page && page->state == VM_PAGE_ALLOCATED ? page : NULL;
}

/* Replace *e atomically by f(old) (the hardware may set A/D meanwhile); returns old. */
static pte_t pmap_pte_update(pte_t *e, pte_t (*f)(pte_t, unsigned long), unsigned long arg)
{
	pte_t old = READ_ONCE(*e);

	while (!__atomic_compare_exchange_n(e, &old, f(old, arg), false,
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
		;
	return old;
}

/* ------------------------------------------------------------------------
 * The reverse map (the pv lock held)
 */

/* An entry for a new mapping of page: its own if free, else *spare (not NULL then). */
static void pmap_pv_insert(struct vm_page *page, pmap_t pmap, vm_offset_t va,
			   struct pmap_pv **spare)
{
	struct pmap_pv *pv = &page->pv_first;

	if (pv->pmap) {
		pv = *spare;
		*spare = NULL;
	}
	pv->pmap = pmap;
	pv->va = va;
	pv->next = page->pv_list;
	page->pv_list = pv;
}

/*
 * Unlink pmap's mapping at va; a zone entry goes on *freed for after
 * unlock, the page's own is free again at once (under the pv lock: it
 * never goes on a list that is walked unlocked).
 */
static void pmap_pv_remove(struct vm_page *page, pmap_t pmap, vm_offset_t va,
			   struct pmap_pv **freed)
{
	struct pmap_pv **pp, *pv;

	for (pp = &page->pv_list; (pv = *pp); pp = &pv->next) {
		if (pv->pmap == pmap && pv->va == va) {
			*pp = pv->next;
			if (pv == &page->pv_first) {
				pv->next = NULL;
				pv->pmap = NULL;
				return;
			}
			pv->next = *freed;
			*freed = pv;
			return;
		}
	}
	panic("pmap: no reverse-map entry for %p va %#lx pa %#llx", pmap, (unsigned long)va,
	      (unsigned long long)page->phys_addr);
}

static void pmap_pv_free(struct pmap_pv *list)
{
	while (list) {
		struct pmap_pv *next = list->next;

		zfree(pmap_pv_zone, list);
		list = next;
	}
}

/*
 * A leaf of `level` (value old) left va: the counts, the reverse map, the
 * page's bits. Both locks held for a 4 KiB leaf; the pmap's for a 2 MiB one.
 */
static void pmap_leaf_gone(pmap_t pmap, vm_offset_t va, pte_t old, unsigned int level,
			   struct pmap_pv **freed)
{
	unsigned long pages = pt_size(level) / PAGE_SIZE;
	struct vm_page *page;

	pmap->resident -= pages;
	if (pte_user_wired(old))
		pmap->wired -= pages;
	if (level != PT_LEAF_LEVEL || pte_user_nopv(old))
		return;		/* 2 MiB pages (and their splits) are not in the reverse map */
	page = pmap_managed_page(pte_addr(old));
	if (!page)
		return;
	if (pte_user_referenced(old))
		page->pmap_attrs |= PMAP_ATTR_REFERENCED;
	if (pte_user_modified(old))
		page->pmap_attrs |= PMAP_ATTR_MODIFIED;
	pmap_pv_remove(page, pmap, va, freed);
}

/* ------------------------------------------------------------------------
 * Create and destroy
 */

pmap_t pmap_create(void)
{
	pmap_t pmap = zalloc(pmap_zone);
	struct vm_page *root;

	if (!pmap)
		return PMAP_NULL;
	root = vm_page_alloc(0);
	if (!root) {
		zfree(pmap_zone, pmap);
		return PMAP_NULL;
	}
	memset(pmap, 0, sizeof(*pmap));
	__atomic_fetch_add(&pmap_user_pages, 1, __ATOMIC_RELAXED);
	pmap->root_pa = vm_page_to_phys(root);
	pmap->pt.root = vm_page_to_virt(root);
	spin_lock_init(&pmap->lock);
	pmap->hint_va = PMAP_NO_HINT;
	pmap->pt.live = true;
	pmap->pt.user = true;
	pmap->ref_count = 1;
	memset(pmap->pt.root, 0, PAGE_SIZE);
	arch_pmap_user_root_init(pmap->pt.root);
	return pmap;
}

void pmap_reference(pmap_t pmap)
{
	if (pmap && pmap != kernel_pmap)
		__atomic_fetch_add(&pmap->ref_count, 1, __ATOMIC_RELAXED);
}

/* Remove every leaf under `table` (of `level`) and free the tables below it. */
static void pmap_free_tree(pmap_t pmap, pte_t *table, unsigned int level, vm_offset_t base,
			   struct pmap_pv **freed)
{
	/* The root's user entries only (x86_64: its upper half is the kernel's). */
	unsigned int i, n = level == 0 ? pt_index(VM_MAX_USER_ADDRESS - 1, 0) + 1 : PT_ENTRIES;

	for (i = 0; i < n; i++) {
		pte_t v = table[i];
		vm_offset_t va = base + i * pt_size(level);

		if (!pte_valid(v))
			continue;
		if (pte_is_table(v, level)) {
			struct vm_page *tp = vm_page_from_phys(pte_addr(v));

			pmap_free_tree(pmap, arch_pmap_table(pte_addr(v)), level + 1, va, freed);
			tp->wire_count = 0;
			vm_page_free(tp, 0);
			pmap->pt.tables--;
			__atomic_fetch_sub(&pmap_user_pages, 1, __ATOMIC_RELAXED);
			table[i] = 0;
		} else {
			unsigned long pv_flags = pmap_pv_lock_take();

			pmap_leaf_gone(pmap, va, v, level, freed);
			table[i] = 0;
			pmap_pv_unlock(pv_flags);
		}
	}
}

void pmap_destroy(pmap_t pmap)
{
	struct pmap_pv *freed = NULL;
	unsigned long flags;
	uint64_t loaded;

	if (!pmap || pmap == kernel_pmap)
		return;
	if (__atomic_sub_fetch(&pmap->ref_count, 1, __ATOMIC_ACQ_REL))
		return;
	loaded = pmap_cpus_loaded(pmap);
	if (loaded)
		panic("pmap_destroy: %p is still loaded (CPUs %#llx)", pmap,
		      (unsigned long long)loaded);
	/*
	 * No CPU has it loaded, and its ASID goes to no other pmap before
	 * the next generation, which flushes them all: no TLB work here.
	 */
	flags = pmap_user_lock_take(pmap);
	pmap_free_tree(pmap, pmap->pt.root, 0, 0, &freed);
	pmap_user_unlock(pmap, flags);
	pmap_pv_free(freed);
	pmap_tables_free(pmap->table_cache);
	if (pmap->resident || pmap->wired || pmap->pt.tables)
		panic("pmap_destroy: %lu resident, %lu wired, %lu tables left", pmap->resident,
		      pmap->wired, pmap->pt.tables);
	vm_page_free(vm_page_from_phys(pmap->root_pa), 0);
	__atomic_fetch_sub(&pmap_user_pages, 1, __ATOMIC_RELAXED);
	zfree(pmap_zone, pmap);
}

/* ------------------------------------------------------------------------
 * Enter, remove, protect
 */

static bool pmap_user_range_ok(vm_offset_t va, vm_size_t size)
{
	/* VM_MIN_USER_ADDRESS is 0 on both architectures. */
	BUILD_BUG_ON(VM_MIN_USER_ADDRESS != 0);
	return !((va | size) & (PAGE_SIZE - 1)) && va < VM_MAX_USER_ADDRESS &&
	       size <= VM_MAX_USER_ADDRESS - va;
}

static bool pmap_prot_ok(vm_prot_t prot)
{
	return prot != VM_PROT_NONE && !(prot & ~VM_PROT_ALL);
}

/*
 * Replace a 2 MiB leaf *e (covering base) with a table of 4 KiB leaves
 * that map the same pages the same way (break-before-make where the arch
 * needs it).
 */
static kern_return_t pmap_user_split(pmap_t pmap, pte_t *e, vm_offset_t base)
{
	pte_t old, *table;
	phys_addr_t table_pa, pa;
	kern_return_t kr;
	unsigned int i;

	kr = pmap_user_table_alloc(&pmap->pt, &table_pa);
	if (kr != KERN_SUCCESS)
		return kr;
	old = __atomic_exchange_n(e, 0, __ATOMIC_SEQ_CST);
	pmap_user_flush(pmap, base, pt_size(2));
	pa = pte_addr(old) & ~(pt_size(2) - 1);
	table = arch_pmap_table(table_pa);
	for (i = 0; i < PT_ENTRIES; i++)
		table[i] = pte_user_split(old, pa + i * PAGE_SIZE);
	vm_page_from_phys(table_pa)->wire_count = PT_ENTRIES;
	arch_pmap_sync();
	WRITE_ONCE(*e, pte_mk_user_table(table_pa));
	arch_pmap_sync();
	return KERN_SUCCESS;
}

/*
 * The 4 KiB leaf entry of va, making tables; splits a 2 MiB page over va.
 * The leaf table becomes the pmap's hint.
 */
static kern_return_t pmap_user_leaf(pmap_t pmap, vm_offset_t va, pte_t **e)
{
	vm_offset_t region = ALIGN_DOWN(va, pt_size(PT_LEAF_LEVEL - 1));
	kern_return_t kr;
	unsigned int level;
	pte_t *big;

	if (pmap->hint_va == region) {
		*e = &pmap->hint_table[pt_index(va, PT_LEAF_LEVEL)];
		return KERN_SUCCESS;
	}
	kr = pmap_pt_entry(&pmap->pt, va, PT_LEAF_LEVEL, true, e);
	if (kr == KERN_NO_SPACE) {
		big = pmap_pt_lookup(&pmap->pt, va, &level);
		kr = pmap_user_split(pmap, big, ALIGN_DOWN(va, pt_size(level)));
		if (kr != KERN_SUCCESS)
			return kr;
		kr = pmap_pt_entry(&pmap->pt, va, PT_LEAF_LEVEL, true, e);
	}
	if (kr == KERN_SUCCESS) {
		pmap->hint_va = region;
		pmap->hint_table = *e - pt_index(va, PT_LEAF_LEVEL);
	}
	return kr;
}

#define PMAP_REENTER_WIRED	0x100UL

static pte_t pmap_pte_reenter(pte_t e, unsigned long arg)
{
	return pte_user_set_wired(pte_user_reprotect(e, (vm_prot_t)(arg & VM_PROT_ALL)),
				  arg & PMAP_REENTER_WIRED);
}

static kern_return_t pmap_enter_access(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
				       vm_prot_t prot, bool wired, vm_prot_t access)
{
	struct vm_page *page = pmap_managed_page(pa);
	struct pmap_pv *spare = NULL, *freed = NULL;
	unsigned long flags, pv_flags;
	kern_return_t kr;
	pte_t *e, old;

	if (!pmap || pmap == kernel_pmap || !pmap_user_range_ok(va, PAGE_SIZE) ||
	    (pa & (PAGE_SIZE - 1)) || !pmap_prot_ok(prot))
		return KERN_INVALID_ARGUMENT;
	/* A zone entry only if the page's own is taken (checked again below). */
	if (page && READ_ONCE(page->pv_first.pmap)) {
		spare = zalloc(pmap_pv_zone);
		if (!spare)
			return KERN_RESOURCE_SHORTAGE;
	}
again:
	flags = pmap_user_lock_take(pmap);
	kr = pmap_user_leaf(pmap, va, &e);
	if (kr != KERN_SUCCESS)
		goto out;
	old = READ_ONCE(*e);
	if (pte_valid(old) && pte_addr(old) == pa) {
		/* The same page: new protection and wiring, the same A/D bits. */
		old = pmap_pte_update(e, pmap_pte_reenter, prot | (wired ? PMAP_REENTER_WIRED : 0));
		pmap->wired += (unsigned long)wired - (unsigned long)pte_user_wired(old);
		pmap_user_flush(pmap, va, PAGE_SIZE);
		goto out;
	}
	pv_flags = pmap_pv_lock_take();
	if (page && page->pv_first.pmap && !spare) {
		/* Another mapping took the page's own entry meanwhile: the zone's. */
		pmap_pv_unlock(pv_flags);
		pmap_user_unlock(pmap, flags);
		spare = zalloc(pmap_pv_zone);
		if (!spare)
			return KERN_RESOURCE_SHORTAGE;
		goto again;
	}
	if (pte_valid(old)) {
		old = __atomic_exchange_n(e, 0, __ATOMIC_SEQ_CST);
		pmap_leaf_gone(pmap, va, old, PT_LEAF_LEVEL, &freed);
		pmap_user_flush(pmap, va, PAGE_SIZE);
	} else {
		pmap_entry_count(e, 1);
	}
	if (page)
		pmap_pv_insert(page, pmap, va, &spare);
	pmap->resident++;
	if (wired)
		pmap->wired++;
	/* Invalid to valid: no TLB holds it; the walker must see it. */
	arch_pmap_sync();
	WRITE_ONCE(*e, access ? pte_user_mark_access(pte_mk_user_leaf(pa, PT_LEAF_LEVEL, prot,
								  wired), access)
			      : pte_mk_user_leaf(pa, PT_LEAF_LEVEL, prot, wired));
	arch_pmap_sync();
	pmap_pv_unlock(pv_flags);
out:
	pmap_user_unlock(pmap, flags);
	if (spare)
		zfree(pmap_pv_zone, spare);
	pmap_pv_free(freed);
	return kr;
}

/*
 * Unlink the tables under `table` (of `level`, whose first entry maps
 * base) that map part of [start, end) and have no valid entry left
 * (lock held): leaf tables first, then each table above that this
 * empties. Their pages go on *tables, for after the caller's flush of the
 * range and the unlock; the flush reaches the walk caches that hold them,
 * since each maps part of the range. Whether any went.
 */
static bool pmap_prune_tables(pmap_t pmap, pte_t *table, unsigned int level, vm_offset_t base,
			      vm_offset_t start, vm_offset_t end, struct vm_page **tables)
{
	vm_offset_t va = MAX(start, base);
	vm_offset_t stop = level ? MIN(end, base + pt_size(level - 1)) : end;
	bool pruned = false;

	for (; va < stop; va = pt_next(va, level, stop)) {
		pte_t *e = &table[pt_index(va, level)];
		pte_t v = READ_ONCE(*e);
		struct vm_page *tp;

		if (!pte_is_table(v, level))
			continue;
		tp = vm_page_from_phys(pte_addr(v));
		if (level + 1 < PT_LEAF_LEVEL &&
		    pmap_prune_tables(pmap, arch_pmap_table(pte_addr(v)), level + 1,
				      ALIGN_DOWN(va, pt_size(level)), start, end, tables))
			pruned = true;
		if (tp->wire_count)
			continue;
		__atomic_store_n(e, 0, __ATOMIC_SEQ_CST);
		if (level)
			pmap_entry_count(e, -1);
		pmap_table_drop(pmap, tp, tables);
		pruned = true;
	}
	return pruned;
}

kern_return_t pmap_enter(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
			 vm_prot_t prot, bool wired)
{
	return pmap_enter_access(pmap, va, pa, prot, wired, VM_PROT_NONE);
}

kern_return_t pmap_enter_fault(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
			       vm_prot_t prot, bool wired, vm_prot_t access)
{
	return pmap_enter_access(pmap, va, pa, prot, wired, access & prot);
}

static void pmap_remove_locked(pmap_t pmap, vm_offset_t start, vm_offset_t end,
			       struct pmap_pv **freed, struct vm_page **tables)
{
	vm_offset_t va = start;
	bool changed = false;

	while (va < end) {
		unsigned int level;
		pte_t *e = pmap_pt_lookup(&pmap->pt, va, &level);
		vm_offset_t base = ALIGN_DOWN(va, pt_size(level));
		pte_t old;

		if (!pte_valid(READ_ONCE(*e))) {
			va = pt_next(va, level, end);
			continue;
		}
		if (base < va || end - base < pt_size(level)) {
			if (pmap_user_split(pmap, e, base) != KERN_SUCCESS)
				panic("pmap_remove: no memory to split a 2 MiB page");
			continue;
		}
		if (level == PT_LEAF_LEVEL) {
			unsigned long pv_flags = pmap_pv_lock_take();

			old = __atomic_exchange_n(e, 0, __ATOMIC_SEQ_CST);
			pmap_entry_count(e, -1);
			pmap_leaf_gone(pmap, base, old, level, freed);
			pmap_pv_unlock(pv_flags);
		} else {
			old = __atomic_exchange_n(e, 0, __ATOMIC_SEQ_CST);
			pmap_entry_count(e, -1);	/* a 2 MiB leaf, in its level-2 table */
			pmap_leaf_gone(pmap, base, old, level, freed);
		}
		changed = true;
		va = base + pt_size(level);
	}
	if (pmap_prune_tables(pmap, pmap->pt.root, 0, 0, start, end, tables))
		changed = true;
	if (changed)
		pmap_user_flush(pmap, start, end - start);
	pmap_tables_keep(pmap, tables);
}

void pmap_remove(pmap_t pmap, vm_offset_t start, vm_offset_t end)
{
	struct pmap_pv *freed = NULL;
	struct vm_page *tables = NULL;
	unsigned long flags;

	if (!pmap || pmap == kernel_pmap || end <= start ||
	    !pmap_user_range_ok(start, end - start))
		return;
	flags = pmap_user_lock_take(pmap);
	pmap_remove_locked(pmap, start, end, &freed, &tables);
	pmap_user_unlock(pmap, flags);
	pmap_pv_free(freed);
	pmap_tables_free(tables);
}

static pte_t pmap_pte_lower(pte_t e, unsigned long prot)
{
	return pte_user_reprotect(e, pte_user_prot(e) & (vm_prot_t)prot);
}

/*
 * Lower the 4 KiB leaves of one leaf table, e the entry of va, up to stop
 * (in the same table): consecutive entries, no walk per page. Whether any
 * changed.
 */
static bool pmap_protect_leaves(pte_t *e, vm_offset_t va, vm_offset_t stop, vm_prot_t prot)
{
	bool changed = false;

	for (; va < stop; va += PAGE_SIZE, e++) {
		pte_t old = READ_ONCE(*e);

		if (!pte_valid(old) || pmap_pte_lower(old, prot) == old)
			continue;
		pmap_pte_update(e, pmap_pte_lower, prot);
		changed = true;
	}
	return changed;
}

void pmap_protect(pmap_t pmap, vm_offset_t start, vm_offset_t end, vm_prot_t prot)
{
	vm_offset_t va = start;
	unsigned long flags;
	bool changed = false;

	if (!(prot & VM_PROT_READ) && prot != VM_PROT_NONE)
		prot |= VM_PROT_READ;
	if (prot == VM_PROT_NONE) {
		pmap_remove(pmap, start, end);
		return;
	}
	if (!pmap || pmap == kernel_pmap || end <= start ||
	    !pmap_user_range_ok(start, end - start))
		return;
	flags = pmap_user_lock_take(pmap);
	while (va < end) {
		unsigned int level;
		pte_t *e = pmap_pt_lookup(&pmap->pt, va, &level);
		pte_t old = READ_ONCE(*e);
		vm_offset_t base = ALIGN_DOWN(va, pt_size(level));

		if (level == PT_LEAF_LEVEL) {
			vm_offset_t stop = pt_next(va, PT_LEAF_LEVEL - 1, end);

			changed |= pmap_protect_leaves(e, va, stop, prot);
			va = stop;
			continue;
		}
		if (!pte_valid(old) || pmap_pte_lower(old, prot) == old) {
			va = pt_next(va, level, end);
			continue;
		}
		if (base < va || end - base < pt_size(level)) {
			if (pmap_user_split(pmap, e, base) != KERN_SUCCESS)
				panic("pmap_protect: no memory to split a 2 MiB page");
			continue;
		}
		pmap_pte_update(e, pmap_pte_lower, prot);
		changed = true;
		va = base + pt_size(level);
	}
	if (changed)
		pmap_user_flush(pmap, start, end - start);
	pmap_user_unlock(pmap, flags);
}

/*
 * One 2 MiB leaf at va (the pmap's lock held), replacing what was there.
 * KERN_NO_SPACE if a table is there (4 KiB pages were): map below it.
 */
static kern_return_t pmap_enter_2m(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
				   vm_prot_t prot, bool wired, struct pmap_pv **freed,
				   struct vm_page **tables)
{
	unsigned long pages = pt_size(2) / PAGE_SIZE;
	kern_return_t kr;
	pte_t *e;

	pmap_remove_locked(pmap, va, va + pt_size(2), freed, tables);
	kr = pmap_pt_entry(&pmap->pt, va, 2, true, &e);
	if (kr != KERN_SUCCESS)
		return kr;
	if (pte_is_table(READ_ONCE(*e), 2))
		return KERN_NO_SPACE;
	arch_pmap_sync();
	WRITE_ONCE(*e, pte_mk_user_leaf(pa, 2, prot, wired));
	arch_pmap_sync();
	pmap_entry_count(e, 1);
	pmap->resident += pages;
	if (wired)
		pmap->wired += pages;
	return KERN_SUCCESS;
}

kern_return_t pmap_enter_range(pmap_t pmap, vm_offset_t va, phys_addr_t pa,
			       vm_size_t size, vm_prot_t prot, bool wired)
{
	vm_offset_t start = va, end = va + size;
	kern_return_t kr = KERN_SUCCESS;

	if (!pmap || pmap == kernel_pmap || !size || !pmap_user_range_ok(va, size) ||
	    (pa & (PAGE_SIZE - 1)) || !pmap_prot_ok(prot))
		return KERN_INVALID_ARGUMENT;
	while (va < end) {
		vm_size_t step = PAGE_SIZE;

		kr = KERN_NO_SPACE;
		if (!((va | pa) & (pt_size(2) - 1)) && end - va >= pt_size(2)) {
			struct pmap_pv *freed = NULL;
			struct vm_page *tables = NULL;
			unsigned long flags = pmap_user_lock_take(pmap);

			kr = pmap_enter_2m(pmap, va, pa, prot, wired, &freed, &tables);
			pmap_user_unlock(pmap, flags);
			pmap_pv_free(freed);
			pmap_tables_free(tables);
			if (kr == KERN_SUCCESS)
				step = pt_size(2);
		}
		if (kr == KERN_NO_SPACE)
			kr = pmap_enter(pmap, va, pa, prot, wired);
		if (kr != KERN_SUCCESS) {
			pmap_remove(pmap, start, va);
			return kr;
		}
		va += step;
		pa += step;
	}
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Look-ups and wiring
 */

bool pmap_extract(pmap_t pmap, vm_offset_t va, phys_addr_t *pa, vm_prot_t *prot)
{
	unsigned long flags;
	unsigned int level;
	pte_t v;

	if (!pmap || pmap == kernel_pmap || !pmap_user_range_ok(ALIGN_DOWN(va, PAGE_SIZE),
								PAGE_SIZE))
		return false;
	flags = pmap_user_lock_take(pmap);
	v = READ_ONCE(*pmap_pt_lookup(&pmap->pt, va, &level));
	pmap_user_unlock(pmap, flags);
	if (!pte_valid(v))
		return false;
	if (pa)
		*pa = (pte_addr(v) & ~(pt_size(level) - 1)) + (va & (pt_size(level) - 1));
	if (prot)
		*prot = pte_user_prot(v);
	return true;
}

static pte_t pmap_pte_wire(pte_t e, unsigned long wired)
{
	return pte_user_set_wired(e, wired);
}

void pmap_change_wiring(pmap_t pmap, vm_offset_t va, bool wired)
{
	unsigned long flags;
	unsigned int level;
	pte_t *e, old;

	if (!pmap || pmap == kernel_pmap || !pmap_user_range_ok(ALIGN_DOWN(va, PAGE_SIZE),
								PAGE_SIZE))
		return;
	flags = pmap_user_lock_take(pmap);
	e = pmap_pt_lookup(&pmap->pt, va, &level);
	if (pte_valid(READ_ONCE(*e))) {
		old = pmap_pte_update(e, pmap_pte_wire, wired);
		if (pte_user_wired(old) != wired) {
			if (wired)
				pmap->wired += pt_size(level) / PAGE_SIZE;
			else
				pmap->wired -= pt_size(level) / PAGE_SIZE;
		}
	}
	pmap_user_unlock(pmap, flags);
}

unsigned long pmap_resident_count(pmap_t pmap)
{
	return pmap && pmap != kernel_pmap ? READ_ONCE(pmap->resident) : 0;
}

unsigned long pmap_wired_count(pmap_t pmap)
{
	return pmap && pmap != kernel_pmap ? READ_ONCE(pmap->wired) : 0;
}

unsigned long pmap_user_page_count(void)
{
	return __atomic_load_n(&pmap_user_pages, __ATOMIC_RELAXED);
}

unsigned long pmap_pv_zone_in_use(void)
{
	struct zone_stats st;

	zone_get_stats(pmap_pv_zone, &st);
	return st.in_use;
}

unsigned long pmap_table_pages(pmap_t pmap)
{
	return pmap && pmap != kernel_pmap ? READ_ONCE(pmap->pt.tables) + 1 : 0;
}

/* ------------------------------------------------------------------------
 * The reverse map: by physical page
 */

/* The leaf of a reverse-map entry: a 4 KiB page, there by construction. */
static pte_t *pmap_pv_pte(const struct pmap_pv *pv)
{
	unsigned int level;
	pte_t *e = pmap_pt_lookup(&pv->pmap->pt, pv->va, &level);

	if (level != PT_LEAF_LEVEL || !pte_valid(READ_ONCE(*e)))
		panic("pmap: reverse map of %p va %#lx has no 4 KiB leaf", pv->pmap,
		      (unsigned long)pv->va);
	return e;
}

void pmap_page_protect(phys_addr_t pa, vm_prot_t prot)
{
	pmap_page_protect_options(pa, prot, NULL);
}

void pmap_page_protect_options(phys_addr_t pa, vm_prot_t prot,
			       struct pmap_flush_context *pfc)
{
	struct vm_page *page = pmap_managed_page(ALIGN_DOWN(pa, PAGE_SIZE));
	struct pmap_pv *pv, *freed = NULL;
	unsigned long flags;

	if (!page)
		return;
	if (prot != VM_PROT_NONE)
		prot |= VM_PROT_READ;
	flags = pmap_pv_lock_take();
	if (prot == VM_PROT_NONE) {
		while ((pv = page->pv_list)) {
			pmap_t pmap = pv->pmap;
			vm_offset_t va = pv->va;
			pte_t *e, old;

			if (!pmap_pv_lock_pmap(pv, &flags))
				continue;
			e = pmap_pv_pte(pv);
			old = __atomic_exchange_n(e, 0, __ATOMIC_SEQ_CST);
			pmap_entry_count(e, -1);	/* an empty table stays until a remove */
			pmap_leaf_gone(pmap, va, old, PT_LEAF_LEVEL, &freed);
			pmap_user_flush_page(pmap, va, pfc);
			__spin_release(&pmap->lock);
		}
	} else {
restart:
		for (pv = page->pv_list; pv; pv = pv->next) {
			pte_t *e = pmap_pv_pte(pv);

			if (pmap_pte_lower(READ_ONCE(*e), prot) == READ_ONCE(*e))
				continue;
			if (!pmap_pv_lock_pmap(pv, &flags))
				goto restart;
			pmap_pte_update(e, pmap_pte_lower, prot);
			pmap_user_flush_page(pv->pmap, pv->va, pfc);
			__spin_release(&pv->pmap->lock);
		}
	}
	pmap_pv_unlock(flags);
	pmap_pv_free(freed);
}

/*
 * The saved bit or any mapping's: whether the page was referenced /
 * modified. The pv lock alone: a listed entry's leaf stays (above).
 */
static bool pmap_page_test(phys_addr_t pa, unsigned long attr)
{
	struct vm_page *page = pmap_managed_page(ALIGN_DOWN(pa, PAGE_SIZE));
	struct pmap_pv *pv;
	unsigned long flags;
	bool set;

	if (!page)
		return false;
	flags = pmap_pv_lock_take();
	set = page->pmap_attrs & attr;
	for (pv = page->pv_list; pv && !set; pv = pv->next) {
		pte_t v = READ_ONCE(*pmap_pv_pte(pv));

		set = attr == PMAP_ATTR_MODIFIED ? pte_user_modified(v) : pte_user_referenced(v);
	}
	pmap_pv_unlock(flags);
	return set;
}

static pte_t pmap_pte_clear(pte_t e, unsigned long attr)
{
	return attr == PMAP_ATTR_MODIFIED ? pte_user_clear_mod(e) : pte_user_clear_ref(e);
}

static void pmap_page_clear(phys_addr_t pa, unsigned long attr)
{
	struct vm_page *page = pmap_managed_page(ALIGN_DOWN(pa, PAGE_SIZE));
	struct pmap_pv *pv;
	unsigned long flags;

	if (!page)
		return;
	flags = pmap_pv_lock_take();
restart:
	/* Again after a restart: a mapping gone meanwhile saved its bit here. */
	page->pmap_attrs &= ~attr;
	for (pv = page->pv_list; pv; pv = pv->next) {
		pte_t *e = pmap_pv_pte(pv);

		if (pmap_pte_clear(READ_ONCE(*e), attr) == READ_ONCE(*e))
			continue;
		if (!pmap_pv_lock_pmap(pv, &flags))
			goto restart;
		pmap_pte_update(e, pmap_pte_clear, attr);
		/* The TLB may hold the bit set: the next access must set it again. */
		pmap_user_flush(pv->pmap, pv->va, PAGE_SIZE);
		__spin_release(&pv->pmap->lock);
	}
	pmap_pv_unlock(flags);
}

void pmap_clear_page_attrs(struct vm_page *page)
{
	if (unlikely(page->pv_list))
		panic("pmap_clear_page_attrs: the page at %#llx is mapped",
		      (unsigned long long)page->phys_addr);
	page->pmap_attrs = 0;
}

bool pmap_is_modified(phys_addr_t pa)
{
	return pmap_page_test(pa, PMAP_ATTR_MODIFIED);
}

bool pmap_is_referenced(phys_addr_t pa)
{
	return pmap_page_test(pa, PMAP_ATTR_REFERENCED);
}

void pmap_clear_modify(phys_addr_t pa)
{
	pmap_page_clear(pa, PMAP_ATTR_MODIFIED);
}

void pmap_clear_reference(phys_addr_t pa)
{
	pmap_page_clear(pa, PMAP_ATTR_REFERENCED);
}

/* ------------------------------------------------------------------------
 * pmap_walk, pmap_dump
 */

static unsigned int pmap_leaf_attrs(pte_t v)
{
	return (pte_user_wired(v) ? PMAP_RUN_WIRED : 0) |
	       (pte_user_referenced(v) ? PMAP_RUN_REFERENCED : 0) |
	       (pte_user_modified(v) ? PMAP_RUN_MODIFIED : 0);
}

void pmap_walk(pmap_t pmap, vm_offset_t start, vm_offset_t end,
	       void (*fn)(const struct pmap_run *run, void *arg), void *arg)
{
	vm_offset_t va = ALIGN_DOWN(start, PAGE_SIZE);
	const struct pmap_run none = { .len = 0 };
	struct pmap_run run = none, leaf;
	unsigned long flags;

	if (!pmap || pmap == kernel_pmap) {
		if (end > start)
			pmap_kernel_walk(start, end - start, fn, arg);
		return;
	}
	if (end > VM_MAX_USER_ADDRESS)
		end = VM_MAX_USER_ADDRESS;
	flags = pmap_user_lock_take(pmap);
	while (va < end) {
		unsigned int level;
		pte_t v = READ_ONCE(*pmap_pt_lookup(&pmap->pt, va, &level));
		vm_size_t ps = pt_size(level);
		vm_offset_t next = pt_next(va, level, end);

		leaf = none;
		if (pte_valid(v))
			leaf = (struct pmap_run){ .va = va, .len = next - va, .page_size = ps,
				.pa = (pte_addr(v) & ~(ps - 1)) + (va & (ps - 1)),
				.prot = pte_user_prot(v), .attrs = pmap_leaf_attrs(v) };
		pmap_run_add(&run, &leaf, fn, arg);
		va = next;
	}
	pmap_run_add(&run, &none, fn, arg);
	pmap_user_unlock(pmap, flags);
}

static void pmap_dump_run(const struct pmap_run *r, void *arg)
{
	(void)arg;
	pr_info("  %016lx-%016lx -> %#011llx %c%c%c %s%s%s%s\n", (unsigned long)r->va,
		(unsigned long)(r->va + r->len - 1), (unsigned long long)r->pa, 'r',
		(r->prot & VM_PROT_WRITE) ? 'w' : '-', (r->prot & VM_PROT_EXECUTE) ? 'x' : '-',
		r->page_size == pt_size(2) ? "2M" : "4K",
		(r->attrs & PMAP_RUN_REFERENCED) ? " ref" : "",
		(r->attrs & PMAP_RUN_MODIFIED) ? " mod" : "",
		(r->attrs & PMAP_RUN_WIRED) ? " wired" : "");
}

void pmap_dump(pmap_t pmap, vm_offset_t start, vm_offset_t end)
{
	if (!pmap || pmap == kernel_pmap) {
		pmap_kernel_dump(start, end - start);
		return;
	}
	pr_info("pmap %p: %lu resident, %lu wired, %lu table pages, context %#llx, "
		"CPUs %#llx\n", pmap, pmap->resident, pmap->wired, pmap_table_pages(pmap),
		(unsigned long long)pmap->context, (unsigned long long)pmap_cpus_loaded(pmap));
	pmap_walk(pmap, start, end, pmap_dump_run, NULL);
}

/* ------------------------------------------------------------------------
 * Initialisation
 */

static int pmap_user_init(void)
{
	pmap_zone = zone_create("pmap", sizeof(struct pmap), 0, 0);
	pmap_pv_zone = zone_create("pmap.pv", sizeof(struct pmap_pv), 0, 0);
	if (!pmap_zone || !pmap_pv_zone)
		panic("pmap: cannot create the pmap zones");
	pmap_asid_hw = arch_pmap_user_init();
	if (pmap_asid_hw > PMAP_ASID_MAX)
		pmap_asid_hw = PMAP_ASID_MAX;
	pmap_asid_limit = pmap_asid_hw;
	pmap_asid_next = 1;
	pmap_asid_test_and_set(0);
	pr_info("pmap: user address spaces %#lx-%#lx, %u %s\n",
		(unsigned long)VM_MIN_USER_ADDRESS, (unsigned long)VM_MAX_USER_ADDRESS - 1,
		pmap_asid_hw, pmap_asid_hw ? "ASIDs" : "ASIDs (untagged TLB)");
	return 0;
}
KERNEL_INIT(CORE, pmap_user_init);

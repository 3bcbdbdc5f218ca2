// SPDX-License-Identifier: MIT
/*
 * The kernel pmap: map, unmap, protect and look up kernel virtual
 * addresses in the kernel's page tables (<kern/pmap.h>).
 *
 * x86_64 and arm64 both walk four levels of 512-entry tables with 4 KiB
 * pages, 2 MiB and 1 GiB leaves one and two levels up, so this file does
 * the walking for both; <asm/pgtable.h> encodes the entries and
 * arch/<arch>/kernel/pmap.c builds the first tables (arch_vm_bootstrap())
 * and keeps the TLBs right (arch_pmap_flush()). See
 * Documentation/mm/kernel-address-space.rst.
 *
 * Every change of the live tables is made under pmap_kernel_lock. A large
 * leaf that is only partly removed or re-protected is first split into a
 * table of leaves one level down (a 1 GiB page into 2 MiB pages, a 2 MiB
 * page into 4 KiB pages); on arm64 that replacement is break-before-make.
 */
#include <kern/arch.h>
#include <kern/bootmem.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/vm_page.h>
#include <mm/pmap_kernel.h>

struct pmap_pt pmap_kernel_pt;

static spinlock_t pmap_kernel_lock = SPINLOCK_INIT;
static unsigned long pmap_table_count;	/* page-table pages in use */
static bool pmap_ready;

/*
 * Take the lock with interrupts off, but wait for it with the caller's
 * interrupt state, and answering TLB shootdowns: the holder may be waiting
 * for this CPU to answer one.
 */
unsigned long pmap_spin_lock(spinlock_t *lock)
{
	unsigned long flags = arch_irq_save();

	while (!__spin_try_acquire(lock)) {
		arch_irq_restore(flags);
		while (spin_is_locked(lock)) {
			arch_pmap_lock_wait();
			arch_cpu_relax();
		}
		flags = arch_irq_save();
	}
	return flags;
}

static unsigned long pmap_lock(void)
{
	return pmap_spin_lock(&pmap_kernel_lock);
}

static void pmap_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&pmap_kernel_lock, flags);
}

/* ------------------------------------------------------------------------
 * Page-table pages
 */

kern_return_t pmap_table_alloc(phys_addr_t *pa)
{
	if (vm_page_ready()) {
		struct vm_page *page = vm_page_alloc(0);

		if (!page)
			return KERN_RESOURCE_SHORTAGE;
		*pa = vm_page_to_phys(page);
	} else if (bootmem_alloc(&boot_memmap, PAGE_SIZE, PAGE_SIZE, pa) != KERN_SUCCESS) {
		return KERN_RESOURCE_SHORTAGE;
	}
	memset(arch_pmap_table(*pa), 0, PAGE_SIZE);
	pmap_table_count++;
	return KERN_SUCCESS;
}

/*
 * The page of a table that can go back to the page allocator, or NULL for
 * one that stays: taken from bootmem or part of the image (arm64's boot
 * tables) before the allocator existed.
 */
static struct vm_page *pmap_table_page(phys_addr_t pa)
{
	struct vm_page *page;

	if (!vm_page_ready())
		return NULL;
	page = vm_page_from_phys(pa);
	return page && page->state == VM_PAGE_ALLOCATED ? page : NULL;
}

unsigned long pmap_kernel_table_pages(void)
{
	return READ_ONCE(pmap_table_count);
}

/* ------------------------------------------------------------------------
 * Walking
 */

/*
 * The entry that decides va's translation: a leaf, or the invalid entry
 * where the walk stops. *level is its level.
 */
pte_t *pmap_pt_lookup(struct pmap_pt *pt, vm_offset_t va, unsigned int *level)
{
	pte_t *table = pt->root;
	unsigned int l;

	for (l = 0;; l++) {
		pte_t *e = &table[pt_index(va, l)];
		pte_t v = READ_ONCE(*e);

		if (!pte_is_table(v, l)) {
			*level = l;
			return e;
		}
		table = arch_pmap_table(pte_addr(v));
	}
}

/*
 * The entry of va at `level`, making the tables above it if `create`.
 * KERN_NO_SPACE if a larger leaf covers va, KERN_INVALID_ADDRESS if a table
 * is missing and !create.
 */
kern_return_t pmap_pt_entry(struct pmap_pt *pt, vm_offset_t va, unsigned int level,
			    bool create, pte_t **entry)
{
	pte_t *table = pt->root;
	unsigned int l;

	for (l = 0; l < level; l++) {
		pte_t *e = &table[pt_index(va, l)];
		pte_t v = READ_ONCE(*e);

		if (!pte_valid(v)) {
			phys_addr_t pa;
			kern_return_t kr;

			if (!create)
				return KERN_INVALID_ADDRESS;
			kr = pt->user ? pmap_user_table_alloc(pt, &pa) : pmap_table_alloc(&pa);
			if (kr != KERN_SUCCESS)
				return kr;
			v = pt->user ? pte_mk_user_table(pa) : pte_mk_table(pa);
			/* The zeroed table first, then the entry that links it. */
			barrier();
			arch_pmap_sync();
			WRITE_ONCE(*e, v);
			if (pt->user && l > 0)
				pmap_user_table_linked(e);	/* counted below the root */
		} else if (!pte_is_table(v, l)) {
			return KERN_NO_SPACE;
		}
		table = arch_pmap_table(pte_addr(v));
	}
	*entry = &table[pt_index(va, level)];
	return KERN_SUCCESS;
}

/* Whether some / every page of [va, end) is mapped. */
static bool pmap_range_mapped(struct pmap_pt *pt, vm_offset_t va, vm_offset_t end, bool every)
{
	while (va < end) {
		unsigned int level;
		pte_t *e = pmap_pt_lookup(pt, va, &level);

		if (pte_valid(READ_ONCE(*e)) != every)
			return !every;
		va = pt_next(va, level, end);
	}
	return every;
}

/*
 * Replace the leaf *e of `level` (covering [base, base + its size)) with a
 * table of leaves one level down that map the same pages the same way.
 */
static kern_return_t pmap_split(struct pmap_pt *pt, pte_t *e, unsigned int level,
				vm_offset_t base)
{
	pte_t old = READ_ONCE(*e);
	vm_size_t child = pt_size(level + 1);
	phys_addr_t pa = pte_addr(old) & ~(pt_size(level) - 1);
	phys_addr_t table_pa;
	kern_return_t kr;
	pte_t *table;
	unsigned int i;

	kr = pmap_table_alloc(&table_pa);
	if (kr != KERN_SUCCESS)
		return kr;
	table = arch_pmap_table(table_pa);
	for (i = 0; i < PT_ENTRIES; i++)
		table[i] = pte_mk_leaf(pa + i * child, level + 1, pte_prot(old), pte_attr(old));
	barrier();

	if (pt->live && PT_BREAK_BEFORE_MAKE) {
		WRITE_ONCE(*e, 0);
		arch_pmap_flush(base, pt_size(level));
	}
	arch_pmap_sync();
	WRITE_ONCE(*e, pte_mk_table(table_pa));
	if (pt->live && !PT_BREAK_BEFORE_MAKE)
		arch_pmap_flush(base, pt_size(level));
	arch_pmap_sync();
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * The operations, on any tree
 */

/* Map one leaf at va, the largest that fits; *mapped is its size. */
static kern_return_t pmap_map_leaf(struct pmap_pt *pt, vm_offset_t va, phys_addr_t pa,
				   vm_size_t left, vm_prot_t prot, unsigned int attr,
				   unsigned int flags, vm_size_t *mapped)
{
	unsigned int level = (flags & PMAP_MAP_HUGE) ? 1 : 2;

	for (; level <= PT_LEAF_LEVEL; level++) {
		vm_size_t size = pt_size(level);
		kern_return_t kr;
		pte_t *e;

		if (!pt_leaf_level_ok(level) || left < size || ((va | pa) & (size - 1)))
			continue;
		kr = pmap_pt_entry(pt, va, level, true, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		if (pte_is_table(READ_ONCE(*e), level))
			continue;	/* a table is there: map below it */
		if (pte_valid(READ_ONCE(*e)))
			return KERN_NO_SPACE;
		WRITE_ONCE(*e, pte_mk_leaf(pa, level, prot, attr));
		*mapped = size;
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

/* Free the tables under [start, end) that map nothing any more. */
static void pmap_reclaim_entry(struct pmap_pt *pt, vm_offset_t va, unsigned int level)
{
	struct vm_page *page;
	pte_t *e, *table;
	unsigned int i;

	if (pmap_pt_entry(pt, va, level, false, &e) != KERN_SUCCESS ||
	    !pte_is_table(READ_ONCE(*e), level))
		return;
	page = pmap_table_page(pte_addr(*e));
	if (!page)
		return;
	table = arch_pmap_table(pte_addr(*e));
	for (i = 0; i < PT_ENTRIES; i++)
		if (table[i])
			return;
	WRITE_ONCE(*e, 0);
	/* No CPU may still walk through the table when it is reused. */
	if (pt->live)
		arch_pmap_flush(ALIGN_DOWN(va, pt_size(level)), pt_size(level));
	vm_page_free(page, 0);
	pmap_table_count--;
}

/*
 * Bottom-up, so that a level-2 table emptied by freeing its level-3 tables
 * goes too. The level-1 tables stay: their root entries are fixed at boot
 * (x86_64 user address spaces will copy the kernel half of the root).
 */
static void pmap_reclaim(struct pmap_pt *pt, vm_offset_t start, vm_offset_t end)
{
	unsigned int level;

	for (level = PT_LEAF_LEVEL - 1; level >= 1; level--) {
		vm_offset_t va = ALIGN_DOWN(start, pt_size(level));

		while (va < end) {
			pmap_reclaim_entry(pt, va, level);
			if (va + pt_size(level) <= va)
				break;
			va += pt_size(level);
		}
	}
}

static kern_return_t pmap_pt_remove(struct pmap_pt *pt, vm_offset_t va, vm_offset_t end)
{
	vm_offset_t start = va;
	kern_return_t kr = KERN_SUCCESS;
	bool changed = false;

	while (va < end) {
		unsigned int level;
		pte_t *e = pmap_pt_lookup(pt, va, &level);
		vm_size_t size = pt_size(level);
		vm_offset_t base = ALIGN_DOWN(va, size);

		if (!pte_valid(READ_ONCE(*e))) {
			va = pt_next(va, level, end);
			continue;
		}
		if (base < va || end - base < size) {
			kr = pmap_split(pt, e, level, base);
			if (kr != KERN_SUCCESS)
				break;
			continue;
		}
		WRITE_ONCE(*e, 0);
		changed = true;
		va = base + size;
	}
	if (changed && pt->live)
		arch_pmap_flush(start, end - start);
	pmap_reclaim(pt, start, end);
	return kr;
}

kern_return_t pmap_pt_map(struct pmap_pt *pt, vm_offset_t va, phys_addr_t pa,
			  vm_size_t size, vm_prot_t prot, unsigned int attr,
			  unsigned int flags)
{
	vm_offset_t start = va, end = va + size;
	kern_return_t kr;
	vm_size_t mapped;

	if (pmap_range_mapped(pt, va, end, false))
		return KERN_NO_SPACE;
	while (va < end) {
		kr = pmap_map_leaf(pt, va, pa, end - va, prot, attr, flags, &mapped);
		if (kr != KERN_SUCCESS) {
			if (va > start)
				pmap_pt_remove(pt, start, va);
			return kr;
		}
		va += mapped;
		pa += mapped;
	}
	/* Invalid to valid: no TLB holds the old state, the walker must see the new. */
	arch_pmap_sync();
	return KERN_SUCCESS;
}

kern_return_t pmap_pt_protect(struct pmap_pt *pt, vm_offset_t va, vm_size_t size,
			      vm_prot_t prot)
{
	vm_offset_t start = va, end = va + size;
	kern_return_t kr = KERN_SUCCESS;
	bool changed = false;

	if (!pmap_range_mapped(pt, va, end, true))
		return KERN_INVALID_ADDRESS;
	while (va < end) {
		unsigned int level;
		pte_t *e = pmap_pt_lookup(pt, va, &level);
		pte_t old = READ_ONCE(*e);
		vm_size_t size_l = pt_size(level);
		vm_offset_t base = ALIGN_DOWN(va, size_l);
		pte_t new = pte_mk_leaf(pte_addr(old) & ~(size_l - 1), level, prot,
					pte_attr(old));

		if (new == old) {
			va = pt_next(va, level, end);
			continue;
		}
		if (base < va || end - base < size_l) {
			kr = pmap_split(pt, e, level, base);
			if (kr != KERN_SUCCESS)
				break;
			continue;
		}
		/* Only permissions change: no break-before-make needed. */
		WRITE_ONCE(*e, new);
		changed = true;
		va = base + size_l;
	}
	if (changed && pt->live)
		arch_pmap_flush(start, end - start);
	return kr;
}

kern_return_t pmap_pt_prealloc(struct pmap_pt *pt, vm_offset_t va, vm_size_t size)
{
	vm_offset_t end = va + size;
	kern_return_t kr;
	pte_t *e;

	va = ALIGN_DOWN(va, pt_size(0));
	while (va < end) {
		kr = pmap_pt_entry(pt, va, 1, true, &e);
		if (kr != KERN_SUCCESS)
			return kr;
		if (va + pt_size(0) <= va)
			break;
		va += pt_size(0);
	}
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * <kern/pmap.h>
 */

void pmap_kernel_set_ready(void)
{
	pmap_kernel_pt.live = true;
	pmap_ready = true;
}

bool pmap_kernel_ready(void)
{
	return pmap_ready;
}

static kern_return_t pmap_check_range(vm_offset_t va, vm_size_t size)
{
	if (size == 0 || ((va | size) & (PAGE_SIZE - 1)) || va + size < va ||
	    !arch_kernel_address(va))
		return KERN_INVALID_ARGUMENT;
	if (!pmap_ready)
		return KERN_FAILURE;
	return KERN_SUCCESS;
}

static kern_return_t pmap_check_prot(vm_prot_t prot)
{
	if (prot & ~VM_PROT_ALL)
		return KERN_INVALID_ARGUMENT;
	if ((prot & (VM_PROT_WRITE | VM_PROT_EXECUTE)) == (VM_PROT_WRITE | VM_PROT_EXECUTE))
		return KERN_INVALID_ARGUMENT;	/* W^X */
	return KERN_SUCCESS;
}

kern_return_t pmap_kernel_enter_attr(vm_offset_t va, phys_addr_t pa, vm_size_t size,
				     vm_prot_t prot, unsigned int attr)
{
	unsigned long flags;
	kern_return_t kr;

	kr = pmap_check_range(va, size);
	if (kr == KERN_SUCCESS)
		kr = pmap_check_prot(prot);
	if (kr == KERN_SUCCESS && ((pa & (PAGE_SIZE - 1)) || pa + size < pa))
		kr = KERN_INVALID_ARGUMENT;
	if (kr != KERN_SUCCESS)
		return kr;
	flags = pmap_lock();
	kr = pmap_pt_map(&pmap_kernel_pt, va, pa, size, prot | VM_PROT_READ, attr, 0);
	pmap_unlock(flags);
	return kr;
}

kern_return_t pmap_kernel_enter(vm_offset_t va, phys_addr_t pa, vm_size_t size,
				vm_prot_t prot)
{
	return pmap_kernel_enter_attr(va, pa, size, prot, PT_ATTR_NORMAL);
}

kern_return_t pmap_kernel_remove(vm_offset_t va, vm_size_t size)
{
	unsigned long flags;
	kern_return_t kr;

	kr = pmap_check_range(va, size);
	if (kr != KERN_SUCCESS)
		return kr;
	flags = pmap_lock();
	kr = pmap_pt_remove(&pmap_kernel_pt, va, va + size);
	pmap_unlock(flags);
	return kr;
}

kern_return_t pmap_kernel_protect(vm_offset_t va, vm_size_t size, vm_prot_t prot)
{
	unsigned long flags;
	kern_return_t kr;

	kr = pmap_check_range(va, size);
	if (kr == KERN_SUCCESS)
		kr = pmap_check_prot(prot);
	if (kr != KERN_SUCCESS)
		return kr;
	flags = pmap_lock();
	kr = pmap_pt_protect(&pmap_kernel_pt, va, size, prot | VM_PROT_READ);
	pmap_unlock(flags);
	return kr;
}

kern_return_t pmap_kernel_extract(vm_offset_t va, phys_addr_t *pa,
				  vm_prot_t *prot, vm_size_t *page_size)
{
	unsigned long flags;
	unsigned int level;
	vm_size_t size;
	pte_t v;

	if (!arch_kernel_address(va))
		return KERN_INVALID_ARGUMENT;
	if (!pmap_ready)
		return KERN_INVALID_ADDRESS;
	flags = pmap_lock();
	v = READ_ONCE(*pmap_pt_lookup(&pmap_kernel_pt, va, &level));
	pmap_unlock(flags);
	if (!pte_valid(v))
		return KERN_INVALID_ADDRESS;
	size = pt_size(level);
	if (pa)
		*pa = (pte_addr(v) & ~(size - 1)) + (va & (size - 1));
	if (prot)
		*prot = pte_prot(v);
	if (page_size)
		*page_size = size;
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * pmap_kernel_walk, pmap_kernel_dump
 */

void pmap_kernel_walk(vm_offset_t va, vm_size_t size,
		      void (*fn)(const struct pmap_run *run, void *arg), void *arg)
{
	vm_offset_t end = va + size < va ? ~(vm_offset_t)0 : va + size;
	const struct pmap_run none = { .len = 0 };
	struct pmap_run run = none, leaf;
	unsigned long flags;

	if (!pmap_ready)
		return;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	flags = pmap_lock();
	while (va < end) {
		unsigned int level;
		pte_t v = READ_ONCE(*pmap_pt_lookup(&pmap_kernel_pt, va, &level));
		vm_size_t ps = pt_size(level);
		vm_offset_t next = pt_next(va, level, end);

		leaf = none;
		if (pte_valid(v))
			leaf = (struct pmap_run){ .va = va, .len = next - va, .page_size = ps,
				.pa = (pte_addr(v) & ~(ps - 1)) + (va & (ps - 1)),
				.prot = pte_prot(v), .device = pte_attr(v) == PT_ATTR_DEVICE };
		pmap_run_add(&run, &leaf, fn, arg);
		va = next;
	}
	pmap_run_add(&run, &none, fn, arg);
	pmap_unlock(flags);
}

static const char *pmap_size_name(vm_size_t size)
{
	return size == pt_size(1) ? "1G" : size == pt_size(2) ? "2M" : "4K";
}

static void pmap_run_print(const struct pmap_run *r, void *arg)
{
	(void)arg;
	pr_info("  %016lx-%016lx -> %#011llx %c%c%c %s %s\n",
		(unsigned long)r->va, (unsigned long)(r->va + r->len - 1),
		(unsigned long long)r->pa,
		'r', (r->prot & VM_PROT_WRITE) ? 'w' : '-',
		(r->prot & VM_PROT_EXECUTE) ? 'x' : '-', pmap_size_name(r->page_size),
		r->device ? "device" : "normal");
}

void pmap_kernel_dump(vm_offset_t va, vm_size_t size)
{
	vm_offset_t end = va + size < va ? ~(vm_offset_t)0 : va + size;

	if (!pmap_ready)
		return;
	pr_info("pmap: kernel mappings %016lx-%016lx:\n",
		(unsigned long)ALIGN_DOWN(va, PAGE_SIZE), (unsigned long)(end - 1));
	pmap_kernel_walk(va, size, pmap_run_print, NULL);
}

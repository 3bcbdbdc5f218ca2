/* SPDX-License-Identifier: MIT */
/*
 * The physical page allocator: one struct vm_page per page of RAM, and a
 * buddy allocator that hands out single pages and naturally aligned runs of
 * 2^order pages (order 0 .. VM_PAGE_MAX_ORDER). See
 * Documentation/mm/physical-memory.rst.
 *
 * vm_page_bootstrap() takes every USABLE range of the boot memory map once
 * arch_vm_bootstrap() has built the direct map; from then on bootmem_alloc()
 * must not be called any more (vm_page_ready() tells which one to use).
 *
 *	struct vm_page *p = vm_page_alloc(0);
 *	if (p == NULL)
 *		return KERN_RESOURCE_SHORTAGE;
 *	memset(vm_page_to_virt(p), 0, PAGE_SIZE);
 *	...
 *	vm_page_free(p, 0);
 *
 * All functions may be called with interrupts disabled and from any CPU.
 */
#ifndef _KERN_VM_PAGE_H
#define _KERN_VM_PAGE_H

#include <kern/types.h>
#include <asm/memory.h>		/* PAGE_SIZE, PAGE_SHIFT, phys_to_virt() */

/* Orders 0 .. 10: a single page up to 4 MiB runs. */
#define VM_PAGE_MAX_ORDER	10
#define VM_PAGE_NR_ORDERS	(VM_PAGE_MAX_ORDER + 1)

/* The size in bytes of a run of the given order. */
#define VM_PAGE_ORDER_SIZE(order)	((vm_size_t)PAGE_SIZE << (order))

/* struct vm_page.state */
enum vm_page_state {
	VM_PAGE_RESERVED = 0,	/* not managed: a hole, the kernel, firmware */
	VM_PAGE_FREE,		/* in a buddy free list (head or tail of a run) */
	VM_PAGE_CACHED,		/* free, in a CPU's single-page cache */
	VM_PAGE_ALLOCATED,	/* handed out (wired): head or tail of a run */
};

/* struct vm_page.order of the pages of a run after its first one. */
#define VM_PAGE_ORDER_TAIL	0xff

struct zone;
struct vm_object;
struct pmap;

/* One user mapping of a physical page: the pmap's reverse map (mm/pmap_user.c). */
struct pmap_pv {
	struct pmap_pv	*next;
	struct pmap	*pmap;		/* NULL: pv_first is free */
	vm_offset_t	va;
};

/*
 * One per physical page between the lowest and the highest usable address.
 * 112 bytes (vm_page_from_phys() is a multiply and an add), 2.7% of the
 * page; 24 of them are the reverse map's entry for the first mapping.
 */
struct vm_page {
	/*
	 * The list the page is on: the buddy free list of its order while
	 * free (head pages only), a zone's chunk list while a zone owns it.
	 * The VM will use the same links for its paging queues (active,
	 * inactive), which only hold pages that are neither.
	 */
	struct vm_page		*next;
	struct vm_page		*prev;
	phys_addr_t		phys_addr;
	uint8_t			state;		/* enum vm_page_state */
	uint8_t			order;		/* of the run it heads, or _TAIL */
	/*
	 * Room for the VM's page flags (busy, wanted, absent, error, dirty,
	 * precious, ...) and wire count: they arrive with vm_object.
	 */
	uint16_t		vm_flags;
	uint32_t		wire_count;

	/*
	 * The pmap's reverse map (mm/pmap_user.c): every user mapping of
	 * the page, and the referenced / modified bits of mappings gone.
	 * pv_first is the entry of one of them, the page's own (as Mach's
	 * pv_head_table): most pages have one mapping, which then needs no
	 * entry from the zone.
	 */
	struct pmap_pv		*pv_list;
	unsigned long		pmap_attrs;
	struct pmap_pv		pv_first;

	/* What owns the page while it is allocated. */
	union {
		/* A zone: the first page of a zone chunk (kernel/zalloc.c). */
		struct {
			struct zone	*zone;
			void		*zone_free;	/* free elements */
			uint32_t	zone_nfree;	/* how many */
			uint16_t	zone_list;	/* the zone list it is on */
		};
		/*
		 * The VM (mm/vm_resident.c, <kern/vm_object.h>): the object
		 * that holds the page, the offset in that object, the next
		 * page of its (object, offset) hash bucket and of the
		 * object's list of resident pages, and the link that points
		 * at the page in that list (removal without a walk).
		 */
		struct {
			struct vm_object *object;
			uint64_t	offset;
			struct vm_page	*hash_next;
			struct vm_page	*listq_next;
			struct vm_page	**listq_pprev;
		};
	};
};

/* Build the allocator from the boot memory map (after arch_vm_bootstrap()). */
void vm_page_bootstrap(void);

/* True once vm_page_bootstrap() has run: bootmem_alloc() is then finished. */
bool vm_page_ready(void);

/*
 * A run of 2^order contiguous pages, aligned to its size, or NULL when no
 * such run is free (or order > VM_PAGE_MAX_ORDER). Never panics, never
 * sleeps. The contents are not cleared.
 */
struct vm_page *vm_page_alloc(unsigned int order);

/*
 * Give back a run from vm_page_alloc() with the same order. Panics on a
 * double free, a wrong order, a page that is not the head of its run or a
 * page the allocator does not manage.
 */
void vm_page_free(struct vm_page *page, unsigned int order);

/*
 * The page array, for the inline lookups below (set by vm_page_bootstrap(),
 * read-only afterwards): page frame vm_page_base_pfn + i is
 * vm_page_array[i], for i < vm_page_nr.
 */
extern struct vm_page *vm_page_array;
extern unsigned long vm_page_base_pfn;
extern unsigned long vm_page_nr;

/* The page of a physical address, or NULL if the allocator has none there. */
static inline struct vm_page *vm_page_from_phys(phys_addr_t pa)
{
	unsigned long i = (unsigned long)(pa >> PAGE_SHIFT) - vm_page_base_pfn;

	if (i >= vm_page_nr)
		return NULL;
	return &vm_page_array[i];
}

static inline phys_addr_t vm_page_to_phys(const struct vm_page *page)
{
	return page->phys_addr;
}

/* The page's kernel address in the direct map. */
static inline void *vm_page_to_virt(const struct vm_page *page)
{
	return phys_to_virt(page->phys_addr);
}

/* The page of a direct-map address, or NULL. */
static inline struct vm_page *vm_page_from_virt(const void *va)
{
	return vm_page_from_phys(virt_to_phys(va));
}

/*
 * Give this CPU's cache of single pages back to the buddy lists (tests and
 * memory pressure: each CPU keeps up to 32 free single pages away from
 * coalescing, so that vm_page_alloc(0)/vm_page_free(p, 0) rarely take the
 * allocator's lock).
 */
void vm_page_cache_drain(void);

struct vm_page_stats {
	unsigned long	total;		/* pages the allocator manages */
	unsigned long	free;		/* buddy lists and CPU caches */
	unsigned long	cached;		/* of those, in CPU caches */
	unsigned long	allocated;	/* handed out now */
	unsigned long	high_water;	/* the most ever handed out at once */
	unsigned long	failures;	/* vm_page_alloc() calls that got NULL */
	unsigned long	free_runs[VM_PAGE_NR_ORDERS];	/* free runs of each order */
};

void vm_page_get_stats(struct vm_page_stats *stats);

/* Pages free now (buddy lists and CPU caches): cheap, for the pageout daemon. */
unsigned long vm_page_free_count(void);

/*
 * Pre-zeroed pages (mm/vm_page_zero.c): a pool the vm_zero thread fills
 * when a CPU would idle, counted as free above. vm_page_alloc_zeroed()
 * takes one, or allocates and zeroes a page; NULL if none is free.
 */
struct vm_page *vm_page_alloc_zeroed(void);
struct vm_page *vm_page_zeroed_take(void);	/* from the pool only */
unsigned long vm_page_zeroed_count(void);
void vm_page_zeroed_drain(void);		/* the pool back to the allocator */
void vm_page_zeroed_pause(bool pause);		/* drain and stop refills, or resume */
bool vm_page_zeroed_wait(void);			/* sleep until it is full */
/* The count with the pool locked (vm_page_get_stats: no page half way). */
unsigned long vm_page_zeroed_lock_count(unsigned long *flags);
void vm_page_zeroed_unlock(unsigned long flags);

/* Print the statistics and the free runs per order. */
void vm_page_print_stats(void);

#endif /* _KERN_VM_PAGE_H */

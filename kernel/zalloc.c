// SPDX-License-Identifier: MIT
/*
 * Zones and kalloc (see <kern/zalloc.h>).
 *
 * A zone carves chunks (2^order naturally aligned pages from vm_page) into
 * elements of one size. The chunk's bookkeeping lives in the struct
 * vm_page of its first page: the zone, the chunk's own free list and how
 * many elements are free on it. So zfree() finds the chunk of an element
 * from its address alone (direct map -> vm_page), which is also how it
 * knows whether the element is the zone's at all.
 *
 * A zone keeps the chunks that have a free element on its `partial` list;
 * full chunks are on no list. zalloc() takes from the first partial chunk,
 * zfree() pushes onto the element's chunk. A chunk whose elements are all
 * free goes back to the page allocator at once if the zone has at least
 * another chunk's worth of free elements (so that an alloc/free pair never
 * gets and gives a page each time), and in any case on zone_gc().
 *
 * Element layout in a chunk, stride bytes each:
 *
 *	without CONFIG_ZONE_DEBUG:  [ object, rounded to 16 ]
 *	with CONFIG_ZONE_DEBUG:     [ red zone 16 ][ object, rounded to 16 ][ red zone 16 ]
 *
 * The free-list link of a free element is its first word; with ZONE_DEBUG
 * it is the first word of the left red zone and the second holds
 * ZONE_FREE_MAGIC, while the object is poisoned. The padding between the
 * requested size and the rounded size counts as red zone while allocated.
 *
 * Locking: each zone has an irqsave spinlock for its lists and counters;
 * zone_registry_lock guards the list of all zones and is taken before a
 * zone's lock. Pages are taken from and given to vm_page with no zone lock
 * held.
 */
#include <kern/kmem.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/string.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>

#ifdef CONFIG_ZONE_DEBUG
#define ZONE_REDZONE		16
#else
#define ZONE_REDZONE		0
#endif
#define ZONE_POISON_BYTE	0x6b	/* a free object */
#define ZONE_REDZONE_BYTE	0xbb	/* around an object */
#define ZONE_REDZONE_WORD	0xbbbbbbbbbbbbbbbbUL
#define ZONE_FREE_MAGIC		0xf4eef4eef4eef4eeUL
#define ZONE_MAX_ORDER		3	/* chunks of 1 to 8 pages */

#define ZONE_LIST_NONE		0	/* a full chunk */
#define ZONE_LIST_PARTIAL	1

struct zone {
	spinlock_t	lock;
	struct vm_page	*partial;	/* chunks with a free element */
	unsigned long	in_use;
	unsigned long	limit;		/* in_use never exceeds it (~0: none) */
	unsigned long	capacity;	/* elements in the zone's chunks */
	unsigned long	high_water;
	unsigned long	chunks;
	unsigned long	failures;

	/* Constant after zone_create(). */
	const char	*name;
	vm_size_t	elem_size;	/* as asked */
	vm_size_t	obj_size;	/* elem_size rounded up to ZONE_ALIGN */
	vm_size_t	stride;		/* obj_size + red zones */
	unsigned int	order;		/* of a chunk */
	unsigned int	per_chunk;	/* elements in a chunk */
	unsigned long	max_elems;
	unsigned int	flags;

	struct zone	*next;		/* zone_registry, under zone_registry_lock */
};

static spinlock_t zone_registry_lock = SPINLOCK_INIT;
static struct zone *zone_registry;
static struct zone zone_zone_store;	/* the zone of struct zone */
static struct zone *zone_zone;

/* ------------------------------------------------------------------------
 * Reports
 */

static struct zone_debug_report *zone_expected;

void zone_debug_expect_report(struct zone_debug_report *report)
{
	memset(report, 0, sizeof(*report));
	__atomic_store_n(&zone_expected, report, __ATOMIC_RELEASE);
}

unsigned int zone_debug_end_expect(void)
{
	struct zone_debug_report *r = __atomic_exchange_n(&zone_expected, NULL,
							  __ATOMIC_ACQ_REL);

	return r ? r->count : 0;
}

const char *zone_report_kind_name(enum zone_report_kind kind)
{
	switch (kind) {
	case ZONE_REPORT_FOREIGN:	 return "free of a pointer not from the zone";
	case ZONE_REPORT_DOUBLE_FREE:	 return "double free";
	case ZONE_REPORT_USE_AFTER_FREE: return "use after free";
	case ZONE_REPORT_OVERRUN:	 return "overrun";
	default:			 return "no report";
	}
}

/*
 * Something is wrong with elem: panic, naming the zone, unless a test is
 * waiting for the report; the caller then repairs and goes on.
 */
static void zone_report(const struct zone *z, enum zone_report_kind kind,
			const void *elem, long offset)
{
	struct zone_debug_report *r = __atomic_load_n(&zone_expected, __ATOMIC_ACQUIRE);

	if (r) {
		if (r->count++ == 0) {
			r->kind = kind;
			r->zone = z;
			r->elem = elem;
			r->offset = offset;
		}
		return;
	}
	switch (kind) {
	case ZONE_REPORT_FOREIGN:
		panic("zone %s: zfree(%p): not an element of this zone", z->name, elem);
	case ZONE_REPORT_DOUBLE_FREE:
		panic("zone %s: double free of %p", z->name, elem);
	case ZONE_REPORT_USE_AFTER_FREE:
		panic("zone %s: use after free: %p was written at offset %ld while free",
		      z->name, elem, offset);
	default:
		panic("zone %s: overrun: the red zone of %p (element size %lu) was written at offset %ld",
		      z->name, elem, (unsigned long)z->elem_size, offset);
	}
}

/* ------------------------------------------------------------------------
 * ZONE_DEBUG: poison and red zones (compiled always, used when enabled)
 */

/* The first byte of [p, p + n) that is not `byte`, or -1. */
static long zone_find_changed(const void *p, int byte, vm_size_t n)
{
	const uint8_t *b = p;
	vm_size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (uint8_t)byte)
			return (long)i;
	return -1;
}

static uint64_t *zone_debug_words(void *elem)
{
	return (uint64_t *)elem - 2;	/* the left red zone: link, magic */
}

/* Make elem a poisoned free element. */
static void zone_debug_poison(const struct zone *z, void *elem)
{
	zone_debug_words(elem)[1] = ZONE_FREE_MAGIC;
	memset(elem, ZONE_POISON_BYTE, z->obj_size);
	memset((uint8_t *)elem + z->obj_size, ZONE_REDZONE_BYTE, ZONE_REDZONE);
}

/* Check a free element before handing it out, and paint its red zones. */
static void zone_debug_check_alloc(const struct zone *z, void *elem)
{
	uint64_t *w = zone_debug_words(elem);
	long bad;

	bad = zone_find_changed(elem, ZONE_POISON_BYTE, z->obj_size);
	if (bad < 0 && w[1] != ZONE_FREE_MAGIC)
		bad = -8;
	if (bad != -1)
		zone_report(z, ZONE_REPORT_USE_AFTER_FREE, elem, bad);
	bad = zone_find_changed((uint8_t *)elem + z->obj_size, ZONE_REDZONE_BYTE,
				ZONE_REDZONE);
	if (bad >= 0)
		zone_report(z, ZONE_REPORT_OVERRUN, elem, (long)z->obj_size + bad);

	w[0] = w[1] = ZONE_REDZONE_WORD;
	memset((uint8_t *)elem + z->elem_size, ZONE_REDZONE_BYTE,
	       z->obj_size - z->elem_size + ZONE_REDZONE);
}

/* Check an element being freed; false: do not free it (a double free). */
static bool zone_debug_check_free(const struct zone *z, void *elem)
{
	uint64_t *w = zone_debug_words(elem);
	long bad;

	if (w[1] == ZONE_FREE_MAGIC) {
		zone_report(z, ZONE_REPORT_DOUBLE_FREE, elem, 0);
		return false;
	}
	if (w[0] != ZONE_REDZONE_WORD || w[1] != ZONE_REDZONE_WORD) {
		bad = zone_find_changed(w, ZONE_REDZONE_BYTE, 16);
		zone_report(z, ZONE_REPORT_OVERRUN, elem, bad - 16);
	}
	bad = zone_find_changed((uint8_t *)elem + z->elem_size, ZONE_REDZONE_BYTE,
				z->obj_size - z->elem_size + ZONE_REDZONE);
	if (bad >= 0)
		zone_report(z, ZONE_REPORT_OVERRUN, elem, (long)z->elem_size + bad);
	zone_debug_poison(z, elem);
	return true;
}

/* ------------------------------------------------------------------------
 * Chunks
 */

static void **zone_link(void *elem)
{
	return (void **)((uint8_t *)elem - ZONE_REDZONE);
}

static void zone_partial_push(struct zone *z, struct vm_page *chunk)
{
	chunk->prev = NULL;
	chunk->next = z->partial;
	if (z->partial)
		z->partial->prev = chunk;
	z->partial = chunk;
	chunk->zone_list = ZONE_LIST_PARTIAL;
}

static void zone_partial_remove(struct zone *z, struct vm_page *chunk)
{
	if (chunk->prev)
		chunk->prev->next = chunk->next;
	else
		z->partial = chunk->next;
	if (chunk->next)
		chunk->next->prev = chunk->prev;
	chunk->next = chunk->prev = NULL;
	chunk->zone_list = ZONE_LIST_NONE;
}

/* Make a fresh run of pages a chunk of z, every element free (no lock). */
static void zone_chunk_init(struct zone *z, struct vm_page *chunk)
{
	uint8_t *slot = vm_page_to_virt(chunk);
	void *next = NULL;
	unsigned int i;

	/* Build the free list from the end so that it runs in address order. */
	for (i = z->per_chunk; i-- > 0; ) {
		void *elem = slot + (vm_size_t)i * z->stride + ZONE_REDZONE;

		if (IS_ENABLED(CONFIG_ZONE_DEBUG))
			zone_debug_poison(z, elem);
		*zone_link(elem) = next;
		next = elem;
	}
	chunk->zone = z;
	chunk->zone_free = next;
	chunk->zone_nfree = z->per_chunk;
	chunk->zone_list = ZONE_LIST_NONE;
	chunk->next = chunk->prev = NULL;
}

/* Take a chunk out of the zone (lock held); the caller frees it unlocked. */
static void zone_chunk_detach(struct zone *z, struct vm_page *chunk)
{
	zone_partial_remove(z, chunk);
	z->capacity -= z->per_chunk;
	z->chunks--;
}

static void zone_chunk_release(struct zone *z, struct vm_page *chunk)
{
	chunk->zone = NULL;
	chunk->zone_free = NULL;
	vm_page_free(chunk, z->order);
}

/* The chunk elem belongs to if it is an element of z, or NULL. */
static struct vm_page *zone_chunk_of(const struct zone *z, const void *elem)
{
	vm_size_t chunk_size = VM_PAGE_ORDER_SIZE(z->order);
	struct vm_page *page = elem ? vm_page_from_virt(elem) : NULL;
	uintptr_t off;

	if (!page || page->state != VM_PAGE_ALLOCATED)
		return NULL;
	if (z->order)
		page = vm_page_from_phys(page->phys_addr & ~(phys_addr_t)(chunk_size - 1));
	if (!page || page->zone != z || page->order != z->order)
		return NULL;
	off = (uintptr_t)elem - ZONE_REDZONE - (uintptr_t)vm_page_to_virt(page);
	if (off % z->stride || off / z->stride >= z->per_chunk)
		return NULL;
	return page;
}

/* ------------------------------------------------------------------------
 * zalloc and zfree
 */

/*
 * No partial chunk, or at the limit (lock held; it may be dropped to get
 * pages). Returns a chunk with a free element, or NULL.
 */
static struct vm_page *zone_grow(struct zone *z, unsigned long *flags)
{
	struct vm_page *chunk;

	if (z->in_use >= z->limit)
		return NULL;
	if (z->partial)
		return z->partial;

	spin_unlock_irqrestore(&z->lock, *flags);
	chunk = vm_page_alloc(z->order);
	if (chunk)
		zone_chunk_init(z, chunk);
	*flags = spin_lock_irqsave(&z->lock);
	if (!chunk)
		return NULL;
	zone_partial_push(z, chunk);
	z->capacity += z->per_chunk;
	z->chunks++;
	/* Another CPU may have reached the limit meanwhile. */
	return z->in_use < z->limit ? z->partial : NULL;
}

void *zalloc(struct zone *z)
{
	unsigned long flags = spin_lock_irqsave(&z->lock);
	struct vm_page *chunk = z->partial;
	void *elem;

	if (unlikely(!chunk || z->in_use >= z->limit)) {
		chunk = zone_grow(z, &flags);
		if (!chunk) {
			z->failures++;
			spin_unlock_irqrestore(&z->lock, flags);
			return NULL;
		}
	}
	elem = chunk->zone_free;
	chunk->zone_free = *zone_link(elem);
	if (--chunk->zone_nfree == 0)
		zone_partial_remove(z, chunk);
	if (++z->in_use > z->high_water)
		z->high_water = z->in_use;
	if (IS_ENABLED(CONFIG_ZONE_DEBUG))
		zone_debug_check_alloc(z, elem);
	spin_unlock_irqrestore(&z->lock, flags);
	return elem;
}

/*
 * A chunk got a free element back and is either no longer full or now
 * entirely free (lock held). Returns the chunk if it is to be released.
 */
static struct vm_page *zone_chunk_freed(struct zone *z, struct vm_page *chunk)
{
	if (chunk->zone_list == ZONE_LIST_NONE)
		zone_partial_push(z, chunk);
	if (chunk->zone_nfree < z->per_chunk || (z->flags & ZONE_NOGC))
		return NULL;
	/* Keep it unless another chunk's worth of elements is free anyway. */
	if (z->capacity - z->in_use < 2UL * z->per_chunk)
		return NULL;
	zone_chunk_detach(z, chunk);
	return chunk;
}

void zfree(struct zone *z, void *elem)
{
	struct vm_page *chunk = zone_chunk_of(z, elem);
	struct vm_page *release = NULL;
	unsigned long flags;
	uint32_t nfree;

	flags = spin_lock_irqsave(&z->lock);
	if (unlikely(!chunk)) {
		zone_report(z, ZONE_REPORT_FOREIGN, elem, 0);
		goto out;
	}
	if (IS_ENABLED(CONFIG_ZONE_DEBUG) && !zone_debug_check_free(z, elem))
		goto out;
	*zone_link(elem) = chunk->zone_free;
	chunk->zone_free = elem;
	nfree = ++chunk->zone_nfree;
	z->in_use--;
	if (unlikely(nfree == 1 || nfree == z->per_chunk))
		release = zone_chunk_freed(z, chunk);
out:
	spin_unlock_irqrestore(&z->lock, flags);
	if (release)
		zone_chunk_release(z, release);
}

/* ------------------------------------------------------------------------
 * Creating and destroying zones
 */

/* The chunk order that wastes least (at most an eighth if possible). */
static unsigned int zone_pick_order(vm_size_t stride)
{
	unsigned int order, best = ZONE_MAX_ORDER;
	vm_size_t best_waste = ~(vm_size_t)0;

	for (order = 0; order <= ZONE_MAX_ORDER; order++) {
		vm_size_t size = VM_PAGE_ORDER_SIZE(order);
		vm_size_t waste = size % stride;

		if (size < stride)
			continue;
		if (waste * 8 <= size)
			return order;
		if (waste * VM_PAGE_ORDER_SIZE(ZONE_MAX_ORDER) / size < best_waste) {
			best_waste = waste * VM_PAGE_ORDER_SIZE(ZONE_MAX_ORDER) / size;
			best = order;
		}
	}
	return best;
}

static void zone_init(struct zone *z, const char *name, vm_size_t elem_size,
		      unsigned long max_elems, unsigned int flags)
{
	memset(z, 0, sizeof(*z));
	spin_lock_init(&z->lock);
	z->name = name;
	z->elem_size = elem_size;
	z->obj_size = ALIGN_UP(elem_size, ZONE_ALIGN);
	z->stride = z->obj_size + 2 * ZONE_REDZONE;
	z->order = zone_pick_order(z->stride);
	z->per_chunk = (unsigned int)(VM_PAGE_ORDER_SIZE(z->order) / z->stride);
	z->max_elems = max_elems;
	z->limit = max_elems ? max_elems : ~0UL;
	z->flags = flags;
}

static void zone_register(struct zone *z)
{
	unsigned long flags = spin_lock_irqsave(&zone_registry_lock);
	struct zone **pp = &zone_registry;

	while (*pp)		/* keep creation order for zone_print_all() */
		pp = &(*pp)->next;
	z->next = NULL;
	*pp = z;
	spin_unlock_irqrestore(&zone_registry_lock, flags);
}

/* The zone of zones exists from the first zone_create() on. */
static struct zone *zone_zone_get(void)
{
	unsigned long flags;

	if (likely(__atomic_load_n(&zone_zone, __ATOMIC_ACQUIRE)))
		return zone_zone;
	flags = spin_lock_irqsave(&zone_registry_lock);
	if (!zone_zone) {
		zone_init(&zone_zone_store, "zones", sizeof(struct zone), 0, ZONE_NOGC);
		zone_zone_store.next = zone_registry;
		zone_registry = &zone_zone_store;
		__atomic_store_n(&zone_zone, &zone_zone_store, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&zone_registry_lock, flags);
	return zone_zone;
}

struct zone *zone_create(const char *name, vm_size_t elem_size,
			 unsigned long max_elems, unsigned int flags)
{
	struct zone *z;

	if (!name || elem_size == 0 || elem_size > ZONE_MAX_ELEM_SIZE)
		return NULL;
	z = zalloc(zone_zone_get());
	if (!z)
		return NULL;
	zone_init(z, name, elem_size, max_elems, flags);
	zone_register(z);
	return z;
}

void zone_destroy(struct zone *z)
{
	struct vm_page *chunk;
	unsigned long flags;
	struct zone **pp;

	if (z == zone_zone)
		panic("zone_destroy: the zone of zones stays");
	if (z->in_use)
		panic("zone %s: destroyed with %lu elements in use", z->name, z->in_use);

	flags = spin_lock_irqsave(&zone_registry_lock);
	for (pp = &zone_registry; *pp && *pp != z; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = z->next;
	spin_unlock_irqrestore(&zone_registry_lock, flags);

	/* No element in use: every chunk is on the partial list. */
	while ((chunk = z->partial) != NULL) {
		zone_chunk_detach(z, chunk);
		zone_chunk_release(z, chunk);
	}
	zfree(zone_zone, z);
}

/* ------------------------------------------------------------------------
 * Garbage collection, statistics
 */

/* Give back z's entirely free chunks; returns pages. */
static unsigned long zone_gc_one(struct zone *z)
{
	struct vm_page *chunk, *next, *done = NULL;
	unsigned long flags, pages = 0;

	if (z->flags & ZONE_NOGC)
		return 0;
	flags = spin_lock_irqsave(&z->lock);
	for (chunk = z->partial; chunk; chunk = next) {
		next = chunk->next;
		if (chunk->zone_nfree != z->per_chunk)
			continue;
		zone_chunk_detach(z, chunk);
		chunk->next = done;	/* a private list, to free unlocked */
		done = chunk;
	}
	spin_unlock_irqrestore(&z->lock, flags);
	while (done) {
		chunk = done;
		done = chunk->next;
		chunk->next = NULL;
		zone_chunk_release(z, chunk);
		pages += 1UL << z->order;
	}
	return pages;
}

unsigned long zone_gc(void)
{
	unsigned long flags = spin_lock_irqsave(&zone_registry_lock);
	unsigned long pages = 0;
	struct zone *z;

	for (z = zone_registry; z; z = z->next)
		pages += zone_gc_one(z);
	spin_unlock_irqrestore(&zone_registry_lock, flags);
	return pages;
}

void zone_get_stats(struct zone *z, struct zone_stats *s)
{
	unsigned long flags = spin_lock_irqsave(&z->lock);

	s->name = z->name;
	s->elem_size = z->elem_size;
	s->elem_stride = z->stride;
	s->max_elems = z->max_elems;
	s->in_use = z->in_use;
	s->free = z->capacity - z->in_use;
	s->high_water = z->high_water;
	s->pages = z->chunks << z->order;
	s->failures = z->failures;
	spin_unlock_irqrestore(&z->lock, flags);
}

void zone_for_each(void (*fn)(struct zone *zone, void *arg), void *arg)
{
	unsigned long flags = spin_lock_irqsave(&zone_registry_lock);
	struct zone *z;

	for (z = zone_registry; z; z = z->next)
		fn(z, arg);
	spin_unlock_irqrestore(&zone_registry_lock, flags);
}

static void zone_print_one(struct zone *z, void *arg)
{
	unsigned long *total_pages = arg;
	struct zone_stats s;

	zone_get_stats(z, &s);
	*total_pages += s.pages;
	if (s.max_elems)
		printk("%-20s %6lu %6lu %8lu %8lu %8lu %6lu %8lu %6lu\n", s.name,
		       (unsigned long)s.elem_size, (unsigned long)s.elem_stride,
		       s.in_use, s.free, s.high_water, s.pages, s.max_elems, s.failures);
	else
		printk("%-20s %6lu %6lu %8lu %8lu %8lu %6lu %8s %6lu\n", s.name,
		       (unsigned long)s.elem_size, (unsigned long)s.elem_stride,
		       s.in_use, s.free, s.high_water, s.pages, "-", s.failures);
}

void zone_print_all(void)
{
	unsigned long pages = 0;

	printk("%-20s %6s %6s %8s %8s %8s %6s %8s %6s\n", "zone", "size", "stride",
	       "in use", "free", "high", "pages", "limit", "fail");
	zone_for_each(zone_print_one, &pages);
	printk("zones: %lu pages (%lu KiB)%s\n", pages, pages * (PAGE_SIZE / 1024),
	       IS_ENABLED(CONFIG_ZONE_DEBUG) ? ", ZONE_DEBUG on" : "");
}

/* ------------------------------------------------------------------------
 * kalloc
 */

#define KALLOC_NR_ZONES		9	/* 16, 32, ... 4096 */

static const char *const kalloc_zone_names[KALLOC_NR_ZONES] = {
	"kalloc.16", "kalloc.32", "kalloc.64", "kalloc.128", "kalloc.256",
	"kalloc.512", "kalloc.1024", "kalloc.2048", "kalloc.4096",
};
static struct zone *kalloc_zones[KALLOC_NR_ZONES];

BUILD_BUG_ON(KALLOC_MIN_SIZE << (KALLOC_NR_ZONES - 1) != KALLOC_MAX_ZONE_SIZE);

struct zone *kalloc_zone(vm_size_t size)
{
	unsigned int i;

	if (size == 0 || size > KALLOC_MAX_ZONE_SIZE)
		return NULL;
	if (size <= KALLOC_MIN_SIZE)
		return kalloc_zones[0];
	/* The power of two >= size, 2^(i + 4). */
	i = (unsigned int)(64 - __builtin_clzl((unsigned long)size - 1)) - 4;
	return kalloc_zones[i];
}

void *kalloc(vm_size_t size)
{
	struct zone *z;

	if (size > KALLOC_MAX_ZONE_SIZE)
		return kmem_alloc_wired(size);
	z = kalloc_zone(size);
	return z ? zalloc(z) : NULL;
}

void kfree(void *ptr, vm_size_t size)
{
	if (size > KALLOC_MAX_ZONE_SIZE) {
		kmem_free(ptr, size);
		return;
	}
	if (size == 0 || !kalloc_zones[0])
		panic("kfree(%p, %lu): not from kalloc", ptr, (unsigned long)size);
	zfree(kalloc_zone(size), ptr);
}

void zone_bootstrap(void)
{
	unsigned int i;

	for (i = 0; i < KALLOC_NR_ZONES; i++) {
		kalloc_zones[i] = zone_create(kalloc_zone_names[i],
					      (vm_size_t)KALLOC_MIN_SIZE << i, 0, 0);
		if (!kalloc_zones[i])
			panic("zone_bootstrap: cannot create %s", kalloc_zone_names[i]);
	}
	pr_info("zones: kalloc zones %u..%u bytes%s\n", KALLOC_MIN_SIZE,
		KALLOC_MAX_ZONE_SIZE,
		IS_ENABLED(CONFIG_ZONE_DEBUG) ? ", ZONE_DEBUG: poison and red zones" : "");
}

// SPDX-License-Identifier: MIT
/*
 * Zones and kalloc (see <kern/zalloc.h>).
 *
 * A zone carves chunks (2^order naturally aligned pages from vm_page) into
 * elements of one size. The chunk's bookkeeping lives in the struct
 * vm_page of its first page: the zone, the chunk's own free list and how
 * many elements are free on it; every page of the chunk names the zone. So
 * zfree() knows from an element's address alone (direct map -> vm_page)
 * whether it is the zone's at all, and the drain finds its chunk.
 *
 * A zone keeps the chunks that have a free element on its `partial` list;
 * full chunks are on no list. A chunk whose elements are all free goes back
 * to the page allocator at once if the zone has at least another chunk's
 * worth of free elements in its chunks (so that the zone does not get and
 * give a page over and over), and in any case on zone_gc().
 *
 * Per-CPU caches. In front of the chunks, each CPU has a small cache of
 * free elements per zone (a "magazine", as in Bonwick's slab allocator): an
 * array of at most cache_max pointers, used as a stack. zalloc() pops from
 * this CPU's cache and zfree() pushes onto it with interrupts disabled on
 * this CPU and no lock; an empty cache is refilled and a full one drained,
 * cache_batch elements at a time, under the zone lock. A cache is only
 * touched by its CPU with interrupts disabled, with two exceptions:
 * zone_gc() drains every CPU's caches by running the drain on each CPU
 * (smp_call_on_cpu()), and zone_destroy() drains a dead zone's caches
 * directly (nothing uses the zone any more). Only the counts are read from
 * other CPUs, for statistics.
 *
 * Constructors. A zone may have a constructor (zone_set_ctor(), Bonwick's
 * object cache): zalloc() then hands out elements in their constructed
 * state, and zfree() takes them back in that state (the caller's
 * contract), so an element that goes from zfree() to the next zalloc()
 * through a CPU cache is not built again. The constructor runs on each
 * element a refill takes out of the chunks (whose free-list link wrote
 * over its first word), and with CONFIG_ZONE_DEBUG, whose poison writes
 * over every free element, on each element zalloc() hands out. Elements
 * in CPU caches, constructed or not, count as free.
 *
 * Counting. The chunk-level `taken` (elements out of the chunks: in use
 * or in a CPU cache) is under the zone lock. A zone without a limit keeps
 * no other count: its in_use is taken minus what the CPU caches hold, the
 * per-CPU counts summed on read (exact when the zone is quiet), so its
 * fast paths write nothing shared; its high_water is the peak of `taken`,
 * raised under the lock when a refill takes elements from the chunks: at
 * least the most elements in use at once, at most that plus what the
 * caches held then (CPUs * cache_max). A zone with a limit (max_elems)
 * also keeps `in_use` as an atomic counter, so that the limit holds
 * whatever the caches hold: its zalloc() takes a compare-and-swap slow
 * path that refuses to pass the limit and its zfree() a slow path that
 * takes one off; its in_use and high_water are exact. Elements in caches
 * count as free in the statistics.
 *
 * Element layout in a chunk, stride bytes each:
 *
 *	without CONFIG_ZONE_DEBUG:  [ object, rounded to 16 ]
 *	with CONFIG_ZONE_DEBUG:     [ red zone 16 ][ object, rounded to 16 ][ red zone 16 ]
 *
 * The free-list link of a free element is its first word; with ZONE_DEBUG
 * it is the first word of the left red zone and the second holds
 * ZONE_FREE_MAGIC, while the object is poisoned. Elements in a CPU cache
 * are free elements like the others: poisoned, with the magic. zfree()
 * checks and poisons before the element enters a cache, zalloc() checks
 * after it leaves one. The padding between the requested size and the
 * rounded size counts as red zone while allocated.
 *
 * Locking: each zone has an irqsave spinlock for its chunk lists and
 * chunk-level counters; zone_registry_lock guards the list of all zones and
 * is taken before a zone's lock. Pages are taken from and given to vm_page
 * with no zone lock held (interrupts may be disabled: vm_page allows it).
 */
#include <kern/cpu.h>
#include <kern/kmem.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/smp.h>
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

#define ZONE_NO_LIMIT		(~0UL)	/* zone->limit without max_elems */

#define ZONE_LIST_NONE		0	/* a full chunk */
#define ZONE_LIST_PARTIAL	1

/*
 * A CPU's cache of a zone's free elements: at most ZONE_CACHE_MAX, and at
 * most ZONE_CACHE_BYTES of them (big elements get fewer). 128 bytes.
 */
#define ZONE_CACHE_MAX		15
#define ZONE_CACHE_BYTES	(2 * PAGE_SIZE)

struct zone_cache {
	unsigned long	count;			/* elems[0 .. count - 1] */
	void		*elems[ZONE_CACHE_MAX];	/* the top is the warmest */
};
BUILD_BUG_ON(sizeof(struct zone_cache) != 128);
/* zfree() stores elems[n] as the cache's word n + 1. */
BUILD_BUG_ON(__builtin_offsetof(struct zone_cache, elems) != sizeof(void *));

struct zone {
	/*
	 * First, so that a CPU's cache is the zone's address plus the CPU
	 * number times 128 (one instruction on arm64).
	 */
	struct zone_cache cache[MAX_CPUS];	/* indexed by cpu_number() */

	/* The fast path: constant fields, then the atomic counters. */
	unsigned long	cache_max;	/* elements a CPU cache holds, >= 1 */
	unsigned long	alloc_min;	/* zalloc's fast path needs more cached */
	unsigned long	free_max;	/* zfree's fast path needs fewer cached */
	unsigned long	limit;		/* in_use never exceeds it (~0: none) */
	uintptr_t	dmap_base;	/* the direct-map address of page_array[0] */
	unsigned long	page_nr;	/* vm_page's array, copied here (constant) */
	struct vm_page	*page_array;
	uintptr_t	chunk_mask;	/* chunk size - 1 */
	uint32_t	stride_inv;	/* the inverse of stride's odd factor, mod 2^32 */
	unsigned int	stride_shift;	/* stride's power of two (>= 4) */
	unsigned int	per_chunk;	/* elements in a chunk */
	unsigned int	cache_batch;	/* moved by a refill or a drain */
	vm_size_t	stride;		/* obj_size + red zones */
	void		(*ctor)(void *elem);	/* zone_set_ctor(), or NULL */
	unsigned long	in_use;		/* atomic, with a limit only: handed out now */
	unsigned long	high_water;	/* with a limit: atomic, the most in_use
					 * ever; without: the most taken ever
					 * (written under the lock) */
	unsigned long	failures;	/* atomic */

	/* The chunks, under the lock. */
	spinlock_t	lock;
	struct vm_page	*partial;	/* chunks with a free element */
	unsigned long	taken;		/* out of the chunks: in use or cached */
	unsigned long	capacity;	/* elements in the zone's chunks */
	unsigned long	chunks;

	/* Constant after zone_create(). */
	const char	*name;
	vm_size_t	elem_size;	/* as asked */
	vm_size_t	obj_size;	/* elem_size rounded up to ZONE_ALIGN */
	unsigned int	order;		/* of a chunk */
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

/*
 * Check an element being freed; false: do not free it (a double free).
 * The free magic goes in with an atomic exchange, so that of two CPUs
 * freeing the same element at once, one sees the double free.
 */
static bool zone_debug_check_free(const struct zone *z, void *elem)
{
	uint64_t *w = zone_debug_words(elem);
	uint64_t old = __atomic_exchange_n(&w[1], ZONE_FREE_MAGIC, __ATOMIC_ACQ_REL);
	long bad;

	if (old == ZONE_FREE_MAGIC) {
		zone_report(z, ZONE_REPORT_DOUBLE_FREE, elem, 0);
		return false;
	}
	if (w[0] != ZONE_REDZONE_WORD) {
		bad = zone_find_changed(w, ZONE_REDZONE_BYTE, 8);
		zone_report(z, ZONE_REPORT_OVERRUN, elem, bad - 16);
	} else if (old != ZONE_REDZONE_WORD) {
		bad = zone_find_changed(&old, ZONE_REDZONE_BYTE, 8);
		zone_report(z, ZONE_REPORT_OVERRUN, elem, bad - 8);
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
	/* Every page names the zone, so that zfree() needs no head lookup. */
	for (i = 1; i < 1U << z->order; i++)
		chunk[i].zone = z;
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
	unsigned int i;

	for (i = 0; i < 1U << z->order; i++)
		chunk[i].zone = NULL;
	chunk->zone_free = NULL;
	vm_page_free(chunk, z->order);
}

/* Release a list of detached chunks linked through ->next (no lock held). */
static unsigned long zone_chunk_release_list(struct zone *z, struct vm_page *list)
{
	unsigned long pages = 0;

	while (list) {
		struct vm_page *chunk = list;

		list = chunk->next;
		chunk->next = NULL;
		zone_chunk_release(z, chunk);
		pages += 1UL << z->order;
	}
	return pages;
}

/* The first page of the chunk of an element known to be z's. */
static struct vm_page *zone_chunk_of_elem(const struct zone *z, const void *elem)
{
	phys_addr_t pa = virt_to_phys(elem);

	return vm_page_from_phys(pa & ~(phys_addr_t)(VM_PAGE_ORDER_SIZE(z->order) - 1));
}

/*
 * Is elem an element of z? Its page must be one of z's chunk pages (each
 * names its zone while the chunk is the zone's: set by zone_chunk_init(),
 * cleared before the pages go back), and its offset in the chunk (chunks
 * are naturally aligned, in the direct map as in physical memory) j times
 * the stride with j < per_chunk. Anything else, a pointer into another
 * zone, into an element or outside zone memory, is foreign.
 *
 * The offset test is a multiply and a rotate instead of a division: with
 * stride = d * 2^k (d odd) and inv = d^-1 mod 2^32, rotr(off * inv, k) is
 * off / stride when stride divides off, and above 2^32 / stride (so above
 * per_chunk) when it does not (Hacker's Delight, 10-17).
 */
static __always_inline bool zone_elem_valid(const struct zone *z, const void *elem)
{
	uintptr_t va = (uintptr_t)elem;
	unsigned long i = (va - z->dmap_base) >> PAGE_SHIFT;
	uint32_t q;

	if (unlikely(i >= z->page_nr || z->page_array[i].zone != z))
		return false;
	q = (uint32_t)((va - ZONE_REDZONE) & z->chunk_mask) * z->stride_inv;
	q = (q >> z->stride_shift) | (q << (32 - z->stride_shift));
	return q < z->per_chunk;
}

/* Take a free element from a chunk (lock held). */
static void *zone_chunk_pop(struct zone *z, struct vm_page *chunk)
{
	void *elem = chunk->zone_free;

	chunk->zone_free = *zone_link(elem);
	if (--chunk->zone_nfree == 0)
		zone_partial_remove(z, chunk);
	z->taken++;
	/* Without a limit, high_water is the peak of taken (see the top). */
	if (!z->max_elems && z->taken > z->high_water)
		__atomic_store_n(&z->high_water, z->taken, __ATOMIC_RELAXED);
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
	if (z->capacity - z->taken < 2UL * z->per_chunk)
		return NULL;
	zone_chunk_detach(z, chunk);
	return chunk;
}

/* Give a free element back to its chunk (lock held); a chunk to release? */
static struct vm_page *zone_chunk_push(struct zone *z, void *elem)
{
	struct vm_page *chunk = zone_chunk_of_elem(z, elem);
	uint32_t nfree;

	*zone_link(elem) = chunk->zone_free;
	chunk->zone_free = elem;
	nfree = ++chunk->zone_nfree;
	z->taken--;
	if (unlikely(nfree == 1 || nfree == z->per_chunk))
		return zone_chunk_freed(z, chunk);
	return NULL;
}

/*
 * No partial chunk (lock held; it is dropped to get pages). Returns a chunk
 * with a free element, or NULL without memory.
 */
static struct vm_page *zone_grow(struct zone *z, unsigned long *flags)
{
	struct vm_page *chunk;

	spin_unlock_irqrestore(&z->lock, *flags);
	chunk = vm_page_alloc(z->order);
	if (chunk)
		zone_chunk_init(z, chunk);
	*flags = spin_lock_irqsave(&z->lock);
	if (!chunk)
		return z->partial;	/* another CPU may have freed meanwhile */
	zone_partial_push(z, chunk);
	z->capacity += z->per_chunk;
	z->chunks++;
	return chunk;
}

/* ------------------------------------------------------------------------
 * Per-CPU caches (interrupts disabled, on the cache's own CPU)
 */

static __always_inline struct zone_cache *zone_cache_this(struct zone *z)
{
	struct zone_cache *c = &z->cache[cpu_number()];

	/*
	 * Keep c in a register: otherwise gcc folds the CPU number into every
	 * element's address and spends three instructions where one does.
	 */
	__asm__("" : "+r"(c));
	return c;
}

/*
 * Elements that left their chunks for a CPU cache: the chunk's free-list
 * link has overwritten their first word, so a zone with a constructor
 * constructs them again (interrupts disabled, no lock: the cache is this
 * CPU's). With CONFIG_ZONE_DEBUG cached elements are poisoned instead and
 * zalloc() constructs each one as it hands it out.
 */
static void zone_construct(struct zone *z, void **elems, unsigned long n)
{
	unsigned long i;

	if (!z->ctor || IS_ENABLED(CONFIG_ZONE_DEBUG))
		return;
	for (i = 0; i < n; i++)
		z->ctor(elems[i]);
}

/*
 * Fill an empty cache with up to cache_batch elements from the chunks,
 * growing the zone if none is free. False if it stays empty: no memory,
 * or the zone is at its limit (then the chunks' elements are left alone).
 */
static bool zone_cache_refill(struct zone *z, struct zone_cache *c)
{
	unsigned long flags, first = c->count;
	struct vm_page *chunk;

	if (__atomic_load_n(&z->in_use, __ATOMIC_RELAXED) >= z->limit)
		return false;
	flags = spin_lock_irqsave(&z->lock);
	while (c->count < z->cache_batch) {
		chunk = z->partial;
		if (!chunk) {
			if (c->count)
				break;		/* grow only for an empty cache */
			chunk = zone_grow(z, &flags);
			if (!chunk)
				break;
		}
		c->elems[c->count++] = zone_chunk_pop(z, chunk);
	}
	spin_unlock_irqrestore(&z->lock, flags);
	zone_construct(z, c->elems + first, c->count - first);
	return c->count != 0;
}

/*
 * Give all but `keep` of a cache's elements back to their chunks: the
 * oldest ones (the bottom of the stack), so the warm ones stay. Returns
 * the pages given back to the page allocator.
 */
static unsigned long zone_cache_drain(struct zone *z, struct zone_cache *c,
				      unsigned long keep)
{
	unsigned long i, n = c->count - keep;
	struct vm_page *release = NULL;
	unsigned long flags;

	flags = spin_lock_irqsave(&z->lock);
	for (i = 0; i < n; i++) {
		struct vm_page *chunk = zone_chunk_push(z, c->elems[i]);

		if (chunk) {
			chunk->next = release;	/* a private list, to free unlocked */
			release = chunk;
		}
	}
	/* With taken, so that in_use (taken - cached) stays exact. */
	memmove(c->elems, c->elems + n, keep * sizeof(c->elems[0]));
	WRITE_ONCE(c->count, keep);
	spin_unlock_irqrestore(&z->lock, flags);
	return zone_chunk_release_list(z, release);
}

/* ------------------------------------------------------------------------
 * zalloc and zfree
 */

static void zone_high_water_raise(struct zone *z, unsigned long n)
{
	unsigned long hw = __atomic_load_n(&z->high_water, __ATOMIC_RELAXED);

	while (n > hw && !__atomic_compare_exchange_n(&z->high_water, &hw, n, true,
						      __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* Count one more element in use, unless that would pass the limit. */
static bool zone_in_use_inc(struct zone *z)
{
	unsigned long n = __atomic_load_n(&z->in_use, __ATOMIC_RELAXED);

	do {
		if (n >= z->limit)
			return false;
	} while (!__atomic_compare_exchange_n(&z->in_use, &n, n + 1, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (n + 1 > __atomic_load_n(&z->high_water, __ATOMIC_RELAXED))
		zone_high_water_raise(z, n + 1);
	return true;
}

/* Take the top element (of n) of this CPU's cache, then interrupts back on. */
static __always_inline void *zone_cache_pop(struct zone *z, struct zone_cache *c,
					    unsigned long n, unsigned long flags)
{
	void *elem = c->elems[--n];

	c->count = n;
	arch_irq_restore(flags);
	if (IS_ENABLED(CONFIG_ZONE_DEBUG)) {
		zone_debug_check_alloc(z, elem);
		if (z->ctor)
			z->ctor(elem);	/* it was poisoned */
	}
	return elem;
}

/*
 * zalloc() when this CPU's cache is empty or the zone has a limit
 * (interrupts disabled by zalloc(); restored here). A refill raises an
 * unlimited zone's high_water; a zone with a limit counts in_use.
 */
static __noinline void *zalloc_slow(struct zone *z, unsigned long flags)
{
	struct zone_cache *c = zone_cache_this(z);

	if ((c->count || zone_cache_refill(z, c)) &&
	    (!z->max_elems || zone_in_use_inc(z)))
		return zone_cache_pop(z, c, c->count, flags);
	arch_irq_restore(flags);
	__atomic_add_fetch(&z->failures, 1, __ATOMIC_RELAXED);
	return NULL;
}

/*
 * The fast path: a pop from this CPU's cache, interrupts disabled, and
 * nothing shared written (in_use is what the chunks gave out minus what
 * the caches hold). Zones with a limit take the slow path, whose
 * compare-and-swap on their in_use refuses to pass it.
 */
void *zalloc(struct zone *z)
{
	unsigned long flags = arch_irq_save();
	struct zone_cache *c = zone_cache_this(z);
	unsigned long n = c->count;

	if (unlikely(n <= z->alloc_min))	/* empty, or a zone with a limit */
		return zalloc_slow(z, flags);
	return zone_cache_pop(z, c, n, flags);
}

/*
 * zfree() when this CPU's cache is full or the zone has a limit
 * (interrupts disabled; restored here).
 */
static __noinline void zfree_slow(struct zone *z, void *elem, unsigned long flags)
{
	struct zone_cache *c = zone_cache_this(z);

	if (c->count == z->cache_max)
		zone_cache_drain(z, c, z->cache_max - z->cache_batch);
	c->elems[c->count++] = elem;
	if (z->max_elems)
		__atomic_sub_fetch(&z->in_use, 1, __ATOMIC_RELAXED);
	arch_irq_restore(flags);
}

static __noinline void zfree_foreign(struct zone *z, void *elem)
{
	zone_report(z, ZONE_REPORT_FOREIGN, elem, 0);
}

/*
 * The fast path: a push onto this CPU's cache, interrupts disabled, nothing
 * shared written (a zone with a limit takes the slow path, for in_use).
 */
void zfree(struct zone *z, void *elem)
{
	struct zone_cache *c;
	unsigned long flags, n;

	if (unlikely(!zone_elem_valid(z, elem))) {
		zfree_foreign(z, elem);
		return;
	}
	if (IS_ENABLED(CONFIG_ZONE_DEBUG) && !zone_debug_check_free(z, elem))
		return;
	flags = arch_irq_save();
	c = zone_cache_this(z);
	n = c->count;
	if (unlikely(n >= z->free_max)) {	/* full, or a zone with a limit */
		zfree_slow(z, elem, flags);
		return;
	}
	/*
	 * elems[] follows count: elems[n] is the cache's word n + 1, stored
	 * with the new count as its index (one instruction fewer on arm64
	 * than c->elems[n], whose address gcc computes apart; the same on
	 * x86_64).
	 */
	n++;
	((void **)c)[n] = elem;
	c->count = n;
	arch_irq_restore(flags);
}

/* Run on each CPU by zone_gc() (interrupts disabled): empty its caches. */
static void zone_cache_drain_this_cpu(void *arg)
{
	unsigned long flags = spin_lock_irqsave(&zone_registry_lock);
	unsigned long *pages = arg;
	struct zone *z;

	for (z = zone_registry; z; z = z->next) {
		struct zone_cache *c = zone_cache_this(z);

		if (c->count)
			__atomic_add_fetch(pages, zone_cache_drain(z, c, 0), __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&zone_registry_lock, flags);
}

/*
 * Empty every CPU's caches; returns the pages that gave back. Another CPU's
 * caches are its own: the drain runs there, by a cross-CPU call, which
 * needs interrupts enabled here (with them disabled, a CPU waiting for
 * another that waits for it would never get out): called with interrupts
 * disabled, only this CPU's caches are drained.
 */
static unsigned long zone_cache_drain_all(void)
{
	unsigned long pages = 0;
	unsigned int cpu;

	if (!arch_irqs_enabled()) {
		zone_cache_drain_this_cpu(&pages);
		return pages;
	}
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		(void)smp_call_on_cpu(cpu, zone_cache_drain_this_cpu, &pages);
	return pages;
}

/*
 * Elements in use now. With a limit, the atomic counter; without, taken
 * (the chunk-level count, as of the last lock holder) minus every CPU's
 * cache count: exact when the zone is quiet, and never below zero while
 * the caches move.
 */
static unsigned long zone_in_use(struct zone *z, unsigned long taken)
{
	unsigned long cached = 0;
	unsigned int cpu;

	if (z->max_elems)
		return __atomic_load_n(&z->in_use, __ATOMIC_RELAXED);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		cached += READ_ONCE(z->cache[cpu].count);
	return taken > cached ? taken - cached : 0;
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

/* The inverse of an odd d mod 2^32 (Newton: each step doubles the good bits). */
static uint32_t zone_inverse(uint32_t d)
{
	uint32_t x = d;		/* right to 3 bits: d * d = 1 mod 8 */
	int i;

	for (i = 0; i < 4; i++)
		x *= 2 - d * x;
	return x;
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
	z->limit = max_elems ? max_elems : ZONE_NO_LIMIT;
	z->alloc_min = max_elems ? ~0UL : 0;
	z->dmap_base = (uintptr_t)phys_to_virt((phys_addr_t)vm_page_base_pfn << PAGE_SHIFT);
	z->page_nr = vm_page_nr;
	z->page_array = vm_page_array;
	z->flags = flags;
	z->cache_max = MAX(1UL, MIN((unsigned long)ZONE_CACHE_MAX,
				    (unsigned long)(ZONE_CACHE_BYTES / z->stride)));
	z->cache_batch = (unsigned int)(z->cache_max + 1) / 2;
	z->free_max = max_elems ? 0 : z->cache_max;
	z->chunk_mask = VM_PAGE_ORDER_SIZE(z->order) - 1;
	z->stride_shift = (unsigned int)__builtin_ctzl(z->stride);
	z->stride_inv = zone_inverse((uint32_t)(z->stride >> z->stride_shift));
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
		/*
		 * Not ZONE_NOGC: a struct zone carries a cache per possible
		 * CPU (MAX_CPUS * 128 bytes), so a page holds only a few and
		 * the pages of destroyed zones are worth giving back.
		 */
		zone_init(&zone_zone_store, "zones", sizeof(struct zone), 0, 0);
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

void zone_set_ctor(struct zone *z, void (*ctor)(void *elem))
{
	unsigned long flags = spin_lock_irqsave(&z->lock);
	bool fresh = z->taken == 0;

	spin_unlock_irqrestore(&z->lock, flags);
	if (!fresh)
		panic("zone %s: zone_set_ctor() after its first zalloc()", z->name);
	z->ctor = ctor;
}

void zone_destroy(struct zone *z)
{
	unsigned long flags, in_use;
	struct vm_page *chunk;
	struct zone **pp;
	unsigned int cpu;

	if (z == zone_zone)
		panic("zone_destroy: the zone of zones stays");
	in_use = zone_in_use(z, READ_ONCE(z->taken));
	if (in_use)
		panic("zone %s: destroyed with %lu elements in use", z->name, in_use);

	flags = spin_lock_irqsave(&zone_registry_lock);
	for (pp = &zone_registry; *pp && *pp != z; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = z->next;
	spin_unlock_irqrestore(&zone_registry_lock, flags);

	/*
	 * Nothing uses the zone any more and zone_gc() no longer finds it:
	 * its CPU caches can be emptied from here.
	 */
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (z->cache[cpu].count)
			zone_cache_drain(z, &z->cache[cpu], 0);

	/* No element in use or cached: every chunk is on the partial list. */
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
	unsigned long flags;

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
	return zone_chunk_release_list(z, done);
}

/*
 * Every CPU's caches first (their elements go back to their chunks), then
 * every entirely free chunk.
 */
unsigned long zone_gc(void)
{
	unsigned long flags, pages = zone_cache_drain_all();
	struct zone *z;

	flags = spin_lock_irqsave(&zone_registry_lock);
	for (z = zone_registry; z; z = z->next)
		pages += zone_gc_one(z);
	spin_unlock_irqrestore(&zone_registry_lock, flags);
	return pages;
}

/*
 * The chunk counts under the lock, the rest as it is now: exact when the
 * zone is quiet, each figure consistent on its own otherwise.
 */
void zone_get_stats(struct zone *z, struct zone_stats *s)
{
	unsigned long flags, capacity, chunks, taken, cached = 0;
	unsigned int cpu;

	flags = spin_lock_irqsave(&z->lock);
	capacity = z->capacity;
	chunks = z->chunks;
	taken = z->taken;
	spin_unlock_irqrestore(&z->lock, flags);
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		cached += READ_ONCE(z->cache[cpu].count);

	s->name = z->name;
	s->elem_size = z->elem_size;
	s->elem_stride = z->stride;
	s->max_elems = z->max_elems;
	s->in_use = zone_in_use(z, taken);
	s->free = capacity > s->in_use ? capacity - s->in_use : 0;
	s->cached = cached;
	s->high_water = __atomic_load_n(&z->high_water, __ATOMIC_RELAXED);
	s->pages = chunks << z->order;
	s->failures = __atomic_load_n(&z->failures, __ATOMIC_RELAXED);
	s->cache_max = (unsigned int)z->cache_max;
	s->chunk_size = VM_PAGE_ORDER_SIZE(z->order);
	s->flags = z->flags;
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

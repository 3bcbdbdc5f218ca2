/* SPDX-License-Identifier: MIT */
/*
 * Zones, as in Mach: named caches of fixed-size objects, one per kind of
 * kernel object (ports, threads, messages ...), and kalloc() for variable
 * sizes on top of them. See Documentation/mm/physical-memory.rst.
 *
 *	static struct zone *port_zone;
 *
 *	port_zone = zone_create("ipc.port", sizeof(struct ipc_port), 0, 0);
 *	struct ipc_port *port = zalloc(port_zone);
 *	if (port == NULL)
 *		return KERN_RESOURCE_SHORTAGE;
 *	...
 *	zfree(port_zone, port);
 *
 * A zone grows by chunks of pages from the page allocator (a chunk is one
 * to eight pages, whatever wastes least), hands out elements aligned to 16
 * bytes, and gives a chunk back to the page allocator when all its elements
 * are free (it keeps one empty chunk per zone; zone_gc() returns those too).
 * zalloc() returns NULL, never panics, when the zone is at its limit or
 * memory is exhausted. Memory from zalloc() is not cleared.
 *
 * Each CPU keeps a small cache of free elements per zone (up to 15), so
 * that zalloc() and zfree() are a pop and a push with interrupts disabled
 * on this CPU; in_use and the limit stay exact (elements in caches count
 * as free), and zone_gc() empties the caches first. high_water is exact
 * for a zone with a limit and an upper bound without one (struct
 * zone_stats).
 *
 * zfree() checks that the element belongs to the zone (a panic naming the
 * zone otherwise); with CONFIG_ZONE_DEBUG it also catches double frees,
 * writes to freed elements (free elements are poisoned and checked when
 * handed out again) and overruns (a red zone on each side of every
 * element).
 *
 * zalloc/zfree and the zone functions may be called with interrupts
 * disabled, from any CPU (they take pages from vm_page only). kalloc() and
 * kfree() above KALLOC_MAX_ZONE_SIZE go to kmem, which wants interrupts
 * enabled once other CPUs are up (<kern/kmem.h>).
 */
#ifndef _KERN_ZALLOC_H
#define _KERN_ZALLOC_H

#include <kern/types.h>

struct zone;

/* zone_create() flags */
#define ZONE_NOGC	0x1	/* keep empty chunks: never give pages back */

/* The largest element a zone takes; larger objects: kmem_alloc_wired(). */
#define ZONE_MAX_ELEM_SIZE	(8 * 4096 - 64)
#define ZONE_ALIGN		16

/*
 * A zone of elements of elem_size bytes named `name` (the string must stay;
 * shown by zone_print_all()). max_elems limits how many are allocated at
 * once (0: no limit). NULL if elem_size is 0 or too large, or without
 * memory.
 */
struct zone *zone_create(const char *name, vm_size_t elem_size,
			 unsigned long max_elems, unsigned int flags);

/*
 * A constructor for z's elements (before its first zalloc(); panics
 * otherwise), for objects whose fresh state costs more to build than to
 * keep: zalloc() then returns an element as ctor(elem) leaves it or as
 * the zfree() that gave it back left it, and every zfree() of the zone
 * must give back an element in that constructed state. ctor runs with
 * interrupts disabled: stores only (no locks, no allocation). Elements
 * are constructed again when they come out of the zone's chunks, and on
 * every zalloc() with CONFIG_ZONE_DEBUG (whose poison overwrites free
 * elements). Counting is unchanged: cached elements count as free.
 */
void zone_set_ctor(struct zone *zone, void (*ctor)(void *elem));

/* Give a zone's pages back and forget it; panics if elements are in use. */
void zone_destroy(struct zone *zone);

/* An element, or NULL at the limit or without memory. */
void *zalloc(struct zone *zone);

/* Give an element back to the zone it came from. */
void zfree(struct zone *zone, void *elem);

/*
 * Empty every CPU's caches, then give every zone's empty chunks back to the
 * page allocator. Returns pages. Another CPU's caches are drained on that
 * CPU (a cross-CPU call): called with interrupts disabled, zone_gc() only
 * drains this CPU's.
 */
unsigned long zone_gc(void);

struct zone_stats {
	const char	*name;
	vm_size_t	elem_size;	/* as created */
	vm_size_t	elem_stride;	/* bytes per element, red zones included */
	unsigned long	max_elems;	/* 0: no limit */
	unsigned long	in_use;		/* elements allocated now */
	unsigned long	free;		/* free elements: chunks and CPU caches */
	unsigned long	cached;		/* of those, in CPU caches */
	/*
	 * With max_elems: the most elements in use at once, exactly.
	 * Without (the fast paths then share no counter): the most elements
	 * out of the zone's chunks at once, in use or in CPU caches; at
	 * least the most in use at once, at most that plus what the caches
	 * held then (CPUs * cache_max). Allocations that never free, from a
	 * fresh zone, leave it at in_use + cached.
	 */
	unsigned long	high_water;
	unsigned long	pages;		/* pages the zone holds */
	unsigned long	failures;	/* zalloc() calls that returned NULL */
	unsigned int	cache_max;	/* elements a CPU's cache holds at most */
	vm_size_t	chunk_size;	/* bytes the zone grows by */
	unsigned int	flags;		/* ZONE_NOGC ... as created */
};

void zone_get_stats(struct zone *zone, struct zone_stats *stats);

/* One line per zone: the `zones` command of the shell. */
void zone_print_all(void);

/* Call fn on each zone (registry order); the registry is locked meanwhile. */
void zone_for_each(void (*fn)(struct zone *zone, void *arg), void *arg);

/* Create the kalloc zones: after vm_page_bootstrap() and kmem_bootstrap(). */
void zone_bootstrap(void);

/*
 * kalloc: size bytes, from the power-of-two zone "kalloc.N" that fits
 * (16 .. 4096 bytes), or from kmem_alloc_wired() above that. NULL for size
 * 0 or without memory. kfree() takes the size given to kalloc(), as Mach's.
 */
#define KALLOC_MIN_SIZE		16
#define KALLOC_MAX_ZONE_SIZE	4096

void *kalloc(vm_size_t size);
void kfree(void *ptr, vm_size_t size);

/* The zone kalloc(size) uses, or NULL for size 0 and sizes above a page. */
struct zone *kalloc_zone(vm_size_t size);

/*
 * Zone debugging reports. By default each is a panic naming the zone; a
 * test may catch the next reports instead, and the zone then repairs what
 * it can (an overrun or use after free is repainted, a double free or a
 * foreign free is ignored) and goes on.
 */
enum zone_report_kind {
	ZONE_REPORT_NONE = 0,
	ZONE_REPORT_FOREIGN,		/* freed a pointer that is not the zone's */
	ZONE_REPORT_DOUBLE_FREE,	/* CONFIG_ZONE_DEBUG */
	ZONE_REPORT_USE_AFTER_FREE,	/* CONFIG_ZONE_DEBUG: poison changed */
	ZONE_REPORT_OVERRUN,		/* CONFIG_ZONE_DEBUG: red zone changed */
};

struct zone_debug_report {
	enum zone_report_kind	kind;		/* of the first report */
	const struct zone	*zone;
	const void		*elem;
	long			offset;		/* of the first bad byte, from elem */
	unsigned int		count;		/* reports caught */
};

/* For tests only: catch reports in *report until zone_debug_end_expect(). */
void zone_debug_expect_report(struct zone_debug_report *report);
/* Back to panics; returns how many reports were caught. */
unsigned int zone_debug_end_expect(void);

const char *zone_report_kind_name(enum zone_report_kind kind);

#endif /* _KERN_ZALLOC_H */

// SPDX-License-Identifier: MIT
/*
 * Tests of zones and kalloc: allocation and the counters, limits, element
 * alignment, growth and zone_gc, kalloc's size classes, and the reports
 * (a foreign free always; with CONFIG_ZONE_DEBUG a double free, a use
 * after free and an overrun), caught through zone_debug_expect_report()
 * rather than a panic; the per-CPU caches: elements freed on one CPU and
 * allocated on another with exact counts, zone_gc() emptying every CPU's
 * caches, the limit with elements cached; constructors (zone_set_ctor()).
 * Every case ends with the pages it took given back.
 */
#include <kern/cpu.h>
#include <kern/kmem.h>
#include <kern/smp.h>
#include <kern/thread.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <ktest.h>

/* Pages allocated when the case started, after a zone_gc(). */
static unsigned long zalloc_test_base_pages;

static unsigned long zalloc_test_allocated_pages(void)
{
	struct vm_page_stats s;

	zone_gc();
	vm_page_cache_drain();
	vm_page_get_stats(&s);
	return s.allocated;
}

static int zalloc_test_suite_init(struct ktest_suite *suite)
{
	struct zone *z;

	if (!vm_page_ready() || !kalloc_zone(1))
		return 1;
	/* The zone of zones keeps its first page: take it now. */
	z = zone_create("test.warmup", 8, 0, 0);
	if (!z)
		return 1;
	zone_destroy(z);
	return 0;
}

static int zalloc_test_init(struct ktest *t)
{
	zalloc_test_base_pages = zalloc_test_allocated_pages();
	return 0;
}

static void zalloc_test_exit(struct ktest *t)
{
	zone_debug_end_expect();
	KTEST_EXPECT_EQ(t, zalloc_test_allocated_pages(), zalloc_test_base_pages);
}

static void zalloc_test_basic(struct ktest *t)
{
	enum { N = 10 };
	struct zone *z = zone_create("test.basic", 40, 0, 0);
	struct zone_stats s;
	unsigned long hw;
	uint8_t *e[N];
	unsigned int i, j;

	KTEST_ASSERT_NOT_NULL(t, z);
	for (i = 0; i < N; i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
		memset(e[i], (int)i, 40);
		for (j = 0; j < i; j++)
			KTEST_EXPECT_PTR_NE(t, e[i], e[j]);
	}
	for (i = 0; i < N; i++)
		KTEST_EXPECT_EQ(t, e[i][0] + e[i][39], 2 * (int)i);

	zone_get_stats(z, &s);
	KTEST_EXPECT_STREQ(t, s.name, "test.basic");
	KTEST_EXPECT_EQ(t, s.elem_size, (vm_size_t)40);
	KTEST_EXPECT_GE(t, s.elem_stride, (vm_size_t)48);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)N);
	/* No limit: the peak taken from the chunks, caches included. */
	KTEST_EXPECT_EQ(t, s.high_water, s.in_use + s.cached);
	hw = s.high_water;
	KTEST_EXPECT_GE(t, s.pages, 1ul);
	KTEST_EXPECT_EQ(t, (s.in_use + s.free) * s.elem_stride <= s.pages * PAGE_SIZE, true);

	for (i = 0; i < N; i++)
		zfree(z, e[i]);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_EQ(t, s.high_water, hw);
	KTEST_EXPECT_EQ(t, s.failures, 0ul);
	zone_destroy(z);
}

/* A freed element is the next one handed out (LIFO: it is cache-warm). */
static void zalloc_test_reuse(struct ktest *t)
{
	struct zone *z = zone_create("test.reuse", 100, 0, 0);
	void *a, *b;

	KTEST_ASSERT_NOT_NULL(t, z);
	a = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, a);
	zfree(z, a);
	b = zalloc(z);
	KTEST_EXPECT_PTR_EQ(t, a, b);
	zfree(z, b);
	zone_destroy(z);
}

struct zalloc_test_obj {
	uint64_t	magic;		/* the word a chunk's free list overwrites */
	uint64_t	state;
	uint8_t		rest[48];
};

#define ZALLOC_TEST_MAGIC	0x0b1ec7c0b1ec7c0bUL

static unsigned long zalloc_test_ctor_calls;

static void zalloc_test_ctor(void *elem)
{
	struct zalloc_test_obj *o = elem;

	o->magic = ZALLOC_TEST_MAGIC;
	o->state = 0;
	zalloc_test_ctor_calls++;
}

/*
 * A zone with a constructor hands out constructed elements, and one given
 * back through zfree() comes out again as it was freed (without
 * CONFIG_ZONE_DEBUG; with it the poison forces a construction on every
 * zalloc()); elements that went back to their chunks are constructed
 * again; the counts are those of any zone.
 */
static void zalloc_test_ctor_state(struct ktest *t)
{
	enum { N = 40 };
	struct zone *z = zone_create("test.ctor", sizeof(struct zalloc_test_obj), 0, 0);
	struct zalloc_test_obj *e[N], *o, *again;
	struct zone_stats s;
	unsigned long calls;
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, z);
	zone_set_ctor(z, zalloc_test_ctor);
	zalloc_test_ctor_calls = 0;
	for (i = 0; i < N; i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
		KTEST_EXPECT_EQ(t, e[i]->magic, ZALLOC_TEST_MAGIC);
		KTEST_EXPECT_EQ(t, e[i]->state, 0ul);
		e[i]->state = i + 1;
	}
	/* Each element out of a chunk once (a refill constructs its batch). */
	KTEST_EXPECT_GE(t, zalloc_test_ctor_calls, (unsigned long)N);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)N);
	KTEST_EXPECT_EQ(t, zalloc_test_ctor_calls, IS_ENABLED(CONFIG_ZONE_DEBUG) ?
			(unsigned long)N : s.in_use + s.cached);

	/* Freed in its constructed state, handed out again as it was. */
	preempt_disable();		/* the same CPU's cache */
	o = e[N - 1];
	zfree(z, o);
	calls = zalloc_test_ctor_calls;
	again = zalloc(z);
	preempt_enable();
	KTEST_EXPECT_PTR_EQ(t, again, o);
	if (IS_ENABLED(CONFIG_ZONE_DEBUG)) {
		KTEST_EXPECT_EQ(t, again->state, 0ul);
		KTEST_EXPECT_EQ(t, zalloc_test_ctor_calls, calls + 1);
	} else {
		KTEST_EXPECT_EQ(t, again->state, (unsigned long)N);
		KTEST_EXPECT_EQ(t, zalloc_test_ctor_calls, calls);
	}
	KTEST_EXPECT_EQ(t, again->magic, ZALLOC_TEST_MAGIC);

	for (i = 0; i < N; i++) {
		e[i]->state = 0;	/* the caller's part: back constructed */
		zfree(z, e[i]);
	}
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	/* Back in their chunks (links over the magic): constructed again. */
	zone_gc();
	calls = zalloc_test_ctor_calls;
	o = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, o);
	KTEST_EXPECT_EQ(t, o->magic, ZALLOC_TEST_MAGIC);
	KTEST_EXPECT_GT(t, zalloc_test_ctor_calls, calls);
	zfree(z, o);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_EQ(t, s.failures, 0ul);
	zone_destroy(z);
}

static void zalloc_test_limit(struct ktest *t)
{
	enum { LIMIT = 5 };
	struct zone *z = zone_create("test.limit", 64, LIMIT, 0);
	struct zone_stats s;
	void *e[LIMIT];
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, z);
	for (i = 0; i < LIMIT; i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
	}
	KTEST_EXPECT_NULL(t, zalloc(z));
	KTEST_EXPECT_NULL(t, zalloc(z));
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)LIMIT);
	KTEST_EXPECT_EQ(t, s.max_elems, (unsigned long)LIMIT);
	KTEST_EXPECT_EQ(t, s.failures, 2ul);

	/* One back, one more allowed. */
	zfree(z, e[2]);
	e[2] = zalloc(z);
	KTEST_EXPECT_NOT_NULL(t, e[2]);
	KTEST_EXPECT_NULL(t, zalloc(z));
	for (i = 0; i < LIMIT; i++)
		if (e[i])
			zfree(z, e[i]);
	zone_destroy(z);
}

static const vm_size_t zalloc_test_sizes[] = {
	1, 7, 8, 15, 16, 17, 24, 40, 100, 255, 1000, 2048, 4000, 4096, 5000, 12000,
};

/* Elements of every size are ZONE_ALIGN aligned and do not overlap. */
static void zalloc_test_alignment(struct ktest *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(zalloc_test_sizes); i++) {
		vm_size_t size = zalloc_test_sizes[i];
		struct zone *z = zone_create("test.align", size, 0, 0);
		uint8_t *a, *b, *c;

		KTEST_ASSERT_NOT_NULL(t, z);
		a = zalloc(z);
		b = zalloc(z);
		c = zalloc(z);
		KTEST_ASSERT_TRUE(t, a && b && c);
		KTEST_EXPECT_EQ(t, (uintptr_t)a % ZONE_ALIGN, 0ul);
		KTEST_EXPECT_EQ(t, (uintptr_t)b % ZONE_ALIGN, 0ul);
		KTEST_EXPECT_EQ(t, (uintptr_t)c % ZONE_ALIGN, 0ul);
		memset(a, 0xa1, size);
		memset(b, 0xb2, size);
		memset(c, 0xc3, size);
		KTEST_EXPECT_EQ(t, a[size - 1] + b[0] + c[size - 1], 0xa1 + 0xb2 + 0xc3);
		KTEST_EXPECT_EQ(t, a[0], 0xa1);
		zfree(z, c);
		zfree(z, a);
		zfree(z, b);
		zone_destroy(z);
	}
	KTEST_EXPECT_NULL(t, zone_create("test.zero", 0, 0, 0));
	KTEST_EXPECT_NULL(t, zone_create("test.huge", ZONE_MAX_ELEM_SIZE + 1, 0, 0));
}

/*
 * Growth by chunks, pages back on free (all but one chunk, and those that
 * elements in a CPU cache still hold) and on zone_gc.
 */
static void zalloc_test_growth_gc(struct ktest *t)
{
	enum { CHUNKS = 20 };		/* more than a CPU cache can pin */
	struct zone *z = zone_create("test.grow", 256, 0, 0);
	struct zone_stats s;
	void **chain = NULL;
	unsigned long n = 0, per_chunk, pages_one, hw;
	void *e;

	KTEST_ASSERT_NOT_NULL(t, z);
	e = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, e);
	zone_get_stats(z, &s);
	per_chunk = s.in_use + s.free;
	pages_one = s.pages;
	KTEST_ASSERT_GE(t, per_chunk, 2ul);
	zfree(z, e);

	/* CHUNKS chunks and a bit, chained through the elements themselves. */
	while (n < CHUNKS * per_chunk + 1) {
		void **p = zalloc(z);

		KTEST_ASSERT_NOT_NULL(t, p);
		*p = chain;
		chain = p;
		n++;
	}
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.pages, (CHUNKS + 1) * pages_one);
	KTEST_EXPECT_EQ(t, s.in_use, n);
	KTEST_EXPECT_EQ(t, s.free, (CHUNKS + 1) * per_chunk - n);
	KTEST_EXPECT_EQ(t, s.high_water, s.in_use + s.cached);	/* no frees yet */
	hw = s.high_water;

	while (chain) {
		void **next = *chain;

		zfree(z, chain);
		chain = next;
	}
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_EQ(t, s.free, s.pages / pages_one * per_chunk);
	/* One chunk kept, plus at most one per element in a CPU cache. */
	KTEST_EXPECT_LE(t, s.cached, (unsigned long)s.cache_max);
	KTEST_EXPECT_LT(t, s.cached + 1, (unsigned long)CHUNKS);
	KTEST_EXPECT_LE(t, s.pages, (1 + s.cached) * pages_one);
	KTEST_EXPECT_EQ(t, s.high_water, hw);

	KTEST_EXPECT_GE(t, zone_gc(), s.pages);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.pages, 0ul);
	KTEST_EXPECT_EQ(t, s.free, 0ul);
	KTEST_EXPECT_EQ(t, s.cached, 0ul);
	zone_destroy(z);
}

/* ZONE_NOGC keeps its pages through frees and zone_gc(). */
static void zalloc_test_nogc(struct ktest *t)
{
	struct zone *z = zone_create("test.nogc", 2000, 0, ZONE_NOGC);
	struct zone_stats s;
	void *e[8];
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, z);
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
	}
	for (i = 0; i < ARRAY_SIZE(e); i++)
		zfree(z, e[i]);
	zone_gc();
	zone_get_stats(z, &s);
	KTEST_EXPECT_GE(t, s.pages * PAGE_SIZE, ARRAY_SIZE(e) * s.elem_stride);
	zone_destroy(z);	/* gives them back */
}

/* kalloc picks the smallest power of two that fits; kmem above a page. */
static void zalloc_test_kalloc(struct ktest *t)
{
	static const vm_size_t sizes[] = {
		1, 16, 17, 31, 32, 33, 100, 1000, 2049, 4095, 4096, 4097,
		3 * 4096 + 5, 64 * 1024,
	};
	struct kmem_stats k0, k1;
	unsigned int i;

	KTEST_EXPECT_NULL(t, kalloc(0));
	KTEST_EXPECT_NULL(t, kalloc_zone(0));
	KTEST_EXPECT_NULL(t, kalloc_zone(KALLOC_MAX_ZONE_SIZE + 1));
	kmem_get_stats(&k0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		vm_size_t size = sizes[i];
		struct zone *z = kalloc_zone(size);
		struct zone_stats s = { 0 };
		uint8_t *p = kalloc(size);

		KTEST_ASSERT_NOT_NULL(t, p);
		memset(p, 0x5c, size);
		KTEST_EXPECT_EQ(t, p[0] + p[size - 1], 2 * 0x5c);
		if (size <= KALLOC_MAX_ZONE_SIZE) {
			KTEST_ASSERT_NOT_NULL(t, z);
			zone_get_stats(z, &s);
			KTEST_EXPECT_GE(t, s.elem_size, size);
			KTEST_EXPECT_LT(t, s.elem_size / 2, MAX(size, (vm_size_t)KALLOC_MIN_SIZE));
			KTEST_EXPECT_EQ(t, s.elem_size & (s.elem_size - 1), (vm_size_t)0);
			KTEST_EXPECT_GE(t, s.in_use, 1ul);
		} else {
			KTEST_EXPECT_NULL(t, z);
			KTEST_EXPECT_TRUE(t, kmem_address((vm_offset_t)p));
			kmem_get_stats(&k1);
			KTEST_EXPECT_EQ(t, k1.wired_pages,
					k0.wired_pages + ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
		}
		kfree(p, size);
	}
	kmem_get_stats(&k1);
	KTEST_EXPECT_EQ(t, k1.wired_pages, k0.wired_pages);
	KTEST_EXPECT_EQ(t, k1.va_in_use, k0.va_in_use);
}

/* A pointer that is not the zone's is reported, and nothing changes. */
static void zalloc_test_foreign_free(struct ktest *t)
{
	struct zone *z = zone_create("test.foreign", 64, 0, 0);
	struct zone *other = zone_create("test.other", 64, 0, 0);
	struct zone_debug_report r;
	struct zone_stats s;
	uint8_t *a, *b;
	int local;

	KTEST_ASSERT_TRUE(t, z && other);
	a = zalloc(z);
	b = zalloc(other);
	KTEST_ASSERT_TRUE(t, a && b);

	zone_debug_expect_report(&r);
	zfree(z, b);			/* another zone's element */
	zfree(z, a + 8);		/* inside an element */
	zfree(z, &local);		/* not zone memory at all */
	zfree(z, NULL);
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 4u);
	KTEST_EXPECT_EQ(t, (int)r.kind, (int)ZONE_REPORT_FOREIGN);
	KTEST_EXPECT_PTR_EQ(t, r.zone, z);
	KTEST_EXPECT_PTR_EQ(t, r.elem, b);

	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 1ul);
	zfree(z, a);
	zfree(other, b);
	zone_destroy(z);
	zone_destroy(other);
}

/* kfree with the wrong size lands in the wrong kalloc zone: reported. */
static void zalloc_test_kfree_wrong_size(struct ktest *t)
{
	struct zone_debug_report r;
	void *p = kalloc(40);		/* kalloc.64 */

	KTEST_ASSERT_NOT_NULL(t, p);
	zone_debug_expect_report(&r);
	kfree(p, 100);			/* kalloc.128 */
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 1u);
	KTEST_EXPECT_EQ(t, (int)r.kind, (int)ZONE_REPORT_FOREIGN);
	KTEST_EXPECT_PTR_EQ(t, r.zone, kalloc_zone(100));
	kfree(p, 40);
}

static void zalloc_test_need_debug(struct ktest *t)
{
	if (!IS_ENABLED(CONFIG_ZONE_DEBUG))
		ktest_skip(t, "CONFIG_ZONE_DEBUG is off");
}

static void zalloc_test_double_free(struct ktest *t)
{
	struct zone *z;
	struct zone_debug_report r;
	struct zone_stats s;
	void *a, *b;

	zalloc_test_need_debug(t);
	z = zone_create("test.double", 48, 0, 0);
	KTEST_ASSERT_NOT_NULL(t, z);
	a = zalloc(z);
	b = zalloc(z);
	KTEST_ASSERT_TRUE(t, a && b);
	zfree(z, a);

	zone_debug_expect_report(&r);
	zfree(z, a);
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 1u);
	KTEST_EXPECT_EQ(t, (int)r.kind, (int)ZONE_REPORT_DOUBLE_FREE);
	KTEST_EXPECT_PTR_EQ(t, r.zone, z);
	KTEST_EXPECT_PTR_EQ(t, r.elem, a);

	/* The second free was ignored: one element still in use. */
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 1ul);
	zfree(z, b);
	zone_destroy(z);
}

static void zalloc_test_use_after_free(struct ktest *t)
{
	struct zone *z;
	struct zone_debug_report r;
	uint8_t *a, *b;

	zalloc_test_need_debug(t);
	z = zone_create("test.uaf", 64, 0, 0);
	KTEST_ASSERT_NOT_NULL(t, z);
	a = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, a);
	zfree(z, a);
	a[24] = 0;			/* the bug */

	zone_debug_expect_report(&r);
	b = zalloc(z);			/* hands out the same element */
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 1u);
	KTEST_EXPECT_PTR_EQ(t, b, a);
	KTEST_EXPECT_EQ(t, (int)r.kind, (int)ZONE_REPORT_USE_AFTER_FREE);
	KTEST_EXPECT_PTR_EQ(t, r.zone, z);
	KTEST_EXPECT_EQ(t, r.offset, 24l);

	/* Without the bug, reuse is quiet; a fresh element is poisoned. */
	zone_debug_expect_report(&r);
	zfree(z, b);
	b = zalloc(z);
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 0u);
	KTEST_ASSERT_NOT_NULL(t, b);
	KTEST_EXPECT_EQ(t, b[0], 0x6b);
	zfree(z, b);
	zone_destroy(z);
}

static void zalloc_test_overrun(struct ktest *t)
{
	struct zone *z;
	struct zone_debug_report r;
	uint8_t *a;

	zalloc_test_need_debug(t);
	z = zone_create("test.overrun", 20, 0, 0);
	KTEST_ASSERT_NOT_NULL(t, z);

	/* One byte past the end: inside the padding up to 32. */
	a = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, a);
	a[20] = 0;
	zone_debug_expect_report(&r);
	zfree(z, a);
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 1u);
	KTEST_EXPECT_EQ(t, (int)r.kind, (int)ZONE_REPORT_OVERRUN);
	KTEST_EXPECT_PTR_EQ(t, r.zone, z);
	KTEST_EXPECT_PTR_EQ(t, r.elem, a);
	KTEST_EXPECT_EQ(t, r.offset, 20l);

	/* Past the rounded size, and before the start. */
	a = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, a);
	a[35] = 0;
	a[-1] = 0;
	zone_debug_expect_report(&r);
	zfree(z, a);
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 2u);
	KTEST_EXPECT_EQ(t, (int)r.kind, (int)ZONE_REPORT_OVERRUN);
	KTEST_EXPECT_EQ(t, r.offset, -1l);

	/* Repaired: the next round trip is quiet. */
	zone_debug_expect_report(&r);
	a = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, a);
	memset(a, 0, 20);
	zfree(z, a);
	KTEST_EXPECT_EQ(t, zone_debug_end_expect(), 0u);
	zone_destroy(z);
}

struct zalloc_test_find {
	const char	*name;
	unsigned int	found;
};

static void zalloc_test_find_one(struct zone *z, void *arg)
{
	struct zalloc_test_find *f = arg;
	struct zone_stats s;

	zone_get_stats(z, &s);
	if (!strcmp(s.name, f->name))
		f->found++;
}

static void zalloc_test_registry(struct ktest *t)
{
	struct zalloc_test_find f = { .name = "test.registry" };
	struct zone *z = zone_create("test.registry", 32, 0, 0);

	KTEST_ASSERT_NOT_NULL(t, z);
	zone_for_each(zalloc_test_find_one, &f);
	KTEST_EXPECT_EQ(t, f.found, 1u);
	f.name = "kalloc.4096";
	f.found = 0;
	zone_for_each(zalloc_test_find_one, &f);
	KTEST_EXPECT_EQ(t, f.found, 1u);
	zone_print_all();

	zone_destroy(z);
	f.name = "test.registry";
	f.found = 0;
	zone_for_each(zalloc_test_find_one, &f);
	KTEST_EXPECT_EQ(t, f.found, 0u);
}

/* ------------------------------------------------------------------------
 * Per-CPU caches
 */

/* zalloc()/zfree() of a batch of elements, run on a chosen CPU. */
struct zalloc_test_batch {
	struct zone	*zone;
	void		**elems;
	unsigned int	n;
	unsigned int	got;		/* zalloc: the non-NULL ones */
};

static void zalloc_test_batch_alloc(void *arg)
{
	struct zalloc_test_batch *b = arg;
	unsigned int i;

	b->got = 0;
	for (i = 0; i < b->n; i++) {
		b->elems[i] = zalloc(b->zone);
		if (b->elems[i])
			b->got++;
	}
}

static void zalloc_test_batch_free(void *arg)
{
	struct zalloc_test_batch *b = arg;
	unsigned int i;

	for (i = 0; i < b->n; i++) {
		if (b->elems[i])
			zfree(b->zone, b->elems[i]);
		b->elems[i] = NULL;
	}
}

/*
 * Run fn on `cpu` (a cross-CPU call, or directly with interrupts disabled
 * if it is this one): so that the test knows which CPU's cache is used,
 * wherever its own thread runs.
 */
static bool zalloc_test_on_cpu(unsigned int cpu, void (*fn)(void *), struct zone *z,
			       void **elems, unsigned int n, unsigned int *got)
{
	struct zalloc_test_batch b = { .zone = z, .elems = elems, .n = n };

	if (smp_call_on_cpu(cpu, fn, &b) != KERN_SUCCESS)
		return false;
	if (got)
		*got = b.got;
	return true;
}

/* No element twice among the n. */
static bool zalloc_test_distinct(void **elems, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (elems[i] && elems[i] == elems[j])
				return false;
	return true;
}

/* CPU 1 is up (never on a kernel built for one CPU: no cpu_data for it). */
static bool zalloc_test_two_cpus(void)
{
	return MAX_CPUS >= 2 && __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE) >= 2 &&
	       __atomic_load_n(&cpu_data_of(MAX_CPUS - 1 ? 1 : 0)->online, __ATOMIC_ACQUIRE);
}

static void zalloc_test_need_two_cpus(struct ktest *t)
{
	if (!zalloc_test_two_cpus())
		ktest_skip(t, "one CPU");
}

/*
 * Elements allocated on CPU 0 and freed on CPU 1 go to CPU 1's cache and
 * from there, through the chunks, back to CPU 0; no element is handed out
 * twice, in_use, free, cached and high_water are exact all along, and
 * zone_gc() empties CPU 1's cache from here.
 */
static void zalloc_test_cache_cross_cpu(struct ktest *t)
{
	enum { N = 40 };		/* more than a cache holds: drains too */
	static void *a[N], *b[N / 2];
	struct zone_stats s;
	unsigned long hw;
	unsigned int got;
	struct zone *z;

	zalloc_test_need_two_cpus(t);
	z = zone_create("test.xcpu", 64, 0, 0);
	KTEST_ASSERT_NOT_NULL(t, z);

	KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(0, zalloc_test_batch_alloc, z, a, N, &got));
	KTEST_EXPECT_EQ(t, got, (unsigned int)N);
	KTEST_EXPECT_TRUE(t, zalloc_test_distinct(a, N));
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)N);
	KTEST_EXPECT_EQ(t, s.high_water, s.in_use + s.cached);	/* no frees yet */
	hw = s.high_water;

	KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_free, z, a, N, NULL));
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_GE(t, s.cached, 1ul);	/* the last frees: CPU 1's cache */
	KTEST_EXPECT_LE(t, s.cached, 2ul * s.cache_max);
	KTEST_EXPECT_EQ(t, s.free, s.pages * (PAGE_SIZE / s.elem_stride));	/* 1-page chunks */

	/* CPU 0 again: what CPU 1 drained to the chunks comes back here. */
	KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(0, zalloc_test_batch_alloc, z, a, N, &got));
	KTEST_EXPECT_EQ(t, got, (unsigned int)N);
	/* CPU 1 takes from its own cache: still all distinct. */
	KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_alloc, z, b, N / 2, &got));
	KTEST_EXPECT_EQ(t, got, (unsigned int)(N / 2));
	KTEST_EXPECT_TRUE(t, zalloc_test_distinct(a, N));
	KTEST_EXPECT_TRUE(t, zalloc_test_distinct(b, N / 2));
	{
		unsigned int i, j, same = 0;

		for (i = 0; i < N; i++)
			for (j = 0; j < N / 2; j++)
				same += a[i] == b[j];
		KTEST_EXPECT_EQ(t, same, 0u);
	}
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)(N + N / 2));
	/* The peak of taken: now (nothing drained since the allocations) or before. */
	KTEST_EXPECT_EQ(t, s.high_water, MAX(hw, s.in_use + s.cached));
	hw = s.high_water;

	/* Each half freed on the other CPU; then gc empties both caches. */
	KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_free, z, a, N, NULL));
	KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(0, zalloc_test_batch_free, z, b, N / 2, NULL));
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_GE(t, s.cached, 2ul);
	KTEST_EXPECT_EQ(t, s.high_water, hw);
	zone_gc();
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.cached, 0ul);
	KTEST_EXPECT_EQ(t, s.pages, 0ul);
	zone_destroy(z);
}

/*
 * zone_gc() gives back the pages that only elements in CPU caches held,
 * on every CPU, and zone_destroy() those of a zone with cached elements.
 */
static void zalloc_test_cache_gc(struct ktest *t)
{
	enum { N = 64 };
	static void *e[N];
	struct zone *z = zone_create("test.cachegc", 200, 0, 0);
	struct zone *z2 = zone_create("test.cachegc2", 48, 0, 0);
	bool two = zalloc_test_two_cpus();
	struct zone_stats s;
	unsigned int i;
	void *x;

	KTEST_ASSERT_TRUE(t, z && z2);
	for (i = 0; i < N; i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
	}
	/* Half freed here, half on another CPU when there is one. */
	for (i = 0; i < N / 2; i++) {
		zfree(z, e[i]);
		e[i] = NULL;
	}
	if (two)
		KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_free, z,
							e + N / 2, N / 2, NULL));
	else
		for (i = N / 2; i < N; i++)
			zfree(z, e[i]);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_GE(t, s.cached, two ? 2ul : 1ul);
	KTEST_EXPECT_GE(t, s.pages, 1ul);

	KTEST_EXPECT_GE(t, zone_gc(), s.pages);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.cached, 0ul);
	KTEST_EXPECT_EQ(t, s.pages, 0ul);
	KTEST_EXPECT_EQ(t, s.free, 0ul);
	zone_destroy(z);

	/* Destroyed with an element in a cache: its page comes back too. */
	x = zalloc(z2);
	KTEST_ASSERT_NOT_NULL(t, x);
	zfree(z2, x);
	zone_get_stats(z2, &s);
	KTEST_EXPECT_GE(t, s.cached, 1ul);
	zone_destroy(z2);		/* the exit check counts the pages */
}

/*
 * The limit holds with elements in the CPU caches: a zone at its limit
 * fails even on a CPU whose cache has free elements, and an element
 * freed anywhere lets exactly one more in.
 */
static void zalloc_test_cache_limit(struct ktest *t)
{
	enum { LIMIT = 5 };
	static void *e[LIMIT], *more[3], *one[1];
	struct zone *z = zone_create("test.cachelimit", 64, LIMIT, 0);
	struct zone_stats s;
	unsigned int i, got;

	KTEST_ASSERT_NOT_NULL(t, z);
	for (i = 0; i < LIMIT; i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
	}
	zone_get_stats(z, &s);
	/* A refill takes a batch: free elements wait in a cache. */
	KTEST_EXPECT_GE(t, s.cached, 1ul);
	KTEST_EXPECT_NULL(t, zalloc(z));
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)LIMIT);
	KTEST_EXPECT_EQ(t, s.high_water, (unsigned long)LIMIT);
	KTEST_EXPECT_EQ(t, s.failures, 1ul);

	if (zalloc_test_two_cpus()) {
		/* Two freed into CPU 1's cache; CPU 0 takes their places. */
		KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_free, z, e, 2, NULL));
		KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(0, zalloc_test_batch_alloc, z, more, 3, &got));
		KTEST_EXPECT_EQ(t, got, 2u);
		/* CPU 1 has cached elements, yet the zone is full. */
		KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_alloc, z, one, 1, &got));
		KTEST_EXPECT_EQ(t, got, 0u);
		zone_get_stats(z, &s);
		KTEST_EXPECT_GE(t, s.cached, 2ul);
		KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)LIMIT);
		KTEST_EXPECT_EQ(t, s.failures, 3ul);
		/* One freed on CPU 0: CPU 1 gets one, from its cache. */
		KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(0, zalloc_test_batch_free, z, more, 1, NULL));
		KTEST_ASSERT_TRUE(t, zalloc_test_on_cpu(1, zalloc_test_batch_alloc, z, one, 1, &got));
		KTEST_EXPECT_EQ(t, got, 1u);
	} else {
		zfree(z, e[0]);
		e[0] = zalloc(z);
		KTEST_EXPECT_NOT_NULL(t, e[0]);
	}
	KTEST_EXPECT_NULL(t, zalloc(z));
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)LIMIT);
	KTEST_EXPECT_EQ(t, s.high_water, (unsigned long)LIMIT);
	for (i = 0; i < LIMIT; i++)
		if (e[i])
			zfree(z, e[i]);
	for (i = 0; i < ARRAY_SIZE(more); i++)
		if (more[i])
			zfree(z, more[i]);
	if (one[0])
		zfree(z, one[0]);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	zone_destroy(z);
}

/*
 * high_water (<kern/zalloc.h>). Without a limit: the peak of the elements
 * out of the chunks, in use or in CPU caches, which frees and zone_gc()
 * leave alone; at least the peak in use, at most that plus the caches.
 * With a limit: exactly the peak in use, cached elements not counted.
 */
static void zalloc_test_high_water(struct ktest *t)
{
	enum { N = 40 };
	struct zone *z = zone_create("test.hw", 64, 0, 0);
	struct zone *lz = zone_create("test.hw.limit", 64, N, 0);
	unsigned long hw, cpus = __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE);
	struct zone_stats s;
	void *e[N];
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, z);
	KTEST_ASSERT_NOT_NULL(t, lz);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.high_water, 0ul);

	/* One element: the refill took a batch out of the chunks. */
	e[0] = zalloc(z);
	KTEST_ASSERT_NOT_NULL(t, e[0]);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 1ul);
	KTEST_EXPECT_GE(t, s.cached, 1ul);
	KTEST_EXPECT_EQ(t, s.high_water, 1 + s.cached);
	hw = s.high_water;
	zfree(z, e[0]);
	zone_gc();
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_EQ(t, s.cached, 0ul);
	KTEST_EXPECT_EQ(t, s.high_water, hw);

	/* N at once, then none: N <= high_water <= N + the caches. */
	for (i = 0; i < N; i++) {
		e[i] = zalloc(z);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
	}
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, (unsigned long)N);
	KTEST_EXPECT_EQ(t, s.high_water, MAX(hw, s.in_use + s.cached));
	for (i = 0; i < N; i++)
		zfree(z, e[i]);
	zone_get_stats(z, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_GE(t, s.high_water, (unsigned long)N);
	KTEST_EXPECT_LE(t, s.high_water, N + cpus * s.cache_max);

	/* With a limit: the elements in use only. */
	for (i = 0; i < 3; i++) {
		e[i] = zalloc(lz);
		KTEST_ASSERT_NOT_NULL(t, e[i]);
	}
	zone_get_stats(lz, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 3ul);
	KTEST_EXPECT_GE(t, s.cached, 1ul);
	KTEST_EXPECT_EQ(t, s.high_water, 3ul);
	for (i = 0; i < 3; i++)
		zfree(lz, e[i]);
	e[0] = zalloc(lz);
	KTEST_ASSERT_NOT_NULL(t, e[0]);
	zfree(lz, e[0]);
	zone_get_stats(lz, &s);
	KTEST_EXPECT_EQ(t, s.in_use, 0ul);
	KTEST_EXPECT_EQ(t, s.high_water, 3ul);
	zone_destroy(lz);
	zone_destroy(z);
}

static struct ktest_case zalloc_test_cases[] = {
	KTEST_CASE(zalloc_test_basic),
	KTEST_CASE(zalloc_test_reuse),
	KTEST_CASE(zalloc_test_ctor_state),
	KTEST_CASE(zalloc_test_limit),
	KTEST_CASE(zalloc_test_alignment),
	KTEST_CASE(zalloc_test_growth_gc),
	KTEST_CASE(zalloc_test_nogc),
	KTEST_CASE(zalloc_test_kalloc),
	KTEST_CASE(zalloc_test_foreign_free),
	KTEST_CASE(zalloc_test_kfree_wrong_size),
	KTEST_CASE(zalloc_test_double_free),
	KTEST_CASE(zalloc_test_use_after_free),
	KTEST_CASE(zalloc_test_overrun),
	KTEST_CASE(zalloc_test_registry),
	KTEST_CASE(zalloc_test_cache_cross_cpu),
	KTEST_CASE(zalloc_test_cache_gc),
	KTEST_CASE(zalloc_test_cache_limit),
	KTEST_CASE(zalloc_test_high_water),
	{}
};

static struct ktest_suite zalloc_test_suite = {
	.name = "zalloc",
	.suite_init = zalloc_test_suite_init,
	.init = zalloc_test_init,
	.exit = zalloc_test_exit,
	.test_cases = zalloc_test_cases,
};
KTEST_SUITE(zalloc_test_suite);

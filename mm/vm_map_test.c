// SPDX-License-Identifier: MIT
/*
 * The vm_map suite: entries, clipping, coalescing, protections,
 * inheritance, vm_region, and random operations against a model. No
 * page is touched here (that is the vm_fault suite's work); every case
 * checks that map entries and objects are back at their baseline.
 */
#include <kern/pmap.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <ktest.h>

#define VM_MAP_TEST_BASE	0x10000000UL
#define VM_MAP_TEST_PAGES	256
#define VM_MAP_TEST_END		(VM_MAP_TEST_BASE + VM_MAP_TEST_PAGES * PAGE_SIZE)

static unsigned long vm_map_test_entries0, vm_map_test_objects0;

static int vm_map_test_init(struct ktest *t)
{
	vm_map_test_entries0 = vm_map_entry_count();
	vm_map_test_objects0 = vm_object_count();
	return 0;
}

static void vm_map_test_exit(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), vm_map_test_entries0);
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_map_test_objects0);
}

static vm_map_t vm_map_test_create(struct ktest *t)
{
	pmap_t pmap = pmap_create();
	vm_map_t map;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	map = vm_map_create(pmap, VM_MAP_TEST_BASE, VM_MAP_TEST_END);
	if (!map)
		pmap_destroy(pmap);
	KTEST_ASSERT_NOT_NULL(t, map);
	return map;
}

static vm_offset_t P(unsigned long n)
{
	return VM_MAP_TEST_BASE + n * PAGE_SIZE;
}

static void vm_map_test_enter(struct ktest *t)
{
	vm_map_t map = vm_map_test_create(t);
	struct vm_object *obj;
	vm_offset_t a = 0, b = 0, c;

	KTEST_EXPECT_EQ(t, vm_map_enter(map, &a, 2 * PAGE_SIZE, 0, true, NULL, 0, false,
					 VM_PROT_READ, VM_PROT_ALL, VM_INHERIT_COPY), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, a, P(0));
	/* Another protection: a separate entry right after. */
	KTEST_EXPECT_EQ(t, vm_map_enter(map, &b, PAGE_SIZE, 0, true, NULL, 0, false,
					 VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, b, P(2));
	KTEST_EXPECT_EQ(t, map->nentries, 2U);

	/* Fixed: taken, outside, misaligned, empty, prot above max, bad inheritance. */
	c = P(1);
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, PAGE_SIZE, false), KERN_NO_SPACE);
	c = P(2) - PAGE_SIZE / 2;
	KTEST_EXPECT_EQ(t, vm_map_enter(map, &c, PAGE_SIZE, 0, false, NULL, 0, false,
					 VM_PROT_READ, VM_PROT_ALL, VM_INHERIT_COPY),
			KERN_INVALID_ARGUMENT);
	c = VM_MAP_TEST_END;
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, PAGE_SIZE, false), KERN_INVALID_ADDRESS);
	c = VM_MAP_TEST_BASE - PAGE_SIZE;
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, PAGE_SIZE, false), KERN_INVALID_ADDRESS);
	c = P(10);
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, 0, false), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, vm_map_enter(map, &c, PAGE_SIZE, 0, false, NULL, 0, false,
					 VM_PROT_ALL, VM_PROT_READ, VM_INHERIT_COPY),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, vm_map_enter(map, &c, PAGE_SIZE, 0, false, NULL, 0, false,
					 VM_PROT_READ, VM_PROT_READ, 7), KERN_INVALID_ARGUMENT);

	/* Aligned anywhere: 16 pages. */
	c = 0;
	KTEST_EXPECT_EQ(t, vm_map_enter(map, &c, PAGE_SIZE, 16 * PAGE_SIZE - 1, true, NULL, 0,
					 false, VM_PROT_READ, VM_PROT_ALL, VM_INHERIT_COPY),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, c, P(16));

	/* An object of our own, mapped at an offset. */
	obj = vm_object_allocate(8 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, obj);
	c = P(40);
	KTEST_EXPECT_EQ(t, vm_map_enter(map, &c, 4 * PAGE_SIZE, 0, false, obj, 2 * PAGE_SIZE,
					 false, VM_PROT_READ, VM_PROT_ALL, VM_INHERIT_SHARE),
			KERN_SUCCESS);

	/* Too big for what is left: no space. */
	c = 0;
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, VM_MAP_TEST_PAGES * PAGE_SIZE, true),
			KERN_NO_SPACE);
	/* Fill every hole: then even a page does not fit. */
	while (vm_map_allocate(map, &c, PAGE_SIZE, true) == KERN_SUCCESS)
		c = 0;
	c = 0;
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, PAGE_SIZE, true), KERN_NO_SPACE);
	KTEST_EXPECT_EQ(t, map->size, VM_MAP_TEST_PAGES * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, vm_map_verify(map));
	vm_map_deallocate(map);
}

static void vm_map_test_coalesce(struct ktest *t)
{
	vm_map_t map = vm_map_test_create(t);
	vm_offset_t a = P(4), b = P(5), c = P(3), r;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &a, PAGE_SIZE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &b, 2 * PAGE_SIZE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map->nentries, 1U);
	/* Before the entry: a new entry (only growth upwards coalesces). */
	KTEST_EXPECT_EQ(t, vm_map_allocate(map, &c, PAGE_SIZE, false), KERN_SUCCESS);
	r = P(4);
	KTEST_EXPECT_EQ(t, vm_map_region(map, &r, &size, &prot, &max, &inh, &shared,
					  NULL, NULL), KERN_SUCCESS);
	/* ... and then merged with the entry after it. */
	KTEST_EXPECT_EQ(t, map->nentries, 1U);
	KTEST_EXPECT_EQ(t, r, P(3));
	KTEST_EXPECT_EQ(t, size, 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, prot, VM_PROT_DEFAULT);
	KTEST_EXPECT_EQ(t, max, VM_PROT_ALL);
	KTEST_EXPECT_EQ(t, inh, VM_INHERIT_DEFAULT);
	KTEST_EXPECT_FALSE(t, shared);
	KTEST_EXPECT_TRUE(t, vm_map_verify(map));
	vm_map_deallocate(map);
}

static void vm_map_test_clip(struct ktest *t)
{
	vm_map_t map = vm_map_test_create(t);
	vm_offset_t a = P(0), r;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 8 * PAGE_SIZE, false), KERN_SUCCESS);
	/* Protect the middle: three entries. */
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(2), P(4), VM_PROT_READ, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map->nentries, 3U);
	r = P(3);
	KTEST_EXPECT_EQ(t, vm_map_region(map, &r, &size, &prot, &max, &inh, &shared,
					  NULL, NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, r, P(2));
	KTEST_EXPECT_EQ(t, size, 2 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, prot, VM_PROT_READ);
	/* Inherit across the edge: four. */
	KTEST_EXPECT_EQ(t, vm_map_inherit(map, P(3), P(6), VM_INHERIT_NONE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map->nentries, 5U);
	KTEST_EXPECT_TRUE(t, vm_map_verify(map));
	/* Undo both: one entry again. */
	KTEST_EXPECT_EQ(t, vm_map_inherit(map, P(0), P(8), VM_INHERIT_COPY), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(0), P(8), VM_PROT_DEFAULT, false),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map->nentries, 1U);
	/* Remove the middle, and a range with holes. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, P(3), P(5)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map->nentries, 2U);
	KTEST_EXPECT_EQ(t, map->size, 6 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, vm_map_remove(map, P(2), P(7)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, map->size, 3 * PAGE_SIZE);
	r = P(2);
	KTEST_EXPECT_EQ(t, vm_map_region(map, &r, &size, &prot, &max, &inh, &shared,
					  NULL, NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, r, P(7));
	r = P(8);
	KTEST_EXPECT_EQ(t, vm_map_region(map, &r, &size, &prot, &max, &inh, &shared,
					  NULL, NULL), KERN_NO_SPACE);
	KTEST_EXPECT_TRUE(t, vm_map_verify(map));
	vm_map_deallocate(map);
}

static void vm_map_test_protect(struct ktest *t)
{
	vm_map_t map = vm_map_test_create(t);
	vm_offset_t a = P(0), r;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 4 * PAGE_SIZE, false), KERN_SUCCESS);
	/* Lower the maximum: the current protection follows. */
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(0), P(4), VM_PROT_READ, true), KERN_SUCCESS);
	r = P(0);
	vm_map_region(map, &r, &size, &prot, &max, &inh, &shared, NULL, NULL);
	KTEST_EXPECT_EQ(t, prot, VM_PROT_READ);
	KTEST_EXPECT_EQ(t, max, VM_PROT_READ);
	/* Above the maximum: refused, nothing changes. */
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(1), P(2), VM_PROT_DEFAULT, false),
			KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(1), P(2), VM_PROT_ALL, true),
			KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, map->nentries, 1U);
	/* None is allowed; a hole is not. */
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(1), P(2), VM_PROT_NONE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(3), P(5), VM_PROT_NONE, false),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, P(0), P(1), 0x100, false),
			KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, vm_map_inherit(map, P(0), P(1), 9), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_TRUE(t, vm_map_verify(map));
	vm_map_deallocate(map);
}

/* A tiny deterministic generator (xorshift). */
static uint64_t vm_map_test_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The model: per page, 0 if unmapped, else the protection + 1. */
static bool vm_map_test_model_check(vm_map_t map, const uint8_t *model)
{
	vm_offset_t r = VM_MAP_TEST_BASE;
	unsigned long page = 0, end;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	while (vm_map_region(map, &r, &size, &prot, &max, &inh, &shared, NULL, NULL) ==
	       KERN_SUCCESS) {
		unsigned long first = (r - VM_MAP_TEST_BASE) / PAGE_SIZE;

		for (; page < first; page++)
			if (model[page])
				return false;
		end = first + size / PAGE_SIZE;
		for (; page < end; page++)
			if (model[page] != prot + 1)
				return false;
		r += size;
	}
	for (; page < VM_MAP_TEST_PAGES; page++)
		if (model[page])
			return false;
	return true;
}

static void vm_map_test_random(struct ktest *t)
{
	static uint8_t model[VM_MAP_TEST_PAGES];
	vm_map_t map = vm_map_test_create(t);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned int i, bad = 0, max_entries = 0;

	memset(model, 0, sizeof(model));
	for (i = 0; i < 3000 && !bad; i++) {
		unsigned long first = vm_map_test_rand(&seed) % VM_MAP_TEST_PAGES;
		unsigned long n = 1 + vm_map_test_rand(&seed) % 8, p;
		unsigned int op = vm_map_test_rand(&seed) % 4;
		vm_prot_t prot = 1 + vm_map_test_rand(&seed) % 3;
		vm_offset_t a = P(first);
		bool free = true, full = true;
		kern_return_t kr, want;

		if (first + n > VM_MAP_TEST_PAGES)
			n = VM_MAP_TEST_PAGES - first;
		for (p = first; p < first + n; p++) {
			free &= !model[p];
			full &= model[p] != 0;
		}
		switch (op) {
		case 0:
		case 1:
			want = free ? KERN_SUCCESS : KERN_NO_SPACE;
			kr = vm_map_enter(map, &a, n * PAGE_SIZE, 0, false, NULL, 0, false,
					  prot, VM_PROT_ALL, VM_INHERIT_COPY);
			if (kr == KERN_SUCCESS)
				memset(&model[first], prot + 1, n);
			break;
		case 2:
			want = KERN_SUCCESS;
			kr = vm_map_remove(map, a, a + n * PAGE_SIZE);
			memset(&model[first], 0, n);
			break;
		default:
			want = full ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
			kr = vm_map_protect(map, a, a + n * PAGE_SIZE, prot, false);
			if (kr == KERN_SUCCESS)
				memset(&model[first], prot + 1, n);
			break;
		}
		max_entries = MAX(max_entries, map->nentries);
		if (kr != want) {
			KTEST_FAIL(t, "op %u %u: [%lu, +%lu) returned %d, wanted %d", i, op,
				   first, n, kr, want);
			bad++;
		} else if (!vm_map_verify(map) || !vm_map_test_model_check(map, model)) {
			KTEST_FAIL(t, "op %u %u: [%lu, +%lu): the map differs from the model",
				   i, op, first, n);
			vm_map_print(map);
			bad++;
		}
	}
	KTEST_EXPECT_EQ(t, bad, 0U);
	KTEST_EXPECT_GT(t, max_entries, 20U);	/* the tree was exercised */
	vm_map_deallocate(map);
}

/* The hint and the tree agree for a map of many entries, looked up in any order. */
static void vm_map_test_lookup(struct ktest *t)
{
	vm_map_t map = vm_map_test_create(t);
	struct vm_map_entry *e;
	unsigned int i;
	vm_offset_t a;

	/* Every other page, alternating protections so nothing coalesces. */
	for (i = 0; i < VM_MAP_TEST_PAGES; i += 2) {
		a = P(i);
		KTEST_ASSERT_EQ(t, vm_map_enter(map, &a, PAGE_SIZE, 0, false, NULL, 0, false,
						 1 + (i / 2) % 3, VM_PROT_ALL, VM_INHERIT_COPY),
				KERN_SUCCESS);
	}
	KTEST_EXPECT_EQ(t, map->nentries, VM_MAP_TEST_PAGES / 2U);
	vm_map_lock(map);
	for (i = 0; i < VM_MAP_TEST_PAGES; i++) {
		unsigned int j = (i * 37) % VM_MAP_TEST_PAGES;
		bool found = vm_map_lookup_entry(map, P(j) + 17, &e);

		if (j % 2 == 0) {
			KTEST_EXPECT_TRUE(t, found && e->start == P(j));
		} else {
			KTEST_EXPECT_TRUE(t, !found && e->start == P(j - 1));
		}
	}
	KTEST_EXPECT_FALSE(t, vm_map_lookup_entry(map, VM_MAP_TEST_BASE - 1, &e));
	KTEST_EXPECT_TRUE(t, e == &map->header);
	vm_map_unlock(map);
	KTEST_EXPECT_TRUE(t, vm_map_verify(map));
	vm_map_deallocate(map);
}

static struct ktest_case vm_map_test_cases[] = {
	KTEST_CASE(vm_map_test_enter),
	KTEST_CASE(vm_map_test_coalesce),
	KTEST_CASE(vm_map_test_clip),
	KTEST_CASE(vm_map_test_protect),
	KTEST_CASE(vm_map_test_lookup),
	KTEST_CASE(vm_map_test_random),
	{}
};

static struct ktest_suite vm_map_test_suite = {
	.name = "vm_map",
	.init = vm_map_test_init,
	.exit = vm_map_test_exit,
	.test_cases = vm_map_test_cases,
};
KTEST_SUITE(vm_map_test_suite);

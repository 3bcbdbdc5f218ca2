// SPDX-License-Identifier: MIT
/*
 * The vm_fault suite: kernel threads run in user maps (vm_map_switch())
 * and touch their memory, so that real page faults on lower-half
 * addresses go through the trap handlers to vm_fault(): demand zero,
 * copy-on-write after vm_map_fork(), each inheritance, protection
 * failures, shadow chain collapse and wiring. Every case checks that
 * pages, objects and map entries are back at their baseline.
 */
#include <kern/pmap.h>
#include <kern/sched.h>
#include <kern/thread.h>
#include <kern/vm_fault.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/zalloc.h>
#include <ktest.h>
#include "vm_test_util.h"

#define VM_FAULT_TEST_BASE	0x20000000UL
#define VM_FAULT_TEST_END	(VM_FAULT_TEST_BASE + 1024 * PAGE_SIZE)

struct vm_fault_test_base {
	unsigned long	entries, objects, tabled, allocated;
};

static struct vm_fault_test_base vm_fault_test_base;

static int vm_fault_test_init(struct ktest *t)
{
	vm_fault_test_base.entries = vm_map_entry_count();
	vm_fault_test_base.objects = vm_object_count();
	vm_fault_test_base.tabled = vm_test_tabled();
	vm_fault_test_base.allocated = vm_test_allocated();
	return 0;
}

static void vm_fault_test_exit(struct ktest *t)
{
	KTEST_EXPECT_PTR_EQ(t, current_thread()->map, NULL);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), vm_fault_test_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_fault_test_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), vm_fault_test_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), vm_fault_test_base.allocated);
}

static void vm_fault_test_demand_zero(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END);
	vm_offset_t a = 0;
	unsigned long tabled = vm_test_tabled();
	bool w;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 4 * PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 0UL);
	/* A read fault: a zero-filled page. */
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 100), 0);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled + 1);
	/* A write fault on another page, then read back. */
	vm_test_poke(map, a + 2 * PAGE_SIZE + 5, 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 2 * PAGE_SIZE + 5), 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 2 * PAGE_SIZE + 6), 0);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled + 2);
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 2UL);
	KTEST_EXPECT_NE(t, vm_test_pa(map, a + 2 * PAGE_SIZE, &w), 0UL);
	KTEST_EXPECT_TRUE(t, w);
	/* vm_fault() directly: outside every entry. */
	KTEST_EXPECT_EQ(t, vm_fault(map, a + 4 * PAGE_SIZE, VM_PROT_READ, false),
			KERN_INVALID_ADDRESS);
	/* Removing the range frees the pages and the translations. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a, a + 4 * PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 0UL);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled);
	vm_map_deallocate(map);
}

static void vm_fault_test_protection(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END);
	vm_offset_t a = 0;
	bool w = true;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(map, a, 7);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, a, a + 2 * PAGE_SIZE, VM_PROT_READ, false),
			KERN_SUCCESS);
	/* The translation lost write at once; a write is refused, a read works. */
	vm_test_pa(map, a, &w);
	KTEST_EXPECT_FALSE(t, w);
	KTEST_EXPECT_EQ(t, vm_fault(map, a, VM_PROT_WRITE, false), KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, vm_fault(map, a + PAGE_SIZE, VM_PROT_WRITE, false),
			KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, vm_fault(map, a + PAGE_SIZE, VM_PROT_READ, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a), 7);
	/* None: even reads fail. */
	KTEST_EXPECT_EQ(t, vm_map_protect(map, a, a + PAGE_SIZE, VM_PROT_NONE, false),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_pa(map, a, NULL), 0UL);
	KTEST_EXPECT_EQ(t, vm_fault(map, a, VM_PROT_READ, false), KERN_PROTECTION_FAILURE);
	/* Write back within the maximum: the next write fault makes it writable. */
	KTEST_EXPECT_EQ(t, vm_map_protect(map, a, a + PAGE_SIZE, VM_PROT_DEFAULT, false),
			KERN_SUCCESS);
	vm_test_poke(map, a, 8);
	vm_test_pa(map, a, &w);
	KTEST_EXPECT_TRUE(t, w);
	vm_map_deallocate(map);
}

/* Fork with copy: both sides see the old data, each its own writes. */
static void vm_fault_test_cow(struct ktest *t)
{
	vm_map_t parent = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END), child;
	vm_offset_t a = 0;
	unsigned long tabled;
	bool w = true;

	KTEST_ASSERT_EQ(t, vm_map_allocate(parent, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(parent, a, 'A');
	vm_test_poke(parent, a + PAGE_SIZE, 'B');
	tabled = vm_test_tabled();

	child = vm_map_fork(parent);
	KTEST_ASSERT_NOT_NULL(t, child);
	/* The parent's translations are read-only now. */
	vm_test_pa(parent, a, &w);
	KTEST_EXPECT_FALSE(t, w);
	/* Reads share the pages. */
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a), 'A');
	KTEST_EXPECT_EQ(t, vm_test_pa(child, a, &w), vm_test_pa(parent, a, NULL));
	KTEST_EXPECT_FALSE(t, w);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled);
	/* A write copies, into the writer's shadow object. */
	vm_test_poke(child, a, 'C');
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled + 1);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a), 'C');
	KTEST_EXPECT_EQ(t, vm_test_peek(parent, a), 'A');
	KTEST_EXPECT_NE(t, vm_test_pa(child, a, NULL), vm_test_pa(parent, a, NULL));
	vm_test_poke(parent, a + PAGE_SIZE, 'D');
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE), 'B');
	KTEST_EXPECT_EQ(t, vm_test_peek(parent, a + PAGE_SIZE), 'D');
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled + 2);

	/* A grandchild of the child sees the child's data. */
	{
		vm_map_t grandchild = vm_map_fork(child);

		KTEST_ASSERT_NOT_NULL(t, grandchild);
		KTEST_EXPECT_EQ(t, vm_test_peek(grandchild, a), 'C');
		KTEST_EXPECT_EQ(t, vm_test_peek(grandchild, a + PAGE_SIZE), 'B');
		vm_test_poke(grandchild, a, 'G');
		KTEST_EXPECT_EQ(t, vm_test_peek(child, a), 'C');
		vm_map_deallocate(grandchild);
	}
	vm_map_deallocate(child);
	KTEST_EXPECT_EQ(t, vm_test_peek(parent, a), 'A');
	vm_map_deallocate(parent);
}

static void vm_fault_test_inherit(struct ktest *t)
{
	vm_map_t parent = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END), child;
	vm_offset_t s = 0, n = 0, c = 0, r;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	KTEST_ASSERT_EQ(t, vm_map_allocate(parent, &s, PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_map_allocate(parent, &n, PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_map_allocate(parent, &c, PAGE_SIZE, true), KERN_SUCCESS);
	/* One coalesced entry: split by inheritance. */
	KTEST_EXPECT_EQ(t, vm_map_inherit(parent, s, s + PAGE_SIZE, VM_INHERIT_SHARE),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_inherit(parent, n, n + PAGE_SIZE, VM_INHERIT_NONE),
			KERN_SUCCESS);
	vm_test_poke(parent, s, 1);
	vm_test_poke(parent, n, 2);
	vm_test_poke(parent, c, 3);

	child = vm_map_fork(parent);
	KTEST_ASSERT_NOT_NULL(t, child);
	/* Share: both see each other's writes. */
	KTEST_EXPECT_EQ(t, vm_test_peek(child, s), 1);
	vm_test_poke(child, s, 11);
	KTEST_EXPECT_EQ(t, vm_test_peek(parent, s), 11);
	vm_test_poke(parent, s, 12);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, s), 12);
	r = s;
	KTEST_EXPECT_EQ(t, vm_map_region(child, &r, &size, &prot, &max, &inh, &shared,
					  NULL, NULL), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, shared);
	/* None: a hole in the child. */
	KTEST_EXPECT_EQ(t, vm_fault(child, n, VM_PROT_READ, false), KERN_INVALID_ADDRESS);
	/* Copy: the child's copy keeps the data. */
	KTEST_EXPECT_EQ(t, vm_test_peek(child, c), 3);

	/* Copying a shared range copies at once: writes to the share stay out. */
	{
		vm_map_t copy;

		KTEST_EXPECT_EQ(t, vm_map_inherit(child, s, s + PAGE_SIZE, VM_INHERIT_COPY),
				KERN_SUCCESS);
		copy = vm_map_fork(child);
		KTEST_ASSERT_NOT_NULL(t, copy);
		vm_test_poke(parent, s, 13);
		KTEST_EXPECT_EQ(t, vm_test_peek(child, s), 13);
		KTEST_EXPECT_EQ(t, vm_test_peek(copy, s), 12);
		vm_map_deallocate(copy);
	}
	vm_map_deallocate(child);
	vm_map_deallocate(parent);
}

/* When the other side of a copy is gone, the chain collapses again. */
static void vm_fault_test_collapse(struct ktest *t)
{
	vm_map_t parent = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END), child;
	struct vm_object *obj;
	vm_offset_t a = 0, r, off;
	unsigned long tabled;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	KTEST_ASSERT_EQ(t, vm_map_allocate(parent, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(parent, a, 1);
	vm_test_poke(parent, a + PAGE_SIZE, 2);
	child = vm_map_fork(parent);
	KTEST_ASSERT_NOT_NULL(t, child);
	vm_test_poke(child, a, 3);
	vm_test_poke(parent, a, 4);	/* the parent's shadow: 2 objects deep */
	r = a;
	vm_map_region(parent, &r, &size, &prot, &max, &inh, &shared, &obj, &off);
	KTEST_EXPECT_EQ(t, vm_object_chain_length(obj), 2U);

	vm_map_deallocate(child);
	tabled = vm_test_tabled();
	/*
	 * The next fault collapses the parent's chain: the write to the
	 * second page (still the original object's, mapped read-only) finds
	 * it moved up into the parent's object and needs no copy; the
	 * original's first page, hidden by the parent's copy, is freed.
	 */
	vm_test_poke(parent, a + PAGE_SIZE, 5);
	r = a;
	vm_map_region(parent, &r, &size, &prot, &max, &inh, &shared, &obj, &off);
	KTEST_EXPECT_EQ(t, vm_object_chain_length(obj), 1U);
	KTEST_EXPECT_EQ(t, obj->resident_page_count, 2U);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled - 1);
	KTEST_EXPECT_EQ(t, vm_test_peek(parent, a), 4);
	KTEST_EXPECT_EQ(t, vm_test_peek(parent, a + PAGE_SIZE), 5);
	vm_map_deallocate(parent);
}

/* The object of map's entry at a. */
static struct vm_object *vm_fault_test_object(vm_map_t map, vm_offset_t a)
{
	struct vm_object *obj = NULL;
	vm_offset_t off;
	vm_size_t size;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	bool shared;

	vm_map_region(map, &a, &size, &prot, &max, &inh, &shared, &obj, &off);
	return obj;
}

/*
 * A copy that has written every page of its share no longer needs it: the
 * fault after the last copy skips the parent's object (bypass), which
 * stays the parent's. Before that each fault only tests counts (the
 * parent's object has more pages than the child's shadow).
 */
static void vm_fault_test_bypass(struct ktest *t)
{
	vm_map_t parent = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END), child;
	struct vm_object *obj;
	vm_offset_t a = 0;
	unsigned int i;

	KTEST_ASSERT_EQ(t, vm_map_allocate(parent, &a, 8 * PAGE_SIZE, true), KERN_SUCCESS);
	for (i = 0; i < 8; i++)
		vm_test_poke(parent, a + i * PAGE_SIZE, i);
	child = vm_map_fork(parent);
	KTEST_ASSERT_NOT_NULL(t, child);
	for (i = 0; i < 8; i++) {
		vm_test_poke(child, a + i * PAGE_SIZE, 0x80 + i);
		obj = vm_fault_test_object(child, a);
		KTEST_ASSERT_NOT_NULL(t, obj);
		KTEST_EXPECT_EQ(t, vm_object_chain_length(obj), 2U);
		KTEST_EXPECT_EQ(t, obj->resident_page_count, i + 1);
	}
	/* The next fault bypasses (a is mapped: a fault of our own). */
	KTEST_EXPECT_EQ(t, vm_fault(child, a, VM_PROT_READ, false), KERN_SUCCESS);
	obj = vm_fault_test_object(child, a);
	KTEST_EXPECT_EQ(t, vm_object_chain_length(obj), 1U);
	for (i = 0; i < 8; i++) {
		KTEST_EXPECT_EQ(t, vm_test_peek(child, a + i * PAGE_SIZE), 0x80 + i);
		KTEST_EXPECT_EQ(t, vm_test_peek(parent, a + i * PAGE_SIZE), i);
	}
	vm_map_deallocate(child);
	vm_map_deallocate(parent);
}

static void vm_fault_test_wire(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END), child;
	struct vm_resident_stats s0, s;
	vm_offset_t a = 0;
	unsigned long tabled = vm_test_tabled();

	vm_resident_get_stats(&s0);
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 4 * PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_wire(map, a + PAGE_SIZE, a + 3 * PAGE_SIZE, VM_PROT_READ),
			KERN_SUCCESS);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired + 2);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), tabled + 2);
	KTEST_EXPECT_EQ(t, pmap_wired_count(map->pmap), 2UL);
	KTEST_EXPECT_EQ(t, map->nentries, 3U);
	/* Nested wiring; unwiring what is not wired is refused. */
	KTEST_EXPECT_EQ(t, vm_map_wire(map, a + PAGE_SIZE, a + 2 * PAGE_SIZE, VM_PROT_READ),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_unwire(map, a, a + 2 * PAGE_SIZE), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, vm_map_wire(map, a, a + 8 * PAGE_SIZE, VM_PROT_READ),
			KERN_INVALID_ADDRESS);
	/* A fork copies wired memory at once. */
	vm_test_poke(map, a + PAGE_SIZE, 9);
	child = vm_map_fork(map);
	KTEST_ASSERT_NOT_NULL(t, child);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE), 9);
	vm_test_poke(map, a + PAGE_SIZE, 10);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE), 9);
	vm_map_deallocate(child);

	KTEST_EXPECT_EQ(t, vm_map_unwire(map, a + PAGE_SIZE, a + 3 * PAGE_SIZE), KERN_SUCCESS);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired + 1);
	KTEST_EXPECT_EQ(t, vm_map_unwire(map, a + PAGE_SIZE, a + 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired);
	KTEST_EXPECT_EQ(t, pmap_wired_count(map->pmap), 0UL);
	/* [a, +1) has no object yet, [+1, +3) one object, [+3, +4) none: three entries. */
	KTEST_EXPECT_EQ(t, map->nentries, 3U);
	/* Removing a wired range unwires it. */
	KTEST_EXPECT_EQ(t, vm_map_wire(map, a, a + PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a, a + 4 * PAGE_SIZE), KERN_SUCCESS);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired);
	vm_map_deallocate(map);
}

/*
 * A read-only wired page of a copy-on-write object, then made writable and
 * written: the copy hides the wired page, which stays wired (and is not
 * freed by a collapse) until unwired.
 */
static void vm_fault_test_wire_cow(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END), child;
	struct vm_resident_stats s0, s;
	vm_offset_t a = 0;

	vm_resident_get_stats(&s0);
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(map, a, 1);
	child = vm_map_fork(map);
	KTEST_ASSERT_NOT_NULL(t, child);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, a, a + PAGE_SIZE, VM_PROT_READ, false),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_wire(map, a, a + PAGE_SIZE, VM_PROT_READ), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_protect(map, a, a + PAGE_SIZE, VM_PROT_DEFAULT, false),
			KERN_SUCCESS);
	vm_test_poke(map, a, 2);		/* a copy in front of the wired page */
	vm_map_deallocate(child);		/* the wired page's object is the map's alone */
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a), 2);
	KTEST_EXPECT_EQ(t, vm_fault(map, a, VM_PROT_WRITE, false), KERN_SUCCESS);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired + 1);
	KTEST_EXPECT_EQ(t, vm_map_unwire(map, a, a + PAGE_SIZE), KERN_SUCCESS);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired);
	/* Now the chain collapses, freeing the hidden page. */
	KTEST_EXPECT_EQ(t, vm_fault(map, a, VM_PROT_WRITE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a), 2);
	vm_map_deallocate(map);
}

/* Kernel threads running in one map at once, on whatever CPUs there are. */
struct vm_fault_test_worker {
	vm_map_t	map;
	vm_offset_t	base;
	unsigned int	index;
	unsigned int	errors;
};

#define VM_FAULT_TEST_WORKERS	4
#define VM_FAULT_TEST_WPAGES	16

static void vm_fault_test_worker_fn(void *arg)
{
	struct vm_fault_test_worker *w = arg;
	unsigned char __user *p = (unsigned char __user *)w->base;
	unsigned int i, round;
	unsigned char v;

	vm_map_switch(w->map);
	for (round = 0; round < 4; round++) {
		/* Each writes its own byte of every page, all fault on the same pages. */
		for (i = 0; i < VM_FAULT_TEST_WPAGES; i++) {
			v = (unsigned char)(round * 16 + i);
			if (copyout(&v, p + i * PAGE_SIZE + w->index, 1) != KERN_SUCCESS)
				w->errors++;
		}
		for (i = 0; i < VM_FAULT_TEST_WPAGES; i++)
			if (copyin(p + i * PAGE_SIZE + w->index, &v, 1) != KERN_SUCCESS ||
			    v != (unsigned char)(round * 16 + i))
				w->errors++;
	}
	vm_map_switch(VM_MAP_NULL);
}

static void vm_fault_test_threads(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_FAULT_TEST_BASE, VM_FAULT_TEST_END);
	struct vm_fault_test_worker w[VM_FAULT_TEST_WORKERS];
	struct thread *th[VM_FAULT_TEST_WORKERS];
	vm_offset_t a = 0;
	unsigned int i;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, VM_FAULT_TEST_WPAGES * PAGE_SIZE, true),
			KERN_SUCCESS);
	for (i = 0; i < VM_FAULT_TEST_WORKERS; i++) {
		w[i] = (struct vm_fault_test_worker){ .map = map, .base = a, .index = i };
		th[i] = kernel_thread_create(vm_fault_test_worker_fn, &w[i], BASEPRI_KERNEL,
					     "vm-fault");
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	for (i = 0; i < VM_FAULT_TEST_WORKERS; i++) {
		thread_join(th[i]);
		thread_deallocate(th[i]);
		KTEST_EXPECT_EQ(t, w[i].errors, 0U);
	}
	/* Every page faulted once: one page each in the object. */
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), (unsigned long)VM_FAULT_TEST_WPAGES);
	for (i = 0; i < VM_FAULT_TEST_WORKERS; i++)
		KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 5 * PAGE_SIZE + i), 3 * 16 + 5);
	vm_map_deallocate(map);
}

/*
 * Leaf tables go with the last page they map: a page touched in each of
 * many 2 MiB regions makes a leaf table each, and removing the range gives
 * every one back before the map is destroyed. The tables above the leaves
 * stay with the pmap: a first page makes them before the baseline.
 */
#define VM_FAULT_TEST_2M	(2UL << 20)
#define VM_FAULT_TEST_REGIONS	48UL
#define VM_FAULT_TEST_BIG	0x80000000UL

static void vm_fault_test_unmap_tables(struct ktest *t)
{
	vm_size_t size = VM_FAULT_TEST_REGIONS * VM_FAULT_TEST_2M, half = size / 2;
	vm_map_t map = vm_test_map(t, VM_FAULT_TEST_BIG, VM_FAULT_TEST_BIG + size);
	unsigned long allocated, tables, i;
	vm_offset_t a = 0;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(map, a, 1);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), 4UL);	/* root + 3 levels */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a, a + PAGE_SIZE), KERN_SUCCESS);
	tables = pmap_table_pages(map->pmap);
	KTEST_EXPECT_EQ(t, tables, 1UL);		/* every table under the root went */
	allocated = vm_test_allocated();

	a = 0;
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, size, true), KERN_SUCCESS);
	for (i = 0; i < VM_FAULT_TEST_REGIONS; i++)
		vm_test_poke(map, a + i * VM_FAULT_TEST_2M + i * PAGE_SIZE, (unsigned char)(i + 1));
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), VM_FAULT_TEST_REGIONS);
	/* The regions share their upper tables (one per 1 GiB, one per 512 GiB). */
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), tables + 2 + VM_FAULT_TEST_REGIONS);
	KTEST_EXPECT_GE(t, vm_test_allocated(), allocated + 2 * VM_FAULT_TEST_REGIONS);

	/* The first half, ending inside no region: its tables only. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a, a + half), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), tables + 2 + VM_FAULT_TEST_REGIONS / 2);
	for (i = VM_FAULT_TEST_REGIONS / 2; i < VM_FAULT_TEST_REGIONS; i++)
		KTEST_EXPECT_EQ(t, vm_test_peek(map, a + i * VM_FAULT_TEST_2M + i * PAGE_SIZE),
				(unsigned char)(i + 1));

	/* The last region alone, then what is left between. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a + size - VM_FAULT_TEST_2M, a + size),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap),
			tables + 2 + VM_FAULT_TEST_REGIONS / 2 - 1);
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a + half, a + size - VM_FAULT_TEST_2M),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 0UL);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), tables);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), allocated);
	vm_map_deallocate(map);
}

/*
 * The tables above the leaves go when they empty: one page touched at
 * each of four 1 GiB regions across a 512 GiB boundary makes four leaf
 * tables, four level-2 tables (one per 1 GiB) and two level-1 tables
 * (one per 512 GiB); removing pages gives back each table its last entry
 * leaves, the other pages still read back, and the root alone is left.
 */
#define VM_FAULT_TEST_1G	(1UL << 30)
#define VM_FAULT_TEST_512G	(512UL << 30)

static void vm_fault_test_unmap_upper(struct ktest *t)
{
	vm_offset_t base = VM_FAULT_TEST_512G - 2 * VM_FAULT_TEST_1G, a = base, i;
	vm_map_t map = vm_test_map(t, base, base + 4 * VM_FAULT_TEST_1G);
	unsigned long allocated;

	/* Once first, so that the zones have what the case takes. */
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, PAGE_SIZE, false), KERN_SUCCESS);
	vm_test_poke(map, a, 1);
	KTEST_EXPECT_EQ(t, vm_map_remove(map, a, a + PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), 1UL);
	allocated = vm_test_allocated();

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 4 * VM_FAULT_TEST_1G, false), KERN_SUCCESS);
	for (i = 0; i < 4; i++)
		vm_test_poke(map, base + i * VM_FAULT_TEST_1G + 0x5000, (unsigned char)(i + 1));
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 4UL);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), 1UL + 2 + 4 + 4);

	/* The second region's page: its leaf and level-2 tables. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, base + VM_FAULT_TEST_1G,
					 base + 2 * VM_FAULT_TEST_1G), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), 1UL + 2 + 3 + 3);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, base + 0x5000), 1);
	/* Both regions above 512 GiB: and their level-1 table. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, base + 2 * VM_FAULT_TEST_1G,
					 base + 4 * VM_FAULT_TEST_1G), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), 1UL + 1 + 1 + 1);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, base + 0x5000), 1);
	/* The last one: the root alone. */
	KTEST_EXPECT_EQ(t, vm_map_remove(map, base, base + VM_FAULT_TEST_1G), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, pmap_resident_count(map->pmap), 0UL);
	KTEST_EXPECT_EQ(t, pmap_table_pages(map->pmap), 1UL);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), allocated);
	vm_map_deallocate(map);
}

static struct ktest_case vm_fault_test_cases[] = {
	KTEST_CASE(vm_fault_test_demand_zero),
	KTEST_CASE(vm_fault_test_protection),
	KTEST_CASE(vm_fault_test_cow),
	KTEST_CASE(vm_fault_test_inherit),
	KTEST_CASE(vm_fault_test_collapse),
	KTEST_CASE(vm_fault_test_bypass),
	KTEST_CASE(vm_fault_test_wire),
	KTEST_CASE(vm_fault_test_wire_cow),
	KTEST_CASE(vm_fault_test_threads),
	KTEST_CASE(vm_fault_test_unmap_tables),
	KTEST_CASE(vm_fault_test_unmap_upper),
	{}
};

static struct ktest_suite vm_fault_test_suite = {
	.name = "vm_fault",
	.init = vm_fault_test_init,
	.exit = vm_fault_test_exit,
	.test_cases = vm_fault_test_cases,
};
KTEST_SUITE(vm_fault_test_suite);

// SPDX-License-Identifier: MIT
/*
 * The vm_pageout suite: the second-chance decisions of the pageout daemon
 * (vm_pageout_examine()) on pages a kernel thread touches in a user map
 * (vm_map_switch()), so that the reference bits are the MMU's: an active
 * referenced page keeps its place with the bit cleared, an unreferenced
 * one goes inactive, an inactive page touched again comes back, an
 * untouched inactive one is cleaned and freed (and reads back its bytes);
 * busy, wired and terminating pages are skipped. Pages, objects, entries
 * and swap slots are back at their baseline after each case.
 */
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_pageout.h>
#include <ktest.h>
#include "vm_test_util.h"

#define VM_PAGEOUT_TEST_BASE	0x30000000UL
#define VM_PAGEOUT_TEST_END	(VM_PAGEOUT_TEST_BASE + 64 * PAGE_SIZE)

struct vm_pageout_test_base {
	unsigned long	entries, objects, tabled, allocated, slots;
};

static struct vm_pageout_test_base vm_pageout_test_base;

static unsigned long vm_pageout_test_slots(void)
{
	struct default_pager_stats s;

	default_pager_get_stats(&s);
	return s.slots_used;
}

static int vm_pageout_test_init(struct ktest *t)
{
	(void)t;
	vm_pageout_test_base.entries = vm_map_entry_count();
	vm_pageout_test_base.objects = vm_object_count();
	vm_pageout_test_base.tabled = vm_test_tabled();
	vm_pageout_test_base.allocated = vm_test_allocated();
	vm_pageout_test_base.slots = vm_pageout_test_slots();
	return 0;
}

static void vm_pageout_test_exit(struct ktest *t)
{
	KTEST_EXPECT_PTR_EQ(t, current_thread()->map, NULL);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), vm_pageout_test_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_pageout_test_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), vm_pageout_test_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), vm_pageout_test_base.allocated);
	KTEST_EXPECT_EQ(t, vm_pageout_test_slots(), vm_pageout_test_base.slots);
}

/* examine() on the page of map at addr; the page must be resident. */
static int vm_pageout_test_examine(struct ktest *t, vm_map_t map,
				   vm_offset_t addr)
{
	struct vm_object *object;
	struct vm_page *page = vm_test_page_get(t, map, addr, &object);
	int a = VM_PAGEOUT_SKIPPED;

	KTEST_EXPECT_NOT_NULL(t, page);
	if (page)
		a = (int)vm_pageout_examine(page);
	vm_test_page_put(object);
	return a;
}

/* The page's VM flags (0: not resident). */
static uint16_t vm_pageout_test_flags(struct ktest *t, vm_map_t map, vm_offset_t addr)
{
	struct vm_object *object;
	struct vm_page *page = vm_test_page_get(t, map, addr, &object);
	uint16_t flags = page ? page->vm_flags : 0;

	vm_test_page_put(object);
	return flags;
}

static void vm_pageout_test_second_chance(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_PAGEOUT_TEST_BASE, VM_PAGEOUT_TEST_END);
	struct vm_pageout_stats before, after;
	vm_offset_t a = 0;

	vm_pageout_get_stats(&before);
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(map, a + 7, 0x77);
	KTEST_EXPECT_TRUE(t, vm_pageout_test_flags(t, map, a) & VM_PAGE_ACTIVE);

	/* Referenced (the write): it stays active, the bit is cleared. */
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_KEPT);
	KTEST_EXPECT_TRUE(t, vm_pageout_test_flags(t, map, a) & VM_PAGE_ACTIVE);
	/* Not referenced since: to the inactive queue. */
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_DEACTIVATED);
	KTEST_EXPECT_TRUE(t, vm_pageout_test_flags(t, map, a) & VM_PAGE_INACTIVE);
	/* Touched again while inactive: back to active. */
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 7), 0x77);
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_REACTIVATED);
	KTEST_EXPECT_TRUE(t, vm_pageout_test_flags(t, map, a) & VM_PAGE_ACTIVE);
	/* Left alone: inactive, then out. */
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_DEACTIVATED);
	if (!default_pager_ready()) {
		KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_FAILED);
		vm_map_deallocate(map);
		ktest_skip(t, "no swap: anonymous pages cannot be paged out");
	}
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_FREED);
	KTEST_EXPECT_EQ(t, vm_pageout_test_flags(t, map, a), 0);
	KTEST_EXPECT_EQ(t, vm_test_pa(map, a, NULL), 0UL);
	KTEST_EXPECT_EQ(t, vm_pageout_test_slots(), vm_pageout_test_base.slots + 1);
	/* Faulted back with its bytes; the slot is free again. */
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 7), 0x77);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 8), 0);
	KTEST_EXPECT_EQ(t, vm_pageout_test_slots(), vm_pageout_test_base.slots);

	vm_pageout_get_stats(&after);
	KTEST_EXPECT_GE(t, after.deactivated - before.deactivated, 2UL);
	KTEST_EXPECT_GE(t, after.reactivated - before.reactivated, 1UL);
	KTEST_EXPECT_GE(t, after.freed - before.freed, 1UL);
	vm_map_deallocate(map);
}

/* A page that is never written is still written out: its object is internal. */
static void vm_pageout_test_clean_page(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_PAGEOUT_TEST_BASE, VM_PAGEOUT_TEST_END);
	vm_offset_t a = 0;

	if (!default_pager_ready()) {
		vm_map_deallocate(map);
		ktest_skip(t, "no swap");
	}
	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a), 0);	/* demand zero, read only */
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_KEPT);
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_DEACTIVATED);
	KTEST_EXPECT_EQ(t, vm_pageout_test_examine(t, map, a), VM_PAGEOUT_FREED);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + 100), 0);
	vm_map_deallocate(map);
}

static void vm_pageout_test_skipped(struct ktest *t)
{
	vm_map_t map = vm_test_map(t, VM_PAGEOUT_TEST_BASE, VM_PAGEOUT_TEST_END);
	struct vm_object *object;
	struct vm_page *page;
	vm_offset_t a = 0;

	KTEST_ASSERT_EQ(t, vm_map_allocate(map, &a, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	vm_test_poke(map, a, 1);
	vm_test_poke(map, a + PAGE_SIZE, 2);

	/* Busy: being filled or copied. */
	page = vm_test_page_get(t, map, a, &object);
	KTEST_ASSERT_NOT_NULL(t, page);
	page->vm_flags |= VM_PAGE_BUSY;
	KTEST_EXPECT_EQ(t, (int)vm_pageout_examine(page), VM_PAGEOUT_SKIPPED);
	KTEST_EXPECT_EQ(t, vm_pageout_page(page), KERN_INVALID_ARGUMENT);
	page->vm_flags &= ~VM_PAGE_BUSY;
	/* Of an object being terminated. */
	object->terminating = true;
	KTEST_EXPECT_EQ(t, (int)vm_pageout_examine(page), VM_PAGEOUT_SKIPPED);
	object->terminating = false;
	KTEST_EXPECT_NE(t, page->vm_flags & VM_PAGE_ACTIVE, 0);
	vm_test_page_put(object);

	/* Wired: on no queue, never paged out. */
	KTEST_ASSERT_EQ(t, vm_map_wire(map, a + PAGE_SIZE, a + 2 * PAGE_SIZE,
				       VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
	page = vm_test_page_get(t, map, a + PAGE_SIZE, &object);
	KTEST_ASSERT_NOT_NULL(t, page);
	KTEST_EXPECT_EQ(t, (int)vm_pageout_examine(page), VM_PAGEOUT_SKIPPED);
	KTEST_EXPECT_EQ(t, vm_pageout_page(page), KERN_INVALID_ARGUMENT);
	vm_test_page_put(object);
	KTEST_EXPECT_EQ(t, vm_test_peek(map, a + PAGE_SIZE), 2);
	KTEST_EXPECT_EQ(t, vm_map_unwire(map, a + PAGE_SIZE, a + 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_map_deallocate(map);
}

static struct ktest_case vm_pageout_test_cases[] = {
	KTEST_CASE(vm_pageout_test_second_chance),
	KTEST_CASE(vm_pageout_test_clean_page),
	KTEST_CASE(vm_pageout_test_skipped),
	{}
};

static struct ktest_suite vm_pageout_test_suite = {
	.name = "vm_pageout",
	.init = vm_pageout_test_init,
	.exit = vm_pageout_test_exit,
	.test_cases = vm_pageout_test_cases,
};
KTEST_SUITE(vm_pageout_test_suite);

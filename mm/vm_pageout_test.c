// SPDX-License-Identifier: MIT
/*
 * The vm_pageout suite: the second-chance decisions of the pageout daemon
 * (vm_pageout_examine()) on pages a kernel thread touches in a user map
 * (vm_map_switch()), so that the reference bits are the MMU's: an active
 * referenced page keeps its place with the bit cleared, an unreferenced
 * one goes inactive, an inactive page touched again comes back, an
 * untouched inactive one is cleaned and freed (and reads back its bytes);
 * busy, wired and terminating pages are skipped. vm_map_wire and vm_write
 * short of free pages wait for the daemon with the map unlocked. Pages,
 * objects, entries and swap slots are back at their baseline after each
 * case.
 */
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/timer.h>
#include <kern/vm_map.h>
#include <kern/vm_map_copy.h>
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

/*
 * vm_map_wire and vm_write (vm_map_copy_overwrite) short of free pages
 * wait for the pageout daemon with the map unlocked, as a fault does: a
 * thread (the waiter) wires, or writes into, untouched pages of a map
 * while the free pages are held below vm_page_free_min and the only
 * pageable pages the daemon finds are in an object this test keeps
 * locked (so its passes are contended: the waiter keeps waiting). Once
 * the waiter waits, another thread (the mapper) allocates and
 * deallocates elsewhere in the same map: it must complete while the
 * waiter still waits (with the map locked across the wait it blocks
 * until the memory comes back). Then the memory comes back and the
 * waiter's call succeeds.
 */
#define VM_PAGEOUT_TEST_WAIT_PAGES	4
#define VM_PAGEOUT_TEST_BUSY_PAGES	32
#define VM_PAGEOUT_TEST_WAIT_MS		2000
#define VM_PAGEOUT_TEST_BYTE		0x5e

struct vm_pageout_test_wait {
	vm_map_t		map;
	vm_offset_t		a;		/* the waiter's pages */
	bool			overwrite;	/* vm_write, not vm_map_wire */
	struct vm_map_copy	*copy;
	kern_return_t		kr, mapper_kr[2];
	volatile bool		done, mapper_done, done_before_mapper;
};

static void vm_pageout_test_waiter(void *arg)
{
	struct vm_pageout_test_wait *w = arg;

	if (w->overwrite)
		w->kr = vm_map_write(w->map, w->a + PAGE_SIZE + 3, w->copy);
	else
		w->kr = vm_map_wire(w->map, w->a, w->a + VM_PAGEOUT_TEST_WAIT_PAGES * PAGE_SIZE,
				    VM_PROT_READ | VM_PROT_WRITE);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

static void vm_pageout_test_mapper(void *arg)
{
	struct vm_pageout_test_wait *w = arg;
	vm_offset_t a = VM_PAGEOUT_TEST_BASE;

	w->mapper_kr[0] = vm_map_allocate(w->map, &a, PAGE_SIZE, true);
	w->mapper_kr[1] = vm_map_remove(w->map, a, a + PAGE_SIZE);
	w->done_before_mapper = __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
	__atomic_store_n(&w->mapper_done, true, __ATOMIC_RELEASE);
}

/* Hold the free pages down to keep again (the daemon may have freed some). */
static void vm_pageout_test_hold_more(struct vm_page **held, unsigned long keep)
{
	struct vm_page *more = vm_test_hold(keep), *p;

	if (!more)
		return;
	for (p = more; p->next; p = p->next)
		;
	p->next = *held;
	*held = more;
}

/*
 * Poll flag every millisecond, the memory held down meanwhile: its
 * value, or true once vm_page_wait() was called more than *waits times
 * (waits not NULL).
 */
static bool vm_pageout_test_await(volatile bool *flag, struct vm_page **held,
				  unsigned long keep, const unsigned long *waits)
{
	uint64_t until = clock_now() + VM_PAGEOUT_TEST_WAIT_MS * NSEC_PER_MSEC;
	struct vm_pageout_stats s;

	for (;;) {
		vm_pageout_test_hold_more(held, keep);
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
			return true;
		if (waits) {
			vm_pageout_get_stats(&s);
			if (s.waits > *waits)
				return true;
		}
		if (clock_now() >= until)
			return false;
		thread_delay(NSEC_PER_MSEC);
	}
}

static struct thread *vm_pageout_test_start(struct ktest *t, void (*fn)(void *),
					    struct vm_pageout_test_wait *w, const char *name)
{
	struct thread *th = kernel_thread_create(fn, w, BASEPRI_KERNEL, name);

	KTEST_EXPECT_NOT_NULL(t, th);
	return th;
}

static void vm_pageout_test_join(struct thread *th)
{
	if (th) {
		thread_join(th);
		thread_deallocate(th);
	}
}

static void vm_pageout_test_wait_unlocked(struct ktest *t, bool overwrite)
{
	struct vm_pageout_test_wait w = { .overwrite = overwrite, .kr = KERN_FAILURE,
					  .mapper_kr = { KERN_FAILURE, KERN_FAILURE } };
	vm_map_t busy_map = vm_test_map(t, VM_PAGEOUT_TEST_BASE, VM_PAGEOUT_TEST_END);
	unsigned long keep = vm_page_free_min / 2;
	unsigned char bytes[16];
	struct vm_pageout_stats s;
	struct vm_page *held = NULL;
	struct vm_object *object;
	struct thread *waiter, *mapper = NULL;
	vm_offset_t b = 0, i;
	bool waited;

	w.map = vm_test_map(t, VM_PAGEOUT_TEST_BASE, VM_PAGEOUT_TEST_END);
	KTEST_ASSERT_EQ(t, vm_map_allocate(w.map, &w.a, VM_PAGEOUT_TEST_WAIT_PAGES * PAGE_SIZE,
					   true), KERN_SUCCESS);
	memset(bytes, VM_PAGEOUT_TEST_BYTE, sizeof(bytes));
	w.copy = vm_map_copy_from_kernel(bytes, sizeof(bytes));
	KTEST_ASSERT_NOT_NULL(t, w.copy);
	/* Pageable pages, in another map: the mapper's work never needs their object. */
	KTEST_ASSERT_EQ(t, vm_map_allocate(busy_map, &b, VM_PAGEOUT_TEST_BUSY_PAGES * PAGE_SIZE,
					   true), KERN_SUCCESS);
	for (i = 0; i < VM_PAGEOUT_TEST_BUSY_PAGES; i++)
		vm_test_poke(busy_map, b + i * PAGE_SIZE, 1);

	vm_page_zeroed_drain();
	vm_pageout_test_hold_more(&held, keep);
	KTEST_EXPECT_TRUE(t, vm_page_free_count() <= vm_page_free_min);
	KTEST_EXPECT_NOT_NULL(t, vm_test_page_get(t, busy_map, b, &object));
	vm_pageout_get_stats(&s);
	waiter = vm_pageout_test_start(t, vm_pageout_test_waiter, &w, "vm_pageout-waiter");
	/* The waiter waits for free pages (or is done: the daemon found some). */
	waited = vm_pageout_test_await(&w.done, &held, keep, &s.waits);
	KTEST_EXPECT_TRUE(t, waited);
	KTEST_EXPECT_FALSE(t, w.done);
	if (waited && !w.done) {
		mapper = vm_pageout_test_start(t, vm_pageout_test_mapper, &w, "vm_pageout-mapper");
		/* With the map locked across the wait, the mapper blocks until the release. */
		KTEST_EXPECT_TRUE(t, vm_pageout_test_await(&w.mapper_done, &held, keep, NULL));
		KTEST_EXPECT_FALSE(t, w.done);
	}
	/*
	 * The memory back first, then the object: with the object unlocked
	 * and the memory still held, a pass would find nothing it could free
	 * (the busy pages have no pager), say so (vm_pageout_stuck), and the
	 * waiter's vm_page_wait() would give up with KERN_RESOURCE_SHORTAGE.
	 */
	vm_test_release(held);
	vm_test_page_put(object);
	vm_pageout_test_join(waiter);
	vm_pageout_test_join(mapper);

	KTEST_EXPECT_EQ(t, w.kr, KERN_SUCCESS);
	if (mapper) {
		KTEST_EXPECT_TRUE(t, w.mapper_done);
		KTEST_EXPECT_FALSE(t, w.done_before_mapper);
		KTEST_EXPECT_EQ(t, w.mapper_kr[0], KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, w.mapper_kr[1], KERN_SUCCESS);
	}
	if (overwrite) {
		if (w.kr != KERN_SUCCESS)
			vm_map_copy_discard(w.copy);
		KTEST_EXPECT_EQ(t, vm_test_peek(w.map, w.a + PAGE_SIZE + 3), VM_PAGEOUT_TEST_BYTE);
		KTEST_EXPECT_EQ(t, vm_test_peek(w.map, w.a + PAGE_SIZE + 18), VM_PAGEOUT_TEST_BYTE);
		KTEST_EXPECT_EQ(t, vm_test_peek(w.map, w.a + PAGE_SIZE + 19), 0);
	} else {
		vm_map_copy_discard(w.copy);
		KTEST_EXPECT_EQ(t, pmap_wired_count(w.map->pmap),
				w.kr == KERN_SUCCESS ? VM_PAGEOUT_TEST_WAIT_PAGES : 0UL);
		if (w.kr == KERN_SUCCESS)
			KTEST_EXPECT_EQ(t, vm_map_unwire(w.map, w.a, w.a +
							 VM_PAGEOUT_TEST_WAIT_PAGES * PAGE_SIZE),
					KERN_SUCCESS);
	}
	vm_map_deallocate(w.map);
	vm_map_deallocate(busy_map);
}

static void vm_pageout_test_wait_wire(struct ktest *t)
{
	vm_pageout_test_wait_unlocked(t, false);
}

static void vm_pageout_test_wait_overwrite(struct ktest *t)
{
	vm_pageout_test_wait_unlocked(t, true);
}

static struct ktest_case vm_pageout_test_cases[] = {
	KTEST_CASE(vm_pageout_test_second_chance),
	KTEST_CASE(vm_pageout_test_clean_page),
	KTEST_CASE(vm_pageout_test_skipped),
	KTEST_CASE(vm_pageout_test_wait_wire),
	KTEST_CASE(vm_pageout_test_wait_overwrite),
	{}
};

static struct ktest_suite vm_pageout_test_suite = {
	.name = "vm_pageout",
	.init = vm_pageout_test_init,
	.exit = vm_pageout_test_exit,
	.test_cases = vm_pageout_test_cases,
};
KTEST_SUITE(vm_pageout_test_suite);

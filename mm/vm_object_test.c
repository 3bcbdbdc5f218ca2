// SPDX-License-Identifier: MIT
/*
 * The vm_object suite: resident pages, paging queues, shadow chains,
 * collapse and bypass, termination. Every case checks that the pages the
 * VM holds and the objects that exist are back at their baseline.
 */
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <ktest.h>

struct vm_object_test_base {
	unsigned long	objects;
	unsigned long	tabled;
	unsigned long	allocated;
	unsigned long	wired;
};

static struct vm_object_test_base vm_object_test_base;

/* Pages handed out, zones' empty chunks given back first. */
static unsigned long vm_object_test_allocated(void)
{
	struct vm_page_stats s;

	zone_gc();
	vm_page_get_stats(&s);
	return s.allocated;
}

static unsigned long vm_object_test_tabled(void)
{
	struct vm_resident_stats s;

	vm_resident_get_stats(&s);
	return s.pages;
}

static unsigned long vm_object_test_wired(void)
{
	struct vm_resident_stats s;

	vm_resident_get_stats(&s);
	return s.wired;
}

static int vm_object_test_init(struct ktest *t)
{
	vm_object_test_base.objects = vm_object_count();
	vm_object_test_base.tabled = vm_object_test_tabled();
	vm_object_test_base.allocated = vm_object_test_allocated();
	vm_object_test_base.wired = vm_object_test_wired();
	return 0;
}

/* Every case leaves the counts where they were. */
static void vm_object_test_exit(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_object_test_base.objects);
	KTEST_EXPECT_EQ(t, vm_object_test_tabled(), vm_object_test_base.tabled);
	KTEST_EXPECT_EQ(t, vm_object_test_allocated(), vm_object_test_base.allocated);
	KTEST_EXPECT_EQ(t, vm_object_test_wired(), vm_object_test_base.wired);
}

/* Put a page filled with `byte` at offset (object locked by the caller). */
static struct vm_page *vm_object_test_fill(struct ktest *t, struct vm_object *obj,
					   vm_offset_t offset, int byte)
{
	struct vm_page *p = vm_page_alloc_object(obj, offset);

	KTEST_ASSERT_NOT_NULL(t, p);
	memset(vm_page_to_virt(p), byte, PAGE_SIZE);
	vm_page_wakeup_done(p);
	vm_page_activate(p);
	return p;
}

/* The first byte that (obj, offset) shows, or -1 if no object of the chain has a page. */
static int vm_object_test_byte(struct vm_object *obj, vm_offset_t offset)
{
	struct vm_object *last;
	struct vm_page *p;
	vm_offset_t where;
	int byte;

	vm_object_lock(obj);
	p = vm_object_chain_lookup(obj, offset, &last, &where);
	byte = p ? *(unsigned char *)vm_page_to_virt(p) : -1;
	vm_object_chain_unlock(obj, last);
	vm_object_unlock(obj);
	return byte;
}

/* Wire or unwire a page of obj (not locked by the caller). */
static void vm_object_test_wire(struct vm_object *obj, struct vm_page *p, bool wire)
{
	vm_object_lock(obj);
	if (wire)
		vm_page_wire(p);
	else
		vm_page_unwire(p);
	vm_object_unlock(obj);
}

static void vm_object_test_pages(struct ktest *t)
{
	struct vm_object *obj = vm_object_allocate(3 * PAGE_SIZE + 1);
	struct vm_page *p0, *p2;
	unsigned long before = vm_object_test_allocated();

	KTEST_ASSERT_NOT_NULL(t, obj);
	KTEST_EXPECT_EQ(t, obj->size, 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, obj->ref_count, 1U);
	vm_object_lock(obj);
	p0 = vm_object_test_fill(t, obj, 0, 0x11);
	p2 = vm_object_test_fill(t, obj, 2 * PAGE_SIZE, 0x22);
	KTEST_EXPECT_PTR_EQ(t, vm_page_lookup(obj, 0), p0);
	KTEST_EXPECT_PTR_EQ(t, vm_page_lookup(obj, 2 * PAGE_SIZE), p2);
	KTEST_EXPECT_NULL(t, vm_page_lookup(obj, PAGE_SIZE));
	KTEST_EXPECT_EQ(t, obj->resident_page_count, 2U);
	KTEST_EXPECT_PTR_EQ(t, p0->object, obj);
	KTEST_EXPECT_TRUE(t, p0->vm_flags & VM_PAGE_TABLED);
	KTEST_EXPECT_FALSE(t, p0->vm_flags & VM_PAGE_BUSY);
	vm_object_unlock(obj);
	KTEST_EXPECT_EQ(t, vm_object_test_allocated(), before + 2);
	KTEST_EXPECT_EQ(t, vm_object_test_tabled(), vm_object_test_base.tabled + 2);

	/* A second reference keeps it; the last frees every page. */
	vm_object_reference(obj);
	vm_object_deallocate(obj);
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_object_test_base.objects + 1);
	vm_object_deallocate(obj);
	/* The exit hook checks that the pages (and the object's chunk) went back. */
}

static void vm_object_test_queues(struct ktest *t)
{
	struct vm_object *obj = vm_object_allocate(PAGE_SIZE);
	struct vm_resident_stats s0, s;
	struct vm_page *p;

	KTEST_ASSERT_NOT_NULL(t, obj);
	vm_resident_get_stats(&s0);
	vm_object_lock(obj);
	p = vm_object_test_fill(t, obj, 0, 1);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.active, s0.active + 1);
	KTEST_EXPECT_TRUE(t, p->vm_flags & VM_PAGE_ACTIVE);

	vm_page_deactivate(p);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.active, s0.active);
	KTEST_EXPECT_EQ(t, s.inactive, s0.inactive + 1);

	vm_page_wire(p);
	vm_page_wire(p);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.inactive, s0.inactive);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired + 1);
	KTEST_EXPECT_EQ(t, p->wire_count, 2U);
	KTEST_EXPECT_FALSE(t, p->vm_flags & (VM_PAGE_ACTIVE | VM_PAGE_INACTIVE));
	vm_page_activate(p);			/* wired: stays off the queues */
	KTEST_EXPECT_FALSE(t, p->vm_flags & VM_PAGE_ACTIVE);
	vm_page_unwire(p);
	vm_page_unwire(p);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.wired, s0.wired);
	KTEST_EXPECT_EQ(t, s.active, s0.active + 1);
	vm_object_unlock(obj);
	vm_object_deallocate(obj);
	vm_resident_get_stats(&s);
	KTEST_EXPECT_EQ(t, s.active, s0.active);
}

static void vm_object_test_shadow_lookup(struct ktest *t)
{
	struct vm_object *base = vm_object_allocate(4 * PAGE_SIZE), *top = base;
	vm_offset_t off = PAGE_SIZE;

	KTEST_ASSERT_NOT_NULL(t, base);
	vm_object_lock(base);
	vm_object_test_fill(t, base, PAGE_SIZE, 0xaa);
	vm_object_test_fill(t, base, 2 * PAGE_SIZE, 0xbb);
	vm_object_unlock(base);

	/* top shows base from its second page on. */
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 3 * PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, base);
	KTEST_EXPECT_EQ(t, top->shadow_offset, PAGE_SIZE);
	KTEST_EXPECT_EQ(t, off, 0U);
	KTEST_EXPECT_EQ(t, vm_object_chain_length(top), 2U);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 0), 0xaa);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, PAGE_SIZE), 0xbb);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 2 * PAGE_SIZE), -1);

	vm_object_lock(top);
	vm_object_test_fill(t, top, 0, 0xcc);	/* hides base's 0xaa */
	vm_object_unlock(top);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 0), 0xcc);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(base, PAGE_SIZE), 0xaa);

	/* Terminating top drops base too: both go with all three pages. */
	vm_object_deallocate(top);
}

static void vm_object_test_collapse(struct ktest *t)
{
	struct vm_object *base = vm_object_allocate(4 * PAGE_SIZE), *top = base;
	vm_offset_t off = PAGE_SIZE;
	unsigned long before;

	KTEST_ASSERT_NOT_NULL(t, base);
	vm_object_lock(base);
	vm_object_test_fill(t, base, 0, 0x01);		/* outside top's window */
	vm_object_test_fill(t, base, PAGE_SIZE, 0x02);	/* hidden by top's */
	vm_object_test_fill(t, base, 2 * PAGE_SIZE, 0x03);	/* moves up */
	vm_object_unlock(base);
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_object_lock(top);
	vm_object_test_fill(t, top, 0, 0x12);
	before = vm_object_test_tabled();

	/* base has only top's reference: its pages move up and it goes. */
	vm_object_collapse(top);
	KTEST_EXPECT_NULL(t, top->shadow);
	KTEST_EXPECT_EQ(t, top->resident_page_count, 2U);
	KTEST_EXPECT_EQ(t, vm_object_test_tabled(), before - 2);
	vm_object_unlock(top);
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_object_test_base.objects + 1);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 0), 0x12);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, PAGE_SIZE), 0x03);
	vm_object_deallocate(top);
}

static void vm_object_test_bypass(struct ktest *t)
{
	struct vm_object *bottom = vm_object_allocate(2 * PAGE_SIZE);
	struct vm_object *mid, *top;
	vm_offset_t off = 0;

	KTEST_ASSERT_NOT_NULL(t, bottom);
	vm_object_lock(bottom);
	vm_object_test_fill(t, bottom, PAGE_SIZE, 0x0b);
	vm_object_unlock(bottom);
	mid = bottom;
	KTEST_ASSERT_EQ(t, vm_object_shadow(&mid, &off, 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_object_lock(mid);
	vm_object_test_fill(t, mid, 0, 0x0a);
	vm_object_unlock(mid);
	vm_object_reference(mid);		/* someone else still uses mid */
	top = mid;
	off = 0;
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 2 * PAGE_SIZE), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_object_chain_length(top), 3U);

	/* mid's page shows through top: no bypass yet. */
	vm_object_lock(top);
	vm_object_collapse(top);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, mid);
	/* Once top hides it, mid can be skipped (it stays for its other user). */
	vm_object_test_fill(t, top, 0, 0x1a);
	vm_object_collapse(top);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, bottom);
	vm_object_unlock(top);
	KTEST_EXPECT_EQ(t, vm_object_chain_length(top), 2U);
	KTEST_EXPECT_EQ(t, mid->ref_count, 1U);
	KTEST_EXPECT_EQ(t, bottom->ref_count, 2U);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 0), 0x1a);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, PAGE_SIZE), 0x0b);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(mid, 0), 0x0a);
	vm_object_deallocate(mid);
	vm_object_deallocate(top);
}

/*
 * The object's count of wired pages follows each page's first wiring and
 * last unwiring, a collapse that moves a wired page up, and the dying
 * unwiring of vm_object_unwire_dying().
 */
static void vm_object_test_wired_count(struct ktest *t)
{
	struct vm_object *base = vm_object_allocate(2 * PAGE_SIZE), *top = base;
	struct vm_page *p0, *p1;
	vm_offset_t off = 0;

	KTEST_ASSERT_NOT_NULL(t, base);
	vm_object_lock(base);
	p0 = vm_object_test_fill(t, base, 0, 0x31);
	p1 = vm_object_test_fill(t, base, PAGE_SIZE, 0x32);
	KTEST_EXPECT_EQ(t, base->wired_page_count, 0U);
	vm_page_wire(p0);
	vm_page_wire(p0);
	KTEST_EXPECT_EQ(t, base->wired_page_count, 1U);
	vm_page_wire(p1);
	KTEST_EXPECT_EQ(t, base->wired_page_count, 2U);
	vm_page_unwire(p0);
	KTEST_EXPECT_EQ(t, base->wired_page_count, 2U);
	vm_page_unwire(p0);
	KTEST_EXPECT_EQ(t, base->wired_page_count, 1U);
	vm_object_unlock(base);

	/* A collapse moves p1, wired and not hidden, up into top: its count goes too. */
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_object_lock(top);
	vm_object_collapse(top);
	KTEST_EXPECT_NULL(t, top->shadow);
	KTEST_EXPECT_PTR_EQ(t, p1->object, top);
	KTEST_EXPECT_EQ(t, top->wired_page_count, 1U);
	KTEST_EXPECT_EQ(t, top->resident_page_count, 2U);
	vm_object_unlock(top);

	/* top is the last reference: the dying unwiring takes p1's wiring and the count. */
	KTEST_EXPECT_TRUE(t, vm_object_unwire_dying(top));
	KTEST_EXPECT_EQ(t, p1->wire_count, 0U);
	KTEST_EXPECT_EQ(t, top->wired_page_count, 0U);
	KTEST_EXPECT_EQ(t, vm_object_test_wired(), vm_object_test_base.wired);
	vm_object_deallocate(top);
}

/* A wired page the collapse would free (hidden, or outside the window) blocks it. */
static void vm_object_test_collapse_wired(struct ktest *t)
{
	struct vm_object *base = vm_object_allocate(4 * PAGE_SIZE), *top = base;
	struct vm_page *hidden, *outside;
	vm_offset_t off = 0;

	KTEST_ASSERT_NOT_NULL(t, base);
	vm_object_lock(base);
	hidden = vm_object_test_fill(t, base, PAGE_SIZE, 0x41);
	outside = vm_object_test_fill(t, base, 3 * PAGE_SIZE, 0x42);
	vm_object_test_fill(t, base, 0, 0x43);
	vm_page_wire(hidden);
	vm_page_wire(outside);
	/* The collapse trusts the count: were it 0, the walk would not run. */
	KTEST_ASSERT_EQ(t, base->wired_page_count, 2U);
	vm_object_unlock(base);
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 3 * PAGE_SIZE), KERN_SUCCESS);
	vm_object_lock(top);
	vm_object_test_fill(t, top, PAGE_SIZE, 0x51);	/* over the wired page */

	vm_object_collapse(top);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, base);
	vm_object_test_wire(base, hidden, false);
	/* Still one past top's window (three pages of base's four). */
	KTEST_ASSERT_EQ(t, base->wired_page_count, 1U);
	vm_object_collapse(top);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, base);
	vm_object_test_wire(base, outside, false);
	KTEST_ASSERT_EQ(t, base->wired_page_count, 0U);
	vm_object_collapse(top);
	KTEST_EXPECT_NULL(t, top->shadow);
	KTEST_EXPECT_EQ(t, top->resident_page_count, 2U);	/* base's 0x43 moved up */
	KTEST_EXPECT_EQ(t, top->wired_page_count, 0U);
	vm_object_unlock(top);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 0), 0x43);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, PAGE_SIZE), 0x51);
	vm_object_deallocate(top);
}

/*
 * Bypass: a wired page of the backing object blocks it; the count test
 * before the walk allows for backing's pages outside top's window.
 */
static void vm_object_test_bypass_counts(struct ktest *t)
{
	struct vm_object *mid = vm_object_allocate(4 * PAGE_SIZE), *top = mid;
	struct vm_page *wired;
	vm_offset_t off = 2 * PAGE_SIZE;
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, mid);
	vm_object_lock(mid);
	for (i = 0; i < 4; i++)
		wired = vm_object_test_fill(t, mid, i * PAGE_SIZE, 0x60 + i);
	vm_object_unlock(mid);
	vm_object_reference(mid);		/* another user of mid */
	/* top shows mid's last two pages; the first two are outside its window. */
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_object_lock(top);
	vm_object_test_fill(t, top, 0, 0x70);
	vm_object_collapse(top);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, mid);	/* mid's 0x63 shows through */
	vm_object_test_fill(t, top, PAGE_SIZE, 0x71);

	/* All of the window hidden, but a wired page (mid's last) is there. */
	vm_object_test_wire(mid, wired, true);
	KTEST_ASSERT_EQ(t, mid->wired_page_count, 1U);
	vm_object_collapse(top);
	KTEST_EXPECT_PTR_EQ(t, top->shadow, mid);
	vm_object_test_wire(mid, wired, false);
	vm_object_collapse(top);
	KTEST_EXPECT_NULL(t, top->shadow);	/* mid had no shadow: bypassed to none */
	vm_object_unlock(top);
	KTEST_EXPECT_EQ(t, mid->ref_count, 1U);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, 0), 0x70);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(top, PAGE_SIZE), 0x71);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(mid, 3 * PAGE_SIZE), 0x63);
	vm_object_deallocate(mid);
	vm_object_deallocate(top);
}

static void vm_object_test_copy_slowly(struct ktest *t)
{
	struct vm_object *base = vm_object_allocate(2 * PAGE_SIZE), *top = base, *copy;
	vm_offset_t off = 0;

	KTEST_ASSERT_NOT_NULL(t, base);
	vm_object_lock(base);
	vm_object_test_fill(t, base, 0, 0x51);
	vm_object_unlock(base);
	KTEST_ASSERT_EQ(t, vm_object_shadow(&top, &off, 2 * PAGE_SIZE), KERN_SUCCESS);
	vm_object_lock(top);
	vm_object_test_fill(t, top, PAGE_SIZE, 0x52);
	vm_object_unlock(top);

	copy = vm_object_copy_slowly(top, 0, 2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, copy);
	KTEST_EXPECT_NULL(t, copy->shadow);
	KTEST_EXPECT_EQ(t, copy->resident_page_count, 2U);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(copy, 0), 0x51);
	KTEST_EXPECT_EQ(t, vm_object_test_byte(copy, PAGE_SIZE), 0x52);
	vm_object_deallocate(copy);
	vm_object_deallocate(top);
}

static void vm_object_test_page_remove(struct ktest *t)
{
	struct vm_object *obj = vm_object_allocate(4 * PAGE_SIZE);
	unsigned int i;

	KTEST_ASSERT_NOT_NULL(t, obj);
	vm_object_lock(obj);
	for (i = 0; i < 4; i++)
		vm_object_test_fill(t, obj, i * PAGE_SIZE, i);
	vm_object_page_remove(obj, PAGE_SIZE, 3 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, obj->resident_page_count, 2U);
	KTEST_EXPECT_NOT_NULL(t, vm_page_lookup(obj, 0));
	KTEST_EXPECT_NULL(t, vm_page_lookup(obj, PAGE_SIZE));
	KTEST_EXPECT_NULL(t, vm_page_lookup(obj, 2 * PAGE_SIZE));
	KTEST_EXPECT_NOT_NULL(t, vm_page_lookup(obj, 3 * PAGE_SIZE));
	vm_object_unlock(obj);
	vm_object_deallocate(obj);
}

static struct ktest_case vm_object_test_cases[] = {
	KTEST_CASE(vm_object_test_pages),
	KTEST_CASE(vm_object_test_queues),
	KTEST_CASE(vm_object_test_shadow_lookup),
	KTEST_CASE(vm_object_test_collapse),
	KTEST_CASE(vm_object_test_bypass),
	KTEST_CASE(vm_object_test_wired_count),
	KTEST_CASE(vm_object_test_collapse_wired),
	KTEST_CASE(vm_object_test_bypass_counts),
	KTEST_CASE(vm_object_test_copy_slowly),
	KTEST_CASE(vm_object_test_page_remove),
	{}
};

static struct ktest_suite vm_object_test_suite = {
	.name = "vm_object",
	.init = vm_object_test_init,
	.exit = vm_object_test_exit,
	.test_cases = vm_object_test_cases,
};
KTEST_SUITE(vm_object_test_suite);

/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the VM ktest suites (vm_fault, vm_copy, memory_object,
 * pageout): counts that must come back to their baseline, user maps for
 * a test, and a kernel thread touching a map's memory from inside it
 * (vm_map_switch()), so that real faults happen.
 */
#ifndef _MM_VM_TEST_UTIL_H
#define _MM_VM_TEST_UTIL_H

#include <kern/copyio.h>
#include <kern/pmap.h>
#include <kern/thread.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/zalloc.h>
#include <ktest.h>

/* Pages in objects. */
static inline unsigned long vm_test_tabled(void)
{
	struct vm_resident_stats s;

	vm_resident_get_stats(&s);
	return s.pages;
}

/* Pages handed out, zones' empty chunks given back first. */
static inline unsigned long vm_test_allocated(void)
{
	struct vm_page_stats s;

	zone_gc();
	vm_page_get_stats(&s);
	return s.allocated;
}

/* A map of [base, end) over a new pmap (asserts). */
static inline vm_map_t vm_test_map(struct ktest *t, vm_offset_t base, vm_offset_t end)
{
	pmap_t pmap = pmap_create();
	vm_map_t map;

	KTEST_ASSERT_NOT_NULL(t, pmap);
	map = vm_map_create(pmap, base, end);
	if (!map)
		pmap_destroy(pmap);
	KTEST_ASSERT_NOT_NULL(t, map);
	return map;
}

/* Read or write a byte of map's memory from this thread, faulting as needed. */
/*
 * Through copyin/copyout: the only kernel accesses to user pages that
 * SMAP (x86_64) and PAN (arm64) allow. A byte that cannot be read
 * peeks as 0xa5.
 */
static inline unsigned char vm_test_peek(vm_map_t map, vm_offset_t addr)
{
	vm_map_t old = vm_map_switch(map);
	unsigned char v = 0xa5;

	copyin((const void __user *)addr, &v, 1);
	vm_map_switch(old);
	return v;
}

static inline void vm_test_poke(vm_map_t map, vm_offset_t addr, unsigned char v)
{
	vm_map_t old = vm_map_switch(map);

	copyout(&v, (void __user *)addr, 1);
	vm_map_switch(old);
}

/* The page addr maps to in map's pmap (0: none), and whether it is writable. */
static inline phys_addr_t vm_test_pa(vm_map_t map, vm_offset_t addr, bool *writable)
{
	phys_addr_t pa = 0;
	vm_prot_t prot = VM_PROT_NONE;

	if (!pmap_extract(map->pmap, addr, &pa, &prot))
		pa = 0;
	if (writable)
		*writable = prot & VM_PROT_WRITE;
	return ALIGN_DOWN(pa, PAGE_SIZE);
}

/*
 * The resident page of map at addr (NULL: none) with its object locked
 * and referenced in *object (vm_test_page_put() undoes both); asserts
 * that addr is mapped.
 */
static inline struct vm_page *vm_test_page_get(struct ktest *t, vm_map_t map, vm_offset_t addr,
					       struct vm_object **object)
{
	vm_offset_t off;
	vm_prot_t prot;
	bool wired;
	kern_return_t kr;

	vm_map_lock(map);
	kr = vm_map_lookup_locked(map, ALIGN_DOWN(addr, PAGE_SIZE), VM_PROT_READ, object, &off,
				  &prot, &wired);
	vm_map_unlock(map);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	vm_object_lock(*object);
	return vm_page_lookup(*object, off);
}

static inline void vm_test_page_put(struct vm_object *object)
{
	vm_object_unlock(object);
	vm_object_deallocate(object);
}

/*
 * Hold the free pages down to `keep` (a list through vm_page.next), so
 * that a workload meets the pageout daemon soon; vm_test_release() gives
 * them back.
 */
static inline struct vm_page *vm_test_hold(unsigned long keep)
{
	struct vm_page *held = NULL, *p;

	while (vm_page_free_count() > keep && (p = vm_page_alloc(0)) != NULL) {
		p->next = held;
		held = p;
	}
	return held;
}

static inline void vm_test_release(struct vm_page *held)
{
	while (held) {
		struct vm_page *p = held;

		held = p->next;
		vm_page_free(p, 0);
	}
}

#endif /* _MM_VM_TEST_UTIL_H */

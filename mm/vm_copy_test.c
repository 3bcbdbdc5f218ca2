// SPDX-License-Identifier: MIT
/*
 * The vm_copy suite: vm_map_copy between user maps (the test thread runs
 * in them with vm_map_switch(), so real faults happen). Copy-on-write
 * copies share pages until one side writes, each side keeps its own
 * writes, small copies are eager, src_destroy moves the range, overwrite
 * writes into the pages in place (a sharer sees it) and refuses what it
 * must, out-of-line data sent by mach_msg from one map arrives mapped
 * in the receiver's, and vm_map of a memory object with copy TRUE keeps
 * its writes from the object and is a snapshot of it (delayed: pages
 * pushed before the object changes them; eager for COPY_NONE). Pages, objects, entries and copies go back
 * to their baseline after each case.
 */
#include <kern/cpu.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/vm_fault.h>
#include <kern/vm_map_copy.h>
#include <ipc/ipc_msg_test_util.h>
#include "vm_test_util.h"

#define VM_COPY_TEST_BASE	0x30000000UL
#define VM_COPY_TEST_END	(VM_COPY_TEST_BASE + 4096 * PAGE_SIZE)
#define BIG			(16 * PAGE_SIZE)

static struct {
	unsigned long	entries, objects, tabled, allocated, copies;
} vm_copy_test_base;

static int vm_copy_test_init(struct ktest *t)
{
	vm_copy_test_base.entries = vm_map_entry_count();
	vm_copy_test_base.objects = vm_object_count();
	vm_copy_test_base.tabled = vm_test_tabled();
	vm_copy_test_base.allocated = vm_test_allocated();
	vm_copy_test_base.copies = vm_map_copy_count();
	return 0;
}

static void vm_copy_test_exit(struct ktest *t)
{
	KTEST_EXPECT_PTR_EQ(t, current_thread()->map, NULL);
	KTEST_EXPECT_EQ(t, vm_map_copy_count(), vm_copy_test_base.copies);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), vm_copy_test_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), vm_copy_test_base.objects);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), vm_copy_test_base.tabled);
	KTEST_EXPECT_EQ(t, vm_test_allocated(), vm_copy_test_base.allocated);
}

static unsigned char pat(vm_offset_t i, unsigned int seed)
{
	return (unsigned char)(i * 13 + seed + (i >> 12));
}

/* Fill / check [a, a + n) of map with pattern seed (the thread runs in map meanwhile). */
static void fill(vm_map_t map, vm_offset_t a, vm_size_t n, unsigned int seed)
{
	vm_map_t old = vm_map_switch(map);
	vm_size_t i;

	for (i = 0; i < n; i++) {
		unsigned char v = pat(i, seed);

		copyout(&v, (unsigned char __user *)a + i, 1);
	}
	vm_map_switch(old);
}

/* Check [a, a + n) against the pattern from index from. */
static bool check_at(vm_map_t map, vm_offset_t a, vm_offset_t from, vm_size_t n,
		     unsigned int seed)
{
	vm_map_t old = vm_map_switch(map);
	vm_size_t i;
	bool ok = true;

	for (i = 0; i < n && ok; i++) {
		unsigned char v;

		ok = copyin((const unsigned char __user *)a + i, &v, 1) == KERN_SUCCESS &&
		     v == pat(from + i, seed);
	}
	vm_map_switch(old);
	return ok;
}

static bool check(vm_map_t map, vm_offset_t a, vm_size_t n, unsigned int seed)
{
	return check_at(map, a, 0, n, seed);
}

/* A large copy shares every page until written; writes stay on their side. */
static void vm_copy_test_cow(struct ktest *t)
{
	vm_map_t src = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), dst = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	struct vm_map_copy *copy;
	vm_offset_t a = 0, b;
	unsigned long pages;
	bool w = true;

	KTEST_ASSERT_EQ(t, vm_map_allocate(src, &a, BIG, true), KERN_SUCCESS);
	fill(src, a, BIG, 1);
	pages = vm_test_tabled();
	KTEST_ASSERT_EQ(t, vm_map_copyin(src, a, BIG, false, &copy), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_copy_count(), vm_copy_test_base.copies + 1);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);		/* nothing copied */
	vm_test_pa(src, a, &w);
	KTEST_EXPECT_FALSE(t, w);			/* the source lost write */
	KTEST_ASSERT_EQ(t, vm_map_copyout(dst, &b, copy), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, check(dst, b, BIG, 1));
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);		/* reads share */
	KTEST_EXPECT_EQ(t, vm_test_pa(dst, b + 3 * PAGE_SIZE, &w), vm_test_pa(src, a + 3 * PAGE_SIZE, NULL));
	KTEST_EXPECT_FALSE(t, w);
	/* A write on the copy's side copies one page; the source keeps its data. */
	vm_test_poke(dst, b + 5, 0xee);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 1);
	KTEST_EXPECT_EQ(t, vm_test_peek(src, a + 5), pat(5, 1));
	/* A write on the source's side: the copy keeps the old data. */
	vm_test_poke(src, a + PAGE_SIZE, 0x11);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 2);
	KTEST_EXPECT_EQ(t, vm_test_peek(dst, b + PAGE_SIZE), pat(PAGE_SIZE, 1));
	KTEST_EXPECT_EQ(t, vm_test_peek(dst, b + 5), 0xee);
	KTEST_EXPECT_TRUE(t, check_at(dst, b + 2 * PAGE_SIZE, 2 * PAGE_SIZE, BIG - 2 * PAGE_SIZE, 1));
	/* The source goes: the copy's side keeps every byte. */
	vm_map_deallocate(src);
	KTEST_EXPECT_TRUE(t, check_at(dst, b + 2 * PAGE_SIZE, 2 * PAGE_SIZE, BIG - 2 * PAGE_SIZE, 1));
	KTEST_EXPECT_EQ(t, vm_test_peek(dst, b + PAGE_SIZE + 1), pat(PAGE_SIZE + 1, 1));
	vm_map_deallocate(dst);
}

/* A small range at an odd offset is copied at once; the source keeps write. */
static void vm_copy_test_small(struct ktest *t)
{
	vm_map_t src = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), dst = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	struct vm_map_copy *copy;
	vm_offset_t a = 0, b;
	unsigned long pages;
	bool w = false;

	KTEST_ASSERT_EQ(t, vm_map_allocate(src, &a, 4 * PAGE_SIZE, true), KERN_SUCCESS);
	fill(src, a + 100, 300, 2);
	pages = vm_test_tabled();
	KTEST_ASSERT_EQ(t, vm_map_copyin(src, a + 100, 300, false, &copy), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 1);
	vm_test_pa(src, a, &w);
	KTEST_EXPECT_TRUE(t, w);
	KTEST_ASSERT_EQ(t, vm_map_copyout(dst, &b, copy), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, b & (PAGE_SIZE - 1), 100UL);
	KTEST_EXPECT_TRUE(t, check(dst, b, 300, 2));
	vm_test_poke(src, a + 100, 0);
	KTEST_EXPECT_EQ(t, vm_test_peek(dst, b), pat(0, 2));
	vm_map_deallocate(src);
	vm_map_deallocate(dst);
}

/* src_destroy: the range leaves the source, its pages move. */
static void vm_copy_test_move(struct ktest *t)
{
	vm_map_t src = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), dst = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	struct vm_map_copy *copy;
	vm_offset_t a = 0, b;
	unsigned long pages;

	KTEST_ASSERT_EQ(t, vm_map_allocate(src, &a, BIG, true), KERN_SUCCESS);
	fill(src, a, BIG, 3);
	pages = vm_test_tabled();
	KTEST_ASSERT_EQ(t, vm_map_copyin(src, a + PAGE_SIZE, BIG - 2 * PAGE_SIZE, true, &copy),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_fault(src, a + 2 * PAGE_SIZE, VM_PROT_READ, false),
			KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, vm_fault(src, a, VM_PROT_READ, false), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_map_copyout(dst, &b, copy), KERN_SUCCESS);
	vm_test_poke(dst, b, 0x77);		/* the object is the copy's alone now: no copy */
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);
	vm_map_deallocate(src);
	KTEST_EXPECT_EQ(t, vm_test_peek(dst, b + 1), pat(PAGE_SIZE + 1, 3));
	vm_map_deallocate(dst);
}

/* Errors of copyin and overwrite; overwrite of shared memory shows to the sharer. */
static void vm_copy_test_overwrite(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), child;
	struct vm_map_copy *copy;
	vm_offset_t a = 0, r = 0;
	unsigned char buf[64];

	KTEST_ASSERT_EQ(t, vm_map_allocate(m, &a, 8 * PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_copyin(m, a + 7 * PAGE_SIZE, 2 * PAGE_SIZE, false, &copy),
			KERN_INVALID_ADDRESS);
	KTEST_ASSERT_EQ(t, vm_map_protect(m, a + 6 * PAGE_SIZE, a + 7 * PAGE_SIZE,
					  VM_PROT_NONE, false), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_copyin(m, a + 5 * PAGE_SIZE, 2 * PAGE_SIZE, false, &copy),
			KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, vm_map_inherit(m, a, a + 4 * PAGE_SIZE, VM_INHERIT_SHARE),
			KERN_SUCCESS);
	fill(m, a, 4 * PAGE_SIZE, 4);
	child = vm_map_fork(m);
	KTEST_ASSERT_NOT_NULL(t, child);

	/* vm_write from kernel data into the shared range, across a page boundary. */
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(0x80 + i);
	copy = vm_map_copy_from_kernel(buf, sizeof(buf));
	KTEST_ASSERT_NOT_NULL(t, copy);
	KTEST_EXPECT_EQ(t, vm_map_write(m, a + 6 * PAGE_SIZE, copy), KERN_PROTECTION_FAILURE);
	KTEST_EXPECT_EQ(t, vm_map_write(m, a + 9 * PAGE_SIZE, copy), KERN_INVALID_ADDRESS);
	KTEST_EXPECT_EQ(t, vm_map_write(m, a + PAGE_SIZE - 32, copy), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE - 32), 0x80);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE + 31), 0x80 + 63);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, a + PAGE_SIZE + 32), pat(PAGE_SIZE + 32, 4));

	/* vm_copy within one map, then vm_read back into the kernel. */
	KTEST_EXPECT_EQ(t, vm_map_copy_region(m, a, 2 * PAGE_SIZE, a + 4 * PAGE_SIZE),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, a + 4 * PAGE_SIZE + 10), pat(10, 4));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, a + 5 * PAGE_SIZE - 32), 0x80);
	KTEST_ASSERT_EQ(t, vm_map_read(m, a + 5 * PAGE_SIZE - 32, 64, &copy), KERN_SUCCESS);
	memset(buf, 0, sizeof(buf));
	KTEST_EXPECT_EQ(t, vm_map_copy_read(copy, 0, buf, sizeof(buf)), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, buf[0], 0x80);
	KTEST_EXPECT_EQ(t, buf[63], 0x80 + 63);
	vm_map_copy_discard(copy);
	/* vm_map of anonymous memory; a pager port that is not a memory object. */
	KTEST_EXPECT_EQ(t, vm_map_memory_object(m, &r, PAGE_SIZE, 0, true, NULL, 0, false,
						VM_PROT_DEFAULT, VM_PROT_ALL,
						VM_INHERIT_COPY), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, r), 0);
	vm_map_deallocate(child);
	vm_map_deallocate(m);
}

/*
 * vm_copy of whole pages into private memory is copy-on-write: no page is
 * copied, the destination maps the source's pages until either side
 * writes, and each side keeps its writes. Into memory shared with a
 * child, the data is written into the shared pages, which the child sees.
 */
static void vm_copy_test_region_cow(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), child;
	vm_offset_t a = 0, s = 0;
	unsigned long pages;

	KTEST_ASSERT_EQ(t, vm_map_allocate(m, &a, 8 * PAGE_SIZE, true), KERN_SUCCESS);
	fill(m, a, 8 * PAGE_SIZE, 11);
	pages = vm_test_tabled();
	KTEST_ASSERT_EQ(t, vm_map_copy_region(m, a, 4 * PAGE_SIZE, a + 4 * PAGE_SIZE),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);		/* nothing copied */
	KTEST_EXPECT_TRUE(t, check(m, a + 4 * PAGE_SIZE, 4 * PAGE_SIZE, 11));
	KTEST_EXPECT_EQ(t, vm_test_pa(m, a + 5 * PAGE_SIZE, NULL), vm_test_pa(m, a + PAGE_SIZE, NULL));
	vm_test_poke(m, a + 5 * PAGE_SIZE + 1, 0xd1);
	vm_test_poke(m, a + 2 * PAGE_SIZE + 2, 0xd2);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, a + PAGE_SIZE + 1), pat(PAGE_SIZE + 1, 11));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, a + 6 * PAGE_SIZE + 2), pat(2 * PAGE_SIZE + 2, 11));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, a + 5 * PAGE_SIZE + 1), 0xd1);
	KTEST_EXPECT_TRUE(t, check_at(m, a + 7 * PAGE_SIZE, 3 * PAGE_SIZE, PAGE_SIZE, 11));

	/* Shared with a child: written in place. */
	KTEST_ASSERT_EQ(t, vm_map_allocate(m, &s, 2 * PAGE_SIZE, true), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_map_inherit(m, s, s + 2 * PAGE_SIZE, VM_INHERIT_SHARE),
			KERN_SUCCESS);
	fill(m, s, 2 * PAGE_SIZE, 12);
	child = vm_map_fork(m);
	KTEST_ASSERT_NOT_NULL(t, child);
	KTEST_EXPECT_EQ(t, vm_map_copy_region(m, a, 2 * PAGE_SIZE, s), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, check(child, s, PAGE_SIZE, 11));
	KTEST_EXPECT_EQ(t, vm_test_peek(child, s + 2 * PAGE_SIZE - 1), pat(2 * PAGE_SIZE - 1, 11));
	vm_map_deallocate(child);
	vm_map_deallocate(m);
}

/* Out-of-line data in a message: from one map, mapped in the receiver's. */
static void vm_copy_test_mach_msg(struct ktest *t)
{
	vm_map_t src = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), dst = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), old;
	ipc_space_t sp = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, sp);
	mach_msg_ool_descriptor_t *ool;
	struct tmsg *m = kalloc(sizeof(*m));
	vm_offset_t a = 0, b;
	unsigned long pages;
	struct tmsg_baseline base;

	KTEST_ASSERT_NOT_NULL(t, m);
	tmsg_baseline_take(&base);
	KTEST_ASSERT_EQ(t, vm_map_allocate(src, &a, BIG, true), KERN_SUCCESS);
	fill(src, a, BIG, 5);
	pages = vm_test_tabled();
	tmsg_header(m, MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, 0, 1,
		    TMSG_BASE + TMSG_OOL);
	tmsg_complex(m, 1);
	tmsg_ool_desc(tmsg_desc_at(m, TMSG_BASE), (void *)(a + 8), BIG - 8, false);
	old = vm_map_switch(src);
	TEQ(t, tmsg_send(sp, m, 0, 0), MACH_MSG_SUCCESS);
	vm_map_switch(dst);
	TEQ(t, tmsg_recv(sp, m, p, 0, 0, 0), MACH_MSG_SUCCESS);
	vm_map_switch(old);
	ool = tmsg_desc_at(m, TMSG_BASE);
	b = (vm_offset_t)ool->address;
	TEQ(t, ool->size, BIG - 8);
	KTEST_EXPECT_GE(t, b, VM_COPY_TEST_BASE);
	KTEST_EXPECT_EQ(t, b & (PAGE_SIZE - 1), 8UL);
	KTEST_EXPECT_TRUE(t, check(dst, b - 8, BIG, 5));
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);		/* shared, not copied */
	vm_test_poke(src, a + 8, 0);
	KTEST_EXPECT_EQ(t, vm_test_peek(dst, b), pat(8, 5));
	KTEST_EXPECT_EQ(t, vm_map_remove(dst, b, b + BIG - 8), KERN_SUCCESS);
	tmsg_baseline_check(t, &base);
	kfree(m, sizeof(*m));
	ipc_test_space_done(sp);
	vm_map_deallocate(src);
	vm_map_deallocate(dst);
}

/* The object map maps at addr (referenced: vm_object_deallocate()). */
static struct vm_object *vm_copy_test_object(struct ktest *t, vm_map_t map, vm_offset_t addr)
{
	struct vm_object *object;
	struct vm_page *page = vm_test_page_get(t, map, addr, &object);

	KTEST_EXPECT_NULL(t, page);
	vm_object_unlock(object);
	return object;
}

/*
 * vm_map of a memory object with copy TRUE (vm_map_memory_object()): the
 * region reads the pager's data, and what is written there stays there
 * (copy-on-write): the object's page keeps the pager's bytes, which a
 * copy FALSE region of the same object reads, a page only read is the
 * object's own, and nothing goes back to the pager when the object
 * terminates (memory_object_init and _terminate are all its port gets,
 * no data_return). The pager's data is supplied before any fault, so no
 * pager thread is needed.
 */
static void vm_copy_test_map_copy(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	ipc_space_t sp = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, sp);
	ipc_port_t port = ipc_test_port_of(sp, p), send = ipc_port_make_send(port);
	vm_offset_t shared = 0, copied = 0;
	struct vm_map_copy *data;
	struct vm_object *object;
	unsigned char *buf = kalloc(2 * PAGE_SIZE);
	vm_offset_t i;

	KTEST_ASSERT_NOT_NULL(t, buf);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		buf[i] = pat(i, 6);
	data = vm_map_copy_from_kernel(buf, 2 * PAGE_SIZE);
	kfree(buf, 2 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, data);
	KTEST_ASSERT_EQ(t, vm_map_memory_object(m, &shared, 2 * PAGE_SIZE, 0, true, send, 0,
						false, VM_PROT_DEFAULT, VM_PROT_ALL,
						VM_INHERIT_COPY), KERN_SUCCESS);
	object = vm_copy_test_object(t, m, shared);
	KTEST_EXPECT_EQ(t, vm_object_data_supply(object, 0, data, VM_PROT_NONE, false),
			KERN_SUCCESS);
	vm_object_deallocate(object);
	KTEST_ASSERT_EQ(t, vm_map_memory_object(m, &copied, 2 * PAGE_SIZE, 0, true, send, 0,
						true, VM_PROT_DEFAULT, VM_PROT_ALL,
						VM_INHERIT_COPY), KERN_SUCCESS);
	ipc_port_release_send(send);

	KTEST_EXPECT_TRUE(t, check(m, copied, 2 * PAGE_SIZE, 6));
	vm_test_poke(m, copied + 5, 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + 5), 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + 5), pat(5, 6));
	KTEST_EXPECT_TRUE(t, check(m, shared, 2 * PAGE_SIZE, 6));
	KTEST_EXPECT_NE(t, vm_test_pa(m, copied, NULL), vm_test_pa(m, shared, NULL));
	KTEST_EXPECT_EQ(t, vm_test_pa(m, copied + PAGE_SIZE, NULL),
			vm_test_pa(m, shared + PAGE_SIZE, NULL));

	vm_map_deallocate(m);
	/* memory_object_init and memory_object_terminate; a data_return would be a third. */
	KTEST_EXPECT_EQ(t, port->ip_msgcount, 2U);
	ipc_test_space_done(sp);
}

/* size bytes of pattern seed as a copy (pager data), asserts. */
static struct vm_map_copy *vm_copy_test_data(struct ktest *t, vm_size_t size, unsigned int seed)
{
	unsigned char *buf = kalloc(size);
	struct vm_map_copy *data;
	vm_offset_t i;

	KTEST_ASSERT_NOT_NULL(t, buf);
	for (i = 0; i < size; i++)
		buf[i] = pat(i, seed);
	data = vm_map_copy_from_kernel(buf, size);
	kfree(buf, size);
	KTEST_ASSERT_NOT_NULL(t, data);
	return data;
}

/*
 * A memory object for the snapshot cases: a port of sp (its send right in
 * *send), mapped copy FALSE at *shared for npages pages, every page
 * supplied with pattern seed before any fault (no pager thread answers).
 * The object comes back referenced (vm_object_deallocate()).
 */
static struct vm_object *vm_copy_test_pager_object(struct ktest *t, vm_map_t m, ipc_space_t sp,
						   ipc_port_t *send, vm_offset_t *shared,
						   unsigned int npages, unsigned int seed)
{
	mach_port_name_t p = ipc_test_port(t, sp);
	vm_size_t size = npages * PAGE_SIZE;
	struct vm_map_copy *data = vm_copy_test_data(t, size, seed);
	struct vm_object *object;

	*send = ipc_port_make_send(ipc_test_port_of(sp, p));
	*shared = 0;
	KTEST_ASSERT_EQ(t, vm_map_memory_object(m, shared, size, 0, true, *send, 0, false,
						VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
			KERN_SUCCESS);
	object = vm_copy_test_object(t, m, *shared);
	KTEST_EXPECT_EQ(t, vm_object_data_supply(object, 0, data, VM_PROT_NONE, false),
			KERN_SUCCESS);
	return object;
}

static kern_return_t vm_copy_test_map_of(vm_map_t m, ipc_port_t send, vm_size_t size,
					 vm_offset_t *addr)
{
	*addr = 0;
	return vm_map_memory_object(m, addr, size, 0, true, send, 0, true, VM_PROT_DEFAULT,
				    VM_PROT_ALL, VM_INHERIT_COPY);
}

/*
 * vm_map copy TRUE is a snapshot (MEMORY_OBJECT_COPY_DELAY, the
 * default): writes made through a copy FALSE mapping of the object after
 * the call do not show in the copy, whether the copy had read the page
 * (its translation goes), had not, or the page was mapped writable
 * before the call (it loses write then). A second copy made later shows
 * the object as it is then, the first one still as it was; each page is
 * pushed once.
 */
static void vm_copy_test_map_snapshot(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	ipc_space_t sp = ipc_test_space(t);
	vm_offset_t shared, copied, later;
	struct vm_object *object;
	unsigned long objects, pages;
	ipc_port_t send;
	bool w = true;

	object = vm_copy_test_pager_object(t, m, sp, &send, &shared, 3, 7);
	vm_object_deallocate(object);
	vm_test_poke(m, shared + 2 * PAGE_SIZE + 1, 0x33);	/* mapped writable */
	objects = vm_object_count();
	pages = vm_test_tabled();
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(m, send, 3 * PAGE_SIZE, &copied), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_object_count(), objects + 1);	/* the copy object */
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);		/* nothing copied yet */
	vm_test_pa(m, shared + 2 * PAGE_SIZE, &w);
	KTEST_EXPECT_FALSE(t, w);				/* lost write */

	/* Page 0 read through the copy (the object's page), then written beside. */
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + 5), pat(5, 7));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + 5), pat(5, 7));
	KTEST_EXPECT_EQ(t, vm_test_pa(m, copied, NULL), vm_test_pa(m, shared, NULL));
	vm_test_poke(m, shared + 5, 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 1);	/* pushed */
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + 5), 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + 5), pat(5, 7));
	vm_test_poke(m, shared + 6, 0x5b);			/* pushed already */
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 1);
	/* Page 1 never read through the copy; page 2 written before the copy. */
	vm_test_poke(m, shared + PAGE_SIZE, 0x44);
	vm_test_poke(m, shared + 2 * PAGE_SIZE + 1, 0x34);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + PAGE_SIZE), pat(PAGE_SIZE, 7));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + 2 * PAGE_SIZE + 1), 0x33);
	KTEST_EXPECT_TRUE(t, check_at(m, copied + 2 * PAGE_SIZE + 2, 2 * PAGE_SIZE + 2,
				      PAGE_SIZE - 2, 7));
	/* The copy's own writes stay its own. */
	vm_test_poke(m, copied + PAGE_SIZE + 9, 0x99);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + PAGE_SIZE + 9), pat(PAGE_SIZE + 9, 7));

	/* A second copy sees the object now; the first is unchanged by it. */
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(m, send, 3 * PAGE_SIZE, &later), KERN_SUCCESS);
	vm_test_poke(m, shared + 5, 0x6c);
	vm_test_poke(m, shared + 2 * PAGE_SIZE + 1, 0x35);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, later + 5), 0x5a);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, later + 2 * PAGE_SIZE + 1), 0x34);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, later + PAGE_SIZE), 0x44);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + 5), pat(5, 7));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + 2 * PAGE_SIZE + 1), 0x33);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + PAGE_SIZE + 9), 0x99);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + PAGE_SIZE), pat(PAGE_SIZE, 7));

	ipc_port_release_send(send);
	vm_map_deallocate(m);
	ipc_test_space_done(sp);
}

/*
 * The pager replaces a page the copy has not seen (lock_request flush,
 * then a data_supply of other data): the copy keeps the page as it was.
 * A copy with nothing pushed yet is shared by the next vm_map.
 */
static void vm_copy_test_map_flush(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	ipc_space_t sp = ipc_test_space(t);
	vm_offset_t shared, copied, again;
	struct vm_object *object;
	unsigned long objects;
	ipc_port_t send;

	object = vm_copy_test_pager_object(t, m, sp, &send, &shared, 2, 8);
	objects = vm_object_count();
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(m, send, 2 * PAGE_SIZE, &copied), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(m, send, 2 * PAGE_SIZE, &again), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_object_count(), objects + 1);	/* one copy object */
	KTEST_EXPECT_EQ(t, vm_object_lock_request(object, 0, PAGE_SIZE,
						  MEMORY_OBJECT_RETURN_NONE, true,
						  VM_PROT_NO_CHANGE, IP_NULL), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_object_data_supply(object, 0, vm_copy_test_data(t, PAGE_SIZE, 9),
						 VM_PROT_NONE, false), KERN_SUCCESS);
	vm_object_deallocate(object);
	KTEST_EXPECT_TRUE(t, check(m, shared, PAGE_SIZE, 9));
	KTEST_EXPECT_TRUE(t, check(m, copied, 2 * PAGE_SIZE, 8));
	KTEST_EXPECT_TRUE(t, check(m, again, 2 * PAGE_SIZE, 8));
	ipc_port_release_send(send);
	vm_map_deallocate(m);
	ipc_test_space_done(sp);
}

/*
 * MEMORY_OBJECT_COPY_NONE: vm_map copy TRUE copies every page at once
 * (the region has pages of its own before any fault, none shared with
 * the object); MEMORY_OBJECT_COPY_CALL: the pager is sent
 * memory_object_copy (one more message on its port) and the region maps
 * a new object, nothing copied (the memory_object suite's
 * mo_test_copy_call has a pager serve it).
 */
static void vm_copy_test_map_strategy(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	ipc_space_t sp = ipc_test_space(t);
	vm_offset_t shared, copied, call;
	struct vm_object *object;
	unsigned long objects, pages, entries, msgs;
	ipc_port_t send;

	object = vm_copy_test_pager_object(t, m, sp, &send, &shared, 2, 10);
	KTEST_EXPECT_EQ(t, vm_object_set_attributes(object, true, false,
						    MEMORY_OBJECT_COPY_NONE), KERN_SUCCESS);
	pages = vm_test_tabled();
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(m, send, 2 * PAGE_SIZE, &copied), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 2);	/* copied now */
	vm_test_poke(m, shared + PAGE_SIZE + 3, 0x77);
	KTEST_EXPECT_TRUE(t, check(m, copied, 2 * PAGE_SIZE, 10));
	KTEST_EXPECT_NE(t, vm_test_pa(m, copied, NULL), vm_test_pa(m, shared, NULL));
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages + 2);

	KTEST_EXPECT_EQ(t, vm_object_set_attributes(object, true, false,
						    MEMORY_OBJECT_COPY_CALL), KERN_SUCCESS);
	objects = vm_object_count();
	pages = vm_test_tabled();
	entries = vm_map_entry_count();
	msgs = send->ip_msgcount;
	KTEST_EXPECT_EQ(t, vm_copy_test_map_of(m, send, 2 * PAGE_SIZE, &call), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, send->ip_msgcount, msgs + 1);	/* memory_object_copy */
	KTEST_EXPECT_EQ(t, vm_object_count(), objects + 1);
	KTEST_EXPECT_EQ(t, vm_test_tabled(), pages);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), entries + 1);
	vm_object_deallocate(object);
	ipc_port_release_send(send);
	vm_map_deallocate(m);
	ipc_test_space_done(sp);
}

/*
 * Fork of a copy FALSE mapping of a pager's object (inherited by copy):
 * the child gets a snapshot (a delayed copy), and the parent's mapping
 * stays the object's: its later writes reach the object (another mapping
 * of it sees them), not the child; the child's writes stay the child's.
 */
static void vm_copy_test_map_fork(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END), child;
	ipc_space_t sp = ipc_test_space(t);
	vm_offset_t shared, again = 0;
	struct vm_object *object;
	ipc_port_t send;

	object = vm_copy_test_pager_object(t, m, sp, &send, &shared, 2, 13);
	vm_object_deallocate(object);
	child = vm_map_fork(m);
	KTEST_ASSERT_NOT_NULL(t, child);
	vm_test_poke(m, shared + 5, 0x21);
	vm_test_poke(child, shared + PAGE_SIZE + 1, 0x22);
	KTEST_EXPECT_EQ(t, vm_test_peek(child, shared + 5), pat(5, 13));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + PAGE_SIZE + 1), pat(PAGE_SIZE + 1, 13));
	KTEST_ASSERT_EQ(t, vm_map_memory_object(m, &again, 2 * PAGE_SIZE, 0, true, send, 0, false,
						VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_COPY),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, again + 5), 0x21);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, again + PAGE_SIZE + 1), pat(PAGE_SIZE + 1, 13));
	vm_map_deallocate(child);
	ipc_port_release_send(send);
	vm_map_deallocate(m);
	ipc_test_space_done(sp);
}

/* Threads reading an object, each bound to another CPU, while it is flushed. */
struct vm_copy_test_reader {
	vm_map_t	map;
	vm_offset_t	base;
	unsigned int	slot;		/* the byte of each page read */
	unsigned long	rounds;		/* reads of every page */
	unsigned long	bad;		/* bytes neither the old data nor the new */
	unsigned long	failed;		/* reads that faulted without a page */
	bool		spin;		/* only keep the map's pmap loaded on the CPU */
	bool		quit;
};

#define VM_COPY_TEST_FPAGES	16
#define VM_COPY_TEST_FSEED	15
#define VM_COPY_TEST_FSEED2	17	/* seeds an even distance apart: see below */
#define VM_COPY_TEST_FWAIT_MS	10000	/* 10 s at most for each wait */

static void vm_copy_test_reader_fn(void *arg)
{
	struct vm_copy_test_reader *r = arg;
	unsigned char __user *p = (unsigned char __user *)r->base;
	vm_offset_t off;
	unsigned int i;
	unsigned char v;

	vm_map_switch(r->map);
	while (r->spin && !READ_ONCE(r->quit))
		copyin(p, &v, 1);
	while (!READ_ONCE(r->quit)) {
		for (i = 0; i < VM_COPY_TEST_FPAGES; i++) {
			off = i * PAGE_SIZE + r->slot;
			if (copyin(p + off, &v, 1) != KERN_SUCCESS)
				WRITE_ONCE(r->failed, r->failed + 1);
			else if (v != pat(off, VM_COPY_TEST_FSEED) &&
				 v != pat(off, VM_COPY_TEST_FSEED2))
				WRITE_ONCE(r->bad, r->bad + 1);
		}
		WRITE_ONCE(r->rounds, r->rounds + 1);
	}
	vm_map_switch(VM_MAP_NULL);
}

/* Wait until every reader has made rounds more than in from[] (bounded). */
static void vm_copy_test_readers_wait(struct vm_copy_test_reader *r, unsigned int n,
				      const unsigned long *from, unsigned long rounds)
{
	unsigned int i, ms;

	for (i = 0; i < n; i++)
		for (ms = 0; !r[i].spin && ms < VM_COPY_TEST_FWAIT_MS &&
			     READ_ONCE(r[i].rounds) < from[i] + rounds; ms++)
			thread_delay(NSEC_PER_MSEC);
}

/*
 * Take back the pages at pa[] that the flush freed (this CPU's page
 * cache gives them first) and fill them with bytes neither the old data
 * nor the new (~pat(seed): pat(seed2) differs from it when seed2 - seed
 * is even); a list through vm_page.next, vm_test_release() frees it.
 */
static struct vm_page *vm_copy_test_reuse(const phys_addr_t *pa, unsigned int *reused)
{
	struct vm_page *held = NULL, *pg;
	unsigned int i, k;
	vm_offset_t off;
	unsigned char *va;

	*reused = 0;
	for (i = 0; i < 4 * VM_COPY_TEST_FPAGES && (pg = vm_page_alloc(0)) != NULL; i++) {
		pg->next = held;
		held = pg;
		for (k = 0; k < VM_COPY_TEST_FPAGES && pa[k] != vm_page_to_phys(pg); k++)
			;
		if (k == VM_COPY_TEST_FPAGES)
			continue;
		va = vm_page_to_virt(pg);
		for (off = 0; off < PAGE_SIZE; off++)
			va[off] = (unsigned char)~pat(k * PAGE_SIZE + off, VM_COPY_TEST_FSEED);
		(*reused)++;
	}
	return held;
}

/*
 * A flush (lock_request) of an object with a delayed copy that has
 * received nothing, while a thread on each other CPU keeps reading the
 * object through its mapping, and this thread's copy mapping shows the
 * object's pages too (read through). A second thread on each of those
 * CPUs keeps the map's pmap loaded there while the reader waits in a
 * fault. Every page is pushed to the copy before it goes, and every
 * translation of it, TLB entries included, goes before it is copied or
 * freed: the removals of the pushes and of the flush are one batch, one
 * shootdown (at most two rounds, where a push of its own per page made
 * one round a page, to every CPU with the pmap loaded). The freed pages are
 * taken back at once and filled with other bytes, and the pager supplies
 * new data: a reader still reading a freed page through a stale TLB
 * entry would see neither the old data nor the new. The copy keeps the
 * old data.
 */
static void vm_copy_test_map_flush_readers(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	ipc_space_t sp = ipc_test_space(t);
	vm_size_t size = VM_COPY_TEST_FPAGES * PAGE_SIZE;
	struct vm_copy_test_reader r[2 * MAX_CPUS];
	struct thread *th[2 * MAX_CPUS] = { NULL };
	unsigned long from[2 * MAX_CPUS] = { 0 }, shootdowns;
	phys_addr_t pa[VM_COPY_TEST_FPAGES];
	struct vm_map_copy *data;
	vm_offset_t shared, copied, spun = 0;
	struct vm_object *object;
	struct vm_page *held;
	unsigned int cpu, n = 0, i, k, reused;
	struct thread *self = current_thread();
	unsigned int here = cpu_number();
	ipc_port_t send;

	object = vm_copy_test_pager_object(t, m, sp, &send, &shared, VM_COPY_TEST_FPAGES,
					   VM_COPY_TEST_FSEED);
	data = vm_copy_test_data(t, size, VM_COPY_TEST_FSEED2);
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(m, send, size, &copied), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_map_allocate(m, &spun, PAGE_SIZE, true), KERN_SUCCESS);
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (cpu == here || !READ_ONCE(cpu_data_of(cpu)->online))
			continue;
		for (k = 0; k < 2; k++, n++) {
			r[n] = (struct vm_copy_test_reader){ .map = m, .base = k ? spun : shared,
							     .slot = 8 * n + 3, .spin = k };
			/*
			 * Real-time, no decay: the spinner runs only while
			 * the reader waits (a switch between them could drop
			 * the reader's stale TLB entries the test looks for).
			 */
			th[n] = kernel_thread_create_suspended(vm_copy_test_reader_fn, &r[n],
							       BASEPRI_RTQUEUES + 2 - k,
							       "vm-copy-rd");
			KTEST_ASSERT_NOT_NULL(t, th[n]);
			thread_bind(th[n], cpu);
		}
	}
	if (!n) {
		vm_map_copy_discard(data);
		vm_object_deallocate(object);
		ipc_port_release_send(send);
		vm_map_deallocate(m);
		ipc_test_space_done(sp);
		ktest_skip(t, "only one CPU online");
	}
	/*
	 * This thread stays on its CPU, which the readers leave to it: real
	 * time, they would keep it off theirs; and the pages it frees go to
	 * this CPU's page cache, which it takes them back from.
	 */
	KTEST_EXPECT_EQ(t, thread_bind(self, (int)here), KERN_SUCCESS);
	for (i = 0; i < n; i++)
		thread_resume(th[i]);
	vm_copy_test_readers_wait(r, n, from, 2);
	for (k = 0; k < VM_COPY_TEST_FPAGES; k++) {
		pa[k] = vm_test_pa(m, shared + k * PAGE_SIZE, NULL);
		KTEST_EXPECT_NE(t, pa[k], 0UL);
		/* The copy shows the object's page. */
		KTEST_EXPECT_EQ(t, vm_test_peek(m, copied + k * PAGE_SIZE),
				pat(k * PAGE_SIZE, VM_COPY_TEST_FSEED));
		KTEST_EXPECT_EQ(t, vm_test_pa(m, copied + k * PAGE_SIZE, NULL), pa[k]);
	}

	shootdowns = pmap_user_shootdowns();
	KTEST_EXPECT_EQ(t, vm_object_lock_request(object, 0, size, MEMORY_OBJECT_RETURN_NONE,
						  true, VM_PROT_NO_CHANGE, IP_NULL), KERN_SUCCESS);
	shootdowns = pmap_user_shootdowns() - shootdowns;
	held = vm_copy_test_reuse(pa, &reused);
	thread_delay(20 * NSEC_PER_MSEC);	/* a stale entry's reader reads them meanwhile */
	KTEST_EXPECT_EQ(t, vm_object_data_supply(object, 0, data, VM_PROT_NONE, false),
			KERN_SUCCESS);
	for (i = 0; i < n; i++)
		from[i] = READ_ONCE(r[i].rounds);
	vm_copy_test_readers_wait(r, n, from, 4);
	for (i = 0; i < n; i++) {
		WRITE_ONCE(r[i].quit, true);
		thread_join(th[i]);
		thread_deallocate(th[i]);
		if (r[i].spin)
			continue;
		KTEST_EXPECT_GE(t, r[i].rounds, from[i] + 4);
		KTEST_EXPECT_EQ(t, r[i].bad, 0UL);
		KTEST_EXPECT_EQ(t, r[i].failed, 0UL);
	}
	vm_test_release(held);
	printk("# vm_copy: flush with readers: %u of %u freed pages taken back, %lu shootdown "
	       "rounds\n", reused, VM_COPY_TEST_FPAGES, shootdowns);
	KTEST_EXPECT_LE(t, shootdowns, 2UL);
	KTEST_EXPECT_TRUE(t, check(m, copied, size, VM_COPY_TEST_FSEED));
	KTEST_EXPECT_TRUE(t, check(m, shared, size, VM_COPY_TEST_FSEED2));
	vm_object_deallocate(object);
	ipc_port_release_send(send);
	vm_map_deallocate(m);
	ipc_test_space_done(sp);
	thread_bind(self, -1);
}

/* Threads writing an object through one map while others read its copy through another. */
struct vm_copy_test_worker {
	vm_map_t	map;
	vm_offset_t	base;
	unsigned int	index;		/* writers: the byte of each page written */
	bool		writer;
	unsigned int	errors;
};

#define VM_COPY_TEST_WORKERS	4
#define VM_COPY_TEST_WPAGES	8
#define VM_COPY_TEST_ROUNDS	8
#define VM_COPY_TEST_SEED	14

static void vm_copy_test_worker_fn(void *arg)
{
	struct vm_copy_test_worker *w = arg;
	unsigned char __user *p = (unsigned char __user *)w->base;
	unsigned int i, j, round;
	unsigned char v;

	vm_map_switch(w->map);
	for (round = 0; round < VM_COPY_TEST_ROUNDS; round++)
		for (i = 0; i < VM_COPY_TEST_WPAGES; i++) {
			if (w->writer) {
				v = (unsigned char)(0x80 + round * 16 + i);
				w->errors += copyout(&v, p + i * PAGE_SIZE + w->index, 1) !=
					     KERN_SUCCESS;
				continue;
			}
			/* The copy's bytes the writers change: still the snapshot's. */
			for (j = 0; j < VM_COPY_TEST_WORKERS; j++)
				w->errors += copyin(p + i * PAGE_SIZE + j, &v, 1) != KERN_SUCCESS ||
					     v != pat(i * PAGE_SIZE + j, VM_COPY_TEST_SEED);
		}
	vm_map_switch(VM_MAP_NULL);
}

/*
 * Two threads write every page of the object through a copy FALSE
 * mapping while two read a copy made before through another map (the
 * pushes race with the reads and with each other; on several CPUs with
 * --smp 4), and a third copy is made meanwhile: the copy keeps the
 * snapshot, the object ends with the last round's bytes, the late copy
 * shows either, and everything is back at the baseline.
 */
static void vm_copy_test_map_threads(struct ktest *t)
{
	vm_map_t m = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	vm_map_t r = vm_test_map(t, VM_COPY_TEST_BASE, VM_COPY_TEST_END);
	ipc_space_t sp = ipc_test_space(t);
	struct vm_copy_test_worker w[VM_COPY_TEST_WORKERS];
	struct thread *th[VM_COPY_TEST_WORKERS];
	vm_size_t size = VM_COPY_TEST_WPAGES * PAGE_SIZE;
	vm_offset_t shared, copied, late;
	struct vm_object *object;
	ipc_port_t send;
	unsigned int i;
	unsigned char v, last = 0x80 + (VM_COPY_TEST_ROUNDS - 1) * 16 + 3;

	object = vm_copy_test_pager_object(t, m, sp, &send, &shared, VM_COPY_TEST_WPAGES,
					   VM_COPY_TEST_SEED);
	vm_object_deallocate(object);
	KTEST_ASSERT_EQ(t, vm_copy_test_map_of(r, send, size, &copied), KERN_SUCCESS);
	for (i = 0; i < VM_COPY_TEST_WORKERS; i++) {
		w[i] = (struct vm_copy_test_worker){ .writer = i & 1, .index = i / 2 };
		w[i].map = w[i].writer ? m : r;
		w[i].base = w[i].writer ? shared : copied;
		th[i] = kernel_thread_create(vm_copy_test_worker_fn, &w[i], BASEPRI_KERNEL,
					     "vm-copy");
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	KTEST_EXPECT_EQ(t, vm_copy_test_map_of(r, send, size, &late), KERN_SUCCESS);
	for (i = 0; i < VM_COPY_TEST_WORKERS; i++) {
		thread_join(th[i]);
		thread_deallocate(th[i]);
		KTEST_EXPECT_EQ(t, w[i].errors, 0U);
	}
	KTEST_EXPECT_TRUE(t, check(r, copied, size, VM_COPY_TEST_SEED));
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + 3 * PAGE_SIZE), last);
	KTEST_EXPECT_EQ(t, vm_test_peek(m, shared + 3 * PAGE_SIZE + 1), last);
	v = vm_test_peek(r, late + 3 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, v == pat(3 * PAGE_SIZE, VM_COPY_TEST_SEED) || (v & 0x80));
	ipc_port_release_send(send);
	vm_map_deallocate(r);
	vm_map_deallocate(m);
	ipc_test_space_done(sp);
}

static struct ktest_case vm_copy_test_cases[] = {
	KTEST_CASE(vm_copy_test_cow),
	KTEST_CASE(vm_copy_test_small),
	KTEST_CASE(vm_copy_test_move),
	KTEST_CASE(vm_copy_test_overwrite),
	KTEST_CASE(vm_copy_test_region_cow),
	KTEST_CASE(vm_copy_test_mach_msg),
	KTEST_CASE(vm_copy_test_map_copy),
	KTEST_CASE(vm_copy_test_map_snapshot),
	KTEST_CASE(vm_copy_test_map_flush),
	KTEST_CASE(vm_copy_test_map_flush_readers),
	KTEST_CASE(vm_copy_test_map_strategy),
	KTEST_CASE(vm_copy_test_map_fork),
	KTEST_CASE(vm_copy_test_map_threads),
	{}
};

static struct ktest_suite vm_copy_test_suite = {
	.name = "vm_copy",
	.init = vm_copy_test_init,
	.exit = vm_copy_test_exit,
	.test_cases = vm_copy_test_cases,
};
KTEST_SUITE(vm_copy_test_suite);

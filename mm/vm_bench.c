// SPDX-License-Identifier: MIT
/*
 * Benchmarks of the machine-independent VM (CONFIG_KBENCH, see <kbench.h>).
 * The benchmark thread runs in a user map of its own (vm_map_switch()) and
 * touches it with copyout(), so that each fault is a real one, through the
 * trap handler:
 *
 *   vm_fault_zero          a demand-zero fault on a fresh page of a big
 *                          anonymous range: the trap, vm_fault(), a zeroed
 *                          page, pmap_enter() (page tables amortized: one
 *                          per 512 pages), and the copyout of one byte
 *   vm_alloc_touch_free    vm_map_allocate() of one page anywhere, one byte
 *                          written (the fault), vm_map_remove(): the kernel's
 *                          side of vm_allocate + touch + vm_deallocate, without
 *                          the two messages a user task sends for them
 *   vm_fault_cow           a write fault on a page that a map shares
 *                          copy-on-write with its parent (vm_map_fork(), the
 *                          task_create(inherit_memory) copy): the trap,
 *                          vm_fault() finding the page in the shadowed
 *                          object, a new page and the 4 KiB copied into it,
 *                          pmap_enter(), and the copyout of one byte
 *   vm_ool_1m_cow          1 MiB out of line from one map to a receiver in
 *                          another (mach_msg send, then receive; the region
 *                          copied in copy-on-write and mapped in the receiver,
 *                          no byte copied), then removed from the receiver
 */
#include <kern/cmdline.h>
#include <kern/copyio.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/vm_map.h>
#include <kern/vm_page.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_port.h>
#include <kbench.h>

#define VM_BENCH_BASE		0x40000000UL
#define VM_BENCH_END		(VM_BENCH_BASE + (1UL << 32))
#define VM_BENCH_ZERO_ITERS	4000
#define VM_BENCH_COW_ITERS	2000
#define VM_BENCH_OOL_SIZE	(1UL << 20)

/* A message with one out-of-line region, and room for the trailer. */
struct vm_bench_msg {
	mach_msg_user_header_t		h;
	mach_msg_body_t			body;
	mach_msg_ool_descriptor_t	d;
	char				trailer[64];
} __attribute__((packed, aligned(8)));

struct vm_bench {
	vm_map_t	map, dst;	/* the thread's map, the receiver's */
	vm_map_t	saved;
	vm_offset_t	base, next;	/* the range; vm_fault_zero: the next page */
	ipc_space_t	space;
	mach_port_name_t port;
	struct vm_bench_msg m;
};

static struct vm_bench vm_bench;

static vm_map_t vm_bench_map(void)
{
	pmap_t pmap = pmap_create();
	vm_map_t map = pmap ? vm_map_create(pmap, VM_BENCH_BASE, VM_BENCH_END) : NULL;

	if (!map)
		panic("kbench: vm: no memory for a map");
	return map;
}

static void vm_bench_touch(vm_offset_t addr)
{
	unsigned char v = 1;

	if (copyout(&v, (void __user *)addr, 1) != KERN_SUCCESS)
		panic("kbench: vm: a write at %#lx failed", (unsigned long)addr);
}

static void vm_bench_teardown(void *ctx)
{
	struct vm_bench *b = ctx;

	vm_map_switch(b->saved);
	vm_map_deallocate(b->map);
	if (b->dst)
		vm_map_deallocate(b->dst);
	if (b->space) {
		ipc_space_destroy(b->space);
		ipc_space_release(b->space);
	}
	memset(b, 0, sizeof(*b));
}

/* The warm-up run and the timed run each take fresh pages. */
static kern_return_t vm_bench_zero_setup(void **ctx)
{
	struct vm_bench *b = &vm_bench;
	vm_size_t size = (VM_BENCH_ZERO_ITERS + VM_BENCH_ZERO_ITERS / 10 + 1) * PAGE_SIZE;

	b->map = vm_bench_map();
	b->base = 0;
	if (vm_map_allocate(b->map, &b->base, size, true) != KERN_SUCCESS)
		panic("kbench: vm_fault_zero: vm_map_allocate failed");
	b->next = b->base;
	b->saved = vm_map_switch(b->map);
	*ctx = b;
	return KERN_SUCCESS;
}

static void vm_bench_zero_run(void *ctx, unsigned long iters)
{
	struct vm_bench *b = ctx;

	while (iters--) {
		vm_bench_touch(b->next);
		b->next += PAGE_SIZE;
	}
}
KBENCH(vm_fault_zero, VM_BENCH_ZERO_ITERS, vm_bench_zero_setup, vm_bench_zero_run,
       vm_bench_teardown);

/*
 * The same fault after idle time: the setup sleeps until the vm_zero
 * thread has filled the pre-zeroed pool (mm/vm_page_zero.c), and the run
 * (with its warm-up, 111 faults) takes fewer pages than the pool holds.
 * vm_fault_zero is the figure when faults come faster than idle CPUs zero.
 */
static kern_return_t vm_bench_zero_pool_setup(void **ctx)
{
	vm_bench_zero_setup(ctx);
	if (!vm_page_zeroed_wait())
		pr_info("kbench: vm_fault_zero_pool: the pre-zeroed pool did not fill\n");
	return KERN_SUCCESS;
}
KBENCH(vm_fault_zero_pool, 100, vm_bench_zero_pool_setup, vm_bench_zero_run, vm_bench_teardown);

/*
 * A parent map with every page of a range written (resident in its
 * object), and its child from vm_map_fork(): both entries copy-on-write.
 * The thread runs in the child and vm_bench_zero_run() writes one byte of
 * each page in turn. The warm-up's first fault also gives the child's
 * entry its shadow object; every later one copies a page out of the
 * parent's object, as a forked task's first writes do. Pages for the
 * warm-up and the timed run (kbench.iters may change the count).
 */
static kern_return_t vm_bench_cow_setup(void **ctx)
{
	struct vm_bench *b = &vm_bench;
	unsigned long iters = cmdline_get_ulong("kbench.iters", VM_BENCH_COW_ITERS) ?: 1;
	vm_size_t size = (iters + iters / 10 + 1) * PAGE_SIZE;
	vm_offset_t a;

	b->map = vm_bench_map();
	b->base = 0;
	if (vm_map_allocate(b->map, &b->base, size, true) != KERN_SUCCESS)
		panic("kbench: vm_fault_cow: vm_map_allocate failed");
	b->saved = vm_map_switch(b->map);
	for (a = b->base; a < b->base + size; a += PAGE_SIZE)
		vm_bench_touch(a);
	b->dst = vm_map_fork(b->map);
	if (!b->dst)
		panic("kbench: vm_fault_cow: vm_map_fork failed");
	vm_map_switch(b->dst);
	b->next = b->base;
	*ctx = b;
	return KERN_SUCCESS;
}
KBENCH(vm_fault_cow, VM_BENCH_COW_ITERS, vm_bench_cow_setup, vm_bench_zero_run,
       vm_bench_teardown);

static kern_return_t vm_bench_map_setup(void **ctx)
{
	struct vm_bench *b = &vm_bench;

	b->map = vm_bench_map();
	b->saved = vm_map_switch(b->map);
	*ctx = b;
	return KERN_SUCCESS;
}

static void vm_bench_alloc_run(void *ctx, unsigned long iters)
{
	struct vm_bench *b = ctx;
	vm_offset_t a;

	while (iters--) {
		a = 0;
		if (vm_map_allocate(b->map, &a, PAGE_SIZE, true) != KERN_SUCCESS)
			panic("kbench: vm_alloc_touch_free: vm_map_allocate failed");
		vm_bench_touch(a);
		vm_map_remove(b->map, a, a + PAGE_SIZE);
	}
}
KBENCH(vm_alloc_touch_free, 20000, vm_bench_map_setup, vm_bench_alloc_run, vm_bench_teardown);

/* A sender's map with 1 MiB written, a receiver's map, a port between them. */
static kern_return_t vm_bench_ool_setup(void **ctx)
{
	struct vm_bench *b = &vm_bench;
	vm_offset_t a;

	vm_bench_map_setup(ctx);
	b->dst = vm_bench_map();
	if (ipc_space_create(&b->space) != KERN_SUCCESS ||
	    ipc_mach_port_allocate(b->space, MACH_PORT_RIGHT_RECEIVE, &b->port) != KERN_SUCCESS)
		panic("kbench: vm_ool_1m_cow: no space or port");
	b->base = 0;
	if (vm_map_allocate(b->map, &b->base, VM_BENCH_OOL_SIZE, true) != KERN_SUCCESS)
		panic("kbench: vm_ool_1m_cow: vm_map_allocate failed");
	for (a = b->base; a < b->base + VM_BENCH_OOL_SIZE; a += PAGE_SIZE)
		vm_bench_touch(a);
	return KERN_SUCCESS;
}

static void vm_bench_ool_run(void *ctx, unsigned long iters)
{
	struct vm_bench *b = ctx;
	struct vm_bench_msg *m = &b->m;
	vm_offset_t got;

	while (iters--) {
		vm_map_switch(b->map);
		memset(m, 0, sizeof(m->h) + sizeof(m->body) + sizeof(m->d));
		m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		m->h.msgh_size = offsetof(struct vm_bench_msg, trailer);
		m->h.msgh_remote_port = b->port;
		m->h.msgh_id = 1;
		m->body.msgh_descriptor_count = 1;
		m->d.address = (void *)b->base;
		m->d.size = VM_BENCH_OOL_SIZE;
		m->d.copy = MACH_MSG_VIRTUAL_COPY;
		m->d.type = MACH_MSG_OOL_DESCRIPTOR;
		if (ipc_mach_msg(b->space, (mach_msg_header_t *)m, MACH_SEND_MSG, m->h.msgh_size,
				 0, MACH_PORT_NAME_NULL, 0, MACH_PORT_NAME_NULL) != MACH_MSG_SUCCESS)
			panic("kbench: vm_ool_1m_cow: send failed");
		vm_map_switch(b->dst);
		if (ipc_mach_msg(b->space, (mach_msg_header_t *)m, MACH_RCV_MSG, 0, sizeof(*m),
				 b->port, 0, MACH_PORT_NAME_NULL) != MACH_MSG_SUCCESS)
			panic("kbench: vm_ool_1m_cow: receive failed");
		got = (vm_offset_t)m->d.address;
		vm_map_remove(b->dst, got, got + VM_BENCH_OOL_SIZE);
	}
	vm_map_switch(b->map);
}
KBENCH(vm_ool_1m_cow, 200, vm_bench_ool_setup, vm_bench_ool_run, vm_bench_teardown);

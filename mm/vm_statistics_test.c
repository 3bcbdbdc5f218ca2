// SPDX-License-Identifier: MIT
/*
 * ktest suite "vm_statistics": the VM's counts as vm_statistics (mach.defs
 * 2030, on a task's port) and host_statistics (mach_host.defs 216,
 * HOST_VM_INFO, on the host port) report them, asked for by messages.
 *
 * The counts are the whole system's: other threads may move them too, so
 * the checks are that each count moved at least as much as the case made
 * it move, and that free, active, inactive and wired pages add up to the
 * memory the allocator manages. Every case ends with ports, rights, map
 * entries, objects and pages at their baseline.
 */
#include <kern/vm_pageout.h>
#include <kern/vm_statistics.h>
#include <kernel/task_test_util.h>
#include <mm/vm_test_util.h>
#include <mach/host_info.h>
#include <ktest.h>

#define VS_PAGES	8

struct vs_rep {
	mach_msg_header_t	Head;
	kern_return_t		RetCode;
	vm_statistics_data_t	stats;
};

struct vs_host_req {
	mach_msg_header_t	Head;
	host_flavor_t		flavor;
	mach_msg_type_number_t	cnt;
};

struct vs_host_rep {
	mach_msg_header_t	Head;
	kern_return_t		RetCode;
	mach_msg_type_number_t	cnt;
	integer_t		info[HOST_VM_INFO_COUNT];
};

/* vm_statistics (2030) sent to a task port: its RetCode, the counts in *s. */
static kern_return_t vs_task_stats(struct ktest *t, ipc_port_t port, vm_statistics_data_t *s)
{
	struct vs_rep *rep = (void *)&tt_msg;

	tt_request(port, 2030, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (rep->RetCode != KERN_SUCCESS)
		return rep->RetCode;
	KTEST_EXPECT_EQ(t, rep->Head.msgh_size, TT_END(struct vs_rep, stats));
	*s = rep->stats;
	return KERN_SUCCESS;
}

/* host_statistics (216) sent to the host port with room for cnt integers. */
static kern_return_t vs_host_stats(struct ktest *t, host_flavor_t flavor,
				   mach_msg_type_number_t cnt, vm_statistics_data_t *s)
{
	ipc_port_t host = (ipc_port_t)convert_host_to_port(host_self());
	struct vs_host_req *req = tt_request(host, 216, TT_END(struct vs_host_req, cnt));
	struct vs_host_rep *rep = (void *)&tt_msg;
	kern_return_t kr;

	req->flavor = flavor;
	req->cnt = cnt;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	ipc_port_release_send(host);
	kr = rep->RetCode;
	if (kr != KERN_SUCCESS)
		return kr;
	KTEST_EXPECT_EQ(t, rep->cnt, HOST_VM_INFO_COUNT);
	KTEST_EXPECT_EQ(t, rep->Head.msgh_size, TT_END(struct vs_host_rep, info));
	memcpy(s, rep->info, sizeof(*s));
	return KERN_SUCCESS;
}

/* The page counts add up to the allocator's pages (give or take a few in flight). */
static void vs_check_pages(struct ktest *t, const vm_statistics_data_t *s)
{
	struct vm_page_stats ps;
	long sum = (long)s->free_count + s->active_count + s->inactive_count + s->wire_count;

	vm_page_get_stats(&ps);
	KTEST_EXPECT_EQ(t, s->pagesize, (integer_t)PAGE_SIZE);
	KTEST_EXPECT_GT(t, s->free_count, 0);
	KTEST_EXPECT_GT(t, s->wire_count, 0);	/* the kernel's own memory */
	KTEST_EXPECT_LE(t, sum, (long)ps.total + 16);
	KTEST_EXPECT_GE(t, sum, (long)ps.total - 16);
}

static int vs_test_init(struct ktest *t)
{
	return tt_init(t);
}

static void vs_test_exit(struct ktest *t)
{
	tt_exit(t);
}

/* Bad requests: the kernel task's port, another flavor, too little room. */
static void vs_test_bad(struct ktest *t)
{
	vm_statistics_data_t s;

	/* The kernel task's port names no map. */
	KTEST_EXPECT_EQ(t, vs_task_stats(t, kernel_task->itk_sself, &s), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, vs_host_stats(t, 99, HOST_INFO_MAX, &s), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, vs_host_stats(t, HOST_VM_INFO, HOST_VM_INFO_COUNT - 1, &s),
			KERN_FAILURE);
	KTEST_EXPECT_EQ(t, vs_host_stats(t, HOST_VM_INFO, HOST_VM_INFO_COUNT, &s), KERN_SUCCESS);
	vs_check_pages(t, &s);
}

/*
 * Faults move the counts: VS_PAGES demand-zero pages written in a task's
 * map, copied on write in a fork, one reactivated by a fault, one paged
 * out and read back (with swap).
 */
static void vs_test_faults(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t port = tt_task_port(task);
	vm_statistics_data_t a, b, h;
	struct vm_object *object;
	struct vm_page *page;
	vm_offset_t addr = 0;
	vm_map_t child;
	unsigned long i;
	bool swap = default_pager_ready();

	KTEST_ASSERT_EQ(t, vs_task_stats(t, port, &a), KERN_SUCCESS);
	vs_check_pages(t, &a);
	KTEST_ASSERT_EQ(t, vm_map_allocate(task->map, &addr, VS_PAGES * PAGE_SIZE, true),
			KERN_SUCCESS);
	for (i = 0; i < VS_PAGES; i++)
		vm_test_poke(task->map, addr + i * PAGE_SIZE, (unsigned char)(i + 1));
	KTEST_ASSERT_EQ(t, vs_task_stats(t, port, &b), KERN_SUCCESS);
	KTEST_EXPECT_GE(t, b.faults - a.faults, VS_PAGES);
	KTEST_EXPECT_GE(t, b.zero_fill_count - a.zero_fill_count, VS_PAGES);
	KTEST_EXPECT_GE(t, b.active_count - a.active_count, VS_PAGES - 16);

	/* Two pages written on the child's side of a fork: two copies. */
	child = vm_map_fork(task->map);
	KTEST_ASSERT_NOT_NULL(t, child);
	vm_test_poke(child, addr, 0x11);
	vm_test_poke(child, addr + PAGE_SIZE, 0x22);
	vm_map_deallocate(child);

	/* A page put on the inactive queue and unmapped: the next touch reactivates it. */
	page = vm_test_page_get(t, task->map, addr + 2 * PAGE_SIZE, &object);
	KTEST_ASSERT_NOT_NULL(t, page);
	vm_page_deactivate(page);
	pmap_page_protect(vm_page_to_phys(page), VM_PROT_NONE);
	vm_test_page_put(object);
	KTEST_EXPECT_EQ(t, vm_test_peek(task->map, addr + 2 * PAGE_SIZE), 3);

	/* Out to swap and back. */
	if (swap) {
		page = vm_test_page_get(t, task->map, addr + 3 * PAGE_SIZE, &object);
		KTEST_ASSERT_NOT_NULL(t, page);
		KTEST_EXPECT_EQ(t, vm_pageout_page(page), KERN_SUCCESS);
		vm_test_page_put(object);
		KTEST_EXPECT_EQ(t, vm_test_peek(task->map, addr + 3 * PAGE_SIZE), 4);
	}

	KTEST_ASSERT_EQ(t, vs_host_stats(t, HOST_VM_INFO, HOST_VM_INFO_COUNT, &h), KERN_SUCCESS);
	vs_check_pages(t, &h);
	KTEST_EXPECT_GE(t, h.faults - b.faults, 4);
	KTEST_EXPECT_GE(t, h.cow_faults - b.cow_faults, 2);
	KTEST_EXPECT_GE(t, h.reactivations - b.reactivations, 1);
	KTEST_EXPECT_GE(t, h.pageouts - b.pageouts, swap ? 1 : 0);
	KTEST_EXPECT_GE(t, h.pageins - b.pageins, swap ? 1 : 0);
	/* Nothing goes backwards. */
	KTEST_EXPECT_GE(t, h.zero_fill_count, b.zero_fill_count);
	KTEST_EXPECT_GE(t, h.lookups, h.hits);

	tt_task_done(t, task);
	ipc_port_release_send(port);
}

/* Pager objects: entering a memory object port twice is a lookup each, one hit. */
static void vs_test_lookups(struct ktest *t)
{
	ipc_space_t space = ipc_test_space(t);
	mach_port_name_t name = ipc_test_port(t, space);
	ipc_port_t port = ipc_port_make_send(ipc_test_port_of(space, name));
	vm_statistics_data_t a, b;
	struct vm_object *o1, *o2;

	KTEST_ASSERT_EQ(t, vs_host_stats(t, HOST_VM_INFO, HOST_VM_INFO_COUNT, &a), KERN_SUCCESS);
	o1 = vm_object_enter(port, PAGE_SIZE);
	o2 = vm_object_enter(port, PAGE_SIZE);
	KTEST_EXPECT_PTR_EQ(t, o1, o2);
	KTEST_ASSERT_EQ(t, vs_host_stats(t, HOST_VM_INFO, HOST_VM_INFO_COUNT, &b), KERN_SUCCESS);
	KTEST_EXPECT_GE(t, b.lookups - a.lookups, 2);
	KTEST_EXPECT_GE(t, b.hits - a.hits, 1);
	vm_object_deallocate(o1);
	vm_object_deallocate(o2);
	ipc_port_release_send(port);
	ipc_test_space_done(space);
}

static struct ktest_case vs_test_cases[] = {
	KTEST_CASE(vs_test_bad),
	KTEST_CASE(vs_test_faults),
	KTEST_CASE(vs_test_lookups),
	{}
};

static struct ktest_suite vs_test_suite = {
	.name = "vm_statistics",
	.init = vs_test_init,
	.exit = vs_test_exit,
	.test_cases = vs_test_cases,
};
KTEST_SUITE(vs_test_suite);

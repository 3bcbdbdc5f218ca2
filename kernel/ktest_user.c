// SPDX-License-Identifier: MIT
/*
 * The user suite: the user-mode test program of the RAM disk
 * (/bin/ktest, user/bin/ktest; contract in <mach/ktest_user.h>) run in a
 * task of its own, its KTAP nested in this suite's cases, its leaf results
 * counted in the kernel's summary (ktest_count_nested()).
 *
 * The kernel starts it here rather than through /sbin/bootstrap because
 * the suites run (and the machine powers off) before the bootstrap task
 * starts, and the bootstrap cannot load a program from the RAM disk yet.
 *
 * Each case catches the program's end on the task's exception port: the
 * result message, or an exception nobody handled (a crash fails the case),
 * or nothing before the timeout (a hang fails it). Then the task goes, and
 * the kernel's counts (tasks, threads, ports, spaces, entries, map entries,
 * VM objects, zone elements, free pages) must be back at their baseline:
 * whatever the program did, or the hostile task fired at the kernel, left
 * nothing behind.
 */
#include <kern/cpio.h>
#include <kern/elf.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <ipc/ipc_object.h>
#include <kernel/device.h>
#include <mach/ktest_user.h>
#include <ktest.h>

#include "exception_test_util.h"

/* The whole program, tests and hostile task: well under a minute per boot. */
#define KU_TIMEOUT_MS		(120 * 1000)
/* Pages the kernel may keep after the program: zone chunks, page tables. */
#define KU_PAGE_SLACK		256

struct ku_counts {
	struct ipc_stats ipc;
	unsigned int	tasks, threads;
	unsigned long	map_entries, objects, zone_in_use, free_pages;
};

static void ku_zone_sum(struct zone *zone, void *arg)
{
	struct zone_stats st;

	zone_get_stats(zone, &st);
	*(unsigned long *)arg += st.in_use;
}

static void ku_counts_get(struct ku_counts *c)
{
	ipc_stats_get(&c->ipc);
	c->tasks = task_count();
	c->threads = thread_count();
	c->map_entries = vm_map_entry_count();
	c->objects = vm_object_count();
	c->zone_in_use = 0;
	zone_for_each(ku_zone_sum, &c->zone_in_use);
	c->free_pages = vm_page_free_count();
}

static bool ku_counts_back(const struct ku_counts *a, const struct ku_counts *b)
{
	return a->ipc.ports == b->ipc.ports && a->ipc.spaces == b->ipc.spaces &&
	       a->ipc.entries == b->ipc.entries && a->tasks == b->tasks &&
	       a->threads == b->threads && a->map_entries == b->map_entries &&
	       a->objects == b->objects && a->zone_in_use == b->zone_in_use;
}

/*
 * The counts after the program: a dead task's threads and objects go
 * asynchronously (reaper, object termination), so wait up to a second.
 */
static void ku_check_counts(struct ktest *t, const struct ku_counts *base)
{
	struct ku_counts now;
	int i;

	for (i = 0; i < 100; i++) {
		ku_counts_get(&now);
		if (ku_counts_back(&now, base))
			break;
		thread_delay(10 * NSEC_PER_MSEC);
	}
	KTEST_EXPECT_EQ(t, now.tasks, base->tasks);
	KTEST_EXPECT_EQ(t, now.threads, base->threads);
	KTEST_EXPECT_EQ(t, now.ipc.ports, base->ipc.ports);
	KTEST_EXPECT_EQ(t, now.ipc.spaces, base->ipc.spaces);
	KTEST_EXPECT_EQ(t, now.ipc.entries, base->ipc.entries);
	KTEST_EXPECT_EQ(t, now.map_entries, base->map_entries);
	KTEST_EXPECT_EQ(t, now.objects, base->objects);
	KTEST_EXPECT_EQ(t, now.zone_in_use, base->zone_in_use);
	KTEST_EXPECT_GE(t, now.free_pages + KU_PAGE_SLACK, base->free_pages);
}

/* The program in a new task, its ports, its first thread (not started). */
static kern_return_t ku_load(struct ktest *t, const struct cpio_file *file,
			     const char *const *argv, unsigned int argc,
			     task_t *taskp, ipc_port_t *exc, struct thread **thp)
{
	struct elf_image img;
	vm_offset_t sp;
	ipc_port_t dm;
	kern_return_t kr;

	kr = task_create(kernel_task, false, taskp);
	if (kr != KERN_SUCCESS)
		return kr;
	*exc = exc_test_port_for_task(*taskp);
	if (!*exc)
		return KERN_RESOURCE_SHORTAGE;
	dm = device_master_port_make_send();
	if (!IP_VALID(dm))
		return KERN_RESOURCE_SHORTAGE;
	kr = task_set_special_port(*taskp, TASK_BOOTSTRAP_PORT, (mach_port_t)dm);
	if (kr != KERN_SUCCESS) {
		ipc_port_release_send(dm);
		return kr;
	}
	kr = elf_load((*taskp)->map, file->data, file->size, &img);
	if (kr == KERN_SUCCESS)
		kr = elf_load_start_block((*taskp)->map, argv, argc, NULL, 0, &sp);
	if (kr == KERN_SUCCESS)
		kr = thread_create_user(*taskp, img.entry, sp, sp, thp);
	return kr;
}

/* Wait for the result message; false (and the case failed) without one. */
static bool ku_wait(struct ktest *t, ipc_port_t exc, struct ktest_user_result *res)
{
	struct exc_test_msg m;
	mach_msg_header_t *h;
	bool ok = false;

	if (!exc_test_receive(exc, KU_TIMEOUT_MS, &m)) {
		KTEST_FAIL(t, "no result from %s in %u ms (hung?)", KTEST_USER_PATH,
			   KU_TIMEOUT_MS);
		return false;
	}
	h = m.kmsg->ikm_header;
	if (m.exception >= 0) {
		KTEST_FAIL(t, "%s died: exception %d, code %#lx", KTEST_USER_PATH,
			   m.exception, (unsigned long)m.code[0]);
	} else if (h->msgh_id != KTEST_USER_RESULT_ID || h->msgh_size < sizeof(*res)) {
		KTEST_FAIL(t, "a stray message on the exception port: id %d, size %u",
			   h->msgh_id, h->msgh_size);
	} else {
		memcpy(res, h, sizeof(*res));
		ok = res->magic == KTEST_USER_MAGIC;
		KTEST_EXPECT_EQ(t, res->magic, KTEST_USER_MAGIC);
	}
	exc_test_done(&m, false, KERN_FAILURE);
	return ok;
}

static void ku_run(struct ktest *t, const char *mode)
{
	const char *argv[] = { KTEST_USER_PATH, mode };
	struct ktest_user_result res;
	struct cpio_file file;
	struct ku_counts base;
	struct thread *th = NULL;
	ipc_port_t exc = IP_NULL;
	task_t task = TASK_NULL;
	kern_return_t kr;

	kr = ramdisk_lookup(KTEST_USER_PATH, &file);
	if (kr != KERN_SUCCESS && kr != KERN_INVALID_NAME)
		ktest_skip(t, "no RAM disk");
	/* A RAM disk without the program fails: it was built with it. */
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);

	ku_counts_get(&base);
	kr = ku_load(t, &file, argv, ARRAY_SIZE(argv), &task, &exc, &th);
	KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
	if (kr == KERN_SUCCESS) {
		thread_resume(th);
		if (ku_wait(t, exc, &res)) {
			ktest_count_nested(t, res.passed, res.failed, res.skipped);
			if (res.failed)
				KTEST_FAIL(t, "%u of the program's tests failed", res.failed);
		}
	}
	if (task) {
		kr = task_terminate(task);
		KTEST_EXPECT_TRUE(t, kr == KERN_SUCCESS || kr == KERN_TERMINATED);
	}
	if (th) {
		KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
		thread_deallocate(th);
	}
	if (exc)
		ipc_port_dealloc_kernel(exc);
	if (task)
		task_deallocate(task);
	ku_check_counts(t, &base);
}

/* The test suites of user/tests: traps, IPC between tasks, life cycles, VM. */
static void ktest_user_tests(struct ktest *t)
{
	ku_run(t, "tests");
}

/* The hostile task: random traps and malformed messages, then the counts. */
static void ktest_user_hostile(struct ktest *t)
{
	ku_run(t, "hostile");
}

static struct ktest_case ktest_user_cases[] = {
	KTEST_CASE(ktest_user_tests),
	KTEST_CASE(ktest_user_hostile),
	{}
};

static struct ktest_suite ktest_user_suite = {
	.name = "user",
	.test_cases = ktest_user_cases,
};
KTEST_SUITE(ktest_user_suite);

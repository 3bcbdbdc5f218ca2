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
 *
 * The test program is trusted as the bootstrap's privileged servers are:
 * its registered ports hold the privileged host port in
 * BOOTSTRAP_SLOT_HOST_PRIV (mach_bootstrap_ports() reads it), so that
 * user tests may call what host_priv serves (vm_wire, the host's exception
 * ports, vm_set_default_memory_manager). Only the tests get it: the hostile
 * task's run does not (its random messages would reach host_reboot), and
 * /bin/ktest run from the shell is started unprivileged by the name server.
 */
#include <kern/sched.h>
#include <kern/string.h>
#include <kern/sched_prim.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <ipc/ipc_object.h>
#include <ipc/ipc_port.h>
#include <kernel/mig/mig_convert.h>
#include <mach/bootstrap_abi.h>
#include <ktest.h>

#include "device.h"
#include "user_program.h"

/*
 * The whole program, tests and hostile task, takes well under a minute per
 * boot on an idle host, but several times that with four virtual CPUs on
 * a loaded two-core host (every TLB shootdown waits for a descheduled
 * vCPU). So a hang is a program that prints nothing for KU_QUIET_MS (its
 * suites print a line per case), and a program still printing gets up to
 * KU_TIMEOUT_MS in all; the runner's own timeout bounds the boot anyway.
 */
#define KU_QUIET_MS		(120 * 1000)
#define KU_TIMEOUT_MS		(600 * 1000)
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
 * asynchronously (reaper, object termination), so wait for them: up to ten
 * seconds, as tearing down a few hundred MiB wired (dpdead) takes a second
 * or more on a loaded host. Counts back at once end the wait at once.
 */
static void ku_check_counts(struct ktest *t, const struct ku_counts *base)
{
	struct ku_counts now;
	int i;

	for (i = 0; i < 1000; i++) {
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

/* The privileged host port in the task's registered ports (before it runs). */
static kern_return_t ku_give_host_priv(task_t task)
{
	ipc_port_t port = (ipc_port_t)convert_host_priv_to_port(host_self()), old;

	if (!IP_VALID(port))
		return KERN_RESOURCE_SHORTAGE;
	spin_lock(&task->lock);
	old = task->itk_registered[BOOTSTRAP_SLOT_HOST_PRIV];
	task->itk_registered[BOOTSTRAP_SLOT_HOST_PRIV] = port;
	spin_unlock(&task->lock);
	if (IP_VALID(old))
		ipc_port_release_send(old);
	return KERN_SUCCESS;
}

/* Load the program, give it host_priv when it is trusted with it, run it. */
static kern_return_t ku_start(struct user_program *p, const struct cpio_file *file,
			      const char *const *argv, unsigned int argc, bool privileged)
{
	kern_return_t kr = user_program_load(p, file, argv, argc);

	if (kr == KERN_SUCCESS && privileged)
		kr = ku_give_host_priv(p->task);
	if (kr == KERN_SUCCESS)
		thread_resume(p->th);
	return kr;
}

/*
 * user_program_wait() for as long as the program makes progress: more
 * console output within each KU_QUIET_MS, up to KU_TIMEOUT_MS in all.
 * *waited: the ms waited.
 */
static enum user_program_end ku_wait(struct user_program *p, struct ktest_user_result *res,
				     int *exception, long code[2], unsigned int *waited)
{
	unsigned long out = console_device_written(), now;
	enum user_program_end end;

	for (*waited = 0;; *waited += KU_QUIET_MS) {
		end = user_program_wait(p, KU_QUIET_MS, res, exception, code);
		now = console_device_written();
		if (end != USER_PROGRAM_TIMEOUT || now == out ||
		    *waited + KU_QUIET_MS >= KU_TIMEOUT_MS)
			return end;
		out = now;
	}
}

static void ku_run(struct ktest *t, const char *mode, const char *arg)
{
	const char *argv[] = { KTEST_USER_PATH, mode, arg };
	bool privileged = !strcmp(mode, "tests");
	struct ktest_user_result res;
	struct user_program p;
	struct cpio_file file;
	struct ku_counts base;
	unsigned int waited;
	kern_return_t kr;
	int exception;
	long code[2];

	kr = ramdisk_lookup(KTEST_USER_PATH, &file);
	if (kr != KERN_SUCCESS && kr != KERN_INVALID_NAME)
		ktest_skip(t, "no RAM disk");
	/* A RAM disk without the program fails: it was built with it. */
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);

	ku_counts_get(&base);
	kr = ku_start(&p, &file, argv, arg ? 3 : 2, privileged);
	KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
	if (kr == KERN_SUCCESS) {
		switch (ku_wait(&p, &res, &exception, code, &waited)) {
		case USER_PROGRAM_RESULT:
			ktest_count_nested(t, res.passed, res.failed, res.skipped);
			if (res.failed)
				KTEST_FAIL(t, "%u of the program's tests failed", res.failed);
			/* Given host_priv, none of them may skip for the want of it. */
			if (privileged && res.skipped)
				KTEST_FAIL(t, "%u of the program's tests skipped", res.skipped);
			break;
		case USER_PROGRAM_TIMEOUT:
			if (waited + KU_QUIET_MS >= KU_TIMEOUT_MS)
				KTEST_FAIL(t, "no result from %s in %u ms, the limit",
					   KTEST_USER_PATH, KU_TIMEOUT_MS);
			else
				KTEST_FAIL(t, "no result from %s: no output for %u ms (hung?)",
					   KTEST_USER_PATH, KU_QUIET_MS);
			thread_dump_all();	/* where everything waits, for the report */
			break;
		case USER_PROGRAM_EXCEPTION:
			KTEST_FAIL(t, "%s (or a child task) died: exception %d, code %#lx, %#lx",
				   KTEST_USER_PATH, exception, (unsigned long)code[0],
				   (unsigned long)code[1]);
			break;
		case USER_PROGRAM_STRAY:
			KTEST_FAIL(t, "a stray message on the exception port: id %d", exception);
			break;
		}
	}
	KTEST_EXPECT_EQ(t, user_program_end(&p), KERN_SUCCESS);
	ku_check_counts(t, &base);
}

/* The test suites of user/tests: traps, IPC between tasks, life cycles, VM. */
static void ktest_user_tests(struct ktest *t)
{
	ku_run(t, "tests", NULL);
}

/*
 * The user-space pager (suite "pager" of the program, in a case of its own
 * so that the count check sees what serving one object left): the vm_map()
 * routine once kept the send right to the memory object that came with the
 * request, so the pager's port outlived it (one port, one zone element).
 */
static void ktest_user_pager(struct ktest *t)
{
	ku_run(t, "tests", "pager");
}

/* The hostile task: random traps and malformed messages, then the counts. */
static void ktest_user_hostile(struct ktest *t)
{
	ku_run(t, "hostile", NULL);
}

static struct ktest_case ktest_user_cases[] = {
	KTEST_CASE(ktest_user_tests),
	KTEST_CASE(ktest_user_pager),
	KTEST_CASE(ktest_user_hostile),
	{}
};

static struct ktest_suite ktest_user_suite = {
	.name = "user",
	.test_cases = ktest_user_cases,
};
KTEST_SUITE(ktest_user_suite);

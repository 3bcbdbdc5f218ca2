/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the task and thread_port ktest suites: every count a case
 * must end with at its baseline (IPC, kmsgs, map entries, objects, pages,
 * tasks, threads), and requests sent as messages to kernel ports with
 * mach_msg_rpc_from_kernel(), in the kernel's message layout (the one
 * MIG generates, which the mig_server suite checks field by field).
 */
#ifndef _KERNEL_TASK_TEST_UTIL_H
#define _KERNEL_TASK_TEST_UTIL_H

#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <ipc/ipc_test_util.h>
#include <kernel/ipc_tt.h>
#include <kernel/mig/mig_convert.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>

struct tt_baseline {
	struct ipc_test_baseline ipc;
	unsigned long	entries, objects, pages;
	unsigned int	tasks, threads;
};

static struct tt_baseline tt_base;

/* Pages handed out, zones' empty chunks and CPU caches given back first. */
static inline unsigned long tt_pages(void)
{
	struct vm_page_stats s;

	zone_gc();
	vm_page_cache_drain();
	vm_page_get_stats(&s);
	return s.allocated;
}

/*
 * Ended threads are freed by whoever drops their last reference (the
 * reaper, for one that ends on another CPU), and hold their task until
 * then: give them up to a second to go.
 */
static inline void tt_settle(void)
{
	int i;

	thread_delay(2 * NSEC_PER_MSEC);
	for (i = 0; i < 1000 && (thread_count() != tt_base.threads ||
				 task_count() != tt_base.tasks); i++)
		thread_delay(NSEC_PER_MSEC);
	if (i == 1000)
		thread_dump_all();	/* for the failure that follows */
}

/*
 * Before a baseline: the threads and tasks a previous suite ended may
 * still be on their way out (the reaper frees them, slowly on a loaded
 * host). Wait (up to a second) until the counts hold still for 20 ms.
 */
static inline void tt_quiesce(void)
{
	unsigned int threads, tasks;
	int i;

	for (i = 0; i < 50; i++) {
		threads = thread_count();
		tasks = task_count();
		thread_delay(20 * NSEC_PER_MSEC);
		if (thread_count() == threads && task_count() == tasks)
			return;
	}
}

static inline int tt_init(struct ktest *t)
{
	tt_quiesce();
	/*
	 * This thread's kernel MIG reply port is not part of the baseline:
	 * tt_exit() destroys it, and a suite before us may have left it
	 * (the exception suite keeps it).
	 */
	mig_dealloc_reply_port(mig_get_reply_port());
	ipc_test_baseline_take(&tt_base.ipc);
	tt_base.entries = vm_map_entry_count();
	tt_base.objects = vm_object_count();
	tt_base.tasks = task_count();
	tt_base.threads = thread_count();
	tt_base.pages = tt_pages();
	return 0;
}

static inline void tt_exit(struct ktest *t)
{
	mig_dealloc_reply_port(mig_get_reply_port());
	tt_settle();
	KTEST_EXPECT_PTR_EQ(t, current_thread()->map, NULL);
	KTEST_EXPECT_EQ(t, task_count(), tt_base.tasks);
	KTEST_EXPECT_EQ(t, thread_count(), tt_base.threads);
	ipc_test_baseline_check(t, &tt_base.ipc);
	KTEST_EXPECT_EQ(t, vm_map_entry_count(), tt_base.entries);
	KTEST_EXPECT_EQ(t, vm_object_count(), tt_base.objects);
	KTEST_EXPECT_EQ(t, tt_pages(), tt_base.pages);
}

/* A new task, child of kernel_task (or parent), with the caller's reference. */
static inline task_t tt_task(struct ktest *t, task_t parent, bool inherit)
{
	task_t task = TASK_NULL;

	KTEST_ASSERT_EQ(t, task_create(parent ? parent : kernel_task, inherit, &task),
			KERN_SUCCESS);
	return task;
}

/* Terminate and drop the caller's reference. */
static inline void tt_task_done(struct ktest *t, task_t task)
{
	KTEST_EXPECT_EQ(t, task_terminate(task), KERN_SUCCESS);
	task_deallocate(task);
}

/* Wait (up to a second) until t waits or has halted; false if it never did. */
static inline bool tt_wait_for_state(struct thread *th, unsigned int bits)
{
	int i;

	for (i = 0; i < 1000; i++) {
		unsigned int st = thread_get_state(th);

		if ((st & bits) && !(st & TH_RUN))
			return true;
		thread_delay(NSEC_PER_MSEC);
	}
	return false;
}

/* ------------------------------------------------------------------------
 * Requests to kernel ports
 */

static union {
	mach_msg_header_t	head;
	mig_reply_error_t	err;
	uint64_t		align;
	char			bytes[4096 + 256];
} tt_msg;

/* Where field f of message type T ends: a message's size. */
#define TT_END(T, f)	((mach_msg_size_t)(offsetof(T, f) + sizeof(((T *)0)->f)))

/* A request of `size` bytes to a send right of the caller (copied). */
static inline void *tt_request(ipc_port_t dest, mach_msg_id_t id, mach_msg_size_t size)
{
	mach_msg_header_t *h = &tt_msg.head;

	memset(&tt_msg, 0, sizeof(tt_msg));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_size = size;
	h->msgh_remote_port = (mach_port_t)dest;
	h->msgh_local_port = mig_get_reply_port();
	h->msgh_id = id;
	return h;
}

/* Send it and wait for the reply (in tt_msg); the reply's id is checked. */
static inline mach_msg_return_t tt_rpc(struct ktest *t)
{
	mach_msg_id_t id = tt_msg.head.msgh_id;
	mach_msg_return_t mr;

	mr = mach_msg_rpc_from_kernel(&tt_msg.head, tt_msg.head.msgh_size, sizeof(tt_msg));
	if (mr == MACH_MSG_SUCCESS)
		KTEST_EXPECT_EQ(t, tt_msg.head.msgh_id, id + 100);
	return mr;
}

/* A routine whose reply is a return code only (or failed): its RetCode. */
static inline kern_return_t tt_call(struct ktest *t, ipc_port_t dest, mach_msg_id_t id)
{
	tt_request(dest, id, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_msg.err.RetCode;
}

/* The reply of a routine that failed: RetCode only. -1 if it did not fail. */
static inline kern_return_t tt_error(void)
{
	if (tt_msg.head.msgh_size != TT_END(mig_reply_error_t, RetCode))
		return -1;
	return tt_msg.err.RetCode;
}

/* A send right to the task's port (the test's to release). */
static inline ipc_port_t tt_task_port(task_t task)
{
	task_reference(task);
	return (ipc_port_t)convert_task_to_port(task);
}

static inline ipc_port_t tt_thread_port(struct thread *th)
{
	thread_reference(th);
	return (ipc_port_t)convert_thread_to_port(th);
}

#endif /* _KERNEL_TASK_TEST_UTIL_H */

/* SPDX-License-Identifier: MIT */
/*
 * For the usermode and exception suites: a task with a user program
 * (arch/<arch>/kernel/usermode_test_blobs.S) at UT_CODE, its data pages
 * and a stack; threads of it started with thread_create_user(); the end
 * of the program (an exception) caught on the task's exception port,
 * while the thread waits, so that its memory can still be read.
 */
#ifndef _KERNEL_USERMODE_TEST_UTIL_H
#define _KERNEL_USERMODE_TEST_UTIL_H

#include <kern/copyio.h>
#include <kern/sched.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <kern/vm_map.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>
#include <ktest.h>

#include "exception_test_util.h"
#include "sched_test_util.h"

#define UT_BASE		0x10000000UL
#define UT_CODE		UT_BASE
#define UT_DATA		(UT_BASE + 0x10000)	/* 4 pages */
#define UT_DATA_PAGES	4
#define UT_STACK_TOP	(UT_BASE + 0x40000)	/* 2 pages below */
#define UT_END		(UT_BASE + 0x100000)
#define UT_UNMAPPED	(UT_BASE + 0x80000)	/* in the map's range, no entry */
#define UT_TIMEOUT	(5 * NSEC_PER_SEC)

#define UT_BLOB(name)							\
	extern const char ut_blob_##name[], ut_blob_##name##_end[]
UT_BLOB(runner);
UT_BLOB(fault);
UT_BLOB(illegal);
UT_BLOB(privileged);
UT_BLOB(spin);
UT_BLOB(fp);
UT_BLOB(tls);
UT_BLOB(regs);
UT_BLOB(fprpc);
UT_BLOB(trapset);
UT_BLOB(fpfresh);

struct ut_env {
	task_t		task;
	ipc_port_t	exc_port;	/* the task's exception port: the test catches */
	struct exc_test_msg exc;	/* the exception caught, its thread waiting */
	struct thread	*th2;		/* a second thread, if any */
	bool		nested;		/* set up inside another env: counts checked by it */
	struct exc_test_msg exc2;
	vm_map_t	map;		/* the task's */
	ipc_space_t	space;		/* the task's */
	struct thread	*th;
	struct ipc_stats stats;		/* the baseline */
	unsigned int	threads, tasks;
};

/* Run in env's map, for the test's own copyin/copyout. */
static inline kern_return_t ut_read(struct ut_env *e, vm_offset_t va, void *buf, vm_size_t n)
{
	vm_map_t old = vm_map_switch(e->map);
	kern_return_t kr = copyin((const void __user *)va, buf, n);

	vm_map_switch(old);
	return kr;
}

static inline kern_return_t ut_write(struct ut_env *e, vm_offset_t va, const void *buf, vm_size_t n)
{
	vm_map_t old = vm_map_switch(e->map);
	kern_return_t kr = copyout(buf, (void __user *)va, n);

	vm_map_switch(old);
	return kr;
}

/* A task with the program at UT_CODE (read-execute), data and a stack. */
static inline void ut_setup(struct ktest *t, struct ut_env *e, const char *code, const char *end)
{
	vm_offset_t a;

	memset(e, 0, sizeof(*e));
	ipc_stats_get(&e->stats);
	e->threads = thread_count();
	e->tasks = task_count();
	KTEST_ASSERT_EQ(t, task_create(kernel_task, false, &e->task), KERN_SUCCESS);
	e->map = e->task->map;
	e->space = e->task->itk_space;
	e->exc_port = exc_test_port_for_task(e->task);
	KTEST_ASSERT_NOT_NULL(t, e->exc_port);
	a = UT_CODE;
	KTEST_ASSERT_EQ(t, vm_map_allocate(e->map, &a, PAGE_SIZE, false), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ut_write(e, UT_CODE, code, (vm_size_t)(end - code)), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, vm_map_protect(e->map, UT_CODE, UT_CODE + PAGE_SIZE,
					  VM_PROT_READ | VM_PROT_EXECUTE, false), KERN_SUCCESS);
	a = UT_DATA;
	KTEST_ASSERT_EQ(t, vm_map_allocate(e->map, &a, UT_DATA_PAGES * PAGE_SIZE, false),
			KERN_SUCCESS);
	a = UT_STACK_TOP - 2 * PAGE_SIZE;
	KTEST_ASSERT_EQ(t, vm_map_allocate(e->map, &a, 2 * PAGE_SIZE, false), KERN_SUCCESS);
}

/* Another thread of the task at UT_CODE, with its own data page and stack, started. */
static inline struct thread *ut_start2(struct ktest *t, struct ut_env *e, vm_offset_t data,
				       vm_offset_t sp, int cpu)
{
	KTEST_ASSERT_EQ(t, thread_create_user(e->task, UT_CODE, sp, data, &e->th2),
			KERN_SUCCESS);
	if (cpu >= 0)
		KTEST_EXPECT_EQ(t, thread_bind(e->th2, cpu), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(e->th2), KERN_SUCCESS);
	return e->th2;
}

/*
 * Two threads of the task at UT_CODE: e->th on data_a with the stack at
 * UT_STACK_TOP, e->th2 on data_b with sp_b; bound to cpu unless it is -1.
 */
static inline void ut_start_pair(struct ktest *t, struct ut_env *e, vm_offset_t data_a,
				 vm_offset_t data_b, vm_offset_t sp_b, int cpu)
{
	KTEST_ASSERT_EQ(t, thread_create_user(e->task, UT_CODE, UT_STACK_TOP, data_a, &e->th),
			KERN_SUCCESS);
	if (cpu >= 0)
		KTEST_EXPECT_EQ(t, thread_bind(e->th, cpu), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(e->th), KERN_SUCCESS);
	ut_start2(t, e, data_b, sp_b, cpu);
}

/* Both threads' ends (breakpoints) caught, into e->exc and e->exc2: they wait. */
static inline void ut_catch_pair(struct ktest *t, struct ut_env *e, mach_msg_timeout_t ms)
{
	struct exc_test_msg m;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		KTEST_ASSERT_TRUE(t, exc_test_receive(e->exc_port, ms, &m));
		KTEST_EXPECT_EQ(t, m.exception, EXC_BREAKPOINT);
		if (m.thread == e->th && !e->exc.kmsg)
			e->exc = m;
		else if (m.thread == e->th2 && !e->exc2.kmsg)
			e->exc2 = m;
		else
			exc_test_done(&m, false, KERN_FAILURE);
	}
	KTEST_EXPECT_NOT_NULL(t, e->exc.kmsg);
	KTEST_EXPECT_NOT_NULL(t, e->exc2.kmsg);
}

static inline struct thread *ut_start(struct ktest *t, struct ut_env *e, int cpu)
{
	KTEST_ASSERT_EQ(t, thread_create_user(e->task, UT_CODE, UT_STACK_TOP, UT_DATA, &e->th),
			KERN_SUCCESS);
	if (cpu >= 0)
		KTEST_EXPECT_EQ(t, thread_bind(e->th, cpu), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, thread_resume(e->th), KERN_SUCCESS);
	return e->th;
}

/*
 * Catch the program's exception (its end: a breakpoint, or a fault). The
 * thread waits for the answer until the teardown, so its memory can be
 * read meanwhile. The exception's type.
 */
static inline int ut_catch(struct ktest *t, struct ut_env *e, uint64_t timeout)
{
	KTEST_ASSERT_TRUE(t, exc_test_receive(e->exc_port,
					      (mach_msg_timeout_t)(timeout / NSEC_PER_MSEC),
					      &e->exc));
	KTEST_EXPECT_PTR_EQ(t, e->exc.thread, e->th);
	KTEST_EXPECT_PTR_EQ(t, e->exc.task, e->task);
	KTEST_EXPECT_EQ(t, e->exc.exception, e->th->uexc_type);
	KTEST_EXPECT_EQ(t, e->exc.code[0], (integer_t)e->th->uexc_code);
	return e->exc.exception;
}

/* Run the program to its end; its exception. */
static inline int ut_run(struct ktest *t, struct ut_env *e)
{
	ut_start(t, e, -1);
	return ut_catch(t, e, UT_TIMEOUT);
}

/* Everything goes; the counts are back where they were. */
static inline void ut_teardown(struct ktest *t, struct ut_env *e)
{
	struct ipc_stats s;

	if (e->task) {
		kern_return_t kr = task_terminate(e->task);

		/* A thread waiting for an exception's answer ends too. */
		if (e->exc.kmsg)
			KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
		else	/* or an exception nobody handled ended the task already */
			KTEST_EXPECT_TRUE(t, kr == KERN_SUCCESS || kr == KERN_TERMINATED);
	}
	exc_test_done(&e->exc, false, KERN_FAILURE);
	exc_test_done(&e->exc2, false, KERN_FAILURE);
	if (e->th2) {
		KTEST_EXPECT_EQ(t, thread_join(e->th2), THREAD_AWAKENED);
		thread_deallocate(e->th2);
	}
	if (e->exc_port)
		ipc_port_dealloc_kernel(e->exc_port);
	if (e->th) {
		KTEST_EXPECT_EQ(t, thread_join(e->th), THREAD_AWAKENED);
		thread_deallocate(e->th);
	}
	if (e->task)
		task_deallocate(e->task);
	if (e->nested)
		return;
	ipc_stats_get(&s);
	KTEST_EXPECT_EQ(t, s.ports, e->stats.ports);
	KTEST_EXPECT_EQ(t, s.spaces, e->stats.spaces);
	KTEST_EXPECT_EQ(t, s.entries, e->stats.entries);
	KTEST_EXPECT_EQ(t, thread_count(), e->threads);
	KTEST_EXPECT_EQ(t, task_count(), e->tasks);
}

#endif /* _KERNEL_USERMODE_TEST_UTIL_H */

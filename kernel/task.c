// SPDX-License-Identifier: MIT
/*
 * Tasks (<kern/task.h>, Documentation/tasks-and-threads.rst): creation,
 * the thread list, suspension, termination and references. Their ports
 * are kernel/ipc_tt.c's.
 *
 * Termination happens in two steps. task_terminate() marks the task
 * inactive (no thread can join it any more) and asks each of its threads
 * to end (thread_terminate_request()); each ends at its next safe point.
 * When the task is inactive and has no thread left, task_cleanup()
 * destroys its space, kills its port and empties its map: whichever
 * comes last does it, the terminator after waiting or the last thread
 * leaving (task_thread_detach()). So a terminator that is itself
 * terminated meanwhile (two tasks terminating each other) can give up
 * waiting and the work still gets done.
 */
#include <kern/init.h>
#include <kern/panic.h>
#include <kern/pmap.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/sync_sema.h>
#include <kern/task.h>
#include <kern/vm_map.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <mach/task_info.h>
#include <kernel/ipc_tt.h>

/* Where a task's map starts and ends: the first page stays unmapped. */
#define TASK_VM_MIN	(VM_MIN_USER_ADDRESS + PAGE_SIZE)
#define TASK_VM_MAX	VM_MAX_USER_ADDRESS

struct task kernel_task_data = {
	.lock = SPINLOCK_INIT,
	.op_lock = MUTEX_INITIALIZER,
	.ref_count = 1,		/* never dropped */
	.active = true,
	.sec_token = KERNEL_SECURITY_TOKEN_VALUE,
};

static struct zone *task_zone;
static unsigned int task_nr = 1;	/* kernel_task */
/* Every task but kernel_task, newest first; guarded by task_list_lock. */
static struct task *task_list;
static spinlock_t task_list_lock = SPINLOCK_INIT;

unsigned int task_count(void)
{
	return __atomic_load_n(&task_nr, __ATOMIC_RELAXED);
}

static void task_list_add(task_t task)
{
	spin_lock(&task_list_lock);
	task->all_prev = NULL;
	task->all_next = task_list;
	if (task_list)
		task_list->all_prev = task;
	task_list = task;
	task->listed = true;
	spin_unlock(&task_list_lock);
}

static void task_list_remove(task_t task)
{
	spin_lock(&task_list_lock);
	if (task->listed) {
		if (task->all_prev)
			task->all_prev->all_next = task->all_next;
		else
			task_list = task->all_next;
		if (task->all_next)
			task->all_next->all_prev = task->all_prev;
		task->listed = false;
	}
	spin_unlock(&task_list_lock);
}

unsigned int task_list_snapshot(task_t *out, unsigned int max)
{
	unsigned int n = 0;
	task_t task;

	if (max) {
		task_reference(kernel_task);
		out[n] = kernel_task;
	}
	n++;
	spin_lock(&task_list_lock);
	for (task = task_list; task; task = task->all_next) {
		if (!READ_ONCE(task->active))
			continue;
		if (n >= max) {
			n++;
			continue;
		}
		/* One whose last reference is going (task_free() waits for the lock) stays out. */
		if (ref_get_unless_zero(&task->ref_count))
			out[n++] = task;
	}
	spin_unlock(&task_list_lock);
	return n;
}

/* kernel_task gets the kernel's space and its ports once IPC is up. */
static kern_return_t task_bootstrap(void)
{
	task_zone = zone_create("task", sizeof(struct task), 0, 0);
	if (!task_zone)
		return KERN_RESOURCE_SHORTAGE;
	ipc_space_reference(ipc_space_kernel);
	kernel_task->itk_space = ipc_space_kernel;
	return task_ports_init(kernel_task, TASK_NULL);
}
KERNEL_INIT(SUBSYS, task_bootstrap);

/* ------------------------------------------------------------------------
 * References
 */

void task_reference(task_t task)
{
	if (task)
		__atomic_add_fetch(&task->ref_count, 1, __ATOMIC_RELAXED);
}

/* The last reference: what task_cleanup() left, and the structure. */
static void task_free(task_t task)
{
	task_list_remove(task);
	if (task->itk_space)
		ipc_space_release(task->itk_space);
	vm_map_deallocate(task->map);
	zfree(task_zone, task);
	__atomic_sub_fetch(&task_nr, 1, __ATOMIC_RELAXED);
}

void task_deallocate(task_t task)
{
	if (!task || __atomic_sub_fetch(&task->ref_count, 1, __ATOMIC_ACQ_REL))
		return;
	if (task == kernel_task || task->active)
		panic("task: the last reference to a live task %p went", task);
	task_free(task);
}

/* ------------------------------------------------------------------------
 * Creation
 */

static vm_map_t task_map_create(task_t parent, bool inherit_memory)
{
	pmap_t pmap;
	vm_map_t map;

	if (inherit_memory && parent->map)
		return vm_map_fork(parent->map);
	pmap = pmap_create();
	if (!pmap)
		return VM_MAP_NULL;
	map = vm_map_create(pmap, TASK_VM_MIN, TASK_VM_MAX);
	if (!map)
		pmap_destroy(pmap);
	return map;
}

void task_set_security_token(task_t task, security_token_t token)
{
	union task_token_bits u = { .token = token };

	__atomic_store_n((uint64_t *)&task->sec_token, u.bits, __ATOMIC_RELAXED);
}

/* A child's token is its parent's; a task the kernel makes gets the user one. */
static security_token_t task_inherited_token(task_t parent)
{
	if (parent == kernel_task)
		return (security_token_t)USER_SECURITY_TOKEN_VALUE;
	return task_security_token(parent);
}

kern_return_t task_create(task_t parent, boolean_t inherit_memory, task_t *child)
{
	task_t task;
	kern_return_t kr;

	if (!parent)
		return KERN_INVALID_ARGUMENT;
	task = zalloc(task_zone);
	if (!task)
		return KERN_RESOURCE_SHORTAGE;
	memset(task, 0, sizeof(*task));
	spin_lock_init(&task->lock);
	mutex_init(&task->op_lock);
	task->ref_count = 2;	/* the caller's, and its existence's */
	task_set_security_token(task, task_inherited_token(parent));
	__atomic_add_fetch(&task_nr, 1, __ATOMIC_RELAXED);

	kr = ipc_space_create(&task->itk_space);
	if (kr != KERN_SUCCESS)
		goto fail;
	task->map = task_map_create(parent, inherit_memory);
	if (!task->map) {
		kr = KERN_RESOURCE_SHORTAGE;
		goto fail;
	}
	kr = task_ports_init(task, parent);
	if (kr != KERN_SUCCESS)
		goto fail;
	task->active = true;
	task_list_add(task);
	*child = task;
	return KERN_SUCCESS;

fail:
	task_ports_destroy(task);
	if (task->itk_space)
		ipc_space_destroy(task->itk_space);
	task_free(task);
	return kr;
}

/* ------------------------------------------------------------------------
 * Threads
 */

kern_return_t task_thread_attach(struct thread *t)
{
	task_t task = t->task;
	unsigned long flags;

	spin_lock(&task->lock);
	if (!task->active) {
		spin_unlock(&task->lock);
		t->task = kernel_task;	/* unreferenced, as before */
		return KERN_TERMINATED;
	}
	task_reference(task);
	t->task_prev = NULL;
	t->task_next = task->threads;
	if (task->threads)
		task->threads->task_prev = t;
	task->threads = t;
	task->thread_count++;
	t->task_linked = true;
	if (task->suspend_count) {
		/* t is new: nobody else touches its count yet but the task's operations. */
		flags = arch_irq_save();
		__spin_acquire(&t->lock);
		t->suspend_count++;
		/* Atomic: a few changes of state take no lock (kernel/sched_internal.h). */
		__atomic_or_fetch(&t->state, TH_SUSP, __ATOMIC_RELEASE);
		__spin_release(&t->lock);
		arch_irq_restore(flags);
	}
	spin_unlock(&task->lock);
	return KERN_SUCCESS;
}

/*
 * An inactive task without threads: destroy its space (every right it
 * holds dies), kill its port, empty its map, and drop its existence
 * reference. Once per task.
 */
static void task_cleanup(task_t task)
{
	semaphore_task_destroy_all(task);
	ipc_space_destroy(task->itk_space);
	task_ports_destroy(task);
	vm_map_remove(task->map, task->map->min_offset, task->map->max_offset);
	/* Done: a task_terminate() waiting for it may return (it holds a reference). */
	spin_lock(&task->lock);
	task->torn_down = true;
	spin_unlock(&task->lock);
	thread_wakeup(&task->thread_count);
	task_deallocate(task);
}

/* Task locked: is it time for task_cleanup()? Claims it if so. */
static bool task_cleanup_due(task_t task)
{
	if (task->active || task->thread_count || task->cleaned)
		return false;
	task->cleaned = true;
	return true;
}

void task_thread_detach(struct thread *t)
{
	task_t task = t->task;
	bool cleanup = false;

	if (!t->task_linked) {
		thread_port_destroy(t);
		return;
	}
	spin_lock(&task->lock);
	if (t->task_prev)
		t->task_prev->task_next = t->task_next;
	else
		task->threads = t->task_next;
	if (t->task_next)
		t->task_next->task_prev = t->task_prev;
	t->task_next = t->task_prev = NULL;
	t->task_linked = false;
	task->thread_count--;
	task->dead_time += t->total_time;
	task->dead_user_time += t->user_time;
	cleanup = task_cleanup_due(task);
	spin_unlock(&task->lock);

	thread_port_destroy(t);
	thread_wakeup(&task->thread_count);
	if (cleanup)
		task_cleanup(task);
}

kern_return_t task_threads_get(task_t task, thread_t **threadsp, unsigned int *countp)
{
	unsigned int n = 0, size = 0;
	thread_t *threads = NULL, t;

	/* An array of exactly thread_count: kfree() takes the size. */
	for (;;) {
		spin_lock(&task->lock);
		if (task->thread_count == size)
			break;
		spin_unlock(&task->lock);
		if (threads)
			kfree(threads, size * sizeof(*threads));
		size = READ_ONCE(task->thread_count);
		threads = size ? kalloc(size * sizeof(*threads)) : NULL;
		if (size && !threads)
			return KERN_RESOURCE_SHORTAGE;
	}
	for (t = task->threads; t; t = t->task_next) {
		thread_reference(t);
		threads[n++] = t;
	}
	spin_unlock(&task->lock);
	*threadsp = threads;
	*countp = n;
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Suspension
 */

/*
 * Task locked: chain every thread but `skip` through task_op_next, each
 * with a reference (op_lock keeps the chain ours).
 */
static struct thread *task_thread_chain(task_t task, struct thread *skip)
{
	struct thread *t, *chain = NULL;

	for (t = task->threads; t; t = t->task_next) {
		if (t == skip)
			continue;
		thread_reference(t);
		t->task_op_next = chain;
		chain = t;
	}
	return chain;
}

static kern_return_t task_hold_change(task_t task, bool hold)
{
	struct thread *self = current_thread(), *chain = NULL, *t;
	kern_return_t kr = KERN_SUCCESS;
	bool hold_self = false;

	if (!task || task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	mutex_lock(&task->op_lock);
	spin_lock(&task->lock);
	if (!task->active) {
		kr = KERN_TERMINATED;
	} else if (hold) {
		if (task->suspend_count++ == 0) {
			/* A thread suspending its own task stops last, below. */
			chain = task_thread_chain(task, self);
			hold_self = self->task == task;
		}
	} else if (task->suspend_count == 0) {
		kr = KERN_FAILURE;
	} else if (--task->suspend_count == 0) {
		chain = task_thread_chain(task, NULL);
	}
	spin_unlock(&task->lock);

	while ((t = chain)) {
		chain = t->task_op_next;
		if (hold)
			thread_suspend(t);	/* KERN_TERMINATED for one ending: fine */
		else
			thread_resume(t);
		thread_deallocate(t);
	}
	mutex_unlock(&task->op_lock);
	if (hold_self)
		thread_suspend(self);
	return kr;
}

kern_return_t task_suspend(task_t task)
{
	return task_hold_change(task, true);
}

kern_return_t task_resume(task_t task)
{
	return task_hold_change(task, false);
}

/* ------------------------------------------------------------------------
 * Termination
 */

kern_return_t task_terminate(task_t task)
{
	struct thread *self = current_thread(), *t;
	wait_result_t wr;
	bool cleanup, done;

	if (!task || task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	spin_lock(&task->lock);
	if (!task->active) {
		spin_unlock(&task->lock);
		return KERN_TERMINATED;
	}
	task->active = false;
	/* The caller too, if it is one of them: it ends at its next safe point. */
	for (t = task->threads; t; t = t->task_next)
		thread_terminate_request(t);
	spin_unlock(&task->lock);	/* a preemption due runs here */
	if (self->task == task)
		return KERN_SUCCESS;	/* its last thread cleans up */

	/*
	 * Wait until the threads have ended and the task is torn down (by us,
	 * or by its last thread as it ended): when we return, its receive
	 * rights are dead for every holder of a send right and its memory is
	 * gone. Unless we are being terminated too.
	 */
	for (;;) {
		spin_lock(&task->lock);
		cleanup = task_cleanup_due(task);
		done = task->torn_down;
		if (!cleanup && !done)
			assert_wait(&task->thread_count, THREAD_INTERRUPTIBLE);
		spin_unlock(&task->lock);
		if (cleanup || done)
			break;
		wr = thread_block(NULL);
		if (wr == THREAD_INTERRUPTED)
			return KERN_SUCCESS;	/* its last thread cleans up */
	}
	if (cleanup)
		task_cleanup(task);
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Information
 */

static void task_time_value(uint64_t ns, time_value_t *tv)
{
	tv->seconds = (integer_t)(ns / NSEC_PER_SEC);
	tv->microseconds = (integer_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}

/* user and system time from ns on a CPU, of which user_ns in user mode. */
static void task_times(uint64_t ns, uint64_t user_ns, time_value_t *user, time_value_t *sys)
{
	task_time_value(user_ns, user);
	task_time_value(ns > user_ns ? ns - user_ns : 0, sys);
}

/* Task locked: ns on a CPU of its live threads, and of that in user mode. */
static uint64_t task_live_time(task_t task, uint64_t *user_ns)
{
	struct thread *t;
	uint64_t ns = 0;

	*user_ns = 0;
	for (t = task->threads; t; t = t->task_next) {
		ns += READ_ONCE(t->total_time);
		*user_ns += READ_ONCE(t->user_time);
	}
	return ns;
}

kern_return_t task_info(task_t task, task_flavor_t flavor, task_info_t info,
			mach_msg_type_number_t *count)
{
	if (!task)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case TASK_BASIC_INFO: {
		struct task_basic_info *bi = (void *)info;

		if (*count < TASK_BASIC_INFO_COUNT) {
			*count = TASK_BASIC_INFO_COUNT;
			return KERN_FAILURE;
		}
		memset(bi, 0, sizeof(*bi));
		if (task->map) {
			bi->virtual_size = READ_ONCE(task->map->size);
			bi->resident_size = pmap_resident_count(task->map->pmap) * PAGE_SIZE;
		}
		spin_lock(&task->lock);
		bi->suspend_count = (integer_t)task->suspend_count;
		task_times(task->dead_time, task->dead_user_time, &bi->user_time,
			   &bi->system_time);
		spin_unlock(&task->lock);
		bi->policy = POLICY_TIMESHARE;
		*count = TASK_BASIC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_THREAD_TIMES_INFO: {
		struct task_thread_times_info *ti = (void *)info;
		uint64_t ns, user_ns;

		if (*count < TASK_THREAD_TIMES_INFO_COUNT) {
			*count = TASK_THREAD_TIMES_INFO_COUNT;
			return KERN_FAILURE;
		}
		memset(ti, 0, sizeof(*ti));
		spin_lock(&task->lock);
		ns = task_live_time(task, &user_ns);
		task_times(ns, user_ns, &ti->user_time, &ti->system_time);
		spin_unlock(&task->lock);
		*count = TASK_THREAD_TIMES_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_SECURITY_TOKEN: {
		security_token_t token = task_security_token(task);

		if (*count < TASK_SECURITY_TOKEN_COUNT) {
			*count = TASK_SECURITY_TOKEN_COUNT;
			return KERN_FAILURE;
		}
		memcpy(info, &token, sizeof(token));
		*count = TASK_SECURITY_TOKEN_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

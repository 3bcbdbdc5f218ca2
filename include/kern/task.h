/* SPDX-License-Identifier: MIT */
/*
 * Tasks: what threads run in (Documentation/tasks-and-threads.rst).
 *
 * A task owns an IPC space (its port names), an address map (the lower
 * half its threads run in) and a list of threads. It is a kernel object:
 * its port (IKOT_TASK, itk_self) answers mach.defs' task_*, thread_create
 * and vm_* routines and mach_port.defs, on the task's space and map.
 *
 * kernel_task owns ipc_space_kernel and every kernel thread
 * (kernel_thread_create()); it has no map (kernel memory is kmem's, and
 * kernel threads run with no lower half) and is never terminated or
 * suspended.
 *
 * Life: task_create() returns a task with two references, one the
 * caller's and one its existence's; task_terminate() ends its threads,
 * destroys its space (every receive right dies, so holders of send rights
 * get dead names and dead-name notifications), kills its port, empties
 * its map (every page goes) and drops the existence reference. The
 * structure goes with the last reference (task_deallocate()).
 *
 * Locking: `lock` (a spinlock) guards active, the thread list, the
 * counts and the special ports; it is taken before a thread's lock, and
 * nothing blocks under it. `op_lock` (a mutex) serialises the operations
 * that act on every thread (suspend, resume, terminate).
 */
#ifndef _KERN_TASK_H
#define _KERN_TASK_H

#include <kern/lock.h>
#include <kern/thread.h>
#include <mach/mach_types.h>

struct ipc_port;

struct task {
	spinlock_t		lock;
	struct mutex		op_lock;
	unsigned int		ref_count;	/* atomic */
	bool			active;		/* not yet terminated */
	bool			cleaned;	/* task_cleanup() has run or runs */
	bool			torn_down;	/* task_cleanup() has run */
	struct ipc_space	*itk_space;	/* a reference */
	/*
	 * In the trailer of what it sends: read without a lock, as one
	 * 64-bit load (task_security_token()), so a concurrent set is
	 * seen whole or not at all.
	 */
	security_token_t	sec_token __aligned(8);
	struct vm_map		*map;		/* a reference; NULL for kernel_task */

	struct thread		*threads;	/* thread->task_next / task_prev */
	unsigned int		thread_count;
	unsigned int		suspend_count;	/* task_suspend() - task_resume() */
	uint64_t		dead_time;	/* ns on a CPU of its ended threads */
	uint64_t		dead_user_time;	/* of which in user mode */

	/*
	 * Ports. itk_self: the receive right of its kernel port (in
	 * ipc_space_kernel). The others are send rights or IP_NULL:
	 * itk_sself what TASK_KERNEL_PORT gives (a send right to itk_self
	 * until task_set_special_port() changes it), then the host,
	 * bootstrap and exception ports, and mach_ports_register()'s.
	 */
	struct ipc_port		*itk_self;
	struct ipc_port		*itk_sself;
	struct ipc_port		*itk_host;
	struct ipc_port		*itk_bootstrap;
	struct exception_action	itk_exc_actions[EXC_TYPES_COUNT];	/* by type */
	struct ipc_port		*itk_registered[TASK_PORT_REGISTER_MAX];

	/* semaphore_create()'s (kernel/sync_sema.c), under `lock`. */
	struct sync_sema	*semaphores;
	/* Every task, for processor_set_tasks() (task_list_snapshot()). */
	struct task		*all_next, *all_prev;
	bool			listed;
};

extern struct task kernel_task_data;
#define kernel_task	(&kernel_task_data)

/* The task the calling thread runs in, and its IPC space. */
static inline struct task *current_task(void)
{
	return current_thread()->task;
}

static inline struct ipc_space *current_space(void)
{
	return current_task()->itk_space;
}

void task_reference(task_t task);
void task_deallocate(task_t task);

union task_token_bits {
	uint64_t		bits;
	security_token_t	token;
};

/* The token the kernel puts in the trailer of task's messages. */
static inline security_token_t task_security_token(const struct task *task)
{
	union task_token_bits u;

	u.bits = __atomic_load_n((const uint64_t *)&task->sec_token, __ATOMIC_RELAXED);
	return u.token;
}

/*
 * Set it (host_security_set_task_token()): the messages task sends from
 * now on carry token; those already queued keep the one they were sent with.
 */
void task_set_security_token(task_t task, security_token_t token);

/*
 * A new task, child of parent: a new IPC space, and a new map, empty or
 * (inherit_memory) vm_map_fork() of the parent's (copy-on-write for
 * VM_INHERIT_COPY ranges). It inherits the parent's host, bootstrap and
 * exception ports and registered ports, and has no threads. *child holds
 * the caller's reference. KERN_INVALID_ARGUMENT for no parent,
 * KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t task_create(task_t parent, boolean_t inherit_memory, task_t *child);

/*
 * Terminate the task: every thread is asked to end
 * (thread_terminate_request()); once none is left the space is destroyed,
 * the port dies and the map is emptied (task_cleanup() in kernel/task.c).
 * The caller waits for that, unless it is one of the task's threads (it
 * is marked like the others and returns at once: it ends at its next safe
 * point, and the task's last thread cleans up) or it is terminated itself
 * while waiting. KERN_INVALID_ARGUMENT for no task or kernel_task,
 * KERN_TERMINATED if it has been terminated already.
 */
kern_return_t task_terminate(task_t task);

/*
 * Suspend counts: the task's threads run only while it is 0. Each
 * thread holds one suspension for the task while the count is above 0
 * (a thread created meanwhile too); task_suspend() returns once they
 * are off their CPUs. task_resume(): KERN_FAILURE if the count is 0.
 * Both: KERN_INVALID_ARGUMENT for kernel_task, KERN_TERMINATED for an
 * ended task.
 */
kern_return_t task_suspend(task_t task);
kern_return_t task_resume(task_t task);

/*
 * task_info(): TASK_BASIC_INFO and TASK_THREAD_TIMES_INFO (system time
 * only: threads have no user mode yet). KERN_INVALID_ARGUMENT for other
 * flavors, KERN_FAILURE if *count is too small (it says how many).
 */
kern_return_t task_info(task_t task, task_flavor_t flavor, task_info_t info,
			mach_msg_type_number_t *count);

/*
 * (kernel/thread.c) A thread of task that runs fn(arg) at priority, in the task's map;
 * returning from fn terminates it. It is created suspended once (a
 * creation hold: thread_resume() it), plus once more if the task is
 * suspended. *threadp holds a reference for the caller.
 * KERN_TERMINATED for an ended task, KERN_INVALID_ARGUMENT for a bad
 * priority or no fn, KERN_RESOURCE_SHORTAGE.
 */
kern_return_t task_thread_create(task_t task, void (*fn)(void *arg), void *arg,
				 int priority, const char *name, thread_t *threadp);

/*
 * The task's live threads, each with a reference the caller drops
 * (thread_deallocate()), in a kalloc()ed array of *count (kfree() it;
 * NULL when there are none). KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t task_threads_get(task_t task, thread_t **threads, unsigned int *count);

/* Tasks that exist (tests). */
unsigned int task_count(void);

/*
 * Every task not yet terminated, kernel_task first, each with a reference
 * the caller drops (task_deallocate()), in out[0 .. max-1]. Returns how
 * many there are: more than max means out holds only the first max.
 */
unsigned int task_list_snapshot(task_t *out, unsigned int max);

/*
 * The thread code's side (kernel/thread.c): a new thread joins its task
 * (t->task referenced and set; KERN_TERMINATED if the task has ended,
 * then t is not linked), adding the task's hold to its suspend count;
 * a terminating thread leaves it and its port dies.
 */
kern_return_t task_thread_attach(struct thread *t);
void task_thread_detach(struct thread *t);

#endif /* _KERN_TASK_H */

// SPDX-License-Identifier: MIT
/*
 * Mach semaphores named by ports (<kern/sync_sema.h>,
 * Documentation/semaphores.rst): the object, its port (IKOT_SEMAPHORE),
 * its waiters, and its owner task's list. The MIG routines that reach it
 * are in kernel/mig/semaphore_routines.c, the traps in kernel/trap_mach.c.
 *
 * A waiter is a record on its thread's stack, queued on the semaphore in
 * policy order; the thread waits on the record's address as its event,
 * so a wakeup names exactly one thread. Whoever takes a record off the
 * queue -- a signal (result KERN_SUCCESS: the unit is the waiter's) or a
 * destroy (KERN_TERMINATED) -- sets its result and wakes it under the
 * semaphore's lock; a waiter that wakes for another reason (timeout,
 * interrupt) and finds its record still queued takes it off itself. So a
 * unit is never lost between a signal and a timeout, and the record is
 * never touched once its thread has seen it dequeued.
 */
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/sync_sema.h>
#include <kern/task.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_object.h>
#include <ipc/ipc_port.h>

struct sync_sema_waiter {
	struct sync_sema_waiter	*next, *prev;
	struct thread		*thread;
	int			pri;		/* sched_pri when it queued */
	bool			queued;
	kern_return_t		result;		/* set by whoever dequeued it */
};

struct sync_sema {
	spinlock_t		lock;		/* interrupts off */
	int			count;		/* units, >= 0 */
	int			policy;		/* SYNC_POLICY_* */
	bool			active;		/* not destroyed */
	unsigned int		nwaiters;
	struct sync_sema_waiter	*head, *tail;
	unsigned int		ref_count;	/* atomic */
	ipc_port_t		port;		/* IKOT_SEMAPHORE, its receive right */
	task_t			owner;		/* no reference: its list holds us */
	struct sync_sema	*task_next, *task_prev;	/* owner->lock */
	bool			listed;		/* on owner's list (owner->lock) */
};

static struct zone *sync_sema_zone;
static unsigned int sync_sema_nr;

static kern_return_t sync_sema_bootstrap(void)
{
	sync_sema_zone = zone_create("semaphore", sizeof(struct sync_sema), 0, 0);
	return sync_sema_zone ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}
KERNEL_INIT(SUBSYS, sync_sema_bootstrap);

unsigned int sync_sema_live_count(void)
{
	return __atomic_load_n(&sync_sema_nr, __ATOMIC_RELAXED);
}

void sync_sema_reference(semaphore_t sema)
{
	__atomic_add_fetch(&sema->ref_count, 1, __ATOMIC_RELAXED);
}

void semaphore_dereference(semaphore_t sema)
{
	if (!sema || __atomic_sub_fetch(&sema->ref_count, 1, __ATOMIC_ACQ_REL))
		return;
	if (sema->active || sema->nwaiters)
		panic("semaphore: the last reference to a live semaphore %p went", sema);
	zfree(sync_sema_zone, sema);
	__atomic_sub_fetch(&sync_sema_nr, 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------
 * Ports
 */

semaphore_t convert_port_to_semaphore(mach_port_t p)
{
	ipc_port_t port = (ipc_port_t)p;
	semaphore_t sema = SEMAPHORE_NULL;

	if (!IP_VALID(port))
		return SEMAPHORE_NULL;
	ip_lock(port);
	/* The port dies before the existence reference goes: the pointer is good. */
	if (ip_active(port) && port->ip_kotype == IKOT_SEMAPHORE) {
		sema = port->ip_kobject;
		sync_sema_reference(sema);
	}
	ip_unlock(port);
	return sema;
}

mach_port_t convert_semaphore_to_port(semaphore_t sema)
{
	ipc_port_t port = IP_NULL;
	unsigned long flags;

	if (!sema)
		return MACH_PORT_NULL;
	flags = spin_lock_irqsave(&sema->lock);
	if (sema->active)
		port = ipc_port_make_send(sema->port);
	spin_unlock_irqrestore(&sema->lock, flags);
	semaphore_dereference(sema);
	return (mach_port_t)port;
}

semaphore_t sync_sema_lookup_name(struct ipc_space *space, mach_port_name_t name)
{
	ipc_port_t port;
	semaphore_t sema;

	if (!space || !MACH_PORT_NAME_VALID(name))
		return SEMAPHORE_NULL;
	if (ipc_object_copyin(space, name, MACH_MSG_TYPE_COPY_SEND, &port) != KERN_SUCCESS)
		return SEMAPHORE_NULL;
	sema = convert_port_to_semaphore((mach_port_t)port);
	if (IP_VALID(port))
		ipc_port_release_send(port);
	return sema;
}

/* ------------------------------------------------------------------------
 * Creation and destruction
 */

static bool sync_sema_policy_ok(int policy)
{
	return policy == SYNC_POLICY_FIFO || policy == SYNC_POLICY_FIXED_PRIORITY ||
	       policy == SYNC_POLICY_LIFO;
}

kern_return_t sync_sema_create(task_t task, int policy, int value, semaphore_t *semap)
{
	semaphore_t sema;

	if (!task || value < 0 || !sync_sema_policy_ok(policy))
		return KERN_INVALID_ARGUMENT;
	sema = zalloc(sync_sema_zone);
	if (!sema)
		return KERN_RESOURCE_SHORTAGE;
	memset(sema, 0, sizeof(*sema));
	spin_lock_init(&sema->lock);
	sema->count = value;
	sema->policy = policy;
	sema->active = true;
	sema->ref_count = 2;	/* the owner's list's, and the caller's */
	sema->owner = task;
	sema->port = ipc_kobject_port_alloc(sema, IKOT_SEMAPHORE);
	if (!sema->port) {
		zfree(sync_sema_zone, sema);
		return KERN_RESOURCE_SHORTAGE;
	}
	__atomic_add_fetch(&sync_sema_nr, 1, __ATOMIC_RELAXED);

	spin_lock(&task->lock);
	if (!task->active || task->cleaned) {
		spin_unlock(&task->lock);
		sema->active = false;
		ipc_kobject_port_destroy(sema->port);
		semaphore_dereference(sema);
		semaphore_dereference(sema);
		return KERN_TERMINATED;
	}
	sema->task_prev = NULL;
	sema->task_next = task->semaphores;
	if (task->semaphores)
		task->semaphores->task_prev = sema;
	task->semaphores = sema;
	sema->listed = true;
	spin_unlock(&task->lock);
	*semap = sema;
	return KERN_SUCCESS;
}

/* Semaphore locked: take w off the queue with `result`, and wake its thread. */
static void sync_sema_dequeue(semaphore_t sema, struct sync_sema_waiter *w,
			      kern_return_t result, bool wake)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		sema->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		sema->tail = w->prev;
	w->next = w->prev = NULL;
	w->queued = false;
	w->result = result;
	sema->nwaiters--;
	if (wake)
		thread_wakeup_prim(w, true, THREAD_AWAKENED);
}

/* Not on the list any more (the caller took it off): wake, kill, drop. */
static void sync_sema_terminate(semaphore_t sema)
{
	unsigned long flags = spin_lock_irqsave(&sema->lock);
	ipc_port_t port;

	sema->active = false;
	while (sema->head)
		sync_sema_dequeue(sema, sema->head, KERN_TERMINATED, true);
	port = sema->port;
	sema->port = IP_NULL;
	spin_unlock_irqrestore(&sema->lock, flags);
	ipc_kobject_port_destroy(port);
	semaphore_dereference(sema);	/* the existence reference */
}

static void sync_sema_unlink(task_t task, semaphore_t sema)
{
	if (sema->task_prev)
		sema->task_prev->task_next = sema->task_next;
	else
		task->semaphores = sema->task_next;
	if (sema->task_next)
		sema->task_next->task_prev = sema->task_prev;
	sema->task_next = sema->task_prev = NULL;
	sema->listed = false;
}

kern_return_t sync_sema_destroy(task_t task, semaphore_t sema)
{
	if (!task || !sema)
		return KERN_INVALID_ARGUMENT;
	if (sema->owner != task)
		return KERN_INVALID_ARGUMENT;
	spin_lock(&task->lock);
	if (!sema->listed) {
		spin_unlock(&task->lock);
		return KERN_TERMINATED;
	}
	sync_sema_unlink(task, sema);
	spin_unlock(&task->lock);
	sync_sema_terminate(sema);
	return KERN_SUCCESS;
}

void semaphore_task_destroy_all(task_t task)
{
	semaphore_t sema;

	for (;;) {
		spin_lock(&task->lock);
		sema = task->semaphores;
		if (sema)
			sync_sema_unlink(task, sema);
		spin_unlock(&task->lock);
		if (!sema)
			return;
		sync_sema_terminate(sema);
	}
}

/* ------------------------------------------------------------------------
 * Signal and wait
 */

/* Semaphore locked. prepost: count the unit if nobody waits. */
static kern_return_t sync_sema_signal_locked(semaphore_t sema, bool prepost)
{
	if (!sema->active)
		return KERN_TERMINATED;
	if (sema->head) {
		sync_sema_dequeue(sema, sema->head, KERN_SUCCESS, true);
		return KERN_SUCCESS;
	}
	if (!prepost)
		return KERN_NOT_WAITING;
	sema->count++;
	return KERN_SUCCESS;
}

kern_return_t sync_sema_signal(semaphore_t sema)
{
	unsigned long flags;
	kern_return_t kr;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	flags = spin_lock_irqsave(&sema->lock);
	kr = sync_sema_signal_locked(sema, true);
	spin_unlock_irqrestore(&sema->lock, flags);
	return kr;
}

kern_return_t sync_sema_signal_all(semaphore_t sema)
{
	unsigned long flags;
	kern_return_t kr = KERN_NOT_WAITING;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	flags = spin_lock_irqsave(&sema->lock);
	if (!sema->active)
		kr = KERN_TERMINATED;
	while (sema->active && sema->head) {
		sync_sema_dequeue(sema, sema->head, KERN_SUCCESS, true);
		kr = KERN_SUCCESS;
	}
	spin_unlock_irqrestore(&sema->lock, flags);
	return kr;
}

kern_return_t sync_sema_signal_thread(semaphore_t sema, thread_t thread)
{
	struct sync_sema_waiter *w;
	unsigned long flags;
	kern_return_t kr = KERN_NOT_WAITING;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	flags = spin_lock_irqsave(&sema->lock);
	if (!sema->active) {
		kr = KERN_TERMINATED;
	} else if (!thread) {
		kr = sync_sema_signal_locked(sema, false);
	} else {
		for (w = sema->head; w; w = w->next) {
			if (w->thread == thread) {
				sync_sema_dequeue(sema, w, KERN_SUCCESS, true);
				kr = KERN_SUCCESS;
				break;
			}
		}
	}
	spin_unlock_irqrestore(&sema->lock, flags);
	return kr;
}

/* Semaphore locked: queue w in policy order. */
static void sync_sema_enqueue(semaphore_t sema, struct sync_sema_waiter *w)
{
	struct sync_sema_waiter *at = NULL;	/* insert before it; NULL: at the tail */

	if (sema->policy == SYNC_POLICY_LIFO) {
		at = sema->head;
	} else if (sema->policy == SYNC_POLICY_FIXED_PRIORITY) {
		for (at = sema->head; at && at->pri >= w->pri; at = at->next)
			;
	}
	w->next = at;
	w->prev = at ? at->prev : sema->tail;
	if (w->prev)
		w->prev->next = w;
	else
		sema->head = w;
	if (at)
		at->prev = w;
	else
		sema->tail = w;
	w->queued = true;
	sema->nwaiters++;
}

static kern_return_t sync_sema_wait_result(wait_result_t wr)
{
	return wr == THREAD_TIMED_OUT ? KERN_OPERATION_TIMED_OUT : KERN_ABORTED;
}

kern_return_t sync_sema_wait(semaphore_t sema, semaphore_t signal, bool timed,
			     uint64_t timeout_ns)
{
	struct sync_sema_waiter w = { .thread = current_thread() };
	unsigned long flags;
	wait_result_t wr;
	kern_return_t kr;

	if (!sema)
		return KERN_INVALID_ARGUMENT;
	if (signal) {
		kr = sync_sema_signal(signal);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	flags = spin_lock_irqsave(&sema->lock);
	if (!sema->active) {
		kr = KERN_TERMINATED;
	} else if (sema->count > 0) {
		sema->count--;
		kr = KERN_SUCCESS;
	} else if (timed && !timeout_ns) {
		kr = KERN_OPERATION_TIMED_OUT;
	} else {
		kr = KERN_NOT_WAITING;	/* we wait, below */
	}
	if (kr != KERN_NOT_WAITING) {
		spin_unlock_irqrestore(&sema->lock, flags);
		return kr;
	}
	w.pri = READ_ONCE(w.thread->sched_pri);
	sync_sema_enqueue(sema, &w);
	if (timed)
		assert_wait_timeout(&w, THREAD_INTERRUPTIBLE, timeout_ns);
	else
		assert_wait(&w, THREAD_INTERRUPTIBLE);
	spin_unlock_irqrestore(&sema->lock, flags);

	wr = thread_block(NULL);

	flags = spin_lock_irqsave(&sema->lock);
	if (w.queued)
		sync_sema_dequeue(sema, &w, sync_sema_wait_result(wr), false);
	spin_unlock_irqrestore(&sema->lock, flags);
	return w.result;
}

kern_return_t sync_sema_timespec_ns(mach_timespec_t ts, uint64_t *ns)
{
	if (ts.tv_nsec < 0 || ts.tv_nsec >= (int)NSEC_PER_SEC)
		return KERN_INVALID_VALUE;
	*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	return KERN_SUCCESS;
}

unsigned int sync_sema_waiters(semaphore_t sema)
{
	return READ_ONCE(sema->nwaiters);
}

int sync_sema_value(semaphore_t sema)
{
	return READ_ONCE(sema->count);
}

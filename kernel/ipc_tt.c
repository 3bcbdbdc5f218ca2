// SPDX-License-Identifier: MIT
/*
 * Tasks and threads as kernel objects (GNU Mach's kern/ipc_tt.c): their
 * ports, special ports, and the port <-> object conversions of the MIG
 * servers (kernel/mig/mig_convert.h). The types register in
 * kernel/mig/mach_routines.c, beside the servers they answer with.
 *
 * A converted object carries a reference taken under the port's lock
 * while the port is active and of the right type: the object outlives its
 * port (a task's dies in task_cleanup() before the task's existence
 * reference goes, a thread's in thread_terminate() before the thread's
 * own reference goes), so the pointer is good at that moment.
 */
#include <kern/task.h>
#include <kern/vm_map.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <kernel/ipc_tt.h>
#include <kernel/mig/mig_convert.h>

/* ------------------------------------------------------------------------
 * Tasks
 */

/* A copy of a send right held in a special port slot (IP_NULL stays). */
static ipc_port_t itk_copy(ipc_port_t port)
{
	return IP_VALID(port) ? ipc_port_copy_send(port) : port;
}

static void itk_release(ipc_port_t port)
{
	if (IP_VALID(port))
		ipc_port_release_send(port);
}

kern_return_t task_ports_init(task_t task, task_t parent)
{
	ipc_port_t port = ipc_kobject_port_alloc(task, IKOT_TASK);
	unsigned int i;

	if (!port)
		return KERN_RESOURCE_SHORTAGE;
	task->itk_self = port;
	task->itk_sself = ipc_port_make_send(port);
	if (!parent) {
		task->itk_host = (ipc_port_t)convert_host_to_port(host_self());
		return KERN_SUCCESS;
	}
	spin_lock(&parent->lock);
	task->itk_host = itk_copy(parent->itk_host);
	task->itk_bootstrap = itk_copy(parent->itk_bootstrap);
	task->itk_exception = itk_copy(parent->itk_exception);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		task->itk_registered[i] = itk_copy(parent->itk_registered[i]);
	spin_unlock(&parent->lock);
	return KERN_SUCCESS;
}

void task_ports_destroy(task_t task)
{
	ipc_port_t self, rights[4 + TASK_PORT_REGISTER_MAX];
	unsigned int i, n = 0;

	spin_lock(&task->lock);
	self = task->itk_self;
	task->itk_self = IP_NULL;
	rights[n++] = task->itk_sself;
	rights[n++] = task->itk_host;
	rights[n++] = task->itk_bootstrap;
	rights[n++] = task->itk_exception;
	task->itk_sself = task->itk_host = task->itk_bootstrap = task->itk_exception = IP_NULL;
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		rights[n++] = task->itk_registered[i];
		task->itk_registered[i] = IP_NULL;
	}
	spin_unlock(&task->lock);
	for (i = 0; i < n; i++)
		itk_release(rights[i]);
	if (self)
		ipc_kobject_port_destroy(self);
}

/* The object of an active kernel port of `type`, port locked; or NULL. */
static void *tt_port_object(ipc_port_t port, unsigned int type)
{
	if (!IP_VALID(port))
		return NULL;
	ip_lock(port);
	if (ip_active(port) && port->ip_kotype == type)
		return port->ip_kobject;
	ip_unlock(port);
	return NULL;
}

task_t convert_port_to_task(mach_port_t port)
{
	task_t task = tt_port_object((ipc_port_t)port, IKOT_TASK);

	if (task) {
		task_reference(task);
		ip_unlock((ipc_port_t)port);
	}
	return task;
}

mach_port_t convert_task_to_port(task_t task)
{
	ipc_port_t port = IP_NULL;

	if (!task)
		return MACH_PORT_NULL;
	spin_lock(&task->lock);
	if (task->itk_self)
		port = ipc_port_make_send(task->itk_self);
	spin_unlock(&task->lock);
	task_deallocate(task);
	return (mach_port_t)port;
}

/* The map's lock is a mutex: take it with the port unlocked, the task held. */
vm_map_t convert_port_to_map(mach_port_t port)
{
	task_t task = convert_port_to_task(port);
	vm_map_t map;

	if (!task)
		return VM_MAP_NULL;
	map = task->map;	/* it goes with the task's last reference */
	if (map)
		vm_map_reference(map);
	task_deallocate(task);
	return map;
}

/* A task's port names its space too (mach_port.defs); not the kernel's. */
ipc_space_t convert_task_port_to_space(mach_port_t port)
{
	task_t task = tt_port_object((ipc_port_t)port, IKOT_TASK);
	ipc_space_t space = IS_NULL;

	if (task) {
		if (task != kernel_task) {
			space = task->itk_space;
			ipc_space_reference(space);
		}
		ip_unlock((ipc_port_t)port);
	}
	return space;
}

/* The slot of a special port, or NULL for a number that names none. */
static ipc_port_t *task_special_slot(task_t task, task_special_port_t which)
{
	switch (which) {
	case TASK_KERNEL_PORT:		return &task->itk_sself;
	case TASK_HOST_PORT:		return &task->itk_host;
	case TASK_EXCEPTION_PORT:	return &task->itk_exception;
	case TASK_BOOTSTRAP_PORT:	return &task->itk_bootstrap;
	default:			return NULL;
	}
}

kern_return_t task_get_special_port(task_t task, task_special_port_t which,
				    mach_port_t *port)
{
	ipc_port_t *slot;

	if (!task || !(slot = task_special_slot(task, which)))
		return KERN_INVALID_ARGUMENT;
	spin_lock(&task->lock);
	if (!task->active) {
		spin_unlock(&task->lock);
		return KERN_FAILURE;
	}
	*port = (mach_port_t)itk_copy(*slot);
	spin_unlock(&task->lock);
	return KERN_SUCCESS;
}

/* Consumes the send right `port` on success. */
kern_return_t task_set_special_port(task_t task, task_special_port_t which,
				    mach_port_t port)
{
	ipc_port_t *slot, old;

	if (!task || !(slot = task_special_slot(task, which)))
		return KERN_INVALID_ARGUMENT;
	spin_lock(&task->lock);
	if (!task->active) {
		spin_unlock(&task->lock);
		return KERN_FAILURE;
	}
	old = *slot;
	*slot = (ipc_port_t)port;
	spin_unlock(&task->lock);
	itk_release(old);
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Threads
 */

ipc_port_t thread_port_make_send(struct thread *t)
{
	task_t task = t->task;
	ipc_port_t port, fresh = IP_NULL;

	for (;;) {
		spin_lock(&task->lock);
		port = t->ith_self;
		if (!port && fresh) {
			port = t->ith_self = fresh;
			fresh = IP_NULL;
		}
		if (port) {
			port = IP_VALID(port) ? ipc_port_make_send(port) : IP_NULL;
			spin_unlock(&task->lock);
			break;
		}
		spin_unlock(&task->lock);
		/* The first use: make it unlocked, install it unless someone did. */
		fresh = ipc_kobject_port_alloc(t, IKOT_THREAD);
		if (!fresh)
			return IP_NULL;
	}
	if (fresh)
		ipc_kobject_port_destroy(fresh);
	return port;
}

void thread_port_destroy(struct thread *t)
{
	task_t task = t->task;
	ipc_port_t port, exc;

	spin_lock(&task->lock);
	port = t->ith_self;
	t->ith_self = IP_DEAD;		/* none is made after this */
	exc = t->ith_exception;
	t->ith_exception = IP_NULL;
	spin_unlock(&task->lock);
	itk_release(exc);
	if (IP_VALID(port))
		ipc_kobject_port_destroy(port);
}

thread_t convert_port_to_thread(mach_port_t port)
{
	thread_t t = tt_port_object((ipc_port_t)port, IKOT_THREAD);

	if (t) {
		thread_reference(t);
		ip_unlock((ipc_port_t)port);
	}
	return t;
}

mach_port_t convert_thread_to_port(thread_t t)
{
	ipc_port_t port;

	if (!t)
		return MACH_PORT_NULL;
	port = thread_port_make_send(t);
	thread_deallocate(t);
	return (mach_port_t)port;
}

kern_return_t thread_get_special_port(thread_t t, thread_special_port_t which,
				      mach_port_t *port)
{
	if (!t)
		return KERN_INVALID_ARGUMENT;
	switch (which) {
	case THREAD_KERNEL_PORT:
		thread_reference(t);
		*port = convert_thread_to_port(t);
		return KERN_SUCCESS;
	case THREAD_EXCEPTION_PORT:
		spin_lock(&t->task->lock);
		*port = (mach_port_t)itk_copy(t->ith_exception);
		spin_unlock(&t->task->lock);
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * Only the exception port can be set: a thread's kernel port is its own.
 * Consumes the send right on success.
 */
kern_return_t thread_set_special_port(thread_t t, thread_special_port_t which,
				      mach_port_t port)
{
	ipc_port_t old;

	if (!t || which != THREAD_EXCEPTION_PORT)
		return KERN_INVALID_ARGUMENT;
	spin_lock(&t->task->lock);
	if (t->ith_self == IP_DEAD) {
		spin_unlock(&t->task->lock);
		return KERN_TERMINATED;
	}
	old = t->ith_exception;
	t->ith_exception = (ipc_port_t)port;
	spin_unlock(&t->task->lock);
	itk_release(old);
	return KERN_SUCCESS;
}

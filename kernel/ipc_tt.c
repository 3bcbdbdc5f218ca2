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
#include <kern/exception.h>
#include <kern/string.h>
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
	exception_actions_copy(task->itk_exc_actions, parent->itk_exc_actions);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		task->itk_registered[i] = itk_copy(parent->itk_registered[i]);
	spin_unlock(&parent->lock);
	return KERN_SUCCESS;
}

void task_ports_destroy(task_t task)
{
	ipc_port_t self, rights[3 + TASK_PORT_REGISTER_MAX];
	struct exception_action exc[EXC_TYPES_COUNT];
	unsigned int i, n = 0;

	spin_lock(&task->lock);
	self = task->itk_self;
	task->itk_self = IP_NULL;
	rights[n++] = task->itk_sself;
	rights[n++] = task->itk_host;
	rights[n++] = task->itk_bootstrap;
	task->itk_sself = task->itk_host = task->itk_bootstrap = IP_NULL;
	memcpy(exc, task->itk_exc_actions, sizeof(exc));
	memset(task->itk_exc_actions, 0, sizeof(task->itk_exc_actions));
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		rights[n++] = task->itk_registered[i];
		task->itk_registered[i] = IP_NULL;
	}
	spin_unlock(&task->lock);
	for (i = 0; i < n; i++)
		itk_release(rights[i]);
	exception_actions_release(exc);
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
	case TASK_BOOTSTRAP_PORT:	return &task->itk_bootstrap;
	default:			return NULL;
	}
}

/*
 * TASK_EXCEPTION_PORT, GNU Mach's single exception port, is the task's
 * exception ports table seen as one port (kernel/exception.c): set, every
 * type with EXCEPTION_DEFAULT; read, EXC_BAD_ACCESS's port.
 */
static kern_return_t task_exception_port_get(task_t task, mach_port_t *port)
{
	exception_mask_t mask;
	mach_port_t handler = MACH_PORT_NULL;
	exception_behavior_t behavior;
	thread_state_flavor_t flavor;
	mach_msg_type_number_t n = 1;
	kern_return_t kr;

	kr = task_get_exception_ports(task, EXC_MASK_BAD_ACCESS, &mask, &n, &handler,
				      &behavior, &flavor);
	*port = n ? handler : MACH_PORT_NULL;
	return kr;
}

kern_return_t task_get_special_port(task_t task, task_special_port_t which,
				    mach_port_t *port)
{
	ipc_port_t *slot;

	if (task && which == TASK_EXCEPTION_PORT)
		return task_exception_port_get(task, port);
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

	if (task && which == TASK_EXCEPTION_PORT)
		return task_set_exception_ports(task, EXC_MASK_ALL, port, EXCEPTION_DEFAULT,
						MACHINE_THREAD_STATE);
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
	struct exception_action exc[EXC_TYPES_COUNT];
	ipc_port_t port;

	spin_lock(&task->lock);
	port = t->ith_self;
	t->ith_self = IP_DEAD;		/* none is made after this */
	memcpy(exc, t->ith_exc_actions, sizeof(exc));
	memset(t->ith_exc_actions, 0, sizeof(t->ith_exc_actions));
	spin_unlock(&task->lock);
	exception_actions_release(exc);
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
	case THREAD_EXCEPTION_PORT: {
		/* As TASK_EXCEPTION_PORT: EXC_BAD_ACCESS's port of the thread's table. */
		exception_mask_t mask;
		exception_behavior_t behavior;
		thread_state_flavor_t flavor;
		mach_msg_type_number_t n = 1;
		kern_return_t kr;

		*port = MACH_PORT_NULL;
		kr = thread_get_exception_ports(t, EXC_MASK_BAD_ACCESS, &mask, &n, port,
						&behavior, &flavor);
		if (!n)
			*port = MACH_PORT_NULL;
		return kr == KERN_FAILURE ? KERN_TERMINATED : kr;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * Only the exception port can be set: a thread's kernel port is its own.
 * It sets every exception type of the thread's table to EXCEPTION_DEFAULT
 * (thread_set_exception_ports() says more). Consumes the send right on
 * success.
 */
kern_return_t thread_set_special_port(thread_t t, thread_special_port_t which,
				      mach_port_t port)
{
	kern_return_t kr;

	if (!t || which != THREAD_EXCEPTION_PORT)
		return KERN_INVALID_ARGUMENT;
	kr = thread_set_exception_ports(t, EXC_MASK_ALL, port, EXCEPTION_DEFAULT,
					MACHINE_THREAD_STATE);
	return kr == KERN_FAILURE ? KERN_TERMINATED : kr;
}

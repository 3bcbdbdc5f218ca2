/* SPDX-License-Identifier: MIT */
/*
 * The ports of tasks and threads (kernel/ipc_tt.c): their kernel ports
 * (IKOT_TASK, IKOT_THREAD) and special ports. The conversions the MIG
 * servers use are declared in kernel/mig/mig_convert.h.
 *
 * A task's port is made with the task and dies when it is terminated; a
 * thread's is made on first use (convert_thread_to_port()) and dies when
 * the thread terminates. Both are guarded by the task's lock.
 */
#ifndef _KERNEL_IPC_TT_H
#define _KERNEL_IPC_TT_H

#include <kern/task.h>

struct ipc_port;

/*
 * The task's kernel port and its TASK_KERNEL_PORT send right; the host,
 * bootstrap, exception and registered ports copied from parent (the
 * host port for kernel_task, parent TASK_NULL). KERN_RESOURCE_SHORTAGE.
 */
kern_return_t task_ports_init(task_t task, task_t parent);

/* The task's port dies; its special rights go. Idempotent. */
void task_ports_destroy(task_t task);

/* The thread's port dies (no new one is made); its exception right goes. */
void thread_port_destroy(struct thread *t);

/* A send right to the thread's port (made now if it has none), or IP_NULL. */
struct ipc_port *thread_port_make_send(struct thread *t);

/*
 * Special ports (mach.defs' routines): a copy of the send right in the
 * slot (IP_NULL if none), and setting one (consumes the send right on
 * success). TASK_KERNEL_PORT, _HOST_PORT, _EXCEPTION_PORT and
 * _BOOTSTRAP_PORT; THREAD_KERNEL_PORT (get only) and
 * THREAD_EXCEPTION_PORT. KERN_INVALID_ARGUMENT for another number,
 * KERN_FAILURE (task) or KERN_TERMINATED (thread) once it has ended.
 */
kern_return_t task_get_special_port(task_t task, task_special_port_t which,
				    mach_port_t *port);
kern_return_t task_set_special_port(task_t task, task_special_port_t which,
				    mach_port_t port);
kern_return_t thread_get_special_port(thread_t t, thread_special_port_t which,
				      mach_port_t *port);
kern_return_t thread_set_special_port(thread_t t, thread_special_port_t which,
				      mach_port_t port);

#endif /* _KERNEL_IPC_TT_H */

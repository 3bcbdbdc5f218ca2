/* SPDX-License-Identifier: MIT */
/*
 * Exceptions from user mode as exc.defs messages (kernel/exception.c,
 * Documentation/traps.rst "Exceptions"): to the thread's exception port,
 * then the task's, then the host's; the handler's reply resumes the
 * thread (the state variants with new registers) or passes it on.
 */
#ifndef _KERN_EXCEPTION_H
#define _KERN_EXCEPTION_H

#include <kern/types.h>
#include <mach/kern_return.h>
#include <mach/exception_types.h>
#include <mach/message.h>

struct ipc_port;

/*
 * What one exception type does at one level (a thread's, a task's or the
 * host's table of EXC_TYPES_COUNT, indexed by type): a send right to the
 * handler's port or NULL, the message it gets (EXCEPTION_DEFAULT ...,
 * maybe | MACH_EXCEPTION_CODES) and the state flavor of the state
 * behaviors. Under the lock of the table's owner.
 */
struct exception_action {
	struct ipc_port		*port;
	exception_behavior_t	behavior;
	thread_state_flavor_t	flavor;
};

/* Copies of src's send rights into dst (dst empty); the caller holds src's lock. */
void exception_actions_copy(struct exception_action *dst,
			    const struct exception_action *src);
/* Release every right of a table taken out of its owner (nothing locked). */
void exception_actions_release(struct exception_action *actions);

struct thread;

/*
 * Deliver the calling user thread's exception (interrupts enabled; the
 * thread's user frame and uexc_* hold it). KERN_SUCCESS: a handler took
 * it and the thread goes on with the state it left. Otherwise no handler
 * did (KERN_FAILURE), or the thread was interrupted while it waited
 * (KERN_ABORTED: it is being terminated).
 */
kern_return_t exception_deliver(int exception, long code, long subcode);

/*
 * The host's exception port, the last one asked, for every exception
 * type with EXCEPTION_DEFAULT: a send right (consumed), or IP_NULL for
 * none. host_set_exception_ports() (host_priv.defs 414) is the general
 * form.
 */
void exception_host_port_set(struct ipc_port *port);

/*
 * The exception ports of a task (task.defs 3413-3415), a thread
 * (thread_act.defs 3613-3615) and the host (host_priv.defs 414-416),
 * kernel/exception.c. set: new_port is a send right, consumed on
 * success; KERN_INVALID_ARGUMENT for a mask with unknown types, or with
 * a valid port an unknown behavior or a flavor the machine does not
 * have; KERN_FAILURE for a task or thread that has ended. get: up to
 * *masksCnt entries, one per distinct (port, behavior, flavor), with a
 * send right (or MACH_PORT_NULL) each. swap: set, answering what was
 * there before.
 */
struct task;
struct host;

#define EXC_PORTS_DECLARE(prefix, owner_type)						\
kern_return_t prefix##_set_exception_ports(owner_type o, exception_mask_t exception_mask,	\
					   mach_port_t new_port,			\
					   exception_behavior_t behavior,		\
					   thread_state_flavor_t new_flavor);		\
kern_return_t prefix##_get_exception_ports(owner_type o, exception_mask_t exception_mask,	\
					   exception_mask_array_t masks,		\
					   mach_msg_type_number_t *masksCnt,		\
					   exception_handler_array_t old_handlers,	\
					   exception_behavior_array_t old_behaviors,	\
					   exception_flavor_array_t old_flavors);	\
kern_return_t prefix##_swap_exception_ports(owner_type o, exception_mask_t exception_mask, \
					    mach_port_t new_port,			\
					    exception_behavior_t behavior,		\
					    thread_state_flavor_t new_flavor,		\
					    exception_mask_array_t masks,		\
					    mach_msg_type_number_t *masksCnt,		\
					    exception_handler_array_t old_handlers,	\
					    exception_behavior_array_t old_behaviors,	\
					    exception_flavor_array_t old_flavors);

/* task_set_exception_ports(), task_get_..., task_swap_... */
EXC_PORTS_DECLARE(task, struct task *)
/* thread_set_exception_ports(), thread_get_..., thread_swap_... */
EXC_PORTS_DECLARE(thread, struct thread *)
/* host_set_exception_ports(), host_get_..., host_swap_... (the host_priv port's) */
EXC_PORTS_DECLARE(host, struct host *)

#endif /* _KERN_EXCEPTION_H */

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

/*
 * Deliver the calling user thread's exception (interrupts enabled; the
 * thread's user frame and uexc_* hold it). KERN_SUCCESS: a handler took
 * it and the thread goes on with the state it left. Otherwise no handler
 * did (KERN_FAILURE), or the thread was interrupted while it waited
 * (KERN_ABORTED: it is being terminated).
 */
kern_return_t exception_deliver(int exception, long code, long subcode);

struct ipc_port;

/*
 * The host's exception port, the last one asked: a send right (consumed),
 * or IP_NULL for none. A kernel setting (host_priv.defs has no routine
 * for it): the bootstrap code or a test sets it.
 */
void exception_host_port_set(struct ipc_port *port);

#endif /* _KERN_EXCEPTION_H */

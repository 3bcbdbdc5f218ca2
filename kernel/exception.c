// SPDX-License-Identifier: MIT
/*
 * Exceptions from user mode as exc.defs messages (<kern/exception.h>,
 * Documentation/traps.rst "Exceptions").
 *
 * The thread that took the exception sends exception_raise (the KernelUser
 * stub, through mach_msg_rpc_from_kernel()) to its own exception port
 * (THREAD_EXCEPTION_PORT), then to its task's (TASK_EXCEPTION_PORT), then
 * to the host's (exception_host_port_set(), a kernel setting: host_priv.defs
 * has no routine for it), and waits for each reply, interruptibly, on its
 * kernel reply port. A reply of KERN_SUCCESS resumes the thread with the
 * state the handler left (thread_set_state() on the stopped thread); any
 * other answer, a dead port or a server that died passes it on to the
 * next port. The ports are GNU Mach's special ports, which carry no
 * behavior: the message is always EXCEPTION_DEFAULT's exception_raise,
 * and its two codes are integer_t, so a 64-bit address in code[1] keeps
 * its low 32 bits only (the thread's exception state flavor has it all).
 */
#include <kern/exception.h>
#include <kern/lock.h>
#include <kern/sched_prim.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_port.h>
#include <kernel/ipc_tt.h>
#include <mach/exception_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>

/*
 * The KernelUser stub generated from exc.defs (kernel/mig, excUser.h);
 * declared here so that kernel/ does not wait for the generated header.
 */
kern_return_t exception_raise(mach_port_t exception_port, mach_port_t thread,
			      mach_port_t task, exception_type_t exception,
			      exception_data_t code, mach_msg_type_number_t codeCnt);

static spinlock_t exception_host_lock = SPINLOCK_INIT;
static ipc_port_t exception_host_port;	/* a send right, or IP_NULL */

void exception_host_port_set(ipc_port_t port)
{
	ipc_port_t old;
	unsigned long flags;

	flags = spin_lock_irqsave(&exception_host_lock);
	old = exception_host_port;
	exception_host_port = port;
	spin_unlock_irqrestore(&exception_host_lock, flags);
	if (IP_VALID(old))
		ipc_port_release_send(old);
}

/* A send right to the exception port of level 0 (thread), 1 (task), 2 (host), or IP_NULL. */
static ipc_port_t exception_port_copy(struct thread *self, unsigned int level)
{
	struct task *task = self->task;
	ipc_port_t port = IP_NULL;
	unsigned long flags;

	if (level < 2) {
		spin_lock(&task->lock);
		port = level == 0 ? self->ith_exception : task->itk_exception;
		if (IP_VALID(port))
			port = ipc_port_copy_send(port);
		spin_unlock(&task->lock);
		return port;
	}
	flags = spin_lock_irqsave(&exception_host_lock);
	if (IP_VALID(exception_host_port))
		port = ipc_port_copy_send(exception_host_port);
	spin_unlock_irqrestore(&exception_host_lock, flags);
	return port;
}

/* One exception_raise to port, with send rights to the thread and its task. */
static kern_return_t exception_send(ipc_port_t port, struct thread *self, int exception,
				    long code, long subcode)
{
	integer_t codes[EXCEPTION_CODE_MAX] = { (integer_t)code, (integer_t)subcode };
	ipc_port_t thread_port = thread_port_make_send(self);
	mach_port_t task_port = MACH_PORT_NULL;
	kern_return_t kr;

	if (task_get_special_port(self->task, TASK_KERNEL_PORT, &task_port) != KERN_SUCCESS)
		task_port = MACH_PORT_NULL;
	kr = exception_raise((mach_port_t)port, (mach_port_t)thread_port, task_port,
			     exception, codes, EXCEPTION_CODE_MAX);
	if (IP_VALID(thread_port))
		ipc_port_release_send(thread_port);
	if (IP_VALID((ipc_port_t)task_port))
		ipc_port_release_send((ipc_port_t)task_port);
	return kr;
}

kern_return_t exception_deliver(int exception, long code, long subcode)
{
	struct thread *self = current_thread();
	unsigned int level;
	kern_return_t kr;
	ipc_port_t port;

	for (level = 0; level < 3; level++) {
		if (thread_should_halt())
			return KERN_ABORTED;
		port = exception_port_copy(self, level);
		if (!IP_VALID(port))
			continue;
		kr = exception_send(port, self, exception, code, subcode);
		ipc_port_release_send(port);
		if (kr == KERN_SUCCESS)
			return KERN_SUCCESS;
		if (kr == MACH_RCV_INTERRUPTED)
			return KERN_ABORTED;
	}
	return thread_should_halt() ? KERN_ABORTED : KERN_FAILURE;
}

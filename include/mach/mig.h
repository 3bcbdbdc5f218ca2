/* SPDX-License-Identifier: MIT */
/*
 * What MIG-generated code needs around it.
 *
 * A server: for a subsystem `s`, MIG generates
 *
 *	boolean_t s_server(mach_msg_header_t *in, mach_msg_header_t *out);
 *	mig_routine_t s_server_routine(mach_msg_header_t *in);
 *	extern const struct mig_subsystem s_subsystem;
 *
 * s_server() handles one request: it fills `out` (at least
 * s_subsystem.maxsize bytes) with the reply and returns TRUE, or returns
 * FALSE for an id outside the subsystem (the reply then says MIG_BAD_ID).
 * A reply whose RetCode is MIG_NO_REPLY is not to be sent.
 *
 * A client stub gets its reply port from mig_get_reply_port(), which the
 * runtime (libmach in user space, the kernel for KernelUser interfaces)
 * provides, along with the rest declared here.
 */
#ifndef _MACH_MIG_H
#define _MACH_MIG_H

#include <mach/message.h>
#include <mach/mig_errors.h>

typedef void (*mig_stub_routine_t)(mach_msg_header_t *in, mach_msg_header_t *out);
typedef mig_stub_routine_t mig_routine_t;
typedef boolean_t (*mig_server_routine_t)(mach_msg_header_t *in, mach_msg_header_t *out);

struct mig_routine_descriptor {
	mig_stub_routine_t	stub;		/* NULL for a skipped id */
	const char		*name;
	mach_msg_size_t		max_reply;	/* this routine's reply, in bytes */
};

/* One per generated server: the kobject dispatcher's table entry. */
struct mig_subsystem {
	const char				*name;
	mig_server_routine_t			server;
	mach_msg_id_t				start;	/* first routine's id */
	mach_msg_id_t				end;	/* last + 1 */
	mach_msg_size_t				maxsize; /* largest reply */
	const struct mig_routine_descriptor	*routine; /* end - start of them */
};

/* The runtime's half. */
mach_port_t mig_get_reply_port(void);
void mig_dealloc_reply_port(mach_port_t reply_port);
void mig_put_reply_port(mach_port_t reply_port);
/* Copy a string of at most len bytes with its NUL; returns the length copied. */
int mig_strncpy(char *dest, const char *src, int len);
void mig_allocate(vm_address_t *addr, vm_size_t size);
void mig_deallocate(vm_address_t addr, vm_size_t size);

#ifdef __KERNEL__
/*
 * Client stubs compiled into the kernel (KernelUser interfaces, such as
 * exc and memory_object) send through these instead of mach_msg(): a send
 * of a simpleroutine's request, and a send and receive of a routine's
 * (the reply arrives on msg->msgh_local_port, from mig_get_reply_port()).
 */
mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size);
mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
					   mach_msg_size_t rcv_size);
/*
 * A reply from mach_msg_rpc_from_kernel() the stub refuses (another id, a
 * type error, an error reply): its reply right and what its descriptors
 * hold (rights, OOL copies) are released, as mach_msg_destroy() in user space.
 */
void mach_msg_destroy_from_kernel(mach_msg_header_t *msg);
/*
 * A KernelServer stub calls this, once its routine has succeeded, for each
 * translated port argument (intran: task_t, thread_t ...) of the request:
 * the routine saw the object, so the stub releases the send right the
 * request carried (nothing for MACH_PORT_NULL or MACH_PORT_DEAD).
 */
void mig_kernel_release_send(mach_port_t port);
/* A thread going away gives back its kernel reply port (mig_get_reply_port()). */
struct thread;
void mig_thread_terminate(struct thread *thread);
#endif

#endif /* _MACH_MIG_H */

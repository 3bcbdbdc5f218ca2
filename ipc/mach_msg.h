/* SPDX-License-Identifier: MIT */
/*
 * mach_msg for a space (Documentation/ipc.rst, "mach_msg").
 *
 * ipc_mach_msg() is the mach_msg trap's body: send, receive, or both
 * (an RPC) on a message buffer of `space`'s owner. Until tasks exist the
 * buffer is kernel memory; the only reads and writes of it are
 * ipc_mach_msg_get() and ipc_mach_msg_put(), which are copyin/copyout
 * under ipc_mach_msg_user() (the trap).
 */
#ifndef _IPC_MACH_MSG_H
#define _IPC_MACH_MSG_H

#include <ipc/ipc_kmsg.h>
#include <kern/usermode.h>

mach_msg_return_t ipc_mach_msg(ipc_space_t space, mach_msg_header_t *msg,
			       mach_msg_option_t option, mach_msg_size_t send_size,
			       mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			       mach_msg_timeout_t timeout, mach_port_name_t notify);

/*
 * The mach_msg trap's: the same on a buffer in the calling thread's user
 * address space. A buffer it cannot read is MACH_SEND_INVALID_DATA, one
 * it cannot write MACH_RCV_INVALID_DATA (the message is then lost, its
 * rights already in the space, as in Mach).
 */
mach_msg_return_t ipc_mach_msg_user(ipc_space_t space, mach_msg_header_t __user *msg,
				    mach_msg_option_t option, mach_msg_size_t send_size,
				    mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				    mach_msg_timeout_t timeout, mach_port_name_t notify);

/*
 * The mach_msg trap: ipc_mach_msg_user() on the calling task's space
 * (called from user mode only: a thread of a user task), with the trap's first six
 * arguments in their order and the trap's result type. notify, the
 * seventh, is not read: it means something only with MACH_SEND_NOTIFY /
 * MACH_RCV_NOTIFY, which are refused (MACH_SEND_INVALID_NOTIFY,
 * MACH_RCV_INVALID_NOTIFY). mach_msg_trap, the trap table's entry, is
 * this function (an alias of the table's type, mach_trap_fn_t).
 */
mach_trap_fn_t mach_msg_trap;
long ipc_mach_msg_trap(mach_msg_header_t __user *msg, mach_msg_option_t option,
		       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
		       mach_port_name_t rcv_name, mach_msg_timeout_t timeout);

/*
 * The caller's buffer: read send_size bytes into a kmsg, write size bytes
 * back (kernel memory, or user memory under ipc_mach_msg_user()).
 */
mach_msg_return_t ipc_mach_msg_get(const void *msg, mach_msg_size_t send_size,
				   ipc_kmsg_t kmsg);
mach_msg_return_t ipc_mach_msg_put(void *msg, const void *from, mach_msg_size_t size);

/*
 * How many messages the RPC fast path sent (Documentation/ipc.rst, "The
 * fast path"): counted in ktest kernels only, for the tests to see which
 * path ran; always 0 otherwise.
 */
unsigned long ipc_mach_msg_fast_count(void);
/* Of those, how many the sender also copied out into the receiver's space. */
unsigned long ipc_mach_msg_fast_named_count(void);

#endif /* _IPC_MACH_MSG_H */

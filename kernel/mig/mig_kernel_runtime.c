// SPDX-License-Identifier: MIT
/*
 * The runtime that client stubs compiled into the kernel (the KernelUser
 * interfaces: notify, exc, memory_object, memory_object_default) call
 * (<mach/mig.h>), for the time before the IPC layer exists.
 *
 * With no ports, no message can have a destination: every send fails
 * with MACH_SEND_INVALID_DEST and nothing is delivered, so a caller
 * sees the failure rather than a message silently lost. The IPC issue
 * replaces these with ipc_kmsg-based ones.
 */
#include <mach/message.h>
#include <mach/mig.h>

mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size)
{
	return MACH_SEND_INVALID_DEST;
}

mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
					   mach_msg_size_t rcv_size)
{
	return MACH_SEND_INVALID_DEST;
}

mach_port_t mig_get_reply_port(void)
{
	return MACH_PORT_NULL;
}

void mig_dealloc_reply_port(mach_port_t reply_port)
{
}

void mig_put_reply_port(mach_port_t reply_port)
{
}

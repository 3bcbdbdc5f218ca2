// SPDX-License-Identifier: MIT
/*
 * The runtime that client stubs compiled into the kernel (the KernelUser
 * interfaces: notify, exc, memory_object, memory_object_default) call
 * (<mach/mig.h>).
 *
 * The stubs build their request in the kernel's message layout with
 * ipc_port_t in the header and descriptors and *dispositions* for their
 * types (MOVE_SEND_ONCE, MAKE_SEND ...), naming rights the kernel holds.
 * mach_msg_send_from_kernel() copies the request into a kmsg, turns the
 * dispositions into rights (ipc_kmsg_copyin_from_kernel()) and sends it.
 * mach_msg_rpc_from_kernel() does the same with a reply port: the
 * thread's own kernel reply port (mig_get_reply_port()), whose receive
 * right the kernel holds in ipc_space_kernel; it then waits for the
 * reply there and hands it back in the caller's buffer as a kernel
 * receiver sees it: msgh_local_port the reply port, msgh_remote_port the
 * reply's reply right (if any), descriptors holding ipc_port_t rights
 * (now the caller's) and OOL copy objects.
 *
 * A message the kernel cannot deliver (dead destination, no memory) is
 * destroyed, except its destination right, which is dropped without a
 * send-once notification: that would be a message about a message that
 * could not be sent (ipc_kobject_kmsg_discard()); an RPC's reply right
 * goes the same way, so the caller sees the send's error alone.
 */
#include <kern/cpu.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <mach/message.h>
#include <mach/mig.h>

/* A kmsg holding a copy of the kernel-built message, in kernel form. */
static mach_msg_return_t mig_kmsg_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
					      ipc_kmsg_t *kmsgp)
{
	ipc_kmsg_t kmsg;

	if (send_size < sizeof(*msg) || (send_size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	kmsg = ipc_kmsg_alloc(send_size);
	if (!kmsg)
		return MACH_SEND_NO_BUFFER;
	memcpy(kmsg->ikm_header, msg, send_size);
	kmsg->ikm_header->msgh_size = send_size;
	ipc_kmsg_copyin_from_kernel(kmsg);
	*kmsgp = kmsg;
	return MACH_MSG_SUCCESS;
}

/*
 * Send a kernel-form message; one that cannot be delivered is destroyed.
 * An RPC's reply right (own_reply: a send-once right to the thread's
 * kernel reply port) goes with no send-once notification: the caller
 * gets the send's error and no reply ever comes, so the port stays fit
 * for the thread's next call (a notification left there would be that
 * call's answer, and each later call would get the one before's).
 */
static mach_msg_return_t mig_kmsg_send(ipc_kmsg_t kmsg, bool own_reply)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_return_t mr;

	/* The kernel never waits for room in a queue (as Mach's kernel sends). */
	mr = ipc_kmsg_send(kmsg, MACH_SEND_ALWAYS, MACH_MSG_TIMEOUT_NONE);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	if (own_reply && MACH_MSGH_BITS_LOCAL(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		ipc_port_release_sonce((ipc_port_t)h->msgh_local_port);
		h->msgh_local_port = MACH_PORT_NULL;
		h->msgh_bits &= ~MACH_MSGH_BITS_LOCAL_MASK;
	}
	ipc_kobject_kmsg_discard(kmsg);
	return mr;
}

mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size)
{
	ipc_kmsg_t kmsg;
	mach_msg_return_t mr;

	mr = mig_kmsg_from_kernel(msg, send_size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return mig_kmsg_send(kmsg, false);
}

/*
 * A received kernel-form reply as a kernel receiver sees it: the
 * destination right (a send-once right to our reply port) is used up, and
 * the header's ports swap places as a receive swaps them.
 */
static void mig_kmsg_received(ipc_kmsg_t kmsg)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_bits_t bits = h->msgh_bits;
	ipc_port_t dest = (ipc_port_t)h->msgh_remote_port;

	if (MACH_MSGH_BITS_REMOTE(bits) == MACH_MSG_TYPE_PORT_SEND_ONCE)
		ipc_port_release_sonce(dest);
	else if (IP_VALID(dest))
		ipc_port_release_send(dest);
	h->msgh_remote_port = h->msgh_local_port;
	h->msgh_local_port = (mach_port_t)dest;
	h->msgh_bits = MACH_MSGH_BITS_OTHER(bits) |
		       MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(bits), MACH_MSGH_BITS_REMOTE(bits));
}

mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_size_t send_size,
					   mach_msg_size_t rcv_size)
{
	ipc_port_t reply = (ipc_port_t)msg->msgh_local_port;
	ipc_kmsg_t kmsg;
	mach_msg_return_t mr;

	if (!IP_VALID(reply))
		return MACH_SEND_INVALID_REPLY;
	mr = mig_kmsg_from_kernel(msg, send_size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = mig_kmsg_send(kmsg, true);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = ipc_mqueue_receive_kernel(&reply->ip_object, MACH_RCV_MSG, MACH_MSG_SIZE_MAX,
				       MACH_MSG_TIMEOUT_NONE, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (kmsg->ikm_header->msgh_size > rcv_size) {
		ipc_kobject_kmsg_discard(kmsg);
		return MACH_RCV_TOO_LARGE;
	}
	mig_kmsg_received(kmsg);
	memcpy(msg, kmsg->ikm_header, kmsg->ikm_header->msgh_size);
	ipc_kmsg_free(kmsg);		/* its rights are the caller's now */
	return MACH_MSG_SUCCESS;
}

/*
 * A reply mach_msg_rpc_from_kernel() handed back that the stub will not
 * unpack: its reply right (msgh_remote_port, as received) and what its
 * descriptors hold (port rights, OOL port arrays, ipc_ool_copy objects)
 * go, as libmach's mach_msg_destroy() gives back a user's. The local port
 * (the thread's reply port, whose right the receive used up) is not the
 * message's. The buffer is the caller's: ipc_kmsg_clean() works on a
 * kmsg that only points at it, so nothing is allocated on this path.
 */
void mach_msg_destroy_from_kernel(mach_msg_header_t *msg)
{
	struct ipc_kmsg kmsg = { .ikm_header = msg, .ikm_size = msg->msgh_size };

	msg->msgh_local_port = MACH_PORT_NULL;
	msg->msgh_bits &= ~MACH_MSGH_BITS_LOCAL_MASK;
	ipc_kmsg_clean(&kmsg);
}

void mig_kernel_release_send(mach_port_t port)
{
	if (IP_VALID(port))
		ipc_port_release_send(port);
}

/*
 * The thread's kernel reply port, made on first use and kept until the
 * thread goes (mig_thread_terminate()) or a stub gives up on it after a
 * failed receive (mig_dealloc_reply_port()).
 */
mach_port_t mig_get_reply_port(void)
{
	struct thread *t = current_thread();

	if (!t->ith_rpc_reply)
		t->ith_rpc_reply = ipc_port_alloc_kernel();
	return (mach_port_t)t->ith_rpc_reply;
}

void mig_dealloc_reply_port(mach_port_t reply_port)
{
	struct thread *t = current_thread();

	if (!IP_VALID((ipc_port_t)reply_port) || reply_port != (mach_port_t)t->ith_rpc_reply)
		return;
	t->ith_rpc_reply = NULL;
	ipc_port_dealloc_kernel((ipc_port_t)reply_port);
}

void mig_put_reply_port(mach_port_t reply_port)
{
	/* The port stays the thread's for its next call. */
}

void mig_thread_terminate(struct thread *t)
{
	ipc_port_t reply = t->ith_rpc_reply;

	if (reply) {
		t->ith_rpc_reply = NULL;
		ipc_port_dealloc_kernel(reply);
	}
}

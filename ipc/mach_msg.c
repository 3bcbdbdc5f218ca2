// SPDX-License-Identifier: MIT
/*
 * mach_msg (mach_msg.h): the send and receive halves, the pseudo-receive
 * of a failed send, and the RPC path, where a send to a port whose
 * receiver waits followed by a receive gives the CPU straight to that
 * receiver (thread_handoff()) and the reply comes back the same way.
 */
#include <kern/copyio.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>

/*
 * From the mach_msg trap (ith_user_buffer) the buffer is user memory:
 * copyin/copyout. Complex messages from user space are refused until the
 * out-of-line paths take only addresses of the sender's map
 * (Documentation/traps.rst).
 */
static mach_msg_return_t ipc_mach_msg_copyin(const void *msg, mach_msg_size_t send_size,
					     void *buf)
{
	if (copyin((const void __user __force *)msg, buf, send_size) != KERN_SUCCESS)
		return MACH_SEND_INVALID_DATA;
	if (((mach_msg_user_header_t *)buf)->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return MACH_SEND_INVALID_TYPE;
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_mach_msg_get(const void *msg, mach_msg_size_t send_size,
				   ipc_kmsg_t kmsg)
{
	if (unlikely(current_thread()->ith_user_buffer))
		return ipc_mach_msg_copyin(msg, send_size, ipc_kmsg_user_buffer(kmsg));
	ipc_copy_words(ipc_kmsg_user_buffer(kmsg), msg, send_size);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_mach_msg_put(void *msg, const void *from, mach_msg_size_t size)
{
	if (unlikely(current_thread()->ith_user_buffer))
		return copyout(from, (void __user __force *)msg, size) == KERN_SUCCESS ?
		       MACH_MSG_SUCCESS : MACH_RCV_INVALID_DATA;
	ipc_copy_words(msg, from, size);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_mach_msg_user(ipc_space_t space, mach_msg_header_t __user *msg,
				    mach_msg_option_t option, mach_msg_size_t send_size,
				    mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				    mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	struct thread *self = current_thread();
	mach_msg_return_t mr;

	self->ith_user_buffer = true;
	mr = ipc_mach_msg(space, (mach_msg_header_t __force *)msg, option, send_size,
			  rcv_size, rcv_name, timeout, notify);
	self->ith_user_buffer = false;
	return mr;
}

/*
 * The send half. For an RPC: *receiverp, the receiver served (claimed, for
 * the handoff), and *rcvp, the receive's object if the copyin found it
 * (referenced, see ipc_kmsg_copyin()).
 */
static mach_msg_return_t ipc_mach_msg_send(ipc_space_t space, mach_msg_header_t *msg,
					   mach_msg_option_t option,
					   mach_msg_size_t send_size,
					   mach_msg_timeout_t timeout,
					   struct thread **receiverp,
					   mach_port_name_t rcv_name, ipc_object_t *rcvp)
{
	mach_msg_return_t mr;
	ipc_kmsg_t kmsg;

	if (send_size < sizeof(mach_msg_user_header_t) || (send_size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (send_size > MACH_MSG_SIZE_MAX)
		return MACH_SEND_TOO_LARGE;
	kmsg = ipc_kmsg_alloc(send_size + IKM_HEADER_DELTA);
	if (unlikely(!kmsg))
		return MACH_SEND_NO_BUFFER;
	mr = ipc_mach_msg_get(msg, send_size, kmsg);
	if (mr == MACH_MSG_SUCCESS)
		mr = ipc_kmsg_copyin(kmsg, space, send_size, option, rcv_name, rcvp);
	if (unlikely(mr != MACH_MSG_SUCCESS)) {
		ipc_kmsg_free(kmsg);
		return mr;
	}
	mr = ipc_kmsg_send_handoff(kmsg, option & ~MACH_SEND_ALWAYS, timeout, receiverp);
	if (likely(mr == MACH_MSG_SUCCESS))
		return mr;
	if (mr == MACH_SEND_INVALID_DEST) {
		/* It died after the copyin: the message was sent, and is lost. */
		ipc_kmsg_destroy(kmsg);
		return MACH_MSG_SUCCESS;
	}
	/* Timed out or interrupted: the sender gets its message back. */
	ipc_kmsg_copyout_pseudo(kmsg, space);
	ipc_mach_msg_put(msg, kmsg->ikm_header, ipc_kmsg_user_size(kmsg));
	ipc_kmsg_free(kmsg);
	return mr;
}

/* What rcv_name receives from, referenced: a port's receive right or a set. */
static mach_msg_return_t ipc_mach_msg_rcv_object(ipc_space_t space, mach_port_name_t name,
						 ipc_object_t *objectp)
{
	ipc_entry_t entry;
	ipc_object_t object;

	if (ipc_right_lookup(space, name, &entry) != KERN_SUCCESS)
		return MACH_RCV_INVALID_NAME;
	if (!(entry->ie_bits & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET))) {
		is_unlock(space);
		return MACH_RCV_INVALID_NAME;
	}
	object = entry->ie_object;
	io_reference(object);
	is_unlock(space);
	*objectp = object;
	return MACH_MSG_SUCCESS;
}

/* object: what the send's copyin found for rcv_name (referenced), or IO_NULL. */
static mach_msg_return_t ipc_mach_msg_receive(ipc_space_t space, mach_msg_header_t *msg,
					      mach_msg_option_t option,
					      mach_msg_size_t rcv_size,
					      mach_port_name_t rcv_name,
					      mach_msg_timeout_t timeout,
					      struct thread *handoff, ipc_object_t object)
{
	mach_msg_user_header_t *uh;
	mach_msg_size_t size;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	ipc_kmsg_t kmsg;

	if (!object)
		mr = ipc_mach_msg_rcv_object(space, rcv_name, &object);
	if (unlikely(mr != MACH_MSG_SUCCESS)) {
		if (handoff)
			thread_setrun_claimed(handoff);
		return mr;
	}
	mr = ipc_mqueue_receive_handoff(object, option, rcv_size, timeout, handoff, &kmsg, &size);
	ipc_object_release(object);
	if (unlikely(mr == MACH_RCV_TOO_LARGE)) {
		if (!kmsg) {
			/* MACH_RCV_LARGE: the message stays queued; its size is reported. */
			mach_msg_user_header_t h = { .msgh_size = size };

			if (rcv_size >= sizeof(h))
				ipc_mach_msg_put(&msg->msgh_size, &h.msgh_size, sizeof(h.msgh_size));
			return mr;
		}
		ipc_kmsg_copyout_dest(kmsg, space);
		goto header_only;
	}
	if (unlikely(mr != MACH_MSG_SUCCESS))
		return mr;
	mr = ipc_kmsg_copyout(kmsg, space, option);
	if (unlikely((mr & ~MACH_MSG_MASK) == MACH_RCV_HEADER_ERROR))
		goto header_only;
	size = ipc_kmsg_user_size(kmsg);
	size += ipc_kmsg_add_trailer(kmsg, option);
	if (unlikely(ipc_mach_msg_put(msg, kmsg->ikm_header, size) != MACH_MSG_SUCCESS))
		mr = MACH_RCV_INVALID_DATA;	/* the rights are in the space already */
	ipc_kmsg_free(kmsg);
	return mr;

header_only:
	/* Only the header (its destination named) reaches the receiver. */
	uh = (mach_msg_user_header_t *)kmsg->ikm_header;
	if (rcv_size >= sizeof(*uh) &&
	    ipc_mach_msg_put(msg, uh, sizeof(*uh)) != MACH_MSG_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	ipc_kmsg_free(kmsg);
	return mr;
}

mach_msg_return_t ipc_mach_msg(ipc_space_t space, mach_msg_header_t *msg,
			       mach_msg_option_t option, mach_msg_size_t send_size,
			       mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			       mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	struct thread *receiver = NULL;
	ipc_object_t rcv_object = IO_NULL;
	mach_msg_return_t mr;

	(void)notify;
	if (option & (MACH_SEND_NOTIFY | MACH_RCV_NOTIFY))
		return option & MACH_SEND_MSG ? MACH_SEND_INVALID_NOTIFY : MACH_RCV_INVALID_NOTIFY;
	if (option & MACH_SEND_MSG) {
		bool rpc = option & MACH_RCV_MSG;

		mr = ipc_mach_msg_send(space, msg, option, send_size,
				       option & MACH_SEND_TIMEOUT ? timeout : 0,
				       rpc ? &receiver : NULL, rcv_name, rpc ? &rcv_object : NULL);
		if (mr != MACH_MSG_SUCCESS) {
			if (rcv_object)
				ipc_object_release(rcv_object);
			return mr;
		}
	}
	if (option & MACH_RCV_MSG)
		return ipc_mach_msg_receive(space, msg, option, rcv_size, rcv_name,
					    option & MACH_RCV_TIMEOUT ? timeout : 0, receiver,
					    rcv_object);
	return MACH_MSG_SUCCESS;
}

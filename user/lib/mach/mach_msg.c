// SPDX-License-Identifier: MIT
/*
 * mach_msg() and mach_msg_overwrite(): the traps with Mach's retry rules.
 *
 * A send the kernel interrupted (MACH_SEND_INTERRUPTED) sent nothing, so
 * the whole call is made again, unless the caller asked to see the
 * interruption (MACH_SEND_INTERRUPT). A receive the kernel interrupted
 * (MACH_RCV_INTERRUPTED) comes after a completed send: only the receive is
 * made again (the send bit is dropped, so the message is not sent twice),
 * unless the caller passed MACH_RCV_INTERRUPT. This is what Mach 3's and
 * GNU Mach's libmach do.
 *
 * A send that was interrupted or timed out gives the message back in the
 * caller's buffer as if received (Mach's pseudo-receive): every right it
 * carried is the caller's again under a name of its own (the reply right
 * too: a send-once right made from a port is named apart from it), in the
 * received forms, which are the MOVE dispositions, and its out-of-line
 * memory is in fresh regions, which the kernel marks deallocate (they are
 * the caller's own). Sent again as it is, it moves all of that, the
 * regions included: the resend below needs no change to the message.
 * Returned (MACH_SEND_TIMED_OUT, or MACH_SEND_INTERRUPTED asked for), it
 * is the caller's to send again or to destroy: mach_msg_destroy() and
 * mach_msg_destroy_reply().
 */
#include <mach/mach.h>

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	mach_msg_return_t mr;

	mr = mach_msg_trap(msg, option, send_size, rcv_size, rcv_name, timeout, notify);
	if (mr == MACH_MSG_SUCCESS)
		return mr;

	if (!(option & MACH_SEND_INTERRUPT))
		while (mr == MACH_SEND_INTERRUPTED)
			mr = mach_msg_trap(msg, option, send_size, rcv_size,
					   rcv_name, timeout, notify);

	if (!(option & MACH_RCV_INTERRUPT))
		while (mr == MACH_RCV_INTERRUPTED)
			mr = mach_msg_trap(msg, option & ~MACH_SEND_MSG, 0, rcv_size,
					   rcv_name, timeout, notify);
	return mr;
}

/*
 * The same with a separate receive buffer (XNU's signature: rcv_size is
 * rcv_msg's size; rcv_scatter_size, for scatter lists, is not used).
 */
mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
				     mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				     mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				     mach_port_name_t notify, mach_msg_header_t *rcv_msg,
				     mach_msg_size_t rcv_scatter_size)
{
	mach_msg_return_t mr;

	(void)rcv_scatter_size;
	mr = mach_msg_overwrite_trap(msg, option, send_size, rcv_size, rcv_name,
				     timeout, notify, rcv_msg);
	if (mr == MACH_MSG_SUCCESS)
		return mr;

	if (!(option & MACH_SEND_INTERRUPT))
		while (mr == MACH_SEND_INTERRUPTED)
			mr = mach_msg_overwrite_trap(msg, option, send_size, rcv_size,
						     rcv_name, timeout, notify, rcv_msg);

	if (!(option & MACH_RCV_INTERRUPT))
		while (mr == MACH_RCV_INTERRUPTED)
			mr = mach_msg_overwrite_trap(msg, option & ~MACH_SEND_MSG, 0,
						     rcv_size, rcv_name, timeout,
						     notify, rcv_msg);
	return mr;
}

// SPDX-License-Identifier: MIT
/*
 * mach_msg (mach_msg.h): the send and receive halves, the pseudo-receive
 * of a failed send, and the RPC path, where a send to a port whose
 * receiver waits followed by a receive gives the CPU straight to that
 * receiver (thread_handoff()) and the reply comes back the same way.
 */
#include <kern/copyio.h>
#include <kern/kconfig.h>
#include <kern/sched_prim.h>
#include <kern/sched_switch.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>

/*
 * From the mach_msg trap (ith_user_buffer) the buffer is user memory:
 * copyin/copyout. Out-of-line data and port arrays of a user message are
 * taken only from the sender's map (ipc_ool_copyin(), Documentation/traps.rst).
 */
static mach_msg_return_t ipc_mach_msg_copyin(const void *msg, mach_msg_size_t send_size,
					     void *buf)
{
	if (copyin((const void __user __force *)msg, buf, send_size) != KERN_SUCCESS)
		return MACH_SEND_INVALID_DATA;
	return MACH_MSG_SUCCESS;
}

/*
 * A test kernel checks that a buffer copied as kernel memory is not user
 * memory: a user call's way into the general code that left
 * ith_user_buffer clear (ipc_mach_msg_user_begin()) stops here.
 */
static inline void ipc_mach_msg_kernel_buffer(const void *msg)
{
	if (IS_ENABLED(CONFIG_KTEST))
		assert((uintptr_t)msg > VM_MAX_USER_ADDRESS);
}

mach_msg_return_t ipc_mach_msg_get(const void *msg, mach_msg_size_t send_size,
				   ipc_kmsg_t kmsg)
{
	if (unlikely(current_thread()->ith_user_buffer))
		return ipc_mach_msg_copyin(msg, send_size, ipc_kmsg_user_buffer(kmsg));
	ipc_mach_msg_kernel_buffer(msg);
	ipc_copy_words(ipc_kmsg_user_buffer(kmsg), msg, send_size);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_mach_msg_put(void *msg, const void *from, mach_msg_size_t size)
{
	if (unlikely(current_thread()->ith_user_buffer))
		return copyout(from, (void __user __force *)msg, size) == KERN_SUCCESS ?
		       MACH_MSG_SUCCESS : MACH_RCV_INVALID_DATA;
	ipc_mach_msg_kernel_buffer(msg);
	ipc_copy_words(msg, from, size);
	return MACH_MSG_SUCCESS;
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

/* Only the header (its destination named) reaches the receiver; the kmsg is freed. */
static mach_msg_return_t ipc_mach_msg_header_only(mach_msg_header_t *msg,
						  mach_msg_size_t rcv_size, ipc_kmsg_t kmsg,
						  mach_msg_return_t mr)
{
	mach_msg_user_header_t *uh = (mach_msg_user_header_t *)kmsg->ikm_header;

	if (rcv_size >= sizeof(*uh) &&
	    ipc_mach_msg_put(msg, uh, sizeof(*uh)) != MACH_MSG_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	ipc_kmsg_free(kmsg);
	return mr;
}

/* A message dequeued for the receiver: its rights named in space, then the buffer. */
static mach_msg_return_t ipc_mach_msg_deliver(ipc_space_t space, mach_msg_header_t *msg,
					      mach_msg_option_t option,
					      mach_msg_size_t rcv_size, ipc_kmsg_t kmsg)
{
	mach_msg_return_t mr = ipc_kmsg_copyout(kmsg, space, option);
	mach_msg_size_t size;

	if (unlikely((mr & ~MACH_MSG_MASK) == MACH_RCV_HEADER_ERROR))
		return ipc_mach_msg_header_only(msg, rcv_size, kmsg, mr);
	size = ipc_kmsg_user_size(kmsg);
	size += ipc_kmsg_add_trailer(kmsg, option);
	if (unlikely(ipc_mach_msg_put(msg, kmsg->ikm_header, size) != MACH_MSG_SUCCESS))
		mr = MACH_RCV_INVALID_DATA;	/* the rights are in the space already */
	ipc_kmsg_free(kmsg);
	return mr;
}

/* ------------------------------------------------------------------------
 * The RPC fast path (Documentation/ipc.rst, "The fast path")
 */

/*
 * In ith_fast_bits, kernel-private: the sender used the destination's
 * right up and named the destination in ith_fast_dname (a send right
 * copied or made, a send-once right moved: ipc_mach_msg_send_fast()).
 * IPC_FAST_REPLY_NAMED: with it, the sender made the whole copyout: there
 * is no reply right, or the receiver's space is the sender's own (locked)
 * and the reply's send-once right is named ith_fast_rname there
 * (MACH_PORT_NAME_NULL without one); the message holds no port reference
 * (ith_fast_remote and _local are not set).
 * The rest of ith_fast_bits is the header's bits as the receiver gets
 * them, remote and local swapped (as ipc_kmsg_copyout() leaves a header):
 * the reply's right in the remote bits, the destination's in the local
 * ones, which a receiver whose copyout the sender made writes as they are.
 */
#define IPC_FAST_DEST_NAMED	0x20000000U
#define IPC_FAST_REPLY_NAMED	0x10000000U
#define IPC_FAST_NAMED		(IPC_FAST_DEST_NAMED | IPC_FAST_REPLY_NAMED)

static unsigned long ipc_mach_msg_fast_sends, ipc_mach_msg_fast_named;

unsigned long ipc_mach_msg_fast_count(void)
{
	return __atomic_load_n(&ipc_mach_msg_fast_sends, __ATOMIC_RELAXED);
}

unsigned long ipc_mach_msg_fast_named_count(void)
{
	return __atomic_load_n(&ipc_mach_msg_fast_named, __ATOMIC_RELAXED);
}

/*
 * The fast path's message (the thread's ith_fast_* fields) as a kmsg, for
 * the general copyout (a dead space, a full table, a dead reply port).
 * NULL without memory: its rights are then destroyed.
 */
static ipc_kmsg_t ipc_mach_msg_fast_kmsg(struct thread *self)
{
	ipc_kmsg_t kmsg = ipc_kmsg_alloc(sizeof(mach_msg_header_t));
	ipc_port_t dest = self->ith_fast_remote;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_LOCAL(self->ith_fast_bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_REMOTE(self->ith_fast_bits);
	mach_msg_header_t *h;

	if (self->ith_fast_bits & IPC_FAST_DEST_NAMED) {
		/*
		 * The right the sender used up, back in the message for the
		 * general copyout (which uses it up): a send right is only
		 * counted (no-senders then fires at most as it would have), a
		 * send-once right notifies nothing by its count.
		 */
		ip_lock(dest);
		if (dtype == MACH_MSG_TYPE_PORT_SEND_ONCE)
			dest->ip_sorights++;
		else
			dest->ip_srights++;
		ip_unlock(dest);
	}
	if (unlikely(!kmsg)) {
		ipc_object_destroy(self->ith_fast_remote, dtype);
		ipc_object_destroy(self->ith_fast_local, rtype);
		return IKM_NULL;
	}
	h = kmsg->ikm_header;
	h->msgh_bits = MACH_MSGH_BITS(dtype, rtype);	/* the kernel form, unswapped */
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = self->ith_fast_remote;
	h->msgh_local_port = self->ith_fast_local;
	h->msgh_reserved = 0;
	h->msgh_id = self->ith_fast_id;
	kmsg->ikm_seqno = self->ith_seqno;
	kmsg->ikm_sender = self->ith_fast_sender;
	return kmsg;
}

/*
 * REQUESTED_TRAILER_SIZE(option) as one load: the trailer by the option's
 * element count (GET_RCV_ELEMENTS(), four bits).
 */
#define IPC_TRAILER_SEQNO	sizeof(mach_msg_seqno_trailer_t)
#define IPC_TRAILER_SENDER	sizeof(mach_msg_security_trailer_t)
static const uint8_t ipc_mach_msg_trailer_sizes[16] = {
	[MACH_RCV_TRAILER_NULL] = sizeof(mach_msg_trailer_t),
	[MACH_RCV_TRAILER_SEQNO] = IPC_TRAILER_SEQNO,
	[MACH_RCV_TRAILER_SENDER ... 15] = IPC_TRAILER_SENDER,
};

static inline mach_msg_size_t ipc_mach_msg_trailer_size(mach_msg_option_t option)
{
	return ipc_mach_msg_trailer_sizes[GET_RCV_ELEMENTS(option)];
}

/* The user header and the trailer of the fast path's message, at `to`. */
static __always_inline void ipc_mach_msg_fast_put(void *to, mach_msg_bits_t bits,
						  mach_port_name_t remote, mach_port_name_t local,
						  struct thread *self, mach_msg_size_t tsize)
{
	mach_msg_user_header_t *h = to;
	mach_msg_security_trailer_t *t = (void *)(h + 1);

	h->msgh_bits = bits;
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = remote;
	h->msgh_local_port = local;
	h->msgh_reserved = 0;
	h->msgh_id = self->ith_fast_id;
	/* Only the tsize bytes asked for: the buffer may end there. */
	t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t->msgh_trailer_size = tsize;
	if (tsize >= sizeof(mach_msg_seqno_trailer_t))
		t->msgh_seqno = self->ith_seqno;
	if (tsize >= sizeof(mach_msg_security_trailer_t))
		t->msgh_sender = self->ith_fast_sender;
}

/*
 * A 0 made where it is used. Where a constant 0 meets other values (a
 * return, a choice), GCC uses instead a register it knows to hold 0 on
 * that path (a test's: the fast path's MACH_RCV_TIMEOUT test, its
 * ip_fast_off), and keeps that register live up to there, in the frame
 * across the switch (a store and a load).
 */
static __always_inline unsigned int ipc_mach_msg_fresh_zero(void)
{
	unsigned int zero = 0;

	__asm__("" : "+r"(zero));
	return zero;
}

/*
 * Returned by ipc_mach_msg_fastpath() when it took nothing: the general
 * path runs. Not a Mach code (its system bits are all set).
 */
#define IPC_FAST_DECLINED	((mach_msg_return_t)~0U)

/*
 * MACH_MSG_SUCCESS, for the fast path's returns: see ipc_mach_msg_fresh_zero().
 * Said not to be IPC_FAST_DECLINED, which the zero made opaque would hide:
 * the caller's test for it folds away.
 */
static __always_inline mach_msg_return_t ipc_mach_msg_fast_success(void)
{
	mach_msg_return_t mr = ipc_mach_msg_fresh_zero();

	if (mr == IPC_FAST_DECLINED)
		__builtin_unreachable();
	return mr;
}

/* Where a field of the user header, or of the trailer after it, is. */
#define IPC_UH_OFF(f)	offsetof(mach_msg_user_header_t, f)
#define IPC_UT_OFF(f)	(sizeof(mach_msg_user_header_t) + offsetof(mach_msg_security_trailer_t, f))

/*
 * ipc_mach_msg_fast_put() into user memory: the values stored straight
 * (<kern/copyio.h>'s inline accesses), after one range check. A fault the
 * VM cannot resolve: MACH_RCV_INVALID_DATA, part of it written.
 */
static __always_inline mach_msg_return_t
ipc_mach_msg_fast_put_user(mach_msg_user_header_t __user *u, mach_msg_bits_t bits,
			   mach_port_name_t remote, mach_port_name_t local, struct thread *self,
			   mach_msg_size_t tsize)
{
	if (unlikely((unsigned long)u > VM_MAX_USER_ADDRESS - sizeof(*u) - tsize))
		return MACH_RCV_INVALID_DATA;
	user_access_begin();
	unsafe_put_user_u32(bits, u, IPC_UH_OFF(msgh_bits), fault);
	unsafe_put_user_u32(sizeof(*u), u, IPC_UH_OFF(msgh_size), fault);
	unsafe_put_user_u32(remote, u, IPC_UH_OFF(msgh_remote_port), fault);
	unsafe_put_user_u32(local, u, IPC_UH_OFF(msgh_local_port), fault);
	unsafe_put_user_u32(0, u, IPC_UH_OFF(msgh_reserved), fault);
	unsafe_put_user_u32(self->ith_fast_id, u, IPC_UH_OFF(msgh_id), fault);
	/* Only the tsize bytes asked for: the buffer may end there. */
	unsafe_put_user_u32(MACH_MSG_TRAILER_FORMAT_0, u, IPC_UT_OFF(msgh_trailer_type), fault);
	unsafe_put_user_u32(tsize, u, IPC_UT_OFF(msgh_trailer_size), fault);
	if (tsize >= sizeof(mach_msg_seqno_trailer_t))
		unsafe_put_user_u32(self->ith_seqno, u, IPC_UT_OFF(msgh_seqno), fault);
	if (tsize >= sizeof(mach_msg_security_trailer_t)) {
		unsafe_put_user_u32(self->ith_fast_sender.val[0], u, IPC_UT_OFF(msgh_sender.val[0]),
				    fault);
		unsafe_put_user_u32(self->ith_fast_sender.val[1], u, IPC_UT_OFF(msgh_sender.val[1]),
				    fault);
	}
	user_access_end();
	return ipc_mach_msg_fast_success();
fault:
	user_access_end();
	return MACH_RCV_INVALID_DATA;	/* the rights are in the space already */
}

/*
 * The words of a user header the fast path reads (not the size nor the
 * reserved word), loaded straight into uh (<kern/copyio.h>'s inline
 * accesses) after one range check. The first and the last word are among
 * them: a fault anywhere in the 24 bytes is seen. False on a fault the VM
 * cannot resolve (MACH_SEND_INVALID_DATA): nothing is taken.
 */
static __always_inline bool ipc_mach_msg_fast_get_user(const mach_msg_user_header_t __user *u,
						       mach_msg_user_header_t *uh)
{
	/* No wrap to test: the constant is subtracted, not added. */
	if (unlikely((unsigned long)u > VM_MAX_USER_ADDRESS - sizeof(*u)))
		return false;
	user_access_begin();
	unsafe_get_user_u32(uh->msgh_bits, u, IPC_UH_OFF(msgh_bits), fault);
	unsafe_get_user_u32(uh->msgh_remote_port, u, IPC_UH_OFF(msgh_remote_port), fault);
	unsafe_get_user_u32(uh->msgh_local_port, u, IPC_UH_OFF(msgh_local_port), fault);
	unsafe_get_user_u32(uh->msgh_id, u, IPC_UH_OFF(msgh_id), fault);
	user_access_end();
	return true;
fault:
	user_access_end();
	return false;
}

/*
 * ith_user_buffer, for the general code (ipc_mach_msg_get() and _put(),
 * out-of-line memory and port arrays): a user call sets it only around
 * its ways into that code, so that the fast path's common case, which
 * knows `user` at compile time, stores nothing. Outside them it is
 * clear. user: a constant, or the flag itself (ipc_mach_msg_received(),
 * inside such a way: its early clear is harmless, every caller up to the
 * way's own end returns at once).
 */
static __always_inline void ipc_mach_msg_user_begin(struct thread *self, bool user)
{
	if (user)
		self->ith_user_buffer = true;
}

static __always_inline mach_msg_return_t ipc_mach_msg_user_end(struct thread *self, bool user,
							       mach_msg_return_t mr)
{
	if (user)
		self->ith_user_buffer = false;
	return mr;
}

/* The fast path's message into the receiver's buffer, user or kernel memory. */
static __always_inline mach_msg_return_t ipc_mach_msg_fast_write(mach_msg_header_t *msg,
								 mach_msg_bits_t bits,
								 mach_port_name_t remote,
								 mach_port_name_t local,
								 struct thread *self,
								 mach_msg_size_t tsize, bool user)
{
	if (!user) {
		/* A kernel buffer: written in place. */
		ipc_mach_msg_kernel_buffer(msg);
		ipc_mach_msg_fast_put(msg, bits, remote, local, self, tsize);
		return ipc_mach_msg_fast_success();
	}
	return ipc_mach_msg_fast_put_user((mach_msg_user_header_t __user __force *)msg, bits,
					  remote, local, self, tsize);
}

/*
 * A message whose reply right the sender named in our space, which died
 * before we could deliver it: the header alone, as ipc_kmsg_copyout_dest()
 * leaves it, and MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE. ubits: as
 * the receiver gets them (ith_fast_bits).
 */
static __noinline mach_msg_return_t ipc_mach_msg_fast_dead_space(mach_msg_header_t *msg,
								 mach_msg_size_t rcv_size,
								 struct thread *self,
								 mach_msg_bits_t ubits)
{
	mach_msg_user_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(0, MACH_MSGH_BITS_LOCAL(ubits)),
		.msgh_size = sizeof(h),
		.msgh_remote_port = MACH_PORT_NAME_NULL,
		.msgh_local_port = MACH_PORT_NAME_DEAD,
		.msgh_id = self->ith_fast_id,
	};
	mach_msg_return_t mr = MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE;

	if (rcv_size >= sizeof(h) && ipc_mach_msg_put(msg, &h, sizeof(h)) != MACH_MSG_SUCCESS)
		mr = MACH_RCV_INVALID_DATA;
	return mr;
}

/*
 * The receive half: the message the sender left in our thread, copied out
 * into `space` under one hold of its lock (the reply's send-once right
 * gets a fresh name, the destination right is used up and named) and
 * written with its trailer. Anything unusual goes the general way.
 * user: msg is user memory (known to the caller: ith_user_buffer is set
 * only for the general code, ipc_mach_msg_user_begin()). The
 * option and the receive's size are the wait's (ith_option, ith_max_size),
 * read where used: most receives need neither size nor most of the option.
 */
static __always_inline mach_msg_return_t ipc_mach_msg_receive_fast(ipc_space_t space,
								   struct thread *self,
								   mach_msg_header_t *msg,
								   bool user)
{
	ipc_port_t dest, reply;
	mach_msg_bits_t bits = self->ith_fast_bits;
	mach_port_name_t dname, rname = MACH_PORT_NAME_NULL;	/* no reply right */
	ipc_entry_t entry;
	ipc_kmsg_t kmsg;

	if (likely(bits & IPC_FAST_REPLY_NAMED)) {
		/* The sender made the copyout: only the buffer is left. */
		bits &= ~IPC_FAST_NAMED;
		dname = self->ith_fast_dname;
		rname = self->ith_fast_rname;
		if (likely(READ_ONCE(space->is_active)))
			goto put;
		/*
		 * The space died since (its destruction took the rights named
		 * here, the reply's with its send-once notification): what
		 * the general copyout gives a dead space, the destination
		 * dead and, with a reply right, MACH_RCV_HEADER_ERROR and the
		 * header alone.
		 */
		dname = MACH_PORT_NAME_DEAD;
		if (!MACH_MSGH_BITS_REMOTE(bits))	/* no reply right */
			goto put;
		ipc_mach_msg_user_begin(self, user);
		return ipc_mach_msg_user_end(self, user,
					     ipc_mach_msg_fast_dead_space(msg, self->ith_max_size,
									  self, bits));
	}
	dest = self->ith_fast_remote;
	reply = self->ith_fast_local;
	is_lock(space);
	if (unlikely(!space->is_active))
		goto general;
	if (reply) {
		/* A send-once right: always a name of its own. */
		if (unlikely(ipc_entry_get(space, &rname, &entry) != KERN_SUCCESS))
			goto general;
		ip_lock_nested(reply);
		if (unlikely(!ip_active(reply))) {
			ip_unlock_nested(reply);
			ipc_entry_dealloc(space, rname, entry);
			goto general;
		}
		entry->ie_object = &reply->ip_object;
		entry->ie_bits |= MACH_PORT_TYPE_SEND_ONCE | 1;
		ip_unlock_nested(reply);
	}
	is_unlock(space);
	if (likely(bits & IPC_FAST_DEST_NAMED)) {
		/* Named by the sender, its right used up: only the message's reference. */
		dname = self->ith_fast_dname;
		bits &= ~IPC_FAST_DEST_NAMED;
		ipc_port_release(dest);
	} else {
		/* The destination: named as we receive it, its right used up. */
		dname = ipc_kmsg_copyout_dest_name(space, dest, MACH_MSGH_BITS_LOCAL(bits));
	}
put:
	/* Most receives ask for no trailer element: its size a constant to write. */
	if (likely(!GET_RCV_ELEMENTS(self->ith_option)))
		return ipc_mach_msg_fast_write(msg, bits, rname, dname, self,
					       sizeof(mach_msg_trailer_t), user);
	return ipc_mach_msg_fast_write(msg, bits, rname, dname, self,
				       ipc_mach_msg_trailer_size(self->ith_option), user);

general:
	is_unlock(space);
	kmsg = ipc_mach_msg_fast_kmsg(self);
	if (unlikely(!kmsg))
		return MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_KERNEL;
	ipc_mach_msg_user_begin(self, user);
	return ipc_mach_msg_user_end(self, user,
				     ipc_mach_msg_deliver(space, msg, self->ith_option,
							  self->ith_max_size, kmsg));
}

/*
 * The reply's send-once right (of `port`, a receive right of `space`),
 * named in `space` (locked, active, with a free entry) for a receiver of
 * that space: the receiver's copyout, made by the sender. The caller
 * counts the right and references the port for the entry.
 */
static inline mach_port_name_t ipc_mach_msg_fast_name_reply(ipc_space_t space, ipc_port_t port)
{
	mach_port_name_t name;
	ipc_entry_t entry;

	if (ipc_entry_get(space, &name, &entry) != KERN_SUCCESS)
		__builtin_unreachable();	/* the caller saw is_free */
	entry->ie_object = &port->ip_object;
	entry->ie_bits |= MACH_PORT_TYPE_SEND_ONCE | 1;
	return name;
}

/*
 * The right a destination disposition takes on the fast path, by
 * disposition (MACH_MSG_TYPE_*, five bits): 0, the general path's.
 */
static const uint32_t ipc_mach_msg_fast_dest_types[32] = {
	[MACH_MSG_TYPE_MAKE_SEND] = MACH_PORT_TYPE_RECEIVE,
	[MACH_MSG_TYPE_MAKE_SEND_ONCE] = MACH_PORT_TYPE_RECEIVE,
	[MACH_MSG_TYPE_COPY_SEND] = MACH_PORT_TYPE_SEND,
	[MACH_MSG_TYPE_MOVE_SEND_ONCE] = MACH_PORT_TYPE_SEND_ONCE,
};

/*
 * The right the receiver gets for the destination, by the fast path's
 * dispositions (one load instead of two compares), where the receiver's
 * header has it: its local bits.
 */
#define IPC_FAST_DEST_GOT(type)	MACH_MSGH_BITS(0, MACH_MSG_TYPE_ ## type)
static const uint16_t ipc_mach_msg_fast_dest_bits[32] = {
	[MACH_MSG_TYPE_MAKE_SEND] = IPC_FAST_DEST_GOT(PORT_SEND),
	[MACH_MSG_TYPE_MAKE_SEND_ONCE] = IPC_FAST_DEST_GOT(PORT_SEND_ONCE),
	[MACH_MSG_TYPE_COPY_SEND] = IPC_FAST_DEST_GOT(PORT_SEND),
	[MACH_MSG_TYPE_MOVE_SEND_ONCE] = IPC_FAST_DEST_GOT(PORT_SEND_ONCE),
};

static mach_msg_return_t ipc_mach_msg_received(ipc_space_t space, mach_msg_header_t *msg,
					       mach_msg_option_t option,
					       mach_msg_size_t rcv_size, mach_msg_return_t mr,
					       ipc_kmsg_t kmsg, mach_msg_size_t size);

/*
 * A receive's reference to the object it received from, after the
 * receive: a fast sender that served it (IKM_FAST) took it over
 * (ipc_mach_msg_fast_rights()).
 */
static inline void ipc_mach_msg_waited_release(ipc_object_t object, ipc_kmsg_t kmsg)
{
	if (kmsg != IKM_FAST)
		ipc_object_release(object);
}

/*
 * object: what the send's copyin found for rcv_name (referenced), or IO_NULL;
 * locked: it is a port in no set, locked with ip_lock() (the fast path's
 * receive that could not wait inline).
 */
static __noinline mach_msg_return_t ipc_mach_msg_receive(ipc_space_t space,
							 mach_msg_header_t *msg,
							 mach_msg_option_t option,
							 mach_msg_size_t rcv_size,
							 mach_port_name_t rcv_name,
							 mach_msg_timeout_t timeout,
							 struct thread *handoff,
							 ipc_object_t object, bool locked)
{
	mach_msg_size_t size;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	ipc_kmsg_t kmsg;

	current_thread()->ith_space = space;	/* for a fast sender (ith_fast_rname) */
	if (!object)
		mr = ipc_mach_msg_rcv_object(space, rcv_name, &object);
	if (unlikely(mr != MACH_MSG_SUCCESS)) {
		if (handoff)
			thread_setrun_claimed(handoff);
		return mr;
	}
	if (locked)
		mr = ipc_mqueue_receive_port_locked((ipc_port_t)object, option, rcv_size, timeout,
						    handoff, &kmsg, &size);
	else
		mr = ipc_mqueue_receive_handoff(object, option, rcv_size, timeout, handoff, true,
						&kmsg, &size);
	ipc_mach_msg_waited_release(object, kmsg);
	return ipc_mach_msg_received(space, msg, option, rcv_size, mr, kmsg, size);
}

/* What the receive returned (mr, kmsg, size): to the caller's buffer. */
static mach_msg_return_t ipc_mach_msg_received(ipc_space_t space, mach_msg_header_t *msg,
					       mach_msg_option_t option,
					       mach_msg_size_t rcv_size, mach_msg_return_t mr,
					       ipc_kmsg_t kmsg, mach_msg_size_t size)
{
	struct thread *self = current_thread();

	/* Served by a fast sender while we waited: option and rcv_size are the wait's. */
	if (likely(kmsg == IKM_FAST))
		return ipc_mach_msg_receive_fast(space, self, msg, self->ith_user_buffer);
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
	return ipc_mach_msg_deliver(space, msg, option, rcv_size, kmsg);

header_only:
	return ipc_mach_msg_header_only(msg, rcv_size, kmsg, mr);
}

/*
 * The fast path's inline wait ended some other way than by a fast
 * sender (a kmsg, the port's death, an interrupt, a wakeup for nothing):
 * as ipc_mqueue_receive_port_locked() ends a wait. port: referenced.
 */
static __noinline mach_msg_return_t ipc_mach_msg_fast_waited(ipc_space_t space,
							     mach_msg_header_t *msg,
							     mach_msg_option_t option,
							     mach_msg_size_t rcv_size,
							     ipc_port_t port, wait_result_t wr)
{
	mach_msg_return_t mr;
	mach_msg_size_t size;
	ipc_kmsg_t kmsg;

	mr = ipc_mqueue_port_waited(port, option, rcv_size, wr, &kmsg, &size);
	ipc_mach_msg_waited_release(&port->ip_object, kmsg);
	return ipc_mach_msg_received(space, msg, option, rcv_size, mr, kmsg, size);
}

/*
 * The rights of a committed fast send (dport locked; t, its first
 * receiver, served below): taken in the order of ipc_right_copyin(). The
 * destination's right is used up here at once, as the receiver's copyout
 * would use it up, and the destination named for it: t waits on the port
 * itself, so the port is in t's space under ip_receiver_name (a receive
 * right that leaves a space takes its waiting receivers off first). A
 * copied send right leaves our own counted (srights stays above 0); a
 * made one counts as made and used up, which is due a no-senders only
 * when no send right exists and one is requested: that one goes to the
 * receiver counted, whose copyout fires it (ipc_kmsg_copyout_dest_name()).
 * A message without a reply right has its whole copyout made here, for a
 * receiver of any space; one with a reply right when t is of our own
 * (locked) space: the reply's send-once right named now (its count and
 * reference, made by the caller, are the entry's). t then only writes its
 * buffer. Returns the ith_fast_bits for t.
 */
static __always_inline mach_msg_bits_t ipc_mach_msg_fast_rights(ipc_space_t space,
								struct thread *t,
								ipc_port_t dport,
								mach_msg_type_name_t dt,
								ipc_port_t rport)
{
	/* The bits t gets (ith_fast_bits). */
	mach_msg_bits_t fbits = ipc_mach_msg_fast_dest_bits[dt] |
				(rport ? MACH_MSG_TYPE_PORT_SEND_ONCE : 0);

	if (dt == MACH_MSG_TYPE_MAKE_SEND)
		dport->ip_mscount++;
	if (unlikely(dt == MACH_MSG_TYPE_MAKE_SEND && !dport->ip_srights &&
		     dport->ip_nsrequest)) {
		dport->ip_srights++;
	} else {
		if (dt == MACH_MSG_TYPE_MOVE_SEND_ONCE)
			dport->ip_sorights--;
		t->ith_fast_dname = dport->ip_receiver_name;
		fbits |= IPC_FAST_DEST_NAMED;
		/*
		 * Without a reply right the destination's name is the whole
		 * copyout, in any space; a reply right is named only in
		 * ours, which we hold locked.
		 */
		if (!rport || (t->ith_space == space && space->is_free)) {
			fbits |= IPC_FAST_REPLY_NAMED;
			t->ith_fast_rname = rport ? ipc_mach_msg_fast_name_reply(space, rport)
						  : MACH_PORT_NAME_NULL;
		}
	}
	/*
	 * t holds a reference to dport, the port it waits on (every receiver
	 * the fast way may serve does: ipc_mqueue_fast_receiver()), which
	 * its serving sender takes over: t does not drop it after its wait.
	 * It is the message's when t uses the port (ith_fast_remote), with
	 * the moved send-once right's dropped; otherwise both go. Never the
	 * last: dport is locked and active, and its receive right holds one.
	 */
	if (likely(fbits & IPC_FAST_REPLY_NAMED)) {
		ip_release_nonlast_n(dport, dt == MACH_MSG_TYPE_MOVE_SEND_ONCE ? 2 : 1);
	} else {
		if (dt == MACH_MSG_TYPE_MOVE_SEND_ONCE)
			ip_release_nonlast(dport);
		t->ith_fast_remote = dport;
		t->ith_fast_local = rport;
	}
	return fbits;
}

/*
 * The fast path's send done, its receive the general way: the option
 * and size are self's (ipc_mach_msg_fastpath()), the timeout the
 * option's.
 */
static __always_inline mach_msg_return_t
ipc_mach_msg_fast_receive_general(ipc_space_t space, struct thread *self, mach_msg_header_t *msg,
				  mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				  struct thread *handoff, ipc_object_t rcv, bool locked, bool user)
{
	mach_msg_option_t option = self->ith_option;

	ipc_mach_msg_user_begin(self, user);
	return ipc_mach_msg_user_end(self, user,
		ipc_mach_msg_receive(space, msg, option, self->ith_max_size, rcv_name,
				     option & MACH_RCV_TIMEOUT ? timeout : ipc_mach_msg_fresh_zero(),
				     handoff, rcv, locked));
}

/*
 * The RPC fast path (Documentation/ipc.rst, "The fast path"), in the
 * manner of seL4's fastpath_call: one function from the header to the
 * switch and back, for the RPC's common case, a header-only send+receive
 * whose destination has a receiver waiting on the port itself (in no
 * set, not a kernel object, queue not full), destination COPY_SEND,
 * MAKE_SEND or MOVE_SEND_ONCE, reply none or MAKE_SEND_ONCE. Every
 * precondition of the send is checked before anything is taken
 * (IPC_FAST_DECLINED: nothing was). Then, under one hold of the space's
 * lock: the rights are taken, the header goes straight into the receiver
 * (no kmsg), its wait ends, claimed for the handoff, and, when the receive
 * is on a port in no set with nothing queued, we wait there and give the
 * CPU to the receiver. The path holds one preemption count for all of
 * it, its locks nested: the claim's when it claims. A receive with a
 * timeout waits the general way; one without room for the fast message
 * (a header and the largest trailer) goes the general way in full.
 * The option and the receive's size are self's ith_option and
 * ith_max_size, written by the caller (they are the wait's fields): read
 * back from there where needed, they are kept in no register or frame
 * slot, and the wait does not write them again. bits: the header's
 * msgh_bits, a constant for the common RPC headers
 * (ipc_mach_msg_fastpath()); reply_rcv: a constant true when the caller
 * saw the reply port named as the receive's (a request's common case).
 */
static __always_inline mach_msg_return_t ipc_mach_msg_fastpath_bits(ipc_space_t space,
								    struct thread *self,
								    const mach_msg_user_header_t *uh,
								    mach_msg_header_t *msg,
								    mach_msg_size_t rcv_size,
								    mach_port_name_t rcv_name,
								    mach_msg_timeout_t timeout,
								    bool user, mach_msg_bits_t bits,
								    bool reply_rcv)
{
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(bits), rt = MACH_MSGH_BITS_LOCAL(bits);
	mach_port_name_t dname = uh->msgh_remote_port, lname = uh->msgh_local_port;
	ipc_entry_t dentry, oentry, rentry;
	ipc_port_t dport, rport = IP_NULL, port;
	struct thread *t, *handoff = NULL;
	struct cpu_data *cd;
	ipc_object_t rcv;
	wait_result_t wr;

	if (unlikely(bits & ~MACH_MSGH_BITS_PORTS_MASK) ||
	    (rt ? rt != MACH_MSG_TYPE_MAKE_SEND_ONCE : lname != MACH_PORT_NAME_NULL) ||
	    rcv_size < IPC_MQUEUE_FAST_ROOM)
		return IPC_FAST_DECLINED;
	self->preempt_count++;	/* the path's one count */
	barrier();
	is_lock_nested(space);
	if (unlikely(!space->is_active))
		goto decline;
	dentry = ipc_entry_lookup_type(space, dname, ipc_mach_msg_fast_dest_types[dt]);
	/* Moving a send-once right frees the name: not with a dead-name request to cancel. */
	if (!dentry || (dt == MACH_MSG_TYPE_MOVE_SEND_ONCE && dentry->ie_request))
		goto decline;
	oentry = ipc_entry_lookup_type(space, rcv_name,
				       MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET);
	if (!oentry)
		goto decline;
	if (rt) {
		/* The receive is most often on the reply port. */
		rentry = reply_rcv || lname == rcv_name ? oentry
					   : ipc_entry_lookup_type(space, lname, MACH_PORT_TYPE_RECEIVE);
		if (!rentry || !(rentry->ie_bits & MACH_PORT_TYPE_RECEIVE))
			goto decline;
		rport = (ipc_port_t)rentry->ie_object;
		/*
		 * A receive right's entry always has its port: no test of
		 * rport below (a test kernel checks it).
		 */
		if (IS_ENABLED(CONFIG_KTEST))
			assert(rport);
		if (!rport)
			__builtin_unreachable();
	}

	dport = (ipc_port_t)dentry->ie_object;
	ip_lock_nested(dport);
	/* A test kernel checks the one field against the three it stands for. */
	if (IS_ENABLED(CONFIG_KTEST))
		assert(ipc_port_fast_off_exact(dport));
	if (unlikely(dport->ip_fast_off) ||
	    (dport->ip_msgcount >= dport->ip_qlimit && dt != MACH_MSG_TYPE_MOVE_SEND_ONCE &&
	     !(self->ith_option & MACH_SEND_ALWAYS)))
		goto decline_port;
	t = ipc_mqueue_fast_receiver(&dport->ip_messages);
	if (!t)
		goto decline_port;

	/* Committed. */
	t->ith_fast_bits = ipc_mach_msg_fast_rights(space, t, dport, dt, rport);
	t->ith_fast_id = uh->msgh_id;
	t->ith_fast_sender = task_security_token(self->task);
	ipc_mqueue_fast_serve(&dport->ip_messages, dport->ip_seqno++, t);
	/* Our count becomes the claim's; a claim the slow way brings its own. */
	cd = cpu_this();	/* ours until the switch: we hold a count throughout */
	if (likely(thread_claim_parked_on(t, THREAD_AWAKENED, (int)cd->id)))
		handoff = t;
	else if (clear_wait_claim_slow(t, THREAD_AWAKENED) == KERN_SUCCESS)
		handoff = t, self->preempt_count--;
	if (IS_ENABLED(CONFIG_KTEST)) {
		__atomic_add_fetch(&ipc_mach_msg_fast_sends, 1, __ATOMIC_RELAXED);
		if (t->ith_fast_bits & IPC_FAST_REPLY_NAMED)
			__atomic_add_fetch(&ipc_mach_msg_fast_named, 1, __ATOMIC_RELAXED);
	}
	ip_unlock_nested(dport);
	if (dt == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		ipc_entry_dealloc(space, dname, dentry);

	/* Our own receive rights, in our locked space: active. */
	rcv = oentry->ie_object;
	io_reference(rcv);
	if (rport && !reply_rcv && &rport->ip_object != rcv) {
		ip_lock_nested(rport);
		rport->ip_sorights++;
		ip_reference(rport);
		ip_unlock_nested(rport);
	}
	if (unlikely(oentry->ie_bits & MACH_PORT_TYPE_PORT_SET)) {
		is_unlock_nested(space);
		if (!handoff)
			preempt_enable();
		return ipc_mach_msg_fast_receive_general(space, self, msg, rcv_name, timeout,
							 handoff, rcv, false, user);
	}
	port = (ipc_port_t)rcv;
	ip_lock_nested(port);
	is_unlock_nested(space);
	/* rport and reply_rcv tested first: constants in the RPC headers' copies. */
	if (rport && (reply_rcv || rport == port)) {
		port->ip_sorights++;
		ip_reference(port);
	}
	/*
	 * A TH_ABORT (we are being terminated) needs no look here: the
	 * declare's look after its or ends the wait at once, and we come back
	 * interrupted, as the general receive's wait would.
	 */
	/* The option read for its one bit (tested in memory): no copy kept. */
	if (unlikely(!handoff || port->ip_pset || port->ip_messages.imq_messages.ikmq_base ||
		     (READ_ONCE(self->ith_option) & MACH_RCV_TIMEOUT))) {
		/* Our count is the port lock's (ip_lock()); a claim needs its own. */
		if (handoff)
			self->preempt_count++;
		return ipc_mach_msg_fast_receive_general(space, self, msg, rcv_name, timeout,
							 handoff, rcv, true, user);
	}

	/* The receive: wait on the port, give the CPU to the receiver. */
	self->ith_space = space;	/* port locked: before any sender sees us */
	/* ith_option and ith_max_size are the entry's; rcv_size has the room. */
	ipc_mqueue_rcv_enqueue(&port->ip_messages, self, true);
	thread_park_declare(self, &self->ith_state);
	ip_unlock_nested(port);
	wr = thread_park_switch_on(self, handoff, cd, user);	/* in our frame */
	if (unlikely(__atomic_load_n(&self->ith_state, __ATOMIC_ACQUIRE) !=
		     IPC_MQUEUE_SERVED_FAST)) {
		ipc_mach_msg_user_begin(self, user);
		return ipc_mach_msg_user_end(self, user,
			ipc_mach_msg_fast_waited(space, msg, self->ith_option, self->ith_max_size,
						 port, wr));
	}
	/* Our reference to port went with the sender that served us. */
	return ipc_mach_msg_receive_fast(space, self, msg, user);

decline_port:
	ip_unlock_nested(dport);
decline:
	is_unlock_nested(space);
	preempt_enable();
	return IPC_FAST_DECLINED;
}

/* The headers of an RPC: MIG's request (COPY_SEND), a request that makes the right, a reply. */
#define IPC_FAST_BITS_REQUEST		MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, \
						       MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define IPC_FAST_BITS_REQUEST_MAKE	MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, \
						       MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define IPC_FAST_BITS_REPLY		MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0)

/*
 * ipc_mach_msg_fastpath_bits() with the header's bits as a constant for
 * the three headers an RPC sends, each its own copy of the path: the
 * compiler drops every test of a disposition and of the reply right (a
 * reply has none: no lookup, lock or count of it) and keeps fewer values
 * live across the switch; a request's copies are for a reply port that is
 * also the receive's (reply_rcv: its one entry, its one lock). Any other
 * header, and a request that receives elsewhere, takes the copy that
 * reads them. 564 guest instructions a null RPC instead of 671 (x86_64;
 * Documentation/ipc.rst, "The fast path"), for about 12 KiB of text: the
 * copies are made for the two entries that RPCs take, ipc_mach_msg() and
 * the trap's; `copies` false (ipc_mach_msg_user(): the overwrite trap,
 * the notify options) keeps only the one that reads the bits.
 */
static __always_inline mach_msg_return_t ipc_mach_msg_fastpath(ipc_space_t space,
							       struct thread *self,
							       const mach_msg_user_header_t *uh,
							       mach_msg_header_t *msg,
							       mach_msg_size_t rcv_size,
							       mach_port_name_t rcv_name,
							       mach_msg_timeout_t timeout, bool user,
							       bool copies)
{
	mach_msg_bits_t bits = uh->msgh_bits;

	if (!copies)
		return ipc_mach_msg_fastpath_bits(space, self, uh, msg, rcv_size, rcv_name,
						  timeout, user, bits, false);
	if (bits == IPC_FAST_BITS_REPLY)
		return ipc_mach_msg_fastpath_bits(space, self, uh, msg, rcv_size, rcv_name,
						  timeout, user, IPC_FAST_BITS_REPLY, false);
	if (uh->msgh_local_port == rcv_name) {
		if (bits == IPC_FAST_BITS_REQUEST_MAKE)
			return ipc_mach_msg_fastpath_bits(space, self, uh, msg, rcv_size, rcv_name,
							  timeout, user, IPC_FAST_BITS_REQUEST_MAKE,
							  true);
		if (bits == IPC_FAST_BITS_REQUEST)
			return ipc_mach_msg_fastpath_bits(space, self, uh, msg, rcv_size, rcv_name,
							  timeout, user, IPC_FAST_BITS_REQUEST, true);
	}
	return ipc_mach_msg_fastpath_bits(space, self, uh, msg, rcv_size, rcv_name, timeout,
					  user, bits, false);
}

/* Everything but the fast path's case, out of its way. */
static __noinline mach_msg_return_t ipc_mach_msg_general(ipc_space_t space,
							 mach_msg_header_t *msg,
							 mach_msg_option_t option,
							 mach_msg_size_t send_size,
							 mach_msg_size_t rcv_size,
							 mach_port_name_t rcv_name,
							 mach_msg_timeout_t timeout)
{
	struct thread *receiver = NULL;
	ipc_object_t rcv_object = IO_NULL;
	mach_msg_return_t mr;

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
					    rcv_object, false);
	return MACH_MSG_SUCCESS;
}

/*
 * The entry of both ipc_mach_msg() and ipc_mach_msg_user(), the fast
 * path inline in each, specialised for a kernel or a user buffer. self:
 * current_thread(), read once by the caller (the read is volatile).
 * copies: the fast path's copies for the RPC headers (ipc_mach_msg_fastpath()).
 */
static __always_inline mach_msg_return_t ipc_mach_msg_entry(ipc_space_t space,
							    struct thread *self,
							    mach_msg_header_t *msg,
							    mach_msg_option_t option,
							    mach_msg_size_t send_size,
							    mach_msg_size_t rcv_size,
							    mach_port_name_t rcv_name,
							    mach_msg_timeout_t timeout, bool user,
							    bool copies)
{
	mach_msg_return_t mr;

	/* The fast path's case first: one test of the options and the size. */
	if (likely((option & (MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_NOTIFY |
			      MACH_RCV_NOTIFY)) == (MACH_SEND_MSG | MACH_RCV_MSG) &&
		   send_size == sizeof(mach_msg_user_header_t))) {
		const mach_msg_user_header_t *uhp = (const mach_msg_user_header_t *)msg;
		mach_msg_user_header_t uh;

		/* The wait's fields, at once (ipc_mach_msg_fastpath()). */
		self->ith_option = option;
		self->ith_max_size = rcv_size;
		if (user) {
			/* Read once: the send uses these words only. */
			if (unlikely(!ipc_mach_msg_fast_get_user(
					(const mach_msg_user_header_t __user __force *)msg, &uh)))
				return MACH_SEND_INVALID_DATA;
			uhp = &uh;
		}
		mr = ipc_mach_msg_fastpath(space, self, uhp, msg, rcv_size, rcv_name, timeout,
					   user, copies);
		if (likely(mr != IPC_FAST_DECLINED))
			return mr;
		/*
		 * The header's size (send_size is not held across the fast
		 * path), the option and the receive's size self's.
		 */
		option = self->ith_option;
		send_size = sizeof(mach_msg_user_header_t);
		rcv_size = self->ith_max_size;
	}
	ipc_mach_msg_user_begin(self, user);
	return ipc_mach_msg_user_end(self, user,
				     ipc_mach_msg_general(space, msg, option, send_size, rcv_size,
							  rcv_name, timeout));
}

mach_msg_return_t ipc_mach_msg(ipc_space_t space, mach_msg_header_t *msg,
			       mach_msg_option_t option, mach_msg_size_t send_size,
			       mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
			       mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	(void)notify;
	return ipc_mach_msg_entry(space, current_thread(), msg, option, send_size, rcv_size,
				  rcv_name, timeout, false, true);
}

/* ipc_mach_msg_entry() on a user buffer. */
static __always_inline mach_msg_return_t ipc_mach_msg_user_entry(ipc_space_t space,
								 struct thread *self,
								 mach_msg_header_t __user *msg,
								 mach_msg_option_t option,
								 mach_msg_size_t send_size,
								 mach_msg_size_t rcv_size,
								 mach_port_name_t rcv_name,
								 mach_msg_timeout_t timeout,
								 bool copies)
{
	return ipc_mach_msg_entry(space, self, (mach_msg_header_t __force *)msg, option, send_size,
				  rcv_size, rcv_name, timeout, true, copies);
}

mach_msg_return_t ipc_mach_msg_user(ipc_space_t space, mach_msg_header_t __user *msg,
				    mach_msg_option_t option, mach_msg_size_t send_size,
				    mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				    mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	(void)notify;
	return ipc_mach_msg_user_entry(space, current_thread(), msg, option, send_size,
				       rcv_size, rcv_name, timeout, false);
}

long ipc_mach_msg_trap(mach_msg_header_t __user *msg, mach_msg_option_t option,
		       mach_msg_size_t send_size, mach_msg_size_t rcv_size,
		       mach_port_name_t rcv_name, mach_msg_timeout_t timeout)
{
	struct thread *self = current_thread();
	ipc_space_t space = self->task->itk_space;

	/*
	 * A trap comes from user mode: self is a thread of a user task, whose
	 * space is made before its first thread and kept until the task is
	 * freed (trap_current_space()'s test for a kernel thread is not
	 * needed here). A test kernel checks it.
	 */
	if (IS_ENABLED(CONFIG_KTEST))
		assert(self->task != kernel_task && space);
	return ipc_mach_msg_user_entry(space, self, msg, option, send_size, rcv_size, rcv_name,
				       timeout, true);
}

/*
 * The trap table's entry for mach_msg_trap (kernel/trap_mach.c): this
 * function itself under the table's type, so that entry.S calls it with
 * the trap's registers and nothing in between. Both ABIs pass a 32-bit
 * parameter in the low half of its 64-bit register, the high half
 * unspecified, which is what ipc_mach_msg_trap() reads; a C wrapper that
 * narrowed the six registers cost a test and a jump a call (or, inlined,
 * GCC's zero-extending copies of them): 6 guest instructions a round trip.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattribute-alias"
mach_trap_fn_t mach_msg_trap __attribute__((alias("ipc_mach_msg_trap")));
#pragma GCC diagnostic pop

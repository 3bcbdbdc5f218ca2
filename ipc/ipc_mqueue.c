// SPDX-License-Identifier: MIT
/*
 * Message queues (ipc_mqueue.h): sending to a port, receiving from a
 * port or a port set, waiting receivers and blocked senders.
 *
 * A receiver that finds nothing queued puts itself on the waiting list
 * of the port or set (FIFO), declares a wait on its own ith_state and
 * blocks. A sender that finds a waiting receiver takes it off the list,
 * hands it the message (ith_kmsg, ith_state, the sequence number) and
 * ends its wait, all under the message lock: so the receiver, which
 * re-takes that lock when it wakes, always sees either "served" or
 * "still on the list" (timed out, interrupted) and never a half state.
 *
 * The RPC handoff: a sender that will receive next (ipc_mqueue_send_handoff
 * with receiverp) ends the served receiver's wait with clear_wait_claim():
 * the receiver goes on no run queue, and the sender's receive gives it
 * the CPU straight away (thread_handoff_claimed()) once it has queued
 * itself as a waiter, or puts it on a run queue (thread_setrun_claimed())
 * if it does not wait after all.
 */
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <kern/timer.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>

/* ------------------------------------------------------------------------
 * Queues of kmsgs: circular, doubly linked.
 */

static inline bool ikmq_empty(const struct ipc_kmsg_queue *q)
{
	return q->ikmq_base == IKM_NULL;
}

static void ikmq_enqueue(struct ipc_kmsg_queue *q, ipc_kmsg_t kmsg)
{
	ipc_kmsg_t first = q->ikmq_base;

	if (!first) {
		kmsg->ikm_next = kmsg->ikm_prev = kmsg;
		q->ikmq_base = kmsg;
	} else {
		kmsg->ikm_next = first;
		kmsg->ikm_prev = first->ikm_prev;
		first->ikm_prev->ikm_next = kmsg;
		first->ikm_prev = kmsg;
	}
}

static void ikmq_remove(struct ipc_kmsg_queue *q, ipc_kmsg_t kmsg)
{
	if (kmsg->ikm_next == kmsg) {
		q->ikmq_base = IKM_NULL;
	} else {
		kmsg->ikm_next->ikm_prev = kmsg->ikm_prev;
		kmsg->ikm_prev->ikm_next = kmsg->ikm_next;
		if (q->ikmq_base == kmsg)
			q->ikmq_base = kmsg->ikm_next;
	}
	kmsg->ikm_next = kmsg->ikm_prev = IKM_NULL;
}

static inline ipc_port_t ikm_dest(ipc_kmsg_t kmsg)
{
	return (ipc_port_t)kmsg->ikm_header->msgh_remote_port;
}

/* The first message of `q` sent to `port` (a set's queue holds several ports'). */
static ipc_kmsg_t ikmq_first_for(struct ipc_kmsg_queue *q, ipc_port_t port)
{
	ipc_kmsg_t kmsg = q->ikmq_base;

	if (!kmsg)
		return IKM_NULL;
	do {
		if (ikm_dest(kmsg) == port)
			return kmsg;
		kmsg = kmsg->ikm_next;
	} while (kmsg != q->ikmq_base);
	return IKM_NULL;
}

/* ------------------------------------------------------------------------
 * Waiting receivers
 */

static inline void imq_rcv_remove(struct ipc_mqueue *mq, struct thread *t)
{
	ipc_mqueue_rcv_remove(mq, t);
}

/* End a waiting receiver's wait with `mr` (message lock held). */
static void imq_rcv_serve(struct ipc_mqueue *mq, struct thread *t, mach_msg_return_t mr)
{
	imq_rcv_remove(mq, t);
	__atomic_store_n(&t->ith_state, mr, __ATOMIC_RELEASE);	/* after ith_kmsg, ith_msize */
	clear_wait(t, THREAD_AWAKENED);
}

/* The same, claiming the receiver for the RPC handoff: true if claimed. */
static inline bool imq_rcv_serve_claim(struct ipc_mqueue *mq, struct thread *t,
				       mach_msg_return_t mr)
{
	return ipc_mqueue_rcv_serve_claim(mq, t, mr);
}

static void imq_rcv_all_gone(struct ipc_mqueue *mq)
{
	struct thread *t;

	while ((t = mq->imq_rcv_first) != NULL) {
		t->ith_kmsg = IKM_NULL;
		imq_rcv_serve(mq, t, MACH_RCV_PORT_DIED);
	}
}

/* ------------------------------------------------------------------------
 * The message lock of a port: its lock, and its set's while it is in one.
 */

static inline ipc_pset_t imq_lock_port(ipc_port_t port)
{
	ipc_pset_t pset;

	ip_lock(port);
	pset = port->ip_pset;
	if (pset)
		ips_lock(pset);
	return pset;
}

static inline void imq_unlock_port(ipc_port_t port, ipc_pset_t pset)
{
	if (pset)
		ips_unlock(pset);
	ip_unlock(port);
}

static inline struct ipc_mqueue *imq_of_messages(ipc_port_t port, ipc_pset_t pset)
{
	return pset ? &pset->ips_messages : &port->ip_messages;
}

static inline event_t imq_send_event(ipc_port_t port)
{
	return &port->ip_messages.imq_snd_waiters;
}

/* The size a receiver needs for `kmsg`: user form plus the trailer asked for. */
static inline mach_msg_size_t imq_rcv_size(ipc_kmsg_t kmsg, mach_msg_option_t option)
{
	return kmsg->ikm_header->msgh_size - IKM_HEADER_DELTA + REQUESTED_TRAILER_SIZE(option);
}

/*
 * A message leaves port's count (message lock held): its sequence number,
 * and a blocked sender may go on.
 */
static void imq_port_dequeued(ipc_port_t port, ipc_kmsg_t kmsg)
{
	kmsg->ikm_seqno = port->ip_seqno++;
	if (port->ip_msgcount-- <= port->ip_qlimit && port->ip_messages.imq_snd_waiters)
		thread_wakeup_one(imq_send_event(port));
}

/* ------------------------------------------------------------------------
 * Sending
 */

/*
 * Give kmsg to a receiver waiting on mq (message lock held): true if one
 * took it. With receiverp, that receiver is claimed for the handoff if it
 * can be (*receiverp, see the top of the file). Receivers asking
 * MACH_RCV_LARGE that have too little room are told the size and the next
 * one is tried.
 */
static bool imq_give(struct ipc_mqueue *mq, ipc_port_t port, ipc_kmsg_t kmsg,
		     struct thread **receiverp)
{
	struct thread *t;

	while ((t = mq->imq_rcv_first) != NULL) {
		mach_msg_size_t need = imq_rcv_size(kmsg, t->ith_option);
		mach_msg_return_t mr = MACH_MSG_SUCCESS;

		t->ith_msize = need;
		if (need > t->ith_max_size) {
			if (t->ith_option & MACH_RCV_LARGE) {
				t->ith_kmsg = IKM_NULL;
				imq_rcv_serve(mq, t, MACH_RCV_TOO_LARGE);
				continue;
			}
			mr = MACH_RCV_TOO_LARGE;	/* it gets it, and destroys it */
		}
		kmsg->ikm_seqno = port->ip_seqno++;
		t->ith_kmsg = kmsg;
		if (!receiverp)
			imq_rcv_serve(mq, t, mr);
		else if (imq_rcv_serve_claim(mq, t, mr))
			*receiverp = t;
		return true;
	}
	return false;
}

mach_msg_return_t ipc_mqueue_send_handoff(ipc_kmsg_t kmsg, mach_msg_option_t option,
					  mach_msg_timeout_t timeout,
					  struct thread **receiverp)
{
	ipc_port_t port = ikm_dest(kmsg);
	uint64_t deadline = 0;
	ipc_pset_t pset;
	wait_result_t wr;

	pset = imq_lock_port(port);
	for (;;) {
		if (unlikely(!ip_active(port))) {
			imq_unlock_port(port, pset);
			return MACH_SEND_INVALID_DEST;
		}
		if (likely(port->ip_msgcount < port->ip_qlimit) || (option & MACH_SEND_ALWAYS) ||
		    MACH_MSGH_BITS_REMOTE(kmsg->ikm_header->msgh_bits) ==
		    MACH_MSG_TYPE_PORT_SEND_ONCE)
			break;
		/* The queue is full: wait for room, as long as allowed. */
		if (option & MACH_SEND_TIMEOUT) {
			if (timeout == 0) {
				imq_unlock_port(port, pset);
				return MACH_SEND_TIMED_OUT;
			}
			if (!deadline)
				deadline = clock_now() + (uint64_t)timeout * NSEC_PER_MSEC;
		}
		port->ip_messages.imq_snd_waiters++;
		ip_reference(port);
		if (deadline)
			assert_wait_deadline(imq_send_event(port), THREAD_INTERRUPTIBLE, deadline);
		else
			assert_wait(imq_send_event(port), THREAD_INTERRUPTIBLE);
		imq_unlock_port(port, pset);
		wr = thread_block(NULL);
		pset = imq_lock_port(port);
		port->ip_messages.imq_snd_waiters--;
		ip_release_nonlast(port);	/* the message still holds one */
		if (wr == THREAD_INTERRUPTED) {
			imq_unlock_port(port, pset);
			return MACH_SEND_INTERRUPTED;
		}
		if (wr == THREAD_TIMED_OUT)
			timeout = 0;	/* one more look, then MACH_SEND_TIMED_OUT */
	}

	/* A receiver of the port itself first, then one of its set. */
	if (!imq_give(&port->ip_messages, port, kmsg, receiverp) &&
	    !(pset && imq_give(&pset->ips_messages, port, kmsg, receiverp))) {
		port->ip_msgcount++;
		ikmq_enqueue(&imq_of_messages(port, pset)->imq_messages, kmsg);
	}
	imq_unlock_port(port, pset);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_mqueue_send(ipc_kmsg_t kmsg, mach_msg_option_t option,
				  mach_msg_timeout_t timeout)
{
	return ipc_mqueue_send_handoff(kmsg, option, timeout, NULL);
}

/* ------------------------------------------------------------------------
 * Receiving
 */

/*
 * Take the next message for the receiver (message lock held). NULL if
 * none; MACH_RCV_TOO_LARGE with the size when MACH_RCV_LARGE keeps it.
 */
static mach_msg_return_t imq_select(ipc_kmsg_t kmsg, struct ipc_mqueue *mq,
				    mach_msg_option_t option, mach_msg_size_t max_size,
				    ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	mach_msg_size_t need = imq_rcv_size(kmsg, option);
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	*sizep = need;
	if (need > max_size) {
		if (option & MACH_RCV_LARGE)
			return MACH_RCV_TOO_LARGE;
		mr = MACH_RCV_TOO_LARGE;
	}
	ikmq_remove(&mq->imq_messages, kmsg);
	imq_port_dequeued(ikm_dest(kmsg), kmsg);
	*kmsgp = kmsg;
	return mr;
}

/* Lock what `object` receives from; its message queue and its waiters' queue. */
struct imq_locked {
	ipc_port_t		port;		/* the port received on, or NULL */
	ipc_pset_t		pset;		/* its set, or the set received on */
	struct ipc_mqueue	*messages;	/* where its messages are */
	struct ipc_mqueue	*waiters;	/* where its receivers wait */
};

static inline bool imq_lock_object(ipc_object_t object, struct imq_locked *l)
{
	if (object->io_otype == IOT_PORT) {
		l->port = (ipc_port_t)object;
		l->pset = imq_lock_port(l->port);
		l->messages = imq_of_messages(l->port, l->pset);
		l->waiters = &l->port->ip_messages;
		/* Only a port whose receive right is in a space can be received on. */
		return l->port->ip_state == IPC_PORT_ACTIVE ||
		       l->port->ip_state == IPC_PORT_LIMBO;	/* held by the kernel */
	}
	l->port = IP_NULL;
	l->pset = (ipc_pset_t)object;
	ips_lock(l->pset);
	l->messages = l->waiters = &l->pset->ips_messages;
	return l->pset->ips_active;
}

static inline void imq_unlock_object(struct imq_locked *l)
{
	if (l->port)
		imq_unlock_port(l->port, l->pset);
	else
		ips_unlock(l->pset);
}

/* The waiter's lock: the port's alone, or the set's. */
static void imq_lock_waiters(struct imq_locked *l)
{
	if (l->port)
		ip_lock(l->port);
	else
		ips_lock(l->pset);
}

static void imq_unlock_waiters(struct imq_locked *l)
{
	if (l->port)
		ip_unlock(l->port);
	else
		ips_unlock(l->pset);
}

/* l for a port in no set that the caller locked; no message yet. */
static __always_inline void imq_port_locked(struct imq_locked *l, ipc_port_t port,
					    ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	if (!port)
		__builtin_unreachable();	/* so the set's branches fold away */
	l->port = port;
	l->pset = IPS_NULL;
	l->messages = l->waiters = &port->ip_messages;
	*kmsgp = IKM_NULL;
	*sizep = 0;
}

/* After the wait (wr) on what l locked: served, or we leave the list ourselves. */
static __always_inline mach_msg_return_t
imq_waited(struct imq_locked *l, ipc_object_t object, mach_msg_option_t option,
	   mach_msg_size_t max_size, mach_msg_timeout_t timeout, wait_result_t wr,
	   ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	struct thread *self = current_thread();
	mach_msg_return_t mr;

	/*
	 * Served: the sender wrote ith_state and took us off the list before
	 * it ended our wait, which we have seen end: no lock needed to look.
	 */
	mr = __atomic_load_n(&self->ith_state, __ATOMIC_ACQUIRE);
	if (likely(mr != MACH_RCV_IN_PROGRESS))
		goto served;
	imq_lock_waiters(l);
	mr = self->ith_state;
	if (mr == MACH_RCV_IN_PROGRESS) {
		/* Nobody served us: we leave the list ourselves. */
		imq_rcv_remove(l->waiters, self);
		imq_unlock_waiters(l);
		if (wr == THREAD_INTERRUPTED)
			return MACH_RCV_INTERRUPTED;
		if (wr == THREAD_TIMED_OUT)
			return MACH_RCV_TIMED_OUT;
		/* Woken for nothing: look again, with what is left of the time. */
		return ipc_mqueue_receive(object, option, max_size, timeout, kmsgp, sizep);
	}
	imq_unlock_waiters(l);
served:
	if (mr == IPC_MQUEUE_SERVED_FAST) {
		/* The message is in our ith_fast_* fields (ipc_mqueue_fast_serve()). */
		*kmsgp = IKM_FAST;
		return MACH_MSG_SUCCESS;
	}
	*kmsgp = self->ith_kmsg;
	*sizep = self->ith_msize;
	self->ith_kmsg = IKM_NULL;
	return mr;
}

mach_msg_return_t ipc_mqueue_port_waited(ipc_port_t port, mach_msg_option_t option,
					 mach_msg_size_t max_size, wait_result_t wr,
					 ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	struct imq_locked l;

	imq_port_locked(&l, port, kmsgp, sizep);
	return imq_waited(&l, &port->ip_object, option, max_size, 0, wr, kmsgp, sizep);
}

/* The receive, what `object` receives from locked (l) and active. */
static __always_inline mach_msg_return_t
imq_receive_locked(struct imq_locked *lp, ipc_object_t object, mach_msg_option_t option,
		   mach_msg_size_t max_size, mach_msg_timeout_t timeout, struct thread *handoff,
		   bool fast_ok, ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	struct thread *self = current_thread();
	struct imq_locked l = *lp;
	mach_msg_return_t mr;
	uint64_t deadline;
	ipc_kmsg_t kmsg;
	wait_result_t wr;

	kmsg = l.port && l.pset ? ikmq_first_for(&l.messages->imq_messages, l.port)
				: l.messages->imq_messages.ikmq_base;
	if (kmsg) {
		mr = imq_select(kmsg, l.messages, option, max_size, kmsgp, sizep);
		imq_unlock_object(&l);
		goto out;
	}
	if ((option & MACH_RCV_TIMEOUT) && timeout == 0) {
		imq_unlock_object(&l);
		mr = MACH_RCV_TIMED_OUT;
		goto out;
	}

	/* Wait: a sender serves us under the lock we take again below. */
	ipc_mqueue_rcv_wait(l.waiters, self, object, option, max_size, fast_ok);
	deadline = option & MACH_RCV_TIMEOUT ? clock_now() + (uint64_t)timeout * NSEC_PER_MSEC : 0;
	/* Only a sender's clear_wait*() ends it: no wait-queue bucket. */
	if (handoff && !(l.port && l.pset)) {
		/* One lock, the port's or the set's: the wait, the unlock and the switch at once. */
		wr = thread_park_handoff(&self->ith_state, deadline,
					 l.port ? &l.port->ip_object.io_lock
						: &l.pset->ips_object.io_lock, handoff);
	} else {
		assert_wait_parked(&self->ith_state, THREAD_INTERRUPTIBLE, deadline);
		imq_unlock_object(&l);
		wr = handoff ? thread_handoff_claimed(handoff) : thread_block(NULL);
	}
	return imq_waited(&l, object, option, max_size, timeout, wr, kmsgp, sizep);

out:
	if (handoff)
		thread_setrun_claimed(handoff);
	return mr;
}

mach_msg_return_t ipc_mqueue_receive_handoff(ipc_object_t object, mach_msg_option_t option,
					     mach_msg_size_t max_size,
					     mach_msg_timeout_t timeout,
					     struct thread *handoff, bool fast_ok,
					     ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	struct imq_locked l;

	*kmsgp = IKM_NULL;
	*sizep = 0;
	if (!imq_lock_object(object, &l)) {
		imq_unlock_object(&l);
		if (handoff)
			thread_setrun_claimed(handoff);
		return MACH_RCV_PORT_DIED;
	}
	return imq_receive_locked(&l, object, option, max_size, timeout, handoff, fast_ok,
				  kmsgp, sizep);
}

mach_msg_return_t ipc_mqueue_receive_port_locked(ipc_port_t port, mach_msg_option_t option,
						 mach_msg_size_t max_size,
						 mach_msg_timeout_t timeout,
						 struct thread *handoff,
						 ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	struct imq_locked l;

	imq_port_locked(&l, port, kmsgp, sizep);
	return imq_receive_locked(&l, &port->ip_object, option, max_size, timeout, handoff,
				  true, kmsgp, sizep);
}

mach_msg_return_t ipc_mqueue_receive(ipc_object_t object, mach_msg_option_t option,
				     mach_msg_size_t max_size, mach_msg_timeout_t timeout,
				     ipc_kmsg_t *kmsgp, mach_msg_size_t *sizep)
{
	return ipc_mqueue_receive_handoff(object, option, max_size, timeout, NULL, false,
					  kmsgp, sizep);
}

mach_msg_return_t ipc_mqueue_receive_kernel(ipc_object_t object, mach_msg_option_t option,
					    mach_msg_size_t max_size,
					    mach_msg_timeout_t timeout,
					    ipc_kmsg_t *kmsgp)
{
	mach_msg_size_t size;
	mach_msg_return_t mr;

	mr = ipc_mqueue_receive(object, option, max_size, timeout, kmsgp, &size);
	if (mr == MACH_RCV_TOO_LARGE && *kmsgp) {
		/* Dequeued without MACH_RCV_LARGE: Mach destroys it. */
		ipc_kmsg_destroy(*kmsgp);
		*kmsgp = IKM_NULL;
	}
	return mr;
}

/* ------------------------------------------------------------------------
 * Hooks of the port and set code
 */

void ipc_mqueue_port_receivers_gone(ipc_port_t port)
{
	imq_rcv_all_gone(&port->ip_messages);
}

void ipc_mqueue_pset_receivers_gone(ipc_pset_t pset)
{
	imq_rcv_all_gone(&pset->ips_messages);
}

/* Serve the set's waiting receivers from its queue (set locked). */
static void imq_pset_serve(ipc_pset_t pset)
{
	struct ipc_mqueue *mq = &pset->ips_messages;
	struct thread *t;
	ipc_kmsg_t kmsg;

	while ((t = mq->imq_rcv_first) != NULL && (kmsg = mq->imq_messages.ikmq_base)) {
		mach_msg_size_t size;
		ipc_kmsg_t got = IKM_NULL;
		mach_msg_return_t mr;

		mr = imq_select(kmsg, mq, t->ith_option, t->ith_max_size, &got, &size);
		t->ith_kmsg = got;
		t->ith_msize = size;
		imq_rcv_serve(mq, t, mr);
	}
}

void ipc_mqueue_pset_add(ipc_pset_t pset, ipc_port_t port)
{
	struct ipc_kmsg_queue *from = &port->ip_messages.imq_messages;
	ipc_kmsg_t kmsg;

	while ((kmsg = from->ikmq_base) != IKM_NULL) {
		ikmq_remove(from, kmsg);
		ikmq_enqueue(&pset->ips_messages.imq_messages, kmsg);
	}
	imq_pset_serve(pset);
}

void ipc_mqueue_pset_remove(ipc_pset_t pset, ipc_port_t port)
{
	struct ipc_kmsg_queue *q = &pset->ips_messages.imq_messages;
	ipc_kmsg_t kmsg;

	while ((kmsg = ikmq_first_for(q, port)) != IKM_NULL) {
		ikmq_remove(q, kmsg);
		ikmq_enqueue(&port->ip_messages.imq_messages, kmsg);
	}
}

ipc_kmsg_t ipc_mqueue_port_take_all(ipc_port_t port)
{
	struct ipc_kmsg_queue *q = &port->ip_messages.imq_messages;
	ipc_kmsg_t list = IKM_NULL, kmsg;

	assert(port->ip_pset == IPS_NULL);
	while ((kmsg = q->ikmq_base) != IKM_NULL) {
		ikmq_remove(q, kmsg);
		kmsg->ikm_next = list;
		list = kmsg;
	}
	port->ip_msgcount = 0;
	ipc_mqueue_wake_senders(port);
	return list;
}

void ipc_kmsg_destroy_list(ipc_kmsg_t list)
{
	ipc_kmsg_t next;

	for (; list; list = next) {
		next = list->ikm_next;
		ipc_kmsg_destroy(list);
	}
}

void ipc_mqueue_wake_senders(ipc_port_t port)
{
	if (port->ip_messages.imq_snd_waiters)
		thread_wakeup(imq_send_event(port));
}

/* SPDX-License-Identifier: MIT */
/*
 * Message queues (Documentation/ipc.rst, "Queues").
 *
 * Every port and every port set has an ipc_mqueue: the messages queued
 * (a circular list of kmsgs), and the receivers waiting (threads, FIFO).
 *
 * A port's messages live in its own queue while it is in no set, and in
 * its set's queue while it is in one (ipc_pset_add() moves them over,
 * ipc_pset_remove() moves them back), so that a receive on the set is one
 * dequeue. A receive on a port that is in a set takes that port's first
 * message out of the set's queue.
 *
 * Locking: "the message lock" of a port is its port lock, plus its set's
 * lock while it is in a set (port then set, the lock order). It guards the
 * port's queue, ip_msgcount, ip_seqno, ip_qlimit and the waiting
 * receivers of both. A set's queue and waiters are guarded by the set's
 * lock. Blocked senders wait on the port's event (ipc_mqueue_send_event()).
 */
#ifndef _IPC_IPC_MQUEUE_H
#define _IPC_IPC_MQUEUE_H

#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_object.h>

struct ipc_kmsg;
struct thread;

struct ipc_kmsg_queue {
	struct ipc_kmsg		*ikmq_base;	/* first; circular through ikm_next/prev */
};

struct ipc_mqueue {
	struct ipc_kmsg_queue	imq_messages;
	struct thread		*imq_rcv_first;	/* waiting receivers (ith_next) */
	struct thread		*imq_rcv_last;	/* stale while imq_rcv_first is NULL */
	unsigned int		imq_snd_waiters;	/* senders blocked on the limit */
};

static inline void ipc_mqueue_init(struct ipc_mqueue *mq)
{
	mq->imq_messages.ikmq_base = NULL;
	mq->imq_rcv_first = mq->imq_rcv_last = NULL;
	mq->imq_snd_waiters = 0;
}

/*
 * Receive the next message of a port (or port set object) for the kernel
 * itself, in kernel form (no copyout). MACH_RCV_TIMED_OUT, MACH_RCV_PORT_DIED,
 * MACH_RCV_TOO_LARGE (message left queued unless MACH_RCV_LARGE semantics
 * say otherwise), MACH_RCV_INTERRUPTED.
 */
mach_msg_return_t ipc_mqueue_receive_kernel(ipc_object_t object, mach_msg_option_t option,
					    mach_msg_size_t max_size,
					    mach_msg_timeout_t timeout,
					    struct ipc_kmsg **kmsgp);

/*
 * The receive core. `object` is a port or set the caller holds a
 * reference to. max_size counts the message in user form plus the
 * trailer the option asks for. On MACH_MSG_SUCCESS *kmsgp is the message
 * (dequeued) and *seqnop its sequence number; on MACH_RCV_TOO_LARGE
 * with MACH_RCV_LARGE, *sizep is the size needed (user form + trailer) and
 * the message stays queued; without MACH_RCV_LARGE, *kmsgp is the message,
 * dequeued, for the caller to destroy after ipc_kmsg_copyout_dest().
 */
mach_msg_return_t ipc_mqueue_receive(ipc_object_t object, mach_msg_option_t option,
				     mach_msg_size_t max_size, mach_msg_timeout_t timeout,
				     struct ipc_kmsg **kmsgp, mach_msg_size_t *sizep);

/*
 * Queue a kernel-form message on port `port` (referenced by the message's
 * msgh_remote_port), or give it to a waiting receiver. Blocks while the
 * queue is full unless MACH_SEND_ALWAYS or a send-once destination;
 * MACH_SEND_TIMEOUT bounds the wait (0 polls). Consumes the kmsg on
 * success. MACH_SEND_INVALID_DEST (port dead), MACH_SEND_TIMED_OUT,
 * MACH_SEND_INTERRUPTED.
 */
mach_msg_return_t ipc_mqueue_send(struct ipc_kmsg *kmsg, mach_msg_option_t option,
				  mach_msg_timeout_t timeout);

/*
 * The same two for the RPC path (ipc/mach_msg.c): the send returns the
 * receiver it served, claimed (clear_wait_claim(): on no run queue,
 * preemption disabled; *receiverp, or left alone if none or if it could
 * not be claimed); the receive, if it must wait, switches straight to
 * `handoff` (thread_handoff_claimed()) instead of blocking through the
 * scheduler, and otherwise lets it go to a run queue
 * (thread_setrun_claimed()). Between the two the caller takes no lock
 * but spinlocks and does not block.
 */
mach_msg_return_t ipc_mqueue_send_handoff(struct ipc_kmsg *kmsg, mach_msg_option_t option,
					  mach_msg_timeout_t timeout,
					  struct thread **receiverp);
mach_msg_return_t ipc_mqueue_receive_handoff(ipc_object_t object, mach_msg_option_t option,
					     mach_msg_size_t max_size,
					     mach_msg_timeout_t timeout,
					     struct thread *handoff, bool fast_ok,
					     struct ipc_kmsg **kmsgp, mach_msg_size_t *sizep);
/*
 * ipc_mqueue_receive_handoff() with fast_ok, of a port the caller locked
 * (ip_lock()) and referenced, that is active and in no set: the fast
 * path's receive, which found the port in the send's lock hold. Unlocks it.
 */
mach_msg_return_t ipc_mqueue_receive_port_locked(ipc_port_t port, mach_msg_option_t option,
						 mach_msg_size_t max_size,
						 mach_msg_timeout_t timeout,
						 struct thread *handoff,
						 struct ipc_kmsg **kmsgp, mach_msg_size_t *sizep);

/*
 * After a wait (result wr) on a port in no set, as
 * ipc_mqueue_receive_port_locked() ends one that was not served the fast
 * way: the message handed over, or the receiver leaves the list itself.
 * No timeout is left to wait again with.
 */
mach_msg_return_t ipc_mqueue_port_waited(ipc_port_t port, mach_msg_option_t option,
					 mach_msg_size_t max_size, wait_result_t wr,
					 struct ipc_kmsg **kmsgp, mach_msg_size_t *sizep);

/*
 * The RPC fast path (ipc/mach_msg.c; Documentation/ipc.rst, "The fast
 * path"). With fast_ok, a receive that waits may be served by
 * ipc_mqueue_fast_serve() (ith_state IPC_MQUEUE_SERVED_FAST; a general
 * wait's *kmsgp is then IKM_FAST, its result MACH_MSG_SUCCESS): the
 * message is in the thread's ith_fast_* fields and ith_seqno (kernel
 * form, header only).
 *
 * ipc_mqueue_fast_receiver(&port->ip_messages): port locked, active, in
 * no set: the receiver waiting first on the port itself, if it takes
 * IKM_FAST messages, which needs room for a user header and the largest
 * trailer (IPC_MQUEUE_FAST_ROOM, checked once when it starts to wait: a
 * receiver with less room takes the general way); NULL: the sender goes
 * the general way. A receiver waits fast_ok only on a port it holds a
 * reference to (mach_msg's receives: the fast path's and the general
 * one's); the sender that serves it takes that reference over
 * (ipc_mach_msg_fast_rights()), and the receiver does not drop it.
 * ipc_mqueue_fast_serve(&port->ip_messages, port->ip_seqno++, t): the
 * sender filled t's ith_fast_* fields; t (the first receiver) gets the
 * port's next sequence number and leaves the list, served; the caller
 * then ends its wait (claiming it for the handoff, thread_claim_parked_on()
 * or clear_wait_claim()). Inline: the fast path's.
 */
#define IPC_MQUEUE_FAST_ROOM \
	(sizeof(mach_msg_user_header_t) + sizeof(mach_msg_security_trailer_t))

static inline struct thread *ipc_mqueue_fast_receiver(struct ipc_mqueue *mq)
{
	struct thread *t = mq->imq_rcv_first;

	if (!t || !t->ith_fast_ok)
		return NULL;
	return t;
}

/*
 * ipc_mqueue_rcv_wait() for a receiver whose ith_option and ith_max_size
 * are written already (the RPC fast path writes them at its entry):
 * fast_ok, it has room for the fast path's message.
 */
static inline void ipc_mqueue_rcv_enqueue(struct ipc_mqueue *mq, struct thread *t, bool fast_ok)
{
	t->ith_state = MACH_RCV_IN_PROGRESS;
	t->ith_fast_ok = fast_ok;
	/*
	 * ith_next and ith_prev are NULL off every list, a new thread's too:
	 * ipc_mqueue_rcv_remove() clears both, and the first receiver, which
	 * ipc_mqueue_rcv_remove_first() takes off, has no predecessor.
	 */
	if (IS_ENABLED(CONFIG_KTEST))
		assert(!t->ith_next && !t->ith_prev);
	if (likely(!mq->imq_rcv_first)) {
		/* Alone, as an RPC's receiver; imq_rcv_last was stale (see below). */
		mq->imq_rcv_first = t;
	} else {
		t->ith_prev = mq->imq_rcv_last;
		mq->imq_rcv_last->ith_next = t;
	}
	mq->imq_rcv_last = t;
}

/*
 * Receiver t (self) goes on mq's list to wait, for object (a port or
 * set), with room for max_size bytes (message lock held). Neither
 * ith_kmsg (whoever serves t writes it before ith_state, and nothing reads
 * it before that) nor the object (nothing reads it) is stored.
 */
static inline void ipc_mqueue_rcv_wait(struct ipc_mqueue *mq, struct thread *t, void *object,
				       mach_msg_option_t option, mach_msg_size_t max_size,
				       bool fast_ok)
{
	t->ith_option = option;
	t->ith_max_size = max_size;
	ipc_mqueue_rcv_enqueue(mq, t, fast_ok && max_size >= IPC_MQUEUE_FAST_ROOM);
}

/* A waiting receiver leaves mq's list (message lock held). */
static inline void ipc_mqueue_rcv_remove(struct ipc_mqueue *mq, struct thread *t)
{
	if (t->ith_prev)
		t->ith_prev->ith_next = t->ith_next;
	else
		mq->imq_rcv_first = t->ith_next;
	if (t->ith_next)
		t->ith_next->ith_prev = t->ith_prev;
	else
		mq->imq_rcv_last = t->ith_prev;
	t->ith_next = t->ith_prev = NULL;
}

/* It leaves, served with mr, its wait ended and claimed for the handoff if it can be. */
static inline bool ipc_mqueue_rcv_serve_claim(struct ipc_mqueue *mq, struct thread *t,
					      mach_msg_return_t mr)
{
	ipc_mqueue_rcv_remove(mq, t);
	__atomic_store_n(&t->ith_state, mr, __ATOMIC_RELEASE);	/* after ith_kmsg, ith_msize */
	return clear_wait_claim(t, THREAD_AWAKENED) == KERN_SUCCESS;
}

/*
 * t, the first waiting receiver, leaves mq's list (message lock held).
 * The last one leaves imq_rcv_last stale, not NULL: nothing reads it
 * while imq_rcv_first is NULL (ipc_mqueue_rcv_wait() tests that), and the
 * RPC's receiver, alone on its port, saves a store and a jump each way.
 */
static inline void ipc_mqueue_rcv_remove_first(struct ipc_mqueue *mq, struct thread *t)
{
	struct thread *next = t->ith_next;

	mq->imq_rcv_first = next;
	if (next)
		next->ith_prev = NULL;
	t->ith_next = NULL;
}

/*
 * A fast sender's ith_state for the receiver it served: "MACH_MSG_SUCCESS,
 * IKM_FAST" in the one word the receiver tests after its wait (no
 * ith_kmsg written, no second test). Never returned: imq_waited() turns
 * it into MACH_MSG_SUCCESS and IKM_FAST for the general waits. Outside
 * the mach_msg_return_t codes (system 0x1f, never a Mach one).
 */
#define IPC_MQUEUE_SERVED_FAST	((mach_msg_return_t)0x7c0f0001)

/* ith_msize is not set: a receive served IKM_FAST does not read it. */
static inline void ipc_mqueue_fast_serve(struct ipc_mqueue *mq, unsigned int seqno,
					 struct thread *t)
{
	t->ith_seqno = seqno;
	ipc_mqueue_rcv_remove_first(mq, t);
	__atomic_store_n(&t->ith_state, IPC_MQUEUE_SERVED_FAST, __ATOMIC_RELEASE);	/* after the rest */
}

/* Hooks of the port and set code (message lock held as each says). */
/* Port and its set locked: wake the port's receivers with MACH_RCV_PORT_DIED. */
void ipc_mqueue_port_receivers_gone(ipc_port_t port);
/* Set locked, inactive: wake its receivers with MACH_RCV_PORT_DIED. */
void ipc_mqueue_pset_receivers_gone(ipc_pset_t pset);
/* Port and set locked: the port's messages move to / from the set's queue. */
void ipc_mqueue_pset_add(ipc_pset_t pset, ipc_port_t port);
void ipc_mqueue_pset_remove(ipc_pset_t pset, ipc_port_t port);
/* Port locked, dead, no set: take its messages, to destroy unlocked. */
struct ipc_kmsg *ipc_mqueue_port_take_all(ipc_port_t port);
void ipc_kmsg_destroy_list(struct ipc_kmsg *list);
/* Port locked: blocked senders try again (limit raised, port died). */
void ipc_mqueue_wake_senders(ipc_port_t port);

#endif /* _IPC_IPC_MQUEUE_H */

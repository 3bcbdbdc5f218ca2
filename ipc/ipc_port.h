/* SPDX-License-Identifier: MIT */
/*
 * Ports.
 *
 * A port is the kernel object behind every right: one receive right, any
 * number of send rights (counted in ip_srights: all the user references
 * of one name make one send right) and send-once rights (ip_sorights).
 * Its states (ip_state):
 *
 *	ACTIVE		its receive right is in a space: ip_receiver and
 *			ip_receiver_name say where
 *	LIMBO		its receive right is held by the kernel, neither in a
 *			space nor in a message: just copied in (a
 *			MOVE_RECEIVE), or carried by a port-destroyed
 *			notification; no receiver, no destination
 *	IN_TRANSIT	its receive right is inside a queued message:
 *			ip_destination (referenced) is the port the message
 *			goes to, which part 2 follows to refuse cycles
 *	DEAD		its receive right was destroyed; only references keep
 *			the structure (names still pointing at it turn into
 *			dead names when next looked at)
 *
 * Transitions:
 *
 *	(alloc) -> ACTIVE		ipc_port_alloc() into a space
 *	ACTIVE -> LIMBO			copyin of MOVE_RECEIVE; receive right
 *					destroyed with a port-destroyed request
 *	LIMBO -> ACTIVE			copyout of the receive right
 *	LIMBO -> IN_TRANSIT		part 2: the message carrying it is queued
 *					(ipc_port_set_in_transit())
 *	IN_TRANSIT -> LIMBO		part 2: the message is dequeued
 *	ACTIVE, LIMBO, IN_TRANSIT -> DEAD   ipc_port_destroy() without a
 *					port-destroyed request
 *
 * A port leaves its port set whenever its receive right leaves the space
 * (ipc_port_clear_receiver()), and its make-send count and sequence
 * number start again at 0 then, as in Mach.
 *
 * Requests: ip_nsrequest (no-senders: a send-once right notified when
 * ip_srights drops to 0 with the make-send count then), ip_pdrequest
 * (port-destroyed: a send-once right that gets the receive right back
 * instead of the port dying), and the dead-name requests: a table of
 * (space, name, send-once right), each notified with the name when the
 * port dies. Each notification right is a send-once right the port's
 * request slot owns.
 *
 * Locking: ip_lock (the object's spinlock) guards every field but the
 * reference count, and is taken after the space's lock and before a port
 * set's. ip_pset and the membership links change under both the port's
 * and the set's lock (and the receiver's space lock).
 */
#ifndef _IPC_IPC_PORT_H
#define _IPC_IPC_PORT_H

#include <kern/zalloc.h>
#include <ipc/ipc_object.h>
#include <ipc/ipc_mqueue.h>

/* ACTIVE is 0: ip_state is the first byte of ip_fast_off. */
enum ipc_port_state {
	IPC_PORT_ACTIVE = 0,
	IPC_PORT_LIMBO,
	IPC_PORT_IN_TRANSIT,
	IPC_PORT_DEAD,
};

/* A dead-name request; a free slot has ipr_soright NULL. */
struct ipc_port_request {
	ipc_port_t		ipr_soright;	/* the notification right */
	ipc_space_t		ipr_space;	/* the space of the name (not referenced) */
	mach_port_name_t	ipr_name;	/* free slot: the next free index + 1 */
};

struct ipc_port_requests {
	unsigned int		iprs_size;	/* slots */
	unsigned int		iprs_free;	/* first free slot + 1, 0: full */
	unsigned int		iprs_count;	/* slots in use */
	struct ipc_port_request	iprs_req[];
};

struct ipc_port {
	struct ipc_object	ip_object;	/* lock, references */
	/*
	 * ip_fast_off, 0 when the RPC fast path may send to the port (active,
	 * no kernel object, in no set): the state and a byte each for the
	 * other two, kept by whatever changes ip_kotype
	 * (ipc_port_set_kotype()) and ip_pset (ipc_pset_add(), _remove()),
	 * so that the fast path tests one word and a change of state
	 * stores one byte as before.
	 */
	union {
		uint32_t		ip_fast_off;
		struct {
			uint8_t		ip_state;	/* enum ipc_port_state */
			uint8_t		ip_fast_kobject; /* ip_kotype != IKOT_NONE */
			uint8_t		ip_fast_pset;	/* ip_pset != NULL */
			uint8_t		ip_fast_pad;	/* 0 */
		};
	};
	mach_port_name_t	ip_receiver_name;	/* ACTIVE */
	/* The kernel object this port stands for (ipc_kobject.h). */
	unsigned int		ip_kotype;
	ipc_space_t		ip_receiver;		/* ACTIVE */
	ipc_port_t		ip_destination;		/* IN_TRANSIT */

	/*
	 * In pairs that one store resets (ipc_right_destroy()): mscount and
	 * seqno start again at 0 when the receive right leaves its space.
	 */
	mach_port_mscount_t	ip_mscount;
	mach_port_seqno_t	ip_seqno;
	mach_port_msgcount_t	ip_qlimit;
	mach_port_msgcount_t	ip_msgcount;	/* queued messages */
	mach_port_rights_t	ip_srights;
	mach_port_rights_t	ip_sorights;

	ipc_port_t		ip_pset_next;	/* the set's members */
	ipc_port_t		ip_pset_prev;
	/*
	 * From here to ip_messages' waiters, side by side, what
	 * ipc_port_attached() reads (and ip_kotype).
	 */
	ipc_pset_t		ip_pset;	/* the set it is in, or NULL */
	ipc_port_t		ip_nsrequest;
	ipc_port_t		ip_pdrequest;
	struct ipc_port_requests *ip_dnrequests;

	/* Queued messages and waiting receivers (ipc_mqueue.h). */
	struct ipc_mqueue	ip_messages;
	void			*ip_kobject;
};

/*
 * What ip_fast_off must be, from the fields themselves: for checks
 * (ip_state is the word's first byte, ACTIVE 0).
 */
static inline bool ipc_port_fast_off_exact(ipc_port_t port)
{
	return port->ip_fast_kobject == (port->ip_kotype != 0) &&
	       port->ip_fast_pset == (port->ip_pset != NULL) && port->ip_fast_pad == 0;
}

/* Every change of ip_kotype goes through here (ip_fast_kobject). */
static __always_inline void ipc_port_set_kotype(ipc_port_t port, unsigned int kotype)
{
	port->ip_kotype = kotype;
	port->ip_fast_kobject = kotype != 0;	/* IKOT_NONE is 0 */
}

static inline void ip_lock(ipc_port_t port)	{ io_lock(&port->ip_object); }
static inline void ip_unlock(ipc_port_t port)	{ io_unlock(&port->ip_object); }
static inline bool ip_active(ipc_port_t port)	{ return port->ip_state != IPC_PORT_DEAD; }

/* Nested under the space's lock (io_lock_nested()). */
static inline void ip_lock_nested(ipc_port_t port)	{ io_lock_nested(&port->ip_object); }
static inline void ip_unlock_nested(ipc_port_t port)	{ io_unlock_nested(&port->ip_object); }

/*
 * Has the port anything attached, that its death would have to deal
 * with: a port set, a request, a queued message, a receiver or sender
 * waiting, a kernel object? One test of all of them or'ed (ip_kotype's
 * IKOT_NONE is 0). Port locked.
 */
static inline bool ipc_port_attached(ipc_port_t port)
{
	const struct ipc_mqueue *mq = &port->ip_messages;

	return ((uintptr_t)port->ip_pset | (uintptr_t)port->ip_nsrequest |
		(uintptr_t)port->ip_pdrequest | (uintptr_t)port->ip_dnrequests |
		(uintptr_t)mq->imq_messages.ikmq_base | (uintptr_t)mq->imq_rcv_first |
		mq->imq_snd_waiters | port->ip_kotype) != 0;
}

static inline void ip_reference(ipc_port_t port)
{
	io_reference(&port->ip_object);
}

static inline void ip_release_nonlast(ipc_port_t port)
{
	io_release_nonlast(&port->ip_object);
}

static inline void ip_release_nonlast_n(ipc_port_t port, unsigned int n)
{
	io_release_nonlast_n(&port->ip_object, n);
}

/* Internal: panic unless a port is dead and fresh (CONFIG_ZONE_DEBUG). */
void ipc_port_check_fresh(ipc_port_t port);

/* Internal: give a dead, unreferenced, fresh port back to its zone. */
static inline void ipc_port_free(ipc_port_t port)
{
	/*
	 * The rights of a dead port are not counted down as they go (a name
	 * turns into a dead name, ipc_right_check()): the one part of a
	 * fresh port's state that its last reference writes.
	 */
	port->ip_srights = 0;
	port->ip_sorights = 0;
	if (IS_ENABLED(CONFIG_ZONE_DEBUG))
		ipc_port_check_fresh(port);
	ipc_stat_add(IPC_STAT_PORTS, -1);
	zfree(ipc_port_zone, port);
}

/* Drop a reference; the last one frees the (dead) port. Port unlocked. */
static inline void ipc_port_release(ipc_port_t port)
{
	if (__atomic_sub_fetch(&port->ip_object.io_references, 1, __ATOMIC_ACQ_REL) == 0)
		ipc_port_free(port);
}

/*
 * The constructor of ipc_port_zone (<kern/zalloc.h>): a port comes out
 * of the zone already initialized, and every port goes back to it so (a
 * dead port is left fresh by whatever killed it).
 */
void ipc_port_construct(void *elem);

/*
 * A new port whose receive right is entered in `space` under a fresh
 * name (*namep), with the port's one reference owned by the entry.
 * KERN_INVALID_TASK, KERN_NO_SPACE, KERN_RESOURCE_SHORTAGE. Nothing locked.
 */
kern_return_t ipc_port_alloc(ipc_space_t space, mach_port_name_t *namep);
/* The same under the name given (KERN_NAME_EXISTS, KERN_NO_SPACE ...). */
kern_return_t ipc_port_alloc_name(ipc_space_t space, mach_port_name_t name);

/* Internal: a fresh port in LIMBO with one reference, or NULL. */
ipc_port_t ipc_port_create(void);
/* Internal: make a LIMBO port the receive right (space, name). Port locked. */
void ipc_port_set_receiver(ipc_port_t port, ipc_space_t space, mach_port_name_t name);

/*
 * Take the receive right out of its space (or out of a message): leave
 * the port set, forget the receiver, mscount and seqno back to 0; the
 * port is then in LIMBO. Port locked, active.
 */
void ipc_port_clear_receiver(ipc_port_t port);

/*
 * Part 2: a LIMBO port's receive right goes in a message to `dest`
 * (IN_TRANSIT; consumes a reference to dest), and back to LIMBO when the
 * message leaves the queue (returns the destination's reference for the
 * caller to drop). Port locked.
 */
void ipc_port_set_in_transit(ipc_port_t port, ipc_port_t dest);
ipc_port_t ipc_port_clear_in_transit(ipc_port_t port);

/*
 * Destroy a receive right no space holds (LIMBO or IN_TRANSIT), consuming
 * the reference it had. With a port-destroyed request the port goes to
 * LIMBO and the receive right to the request's send-once right (a
 * port-destroyed notification); otherwise the port dies: its no-senders
 * request is destroyed (a send-once notification), every dead-name
 * request is notified, and part 2's queued messages are destroyed.
 * Port locked on entry, unlocked on return.
 */
void ipc_port_destroy(ipc_port_t port);

/* Kernel-held rights (nothing locked; port valid and, for make, active). */
ipc_port_t ipc_port_make_send(ipc_port_t port);		/* mscount++ */
ipc_port_t ipc_port_copy_send(ipc_port_t port);		/* IP_DEAD if dead */
ipc_port_t ipc_port_make_sonce(ipc_port_t port);
/* Drop a send right: maybe a no-senders notification. */
void ipc_port_release_send(ipc_port_t port);
/*
 * The count half of that (port locked): the no-senders request to fire
 * (with *mscountp) once unlocked and the reference dropped, or IP_NULL.
 */
ipc_port_t ipc_port_srights_dec(ipc_port_t port, mach_port_mscount_t *mscountp);
/* Drop a send-once right by using it (no notification): it was consumed. */
void ipc_port_release_sonce(ipc_port_t port);
/* Drop a receive right no space holds: ipc_port_destroy() it. */
void ipc_port_release_receive(ipc_port_t port);

/*
 * Requests (port locked and active; the notify right is a send-once right
 * the port takes over; the previous one comes back for the caller).
 */
/* No-senders: fires at once when no send rights exist and sync <= mscount. */
void ipc_port_nsrequest(ipc_port_t port, mach_port_mscount_t sync,
			ipc_port_t notify, ipc_port_t *previousp);
void ipc_port_pdrequest(ipc_port_t port, ipc_port_t notify, ipc_port_t *previousp);

/*
 * Register a dead-name request for (space, name): KERN_SUCCESS with
 * *indexp (>= 1), or KERN_NO_SPACE when the table is full: take a
 * reference, unlock everything, ipc_port_dngrow(), then retry.
 */
kern_return_t ipc_port_dnrequest(ipc_port_t port, ipc_space_t space,
				 mach_port_name_t name, ipc_port_t notify,
				 uint32_t *indexp);
/* Nothing locked; the caller holds a reference. KERN_RESOURCE_SHORTAGE. */
kern_return_t ipc_port_dngrow(ipc_port_t port);
/* Cancel request `index`, returning its send-once right. Port locked, active. */
ipc_port_t ipc_port_dncancel(ipc_port_t port, mach_port_name_t name, uint32_t index);
/* The request's name changes with a rename. Port locked, active. */
void ipc_port_dnrename(ipc_port_t port, uint32_t index, mach_port_name_t newname);

#endif /* _IPC_IPC_PORT_H */

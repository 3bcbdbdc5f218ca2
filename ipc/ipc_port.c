// SPDX-License-Identifier: MIT
/*
 * Ports: allocation, states, requests, kernel-held rights (ipc_port.h).
 */
#include <kern/string.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_space.h>

/* ipc_port_attached() tests ip_kotype for any bit set. */
BUILD_BUG_ON(IKOT_NONE != 0);

/*
 * The zone's constructor (zone_set_ctor()): a port as ipc_port_create()
 * hands it out, but for its state and reference count, which every
 * allocation writes. Every port goes back to the zone in this state: the
 * paths that kill a port leave it so (ipc_right_destroy(),
 * ipc_port_destroy()), as a port never entered is, and ipc_port_free()
 * zeroes the counts of send and send-once rights, which are not counted
 * down after death; with CONFIG_ZONE_DEBUG it checks the rest.
 */
void ipc_port_construct(void *elem)
{
	ipc_port_t port = elem;

	spin_lock_init_class(&port->ip_object.io_lock, &ipc_port_lock_class);
	port->ip_object.io_references = 0;
	port->ip_object.io_otype = IOT_PORT;
	port->ip_fast_off = 0;
	port->ip_state = IPC_PORT_DEAD;
	port->ip_receiver_name = MACH_PORT_NAME_NULL;
	port->ip_receiver = IS_NULL;
	port->ip_destination = IP_NULL;
	port->ip_pset = IPS_NULL;
	port->ip_pset_next = port->ip_pset_prev = IP_NULL;
	port->ip_mscount = 0;
	port->ip_srights = 0;
	port->ip_sorights = 0;
	port->ip_seqno = 0;
	port->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
	port->ip_msgcount = 0;
	port->ip_nsrequest = IP_NULL;
	port->ip_pdrequest = IP_NULL;
	port->ip_dnrequests = NULL;
	port->ip_kobject = NULL;
	port->ip_kotype = IKOT_NONE;
	ipc_mqueue_init(&port->ip_messages);
}

/*
 * The first field of a port that is not as ipc_port_construct() leaves
 * it (state and references aside), or NULL. Port unreferenced.
 */
static const char *ipc_port_stale_field(ipc_port_t port)
{
	const struct ipc_mqueue *mq = &port->ip_messages;

	if (spin_is_locked(&port->ip_object.io_lock))
		return "io_lock";
	if (port->ip_object.io_otype != IOT_PORT)
		return "io_otype";
	if (port->ip_receiver_name != MACH_PORT_NAME_NULL || port->ip_receiver != IS_NULL)
		return "ip_receiver";
	if (port->ip_destination != IP_NULL)
		return "ip_destination";
	if (port->ip_pset || port->ip_pset_next || port->ip_pset_prev)
		return "ip_pset";
	if (port->ip_mscount || port->ip_seqno)
		return "ip_mscount/ip_seqno";
	if (port->ip_qlimit != MACH_PORT_QLIMIT_DEFAULT || port->ip_msgcount)
		return "ip_qlimit/ip_msgcount";
	if (port->ip_nsrequest || port->ip_pdrequest || port->ip_dnrequests)
		return "requests";
	/* imq_rcv_last may be stale with the list empty (ipc_mqueue.h). */
	if (mq->imq_messages.ikmq_base || mq->imq_rcv_first || mq->imq_snd_waiters)
		return "ip_messages";
	if (port->ip_kobject || port->ip_kotype != IKOT_NONE)
		return "ip_kobject";
	if (port->ip_fast_kobject || port->ip_fast_pset || port->ip_fast_pad)
		return "ip_fast_off";
	return NULL;
}

/*
 * A fresh port with one reference, or NULL; its state is the caller's to
 * write (ipc_port_enter(), ipc_port_create()).
 */
static inline ipc_port_t ipc_port_create_inline(void)
{
	ipc_port_t port;

	if (ipc_alloc_should_fail())
		return IP_NULL;
	port = zalloc(ipc_port_zone);
	if (unlikely(!port))
		return IP_NULL;
	port->ip_object.io_references = 1;
	ipc_stat_add(IPC_STAT_PORTS, 1);
	ipc_stat_add(IPC_STAT_PORTS_ACTIVE, 1);
	return port;
}

ipc_port_t ipc_port_create(void)
{
	ipc_port_t port = ipc_port_create_inline();

	if (port)
		port->ip_state = IPC_PORT_LIMBO;
	return port;
}

/* A port created but never entered anywhere: it dies quietly, fresh. */
static void ipc_port_discard(ipc_port_t port)
{
	port->ip_state = IPC_PORT_DEAD;
	ipc_stat_add(IPC_STAT_PORTS_ACTIVE, -1);
	ipc_port_release(port);
}

void ipc_port_check_fresh(ipc_port_t port)
{
	const char *stale = ipc_port_stale_field(port);

	if (port->ip_state != IPC_PORT_DEAD)
		stale = "ip_state";
	if (stale)
		panic("ipc_port_free(%p): %s not as a fresh port's", port, stale);
}

void ipc_port_set_receiver(ipc_port_t port, ipc_space_t space, mach_port_name_t name)
{
	port->ip_state = IPC_PORT_ACTIVE;
	port->ip_receiver = space;
	port->ip_receiver_name = name;
}

static kern_return_t ipc_port_enter(ipc_space_t space, ipc_port_t port,
				    mach_port_name_t name, ipc_entry_t entry)
{
	entry->ie_object = &port->ip_object;
	entry->ie_bits |= MACH_PORT_TYPE_RECEIVE;
	/* Nobody else sees the port yet: no port lock needed. */
	ipc_port_set_receiver(port, space, name);
	is_unlock(space);
	return KERN_SUCCESS;
}

/* ipc_port_alloc() with a full table: grow it (space unlocked). */
static __noinline kern_return_t ipc_port_alloc_grow(ipc_space_t space, ipc_port_t port,
						   mach_port_name_t *namep)
{
	ipc_entry_t entry;
	kern_return_t kr = ipc_entry_alloc(space, namep, &entry);

	if (kr == KERN_SUCCESS)
		return ipc_port_enter(space, port, *namep, entry);
	ipc_port_discard(port);
	return kr;
}

/*
 * mach_port_allocate(RECEIVE): a constructed port from the zone, and the
 * first free entry taken in the same hold of the space's lock that finds
 * the space active (no separate lookup); a full table goes the general
 * way (ipc_port_alloc_grow()).
 */
kern_return_t ipc_port_alloc(ipc_space_t space, mach_port_name_t *namep)
{
	ipc_port_t port = ipc_port_create_inline();
	ipc_entry_t entry;
	kern_return_t kr;

	if (unlikely(!port))
		return KERN_RESOURCE_SHORTAGE;
	kr = ipc_space_lock_active(space);
	if (unlikely(kr != KERN_SUCCESS)) {
		ipc_port_discard(port);
		return kr;
	}
	if (unlikely(ipc_entry_get(space, namep, &entry) != KERN_SUCCESS)) {
		is_unlock(space);
		return ipc_port_alloc_grow(space, port, namep);
	}
	return ipc_port_enter(space, port, *namep, entry);
}

kern_return_t ipc_port_alloc_name(ipc_space_t space, mach_port_name_t name)
{
	ipc_port_t port = ipc_port_create_inline();
	ipc_entry_t entry;
	kern_return_t kr;

	if (unlikely(!port))
		return KERN_RESOURCE_SHORTAGE;
	kr = ipc_entry_alloc_name_unused(space, name, &entry);
	if (unlikely(kr != KERN_SUCCESS)) {
		ipc_port_discard(port);
		return kr;
	}
	return ipc_port_enter(space, port, name, entry);
}

void ipc_port_clear_receiver(ipc_port_t port)
{
	ipc_pset_t pset = port->ip_pset;

	assert(ip_active(port));
	if (pset) {
		ips_lock(pset);
		ipc_pset_remove(pset, port);
		ips_unlock(pset);
	}
	/* Whoever waits to receive from it here cannot any more. */
	if (port->ip_messages.imq_rcv_first)
		ipc_mqueue_port_receivers_gone(port);
	port->ip_mscount = 0;
	port->ip_seqno = 0;
	port->ip_receiver = IS_NULL;
	port->ip_receiver_name = MACH_PORT_NAME_NULL;
	port->ip_state = IPC_PORT_LIMBO;
}

void ipc_port_set_in_transit(ipc_port_t port, ipc_port_t dest)
{
	assert(port->ip_state == IPC_PORT_LIMBO);
	port->ip_state = IPC_PORT_IN_TRANSIT;
	port->ip_destination = dest;
}

ipc_port_t ipc_port_clear_in_transit(ipc_port_t port)
{
	ipc_port_t dest = port->ip_destination;

	assert(port->ip_state == IPC_PORT_IN_TRANSIT);
	port->ip_state = IPC_PORT_LIMBO;
	port->ip_destination = IP_NULL;
	return dest;
}

/* Every dead-name request of a port that died: a notification each. */
static void ipc_port_dnnotify(struct ipc_port_requests *reqs)
{
	unsigned int i;

	for (i = 0; i < reqs->iprs_size; i++) {
		struct ipc_port_request *r = &reqs->iprs_req[i];

		if (r->ipr_soright) {
			ipc_stat_add(IPC_STAT_DNREQUESTS, -1);
			ipc_notify_dead_name(r->ipr_soright, r->ipr_name);
		}
	}
	ipc_table_free(reqs, sizeof(*reqs) + reqs->iprs_size * sizeof(reqs->iprs_req[0]));
}

void ipc_port_destroy(ipc_port_t port)
{
	ipc_port_t pdrequest = port->ip_pdrequest, nsrequest;
	struct ipc_port_requests *dnrequests;
	ipc_kmsg_t queued;

	assert(ip_active(port) && port->ip_receiver == IS_NULL && port->ip_pset == IPS_NULL);
	/* The kernel may be receiving on a receive right it held. */
	if (port->ip_messages.imq_rcv_first)
		ipc_mqueue_port_receivers_gone(port);
	if (pdrequest) {
		/* The receive right goes back to whoever asked, in LIMBO. */
		port->ip_pdrequest = IP_NULL;
		port->ip_state = IPC_PORT_LIMBO;
		port->ip_destination = IP_NULL;
		ip_unlock(port);
		ipc_notify_port_destroyed(pdrequest, port);
		return;
	}
	port->ip_state = IPC_PORT_DEAD;
	nsrequest = port->ip_nsrequest;
	port->ip_nsrequest = IP_NULL;
	dnrequests = port->ip_dnrequests;
	port->ip_dnrequests = NULL;
	/* Its queued messages die with it; blocked senders find it dead. */
	queued = IKM_NULL;
	if (port->ip_messages.imq_messages.ikmq_base || port->ip_messages.imq_snd_waiters)
		queued = ipc_mqueue_port_take_all(port);
	/* The rest of a fresh port's state (ipc_port_construct()). */
	port->ip_destination = IP_NULL;
	port->ip_mscount = 0;
	port->ip_seqno = 0;
	port->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
	port->ip_kobject = NULL;
	ipc_port_set_kotype(port, IKOT_NONE);
	ip_unlock(port);
	ipc_stat_add(IPC_STAT_PORTS_ACTIVE, -1);

	if (queued)
		ipc_kmsg_destroy_list(queued);
	if (nsrequest)
		ipc_notify_send_once(nsrequest);
	if (dnrequests)
		ipc_port_dnnotify(dnrequests);
	ipc_port_release(port);
}

ipc_port_t ipc_port_make_send(ipc_port_t port)
{
	if (!IP_VALID(port))
		return port;
	ip_lock(port);
	assert(ip_active(port));
	port->ip_mscount++;
	port->ip_srights++;
	ip_reference(port);
	ip_unlock(port);
	return port;
}

ipc_port_t ipc_port_copy_send(ipc_port_t port)
{
	if (!IP_VALID(port))
		return port;
	ip_lock(port);
	if (!ip_active(port)) {
		ip_unlock(port);
		return IP_DEAD;
	}
	port->ip_srights++;
	ip_reference(port);
	ip_unlock(port);
	return port;
}

ipc_port_t ipc_port_make_sonce(ipc_port_t port)
{
	if (!IP_VALID(port))
		return port;
	ip_lock(port);
	assert(ip_active(port));
	port->ip_sorights++;
	ip_reference(port);
	ip_unlock(port);
	return port;
}

ipc_port_t ipc_port_srights_dec(ipc_port_t port, mach_port_mscount_t *mscountp)
{
	ipc_port_t nsrequest = IP_NULL;

	assert(port->ip_srights > 0);
	if (--port->ip_srights == 0 && ip_active(port) && port->ip_nsrequest) {
		nsrequest = port->ip_nsrequest;
		port->ip_nsrequest = IP_NULL;
		*mscountp = port->ip_mscount;
	}
	return nsrequest;
}

void ipc_port_release_send(ipc_port_t port)
{
	ipc_port_t nsrequest;
	mach_port_mscount_t mscount = 0;

	if (!IP_VALID(port))
		return;
	ip_lock(port);
	nsrequest = ipc_port_srights_dec(port, &mscount);
	ip_unlock(port);
	ipc_port_release(port);
	if (nsrequest)
		ipc_notify_no_senders(nsrequest, mscount);
}

void ipc_port_release_sonce(ipc_port_t port)
{
	if (!IP_VALID(port))
		return;
	ip_lock(port);
	assert(port->ip_sorights > 0);
	port->ip_sorights--;
	ip_unlock(port);
	ipc_port_release(port);
}

void ipc_port_release_receive(ipc_port_t port)
{
	ipc_port_t dest = IP_NULL;

	if (!IP_VALID(port))
		return;
	ip_lock(port);
	assert(ip_active(port) && port->ip_receiver == IS_NULL);
	if (port->ip_state == IPC_PORT_IN_TRANSIT)
		dest = ipc_port_clear_in_transit(port);
	ipc_port_destroy(port);
	if (dest)
		ipc_port_release(dest);
}

void ipc_port_nsrequest(ipc_port_t port, mach_port_mscount_t sync,
			ipc_port_t notify, ipc_port_t *previousp)
{
	ipc_port_t previous = port->ip_nsrequest;
	mach_port_mscount_t mscount = port->ip_mscount;

	if (port->ip_srights == 0 && sync <= mscount && IP_VALID(notify)) {
		/* No senders already: tell at once, arm nothing. */
		port->ip_nsrequest = IP_NULL;
		ip_unlock(port);
		ipc_notify_no_senders(notify, mscount);
	} else {
		port->ip_nsrequest = notify;
		ip_unlock(port);
	}
	*previousp = previous;
}

void ipc_port_pdrequest(ipc_port_t port, ipc_port_t notify, ipc_port_t *previousp)
{
	*previousp = port->ip_pdrequest;
	port->ip_pdrequest = notify;
	ip_unlock(port);
}

static vm_size_t ipc_port_requests_bytes(unsigned int size)
{
	return sizeof(struct ipc_port_requests) + size * sizeof(struct ipc_port_request);
}

kern_return_t ipc_port_dnrequest(ipc_port_t port, ipc_space_t space,
				 mach_port_name_t name, ipc_port_t notify,
				 uint32_t *indexp)
{
	struct ipc_port_requests *reqs = port->ip_dnrequests;
	struct ipc_port_request *r;
	unsigned int i;

	if (!reqs || reqs->iprs_free == 0)
		return KERN_NO_SPACE;
	i = reqs->iprs_free - 1;
	r = &reqs->iprs_req[i];
	reqs->iprs_free = r->ipr_name;
	r->ipr_soright = notify;
	r->ipr_space = space;
	r->ipr_name = name;
	reqs->iprs_count++;
	ipc_stat_add(IPC_STAT_DNREQUESTS, 1);
	*indexp = i + 1;
	return KERN_SUCCESS;
}

/* Link slots [from, size) of a request table onto its free list. */
static void ipc_port_requests_free_range(struct ipc_port_requests *reqs, unsigned int from)
{
	unsigned int i;

	for (i = reqs->iprs_size; i-- > from;) {
		reqs->iprs_req[i].ipr_soright = IP_NULL;
		reqs->iprs_req[i].ipr_space = IS_NULL;
		reqs->iprs_req[i].ipr_name = reqs->iprs_free;
		reqs->iprs_free = i + 1;
	}
}

kern_return_t ipc_port_dngrow(ipc_port_t port)
{
	struct ipc_port_requests *old, *reqs;
	unsigned int old_size, size;

	ip_lock(port);
	old = port->ip_dnrequests;
	old_size = old ? old->iprs_size : 0;
	ip_unlock(port);

	size = old_size ? old_size * 2 : 4;
	reqs = ipc_table_alloc(ipc_port_requests_bytes(size));
	if (!reqs)
		return KERN_RESOURCE_SHORTAGE;

	ip_lock(port);
	if (!ip_active(port) || port->ip_dnrequests != old) {
		/* Dead, or grown by another thread: the caller looks again. */
		ip_unlock(port);
		ipc_table_free(reqs, ipc_port_requests_bytes(size));
		return KERN_SUCCESS;
	}
	reqs->iprs_size = size;
	reqs->iprs_free = old ? old->iprs_free : 0;
	reqs->iprs_count = old ? old->iprs_count : 0;
	if (old)
		memcpy(reqs->iprs_req, old->iprs_req, old_size * sizeof(old->iprs_req[0]));
	/* The old slots keep their free list; the new ones go in front. */
	ipc_port_requests_free_range(reqs, old_size);
	port->ip_dnrequests = reqs;
	ip_unlock(port);
	if (old)
		ipc_table_free(old, ipc_port_requests_bytes(old_size));
	return KERN_SUCCESS;
}

ipc_port_t ipc_port_dncancel(ipc_port_t port, mach_port_name_t name, uint32_t index)
{
	struct ipc_port_requests *reqs = port->ip_dnrequests;
	struct ipc_port_request *r;
	ipc_port_t soright;

	assert(reqs && index >= 1 && index <= reqs->iprs_size);
	r = &reqs->iprs_req[index - 1];
	assert(r->ipr_soright && r->ipr_name == name);
	soright = r->ipr_soright;
	r->ipr_soright = IP_NULL;
	r->ipr_space = IS_NULL;
	r->ipr_name = reqs->iprs_free;
	reqs->iprs_free = index;
	reqs->iprs_count--;
	ipc_stat_add(IPC_STAT_DNREQUESTS, -1);
	return soright;
}

void ipc_port_dnrename(ipc_port_t port, uint32_t index, mach_port_name_t newname)
{
	struct ipc_port_requests *reqs = port->ip_dnrequests;

	assert(reqs && index >= 1 && index <= reqs->iprs_size);
	reqs->iprs_req[index - 1].ipr_name = newname;
}

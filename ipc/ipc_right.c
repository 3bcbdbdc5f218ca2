// SPDX-License-Identifier: MIT
/*
 * Rights (ipc_right.h). The semantics are Mach's (GNU Mach's and XNU's
 * ipc_right.c): which right an operation needs, what it leaves behind and
 * which notification it generates.
 */
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>

/* What dropping an entry's send right leaves to notify, once unlocked. */
struct ipc_right_notes {
	ipc_port_t		nsrequest;
	mach_port_mscount_t	mscount;
	ipc_port_t		dnrequest;
	mach_port_name_t	name;
};

#define IPC_RIGHT_NOTES_INIT	{ IP_NULL, 0, IP_NULL, MACH_PORT_NAME_NULL }

static void ipc_right_notify(struct ipc_right_notes *n)
{
	if (n->nsrequest)
		ipc_notify_no_senders(n->nsrequest, n->mscount);
	if (n->dnrequest)
		ipc_notify_port_deleted(n->dnrequest, n->name);
}

/* One send right of a locked port goes: arm the no-senders notification. */
static void ipc_right_drop_srights(ipc_port_t port, struct ipc_right_notes *n)
{
	assert(port->ip_srights > 0);
	if (--port->ip_srights == 0 && port->ip_nsrequest) {
		n->nsrequest = port->ip_nsrequest;
		n->mscount = port->ip_mscount;
		port->ip_nsrequest = IP_NULL;
	}
}

bool ipc_right_check(ipc_space_t space, ipc_port_t port, mach_port_name_t name,
		     ipc_entry_t entry)
{
	ipc_entry_bits_t bits;

	ip_lock(port);
	if (likely(ip_active(port)))
		return false;
	ip_unlock(port);

	/* A pure send or send-once right: a receive right keeps its port alive. */
	bits = entry->ie_bits;
	assert(!(bits & MACH_PORT_TYPE_RECEIVE));
	if (bits & MACH_PORT_TYPE_SEND)
		ipc_hash_delete(space, port, name);
	bits = (bits & ~IE_BITS_TYPE_MASK) | MACH_PORT_TYPE_DEAD_NAME;
	/* The request was notified when the port died; that message holds a uref. */
	if (entry->ie_request) {
		entry->ie_request = 0;
		if (IE_BITS_UREFS(bits) < IE_UREFS_MAX)
			bits++;
	}
	entry->ie_bits = bits;
	entry->ie_object = NULL;
	ipc_port_release(port);
	return true;
}

void ipc_right_info(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
		    mach_port_type_t *typep, mach_port_urefs_t *urefsp)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	mach_port_type_t type;

	if (bits & MACH_PORT_TYPE_SEND_RIGHTS) {
		ipc_port_t port = (ipc_port_t)entry->ie_object;

		if (!ipc_right_check(space, port, name, entry))
			ip_unlock(port);
		bits = entry->ie_bits;
	}
	type = IE_BITS_TYPE(bits);
	if (entry->ie_request)
		type |= MACH_PORT_TYPE_DNREQUEST;
	*typep = type;
	*urefsp = IE_BITS_UREFS(bits);
}

ipc_port_t ipc_right_dncancel(ipc_space_t space, ipc_port_t port,
			      mach_port_name_t name, ipc_entry_t entry)
{
	ipc_port_t soright;

	if (!entry->ie_request)
		return IP_NULL;
	soright = ipc_port_dncancel(port, name, entry->ie_request);
	entry->ie_request = 0;
	return soright;
}

/* The set of a PORT_SET entry goes: space locked, stays locked. */
static void ipc_right_destroy_pset(ipc_space_t space, mach_port_name_t name,
				   ipc_entry_t entry)
{
	ipc_pset_t pset = (ipc_pset_t)entry->ie_object;

	entry->ie_object = NULL;
	ipc_entry_dealloc(space, name, entry);
	/* Under the space lock: the member list may only change so. */
	ipc_pset_destroy(pset);
}

/* Every other case of ipc_right_destroy(), out of its fast path's way. */
kern_return_t ipc_right_destroy_general(ipc_space_t space, mach_port_name_t name,
					ipc_entry_t entry)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	mach_port_type_t type = IE_BITS_TYPE(bits);
	struct ipc_right_notes n = IPC_RIGHT_NOTES_INIT;
	ipc_port_t port;

	switch (type) {
	case MACH_PORT_TYPE_DEAD_NAME:
		ipc_entry_dealloc(space, name, entry);
		is_unlock(space);
		return KERN_SUCCESS;
	case MACH_PORT_TYPE_PORT_SET:
		ipc_right_destroy_pset(space, name, entry);
		is_unlock(space);
		return KERN_SUCCESS;
	default:
		break;
	}

	port = (ipc_port_t)entry->ie_object;
	if (type == MACH_PORT_TYPE_SEND)
		ipc_hash_delete(space, port, name);
	ip_lock(port);
	if (!ip_active(port)) {
		ip_unlock(port);
		entry->ie_request = 0;
		ipc_entry_dealloc(space, name, entry);
		is_unlock(space);
		ipc_port_release(port);
		return KERN_SUCCESS;
	}
	n.name = name;
	n.dnrequest = ipc_right_dncancel(space, port, name, entry);
	ipc_entry_dealloc(space, name, entry);
	if (type & MACH_PORT_TYPE_SEND)
		ipc_right_drop_srights(port, &n);

	if (type & MACH_PORT_TYPE_RECEIVE) {
		ipc_port_clear_receiver(port);
		is_unlock(space);
		ipc_port_destroy(port);		/* consumes the entry's ref, unlocks */
	} else if (type & MACH_PORT_TYPE_SEND_ONCE) {
		ip_unlock(port);
		is_unlock(space);
		ipc_notify_send_once(port);	/* the right and ref go with it */
	} else {
		ip_unlock(port);
		is_unlock(space);
		ipc_port_release(port);
	}
	ipc_right_notify(&n);
	return KERN_SUCCESS;
}

/* Drop urefs of a dead name (delta <= 0 checked by the caller). Unlocks. */
static void ipc_right_dead_delta(ipc_space_t space, mach_port_name_t name,
				 ipc_entry_t entry, mach_port_urefs_t drop)
{
	if (IE_BITS_UREFS(entry->ie_bits) == drop)
		ipc_entry_dealloc(space, name, entry);
	else
		entry->ie_bits -= drop;
	is_unlock(space);
}

/*
 * Drop `drop` urefs of the send right of a locked, active port's entry
 * (all of them: the right goes). Unlocks port and space, notifies.
 */
static void ipc_right_send_delta(ipc_space_t space, mach_port_name_t name,
				 ipc_entry_t entry, ipc_port_t port,
				 mach_port_urefs_t drop)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	struct ipc_right_notes n = IPC_RIGHT_NOTES_INIT;
	bool release = false;

	if (IE_BITS_UREFS(bits) > drop) {
		entry->ie_bits = bits - drop;
	} else {
		ipc_right_drop_srights(port, &n);
		if (bits & MACH_PORT_TYPE_RECEIVE) {
			entry->ie_bits = bits & ~(IE_BITS_UREFS_MASK | MACH_PORT_TYPE_SEND);
		} else {
			n.name = name;
			n.dnrequest = ipc_right_dncancel(space, port, name, entry);
			ipc_hash_delete(space, port, name);
			ipc_entry_dealloc(space, name, entry);
			release = true;
		}
	}
	ip_unlock(port);
	is_unlock(space);
	if (release)
		ipc_port_release(port);
	ipc_right_notify(&n);
}

/* Destroy the send-once right of an entry whose port is locked, active. Unlocks. */
static void ipc_right_sonce_destroy(ipc_space_t space, mach_port_name_t name,
				    ipc_entry_t entry, ipc_port_t port)
{
	struct ipc_right_notes n = IPC_RIGHT_NOTES_INIT;

	n.name = name;
	n.dnrequest = ipc_right_dncancel(space, port, name, entry);
	ip_unlock(port);
	ipc_entry_dealloc(space, name, entry);
	is_unlock(space);
	ipc_notify_send_once(port);
	ipc_right_notify(&n);
}

kern_return_t ipc_right_dealloc(ipc_space_t space, mach_port_name_t name,
				ipc_entry_t entry)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	if (bits & MACH_PORT_TYPE_SEND_RIGHTS) {
		if (bits & MACH_PORT_TYPE_RECEIVE)
			ip_lock(port);		/* a receive right keeps it active */
		else if (ipc_right_check(space, port, name, entry))
			goto dead_name;
		if (bits & MACH_PORT_TYPE_SEND_ONCE)
			ipc_right_sonce_destroy(space, name, entry, port);
		else
			ipc_right_send_delta(space, name, entry, port, 1);
		return KERN_SUCCESS;
	}
	if (!(bits & MACH_PORT_TYPE_DEAD_NAME)) {
		is_unlock(space);
		return KERN_INVALID_RIGHT;
	}
dead_name:
	ipc_right_dead_delta(space, name, entry, 1);
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_delta_receive(ipc_space_t space, mach_port_name_t name,
					     ipc_entry_t entry, mach_port_delta_t delta)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;
	ipc_port_t dnrequest = IP_NULL;

	if (delta != -1) {
		is_unlock(space);
		return delta == 0 ? KERN_SUCCESS : KERN_INVALID_VALUE;
	}
	ip_lock(port);
	if (bits & MACH_PORT_TYPE_SEND) {
		/*
		 * The port dies "first": the send right left becomes a dead
		 * name, its request (if any) is notified by the death.
		 */
		bits = (bits & ~IE_BITS_TYPE_MASK) | MACH_PORT_TYPE_DEAD_NAME;
		if (entry->ie_request) {
			entry->ie_request = 0;
			if (IE_BITS_UREFS(bits) < IE_UREFS_MAX)
				bits++;
		}
		entry->ie_bits = bits;
		entry->ie_object = NULL;
	} else {
		dnrequest = ipc_right_dncancel(space, port, name, entry);
		ipc_entry_dealloc(space, name, entry);
	}
	ipc_port_clear_receiver(port);
	is_unlock(space);
	ipc_port_destroy(port);
	if (dnrequest)
		ipc_notify_port_deleted(dnrequest, name);
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_delta_send(ipc_space_t space, mach_port_name_t name,
					  ipc_entry_t entry, mach_port_delta_t delta)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;
	mach_port_urefs_t urefs = IE_BITS_UREFS(bits);

	if (ipc_urefs_underflow(urefs, delta)) {
		is_unlock(space);
		return KERN_INVALID_VALUE;
	}
	/* A send right stays below the maximum, so that a copyout can peg it. */
	if (ipc_urefs_overflow(urefs + 1, delta)) {
		is_unlock(space);
		return KERN_UREFS_OVERFLOW;
	}
	if (bits & MACH_PORT_TYPE_RECEIVE) {
		ip_lock(port);
	} else if (ipc_right_check(space, port, name, entry)) {
		is_unlock(space);
		return KERN_INVALID_RIGHT;
	}
	if (delta >= 0) {
		entry->ie_bits = bits + (ipc_entry_bits_t)delta;
		ip_unlock(port);
		is_unlock(space);
		return KERN_SUCCESS;
	}
	ipc_right_send_delta(space, name, entry, port, (mach_port_urefs_t)-delta);
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_delta_dead(ipc_space_t space, mach_port_name_t name,
					  ipc_entry_t entry, mach_port_delta_t delta)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	mach_port_urefs_t urefs;

	if (bits & MACH_PORT_TYPE_SEND_RIGHTS) {
		ipc_port_t port = (ipc_port_t)entry->ie_object;

		if (bits & MACH_PORT_TYPE_RECEIVE) {
			is_unlock(space);
			return KERN_INVALID_RIGHT;
		}
		if (!ipc_right_check(space, port, name, entry)) {
			ip_unlock(port);
			is_unlock(space);
			return KERN_INVALID_RIGHT;
		}
		bits = entry->ie_bits;
	} else if (!(bits & MACH_PORT_TYPE_DEAD_NAME)) {
		is_unlock(space);
		return KERN_INVALID_RIGHT;
	}
	urefs = IE_BITS_UREFS(bits);
	if (ipc_urefs_underflow(urefs, delta)) {
		is_unlock(space);
		return KERN_INVALID_VALUE;
	}
	if (ipc_urefs_overflow(urefs, delta)) {
		is_unlock(space);
		return KERN_UREFS_OVERFLOW;
	}
	if (delta >= 0) {
		entry->ie_bits = bits + (ipc_entry_bits_t)delta;
		is_unlock(space);
	} else {
		ipc_right_dead_delta(space, name, entry, (mach_port_urefs_t)-delta);
	}
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_delta_sonce(ipc_space_t space, mach_port_name_t name,
					   ipc_entry_t entry, mach_port_delta_t delta)
{
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	if (delta > 0 || delta < -1) {
		is_unlock(space);
		return KERN_INVALID_VALUE;
	}
	if (ipc_right_check(space, port, name, entry)) {
		is_unlock(space);
		return KERN_INVALID_RIGHT;
	}
	if (delta == 0) {
		ip_unlock(port);
		is_unlock(space);
		return KERN_SUCCESS;
	}
	ipc_right_sonce_destroy(space, name, entry, port);
	return KERN_SUCCESS;
}

kern_return_t ipc_right_delta(ipc_space_t space, mach_port_name_t name,
			      ipc_entry_t entry, mach_port_right_t right,
			      mach_port_delta_t delta)
{
	ipc_entry_bits_t bits = entry->ie_bits;

	switch (right) {
	case MACH_PORT_RIGHT_PORT_SET:
		if (!(bits & MACH_PORT_TYPE_PORT_SET))
			break;
		if (delta == -1)
			ipc_right_destroy_pset(space, name, entry);
		is_unlock(space);
		return delta == 0 || delta == -1 ? KERN_SUCCESS : KERN_INVALID_VALUE;
	case MACH_PORT_RIGHT_RECEIVE:
		if (!(bits & MACH_PORT_TYPE_RECEIVE))
			break;
		return ipc_right_delta_receive(space, name, entry, delta);
	case MACH_PORT_RIGHT_SEND_ONCE:
		if (!(bits & MACH_PORT_TYPE_SEND_ONCE))
			break;
		return ipc_right_delta_sonce(space, name, entry, delta);
	case MACH_PORT_RIGHT_DEAD_NAME:
		return ipc_right_delta_dead(space, name, entry, delta);
	case MACH_PORT_RIGHT_SEND:
		if (!(bits & MACH_PORT_TYPE_SEND))
			break;
		return ipc_right_delta_send(space, name, entry, delta);
	default:
		is_unlock(space);
		return KERN_INVALID_VALUE;
	}
	is_unlock(space);
	return KERN_INVALID_RIGHT;
}

/* Register a request on a live port right; may need the table grown. */
static kern_return_t ipc_right_dnrequest_port(ipc_space_t space, mach_port_name_t name,
					      ipc_entry_t entry, ipc_port_t port,
					      ipc_port_t notify, ipc_port_t *previousp)
{
	uint32_t index;
	kern_return_t kr;

	/* Swap with the right registered before: its slot is then free. */
	*previousp = ipc_right_dncancel(space, port, name, entry);
	if (notify == IP_NULL) {
		ip_unlock(port);
		is_unlock(space);
		return KERN_SUCCESS;
	}
	kr = ipc_port_dnrequest(port, space, name, notify, &index);
	if (kr == KERN_SUCCESS) {
		entry->ie_request = index;
		ip_unlock(port);
		is_unlock(space);
		return KERN_SUCCESS;
	}
	assert(*previousp == IP_NULL);
	ip_reference(port);
	ip_unlock(port);
	is_unlock(space);
	kr = ipc_port_dngrow(port);
	ipc_port_release(port);
	return kr == KERN_SUCCESS ? KERN_NO_SPACE : kr;	/* KERN_NO_SPACE: retry */
}

kern_return_t ipc_right_dnrequest(ipc_space_t space, mach_port_name_t name,
				  bool immediate, ipc_port_t notify,
				  ipc_port_t *previousp)
{
	ipc_entry_t entry;
	ipc_entry_bits_t bits;
	kern_return_t kr;

	for (;;) {
		kr = ipc_right_lookup(space, name, &entry);
		if (kr != KERN_SUCCESS)
			return kr;
		bits = entry->ie_bits;
		if (bits & MACH_PORT_TYPE_PORT_RIGHTS) {
			ipc_port_t port = (ipc_port_t)entry->ie_object;

			if ((bits & MACH_PORT_TYPE_RECEIVE) ?
			    (ip_lock(port), true) : !ipc_right_check(space, port, name, entry)) {
				kr = ipc_right_dnrequest_port(space, name, entry, port,
							      notify, previousp);
				if (kr == KERN_NO_SPACE)
					continue;
				return kr;
			}
			bits = entry->ie_bits;
		}
		break;
	}
	if ((bits & MACH_PORT_TYPE_DEAD_NAME) && immediate && IP_VALID(notify)) {
		if (ipc_urefs_overflow(IE_BITS_UREFS(bits), 1)) {
			is_unlock(space);
			return KERN_UREFS_OVERFLOW;
		}
		/* The notification carries a uref of the dead name. */
		entry->ie_bits = bits + 1;
		is_unlock(space);
		ipc_notify_dead_name(notify, name);
		*previousp = IP_NULL;
		return KERN_SUCCESS;
	}
	is_unlock(space);
	return (bits & MACH_PORT_TYPE_PORT_OR_DEAD) ? KERN_INVALID_ARGUMENT : KERN_INVALID_RIGHT;
}

/* Copyin of a dead name (or of a right whose port died). */
static kern_return_t ipc_right_copyin_dead(ipc_entry_t entry, bool move, bool deadok,
					   ipc_port_t *portp)
{
	if (!deadok)
		return KERN_INVALID_RIGHT;
	if (move) {
		if (IE_BITS_UREFS(entry->ie_bits) == 1)
			entry->ie_bits &= ~IE_BITS_RIGHT_MASK;	/* the caller frees it */
		else
			entry->ie_bits--;
	}
	*portp = IP_DEAD;
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_copyin_receive(ipc_space_t space, mach_port_name_t name,
					      ipc_entry_t entry, ipc_port_t *portp,
					      ipc_port_t *sorightp)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	ip_lock(port);
	if (bits & MACH_PORT_TYPE_SEND) {
		/* The send right stays, now a send-only entry with its own ref. */
		ipc_hash_insert(space, port, name);
		ip_reference(port);
	} else {
		*sorightp = ipc_right_dncancel(space, port, name, entry);
		entry->ie_object = NULL;
	}
	entry->ie_bits = bits & ~MACH_PORT_TYPE_RECEIVE;
	ipc_port_clear_receiver(port);
	ip_unlock(port);
	*portp = port;
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_copyin_send(ipc_space_t space, mach_port_name_t name,
					   ipc_entry_t entry, bool move, bool deadok,
					   ipc_port_t *portp, ipc_port_t *sorightp)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	if (bits & MACH_PORT_TYPE_DEAD_NAME)
		return ipc_right_copyin_dead(entry, move, deadok, portp);
	if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS))
		return KERN_INVALID_RIGHT;
	if (bits & MACH_PORT_TYPE_RECEIVE)
		ip_lock(port);
	else if (ipc_right_check(space, port, name, entry))
		return ipc_right_copyin_dead(entry, move, deadok, portp);
	if (!(bits & MACH_PORT_TYPE_SEND)) {
		ip_unlock(port);
		return KERN_INVALID_RIGHT;
	}
	if (move && IE_BITS_UREFS(bits) == 1) {
		/* The entry's right itself moves. */
		if (bits & MACH_PORT_TYPE_RECEIVE) {
			ip_reference(port);
		} else {
			*sorightp = ipc_right_dncancel(space, port, name, entry);
			ipc_hash_delete(space, port, name);
			entry->ie_object = NULL;
		}
		entry->ie_bits = bits & ~(IE_BITS_UREFS_MASK | MACH_PORT_TYPE_SEND);
	} else {
		port->ip_srights++;
		ip_reference(port);
		if (move)
			entry->ie_bits = bits - 1;
	}
	ip_unlock(port);
	*portp = port;
	return KERN_SUCCESS;
}

static kern_return_t ipc_right_copyin_sonce(ipc_space_t space, mach_port_name_t name,
					    ipc_entry_t entry, bool deadok,
					    ipc_port_t *portp, ipc_port_t *sorightp)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	if (bits & MACH_PORT_TYPE_DEAD_NAME)
		return ipc_right_copyin_dead(entry, true, deadok, portp);
	if (!(bits & MACH_PORT_TYPE_SEND_RIGHTS))
		return KERN_INVALID_RIGHT;
	if (bits & MACH_PORT_TYPE_RECEIVE)
		ip_lock(port);
	else if (ipc_right_check(space, port, name, entry))
		return ipc_right_copyin_dead(entry, true, deadok, portp);
	if (!(bits & MACH_PORT_TYPE_SEND_ONCE)) {
		ip_unlock(port);
		return KERN_INVALID_RIGHT;
	}
	*sorightp = ipc_right_dncancel(space, port, name, entry);
	ip_unlock(port);
	entry->ie_object = NULL;
	entry->ie_bits = bits & ~IE_BITS_RIGHT_MASK;
	*portp = port;
	return KERN_SUCCESS;
}

kern_return_t ipc_right_copyin(ipc_space_t space, mach_port_name_t name,
			       ipc_entry_t entry, mach_msg_type_name_t disposition,
			       bool deadok, ipc_port_t *portp, ipc_port_t *sorightp)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	*sorightp = IP_NULL;
	switch (disposition) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (!(bits & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		ip_lock(port);
		if (disposition == MACH_MSG_TYPE_MAKE_SEND) {
			port->ip_mscount++;
			port->ip_srights++;
		} else {
			port->ip_sorights++;
		}
		ip_reference(port);
		ip_unlock(port);
		*portp = port;
		return KERN_SUCCESS;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (!(bits & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		return ipc_right_copyin_receive(space, name, entry, portp, sorightp);
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		return ipc_right_copyin_send(space, name, entry,
					     disposition == MACH_MSG_TYPE_MOVE_SEND,
					     deadok, portp, sorightp);
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return ipc_right_copyin_sonce(space, name, entry, deadok, portp, sorightp);
	default:
		return KERN_INVALID_VALUE;
	}
}

kern_return_t ipc_right_copyout(ipc_space_t space, mach_port_name_t name,
				ipc_entry_t entry, mach_msg_type_name_t type,
				bool overflow, ipc_port_t port)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t dest = IP_NULL;

	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		entry->ie_object = &port->ip_object;
		entry->ie_bits = bits | MACH_PORT_TYPE_SEND_ONCE | 1;
		break;
	case MACH_MSG_TYPE_PORT_SEND:
		if (bits & MACH_PORT_TYPE_SEND) {
			/* Coalesce: the entry already holds a send right and a ref. */
			if (IE_BITS_UREFS(bits) + 1 >= IE_UREFS_MAX) {
				if (!overflow) {
					ip_unlock(port);
					return KERN_UREFS_OVERFLOW;
				}
				bits--;		/* pegged at the maximum */
			}
			port->ip_srights--;
			ip_release_nonlast(port);
		} else if (bits & MACH_PORT_TYPE_RECEIVE) {
			ip_release_nonlast(port);
		} else {
			entry->ie_object = &port->ip_object;
			ipc_hash_insert(space, port, name);
		}
		entry->ie_bits = (bits | MACH_PORT_TYPE_SEND) + 1;
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		if (port->ip_state == IPC_PORT_IN_TRANSIT)
			dest = ipc_port_clear_in_transit(port);
		ipc_port_set_receiver(port, space, name);
		if (bits & MACH_PORT_TYPE_SEND) {
			/* The send-only entry becomes send+receive: one ref will do. */
			ip_release_nonlast(port);
			ipc_hash_delete(space, port, name);
		}
		entry->ie_object = &port->ip_object;
		entry->ie_bits = bits | MACH_PORT_TYPE_RECEIVE;
		break;
	default:
		ip_unlock(port);
		return KERN_INVALID_VALUE;
	}
	ip_unlock(port);
	if (dest)
		ipc_port_release(dest);
	return KERN_SUCCESS;
}

bool ipc_right_reverse(ipc_space_t space, ipc_port_t port,
		       mach_port_name_t *namep, ipc_entry_t *entryp)
{
	mach_port_name_t name;

	ip_lock(port);
	if (!ip_active(port)) {
		ip_unlock(port);
		return false;
	}
	if (port->ip_receiver == space) {
		name = port->ip_receiver_name;
	} else {
		name = ipc_hash_lookup(space, port);
		if (name == MACH_PORT_NAME_NULL) {
			ip_unlock(port);
			return false;
		}
	}
	*namep = name;
	*entryp = &space->is_table[MACH_PORT_INDEX(name)];
	return true;
}

void ipc_right_rename(ipc_space_t space, mach_port_name_t oname, ipc_entry_t oentry,
		      mach_port_name_t nname, ipc_entry_t nentry)
{
	ipc_entry_bits_t bits = oentry->ie_bits;
	uint32_t request = oentry->ie_request;
	ipc_object_t object = oentry->ie_object;

	if (request) {
		ipc_port_t port = (ipc_port_t)object;

		if ((bits & MACH_PORT_TYPE_RECEIVE) ?
		    (ip_lock(port), true) : !ipc_right_check(space, port, oname, oentry)) {
			ipc_port_dnrename(port, request, nname);
			ip_unlock(port);
			oentry->ie_request = 0;
		} else {
			/* Died meanwhile: rename the dead name it became. */
			bits = oentry->ie_bits;
			request = 0;
			object = NULL;
		}
	}
	nentry->ie_bits |= bits & IE_BITS_RIGHT_MASK;
	nentry->ie_request = request;
	nentry->ie_object = object;

	switch (IE_BITS_TYPE(bits)) {
	case MACH_PORT_TYPE_SEND:
		ipc_hash_delete(space, (ipc_port_t)object, oname);
		ipc_hash_insert(space, (ipc_port_t)object, nname);
		break;
	case MACH_PORT_TYPE_RECEIVE:
	case MACH_PORT_TYPE_SEND_RECEIVE: {
		ipc_port_t port = (ipc_port_t)object;

		ip_lock(port);
		port->ip_receiver_name = nname;
		ip_unlock(port);
		break;
	}
	case MACH_PORT_TYPE_PORT_SET: {
		ipc_pset_t pset = (ipc_pset_t)object;

		ips_lock(pset);
		pset->ips_local_name = nname;
		ips_unlock(pset);
		break;
	}
	default:
		break;
	}
	oentry->ie_object = NULL;
	oentry->ie_request = 0;
	ipc_entry_dealloc(space, oname, oentry);
}

void ipc_right_clean(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	mach_port_type_t type = IE_BITS_TYPE(bits);
	struct ipc_right_notes n = IPC_RIGHT_NOTES_INIT;
	ipc_port_t port;

	if (type == MACH_PORT_TYPE_DEAD_NAME)
		return;
	if (type == MACH_PORT_TYPE_PORT_SET) {
		ipc_pset_destroy((ipc_pset_t)entry->ie_object);
		return;
	}
	port = (ipc_port_t)entry->ie_object;
	ip_lock(port);
	if (!ip_active(port)) {
		ip_unlock(port);
		entry->ie_request = 0;
		ipc_port_release(port);
		return;
	}
	n.name = name;
	n.dnrequest = ipc_right_dncancel(space, port, name, entry);
	if (type & MACH_PORT_TYPE_SEND)
		ipc_right_drop_srights(port, &n);
	if (type & MACH_PORT_TYPE_RECEIVE) {
		ipc_port_clear_receiver(port);
		ipc_port_destroy(port);
	} else if (type & MACH_PORT_TYPE_SEND_ONCE) {
		ip_unlock(port);
		ipc_notify_send_once(port);
	} else {
		ip_unlock(port);
		ipc_port_release(port);
	}
	ipc_right_notify(&n);
}

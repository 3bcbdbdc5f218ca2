/* SPDX-License-Identifier: MIT */
/*
 * Rights: the operations on what one entry of a space denotes. Mach's
 * ipc_right.c in shape; mach_port.c and ipc_object.c are built on these.
 *
 * Conventions: `space` is locked and active on entry; the functions that
 * say "unlocks" return with it unlocked, the others leave it locked.
 * Notifications are generated (ipc_notify_*) only after every lock is
 * dropped.
 *
 * Dead names appear lazily, as in Mach: when a port dies, the entries of
 * other spaces naming its send or send-once rights are not touched;
 * ipc_right_check() turns such an entry into a dead name (keeping its
 * user references, plus one if it had a dead-name request, which was
 * notified when the port died) the next time anything looks at it, so
 * no caller ever sees a send right to a dead port.
 */
#ifndef _IPC_IPC_RIGHT_H
#define _IPC_IPC_RIGHT_H

#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>

/*
 * Lock the space and look `name` up: KERN_SUCCESS with the space locked,
 * or KERN_INVALID_TASK, KERN_INVALID_NAME with nothing locked.
 */
static inline kern_return_t ipc_right_lookup(ipc_space_t space, mach_port_name_t name,
					     ipc_entry_t *entryp)
{
	kern_return_t kr = ipc_space_lock_active(space);

	if (unlikely(kr != KERN_SUCCESS))
		return kr;
	*entryp = ipc_entry_lookup(space, name);
	if (unlikely(*entryp == IE_NULL)) {
		is_unlock(space);
		return KERN_INVALID_NAME;
	}
	return KERN_SUCCESS;
}

/*
 * For an entry naming send or send-once rights: false with the port
 * locked if the port is active; true, with the entry turned into a dead
 * name and the port's reference dropped, if it died. Space locked.
 */
bool ipc_right_check(ipc_space_t space, ipc_port_t port, mach_port_name_t name,
		     ipc_entry_t entry);

/* The name's type (MACH_PORT_TYPE_*, with DNREQUEST) and urefs. */
void ipc_right_info(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
		    mach_port_type_t *typep, mach_port_urefs_t *urefsp);

/* Every case of ipc_right_destroy() but its inline one. Unlocks. */
kern_return_t ipc_right_destroy_general(ipc_space_t space, mach_port_name_t name,
					ipc_entry_t entry);

/*
 * Destroy every right of the name (mach_port_destroy). Unlocks.
 *
 * Inline, the common case: a receive right alone (no send rights under
 * the name, no dead-name request) whose port has nothing attached
 * (ipc_port_attached()) dies in one hold of the port's lock, without
 * ipc_port_clear_receiver() and ipc_port_destroy(), which would find
 * nothing to do; it leaves the port dead and fresh (ipc_port_construct():
 * the fields a life dirties without attaching anything are the
 * receiver's, mscount, seqno and qlimit) for the zone when its last
 * reference goes.
 */
static inline kern_return_t ipc_right_destroy(ipc_space_t space, mach_port_name_t name,
					      ipc_entry_t entry)
{
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	if (unlikely(IE_BITS_TYPE(entry->ie_bits) != MACH_PORT_TYPE_RECEIVE ||
		     entry->ie_request != 0))
		return ipc_right_destroy_general(space, name, entry);
	ip_lock_nested(port);
	if (unlikely(ipc_port_attached(port))) {
		ip_unlock_nested(port);
		return ipc_right_destroy_general(space, name, entry);
	}
	ipc_entry_dealloc(space, name, entry);
	port->ip_state = IPC_PORT_DEAD;
	port->ip_receiver_name = MACH_PORT_NAME_NULL;
	port->ip_receiver = IS_NULL;
	port->ip_mscount = 0;
	port->ip_seqno = 0;
	port->ip_qlimit = MACH_PORT_QLIMIT_DEFAULT;
	port->ip_msgcount = 0;		/* it is (nothing queued): one store with qlimit */
	ip_unlock_nested(port);
	is_unlock(space);
	ipc_stat_add(IPC_STAT_PORTS_ACTIVE, -1);
	ipc_port_release(port);		/* the entry's reference */
	return KERN_SUCCESS;
}

/* One user reference of a send, send-once or dead name. Unlocks. */
kern_return_t ipc_right_dealloc(ipc_space_t space, mach_port_name_t name,
				ipc_entry_t entry);

/* mach_port_mod_refs. Unlocks. */
kern_return_t ipc_right_delta(ipc_space_t space, mach_port_name_t name,
			      ipc_entry_t entry, mach_port_right_t right,
			      mach_port_delta_t delta);

/*
 * Register (notify valid), or cancel (notify IP_NULL), a dead-name
 * request on the name; *previousp gets the send-once right registered
 * before. On a dead name with `immediate`, the notification is sent at
 * once (and the name gains a uref). Nothing locked on entry or return.
 * KERN_INVALID_TASK, KERN_INVALID_NAME, KERN_INVALID_RIGHT (not a port
 * right or dead name), KERN_INVALID_ARGUMENT (dead name without
 * immediate or notify), KERN_UREFS_OVERFLOW, KERN_RESOURCE_SHORTAGE.
 * Consumes notify only on success.
 */
kern_return_t ipc_right_dnrequest(ipc_space_t space, mach_port_name_t name,
				  bool immediate, ipc_port_t notify,
				  ipc_port_t *previousp);

/* Cancel the entry's dead-name request (port locked, active). */
ipc_port_t ipc_right_dncancel(ipc_space_t space, ipc_port_t port,
			      mach_port_name_t name, ipc_entry_t entry);

/*
 * Copy a right in, as ipc_object_copyin() describes, from a looked-up
 * entry. *sorightp gets the send-once right of a dead-name request the
 * name lost (the caller sends it a port-deleted notification once
 * unlocked). The entry may be left of type NONE: the caller frees it.
 * With deadok false a dead right is KERN_INVALID_RIGHT. Space stays locked.
 */
kern_return_t ipc_right_copyin(ipc_space_t space, mach_port_name_t name,
			       ipc_entry_t entry, mach_msg_type_name_t disposition,
			       bool deadok, ipc_port_t *portp, ipc_port_t *sorightp);

/*
 * Copy a right out into `entry` (fresh, or the one that names the port's
 * send/receive rights). Port locked and active on entry, unlocked on
 * return; space stays locked. Consumes the right except on
 * KERN_UREFS_OVERFLOW.
 */
kern_return_t ipc_right_copyout(ipc_space_t space, mach_port_name_t name,
				ipc_entry_t entry, mach_msg_type_name_t type,
				bool overflow, ipc_port_t port);

/*
 * The name under which `space` holds send or receive rights to `port`:
 * true with the port locked and active, else false (port unlocked).
 */
bool ipc_right_reverse(ipc_space_t space, ipc_port_t port,
		       mach_port_name_t *namep, ipc_entry_t *entryp);

/* Move the rights of oname to the free nentry. Space stays locked. */
void ipc_right_rename(ipc_space_t space, mach_port_name_t oname, ipc_entry_t oentry,
		      mach_port_name_t nname, ipc_entry_t nentry);

/* Release what an entry of a dead space holds (ipc_space_destroy). */
void ipc_right_clean(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry);

#endif /* _IPC_IPC_RIGHT_H */

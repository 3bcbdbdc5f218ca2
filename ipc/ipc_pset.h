/* SPDX-License-Identifier: MIT */
/*
 * Port sets. A set is named in one space; its members are ports whose
 * receive rights are in that same space, each in at most one set. Part 2
 * lets a thread receive from a set: from any member's queue.
 *
 * Locking: ips_lock after the port's lock. The member list changes with
 * the space's lock, the member's lock and the set's lock all held, so a
 * reader needs only one of the space's or the set's lock.
 */
#ifndef _IPC_IPC_PSET_H
#define _IPC_IPC_PSET_H

#include <ipc/ipc_object.h>
#include <ipc/ipc_mqueue.h>

struct ipc_pset {
	struct ipc_object	ips_object;	/* lock, references */
	bool			ips_active;
	mach_port_name_t	ips_local_name;	/* its name in its space */
	ipc_space_t		ips_space;
	ipc_port_t		ips_members;	/* first member */
	unsigned int		ips_count;	/* members */
	/* Its members' messages and the receivers waiting on it (ipc_mqueue.h). */
	struct ipc_mqueue	ips_messages;
};

#define IPS_NULL	((ipc_pset_t)0)

static inline void ips_lock(ipc_pset_t pset)	{ io_lock(&pset->ips_object); }
static inline void ips_unlock(ipc_pset_t pset)	{ io_unlock(&pset->ips_object); }

/*
 * A new empty set named in `space` (fresh name, or the given one).
 * KERN_INVALID_TASK, KERN_NO_SPACE, KERN_NAME_EXISTS, KERN_RESOURCE_SHORTAGE.
 */
kern_return_t ipc_pset_alloc(ipc_space_t space, mach_port_name_t *namep);
kern_return_t ipc_pset_alloc_name(ipc_space_t space, mach_port_name_t name);

/* Add / remove a member: space, port and set locked as above. */
void ipc_pset_add(ipc_pset_t pset, ipc_port_t port);
void ipc_pset_remove(ipc_pset_t pset, ipc_port_t port);

/*
 * Release every member and make the set inactive, consuming the caller's
 * reference (the entry's). The space is locked or dead; nothing else locked.
 */
void ipc_pset_destroy(ipc_pset_t pset);

void ipc_pset_release(ipc_pset_t pset);

#endif /* _IPC_IPC_PSET_H */

// SPDX-License-Identifier: MIT
/*
 * The mach_port interface on a space (mach_port.h), with Mach's errors.
 */
#include <kern/string.h>
#include <kern/zalloc.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>

/* kfree() of what may be NULL. */
static void ipc_kfree(void *ptr, vm_size_t size)
{
	if (ptr)
		kfree(ptr, size);
}

/* A dead name with one uref, under a fresh or a given name. */
static kern_return_t ipc_dead_name_alloc(ipc_space_t space, bool named,
					 mach_port_name_t *namep)
{
	ipc_entry_t entry;
	kern_return_t kr;

	kr = ipc_entry_alloc_new(space, named, namep, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	entry->ie_bits |= MACH_PORT_TYPE_DEAD_NAME | 1;
	is_unlock(space);
	return KERN_SUCCESS;
}

kern_return_t ipc_mach_port_allocate(ipc_space_t space, mach_port_right_t right,
				 mach_port_name_t *name)
{
	/* The common case first; ipc_port_alloc() refuses a null space. */
	if (likely(right == MACH_PORT_RIGHT_RECEIVE))
		return ipc_port_alloc(space, name);
	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	switch (right) {
	case MACH_PORT_RIGHT_PORT_SET:
		return ipc_pset_alloc(space, name);
	case MACH_PORT_RIGHT_DEAD_NAME:
		return ipc_dead_name_alloc(space, false, name);
	default:
		return KERN_INVALID_VALUE;
	}
}

kern_return_t ipc_mach_port_allocate_name(ipc_space_t space, mach_port_right_t right,
				      mach_port_name_t name)
{
	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_NAME_VALID(name) || MACH_PORT_INDEX(name) == 0)
		return KERN_INVALID_VALUE;
	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		return ipc_port_alloc_name(space, name);
	case MACH_PORT_RIGHT_PORT_SET:
		return ipc_pset_alloc_name(space, name);
	case MACH_PORT_RIGHT_DEAD_NAME:
		return ipc_dead_name_alloc(space, true, &name);
	default:
		return KERN_INVALID_VALUE;
	}
}

kern_return_t ipc_mach_port_destroy(ipc_space_t space, mach_port_name_t name)
{
	ipc_entry_t entry;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_NAME_VALID(name))
		return KERN_SUCCESS;
	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	return ipc_right_destroy(space, name, entry);
}

kern_return_t ipc_mach_port_deallocate(ipc_space_t space, mach_port_name_t name)
{
	ipc_entry_t entry;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_NAME_VALID(name))
		return KERN_SUCCESS;
	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	return ipc_right_dealloc(space, name, entry);
}

kern_return_t ipc_mach_port_type(ipc_space_t space, mach_port_name_t name,
			     mach_port_type_t *ptype)
{
	mach_port_urefs_t urefs;
	ipc_entry_t entry;
	kern_return_t kr;

	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	ipc_right_info(space, name, entry, ptype, &urefs);
	is_unlock(space);
	return KERN_SUCCESS;
}

kern_return_t ipc_mach_port_get_refs(ipc_space_t space, mach_port_name_t name,
				 mach_port_right_t right, mach_port_urefs_t *refs)
{
	mach_port_type_t type;
	mach_port_urefs_t urefs;
	ipc_entry_t entry;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	ipc_right_info(space, name, entry, &type, &urefs);
	is_unlock(space);
	if (!(type & MACH_PORT_TYPE(right)))
		*refs = 0;
	else if (right == MACH_PORT_RIGHT_SEND || right == MACH_PORT_RIGHT_DEAD_NAME)
		*refs = urefs;
	else
		*refs = 1;
	return KERN_SUCCESS;
}

kern_return_t ipc_mach_port_mod_refs(ipc_space_t space, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	ipc_entry_t entry;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	return ipc_right_delta(space, name, entry, right, delta);
}

/*
 * The receive right `name` denotes: KERN_SUCCESS with the space and the
 * port locked, KERN_INVALID_TASK, KERN_INVALID_NAME or KERN_INVALID_RIGHT.
 */
static kern_return_t ipc_port_translate_receive(ipc_space_t space, mach_port_name_t name,
						ipc_port_t *portp)
{
	ipc_entry_t entry;
	kern_return_t kr;

	kr = ipc_right_lookup(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!(entry->ie_bits & MACH_PORT_TYPE_RECEIVE)) {
		is_unlock(space);
		return KERN_INVALID_RIGHT;
	}
	*portp = (ipc_port_t)entry->ie_object;
	ip_lock(*portp);
	return KERN_SUCCESS;
}

static void ipc_port_translate_done(ipc_space_t space, ipc_port_t port)
{
	ip_unlock(port);
	is_unlock(space);
}

/* The receive-right counters that mach_port_set_* may change. */
enum ipc_port_counter { IPC_PORT_QLIMIT, IPC_PORT_MSCOUNT, IPC_PORT_SEQNO };

static kern_return_t ipc_mach_port_set_counter(ipc_space_t space, mach_port_name_t name,
					       enum ipc_port_counter which,
					       natural_t value)
{
	ipc_pset_t pset;
	ipc_port_t port;
	kern_return_t kr;

	kr = ipc_port_translate_receive(space, name, &port);
	if (kr != KERN_SUCCESS)
		return kr;
	/* The queue's counters are the message lock's: the set's too (ipc_mqueue.h). */
	pset = port->ip_pset;
	if (pset)
		ips_lock(pset);
	switch (which) {
	case IPC_PORT_QLIMIT:
		/* Blocked senders look again if the limit went up. */
		if (value > port->ip_qlimit)
			ipc_mqueue_wake_senders(port);
		port->ip_qlimit = value;
		break;
	case IPC_PORT_MSCOUNT:
		port->ip_mscount = value;
		break;
	case IPC_PORT_SEQNO:
		port->ip_seqno = value;
		break;
	}
	if (pset)
		ips_unlock(pset);
	ipc_port_translate_done(space, port);
	return KERN_SUCCESS;
}

kern_return_t ipc_mach_port_set_qlimit(ipc_space_t space, mach_port_name_t name,
				   mach_port_msgcount_t qlimit)
{
	if (qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	return ipc_mach_port_set_counter(space, name, IPC_PORT_QLIMIT, qlimit);
}

kern_return_t ipc_mach_port_set_mscount(ipc_space_t space, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return ipc_mach_port_set_counter(space, name, IPC_PORT_MSCOUNT, mscount);
}

kern_return_t ipc_mach_port_set_seqno(ipc_space_t space, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return ipc_mach_port_set_counter(space, name, IPC_PORT_SEQNO, seqno);
}

kern_return_t ipc_mach_port_get_attributes(ipc_space_t space, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	mach_msg_type_number_t need;
	ipc_port_t port;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (flavor == MACH_PORT_LIMITS_INFO)
		need = MACH_PORT_LIMITS_INFO_COUNT;
	else if (flavor == MACH_PORT_RECEIVE_STATUS)
		need = MACH_PORT_RECEIVE_STATUS_COUNT;
	else
		return KERN_INVALID_ARGUMENT;
	if (!port_info_out || !port_info_outCnt || *port_info_outCnt < need)
		return KERN_FAILURE;
	kr = ipc_port_translate_receive(space, name, &port);
	if (kr != KERN_SUCCESS)
		return kr;
	if (flavor == MACH_PORT_LIMITS_INFO) {
		mach_port_limits_t *lp = (mach_port_limits_t *)port_info_out;

		lp->mpl_qlimit = port->ip_qlimit;
	} else {
		mach_port_status_t *sp = (mach_port_status_t *)port_info_out;

		sp->mps_pset = port->ip_pset ? port->ip_pset->ips_local_name :
					       MACH_PORT_NAME_NULL;
		sp->mps_seqno = port->ip_seqno;
		sp->mps_mscount = port->ip_mscount;
		sp->mps_qlimit = port->ip_qlimit;
		sp->mps_msgcount = port->ip_msgcount;
		sp->mps_sorights = port->ip_sorights;
		sp->mps_srights = port->ip_srights > 0;
		sp->mps_pdrequest = port->ip_pdrequest != IP_NULL;
		sp->mps_nsrequest = port->ip_nsrequest != IP_NULL;
		sp->mps_flags = 0;
	}
	ipc_port_translate_done(space, port);
	*port_info_outCnt = need;
	return KERN_SUCCESS;
}

kern_return_t ipc_mach_port_set_attributes(ipc_space_t space, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	mach_port_limits_t *lp = (mach_port_limits_t *)port_info;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (flavor != MACH_PORT_LIMITS_INFO)
		return KERN_INVALID_ARGUMENT;
	if (!port_info || port_infoCnt < MACH_PORT_LIMITS_INFO_COUNT)
		return KERN_FAILURE;
	return ipc_mach_port_set_qlimit(space, name, lp->mpl_qlimit);
}

/*
 * Both arrays of ipc_mach_port_names(), sized from a snapshot: the space may
 * change while unlocked, so allocate, then fill what fits and retry if it
 * grew.
 */
kern_return_t ipc_mach_port_names(ipc_space_t space,
			      mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	mach_port_name_t *nbuf = NULL;
	mach_port_type_t *tbuf = NULL;
	unsigned int cap = 0, n;
	ipc_entry_index_t i;
	kern_return_t kr;

	for (;;) {
		kr = ipc_space_lock_active(space);
		if (kr != KERN_SUCCESS)
			goto fail;
		if (space->is_entries <= cap)
			break;
		n = space->is_entries;
		is_unlock(space);
		ipc_kfree(nbuf, sizeof(*nbuf) * cap);
		ipc_kfree(tbuf, sizeof(*tbuf) * cap);
		cap = n;
		nbuf = kalloc(sizeof(*nbuf) * cap);
		tbuf = kalloc(sizeof(*tbuf) * cap);
		if (!nbuf || !tbuf) {
			kr = KERN_RESOURCE_SHORTAGE;
			goto fail;
		}
	}
	for (i = 1, n = 0; i < space->is_table_size; i++) {
		ipc_entry_t entry = &space->is_table[i];
		mach_port_name_t name = MACH_PORT_MAKE(i, IE_BITS_GEN(entry->ie_bits));
		mach_port_urefs_t urefs;

		if (IE_BITS_TYPE(entry->ie_bits) == MACH_PORT_TYPE_NONE)
			continue;
		nbuf[n] = name;
		ipc_right_info(space, name, entry, &tbuf[n], &urefs);
		n++;
	}
	is_unlock(space);
	if (n == 0) {
		ipc_kfree(nbuf, sizeof(*nbuf) * cap);
		ipc_kfree(tbuf, sizeof(*tbuf) * cap);
		nbuf = NULL;
		tbuf = NULL;
	} else if (n < cap) {
		/* Hand back exactly n, as the caller frees with the count. */
		mach_port_name_t *n2 = kalloc(sizeof(*n2) * n);
		mach_port_type_t *t2 = kalloc(sizeof(*t2) * n);

		if (!n2 || !t2) {
			ipc_kfree(n2, sizeof(*n2) * n);
			ipc_kfree(t2, sizeof(*t2) * n);
			kr = KERN_RESOURCE_SHORTAGE;
			goto fail;
		}
		memcpy(n2, nbuf, sizeof(*n2) * n);
		memcpy(t2, tbuf, sizeof(*t2) * n);
		ipc_kfree(nbuf, sizeof(*nbuf) * cap);
		ipc_kfree(tbuf, sizeof(*tbuf) * cap);
		nbuf = n2;
		tbuf = t2;
	}
	*names = nbuf;
	*types = tbuf;
	*namesCnt = *typesCnt = n;
	return KERN_SUCCESS;
fail:
	ipc_kfree(nbuf, sizeof(*nbuf) * cap);
	ipc_kfree(tbuf, sizeof(*tbuf) * cap);
	return kr;
}

kern_return_t ipc_mach_port_rename(ipc_space_t space, mach_port_name_t old_name,
			       mach_port_name_t new_name)
{
	ipc_entry_t oentry, nentry;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_NAME_VALID(new_name) || MACH_PORT_INDEX(new_name) == 0)
		return KERN_INVALID_VALUE;
	/* Claim the new name first: it may grow the table. */
	kr = ipc_entry_alloc_name(space, new_name, &nentry);
	if (kr != KERN_SUCCESS)
		return kr;
	oentry = ipc_entry_lookup(space, old_name);
	if (!oentry) {
		if (IE_BITS_TYPE(nentry->ie_bits) == MACH_PORT_TYPE_NONE)
			ipc_entry_dealloc(space, new_name, nentry);
		is_unlock(space);
		return KERN_INVALID_NAME;
	}
	if (IE_BITS_TYPE(nentry->ie_bits) != MACH_PORT_TYPE_NONE) {
		is_unlock(space);
		return KERN_NAME_EXISTS;
	}
	ipc_right_rename(space, old_name, oentry, new_name, nentry);
	is_unlock(space);
	return KERN_SUCCESS;
}

/* The set `name` denotes (space locked): KERN_INVALID_NAME / _RIGHT. */
static kern_return_t ipc_pset_translate(ipc_space_t space, mach_port_name_t name,
					ipc_pset_t *psetp)
{
	ipc_entry_t entry = ipc_entry_lookup(space, name);

	if (!entry)
		return KERN_INVALID_NAME;
	if (!(entry->ie_bits & MACH_PORT_TYPE_PORT_SET))
		return KERN_INVALID_RIGHT;
	*psetp = (ipc_pset_t)entry->ie_object;
	return KERN_SUCCESS;
}

/* Put a locked port in nset (or none), out of its set. Space locked. */
static void ipc_port_move_to_set(ipc_port_t port, ipc_pset_t nset)
{
	ipc_pset_t oset = port->ip_pset;

	if (oset) {
		ips_lock(oset);
		ipc_pset_remove(oset, port);
		ips_unlock(oset);
	}
	if (nset) {
		ips_lock(nset);
		ipc_pset_add(nset, port);
		ips_unlock(nset);
	}
}

/*
 * Look up member (a receive right) and set (a port set, or none for
 * MACH_PORT_NULL): the space and the port are locked on success.
 */
static kern_return_t ipc_member_translate(ipc_space_t space, mach_port_name_t member,
					  mach_port_name_t set, ipc_port_t *portp,
					  ipc_pset_t *psetp)
{
	ipc_entry_t entry;
	kern_return_t kr;

	kr = ipc_right_lookup(space, member, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	*psetp = IPS_NULL;
	if (set != MACH_PORT_NAME_NULL) {
		kr = ipc_pset_translate(space, set, psetp);
		if (kr == KERN_INVALID_NAME) {
			is_unlock(space);
			return kr;
		}
	}
	if (!(entry->ie_bits & MACH_PORT_TYPE_RECEIVE) || kr != KERN_SUCCESS) {
		is_unlock(space);
		return KERN_INVALID_RIGHT;
	}
	*portp = (ipc_port_t)entry->ie_object;
	ip_lock(*portp);
	return KERN_SUCCESS;
}

kern_return_t ipc_mach_port_move_member(ipc_space_t space, mach_port_name_t member,
				    mach_port_name_t after)
{
	ipc_port_t port;
	ipc_pset_t nset;
	kern_return_t kr;

	kr = ipc_member_translate(space, member, after, &port, &nset);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!nset && !port->ip_pset)
		kr = KERN_NOT_IN_SET;
	else if (nset != port->ip_pset)
		ipc_port_move_to_set(port, nset);
	ipc_port_translate_done(space, port);
	return kr;
}

kern_return_t ipc_mach_port_insert_member(ipc_space_t space, mach_port_name_t name,
				      mach_port_name_t pset)
{
	ipc_port_t port;
	ipc_pset_t nset;
	kern_return_t kr;

	if (!MACH_PORT_NAME_VALID(pset))
		return KERN_INVALID_RIGHT;
	kr = ipc_member_translate(space, name, pset, &port, &nset);
	if (kr != KERN_SUCCESS)
		return kr;
	if (port->ip_pset)
		kr = KERN_ALREADY_IN_SET;
	else
		ipc_port_move_to_set(port, nset);
	ipc_port_translate_done(space, port);
	return kr;
}

kern_return_t ipc_mach_port_extract_member(ipc_space_t space, mach_port_name_t name,
				       mach_port_name_t pset)
{
	ipc_port_t port;
	ipc_pset_t oset;
	kern_return_t kr;

	if (!MACH_PORT_NAME_VALID(pset))
		return KERN_INVALID_RIGHT;
	kr = ipc_member_translate(space, name, pset, &port, &oset);
	if (kr != KERN_SUCCESS)
		return kr;
	if (port->ip_pset != oset)
		kr = KERN_NOT_IN_SET;
	else
		ipc_port_move_to_set(port, IPS_NULL);
	ipc_port_translate_done(space, port);
	return kr;
}

kern_return_t ipc_mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt)
{
	mach_port_name_t *buf = NULL;
	unsigned int cap = 0, n;
	ipc_pset_t pset;
	ipc_port_t port;
	kern_return_t kr;

	for (;;) {
		kr = ipc_space_lock_active(space);
		if (kr != KERN_SUCCESS)
			break;
		kr = ipc_pset_translate(space, name, &pset);
		if (kr != KERN_SUCCESS) {
			is_unlock(space);
			break;
		}
		/* The member list is stable under the space lock. */
		if (pset->ips_count <= cap) {
			n = 0;
			for (port = pset->ips_members; port; port = port->ip_pset_next)
				buf[n++] = port->ip_receiver_name;
			is_unlock(space);
			if (n < cap) {
				mach_port_name_t *b2 = n ? kalloc(sizeof(*b2) * n) : NULL;

				if (n && !b2) {
					kr = KERN_RESOURCE_SHORTAGE;
					break;
				}
				if (n)
					memcpy(b2, buf, sizeof(*b2) * n);
				ipc_kfree(buf, sizeof(*buf) * cap);
				buf = b2;
			}
			*members = buf;
			*membersCnt = n;
			return KERN_SUCCESS;
		}
		n = pset->ips_count;
		is_unlock(space);
		ipc_kfree(buf, sizeof(*buf) * cap);
		cap = n;
		buf = kalloc(sizeof(*buf) * cap);
		if (!buf) {
			cap = 0;
			kr = KERN_RESOURCE_SHORTAGE;
			break;
		}
	}
	ipc_kfree(buf, sizeof(*buf) * cap);
	return kr;
}

kern_return_t ipc_mach_port_request_notification(ipc_space_t space, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_port_t *previous)
{
	ipc_port_t port;
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (notify == IP_DEAD)
		return KERN_INVALID_CAPABILITY;
	switch (msgid) {
	case MACH_NOTIFY_PORT_DESTROYED:
		if (sync != 0)
			return KERN_INVALID_VALUE;
		kr = ipc_port_translate_receive(space, name, &port);
		if (kr != KERN_SUCCESS)
			return kr;
		is_unlock(space);
		ipc_port_pdrequest(port, notify, previous);	/* unlocks */
		return KERN_SUCCESS;
	case MACH_NOTIFY_NO_SENDERS:
		kr = ipc_port_translate_receive(space, name, &port);
		if (kr != KERN_SUCCESS)
			return kr;
		is_unlock(space);
		ipc_port_nsrequest(port, sync, notify, previous);	/* unlocks */
		return KERN_SUCCESS;
	case MACH_NOTIFY_DEAD_NAME:
		return ipc_right_dnrequest(space, name, sync != 0, notify, previous);
	default:
		return KERN_INVALID_VALUE;
	}
}

kern_return_t ipc_mach_port_insert_right(ipc_space_t space, mach_port_name_t name,
				     mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_PORT_NAME_VALID(name) || !MACH_MSG_TYPE_PORT_ANY_RIGHT(polyPoly))
		return KERN_INVALID_VALUE;
	if (!IP_VALID(poly))
		return KERN_INVALID_CAPABILITY;
	return ipc_object_copyout_name(space, poly, polyPoly, false, name);
}

kern_return_t ipc_mach_port_extract_right(ipc_space_t space, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	kern_return_t kr;

	if (space == IS_NULL)
		return KERN_INVALID_TASK;
	if (!MACH_MSG_TYPE_PORT_ANY(msgt_name))
		return KERN_INVALID_VALUE;
	kr = ipc_object_copyin(space, name, msgt_name, poly);
	if (kr == KERN_SUCCESS)
		*polyPoly = ipc_object_copyin_type(msgt_name);
	return kr;
}

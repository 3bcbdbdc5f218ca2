// SPDX-License-Identifier: MIT
/*
 * The kernel's side of mach_port.defs (subsystem 3200): the routines a
 * space's port answers about the space (ipc/mach_port.h does the work).
 *
 * The request port converts to an IPC space (convert_port_to_space()):
 * a task's port (IKOT_TASK, the task's space) or the port of an
 * IKOT_SPACE kernel object (convert_space_to_port()). Each routine
 * forwards to ipc_mach_port_X() on that space, so a caller can work on
 * any space whose port it holds, not only its own.
 *
 * Rights arrive and leave in kernel form (ipc_port_t with a
 * MACH_MSG_TYPE_PORT_* type), which is the form ipc_mach_port_*() takes
 * and gives. Arrays leave as out-of-line memory: the kalloc()ed array
 * ipc/mach_port.c returns becomes an ipc_ool_copy, which the reply
 * carries (Documentation/ipc.rst).
 */
#include <kern/zalloc.h>
#include <mach/mach_types.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_port.h>
#include <kernel/mig/mig_convert.h>
#include "mach_portServer.h"

IPC_KOBJECT_DEFINE(IKOT_SPACE,
	.ikt_subsystems = { &mach_port_subsystem },
	.ikt_no_senders = space_port_no_senders);

/*
 * A kalloc()ed array of count elements of size bytes as the out-of-line
 * region a reply carries: *arrayp becomes the copy object (NULL for none).
 */
static kern_return_t mach_port_array_out(void **arrayp, mach_msg_type_number_t count,
					 vm_size_t size)
{
	struct ipc_ool_copy *copy = NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	if (count) {
		mr = ipc_ool_copyin(*arrayp, count * size, false, &copy);
		kfree(*arrayp, count * size);
	}
	*arrayp = copy;
	return mr == MACH_MSG_SUCCESS ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

kern_return_t mach_port_names(ipc_space_t task,
			      mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	kern_return_t kr, kr2;

	kr = ipc_mach_port_names(task, names, namesCnt, types, typesCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_port_array_out((void **)names, *namesCnt, sizeof(**names));
	kr2 = mach_port_array_out((void **)types, *typesCnt, sizeof(**types));
	if (kr == KERN_SUCCESS && kr2 == KERN_SUCCESS)
		return KERN_SUCCESS;
	/* The reply is not sent: nothing carries the copies away. */
	if (*names)
		ipc_ool_copy_discard((struct ipc_ool_copy *)*names);
	if (*types)
		ipc_ool_copy_discard((struct ipc_ool_copy *)*types);
	return KERN_RESOURCE_SHORTAGE;
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *ptype)
{
	return ipc_mach_port_type(task, name, ptype);
}

kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
			       mach_port_name_t new_name)
{
	return ipc_mach_port_rename(task, old_name, new_name);
}

kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
				      mach_port_name_t name)
{
	return ipc_mach_port_allocate_name(task, right, name);
}

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	return ipc_mach_port_allocate(task, right, name);
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return ipc_mach_port_destroy(task, name);
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return ipc_mach_port_deallocate(task, name);
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_urefs_t *refs)
{
	return ipc_mach_port_get_refs(task, name, right, refs);
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	return ipc_mach_port_mod_refs(task, name, right, delta);
}

kern_return_t mach_port_set_qlimit(ipc_space_t task, mach_port_name_t name,
				   mach_port_msgcount_t qlimit)
{
	return ipc_mach_port_set_qlimit(task, name, qlimit);
}

kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return ipc_mach_port_set_mscount(task, name, mscount);
}

kern_return_t mach_port_get_set_status(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt)
{
	kern_return_t kr;

	kr = ipc_mach_port_get_set_status(task, name, members, membersCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	return mach_port_array_out((void **)members, *membersCnt, sizeof(**members));
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	return ipc_mach_port_move_member(task, member, after);
}

/*
 * notify arrives as a send-once right (the .defs' type); previous leaves
 * as a send-once right the reply moves to the caller.
 */
kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_port_t *previous)
{
	return ipc_mach_port_request_notification(task, name, msgid, sync, notify, previous);
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	return ipc_mach_port_insert_right(task, name, poly, polyPoly);
}

/*
 * The right leaves as a result type (MACH_MSG_TYPE_PORT_*), which is also
 * the disposition that moves it: the reply carries it away.
 */
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	return ipc_mach_port_extract_right(task, name, msgt_name, poly, polyPoly);
}

kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return ipc_mach_port_set_seqno(task, name, seqno);
}

kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	return ipc_mach_port_get_attributes(task, name, flavor, port_info_out, port_info_outCnt);
}

kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	return ipc_mach_port_set_attributes(task, name, flavor, port_info, port_infoCnt);
}

/* A task's port, or IKOT_SPACE: the port of an IPC space. */

ipc_space_t convert_port_to_space(mach_port_t port)
{
	ipc_port_t p = (ipc_port_t)port;
	ipc_space_t space = IS_NULL;

	if (!IP_VALID(p))
		return IS_NULL;
	space = convert_task_port_to_space(port);
	if (space)
		return space;
	ip_lock(p);
	if (ip_active(p) && p->ip_kotype == IKOT_SPACE) {
		space = p->ip_kobject;
		ipc_space_reference(space);
	}
	ip_unlock(p);
	return space;
}

void space_deallocate(ipc_space_t space)
{
	if (space)
		ipc_space_release(space);
}

mach_port_t convert_space_to_port(ipc_space_t space)
{
	ipc_port_t port;

	if (!space)
		return MACH_PORT_NULL;
	port = ipc_kobject_port_alloc(space, IKOT_SPACE);
	if (!port) {
		ipc_space_release(space);
		return MACH_PORT_NULL;
	}
	return (mach_port_t)ipc_port_make_send(port);
}

/* The last send right went: the port goes, with the space reference it held. */
void space_port_no_senders(ipc_port_t port, mach_port_mscount_t mscount)
{
	ipc_space_t space = ipc_kobject_get(port, IKOT_SPACE);

	ipc_kobject_port_destroy(port);
	space_deallocate(space);
}

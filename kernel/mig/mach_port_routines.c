// SPDX-License-Identifier: MIT
/*
 * The kernel's side of mach_port.defs (subsystem 3200): the routines a
 * task's port answers about its IPC space.
 *
 * Port spaces arrive with the IPC issue; until then every routine
 * answers KERN_NOT_SUPPORTED, whatever its arguments (the space is
 * always IPC_SPACE_NULL for now anyway). Documentation/interfaces.rst
 * lists what works.
 */
#include <mach/mach_types.h>
#include "mach_portServer.h"

kern_return_t mach_port_names(ipc_space_t task,
			      mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name,
			     mach_port_type_t *ptype)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_rename(ipc_space_t task, mach_port_name_t old_name,
			       mach_port_name_t new_name)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right,
				      mach_port_name_t name)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_urefs_t *refs)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_set_qlimit(ipc_space_t task, mach_port_name_t name,
				   mach_port_msgcount_t qlimit)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
				    mach_port_mscount_t mscount)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_get_set_status(ipc_space_t task, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_port_t *previous)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly, mach_msg_type_name_t *polyPoly)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
				  mach_port_seqno_t seqno)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_get_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	return KERN_NOT_SUPPORTED;
}

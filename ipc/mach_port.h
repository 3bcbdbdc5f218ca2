/* SPDX-License-Identifier: MIT */
/*
 * The mach_port interface (mach_port.defs, subsystem 3200) as kernel
 * functions on a space, with the MIG server's signatures:
 * ipc_mach_port_X() is mach_port_X(). The server routines of
 * kernel/mig/mach_port_routines.c (which own the mach_port_X names the
 * generated server calls) forward to these, with the space of the task
 * the message was sent to. Rights arriving and leaving (insert_right's poly, extract_right's,
 * request_notification's notify and previous) are copied-in rights
 * (ipc_object.h): the server has already copied them in from, or will
 * copy them out to, the caller's space.
 *
 * Every routine answers KERN_INVALID_TASK for a null or dead space and
 * never panics on bad input. Documentation/ipc.rst lists each error.
 *
 * Arrays returned (names, types, members) are kalloc()ed:
 * kfree(array, count * sizeof(array[0])); NULL when the count is 0.
 */
#ifndef _IPC_MACH_PORT_H
#define _IPC_MACH_PORT_H

#include <ipc/ipc_object.h>

kern_return_t ipc_mach_port_names(ipc_space_t space,
			      mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt,
			      mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt);
kern_return_t ipc_mach_port_type(ipc_space_t space, mach_port_name_t name,
			     mach_port_type_t *ptype);
kern_return_t ipc_mach_port_rename(ipc_space_t space, mach_port_name_t old_name,
			       mach_port_name_t new_name);
kern_return_t ipc_mach_port_allocate_name(ipc_space_t space, mach_port_right_t right,
				      mach_port_name_t name);
kern_return_t ipc_mach_port_allocate(ipc_space_t space, mach_port_right_t right,
				 mach_port_name_t *name);
kern_return_t ipc_mach_port_destroy(ipc_space_t space, mach_port_name_t name);
kern_return_t ipc_mach_port_deallocate(ipc_space_t space, mach_port_name_t name);
kern_return_t ipc_mach_port_get_refs(ipc_space_t space, mach_port_name_t name,
				 mach_port_right_t right, mach_port_urefs_t *refs);
kern_return_t ipc_mach_port_mod_refs(ipc_space_t space, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta);
kern_return_t ipc_mach_port_set_qlimit(ipc_space_t space, mach_port_name_t name,
				   mach_port_msgcount_t qlimit);
kern_return_t ipc_mach_port_set_mscount(ipc_space_t space, mach_port_name_t name,
				    mach_port_mscount_t mscount);
kern_return_t ipc_mach_port_set_seqno(ipc_space_t space, mach_port_name_t name,
				  mach_port_seqno_t seqno);
kern_return_t ipc_mach_port_get_set_status(ipc_space_t space, mach_port_name_t name,
				       mach_port_name_array_t *members,
				       mach_msg_type_number_t *membersCnt);
kern_return_t ipc_mach_port_move_member(ipc_space_t space, mach_port_name_t member,
				    mach_port_name_t after);
/* XNU's: add to / take out of a set, with KERN_ALREADY_IN_SET / KERN_NOT_IN_SET. */
kern_return_t ipc_mach_port_insert_member(ipc_space_t space, mach_port_name_t name,
				      mach_port_name_t pset);
kern_return_t ipc_mach_port_extract_member(ipc_space_t space, mach_port_name_t name,
				       mach_port_name_t pset);
kern_return_t ipc_mach_port_request_notification(ipc_space_t space, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_port_t *previous);
kern_return_t ipc_mach_port_insert_right(ipc_space_t space, mach_port_name_t name,
				     mach_port_t poly, mach_msg_type_name_t polyPoly);
kern_return_t ipc_mach_port_extract_right(ipc_space_t space, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name,
				      mach_port_t *poly, mach_msg_type_name_t *polyPoly);
kern_return_t ipc_mach_port_get_attributes(ipc_space_t space, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt);
kern_return_t ipc_mach_port_set_attributes(ipc_space_t space, mach_port_name_t name,
				       mach_port_flavor_t flavor,
				       mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt);

#endif /* _IPC_MACH_PORT_H */

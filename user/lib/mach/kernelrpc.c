// SPDX-License-Identifier: MIT
/*
 * The routines that have a kernelrpc trap (<mach/mach_traps.h>,
 * Documentation/traps.rst): each makes the trap, and sends the MIG
 * request only when the trap says MACH_SEND_INVALID_DEST (its target is
 * no task's port: a dead or bad name, or another kernel object's port,
 * or a port some task serves), as XNU's libsyscall does. The MIG request
 * then gets that name's own answer, so a caller sees the routine's
 * results and errors either way. The MIG stubs are compiled under the
 * names _kernelrpc_<routine> (user/Makefile).
 */
#include <mach/mach.h>
#include <mach/syscall_sw.h>

/* The trap's answer, or the MIG routine's when the trap's target is not a task. */
#define KERNELRPC(trap, mig) ({					\
		kern_return_t kr_ = (trap);				\
		if (kr_ == MACH_SEND_INVALID_DEST)			\
			kr_ = (mig);					\
		kr_;							\
	})

kern_return_t vm_allocate(vm_task_t target_task, vm_address_t *address, vm_size_t size,
			  boolean_t anywhere)
{
	return KERNELRPC(_kernelrpc_vm_allocate_trap(target_task, address, size,
						     anywhere ? KERNELRPC_VM_FLAGS_ANYWHERE : 0),
			 _kernelrpc_vm_allocate(target_task, address, size, anywhere));
}

kern_return_t vm_deallocate(vm_task_t target_task, vm_address_t address, vm_size_t size)
{
	return KERNELRPC(_kernelrpc_vm_deallocate_trap(target_task, address, size),
			 _kernelrpc_vm_deallocate(target_task, address, size));
}

kern_return_t vm_protect(vm_task_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection)
{
	return KERNELRPC(_kernelrpc_vm_protect_trap(target_task, address, size, set_maximum,
						    new_protection),
			 _kernelrpc_vm_protect(target_task, address, size, set_maximum,
					       new_protection));
}

/* The trap maps anonymous memory only, with the maximum protection and inheritance it implies. */
kern_return_t vm_map(vm_task_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, boolean_t anywhere, memory_object_t memory_object,
		     memory_object_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
		     vm_prot_t max_protection, vm_inherit_t inheritance)
{
	boolean_t anon = memory_object == MACH_PORT_NULL && max_protection == VM_PROT_ALL &&
		    inheritance == VM_INHERIT_DEFAULT;

	return KERNELRPC(anon ? _kernelrpc_vm_map_trap(target_task, address, size, mask,
						       anywhere ? KERNELRPC_VM_FLAGS_ANYWHERE : 0,
						       cur_protection) :
				MACH_SEND_INVALID_DEST,
			 _kernelrpc_vm_map(target_task, address, size, mask, anywhere,
					   memory_object, offset, copy, cur_protection,
					   max_protection, inheritance));
}

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	return KERNELRPC(_kernelrpc_mach_port_allocate_trap(task, right, name),
			 _kernelrpc_mach_port_allocate(task, right, name));
}

kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	return KERNELRPC(_kernelrpc_mach_port_destroy_trap(task, name),
			 _kernelrpc_mach_port_destroy(task, name));
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	return KERNELRPC(_kernelrpc_mach_port_deallocate_trap(task, name),
			 _kernelrpc_mach_port_deallocate(task, name));
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	return KERNELRPC(_kernelrpc_mach_port_mod_refs_trap(task, name, right, delta),
			 _kernelrpc_mach_port_mod_refs(task, name, right, delta));
}

kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member,
				    mach_port_name_t after)
{
	return KERNELRPC(_kernelrpc_mach_port_move_member_trap(task, member, after),
			 _kernelrpc_mach_port_move_member(task, member, after));
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
				     mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	return KERNELRPC(_kernelrpc_mach_port_insert_right_trap(task, name, poly, polyPoly),
			 _kernelrpc_mach_port_insert_right(task, name, poly, polyPoly));
}

kern_return_t mach_port_insert_member(mach_port_name_t task, mach_port_name_t name,
				      mach_port_name_t pset)
{
	return _kernelrpc_mach_port_insert_member_trap(task, name, pset);
}

kern_return_t mach_port_extract_member(mach_port_name_t task, mach_port_name_t name,
				       mach_port_name_t pset)
{
	return _kernelrpc_mach_port_extract_member_trap(task, name, pset);
}

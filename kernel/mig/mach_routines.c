// SPDX-License-Identifier: MIT
/*
 * The kernel's side of mach.defs (subsystem 2000): tasks, threads,
 * address spaces, and the control side of the memory management
 * protocol.
 *
 * Tasks, user threads, user address spaces and memory object controls
 * come with their issues; until then every routine answers
 * KERN_NOT_SUPPORTED. The thread routines whose names the kernel core
 * uses for its own threads are the *_from_user() ones (see mach.defs).
 * Documentation/interfaces.rst lists what works.
 */
#include <mach/mach_types.h>
#include <mach/mig_errors.h>
#include "machServer.h"

/* The bounds in mach_types.defs must be the C headers' ones. */
_Static_assert(THREAD_STATE_MAX == 144, "thread_state_t bound in mach_types.defs");
_Static_assert(TASK_INFO_MAX == 1024, "task_info_t bound in mach_types.defs");
_Static_assert(THREAD_INFO_MAX == 32, "thread_info_t bound in mach_types.defs");
_Static_assert(HOST_INFO_MAX == 1024, "host_info_t bound in mach_types.defs");
_Static_assert(MACH_PORT_INFO_MAX == 10, "mach_port_info_t bound in mach_types.defs");
_Static_assert(EXCEPTION_CODE_MAX == 2, "exception_data_t bound in mach_types.defs");
_Static_assert(KERNEL_VERSION_MAX == 512, "kernel_version_t bound in mach_types.defs");
_Static_assert(VM_STATISTICS_COUNT == 13, "vm_statistics_data_t size in mach_types.defs");

/* Tasks */

kern_return_t task_create(task_t target_task, boolean_t inherit_memory,
			  task_t *child_task)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_terminate(task_t target_task)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_threads(task_t target_task, thread_array_t *thread_list,
			   mach_msg_type_number_t *thread_listCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_info(task_t target_task, task_flavor_t flavor,
			task_info_t task_info_out,
			mach_msg_type_number_t *task_info_outCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_suspend(task_t target_task)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_resume(task_t target_task)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_get_special_port(task_t task, task_special_port_t which_port,
				    mach_port_t *special_port)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t task_set_special_port(task_t task, task_special_port_t which_port,
				    mach_port_t special_port)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_ports_register(task_t target_task, mach_port_array_t init_port_set,
				  mach_msg_type_number_t init_port_setCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t mach_ports_lookup(task_t target_task, mach_port_array_t *init_port_set,
				mach_msg_type_number_t *init_port_setCnt)
{
	return KERN_NOT_SUPPORTED;
}

/* Threads */

kern_return_t thread_create(task_t parent_task, thread_t *child_thread)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_terminate_from_user(thread_t target_thread)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_get_state_from_user(thread_t target_thread,
					 thread_state_flavor_t flavor,
					 thread_state_t old_state,
					 mach_msg_type_number_t *old_stateCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_set_state(thread_t target_thread, thread_state_flavor_t flavor,
			       thread_state_t new_state,
			       mach_msg_type_number_t new_stateCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_info(thread_t target_thread, thread_flavor_t flavor,
			  thread_info_t thread_info_out,
			  mach_msg_type_number_t *thread_info_outCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_suspend_from_user(thread_t target_thread)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_resume_from_user(thread_t target_thread)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_abort(thread_t target_thread)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_get_special_port(thread_t thread, thread_special_port_t which_port,
				      mach_port_t *special_port)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_set_special_port(thread_t thread, thread_special_port_t which_port,
				      mach_port_t special_port)
{
	return KERN_NOT_SUPPORTED;
}

/* Address spaces */

kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, boolean_t anywhere)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 boolean_t set_maximum, vm_prot_t new_protection)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_inherit(vm_map_t target_task, vm_address_t address, vm_size_t size,
			 vm_inherit_t new_inheritance)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_read(vm_map_t target_task, vm_address_t address, vm_size_t size,
		      pointer_t *data, mach_msg_type_number_t *dataCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_write(vm_map_t target_task, vm_address_t address, pointer_t data,
		       mach_msg_type_number_t dataCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_region(vm_map_t target_task, vm_address_t *address, vm_size_t *size,
			vm_prot_t *protection, vm_prot_t *max_protection,
			vm_inherit_t *inheritance, boolean_t *is_shared,
			memory_object_name_t *object_name, vm_offset_t *offset)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_statistics(vm_map_t target_task, vm_statistics_data_t *vm_stats)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
		     vm_address_t mask, boolean_t anywhere, memory_object_t memory_object,
		     memory_object_offset_t offset, boolean_t copy,
		     vm_prot_t cur_protection, vm_prot_t max_protection,
		     vm_inherit_t inheritance)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_set_default_memory_manager(host_priv_t host_priv,
					    mach_port_t *default_manager)
{
	return KERN_NOT_SUPPORTED;
}

/*
 * The control side of the memory management protocol. These are
 * simpleroutines: the pager gets no reply, and the generated stub
 * answers MIG_NO_REPLY whatever the routine returns, which tells the
 * dispatcher the request is consumed. So once control ports exist, each
 * of these must release what its request carried (data, reply_to) even
 * when it fails. No request can reach them yet.
 */

kern_return_t memory_object_data_provided(memory_object_control_t memory_control,
					  memory_object_offset_t offset, pointer_t data,
					  mach_msg_type_number_t dataCnt,
					  vm_prot_t lock_value)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_data_unavailable(memory_object_control_t memory_control,
					     memory_object_offset_t offset, vm_size_t size)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_get_attributes(memory_object_control_t memory_control,
					   boolean_t *object_ready, boolean_t *may_cache,
					   memory_object_copy_strategy_t *copy_strategy)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_lock_request(memory_object_control_t memory_control,
					 memory_object_offset_t offset, vm_size_t size,
					 memory_object_return_t should_return,
					 boolean_t should_flush, vm_prot_t lock_value,
					 mach_port_t reply_to,
					 mach_msg_type_name_t reply_toPoly)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_data_error(memory_object_control_t memory_control,
				       memory_object_offset_t offset, vm_size_t size,
				       kern_return_t error_value)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_set_attributes(memory_object_control_t memory_control,
					   boolean_t object_ready, boolean_t may_cache,
					   memory_object_copy_strategy_t copy_strategy)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_destroy(memory_object_control_t memory_control,
				    kern_return_t reason)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_data_supply(memory_object_control_t memory_control,
					memory_object_offset_t offset, pointer_t data,
					mach_msg_type_number_t dataCnt,
					vm_prot_t lock_value, boolean_t precious,
					mach_port_t reply_to,
					mach_msg_type_name_t reply_toPoly)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_ready(memory_object_control_t memory_control,
				  boolean_t may_cache,
				  memory_object_copy_strategy_t copy_strategy)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t memory_object_change_attributes(memory_object_control_t memory_control,
					      boolean_t may_cache,
					      memory_object_copy_strategy_t copy_strategy,
					      mach_port_t reply_to,
					      mach_msg_type_name_t reply_toPoly)
{
	return KERN_NOT_SUPPORTED;
}

/* SPDX-License-Identifier: MIT */
/*
 * The C types and conversion routines XNU's .defs files name, for
 * compiling the code MIG generates from them against MachLine's mach/
 * headers (tests/xnu-check). Sizes follow the .defs; the object types
 * are port names on the user side and stand-in pointers where a kernel
 * server's intran converts to them.
 */
#ifndef MIG_TEST_XNU_COMPAT_H
#define MIG_TEST_XNU_COMPAT_H

#include <mach/std_types.h>
#include <mach/message.h>
#include <mach/port.h>

/* (mach_port_status_t, security_token_t, mach_msg_trailer_type_t and the
 * other types MachLine's own headers declare are theirs.) */

/* objects: a port, or what an intran makes of it */
typedef mach_port_t	task_t, task_name_t, task_inspect_t, task_read_t,
			task_policy_set_t, task_policy_get_t, task_id_token_t,
			thread_t, thread_act_t, thread_inspect_t, thread_read_t,
			vm_map_t, vm_map_inspect_t, vm_map_read_t, ipc_space_t,
			ipc_space_read_t, ipc_space_inspect_t, host_t, host_priv_t,
			host_security_t, processor_t, processor_set_t,
			processor_set_name_t, ledger_t, semaphore_t, lock_set_t,
			memory_object_t, memory_object_control_t,
			memory_object_default_t, memory_object_name_t,
			mem_entry_name_port_t, upl_t, clock_serv_t, clock_ctrl_t,
			clock_reply_t, io_master_t, UNDServerRef, bootstrap_t,
			exception_handler_t, ipc_voucher_t, ipc_voucher_attr_control_t,
			mach_voucher_t, mach_voucher_attr_manager_t,
			mach_voucher_attr_control_t, arcade_register_t, suid_cred_t,
			task_suspension_token_t, eventlink_t, ipc_eventlink_t,
			msg_labels_t, device_t, io_done_queue_t;
/* types with a cusertype or an intran: the other side's C name */
typedef mach_port_t	vm_task_entry_t, thread_act_consume_ref_t,
			semaphore_consume_ref_t, mem_entry_name_port_move_send_t,
			eventlink_consume_ref_t;
typedef mach_port_t	*task_array_t, *thread_array_t, *thread_act_array_t,
			*processor_array_t, *processor_set_array_t,
			*processor_set_name_array_t, *ledger_array_t,
			*exception_handler_array_t, *device_list_t;
typedef mach_port_name_t mach_voucher_name_t;

/* scalars */
typedef int		vm_prot_t, vm_inherit_t, vm_purgable_t, vm_behavior_t,
			vm_machine_attribute_t, vm_machine_attribute_val_t,
			vm_sync_t, memory_object_copy_strategy_t,
			memory_object_return_t, memory_object_flavor_t,
			vm_region_flavor_t, vm_page_info_flavor_t, host_flavor_t,
			processor_flavor_t, processor_set_flavor_t, task_flavor_t,
			thread_flavor_t, mach_port_flavor_t, thread_state_flavor_t,
			exception_mask_t, exception_behavior_t, exception_type_t,
			policy_t, kmod_t, kmod_control_flavor_t, clock_flavor_t,
			alarm_type_t, sleep_type_t, clock_res_t, clock_id_t,
			mach_task_flavor_t;
typedef natural_t	task_policy_flavor_t, thread_policy_flavor_t,
			task_inspect_flavor_t;
typedef integer_t	ledger_item_t;
typedef int64_t		ledger_amount_t;
typedef uint64_t	memory_object_offset_t, memory_object_size_t,
			mach_port_context_t, mach_voucher_attr_value_handle_t,
			aid_t, atm_aid_t, mach_atm_subaid_t, resource_notify_flags_t;
typedef uint32_t	memory_object_cluster_size_t, upl_size_t, upl_offset_t,
			task_exc_guard_behavior_t, suid_cred_uid_t,
			mach_voucher_attr_key_t, mach_voucher_attr_command_t,
			mach_voucher_attr_recipe_command_t,
			mach_voucher_attr_content_size_t,
			mach_voucher_attr_raw_recipe_size_t, mach_voucher_selector_t,
			mach_voucher_attr_value_reference_t,
			mach_eventlink_create_option_t,
			mach_eventlink_associate_option_t,
			mach_eventlink_disassociate_option_t,
			mach_eventlink_signal_wait_option_t, recnum_t, dev_mode_t,
			dev_flavor_t, vm32_address_t, vm32_offset_t, vm32_size_t;

/* inline variable arrays: a pointer to the first element */
typedef natural_t	*thread_state_t;
typedef integer_t	*mach_port_info_t, *thread_info_t, *thread_policy_t,
			*task_info_t, *task_policy_t, *task_inspect_info_t,
			*host_info_t, *host_info64_t, *processor_info_t,
			*processor_info_array_t, *processor_set_info_t,
			*policy_base_t, *policy_info_t, *policy_limit_t,
			*memory_object_info_t, *vm_region_info_t,
			*vm_region_recurse_info_t, *vm_page_info_t;
typedef int		*clock_attr_t, *exception_data_t, *dev_status_t;
typedef int64_t		*mach_exception_data_t;
typedef exception_mask_t	*exception_mask_array_t;
typedef exception_behavior_t	*exception_behavior_array_t;
typedef thread_state_flavor_t	*exception_flavor_array_t;
typedef char		*mach_msg_trailer_info_t, *inline_existence_map_t;
typedef uint8_t		*mach_voucher_attr_content_t,
			*mach_voucher_attr_content_array_t,
			*mach_voucher_attr_raw_recipe_t,
			*mach_voucher_attr_raw_recipe_array_t;
typedef uint64_t	*mach_voucher_attr_value_handle_array_t,
			*atm_memory_size_array_t;
typedef mach_port_t	*atm_memory_descriptor_array_t;
typedef unsigned	*sample_array_t;
typedef short		filter_t, *filter_array_t;

/* fixed arrays and strings */
typedef integer_t	memory_object_fault_info_t[16];
typedef int		act_params_t[6];
typedef mach_vm_offset_t mach_vm_read_entry_t[512];
typedef vm_offset_t	vm_read_entry_t[512];
typedef vm32_offset_t	vm32_read_entry_t[512];
typedef mach_port_t	eventlink_port_pair_t[2];
typedef char		kernel_version_t[512], kernel_boot_info_t[4096],
			suid_cred_path_t[1024], vfs_path_t[4096],
			nspace_path_t[1024], kobject_description_t[512],
			labelstr_t[512], symtab_name_t[32], dev_name_t[128],
			io_buf_ptr_inband_t[128], proc_name_t[33],
			posix_path_t[512];
typedef uint64_t	task_restartable_range_t[2];
typedef task_restartable_range_t *task_restartable_range_array_t;
typedef char		*io_buf_ptr_t;
typedef char		*kmod_args_t;

/* structures passed by value */
#define XNU_STRUCT(name, elem, n) typedef struct { elem v[n]; } name
XNU_STRUCT(mach_port_info_ext_t, integer_t, 17);
XNU_STRUCT(mach_port_qos_t, integer_t, 2);
XNU_STRUCT(mach_port_options_t, uint64_t, 3);
typedef mach_port_options_t *mach_port_options_ptr_t;
XNU_STRUCT(upl_page_info_t, integer_t, 2);
typedef upl_page_info_t	*upl_page_info_array_t;
XNU_STRUCT(time_value_t, integer_t, 2);
XNU_STRUCT(mach_timespec_t, int, 2);
XNU_STRUCT(xxx_vm_statistics_data_t, integer_t, 13);
XNU_STRUCT(vm_statistics_data_t, integer_t, 15);
XNU_STRUCT(task_purgable_info_t, integer_t, 68);
XNU_STRUCT(machine_info_data_t, integer_t, 5);
XNU_STRUCT(machine_slot_data_t, integer_t, 8);
XNU_STRUCT(audit_token_t, uint32_t, 8);
XNU_STRUCT(exception_handler_info_t, natural_t, 2);
typedef exception_handler_info_t *exception_handler_info_array_t;
XNU_STRUCT(dyld_kernel_image_info_t, uint8_t, 40);
typedef dyld_kernel_image_info_t *dyld_kernel_image_info_array_t;
XNU_STRUCT(dyld_kernel_process_info_t, uint8_t, 64);
typedef vm_offset_t	*emulation_vector_t;
XNU_STRUCT(descriptor_t, int, 2);
typedef descriptor_t	*descriptor_list_t;

/* mach_debug */
XNU_STRUCT(zone_name_t, char, 80);
XNU_STRUCT(zone_info_t, integer_t, 9);
XNU_STRUCT(mach_zone_name_t, char, 80);
XNU_STRUCT(mach_zone_info_t, uint64_t, 8);
XNU_STRUCT(task_zone_info_t, uint64_t, 11);
XNU_STRUCT(mach_memory_info_t, uint64_t, 22);
XNU_STRUCT(zone_btrecord_t, uint64_t, 16);
XNU_STRUCT(hash_info_bucket_t, natural_t, 1);
XNU_STRUCT(ipc_info_space_t, natural_t, 6);
XNU_STRUCT(ipc_info_space_basic_t, natural_t, 8);
XNU_STRUCT(ipc_info_name_t, natural_t, 7);
XNU_STRUCT(ipc_info_tree_name_t, natural_t, 9);
XNU_STRUCT(vm_info_region_t, natural_t, 10);
XNU_STRUCT(vm_info_region_64_t, natural_t, 11);
XNU_STRUCT(mach_vm_info_region_t, natural_t, 14);
XNU_STRUCT(vm_info_object_t, natural_t, 21);
XNU_STRUCT(lockgroup_info_t, integer_t, 63);
typedef zone_name_t	*zone_name_array_t;
typedef zone_info_t	*zone_info_array_t;
typedef mach_zone_name_t *mach_zone_name_array_t;
typedef mach_zone_info_t *mach_zone_info_array_t;
typedef task_zone_info_t *task_zone_info_array_t;
typedef mach_memory_info_t *mach_memory_info_array_t;
typedef zone_btrecord_t	*zone_btrecord_array_t;
typedef hash_info_bucket_t *hash_info_bucket_array_t;
typedef ipc_info_name_t	*ipc_info_name_array_t;
typedef ipc_info_tree_name_t *ipc_info_tree_name_array_t;
typedef vm_info_object_t *vm_info_object_array_t;
typedef integer_t	*page_address_array_t;
typedef lockgroup_info_t *lockgroup_info_array_t;

/* the kernel servers' intran, outtran and destructor routines */
#define XNU_CONV(T, name) T convert_port_to_##name(mach_port_t); \
	mach_port_t convert_##name##_to_port(T)
XNU_CONV(task_t, task);
XNU_CONV(task_name_t, task_name);
XNU_CONV(task_inspect_t, task_inspect);
XNU_CONV(task_read_t, task_read);
XNU_CONV(task_id_token_t, task_id_token);
XNU_CONV(task_policy_set_t, task_policy_set);
XNU_CONV(task_policy_get_t, task_policy_get);
XNU_CONV(thread_t, thread);
XNU_CONV(thread_inspect_t, thread_inspect);
XNU_CONV(thread_read_t, thread_read);
XNU_CONV(vm_map_t, map);
XNU_CONV(vm_map_inspect_t, map_inspect);
XNU_CONV(vm_map_read_t, map_read);
XNU_CONV(ipc_space_t, space);
XNU_CONV(ipc_space_read_t, space_read);
XNU_CONV(ipc_space_inspect_t, space_inspect);
XNU_CONV(host_t, host);
XNU_CONV(host_priv_t, host_priv);
XNU_CONV(host_security_t, host_security);
XNU_CONV(processor_t, processor);
XNU_CONV(processor_set_t, pset);
XNU_CONV(processor_set_name_t, pset_name);
XNU_CONV(ledger_t, ledger);
XNU_CONV(semaphore_t, semaphore);
XNU_CONV(lock_set_t, lock_set);
XNU_CONV(memory_object_t, memory_object);
XNU_CONV(memory_object_control_t, mo_control);
XNU_CONV(upl_t, upl);
XNU_CONV(clock_serv_t, clock);
XNU_CONV(clock_ctrl_t, clock_ctrl);
XNU_CONV(ipc_voucher_t, voucher);
XNU_CONV(ipc_voucher_attr_control_t, voucher_attr_control);
XNU_CONV(arcade_register_t, arcade_register);
XNU_CONV(suid_cred_t, suid_cred);
XNU_CONV(task_suspension_token_t, task_suspension_token);
XNU_CONV(ipc_eventlink_t, eventlink);
XNU_CONV(io_done_queue_t, io_done_queue);
vm_map_t convert_port_entry_to_map(mach_port_t);
mach_port_t null_conversion(mach_port_t);
device_t dev_port_lookup(mach_port_t);
io_done_queue_t io_done_queue_port_lookup(mach_port_t);
mach_port_t convert_device_to_port(device_t);
void task_deallocate(task_t), task_name_deallocate(task_name_t),
	task_inspect_deallocate(task_inspect_t), task_read_deallocate(task_read_t),
	task_id_token_release(task_id_token_t),
	task_policy_set_deallocate(task_policy_set_t),
	task_policy_get_deallocate(task_policy_get_t),
	thread_deallocate(thread_t), thread_inspect_deallocate(thread_inspect_t),
	thread_read_deallocate(thread_read_t), vm_map_deallocate(vm_map_t),
	vm_map_inspect_deallocate(vm_map_inspect_t),
	vm_map_read_deallocate(vm_map_read_t), space_deallocate(ipc_space_t),
	space_read_deallocate(ipc_space_read_t),
	space_inspect_deallocate(ipc_space_inspect_t),
	pset_deallocate(processor_set_t), semaphore_dereference(semaphore_t),
	lock_set_dereference(lock_set_t), upl_deallocate(upl_t),
	memory_object_control_deallocate(memory_object_control_t),
	ipc_voucher_release(ipc_voucher_t),
	ipc_voucher_attr_control_release(ipc_voucher_attr_control_t),
	ipc_eventlink_deallocate(ipc_eventlink_t), device_deallocate(device_t);

#endif /* MIG_TEST_XNU_COMPAT_H */

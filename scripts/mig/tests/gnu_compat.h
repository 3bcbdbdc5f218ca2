/* SPDX-License-Identifier: MIT */
/*
 * The C types GNU Mach's .defs files name, for compiling the code MIG
 * generates from them against MachLine's mach/ headers in the corpus test.
 * Sizes follow the .defs (checked by the generated _Static_asserts), not
 * GNU Mach's headers, which describe its typed message format.
 */
#ifndef MIG_TEST_GNU_COMPAT_H
#define MIG_TEST_GNU_COMPAT_H

#include <mach/std_types.h>
#include <mach/message.h>

typedef uint64_t	rpc_long_natural_t;
typedef int64_t		rpc_long_integer_t;
typedef uint64_t	long_natural_t;
typedef int64_t		long_integer_t;
typedef uint64_t	rpc_vm_size_t;
typedef uint64_t	rpc_vm_offset_t;
typedef uint64_t	rpc_vm_address_t;
typedef uint64_t	rpc_phys_addr_t;
typedef uint64_t	phys_addr_t;

typedef mach_port_t	task_t, thread_t, host_t, host_priv_t, processor_t,
			processor_set_t, processor_set_name_t, ipc_space_t,
			vm_task_t, memory_object_t, memory_object_control_t,
			memory_object_name_t, device_t, io_done_queue_t,
			task_array_t_elem;
typedef mach_port_t	*task_array_t, *thread_array_t, *processor_array_t,
			*processor_set_array_t, *processor_set_name_array_t,
			*memory_object_array_t;
typedef natural_t	*thread_state_t;
typedef integer_t	*task_info_t, *thread_info_t, *host_info_t, *processor_info_t,
			*processor_set_info_t;
typedef int		*rpc_signature_info_t;
typedef int		vm_prot_t, vm_inherit_t, vm_machine_attribute_t,
			vm_machine_attribute_val_t, vm_sync_t, vm_wire_t,
			memory_object_copy_strategy_t, memory_object_return_t,
			exception_type_t;
typedef struct { integer_t v[13]; } vm_statistics_data_t;
typedef struct { integer_t v[11]; } vm_cache_statistics_data_t;
typedef char		kernel_version_t[512];
typedef char		kernel_boot_info_t[4096];
typedef vm_offset_t	*emulation_vector_t, *vm_offset_array_t;
typedef vm_size_t	*vm_size_array_t;

typedef struct rpc_time_value {
	rpc_long_integer_t	seconds;
	integer_t		microseconds;
} rpc_time_value_t, time_value_t;

/* device */
typedef uint64_t	rpc_recnum_t, recnum_t;
typedef uint32_t	dev_mode_t, dev_flavor_t;
typedef char		dev_name_t[128];
typedef int		*dev_status_t;
typedef char		*io_buf_ptr_t;
typedef char		io_buf_ptr_inband_t[128];
typedef short		filter_t;
typedef filter_t	*filter_array_t;

/* mach_debug */
typedef char		cache_name_t[32];
typedef struct cache_info {
	integer_t		flags;
	rpc_vm_size_t		cpu_pool_size, obj_size, align, buf_size, slab_size;
	rpc_long_natural_t	bufs_per_slab, nr_objs, nr_bufs, nr_slabs, nr_free_slabs;
	cache_name_t		name;
} cache_info_t, *cache_info_array_t;
typedef struct hash_info_bucket {
	natural_t		hib_count;
} hash_info_bucket_t, *hash_info_bucket_array_t;
typedef struct vm_region_info {
	rpc_vm_offset_t		vri_start, vri_end;
	vm_prot_t		vri_protection, vri_max_protection;
	vm_inherit_t		vri_inheritance;
	natural_t		vri_wired_count, vri_user_wired_count;
	rpc_vm_offset_t		vri_object, vri_offset;
	integer_t		vri_needs_copy;
	natural_t		vri_sharing;
} vm_region_info_t, *vm_region_info_array_t;
typedef natural_t	vm_object_info_state_t, vm_page_info_state_t;
typedef struct vm_object_info {
	rpc_vm_offset_t		voi_object;
	rpc_vm_size_t		voi_pagesize, voi_size;
	natural_t		voi_ref_count, voi_resident_page_count, voi_absent_count;
	rpc_vm_offset_t		voi_copy, voi_shadow, voi_shadow_offset, voi_paging_offset;
	memory_object_copy_strategy_t voi_copy_strategy;
	rpc_vm_offset_t		voi_last_alloc;
	natural_t		voi_paging_in_progress;
	vm_object_info_state_t	voi_state;
} vm_object_info_t, *vm_object_info_array_t;
typedef struct vm_page_info {
	rpc_vm_offset_t		vpi_offset, vpi_phys_addr;
	natural_t		vpi_wire_count;
	vm_prot_t		vpi_page_lock, vpi_unlock_request;
	vm_page_info_state_t	vpi_state;
} vm_page_info_t, *vm_page_info_array_t;
typedef char		symtab_name_t[32];
typedef char		*kernel_debug_name_t;

/* default pager */
typedef struct default_pager_info {
	rpc_vm_size_t		dpi_total_space, dpi_free_space, dpi_page_size;
} default_pager_info_t;
typedef struct default_pager_object {
	rpc_vm_offset_t		dpo_object;
	rpc_vm_size_t		dpo_size;
} default_pager_object_t, *default_pager_object_array_t;
typedef struct default_pager_page {
	rpc_vm_offset_t		dpp_offset;
} default_pager_page_t, *default_pager_page_array_t;
typedef char		default_pager_filename_t[256];

/* mach4 */
typedef unsigned	sampled_pc_flavor_t, sampled_pc_seqno_t;
typedef struct sampled_pc {
	natural_t		id;
	rpc_vm_offset_t		pc;
	sampled_pc_flavor_t	sampletype;
} sampled_pc_t, *sampled_pc_array_t;

#endif /* MIG_TEST_GNU_COMPAT_H */

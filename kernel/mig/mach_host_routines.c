// SPDX-License-Identifier: MIT
/*
 * The kernel's side of mach_host.defs (subsystem 200) and host_priv.defs
 * (subsystem 400): the routines of the host's ports.
 *
 * The host has no port yet (the IPC issue gives it one), so no request
 * can name it: every routine answers KERN_NOT_SUPPORTED for now.
 * Documentation/interfaces.rst lists what works.
 */
#include <mach/mach_types.h>
#include "mach_hostServer.h"
#include "host_privServer.h"

/* mach_host.defs */

kern_return_t host_info(host_t host, host_flavor_t flavor,
			host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t host_kernel_version(host_t host, kernel_version_t kernel_version)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t host_page_size(host_t host, vm_size_t *out_page_size)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t host_processor_info(host_t host, processor_flavor_t flavor,
				  natural_t *out_processor_count,
				  processor_info_array_t *out_processor_info,
				  mach_msg_type_number_t *out_processor_infoCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t host_statistics(host_t host, host_flavor_t flavor,
			      host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt)
{
	return KERN_NOT_SUPPORTED;
}

/* host_priv.defs */

kern_return_t host_reboot(host_priv_t host_priv, int options)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t vm_wire(host_priv_t host_priv, vm_map_t task, vm_address_t address,
		      vm_size_t size, vm_prot_t desired_access)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t thread_wire(host_priv_t host_priv, thread_t thread, boolean_t wired)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t host_processors(host_priv_t host_priv,
			      processor_array_t *out_processor_list,
			      mach_msg_type_number_t *out_processor_listCnt)
{
	return KERN_NOT_SUPPORTED;
}

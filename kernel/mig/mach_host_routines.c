// SPDX-License-Identifier: MIT
/*
 * The host and its two ports, and the kernel's side of mach_host.defs
 * (subsystem 200) and host_priv.defs (subsystem 400).
 *
 * The host is one object with two kernel ports: host_self (IKOT_HOST),
 * which serves mach_host, and host_priv (IKOT_HOST_PRIV), which serves
 * host_priv and mach_host (a privileged port can do what the plain one
 * can, as in Mach). Both live as long as the kernel: they have no
 * no-senders handler.
 *
 * What works today: host_info (HOST_BASIC_INFO, HOST_SCHED_INFO,
 * HOST_PRIORITY_INFO), host_statistics (HOST_VM_INFO), host_kernel_version,
 * host_page_size. The rest answers KERN_NOT_SUPPORTED until its subsystem
 * lands (processors, wiring, reboot); Documentation/interfaces.rst lists
 * them.
 */
#include <kern/cpu.h>
#include <kern/init.h>
#include <kern/kconfig.h>
#include <kern/panic.h>
#include <kern/sched.h>
#include <kern/string.h>
#include <kern/vm_map.h>
#include <kern/vm_page.h>
#include <kern/vm_statistics.h>
#include <generated/version.h>
#include <mach/mach_types.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kernel/mig/mig_convert.h>
#include "mach_hostServer.h"
#include "host_privServer.h"

struct host {
	ipc_port_t	host_self;	/* IKOT_HOST */
	ipc_port_t	host_priv_self;	/* IKOT_HOST_PRIV */
};

static struct host realhost;

IPC_KOBJECT_DEFINE(IKOT_HOST,
	.ikt_subsystems = { &mach_host_subsystem });
IPC_KOBJECT_DEFINE(IKOT_HOST_PRIV,
	.ikt_subsystems = { &host_priv_subsystem, &mach_host_subsystem });

static kern_return_t host_ports_init(void)
{
	realhost.host_self = ipc_kobject_port_alloc(&realhost, IKOT_HOST);
	realhost.host_priv_self = ipc_kobject_port_alloc(&realhost, IKOT_HOST_PRIV);
	if (!realhost.host_self || !realhost.host_priv_self)
		panic("host: no memory for the host's ports");
	return KERN_SUCCESS;
}
KERNEL_INIT(SUBSYS, host_ports_init);

host_t host_self(void)
{
	return &realhost;
}

host_t convert_port_to_host(mach_port_t port)
{
	host_t host = ipc_kobject_get((ipc_port_t)port, IKOT_HOST);

	return host ? host : ipc_kobject_get((ipc_port_t)port, IKOT_HOST_PRIV);
}

host_priv_t convert_port_to_host_priv(mach_port_t port)
{
	return ipc_kobject_get((ipc_port_t)port, IKOT_HOST_PRIV);
}

/* The host is never freed: no reference to take or drop. */
mach_port_t convert_host_to_port(host_t host)
{
	return host ? (mach_port_t)ipc_port_make_send(host->host_self) : MACH_PORT_NULL;
}

mach_port_t convert_host_priv_to_port(host_priv_t host)
{
	return host ? (mach_port_t)ipc_port_make_send(host->host_priv_self) : MACH_PORT_NULL;
}

/* mach_host.defs */

static void host_basic_info(struct host_basic_info *info)
{
	struct vm_page_stats ps;
	uint64_t bytes;

	vm_page_get_stats(&ps);
	bytes = (uint64_t)ps.total * PAGE_SIZE;
	memset(info, 0, sizeof(*info));
	info->max_cpus = MAX_CPUS;
	info->avail_cpus = (integer_t)cpu_count;
	info->memory_size = bytes > 0x7fffffffULL ? 0x7fffffffU : (natural_t)bytes;
	info->cpu_type = IS_ENABLED(CONFIG_ARM64) ? CPU_TYPE_ARM64 : CPU_TYPE_X86_64;
	info->cpu_subtype = IS_ENABLED(CONFIG_ARM64) ? CPU_SUBTYPE_ARM64_ALL :
						      CPU_SUBTYPE_X86_64_ALL;
	info->physical_cpu = info->logical_cpu = (integer_t)cpu_count;
	info->physical_cpu_max = info->logical_cpu_max = MAX_CPUS;
	info->max_mem = bytes;
}

static void host_sched_info(struct host_sched_info *info)
{
	info->min_timeout = 1;
	info->min_quantum = (integer_t)(SCHED_QUANTUM_NS / NSEC_PER_MSEC);
}

static void host_priority_info(struct host_priority_info *info)
{
	info->kernel_priority = BASEPRI_KERNEL;
	info->system_priority = BASEPRI_KERNEL;
	info->server_priority = BASEPRI_USER;
	info->user_priority = BASEPRI_USER;
	info->depress_priority = DEPRESSPRI;
	info->idle_priority = MINPRI;
	info->minimum_priority = MINPRI;
	info->maximum_priority = MAXPRI;
}

/*
 * As in Mach: *host_info_outCnt is the caller's room in integer_t
 * (KERN_FAILURE if too small for the flavor) and comes back as the
 * flavor's count.
 */
kern_return_t host_info(host_t host, host_flavor_t flavor,
			host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt)
{
	mach_msg_type_number_t count;

	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case HOST_BASIC_INFO:
		count = HOST_BASIC_INFO_COUNT;
		break;
	case HOST_SCHED_INFO:
		count = HOST_SCHED_INFO_COUNT;
		break;
	case HOST_PRIORITY_INFO:
		count = HOST_PRIORITY_INFO_COUNT;
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	if (*host_info_outCnt < count)
		return KERN_FAILURE;
	if (flavor == HOST_BASIC_INFO)
		host_basic_info((void *)host_info_out);
	else if (flavor == HOST_SCHED_INFO)
		host_sched_info((void *)host_info_out);
	else
		host_priority_info((void *)host_info_out);
	*host_info_outCnt = count;
	return KERN_SUCCESS;
}

kern_return_t host_kernel_version(host_t host, kernel_version_t kernel_version)
{
	static const char version[] = "MachLine " MACHLINE_VERSION " (" MACHLINE_BOARD ", "
				      MACHLINE_ARCH ")";

	_Static_assert(sizeof(version) <= sizeof(kernel_version_t), "the version fits");
	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	memcpy(kernel_version, version, sizeof(version));
	return KERN_SUCCESS;
}

kern_return_t host_page_size(host_t host, vm_size_t *out_page_size)
{
	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	*out_page_size = PAGE_SIZE;
	return KERN_SUCCESS;
}

kern_return_t host_processor_info(host_t host, processor_flavor_t flavor,
				  natural_t *out_processor_count,
				  processor_info_array_t *out_processor_info,
				  mach_msg_type_number_t *out_processor_infoCnt)
{
	return KERN_NOT_SUPPORTED;	/* processors have no ports yet */
}

/* HOST_VM_INFO: vm_statistics' counts; the room and count as host_info's. */
kern_return_t host_statistics(host_t host, host_flavor_t flavor,
			      host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt)
{
	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	if (flavor != HOST_VM_INFO)
		return KERN_INVALID_ARGUMENT;
	if (*host_info_outCnt < HOST_VM_INFO_COUNT)
		return KERN_FAILURE;
	vm_statistics_get((vm_statistics_data_t *)host_info_out);
	*host_info_outCnt = HOST_VM_INFO_COUNT;
	return KERN_SUCCESS;
}

/* host_priv.defs */

kern_return_t host_reboot(host_priv_t host_priv, int options)
{
	return KERN_NOT_SUPPORTED;
}

/* Wire with desired_access (the access faulted in), unwire with VM_PROT_NONE. */
kern_return_t vm_wire(host_priv_t host_priv, vm_map_t task, vm_address_t address,
		      vm_size_t size, vm_prot_t desired_access)
{
	vm_offset_t start = ALIGN_DOWN(address, PAGE_SIZE);
	vm_offset_t end = ALIGN_UP(address + size, PAGE_SIZE);

	if (!host_priv || !task)
		return KERN_INVALID_ARGUMENT;
	if (desired_access & ~VM_PROT_ALL)
		return KERN_INVALID_ARGUMENT;
	if (desired_access == VM_PROT_NONE)
		return vm_map_unwire(task, start, end);
	return vm_map_wire(task, start, end, desired_access);
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

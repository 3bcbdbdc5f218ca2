// SPDX-License-Identifier: MIT
/*
 * The host and its two ports, and the kernel's side of mach_host.defs
 * (subsystem 200), host_priv.defs (subsystem 400) and host_security.defs
 * (subsystem 600).
 *
 * The host is one object with two kernel ports: host_self (IKOT_HOST),
 * which serves mach_host, and host_priv (IKOT_HOST_PRIV), which serves
 * host_priv and mach_host (a privileged port can do what the plain one
 * can, as in Mach). Both live as long as the kernel: they have no
 * no-senders handler.
 *
 * What works: host_info (every flavor of <mach/host_info.h>),
 * host_kernel_version, host_page_size, host_processor_info,
 * host_statistics (HOST_LOAD_INFO, HOST_CPU_LOAD_INFO: the scheduler's
 * figures, kernel/processor.c; HOST_VM_INFO: the VM's),
 * processor_set_default, mach_zone_info;
 * host_priv's vm_wire, host_processors, host_processor_sets and
 * host_processor_set_priv; host_security's two token routines. The rest answers KERN_NOT_SUPPORTED
 * (Documentation/interfaces.rst lists them).
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/init.h>
#include <kern/kconfig.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/processor.h>
#include <kern/sched.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/vm_map.h>
#include <kern/vm_object.h>
#include <kern/vm_page.h>
#include <kern/vm_statistics.h>
#include <kern/zalloc.h>
#include <generated/version.h>
#include <mach/mach_types.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kernel/mig/mig_convert.h>
#include "mach_hostServer.h"
#include "host_privServer.h"
#include "host_securityServer.h"

struct host {
	ipc_port_t	host_self;	/* IKOT_HOST */
	ipc_port_t	host_priv_self;	/* IKOT_HOST_PRIV */
};

static struct host realhost;

IPC_KOBJECT_DEFINE(IKOT_HOST,
	.ikt_subsystems = { &mach_host_subsystem });
/*
 * mach.defs too, for its one host_priv routine, vm_set_default_memory_manager
 * (2041; host_priv.defs skips 403 for it): its intran is the host_priv one.
 */
extern const struct mig_subsystem mach_subsystem;

IPC_KOBJECT_DEFINE(IKOT_HOST_PRIV,
	.ikt_subsystems = { &host_priv_subsystem, &mach_host_subsystem, &mach_subsystem,
			    &host_security_subsystem });

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

static void host_resource_sizes(struct kernel_resource_sizes *sizes)
{
	sizes->task = sizeof(struct task);
	sizes->thread = sizeof(struct thread);
	sizes->port = sizeof(struct ipc_port);
	sizes->memory_region = sizeof(struct vm_map_entry);
	sizes->memory_object = sizeof(struct vm_object);
}

/* A host_info() flavor's count, or -1 for none. */
static int host_info_count(host_flavor_t flavor)
{
	switch (flavor) {
	case HOST_BASIC_INFO:
		return HOST_BASIC_INFO_COUNT;
	case HOST_SCHED_INFO:
		return HOST_SCHED_INFO_COUNT;
	case HOST_RESOURCE_SIZES:
		return HOST_RESOURCE_SIZES_COUNT;
	case HOST_PRIORITY_INFO:
		return HOST_PRIORITY_INFO_COUNT;
	case HOST_SEMAPHORE_TRAPS:
		return HOST_SEMAPHORE_TRAPS_COUNT;
	default:
		return -1;
	}
}

/*
 * As in Mach: *host_info_outCnt is the caller's room in integer_t
 * (KERN_FAILURE if too small for the flavor) and comes back as the
 * flavor's count. HOST_SEMAPHORE_TRAPS has no data: its success says
 * that the semaphore traps are there.
 */
kern_return_t host_info(host_t host, host_flavor_t flavor,
			host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt)
{
	int count = host_info_count(flavor);

	if (host == HOST_NULL || count < 0)
		return KERN_INVALID_ARGUMENT;
	if (*host_info_outCnt < (mach_msg_type_number_t)count)
		return KERN_FAILURE;
	if (flavor == HOST_BASIC_INFO)
		host_basic_info((void *)host_info_out);
	else if (flavor == HOST_SCHED_INFO)
		host_sched_info((void *)host_info_out);
	else if (flavor == HOST_RESOURCE_SIZES)
		host_resource_sizes((void *)host_info_out);
	else if (flavor == HOST_PRIORITY_INFO)
		host_priority_info((void *)host_info_out);
	*host_info_outCnt = (mach_msg_type_number_t)count;
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

/*
 * The first size bytes of a kalloc()ed buffer of alloc bytes as the
 * out-of-line region a reply carries, in *outp (NULL for none, or when
 * there is no memory for it: KERN_RESOURCE_SHORTAGE). The buffer is freed
 * either way.
 */
static kern_return_t host_ool_out(void *buf, vm_size_t alloc, vm_size_t size, void **outp)
{
	struct ipc_ool_copy *copy = NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	if (size)
		mr = ipc_ool_copyin(buf, size, false, &copy);
	kfree(buf, alloc);
	*outp = copy;
	return mr == MACH_MSG_SUCCESS ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

/* Every online processor's information of one flavor, one after another. */
kern_return_t host_processor_info(host_t host, processor_flavor_t flavor,
				  natural_t *out_processor_count,
				  processor_info_array_t *out_processor_info,
				  mach_msg_type_number_t *out_processor_infoCnt)
{
	mach_msg_type_number_t each, count;
	integer_t probe[PROCESSOR_INFO_MAX / 64];	/* room for any flavor here */
	unsigned int cpu, n = 0;
	integer_t *info;
	kern_return_t kr;

	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	/* The flavor's size: ask the boot processor. */
	each = ARRAY_SIZE(probe);
	kr = processor_info_get(processor_of_cpu(0), flavor, probe, &each);
	if (kr != KERN_SUCCESS)
		return kr;
	info = kalloc(MAX_CPUS * each * sizeof(*info));
	if (!info)
		return KERN_RESOURCE_SHORTAGE;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		processor_t p = processor_of_cpu(cpu);

		count = each;
		if (p && processor_info_get(p, flavor, info + n * each, &count) == KERN_SUCCESS)
			n++;
	}
	kr = host_ool_out(info, MAX_CPUS * each * sizeof(*info), n * each * sizeof(*info),
			  (void **)out_processor_info);
	if (kr != KERN_SUCCESS)
		return kr;
	*out_processor_count = n;
	*out_processor_infoCnt = n * each;
	return KERN_SUCCESS;
}

/*
 * HOST_LOAD_INFO and HOST_CPU_LOAD_INFO come from the scheduler
 * (kernel/processor.c); HOST_VM_INFO is vm_statistics' counts.
 */
kern_return_t host_statistics(host_t host, host_flavor_t flavor,
			      host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt)
{
	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case HOST_LOAD_INFO:
		if (*host_info_outCnt < HOST_LOAD_INFO_COUNT)
			return KERN_FAILURE;
		processor_load_info((struct host_load_info *)host_info_out);
		*host_info_outCnt = HOST_LOAD_INFO_COUNT;
		return KERN_SUCCESS;
	case HOST_VM_INFO:
		if (*host_info_outCnt < HOST_VM_INFO_COUNT)
			return KERN_FAILURE;
		vm_statistics_get((vm_statistics_data_t *)host_info_out);
		*host_info_outCnt = HOST_VM_INFO_COUNT;
		return KERN_SUCCESS;
	case HOST_CPU_LOAD_INFO:
		if (*host_info_outCnt < HOST_CPU_LOAD_INFO_COUNT)
			return KERN_FAILURE;
		processor_cpu_ticks(-1, ((struct host_cpu_load_info *)host_info_out)->cpu_ticks);
		*host_info_outCnt = HOST_CPU_LOAD_INFO_COUNT;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

kern_return_t processor_set_default(host_t host, processor_set_name_t *default_set)
{
	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	*default_set = pset_default();
	return KERN_SUCCESS;
}

/*
 * mach_zone_info: XNU's call rather than GNU Mach's host_slab_info
 * (mach_debug.defs), because it sits in mach_host beside the other
 * host figures, has 64-bit fields, and XNU's zprint reads it; its fields
 * give every figure a zone has here (<mach/zone_info.h> says how).
 */
struct zone_info_walk {
	mach_zone_name_t	*names;
	mach_zone_info_t	*info;
	unsigned int		max, n;
};

static void zone_info_one(struct zone *zone, void *arg)
{
	struct zone_info_walk *w = arg;
	struct zone_stats zs;
	mach_zone_info_t *zi;

	if (w->n >= w->max) {
		w->n++;
		return;
	}
	zone_get_stats(zone, &zs);
	strlcpy(w->names[w->n].mzn_name, zs.name, ZONE_NAME_MAX_LEN);
	zi = &w->info[w->n++];
	memset(zi, 0, sizeof(*zi));
	zi->mzi_count = zs.in_use;
	zi->mzi_cur_size = (uint64_t)zs.pages * PAGE_SIZE;
	zi->mzi_max_size = (uint64_t)zs.max_elems * zs.elem_stride;
	zi->mzi_elem_size = zs.elem_stride;
	zi->mzi_alloc_size = zs.chunk_size;
	zi->mzi_exhaustible = 1;
	zi->mzi_collectable = !(zs.flags & ZONE_NOGC);
}

static unsigned int zone_info_count(void)
{
	struct zone_info_walk w = { 0 };

	zone_for_each(zone_info_one, &w);
	return w.n;
}

kern_return_t mach_zone_info(host_priv_t host, mach_zone_name_array_t *names,
			     mach_msg_type_number_t *namesCnt,
			     mach_zone_info_array_t *info,
			     mach_msg_type_number_t *infoCnt)
{
	struct zone_info_walk w = { 0 };
	kern_return_t kr, kr2;

	if (host == HOST_NULL)
		return KERN_INVALID_ARGUMENT;
	/* Zones are created with kalloc's: room for a few more than now. */
	for (;;) {
		w.max = zone_info_count() + 4;
		w.n = 0;
		w.names = kalloc(w.max * sizeof(*w.names));
		w.info = kalloc(w.max * sizeof(*w.info));
		if (!w.names || !w.info) {
			if (w.names)
				kfree(w.names, w.max * sizeof(*w.names));
			if (w.info)
				kfree(w.info, w.max * sizeof(*w.info));
			return KERN_RESOURCE_SHORTAGE;
		}
		zone_for_each(zone_info_one, &w);
		if (w.n <= w.max)
			break;
		kfree(w.names, w.max * sizeof(*w.names));
		kfree(w.info, w.max * sizeof(*w.info));
	}
	kr = host_ool_out(w.names, w.max * sizeof(*w.names), w.n * sizeof(*w.names),
			  (void **)names);
	kr2 = host_ool_out(w.info, w.max * sizeof(*w.info), w.n * sizeof(*w.info),
			   (void **)info);
	if (kr == KERN_SUCCESS && kr2 == KERN_SUCCESS) {
		*namesCnt = *infoCnt = w.n;
		return KERN_SUCCESS;
	}
	/* The reply is not sent: nothing carries the copies away. */
	if (*names)
		ipc_ool_copy_discard((struct ipc_ool_copy *)*names);
	if (*info)
		ipc_ool_copy_discard((struct ipc_ool_copy *)*info);
	return KERN_RESOURCE_SHORTAGE;
}

/* host_priv.defs */

/*
 * HOST_REBOOT_HALT powers the machine off (the shell's poweroff); a restart
 * or the debugger is not supported.
 */
kern_return_t host_reboot(host_priv_t host_priv, int options)
{
	if (!(options & HOST_REBOOT_HALT) || (options & HOST_REBOOT_DEBUGGER))
		return KERN_NOT_SUPPORTED;
	if (!host_priv)
		return KERN_INVALID_HOST;
	pr_info("host_reboot: powering off\n");
	arch_poweroff(0);
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

/* A send right to every online processor's port. */
kern_return_t host_processors(host_priv_t host_priv,
			      processor_array_t *out_processor_list,
			      mach_msg_type_number_t *out_processor_listCnt)
{
	mach_port_t *ports;
	unsigned int cpu, n = 0;

	if (!host_priv)
		return KERN_INVALID_ARGUMENT;
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		n += processor_of_cpu(cpu) != PROCESSOR_NULL;
	ports = kalloc(n * sizeof(*ports));	/* the reply frees it by its size */
	if (!ports)
		return KERN_RESOURCE_SHORTAGE;
	n = 0;
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		if (processor_of_cpu(cpu))
			ports[n++] = convert_processor_to_port(processor_of_cpu(cpu));
	*out_processor_list = (processor_array_t)ports;
	*out_processor_listCnt = n;
	return KERN_SUCCESS;
}

/* The name port of every processor set: MachLine has one. */
kern_return_t host_processor_sets(host_priv_t host_priv,
				  processor_set_name_array_t *processor_sets,
				  mach_msg_type_number_t *processor_setsCnt)
{
	mach_port_t *ports;

	if (!host_priv)
		return KERN_INVALID_ARGUMENT;
	ports = kalloc(sizeof(*ports));
	if (!ports)
		return KERN_RESOURCE_SHORTAGE;
	ports[0] = convert_pset_name_to_port(pset_default());
	*processor_sets = (processor_set_name_array_t)ports;
	*processor_setsCnt = 1;
	return KERN_SUCCESS;
}

kern_return_t host_processor_set_priv(host_priv_t host_priv, processor_set_name_t set_name,
				      processor_set_t *set)
{
	if (!host_priv || !set_name)
		return KERN_INVALID_ARGUMENT;
	*set = set_name;
	return KERN_SUCCESS;
}

/*
 * host_security.defs: the privileged host port is the security port. A
 * plain host port or any other kernel port does not serve the subsystem
 * (MIG_BAD_ID); KERN_INVALID_SECURITY, XNU's answer for a null security
 * port, is for a caller inside the kernel.
 */
kern_return_t host_security_create_task_token(host_security_t host_security, task_t parent_task,
					       security_token_t sec_token,
					       boolean_t inherit_memory, task_t *child_task)
{
	kern_return_t kr;

	if (!host_security)
		return KERN_INVALID_SECURITY;
	if (!parent_task)
		return KERN_INVALID_ARGUMENT;
	kr = task_create(parent_task, inherit_memory, child_task);
	if (kr == KERN_SUCCESS)
		task_set_security_token(*child_task, sec_token);	/* no thread yet */
	return kr;
}

/* The kernel's own token marks what the kernel sends: no task may change it. */
kern_return_t host_security_set_task_token(host_security_t host_security, task_t target_task,
					   security_token_t sec_token)
{
	if (!host_security)
		return KERN_INVALID_SECURITY;
	if (!target_task || target_task == kernel_task)
		return KERN_INVALID_ARGUMENT;
	task_set_security_token(target_task, sec_token);
	return KERN_SUCCESS;
}

// SPDX-License-Identifier: MIT
/*
 * The kernel's side of processor.defs (subsystem 3000, a processor's
 * port) and processor_set.defs (subsystem 4000, a processor set's name
 * and control ports). The objects are kernel/processor.c's
 * (<kern/processor.h>).
 */
#include <kern/processor.h>
#include <kern/task.h>
#include <mach/policy.h>
#include <ipc/ipc_kobject.h>
#include <kernel/mig/mig_convert.h>
#include "processorServer.h"
#include "processor_setServer.h"

IPC_KOBJECT_DEFINE(IKOT_PROCESSOR,
	.ikt_subsystems = { &processor_subsystem });
/* The name port answers only the information routines: the others convert to null. */
IPC_KOBJECT_DEFINE(IKOT_PSET,
	.ikt_subsystems = { &processor_set_subsystem });
IPC_KOBJECT_DEFINE(IKOT_PSET_NAME,
	.ikt_subsystems = { &processor_set_subsystem });

/* processor.defs */

kern_return_t processor_info(processor_t processor, processor_flavor_t flavor,
			     host_t *host, processor_info_t processor_info_out,
			     mach_msg_type_number_t *processor_info_outCnt)
{
	kern_return_t kr;

	kr = processor_info_get(processor, flavor, processor_info_out, processor_info_outCnt);
	if (kr == KERN_SUCCESS)
		*host = host_self();
	return kr;
}

kern_return_t processor_get_assignment(processor_t processor,
				       processor_set_name_t *assigned_set)
{
	if (!processor)
		return KERN_INVALID_ARGUMENT;
	*assigned_set = pset_default();
	return KERN_SUCCESS;
}

/* processor_set.defs */

kern_return_t processor_set_statistics(processor_set_name_t pset,
				       processor_set_flavor_t flavor,
				       processor_set_info_t info_out,
				       mach_msg_type_number_t *info_outCnt)
{
	struct processor_set_load_info *li = (void *)info_out;
	struct host_load_info load;

	if (!pset || flavor != PROCESSOR_SET_LOAD_INFO)
		return KERN_INVALID_ARGUMENT;
	if (*info_outCnt < PROCESSOR_SET_LOAD_INFO_COUNT)
		return KERN_FAILURE;
	processor_load_info(&load);
	li->task_count = (integer_t)task_count();
	li->thread_count = (integer_t)thread_count();
	li->load_average = load.avenrun[0];
	li->mach_factor = load.mach_factor[0];
	*info_outCnt = PROCESSOR_SET_LOAD_INFO_COUNT;
	return KERN_SUCCESS;
}

kern_return_t processor_set_tasks(processor_set_t processor_set, task_array_t *task_list,
				  mach_msg_type_number_t *task_listCnt)
{
	if (!processor_set)
		return KERN_INVALID_ARGUMENT;
	return pset_task_ports(processor_set, (mach_port_t **)task_list, task_listCnt);
}

kern_return_t processor_set_threads(processor_set_t processor_set,
				    thread_array_t *thread_list,
				    mach_msg_type_number_t *thread_listCnt)
{
	if (!processor_set)
		return KERN_INVALID_ARGUMENT;
	return pset_thread_ports(processor_set, (mach_port_t **)thread_list, thread_listCnt);
}

kern_return_t processor_set_info(processor_set_name_t set_name, int flavor, host_t *host,
				 processor_set_info_t info_out,
				 mach_msg_type_number_t *info_outCnt)
{
	struct processor_set_basic_info *bi = (void *)info_out;
	unsigned int cpu, n = 0;

	if (!set_name || flavor != PROCESSOR_SET_BASIC_INFO)
		return KERN_INVALID_ARGUMENT;
	if (*info_outCnt < PROCESSOR_SET_BASIC_INFO_COUNT)
		return KERN_FAILURE;
	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		n += processor_of_cpu(cpu) != PROCESSOR_NULL;
	bi->processor_count = (integer_t)n;
	bi->default_policy = POLICY_TIMESHARE;
	*info_outCnt = PROCESSOR_SET_BASIC_INFO_COUNT;
	*host = host_self();
	return KERN_SUCCESS;
}

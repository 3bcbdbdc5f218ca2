/* SPDX-License-Identifier: MIT */
/*
 * Processors and processor sets as kernel objects (kernel/processor.c,
 * Documentation/processors.rst).
 *
 * Each online CPU has a processor with a port (IKOT_PROCESSOR), which the
 * privileged host port hands out (host_processors()) and which answers
 * processor.defs. MachLine has one processor set, the default one, with
 * every processor, task and thread in it: its name port (IKOT_PSET_NAME,
 * processor_set_default()) answers the information routines of
 * processor_set.defs, its control port (IKOT_PSET,
 * host_processor_set_priv()) all of them, listing every task and thread.
 * Processors and the set live as long as the kernel: no references.
 *
 * The figures come from the scheduler: a CPU's idle time is its idle
 * thread's time on the CPU; its busy time, the rest since the processor
 * was set up at boot. Threads keep one clock, so busy time is
 * CPU_STATE_SYSTEM (task_info() reports it as system time too) and
 * CPU_STATE_USER and CPU_STATE_NICE stay 0. Ticks are PROCESSOR_TICK_NS
 * (100 per second, Mach's hz). Load averages (HOST_LOAD_INFO) are sampled
 * once a second: the threads running or runnable per CPU, decayed over 5,
 * 30 and 60 seconds.
 */
#ifndef _KERN_PROCESSOR_H
#define _KERN_PROCESSOR_H

#include <kern/types.h>
#include <mach/mach_types.h>

#define PROCESSOR_TICK_NS	(10 * 1000 * 1000ULL)	/* a cpu_ticks unit */
#define PROCESSOR_LOAD_PERIOD_NS (1000 * 1000 * 1000ULL) /* a load sample */

/* The processor of an online CPU, or PROCESSOR_NULL. */
processor_t processor_of_cpu(unsigned int cpu);
unsigned int processor_cpu(processor_t processor);

/* The default processor set: every processor. */
processor_set_t pset_default(void);

/*
 * A processor's information of one flavor (PROCESSOR_BASIC_INFO,
 * PROCESSOR_CPU_LOAD_INFO) into info; *count: the room in integer_t on
 * entry, the flavor's count on return. KERN_INVALID_ARGUMENT for another
 * flavor, KERN_FAILURE for too little room.
 */
kern_return_t processor_info_get(processor_t processor, processor_flavor_t flavor,
				 integer_t *info, mach_msg_type_number_t *count);

/* Ticks in each CPU_STATE_*, of one CPU or (cpu < 0) summed over all. */
void processor_cpu_ticks(int cpu, natural_t ticks[CPU_STATE_MAX]);

/* The load averages and Mach factors (HOST_LOAD_INFO). */
void processor_load_info(struct host_load_info *info);

/*
 * Every task's (processor_set_tasks) or thread's (processor_set_threads)
 * send right, in a kalloc()ed array of *count ports (NULL for none).
 * KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t pset_task_ports(processor_set_t pset, mach_port_t **ports,
			      mach_msg_type_number_t *count);
kern_return_t pset_thread_ports(processor_set_t pset, mach_port_t **ports,
				mach_msg_type_number_t *count);

/* mig_convert.h's conversions. */
processor_t convert_port_to_processor(mach_port_t port);
mach_port_t convert_processor_to_port(processor_t processor);
processor_set_t convert_port_to_pset(mach_port_t port);
mach_port_t convert_pset_to_port(processor_set_t pset);
processor_set_name_t convert_port_to_pset_name(mach_port_t port);
mach_port_t convert_pset_name_to_port(processor_set_name_t pset);

#endif /* _KERN_PROCESSOR_H */

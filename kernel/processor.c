// SPDX-License-Identifier: MIT
/*
 * Processors and the default processor set (<kern/processor.h>,
 * Documentation/processors.rst): their ports, the figures the host and
 * processor routines report (CPU ticks, load averages), and the lists of
 * every task and thread the set's control port gives. The MIG routines
 * are kernel/mig/processor_routines.c's and mach_host_routines.c's.
 */
#include <kern/cpu.h>
#include <kern/init.h>
#include <kern/panic.h>
#include <kern/processor.h>
#include <kern/sched.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/timer.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kernel/mig/mig_convert.h>

struct processor {
	unsigned int	cpu;
	ipc_port_t	port;		/* IKOT_PROCESSOR */
	uint64_t	stat_start;	/* clock_now() when the figures began */
	uint64_t	idle_start;	/* the idle thread's time then */
};

struct processor_set {
	ipc_port_t	pset_self;	/* IKOT_PSET: the control port */
	ipc_port_t	pset_name_self;	/* IKOT_PSET_NAME */
};

static struct processor processor_array[MAX_CPUS];
static struct processor_set pset0;
static bool processors_ready;

/*
 * Load averages, LOAD_SCALE fixed point, written by the sampler only.
 * A sample every second decays by exp(-1/5), exp(-1/30), exp(-1/60).
 */
static const integer_t load_decay[3] = { 819, 967, 983 };
static integer_t load_avenrun[3], load_mach_factor[3];
static struct timer_call load_timer;

processor_t processor_of_cpu(unsigned int cpu)
{
	if (!READ_ONCE(processors_ready) || cpu >= cpu_count || !cpu_data_of(cpu)->online)
		return PROCESSOR_NULL;
	return &processor_array[cpu];
}

unsigned int processor_cpu(processor_t processor)
{
	return processor->cpu;
}

processor_set_t pset_default(void)
{
	return &pset0;
}

/* ------------------------------------------------------------------------
 * Figures
 */

/* ns the CPU's idle thread has spent on it, up to now. */
static uint64_t processor_idle_ns(unsigned int cpu, uint64_t now)
{
	struct thread *idle = sched_idle_thread(cpu);
	uint64_t ns, start;

	if (!idle)
		return 0;
	ns = READ_ONCE(idle->total_time);
	if (READ_ONCE(cpu_data_of(cpu)->active_thread) == idle) {
		start = READ_ONCE(idle->run_start);
		if (now > start)
			ns += now - start;
	}
	return ns;
}

static void processor_ticks_add(unsigned int cpu, natural_t ticks[CPU_STATE_MAX])
{
	struct processor *p = &processor_array[cpu];
	uint64_t now = clock_now(), total, idle;

	total = now - p->stat_start;
	idle = processor_idle_ns(cpu, now);
	idle = idle > p->idle_start ? idle - p->idle_start : 0;
	if (idle > total)
		idle = total;
	ticks[CPU_STATE_IDLE] += (natural_t)(idle / PROCESSOR_TICK_NS);
	ticks[CPU_STATE_SYSTEM] += (natural_t)((total - idle) / PROCESSOR_TICK_NS);
}

void processor_cpu_ticks(int cpu, natural_t ticks[CPU_STATE_MAX])
{
	unsigned int c;

	memset(ticks, 0, CPU_STATE_MAX * sizeof(natural_t));
	if (cpu >= 0) {
		if (processor_of_cpu((unsigned int)cpu))
			processor_ticks_add((unsigned int)cpu, ticks);
		return;
	}
	for (c = 0; c < MAX_CPUS; c++)
		if (processor_of_cpu(c))
			processor_ticks_add(c, ticks);
}

/* Threads running (not idle) or waiting on a run queue, and the CPUs. */
static unsigned int processor_nrun(unsigned int *ncpus)
{
	unsigned int cpu, n = 0, cpus = 0;
	struct thread *active;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!sched_cpu_active(cpu))
			continue;
		cpus++;
		n += sched_runq_count(cpu);
		active = READ_ONCE(cpu_data_of(cpu)->active_thread);
		if (active && active != sched_idle_thread(cpu))
			n++;
	}
	*ncpus = cpus ? cpus : 1;
	return n;
}

static integer_t load_decayed(integer_t avg, integer_t now, integer_t decay)
{
	return (integer_t)(((int64_t)avg * decay + (int64_t)now * (LOAD_SCALE - decay)) /
			   LOAD_SCALE);
}

static void processor_load_sample(struct timer_call *tc, void *arg)
{
	unsigned int ncpus, nrun = processor_nrun(&ncpus);
	integer_t load_now = (integer_t)(nrun * LOAD_SCALE / ncpus);
	integer_t factor_now = ncpus > nrun ? (integer_t)((ncpus - nrun) * LOAD_SCALE) : 0;
	int i;

	(void)arg;
	for (i = 0; i < 3; i++) {
		WRITE_ONCE(load_avenrun[i], load_decayed(load_avenrun[i], load_now, load_decay[i]));
		WRITE_ONCE(load_mach_factor[i],
			   load_decayed(load_mach_factor[i], factor_now, load_decay[i]));
	}
	timer_call_enter(tc, clock_now() + PROCESSOR_LOAD_PERIOD_NS);
}

void processor_load_info(struct host_load_info *info)
{
	int i;

	for (i = 0; i < 3; i++) {
		info->avenrun[i] = READ_ONCE(load_avenrun[i]);
		info->mach_factor[i] = READ_ONCE(load_mach_factor[i]);
	}
}

static void processor_basic_info(processor_t p, struct processor_basic_info *bi)
{
	bi->cpu_type = IS_ENABLED(CONFIG_ARM64) ? CPU_TYPE_ARM64 : CPU_TYPE_X86_64;
	bi->cpu_subtype = IS_ENABLED(CONFIG_ARM64) ? CPU_SUBTYPE_ARM64_ALL :
						    CPU_SUBTYPE_X86_64_ALL;
	bi->running = sched_cpu_active(p->cpu);
	bi->slot_num = (integer_t)p->cpu;
	bi->is_master = p->cpu == 0;
}

kern_return_t processor_info_get(processor_t processor, processor_flavor_t flavor,
				 integer_t *info, mach_msg_type_number_t *count)
{
	mach_msg_type_number_t need;

	if (!processor)
		return KERN_INVALID_ARGUMENT;
	switch (flavor) {
	case PROCESSOR_BASIC_INFO:
		need = PROCESSOR_BASIC_INFO_COUNT;
		break;
	case PROCESSOR_CPU_LOAD_INFO:
		need = PROCESSOR_CPU_LOAD_INFO_COUNT;
		break;
	default:
		return KERN_INVALID_ARGUMENT;
	}
	if (*count < need)
		return KERN_FAILURE;
	if (flavor == PROCESSOR_BASIC_INFO)
		processor_basic_info(processor, (void *)info);
	else
		processor_cpu_ticks((int)processor->cpu,
				    ((struct processor_cpu_load_info *)info)->cpu_ticks);
	*count = need;
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Every task and thread
 */

struct pset_list_ops {
	unsigned int	(*count)(void);
	/* Up to max objects with references into out; returns how many there are. */
	unsigned int	(*snapshot)(void **out, unsigned int max);
	void		(*release)(void *object);
	mach_port_t	(*to_port)(void *object);	/* consumes the reference */
};

static unsigned int pset_task_snapshot(void **out, unsigned int max)
{
	return task_list_snapshot((task_t *)out, max);
}

static void pset_task_release(void *task)
{
	task_deallocate(task);
}

static mach_port_t pset_task_to_port(void *task)
{
	return convert_task_to_port(task);
}

static unsigned int pset_thread_snapshot(void **out, unsigned int max)
{
	return thread_list_snapshot((struct thread **)out, max);
}

static void pset_thread_release(void *thread)
{
	thread_deallocate(thread);
}

static mach_port_t pset_thread_to_port(void *thread)
{
	return convert_thread_to_port(thread);
}

static const struct pset_list_ops pset_task_ops = {
	task_count, pset_task_snapshot, pset_task_release, pset_task_to_port,
};

static const struct pset_list_ops pset_thread_ops = {
	thread_count, pset_thread_snapshot, pset_thread_release, pset_thread_to_port,
};

static void pset_release_all(const struct pset_list_ops *ops, void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ops->release(objs[i]);
}

/*
 * Every object's send right, in a kalloc()ed array of exactly *countp
 * (the reply frees it by that size); objects and port pointers have one
 * size, so they are converted in place.
 */
static kern_return_t pset_ports(const struct pset_list_ops *ops, mach_port_t **ports,
				mach_msg_type_number_t *countp)
{
	unsigned int max = ops->count() + 8, n, i;
	void **objs, **exact;

	for (;;) {
		objs = kalloc(max * sizeof(*objs));
		if (!objs)
			return KERN_RESOURCE_SHORTAGE;
		n = ops->snapshot(objs, max);
		if (n <= max)
			break;
		/* More came meanwhile: try again with room for them. */
		pset_release_all(ops, objs, max);
		kfree(objs, max * sizeof(*objs));
		max = n + 8;
	}
	exact = n ? kalloc(n * sizeof(*exact)) : NULL;
	if (n && !exact) {
		pset_release_all(ops, objs, n);
		kfree(objs, max * sizeof(*objs));
		return KERN_RESOURCE_SHORTAGE;
	}
	for (i = 0; i < n; i++)
		exact[i] = (void *)ops->to_port(objs[i]);
	kfree(objs, max * sizeof(*objs));
	*ports = (mach_port_t *)exact;
	*countp = n;
	return KERN_SUCCESS;
}

kern_return_t pset_task_ports(processor_set_t pset, mach_port_t **ports,
			      mach_msg_type_number_t *count)
{
	if (pset != &pset0)
		return KERN_INVALID_ARGUMENT;
	return pset_ports(&pset_task_ops, ports, count);
}

kern_return_t pset_thread_ports(processor_set_t pset, mach_port_t **ports,
				mach_msg_type_number_t *count)
{
	if (pset != &pset0)
		return KERN_INVALID_ARGUMENT;
	return pset_ports(&pset_thread_ops, ports, count);
}

/* ------------------------------------------------------------------------
 * Ports
 */

processor_t convert_port_to_processor(mach_port_t port)
{
	return ipc_kobject_get((ipc_port_t)port, IKOT_PROCESSOR);
}

/* Processors and the set are never freed: no references to take or drop. */
mach_port_t convert_processor_to_port(processor_t processor)
{
	return processor ? (mach_port_t)ipc_port_make_send(processor->port) : MACH_PORT_NULL;
}

processor_set_t convert_port_to_pset(mach_port_t port)
{
	return ipc_kobject_get((ipc_port_t)port, IKOT_PSET);
}

mach_port_t convert_pset_to_port(processor_set_t pset)
{
	return pset ? (mach_port_t)ipc_port_make_send(pset->pset_self) : MACH_PORT_NULL;
}

/* The control port names the set too, as in Mach. */
processor_set_name_t convert_port_to_pset_name(mach_port_t port)
{
	processor_set_t pset = ipc_kobject_get((ipc_port_t)port, IKOT_PSET_NAME);

	return pset ? pset : ipc_kobject_get((ipc_port_t)port, IKOT_PSET);
}

mach_port_t convert_pset_name_to_port(processor_set_name_t pset)
{
	return pset ? (mach_port_t)ipc_port_make_send(pset->pset_name_self) : MACH_PORT_NULL;
}

/*
 * After the other CPUs are up (smp_bootstrap() runs before the init
 * levels): a processor and port for each online CPU, the set's ports,
 * and the load sampler, on this CPU.
 */
static kern_return_t processor_bootstrap(void)
{
	uint64_t now = clock_now();
	unsigned int cpu;

	for (cpu = 0; cpu < cpu_count; cpu++) {
		struct processor *p = &processor_array[cpu];

		p->cpu = cpu;
		p->stat_start = now;
		p->idle_start = processor_idle_ns(cpu, now);
		p->port = ipc_kobject_port_alloc(p, IKOT_PROCESSOR);
		if (!p->port)
			panic("processor: no memory for CPU%u's port", cpu);
	}
	pset0.pset_self = ipc_kobject_port_alloc(&pset0, IKOT_PSET);
	pset0.pset_name_self = ipc_kobject_port_alloc(&pset0, IKOT_PSET_NAME);
	if (!pset0.pset_self || !pset0.pset_name_self)
		panic("processor: no memory for the processor set's ports");
	WRITE_ONCE(processors_ready, true);
	timer_call_init(&load_timer, processor_load_sample, NULL);
	timer_call_enter(&load_timer, now + PROCESSOR_LOAD_PERIOD_NS);
	return KERN_SUCCESS;
}
KERNEL_INIT(SUBSYS, processor_bootstrap);

/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data.
 *
 * struct cpu_data is the small, fixed part every CPU has: the arch keeps a
 * pointer to its own in a register (x86_64: the GS base, arm64: TPIDR_EL1),
 * so cpu_this() is one load. Everything else that is per CPU (run queues,
 * timer queues, statistics) is a per-CPU variable, defined where it is used:
 *
 *	static DEFINE_PER_CPU(struct run_queue, sched_runq);
 *	struct run_queue *rq = this_cpu_ptr(&sched_runq);
 *	struct run_queue *other = per_cpu_ptr(&sched_runq, cpu);
 *
 * Per-CPU variables live in the .data.percpu section, which is the boot
 * CPU's copy (percpu_offset 0); every other CPU gets a copy of that section
 * when it is brought up (cpu_percpu_setup()), and reaches it through its
 * percpu_offset.
 */
#ifndef _KERN_CPU_H
#define _KERN_CPU_H

#include <kern/types.h>
#include <mach/kern_return.h>

#ifdef CONFIG_SMP
#define MAX_CPUS	CONFIG_NR_CPUS
#else
#define MAX_CPUS	1
#endif

struct thread;

/* Pending asynchronous events of a CPU (Mach's ASTs). */
#define AST_PREEMPT	0x1	/* reschedule at the next chance */

/*
 * cpu_this() is only stable while the thread cannot move to another CPU:
 * with preemption or interrupts disabled. current_thread() is always safe:
 * the arch reads it with a single instruction (x86_64: %gs:8; arm64: it
 * lives in SP_EL0 while in the kernel).
 */
struct cpu_data {
	struct cpu_data	*self;		/* offset 0: x86 reads it at %gs:0 */
	struct thread	*active_thread;	/* offset 8: x86 reads it at %gs:8 */
	unsigned long	percpu_offset;	/* this CPU's copy of .data.percpu */
	unsigned int	id;		/* 0 .. MAX_CPUS-1; the boot CPU is 0 */
	unsigned long	arch_id;	/* local APIC id / MPIDR affinity */
	unsigned int	irq_depth;	/* > 0: in an interrupt handler */
	bool		irq_user;	/* the outermost interrupt came from user mode */
	unsigned long	irq_entries;	/* interrupts taken (statistics) */
	unsigned int	ast;		/* AST_* bits, for this CPU only */
	bool		online;
	/*
	 * x86_64 syscall entry: the running user thread's frame end (where the
	 * entry pushes the user registers, as TSS.rsp0; its kernel stack top
	 * is found from there), the user rsp
	 */
	unsigned long	arch_entry_sp[2];
};
#define CPU_DATA_SELF_OFFSET		0
#define CPU_DATA_ACTIVE_THREAD_OFFSET	8

extern struct cpu_data cpu_data_array[MAX_CPUS];
extern unsigned int cpu_count;		/* CPUs brought up so far */

#include <asm/percpu.h>	/* arch_cpu_data(), arch_current_thread(), ... */

static inline struct cpu_data *cpu_this(void)
{
	return arch_cpu_data();
}

static inline unsigned int cpu_number(void)
{
	return cpu_this()->id;
}

static inline struct cpu_data *cpu_data_of(unsigned int cpu)
{
	return &cpu_data_array[cpu];
}

static inline struct thread *current_thread(void)
{
	return arch_current_thread();
}

/* The scheduler's context switch records the thread it switches to. */
static inline void cpu_set_active_thread(struct cpu_data *cd, struct thread *t)
{
	cd->active_thread = t;
	arch_set_current_thread(t);
}

#define __percpu_section	__section(".data.percpu")
#define DEFINE_PER_CPU(type, name)	__percpu_section __typeof__(type) name
#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name

#define per_cpu_ptr(ptr, cpu)						\
	((__typeof__(ptr))((uintptr_t)(ptr) + cpu_data_of(cpu)->percpu_offset))
#define this_cpu_ptr(ptr)						\
	((__typeof__(ptr))((uintptr_t)(ptr) + cpu_this()->percpu_offset))

extern char __percpu_start[], __percpu_end[];

/* Set up cpu_data_array[0] and install it on the boot CPU. */
void cpu_bootstrap(void);

/*
 * Give CPU `cpu` its cpu_data and its copy of the per-CPU section (a copy of
 * the boot CPU's initial values). KERN_RESOURCE_SHORTAGE without memory.
 */
kern_return_t cpu_percpu_setup(unsigned int cpu, unsigned long arch_id);

#endif /* _KERN_CPU_H */

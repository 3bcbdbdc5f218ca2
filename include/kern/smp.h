/* SPDX-License-Identifier: MIT */
/*
 * Multi-processor support: IPIs and secondary CPUs.
 *
 * smp_ipi_handler() (called by the arch when an IPI arrives) runs the
 * handler registered for its kind; IPI_HALT stops the CPU whatever is
 * registered, IPI_CALL first runs the cross-CPU calls queued for the CPU
 * (smp_call_on_cpu()). The scheduler registers IPI_RESCHEDULE, an arch's
 * TLB shootdown IPI_TLB.
 */
#ifndef _KERN_SMP_H
#define _KERN_SMP_H

#include <kern/types.h>
#include <kern/arch.h>

typedef void (*ipi_handler_t)(unsigned int kind);

/*
 * Cross-CPU calls: fn(arg) runs on the target CPU in its IPI_CALL
 * handler (interrupt context, interrupts disabled: it must not block).
 */
struct smp_call {
	struct smp_call	*next;
	void		(*fn)(void *arg);
	void		*arg;
	bool		done;		/* set once fn has returned */
};

/*
 * Run fn(arg) on `cpu` and wait until it has run (on this CPU: directly,
 * interrupts disabled). KERN_INVALID_ARGUMENT if the CPU is not online.
 * The target must be able to take the IPI: never wait for a CPU that may
 * itself be waiting, interrupts disabled, for this one.
 */
kern_return_t smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg);

/* Queue c (fn, arg set) for `cpu` and send the IPI; c->done tells when it ran. */
void smp_call_async(unsigned int cpu, struct smp_call *c);

void smp_ipi_register(unsigned int kind, ipi_handler_t fn);

/* IPIs received by this CPU since boot, per kind (statistics, tests). */
unsigned long smp_ipi_count(unsigned int cpu, unsigned int kind);

#ifdef CONFIG_SMP
/* A secondary CPU's boot stack, from kmem (with a guard page below). */
#define SMP_STACK_SIZE		(16 * 1024)

/*
 * Boot CPU, once memory, interrupts and timers work: start every other
 * CPU the firmware describes (arch_cpu_enumerate()), one at a time, each
 * with its per-CPU data (cpu_percpu_setup()) and a stack, waiting up to
 * two seconds for it to come online, and report "smp: N CPUs online".
 * A CPU that fails is left off; its cpu number goes to the next one.
 */
void smp_bootstrap(void);
#else
static inline void smp_bootstrap(void) { }
#endif

/*
 * Hook for the scheduler: what a secondary CPU runs once it is online
 * (its idle thread). Without one, the CPU idles with interrupts on.
 */
extern void (*cpu_secondary_hook)(void);

#endif /* _KERN_SMP_H */

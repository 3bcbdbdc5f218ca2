/* SPDX-License-Identifier: MIT */
/*
 * Multi-processor support: IPIs and secondary CPUs.
 *
 * smp_ipi_handler() (called by the arch when an IPI arrives) runs the
 * handler registered for its kind; IPI_HALT stops the CPU whatever is
 * registered. The scheduler registers IPI_RESCHEDULE, the cross-CPU call
 * service IPI_CALL, an arch's TLB shootdown IPI_TLB.
 */
#ifndef _KERN_SMP_H
#define _KERN_SMP_H

#include <kern/types.h>
#include <kern/arch.h>

typedef void (*ipi_handler_t)(unsigned int kind);

void smp_ipi_register(unsigned int kind, ipi_handler_t fn);

/* IPIs received by this CPU since boot, per kind (statistics, tests). */
unsigned long smp_ipi_count(unsigned int cpu, unsigned int kind);

/*
 * Hook for the scheduler: what a secondary CPU runs once it is online
 * (its idle thread). Without one, the CPU idles with interrupts on.
 */
extern void (*cpu_secondary_hook)(void);

#endif /* _KERN_SMP_H */

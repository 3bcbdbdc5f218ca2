/* SPDX-License-Identifier: MIT */
/*
 * Device interrupts: a handler per interrupt line. Lines are numbered as
 * the architecture numbers them (x86_64: the IOAPIC's GSI; arm64: the GIC
 * INTID). The arch's interrupt entry brackets every handler with
 * irq_enter()/irq_exit() (<kern/arch.h>) and calls irq_dispatch() for
 * device lines; the timer and IPIs have their own paths.
 */
#ifndef _KERN_IRQ_H
#define _KERN_IRQ_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define IRQ_MAX		1024

typedef void (*irq_handler_t)(unsigned int irq, void *arg);

/*
 * Install the handler of line irq and unmask it. KERN_INVALID_ARGUMENT for
 * a line beyond IRQ_MAX, KERN_NAME_EXISTS if the line has a handler.
 */
kern_return_t irq_register(unsigned int irq, irq_handler_t fn, void *arg,
			   const char *name);

/* Mask the line and remove its handler. */
void irq_unregister(unsigned int irq);

/* How many times the line has fired (statistics, tests). */
unsigned long irq_count(unsigned int irq);

/* In an interrupt handler on this CPU? */
bool in_interrupt(void);

/*
 * Called by irq_exit() on the way out of the outermost interrupt when this
 * CPU has AST_PREEMPT pending; the scheduler installs it.
 */
extern void (*irq_preempt_hook)(void);

#endif /* _KERN_IRQ_H */

// SPDX-License-Identifier: MIT
/*
 * Device interrupt lines: a table of handlers indexed by line number, and
 * the enter/exit bracket that the arch puts around every interrupt.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/irq.h>
#include <kern/printk.h>
#include <kern/spinlock.h>

struct irq_desc {
	irq_handler_t	fn;
	void		*arg;
	const char	*name;
	unsigned long	count;
};

static struct irq_desc irq_table[IRQ_MAX];
static spinlock_t irq_table_lock = SPINLOCK_INIT;

void (*irq_preempt_hook)(void);

kern_return_t irq_register(unsigned int irq, irq_handler_t fn, void *arg,
			   const char *name)
{
	unsigned long flags;
	kern_return_t kr = KERN_SUCCESS;

	if (irq >= IRQ_MAX || !fn)
		return KERN_INVALID_ARGUMENT;
	flags = spin_lock_irqsave(&irq_table_lock);
	if (irq_table[irq].fn) {
		kr = KERN_NAME_EXISTS;
	} else {
		irq_table[irq].arg = arg;
		irq_table[irq].name = name;
		__atomic_store_n(&irq_table[irq].fn, fn, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&irq_table_lock, flags);
	if (kr == KERN_SUCCESS)
		arch_irq_unmask(irq);
	return kr;
}

void irq_unregister(unsigned int irq)
{
	unsigned long flags;

	if (irq >= IRQ_MAX)
		return;
	arch_irq_mask(irq);
	flags = spin_lock_irqsave(&irq_table_lock);
	__atomic_store_n(&irq_table[irq].fn, NULL, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&irq_table_lock, flags);
}

unsigned long irq_count(unsigned int irq)
{
	return irq < IRQ_MAX ? __atomic_load_n(&irq_table[irq].count, __ATOMIC_RELAXED) : 0;
}

void irq_dispatch(unsigned int irq)
{
	struct irq_desc *d;
	irq_handler_t fn;

	if (irq >= IRQ_MAX) {
		pr_warn("irq: line %u out of range\n", irq);
		return;
	}
	d = &irq_table[irq];
	__atomic_fetch_add(&d->count, 1, __ATOMIC_RELAXED);
	fn = __atomic_load_n(&d->fn, __ATOMIC_ACQUIRE);
	if (fn)
		fn(irq, d->arg);
	else
		pr_warn("irq: line %u fired with no handler\n", irq);
}

bool in_interrupt(void)
{
	bool in;
	unsigned long flags = arch_irq_save();

	in = cpu_this()->irq_depth > 0;
	arch_irq_restore(flags);
	return in;
}

void irq_enter(bool from_user)
{
	struct cpu_data *cd = cpu_this();

	if (cd->irq_depth++ == 0)
		cd->irq_user = from_user;
	cd->irq_entries++;
}

/* In an interrupt handler (interrupts disabled): did the outermost one come from user mode? */
bool irq_from_user(void)
{
	struct cpu_data *cd = cpu_this();

	return cd->irq_depth > 0 && cd->irq_user;
}

/* Interrupts are still disabled here: cpu_this() is stable. */
void irq_exit(void)
{
	struct cpu_data *cd = cpu_this();

	if (--cd->irq_depth == 0 && (cd->ast & AST_PREEMPT) && irq_preempt_hook)
		irq_preempt_hook();
}

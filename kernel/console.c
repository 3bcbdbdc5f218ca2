// SPDX-License-Identifier: MIT
/*
 * The console list. printk writes through console_write(); a console that
 * registers after printk has run is first shown what the log buffer holds,
 * so nothing printed before the serial driver came up is lost.
 */
#include <kern/arch.h>
#include <kern/console.h>
#include "printk_internal.h"

/*
 * Registered consoles, in registration order. Guarded by interrupts being
 * off; with SMP the log lock of kernel/printk.c guards it too, so that a
 * console never sees a message twice or misses one while it registers.
 */
static struct console *console_list;

void console_register(struct console *con)
{
	struct console **pp;
	unsigned long flags;

	flags = arch_irq_save();
	/* log lock */
	for (pp = &console_list; *pp; pp = &(*pp)->next) {
		if (*pp == con)
			goto out;	/* already there */
	}
	con->next = NULL;
	printk_log_replay(con);
	*pp = con;
out:
	arch_irq_restore(flags);
}

void console_unregister(struct console *con)
{
	struct console **pp;
	unsigned long flags;

	flags = arch_irq_save();
	/* log lock */
	for (pp = &console_list; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			*pp = con->next;
			con->next = NULL;
			break;
		}
	}
	arch_irq_restore(flags);
}

void console_write(const char *s, size_t n)
{
	struct console *con;
	unsigned long flags;

	flags = arch_irq_save();
	for (con = console_list; con; con = con->next)
		con->write(con, s, n);
	arch_irq_restore(flags);
}

int console_getc(void)
{
	struct console *con;
	unsigned long flags;
	int c = -1;

	flags = arch_irq_save();
	for (con = console_list; con && c < 0; con = con->next) {
		if (con->getc)
			c = con->getc(con);
	}
	arch_irq_restore(flags);
	return c;
}

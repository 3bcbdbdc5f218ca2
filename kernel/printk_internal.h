/* SPDX-License-Identifier: MIT */
/*
 * What kernel/printk.c and kernel/console.c share, and nobody else needs.
 */
#ifndef _KERNEL_PRINTK_INTERNAL_H
#define _KERNEL_PRINTK_INTERNAL_H

#include <kern/console.h>

/*
 * Write what the log buffer holds to con, each line filtered by the
 * console level as printk would have. Called with interrupts off.
 */
void printk_log_replay(struct console *con);

#endif /* _KERNEL_PRINTK_INTERNAL_H */

/* SPDX-License-Identifier: MIT */
/*
 * Init levels: the extension point through which drivers and feature layers
 * join the boot without the core naming them.
 *
 *	static int pl011_init(void) { ... return KERN_SUCCESS; }
 *	KERNEL_INIT(DEVICE, pl011_init);
 *
 * Entries go to the linker section .kernel_init.<n>.<name>; the linker script
 * sorts them, so kernel_main() runs every EARLY entry, then every CORE entry,
 * and so on. Within a level, entries run in link order. The core's own
 * bootstrap stays an explicit call list in kernel/main.c; only code that
 * the core must not know about registers here.
 */
#ifndef _KERN_INIT_H
#define _KERN_INIT_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define KERNEL_INIT_LEVEL_EARLY		0	/* after the console, before memory */
#define KERNEL_INIT_LEVEL_CORE		1	/* core services are up */
#define KERNEL_INIT_LEVEL_ARCH		2	/* arch devices (interrupts, timers) */
#define KERNEL_INIT_LEVEL_SUBSYS	3	/* subsystems and feature layers */
#define KERNEL_INIT_LEVEL_DEVICE	4	/* device drivers */
#define KERNEL_INIT_LEVEL_LATE		5	/* after every driver */
#define KERNEL_INIT_NR_LEVELS		6

struct kernel_init_entry {
	kern_return_t	(*fn)(void);
	const char	*name;
	int		level;
};

#define KERNEL_INIT(_level, _fn)					\
	static const struct kernel_init_entry __kinit_##_fn		\
	__used __section(".kernel_init." __stringify(KERNEL_INIT_LEVEL_##_level) "." #_fn) \
	__aligned(sizeof(void *)) = {					\
		.fn = _fn, .name = #_fn, .level = KERNEL_INIT_LEVEL_##_level, \
	}

/* Run every entry of one level; a failing entry is reported, not fatal. */
void kernel_init_run_level(int level);

extern const struct kernel_init_entry __kernel_init_start[], __kernel_init_end[];

#endif /* _KERN_INIT_H */

/* SPDX-License-Identifier: MIT */
/*
 * Linker-script fragments shared by arch/<arch>/kernel/machline.lds.S.
 * Every linker-section table of the kernel is gathered here, so that a new
 * table is added once for both boards.
 */
#ifndef _KERN_MACHLINE_LDS_H
#define _KERN_MACHLINE_LDS_H

/* Tables filled through linker sections; put inside the .rodata output section. */
#define KERNEL_TABLES							\
	. = ALIGN(8);							\
	__kernel_init_start = .;					\
	KEEP(*(SORT(.kernel_init.*)))					\
	__kernel_init_end = .;						\
	. = ALIGN(8);							\
	__ktest_suites_start = .;					\
	KEEP(*(SORT(.ktest_suites.*)))					\
	__ktest_suites_end = .;						\
	. = ALIGN(8);							\
	__kbench_start = .;						\
	KEEP(*(SORT(.kbench.*)))					\
	__kbench_end = .;						\
	. = ALIGN(8);							\
	__ipc_kobject_types_start = .;					\
	KEEP(*(SORT(.ipc_kobject_types.*)))				\
	__ipc_kobject_types_end = .;

/*
 * Per-CPU variables (DEFINE_PER_CPU, <kern/cpu.h>): the boot CPU's copy,
 * page aligned so that each other CPU's copy can be one page-aligned block.
 * Put first inside the .data output section.
 */
#define KERNEL_PERCPU							\
	. = ALIGN(4096);						\
	__percpu_start = .;						\
	KEEP(*(.data.percpu))						\
	. = ALIGN(64);							\
	__percpu_end = .;

/*
 * The kernel symbol table, filled in by the second link pass (see
 * scripts/link-machline.sh). It sits after .rodata so that adding it does
 * not move any function.
 */
#define KERNEL_KALLSYMS							\
	.kallsyms : AT(ADDR(.kallsyms) - KERNEL_LOAD_OFFSET) {		\
		. = ALIGN(8);						\
		KEEP(*(.kallsyms))					\
	}

#endif /* _KERN_MACHLINE_LDS_H */

/* SPDX-License-Identifier: MIT */
/*
 * The contract between the kernel and the first user program, the
 * bootstrap task (Documentation/boot.rst). Both sides follow it: the
 * kernel's ELF loader and bootstrap code (kernel/elf_load.c,
 * kernel/bootstrap.c) and user space's crt0 and /sbin/bootstrap.
 *
 * The program
 *	A static ELF64 executable for the board's machine (EM_X86_64 or
 *	EM_AARCH64), ET_EXEC, little-endian, read from the initial RAM disk
 *	(a cpio "newc" archive). Its PT_LOAD segments are mapped at their
 *	p_vaddr with the protections of p_flags; the part of each segment
 *	past p_filesz up to p_memsz is zero. Every segment lies in the user
 *	half, below BOOTSTRAP_STACK_BOTTOM.
 *
 *	Path: BOOTSTRAP_DEFAULT_PATH, or the value of the `init=` kernel
 *	parameter (a path in the RAM disk, with or without its leading '/').
 *
 * The start block
 *	The program starts at its ELF entry point, in user mode, with its
 *	stack pointer 16-byte aligned and pointing at the start block:
 *
 *	    sp + 0          argc                (8 bytes, unsigned long)
 *	    sp + 8          argv[0]             (pointers, 8 bytes each)
 *	    ...             argv[argc - 1]
 *	                    NULL
 *	                    envp[0] ...         (environment strings)
 *	                    NULL
 *	    ...             the strings themselves (NUL-terminated), above
 *
 *	The first argument register (x86_64 %rdi, arm64 x0) holds the same
 *	value as the stack pointer (the address of argc), so a C entry point
 *	`void _start_c(unsigned long *block)` can read it directly. Every
 *	other general register is zero. The stack is BOOTSTRAP_STACK_SIZE
 *	bytes (read/write, demand-zero) ending at BOOTSTRAP_STACK_TOP.
 *
 *	argv[0] is the program's path as given (BOOTSTRAP_DEFAULT_PATH or
 *	init='s value); the words of the kernel command line after a
 *	standalone `--` follow as argv[1..]. envp is empty today (only the
 *	terminating NULL).
 *
 * Ports
 *	The bootstrap task is an ordinary task (its own IPC space and map),
 *	the first one the kernel starts. It finds its ports as GNU Mach's
 *	bootstrap does, with no names agreed in advance:
 *
 *	  task_get_special_port(mach_task_self(), TASK_HOST_PORT)
 *	      the host port (mach_host.defs; host_self_trap() gives it too);
 *	  mach_ports_lookup(mach_task_self(), &ports, &count)
 *	      ports[BOOTSTRAP_SLOT_HOST_PRIV]     the privileged host port
 *	                                          (host_priv.defs, mach_host.defs)
 *	      ports[BOOTSTRAP_SLOT_DEVICE_MASTER] the device master port
 *	                                          (device.defs: device_open)
 *
 *	The registered ports are inherited by the tasks it creates
 *	(task_create()) until it changes them with mach_ports_register().
 *	/sbin/bootstrap leaves them to the servers it starts privileged
 *	only; any other task it starts gets MACH_PORT_NULL in
 *	BOOTSTRAP_SLOT_HOST_PRIV and the console server's port in
 *	BOOTSTRAP_SLOT_DEVICE_MASTER (Documentation/user.rst, "The name
 *	server"). The kernel gives it no bootstrap port (TASK_BOOTSTRAP_PORT
 *	is MACH_PORT_NULL): the bootstrap task is the name server.
 *
 * Devices
 *	device_open(device_master, mode, "console", &dev) gives the kernel
 *	console (the board's UART): device_write/_inband print,
 *	device_read/_inband wait for input. Any other name: D_NO_SUCH_DEVICE.
 */
#ifndef _MACH_BOOTSTRAP_ABI_H
#define _MACH_BOOTSTRAP_ABI_H

#define BOOTSTRAP_DEFAULT_PATH		"/sbin/bootstrap"

/* mach_ports_lookup() slots of the bootstrap task. */
#define BOOTSTRAP_SLOT_HOST_PRIV	0
#define BOOTSTRAP_SLOT_DEVICE_MASTER	1

/* Start block: the stack pointer's alignment, and the stack's place. */
#define BOOTSTRAP_STACK_ALIGN		16
#define BOOTSTRAP_STACK_SIZE		(256UL * 1024)
#define BOOTSTRAP_STACK_TOP		0x00007ff000000000UL
#define BOOTSTRAP_STACK_BOTTOM		(BOOTSTRAP_STACK_TOP - BOOTSTRAP_STACK_SIZE)

/* The most argument words and string bytes the kernel passes. */
#define BOOTSTRAP_ARGS_MAX		32
#define BOOTSTRAP_STRINGS_MAX		1024

#endif /* _MACH_BOOTSTRAP_ABI_H */

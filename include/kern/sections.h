/* SPDX-License-Identifier: MIT */
/*
 * Symbols the linker scripts define. Both arch linker scripts use the
 * KERNEL_TABLES and KERNEL_RO_DATA fragments from <kern/vmlinux.lds.h>, so
 * the names here are the same on every board.
 */
#ifndef _KERN_SECTIONS_H
#define _KERN_SECTIONS_H

extern char _stext[], _etext[];		/* kernel text */
extern char _srodata[], _erodata[];	/* read-only data, tables included */
extern char _sdata[], _edata[];		/* initialised data */
extern char __bss_start[], __bss_end[];
extern char _end[];			/* end of the kernel image in memory */

#endif /* _KERN_SECTIONS_H */

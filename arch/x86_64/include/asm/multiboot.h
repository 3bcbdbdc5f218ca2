/* SPDX-License-Identifier: MIT */
/*
 * Multiboot version 1: the header the kernel carries (head.S) and the
 * information structure the loader passes in %ebx (setup.c). Every address
 * in both is physical and 32 bits wide.
 */
#ifndef _ASM_X86_64_MULTIBOOT_H
#define _ASM_X86_64_MULTIBOOT_H

#define MULTIBOOT_HEADER_MAGIC		0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002

/* Header flags */
#define MULTIBOOT_PAGE_ALIGN		(1 << 0)	/* modules on pages */
#define MULTIBOOT_MEMORY_INFO		(1 << 1)	/* we want the memory map */
#define MULTIBOOT_AOUT_KLUDGE		(1 << 16)	/* load by the header's addresses */

/* multiboot_info.flags: which fields are valid */
#define MULTIBOOT_INFO_MEMORY		(1 << 0)
#define MULTIBOOT_INFO_CMDLINE		(1 << 2)
#define MULTIBOOT_INFO_MODS		(1 << 3)
#define MULTIBOOT_INFO_MEM_MAP		(1 << 6)
#define MULTIBOOT_INFO_LOADER_NAME	(1 << 9)

/* multiboot_mmap_entry.type */
#define MULTIBOOT_MEMORY_AVAILABLE	1
#define MULTIBOOT_MEMORY_RESERVED	2
#define MULTIBOOT_MEMORY_ACPI		3
#define MULTIBOOT_MEMORY_NVS		4
#define MULTIBOOT_MEMORY_BADRAM		5

#ifndef __ASSEMBLY__

#include <kern/types.h>

struct multiboot_info {
	uint32_t	flags;
	uint32_t	mem_lower;	/* KiB below 1 MiB */
	uint32_t	mem_upper;	/* KiB from 1 MiB to the first hole */
	uint32_t	boot_device;
	uint32_t	cmdline;
	uint32_t	mods_count;
	uint32_t	mods_addr;
	uint32_t	syms[4];
	uint32_t	mmap_length;
	uint32_t	mmap_addr;
	uint32_t	drives_length;
	uint32_t	drives_addr;
	uint32_t	config_table;
	uint32_t	boot_loader_name;
	uint32_t	apm_table;
	/* VBE and framebuffer fields follow; unused. */
} __packed;

/* One memory map entry; size counts the bytes after itself. */
struct multiboot_mmap_entry {
	uint32_t	size;
	uint64_t	addr;
	uint64_t	len;
	uint32_t	type;
} __packed;

struct multiboot_module {
	uint32_t	mod_start;
	uint32_t	mod_end;	/* one past the last byte */
	uint32_t	string;		/* its command line, or 0 */
	uint32_t	reserved;
} __packed;

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_64_MULTIBOOT_H */

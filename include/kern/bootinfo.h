/* SPDX-License-Identifier: MIT */
/*
 * What the bootloader told us, in machine-independent form. The arch entry
 * code fills boot_info before kernel_main(); everything after reads it.
 */
#ifndef _KERN_BOOTINFO_H
#define _KERN_BOOTINFO_H

#include <kern/types.h>

#define BOOT_CMDLINE_MAX	1024
#define BOOT_MODULES_MAX	8

struct boot_module {
	phys_addr_t	base;
	phys_addr_t	size;
	const char	*cmdline;	/* the module's string, or "" */
};

struct boot_info {
	const char	*bootloader;	/* "multiboot", "U-Boot (booti)", ... */
	const char	*cmdline;	/* the kernel command line, never NULL */
	const void	*fdt;		/* the device tree (virtual), or NULL */
	phys_addr_t	fdt_phys;
	size_t		fdt_size;
	phys_addr_t	kernel_phys_start; /* the loaded image, page aligned */
	phys_addr_t	kernel_phys_end;
	unsigned int	nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
};

extern struct boot_info boot_info;

/* The command line is copied here, so the bootloader's memory may be reused. */
extern char boot_cmdline[BOOT_CMDLINE_MAX];

/*
 * Set boot_info.cmdline from what the bootloader passed, falling back to the
 * built-in CONFIG_CMDLINE (and using only it when CONFIG_CMDLINE_FORCE).
 */
void boot_set_cmdline(const char *from_bootloader);

/*
 * Record a boot module (the arch's boot code, before kernel_main()): the
 * next slot of boot_info.modules; reported and dropped when all
 * BOOT_MODULES_MAX are taken. The range must be reserved in the boot
 * memory map (BOOT_MEM_MODULE) by the caller.
 */
void boot_add_module(phys_addr_t base, phys_addr_t size, const char *cmdline);

#endif /* _KERN_BOOTINFO_H */

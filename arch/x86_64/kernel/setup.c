// SPDX-License-Identifier: MIT
/*
 * x86_start: the first C code. head.S calls it in long mode, in the higher
 * half, on the boot stack, with the multiboot magic and the physical
 * address of the multiboot information. It sets up the CPU tables and the
 * console, turns the multiboot information into boot_info and the boot
 * memory map, and hands over to kernel_main().
 *
 * Physical memory is reached through the early map of head.S: physical
 * address pa is at KERNEL_VIRT_BASE + pa, for pa below EARLY_MAP_SIZE
 * (1 GiB) only. The loader's structures (QEMU puts them below 1 MiB, GRUB
 * near the kernel) are far below that; anything beyond it is reported and
 * ignored rather than touched.
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/bootmem.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/sections.h>
#include <kern/string.h>
#include <asm/multiboot.h>
#include <asm/serial.h>

#include "x86.h"

/* The loader's data at [pa, pa + size): a pointer, or NULL if not mapped. */
static const void *early_phys_to_virt(phys_addr_t pa, size_t size)
{
	if (pa >= EARLY_MAP_SIZE || size > EARLY_MAP_SIZE - pa) {
		pr_warn("multiboot: data at %#lx+%#lx is beyond the early map, ignored\n",
			(unsigned long)pa, (unsigned long)size);
		return NULL;
	}
	return (const void *)(uintptr_t)(pa + KERNEL_VIRT_BASE);
}

/* A string of the loader's, mapped, and its reservation in the map. */
static const char *multiboot_string(uint32_t pa)
{
	const char *s = early_phys_to_virt(pa, 1);
	size_t len;

	if (!s)
		return NULL;
	len = strnlen(s, EARLY_MAP_SIZE - pa - 1);
	bootmem_add(&boot_memmap, pa, len + 1, BOOT_MEM_RESERVED);
	return s;
}

static void multiboot_add(phys_addr_t base, phys_addr_t size, enum boot_mem_type type)
{
	kern_return_t kr;

	if (size == 0)
		return;
	kr = bootmem_add(&boot_memmap, base, size, type);
	if (kr != KERN_SUCCESS)
		pr_warn("multiboot: cannot record %#lx+%#lx (%s): kern_return %d\n",
			(unsigned long)base, (unsigned long)size,
			bootmem_type_name(type), kr);
}

static enum boot_mem_type multiboot_mem_type(uint32_t type)
{
	switch (type) {
	case MULTIBOOT_MEMORY_AVAILABLE:	return BOOT_MEM_USABLE;
	case MULTIBOOT_MEMORY_ACPI:		return BOOT_MEM_ACPI;
	case MULTIBOOT_MEMORY_NVS:		return BOOT_MEM_NVS;
	case MULTIBOOT_MEMORY_BADRAM:		return BOOT_MEM_BAD;
	default:				return BOOT_MEM_RESERVED;
	}
}

/* The BIOS-style memory map, or failing that the two simple sizes. */
static void multiboot_parse_memory(const struct multiboot_info *mbi)
{
	const uint8_t *p, *end;

	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP)) {
		if (!(mbi->flags & MULTIBOOT_INFO_MEMORY))
			panic("multiboot: the loader reported no memory");
		multiboot_add(0, (phys_addr_t)mbi->mem_lower << 10, BOOT_MEM_USABLE);
		multiboot_add(0x100000, (phys_addr_t)mbi->mem_upper << 10, BOOT_MEM_USABLE);
		return;
	}

	p = early_phys_to_virt(mbi->mmap_addr, mbi->mmap_length);
	if (!p)
		panic("multiboot: memory map out of reach");
	multiboot_add(mbi->mmap_addr, mbi->mmap_length, BOOT_MEM_RESERVED);
	end = p + mbi->mmap_length;

	/* Each entry's size field does not count itself. */
	while (p + sizeof(struct multiboot_mmap_entry) <= end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		multiboot_add(e->addr, e->len, multiboot_mem_type(e->type));
		p += e->size + sizeof(e->size);
	}
}

static void multiboot_parse_modules(const struct multiboot_info *mbi)
{
	const struct multiboot_module *mod;
	uint32_t i;

	if (!(mbi->flags & MULTIBOOT_INFO_MODS) || mbi->mods_count == 0)
		return;
	mod = early_phys_to_virt(mbi->mods_addr, mbi->mods_count * sizeof(*mod));
	if (!mod)
		return;
	multiboot_add(mbi->mods_addr, mbi->mods_count * sizeof(*mod), BOOT_MEM_RESERVED);

	for (i = 0; i < mbi->mods_count; i++, mod++) {
		if (mod->mod_end <= mod->mod_start)
			continue;	/* an empty or backwards module */
		multiboot_add(mod->mod_start, mod->mod_end - mod->mod_start, BOOT_MEM_MODULE);
		boot_add_module(mod->mod_start, mod->mod_end - mod->mod_start,
				mod->string ? multiboot_string(mod->string) : NULL);
	}
}

/*
 * The loader's command line starts with the kernel's own file name (GRUB
 * and QEMU both pass "path args..."): the kernel's arguments follow it.
 */
static void multiboot_parse_cmdline(const struct multiboot_info *mbi)
{
	const char *s = NULL;

	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		s = multiboot_string(mbi->cmdline);
	if (s) {
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
	}
	boot_set_cmdline(s ? s : "");
}

static void multiboot_parse(uint32_t mbi_phys)
{
	const struct multiboot_info *mbi;
	const char *loader = NULL;

	mbi = early_phys_to_virt(mbi_phys, sizeof(*mbi));
	if (!mbi)
		panic("multiboot: information structure out of reach");

	/* What must never be handed out as free memory. */
	multiboot_add(0, 0x100000, BOOT_MEM_RESERVED);	/* BIOS, real-mode area */
	multiboot_add(mbi_phys, sizeof(*mbi), BOOT_MEM_RESERVED);
	boot_info.kernel_phys_start = KERNEL_PHYS_BASE;
	boot_info.kernel_phys_end = ALIGN_UP((uintptr_t)_end - KERNEL_LOAD_OFFSET, PAGE_SIZE);
	multiboot_add(boot_info.kernel_phys_start,
		      boot_info.kernel_phys_end - boot_info.kernel_phys_start,
		      BOOT_MEM_KERNEL);

	if (mbi->flags & MULTIBOOT_INFO_LOADER_NAME)
		loader = multiboot_string(mbi->boot_loader_name);
	boot_info.bootloader = loader && *loader ? loader : "multiboot";

	multiboot_parse_cmdline(mbi);
	multiboot_parse_memory(mbi);
	multiboot_parse_modules(mbi);
}

void __noreturn x86_start(uint32_t magic, uint32_t mbi_phys)
{
	/* Exceptions first, so that even a crash in the console code is caught. */
	x86_cpu_init();
	kernel_early_init();
	ns16550_console_init(SERIAL_COM1_BASE, SERIAL_BAUD_DEFAULT);

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a multiboot loader (magic %#x, expected %#x)",
		      magic, MULTIBOOT_BOOTLOADER_MAGIC);
	multiboot_parse(mbi_phys);

	kernel_main();
}

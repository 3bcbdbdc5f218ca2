// SPDX-License-Identifier: MIT
/*
 * arm64 boot, in C: head.S calls arm64_setup() at the kernel's virtual
 * address with the MMU on. Everything about the machine comes from the
 * device tree that the bootloader passed in x0: the console UART, RAM,
 * the PSCI conduit and the command line. Then kernel_main().
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/bootmem.h>
#include <kern/fdt.h>
#include <kern/printk.h>
#include <kern/sections.h>
#include <kern/string.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#define FDT_MAX_SIZE	(2UL << 20)	/* the most we accept, as Linux */

extern char _head[];

unsigned int arm64_entry_el;

/* Map the blob and check it: the header first, then the whole tree. */
static const void *setup_map_fdt(phys_addr_t fdt_phys)
{
	const uint32_t *hdr;
	size_t size;

	if (!fdt_phys || !IS_ALIGNED(fdt_phys, 8))
		return NULL;
	if (mmu_map_ram(fdt_phys, 64) != KERN_SUCCESS)
		return NULL;
	hdr = phys_to_virt(fdt_phys);
	if (__builtin_bswap32(hdr[0]) != FDT_MAGIC)
		return NULL;
	size = __builtin_bswap32(hdr[1]);
	if (size > FDT_MAX_SIZE || mmu_map_ram(fdt_phys, size) != KERN_SUCCESS)
		return NULL;
	if (fdt_check(hdr, size) != KERN_SUCCESS)
		return NULL;
	return hdr;
}

/*
 * Who loaded us. U-Boot's booti rewrites /chosen and leaves its own
 * properties there; QEMU's -kernel passes its generated tree untouched.
 */
static const char *setup_bootloader_name(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen >= 0 && (fdt_getprop(fdt, chosen, "u-boot,version", NULL) ||
			    fdt_getprop(fdt, chosen, "u-boot,bootconf", NULL)))
		return "U-Boot (booti)";
	if (chosen >= 0 && fdt_getprop(fdt, chosen, "linux,initrd-start", NULL))
		return "U-Boot or QEMU (arm64 Image protocol, with initrd)";
	return "arm64 Image protocol (U-Boot booti or QEMU -kernel)";
}

static void setup_cmdline(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = NULL;

	if (chosen >= 0)
		args = fdt_getprop_string(fdt, chosen, "bootargs");
	boot_set_cmdline(args ? args : "");
}

/* RAM from the tree into boot_memmap, and into the direct map. */
static void setup_memory(const void *fdt, phys_addr_t fdt_phys)
{
	phys_addr_t kstart = boot_info.kernel_phys_start;
	phys_addr_t kend = boot_info.kernel_phys_end;
	unsigned int i;

	if (fdt_scan_memory(fdt, fdt_phys, &boot_memmap) != KERN_SUCCESS)
		pr_warn("arm64: the device tree's memory is incomplete\n");
	if (bootmem_add(&boot_memmap, kstart, kend - kstart, BOOT_MEM_KERNEL) != KERN_SUCCESS)
		pr_warn("arm64: cannot record the kernel image in the memory map\n");

	for (i = 0; i < boot_memmap.nr; i++) {
		const struct boot_mem_region *r = &boot_memmap.region[i];

		if (r->type != BOOT_MEM_USABLE)
			continue;
		if (mmu_map_ram(r->base, r->size) != KERN_SUCCESS)
			pr_warn("arm64: cannot map RAM %#llx+%#llx\n",
				(unsigned long long)r->base, (unsigned long long)r->size);
	}
}

/*
 * The RAM disk: /chosen linux,initrd-start/-end, which U-Boot's booti sets
 * from its ramdisk argument. fdt_scan_memory() has reserved the range as
 * BOOT_MEM_MODULE; this makes it boot module 0 (kernel/cpio.c finds it).
 */
static void setup_initrd(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t start, end;

	if (chosen < 0 || !fdt_getprop_addr(fdt, chosen, "linux,initrd-start", &start) ||
	    !fdt_getprop_addr(fdt, chosen, "linux,initrd-end", &end) || end <= start)
		return;
	boot_add_module(start, end - start, "initrd");
}

static const char *psci_conduit_name(void)
{
	switch (psci_conduit) {
	case PSCI_CONDUIT_HVC: return "hvc";
	case PSCI_CONDUIT_SMC: return "smc";
	default: return "none";
	}
}

void __noreturn arm64_setup(phys_addr_t fdt_phys, phys_addr_t load_phys,
			    unsigned long entry_el)
{
	const void *fdt;

	kimage_voffset = (unsigned long)_head - load_phys;
	arm64_entry_el = entry_el;
	mmu_drop_idmap();
	kernel_early_init();
	arm64_user_cpu_init();

	boot_info.kernel_phys_start = load_phys;
	boot_info.kernel_phys_end = ALIGN_UP(load_phys + (phys_addr_t)(_end - _head), PAGE_SIZE);

	/*
	 * Without a device tree there is no console to complain on: the
	 * message stays in the log buffer and the exit status tells.
	 */
	fdt = setup_map_fdt(fdt_phys);
	if (!fdt) {
		pr_emerg("arm64: no valid device tree at x0 = %#llx\n",
			 (unsigned long long)fdt_phys);
		arch_poweroff(1);
	}
	boot_info.fdt = fdt;
	boot_info.fdt_phys = fdt_phys;
	boot_info.fdt_size = fdt_totalsize(fdt);

	psci_init(fdt);
	if (IS_ENABLED(CONFIG_SERIAL_PL011))
		pl011_console_setup(fdt);

	boot_info.bootloader = setup_bootloader_name(fdt);
	setup_cmdline(fdt);
	setup_memory(fdt, fdt_phys);
	setup_initrd(fdt);

	pr_info("arm64: entered at EL%lu, running at EL%u; image at phys %#llx-%#llx, virt %p\n",
		entry_el, arm64_current_el(), (unsigned long long)boot_info.kernel_phys_start,
		(unsigned long long)boot_info.kernel_phys_end, (void *)_head);
	pr_info("arm64: device tree at phys %#llx (%zu bytes), PSCI via %s\n",
		(unsigned long long)fdt_phys, boot_info.fdt_size, psci_conduit_name());

	kernel_main();
}

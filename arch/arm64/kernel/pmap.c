// SPDX-License-Identifier: MIT
/*
 * The arm64 half of the kernel pmap: what arch_vm_bootstrap() adds to the
 * boot-time tables of head.S and mmu.c, and the TLB maintenance of the
 * machine-independent pmap (mm/pmap_kernel.c).
 *
 * At boot, TTBR1 (kernel_pgd) already holds the direct map of the RAM the
 * device tree reported (mmu.c, 1 GiB / 2 MiB blocks, never executable) and
 * the image at KIMAGE_VADDR in read-write-execute 2 MiB blocks (head.S).
 * arch_vm_bootstrap():
 *
 *   - direct-maps every other RAM range of the boot memory map (the image,
 *     modules, the device tree, boot allocations);
 *   - builds new tables for the image, W^X per section: text read-execute,
 *     rodata (with the linker tables and kallsyms) read-only, data, bss and
 *     the boot page tables read-write, 4 KiB pages at the section edges;
 *     and swaps them in from the identity map (pmap_switch.S), because the
 *     code doing it runs from the blocks it replaces;
 *   - makes the direct map's alias of text and rodata read-only (the
 *     pmap splits that block, break-before-make);
 *   - creates the level-1 tables of the KVA and ioremap windows.
 *
 * TLB maintenance is broadcast (TLBI ...IS) to every CPU of the inner
 * shareable domain, so no IPI is needed. The old image tables (kimage_pud,
 * kimage_pmd of head.S) are left unused in .pgtables.
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/bootmem.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/sections.h>
#include <kern/string.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>
#include <mm/pmap_kernel.h>

/* Above this many pages one TLBI VMALLE1IS is cheaper than one per page. */
#define PMAP_FLUSH_PAGES_MAX	64

extern char _head[];

/* pmap_switch.S, run at its physical address. */
void pmap_ttbr1_replace(phys_addr_t slot, pte_t entry, phys_addr_t empty_root,
			phys_addr_t root);

static pte_t pmap_empty_root[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static pte_t pmap_idmap_pgd[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static pte_t pmap_idmap_pud[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static pte_t pmap_image_root[PTRS_PER_TABLE] __aligned(PAGE_SIZE);

pte_t *arch_pmap_table(phys_addr_t pa)
{
	/* The boot tables live in the image, which may not be direct-mapped yet. */
	if (pa >= boot_info.kernel_phys_start && pa < boot_info.kernel_phys_end)
		return (pte_t *)(uintptr_t)(pa + kimage_voffset);
	return phys_to_virt(pa);
}

void arch_pmap_sync(void)
{
	__asm__ __volatile__("dsb ishst; isb" ::: "memory");
}

void arch_pmap_flush(vm_offset_t va, vm_size_t size)
{
	vm_size_t off;

	__asm__ __volatile__("dsb ishst" ::: "memory");
	if (size / PAGE_SIZE > PMAP_FLUSH_PAGES_MAX) {
		__asm__ __volatile__("tlbi vmalle1is" ::: "memory");
	} else {
		for (off = 0; off < size; off += PAGE_SIZE) {
			unsigned long arg = ((va + off) >> PAGE_SHIFT) & ((1UL << 44) - 1);

			/* All ASIDs, every level (walk caches included). */
			__asm__ __volatile__("tlbi vaae1is, %0" :: "r"(arg) : "memory");
		}
	}
	__asm__ __volatile__("dsb ish; isb" ::: "memory");
}

void arch_pmap_lock_wait(void)
{
}

/* ------------------------------------------------------------------------
 * arch_vm_bootstrap
 */

static bool pmap_ram_type(enum boot_mem_type type)
{
	return type != BOOT_MEM_RESERVED && type != BOOT_MEM_BAD;
}

/* Every RAM range into the boot-time direct map (mmu.c rounds to 2 MiB). */
static void pmap_direct_map_rest(void)
{
	struct boot_mem_region r[BOOTMEM_MAX_REGIONS];
	unsigned int i, n = 0;

	/* A copy: the page tables below come from bootmem_alloc(), which edits the map. */
	for (i = 0; i < boot_memmap.nr; i++)
		if (pmap_ram_type(boot_memmap.region[i].type))
			r[n++] = boot_memmap.region[i];
	for (i = 0; i < n; i++)
		if (mmu_map_ram(r[i].base, r[i].size) != KERN_SUCCESS)
			pr_warn("pmap: cannot direct-map %s %#llx+%#llx\n",
				bootmem_type_name(r[i].type), (unsigned long long)r[i].base,
				(unsigned long long)r[i].size);
}

static void pmap_map_image_part(struct pmap_pt *pt, const char *start, const char *end,
				vm_prot_t prot, const char *what)
{
	vm_offset_t s = (vm_offset_t)start, e = (vm_offset_t)end;
	kern_return_t kr;

	if ((s | e) & (PAGE_SIZE - 1))
		panic("pmap: kernel %s %#lx-%#lx is not page aligned", what, s, e);
	if (s >= e)
		return;
	kr = pmap_pt_map(pt, s, kimage_to_phys(start), e - s, prot, PT_ATTR_NORMAL, 0);
	if (kr != KERN_SUCCESS)
		panic("pmap: cannot map kernel %s (kern_return %d)", what, kr);
}

/*
 * Identity map (TTBR0) of the image's GiB and the next, from which
 * pmap_ttbr1_replace runs. Normal write-back memory, like the image, so
 * that its store to the root table is coherent with the kernel's view.
 */
static void pmap_idmap_enable(void)
{
	phys_addr_t image = kimage_to_phys(_head);
	unsigned int i = (image >> PUD_SHIFT) & (PTRS_PER_TABLE - 1);

	pmap_idmap_pgd[(image >> PGD_SHIFT) & (PTRS_PER_TABLE - 1)] =
		kimage_to_phys(pmap_idmap_pud) | PTE_TABLE;
	pmap_idmap_pud[i] = ALIGN_DOWN(image, PUD_SIZE) | PROT_BLOCK_NORMAL;
	if (i + 1 < PTRS_PER_TABLE)
		pmap_idmap_pud[i + 1] = (ALIGN_DOWN(image, PUD_SIZE) + PUD_SIZE) | PROT_BLOCK_NORMAL;
	__asm__ __volatile__("dsb ishst" ::: "memory");
	write_sysreg(kimage_to_phys(pmap_idmap_pgd), ttbr0_el1);
	write_sysreg(read_sysreg(tcr_el1) & ~(uint64_t)TCR_EPD0, tcr_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

/*
 * The image's W^X tables: built under a scratch root (nothing walks it),
 * then its one entry goes into kernel_pgd in place of head.S's.
 */
static void pmap_remap_image(void)
{
	struct pmap_pt scratch = { .root = pmap_image_root, .live = false };
	unsigned int slot = (KIMAGE_VADDR >> PGD_SHIFT) & (PTRS_PER_TABLE - 1);
	void (*replace)(phys_addr_t, pte_t, phys_addr_t, phys_addr_t);
	unsigned long flags;

	pmap_map_image_part(&scratch, _head, _srodata, VM_PROT_READ | VM_PROT_EXECUTE, "text");
	pmap_map_image_part(&scratch, _srodata, _sdata, VM_PROT_READ, "rodata");
	pmap_map_image_part(&scratch, _sdata, _end, VM_PROT_READ | VM_PROT_WRITE, "data");

	replace = (void (*)(phys_addr_t, pte_t, phys_addr_t, phys_addr_t))
		  (uintptr_t)kimage_to_phys(pmap_ttbr1_replace);
	flags = arch_irq_save();
	pmap_idmap_enable();
	replace(kimage_to_phys(&kernel_pgd[slot]), pmap_image_root[slot],
		kimage_to_phys(pmap_empty_root), kimage_to_phys(kernel_pgd));
	mmu_drop_idmap();
	arch_irq_restore(flags);
}

void arch_vm_bootstrap(void)
{
	struct pmap_pt *pt = &pmap_kernel_pt;
	kern_return_t kr;

	pmap_direct_map_rest();
	pmap_remap_image();

	pt->root = kernel_pgd;
	pt->live = true;
	/* No writable alias of text and rodata either. */
	kr = pmap_pt_protect(pt, (vm_offset_t)phys_to_virt(kimage_to_phys(_head)),
			     _sdata - _head, VM_PROT_READ);
	if (kr != KERN_SUCCESS)
		panic("pmap: cannot protect the direct map of the image (kern_return %d)", kr);
	if (pmap_pt_prealloc(pt, KVA_START, IOREMAP_END - KVA_START) != KERN_SUCCESS)
		panic("pmap: no memory for the KVA window's tables");
	pmap_kernel_set_ready();

	pr_info("pmap: direct map at %#lx, image W^X at %#lx, %lu page-table pages\n",
		PAGE_OFFSET, KIMAGE_VADDR, pmap_kernel_table_pages());
}

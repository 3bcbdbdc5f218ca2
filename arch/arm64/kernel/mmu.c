// SPDX-License-Identifier: MIT
/*
 * The boot-time direct map: head.S leaves dmap_pud empty and setup.c fills
 * it from the device tree, RAM as normal write-back never-executable
 * memory and each device that a driver ioremap()s before the pmap is up
 * (the early console) as device nGnRnE. Only invalid entries are ever made
 * valid (never a change of a live entry), so no TLB maintenance beyond a
 * barrier is needed. arch_vm_bootstrap() (pmap.c) adds the rest of RAM
 * here, then the kernel pmap (mm/pmap_kernel.c) owns these tables. See
 * <asm/memory.h> for the whole layout.
 */
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/sysreg.h>
#include <mm/pmap_kernel.h>

unsigned long kimage_voffset;

/* Level-2 tables for GiBs mapped in 2 MiB pieces (devices, unaligned RAM). */
#define MMU_PMD_POOL	8
static pte_t mmu_pmd_pool[MMU_PMD_POOL][PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static unsigned int mmu_pmd_used;

static inline void mmu_sync(void)
{
	/* Entries went from invalid to valid: the walker only needs to see them. */
	__asm__ __volatile__("dsb ishst; isb" ::: "memory");
}

static pte_t *mmu_pmd_alloc(void)
{
	pte_t *pmd;

	if (mmu_pmd_used == MMU_PMD_POOL)
		return NULL;
	pmd = mmu_pmd_pool[mmu_pmd_used++];
	memset(pmd, 0, PAGE_SIZE);
	return pmd;
}

/* The level-2 table under dmap_pud[i], made if the entry is empty; NULL if a block. */
static pte_t *mmu_dmap_pmd(unsigned int i)
{
	pte_t *pmd;

	/* Every level-2 table comes from the pool, inside the kernel image. */
	if ((dmap_pud[i] & PTE_TYPE_MASK) == PTE_TABLE)
		return (pte_t *)(uintptr_t)((dmap_pud[i] & PTE_ADDR_MASK) + kimage_voffset);
	if (dmap_pud[i] & PTE_VALID)
		return NULL;
	pmd = mmu_pmd_alloc();
	if (!pmd)
		return NULL;
	WRITE_ONCE(dmap_pud[i], kimage_to_phys(pmd) | PTE_TABLE);
	return pmd;
}

/*
 * Map [pa, end) with prot (a block descriptor's attribute bits), 1 GiB
 * blocks where a whole GiB is free, 2 MiB blocks otherwise. An existing
 * mapping with the same attributes is accepted; a conflicting one fails.
 */
static kern_return_t mmu_dmap_range(phys_addr_t pa, phys_addr_t end, pte_t prot)
{
	pa = ALIGN_DOWN(pa, SECTION_SIZE);
	end = ALIGN_UP(end, SECTION_SIZE);
	if (end <= pa || (end >> PGD_SHIFT) > 1)
		return KERN_INVALID_ARGUMENT;	/* dmap_pud covers 512 GiB */

	while (pa < end) {
		unsigned int i = pa >> PUD_SHIFT;
		pte_t *pmd, *pte;

		if (IS_ALIGNED(pa, PUD_SIZE) && end - pa >= PUD_SIZE && !dmap_pud[i]) {
			WRITE_ONCE(dmap_pud[i], pa | prot);
			pa += PUD_SIZE;
			continue;
		}
		if ((dmap_pud[i] & PTE_TYPE_MASK) == PTE_BLOCK) {
			if ((dmap_pud[i] & ~PTE_ADDR_MASK) != prot)
				return KERN_INVALID_ADDRESS;
			pa = ALIGN_UP(pa + 1, PUD_SIZE);
			continue;
		}
		pmd = mmu_dmap_pmd(i);
		if (!pmd)
			return KERN_RESOURCE_SHORTAGE;
		pte = &pmd[(pa >> SECTION_SHIFT) & (PTRS_PER_TABLE - 1)];
		if (!*pte)
			WRITE_ONCE(*pte, pa | prot);
		else if ((*pte & ~PTE_ADDR_MASK) != prot)
			return KERN_INVALID_ADDRESS;
		pa += SECTION_SIZE;
	}
	mmu_sync();
	return KERN_SUCCESS;
}

kern_return_t mmu_map_ram(phys_addr_t pa, phys_addr_t size)
{
	if (!size || pa + size < pa)
		return KERN_INVALID_ARGUMENT;
	return mmu_dmap_range(pa, pa + size, PROT_BLOCK_NORMAL_NX);
}

void __iomem *arch_ioremap_early(phys_addr_t pa, size_t size)
{
	kern_return_t kr;

	if (!size || pa + size < pa)
		return NULL;
	kr = mmu_dmap_range(pa, pa + size, PROT_BLOCK_DEVICE);
	if (kr != KERN_SUCCESS) {
		pr_err("ioremap: cannot map %#llx+%#zx (kern_return %d)\n",
		       (unsigned long long)pa, size, kr);
		return NULL;
	}
	return (void __iomem __force *)phys_to_virt(pa);
}

void mmu_drop_idmap(void)
{
	/* No TTBR0 walks: a NULL (or any low) pointer now faults. */
	write_sysreg(read_sysreg(tcr_el1) | TCR_EPD0, tcr_el1);
	isb();
	__asm__ __volatile__("tlbi vmalle1; dsb nsh; isb" ::: "memory");
}

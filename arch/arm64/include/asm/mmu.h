/* SPDX-License-Identifier: MIT */
/*
 * Translation table descriptors and memory attributes (VMSAv8-64, 4 KiB
 * granule), shared by head.S and mmu.c.
 */
#ifndef _ASM_ARM64_MMU_H
#define _ASM_ARM64_MMU_H

#include <asm/memory.h>

/* MAIR_EL1 attribute indices */
#define MT_DEVICE_nGnRnE	0	/* attr 0x00 */
#define MT_NORMAL		1	/* attr 0xff: inner/outer WB RW-allocate */
#define MT_NORMAL_NC		2	/* attr 0x44: non-cacheable */
#define MAIR_EL1_VALUE		((0x00 << (8 * MT_DEVICE_nGnRnE)) | \
				 (0xff << (8 * MT_NORMAL)) |		\
				 (0x44 << (8 * MT_NORMAL_NC)))

#define PTE_VALID		(_AC(1, UL) << 0)
#define PTE_TABLE		(_AC(3, UL) << 0)	/* table (levels 0-2) */
#define PTE_BLOCK		(_AC(1, UL) << 0)	/* block (levels 1-2) */
#define PTE_TYPE_MASK		(_AC(3, UL) << 0)
#define PTE_ATTRINDX(i)		(_AC(i, UL) << 2)
#define PTE_ATTRINDX_MASK	(_AC(7, UL) << 2)
#define PTE_SH_INNER		(_AC(3, UL) << 8)
#define PTE_AF			(_AC(1, UL) << 10)
#define PTE_PXN			(_AC(1, UL) << 53)
#define PTE_UXN			(_AC(1, UL) << 54)
#define PTE_ADDR_MASK		_AC(0x0000fffffffff000, UL)

/*
 * Kernel RWX normal memory (the boot-time image map and identity maps),
 * the direct map's never-executable normal memory, and device memory that
 * never executes.
 */
#define PROT_BLOCK_NORMAL	(PTE_BLOCK | PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PROT_BLOCK_NORMAL_NX	(PROT_BLOCK_NORMAL | PTE_PXN | PTE_UXN)
#define PROT_BLOCK_DEVICE	(PTE_BLOCK | PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_AF | \
				 PTE_PXN | PTE_UXN)

/*
 * TCR_EL1: 48-bit VA in both halves, 4 KiB granules, inner shareable
 * write-back walks. IPS (bits 34:32) is filled from ID_AA64MMFR0_EL1.
 */
#define TCR_T0SZ		(64 - VA_BITS)
#define TCR_T1SZ		((64 - VA_BITS) << 16)
#define TCR_IRGN0_WBWA		(1 << 8)
#define TCR_ORGN0_WBWA		(1 << 10)
#define TCR_SH0_INNER		(3 << 12)
#define TCR_TG0_4K		(0 << 14)
#define TCR_EPD0		(1 << 7)
#define TCR_IRGN1_WBWA		(1 << 24)
#define TCR_ORGN1_WBWA		(1 << 26)
#define TCR_SH1_INNER		(3 << 28)
#define TCR_TG1_4K		(_AC(2, UL) << 30)
#define TCR_IPS_SHIFT		32
#define TCR_EL1_VALUE		(TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
				 TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ |	\
				 TCR_IRGN1_WBWA | TCR_ORGN1_WBWA |		\
				 TCR_SH1_INNER | TCR_TG1_4K)

#define PTRS_PER_TABLE		512

#ifndef __ASSEMBLY__

#include <kern/types.h>
#include <kern/ioremap.h>
#include <mach/kern_return.h>

typedef uint64_t pte_t;

/* The tables head.S builds (in .pgtables, page aligned). */
extern pte_t kernel_pgd[PTRS_PER_TABLE];	/* TTBR1 level 0 */
extern pte_t dmap_pud[PTRS_PER_TABLE];		/* direct map, first 512 GiB */

/*
 * Map [pa, pa + size) as normal never-executable memory in the direct map
 * (2 MiB blocks, so rounded out). Boot only: once arch_vm_bootstrap() has
 * run, the kernel pmap (mm/pmap_kernel.c) owns the tables.
 */
kern_return_t mmu_map_ram(phys_addr_t pa, phys_addr_t size);

/* Stop using the boot identity map (TTBR0) once running at our VA. */
void mmu_drop_idmap(void);

#endif /* !__ASSEMBLY__ */

#endif /* _ASM_ARM64_MMU_H */

// SPDX-License-Identifier: MIT
/*
 * arm64 SMP: the CPUs of the device tree's /cpus (reg = MPIDR affinity),
 * started with PSCI CPU_ON through the conduit /psci names. A started CPU
 * enters secondary.S at its physical address with the MMU off; this file
 * prepares what it needs to switch its MMU on with the boot CPU's tables
 * (arm64_secondary_boot, and a two-page identity map of the kernel's GiB),
 * then takes it through its own setup to cpu_secondary_main().
 *
 * CPUs are started one at a time (kernel/smp.c waits for each to come
 * online), so one boot block serves them all.
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/memory.h>
#include <asm/mmu.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#include "gic.h"

#define PSCI_0_2_FN64_CPU_ON	0xc4000003UL

/* secondary.S reads this with fixed offsets. */
struct arm64_secondary_boot {
	uint64_t	mair, tcr, ttbr0, ttbr1, sctlr;
	uint64_t	stack_top;
	uint64_t	cpu;
};
BUILD_BUG_ON(__builtin_offsetof(struct arm64_secondary_boot, sctlr) != 32);
BUILD_BUG_ON(__builtin_offsetof(struct arm64_secondary_boot, cpu) != 48);

/* secondary.S reads it. */
extern struct arm64_secondary_boot arm64_secondary_boot;
struct arm64_secondary_boot arm64_secondary_boot __aligned(64);

/* TTBR0 for a starting CPU: the GiB of the image, identity-mapped. */
static pte_t smp_idmap_pgd[PTRS_PER_TABLE] __aligned(PAGE_SIZE);
static pte_t smp_idmap_pud[PTRS_PER_TABLE] __aligned(PAGE_SIZE);

extern char arm64_secondary_entry[];
void __noreturn arm64_secondary_start(unsigned long cpu);

/* The boot CPU's MPIDR, recorded by the first call (smp_bootstrap(), on it). */
static unsigned long arm64_boot_mpidr = ~0UL;

unsigned int arch_cpu_enumerate(unsigned long *arch_ids, unsigned int max)
{
	const void *fdt = boot_info.fdt;
	unsigned long boot;
	int cpus = fdt_path_offset(fdt, "/cpus");
	unsigned int n = 0;
	int node;

	if (max == 0)
		return 0;
	/* Later callers may run on any CPU: the boot CPU stays first. */
	if (arm64_boot_mpidr == ~0UL)
		arm64_boot_mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	boot = arm64_boot_mpidr;
	arch_ids[n++] = boot;
	if (cpus < 0)
		return n;
	for (node = fdt_first_subnode(fdt, cpus); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		const char *type = fdt_getprop_string(fdt, node, "device_type");
		uint64_t reg;

		if (!type || strcmp(type, "cpu") ||
		    fdt_get_reg(fdt, node, 0, &reg, NULL) != KERN_SUCCESS)
			continue;
		reg &= MPIDR_AFF_MASK;
		if (reg == boot)
			continue;
		if (n == max) {
			pr_warn("smp: CPU with MPIDR %#lx beyond NR_CPUS, left off\n",
				(unsigned long)reg);
			continue;
		}
		arch_ids[n++] = reg;
	}
	return n;
}

/* Clean [p, p + size) to the point of coherency, for a CPU with its MMU off. */
static void smp_dcache_clean(const void *p, size_t size)
{
	uintptr_t line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t a = (uintptr_t)p & ~(line - 1);

	for (; a < (uintptr_t)p + size; a += line)
		__asm__ __volatile__("dc cvac, %0" :: "r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

static void smp_prepare_idmap(void)
{
	phys_addr_t image = kimage_to_phys(arm64_secondary_entry);
	unsigned int i = (image >> PUD_SHIFT) & (PTRS_PER_TABLE - 1);

	smp_idmap_pgd[image >> PGD_SHIFT] = kimage_to_phys(smp_idmap_pud) | PTE_TABLE;
	smp_idmap_pud[i] = ALIGN_DOWN(image, PUD_SIZE) | PROT_BLOCK_NORMAL;
	smp_dcache_clean(smp_idmap_pgd, sizeof(smp_idmap_pgd));
	smp_dcache_clean(smp_idmap_pud, sizeof(smp_idmap_pud));
}

kern_return_t arch_cpu_start(unsigned int cpu, unsigned long arch_id, void *stack_top)
{
	struct arm64_secondary_boot *b = &arm64_secondary_boot;
	long ret;

	if (!smp_idmap_pgd[(kimage_to_phys(arm64_secondary_entry) >> PGD_SHIFT)])
		smp_prepare_idmap();
	b->mair = read_sysreg(mair_el1);
	b->tcr = read_sysreg(tcr_el1) & ~(uint64_t)TCR_EPD0;
	b->ttbr0 = kimage_to_phys(smp_idmap_pgd);
	b->ttbr1 = read_sysreg(ttbr1_el1);
	b->sctlr = read_sysreg(sctlr_el1);
	b->stack_top = (uintptr_t)stack_top;
	b->cpu = cpu;
	smp_dcache_clean(b, sizeof(*b));

	ret = (long)psci_call(PSCI_0_2_FN64_CPU_ON, arch_id,
			      kimage_to_phys(arm64_secondary_entry), kimage_to_phys(b));
	if (ret != 0) {
		pr_err("smp: PSCI CPU_ON of MPIDR %#lx failed (%ld)\n", arch_id, ret);
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
}

/* secondary.S: MMU on, at our virtual address, on our own stack. */
void __noreturn arm64_secondary_start(unsigned long cpu)
{
	arch_cpu_data_install(cpu_data_of((unsigned int)cpu));
	mmu_drop_idmap();
	arm64_user_cpu_init();
	gic_cpu_init();
	arm64_timer_cpu_init();
	cpu_secondary_main();
}

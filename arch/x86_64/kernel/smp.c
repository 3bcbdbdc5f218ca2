// SPDX-License-Identifier: MIT
/*
 * x86_64 SMP: the CPUs are the enabled local APICs of the ACPI MADT; each
 * AP is started with INIT, then two STARTUP IPIs pointing at the
 * trampoline (trampoline.S), which brings it to x86_secondary_start():
 * its own GDT and TSS, the shared IDT, its cpu_data in the GS base, its
 * local APIC and timer, then cpu_secondary_main().
 *
 * kernel/smp.c starts one CPU at a time and waits for it, so one boot
 * block (x86_secondary_boot) and one trampoline serve them all.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/memory.h>
#include <asm/processor.h>

#include "acpi.h"
#include "apic.h"
#include "trampoline.h"
#include "x86.h"

#define PTE_P		0x001UL
#define PTE_W		0x002UL
#define PTE_PS		0x080UL
#define PTE_ADDR	0x000ffffffffff000UL

struct x86_secondary_boot {
	uint64_t	cr3;
	uint64_t	stack_top;
	uint64_t	cpu;
};
BUILD_BUG_ON(__builtin_offsetof(struct x86_secondary_boot, cr3) != SECONDARY_BOOT_CR3);
BUILD_BUG_ON(__builtin_offsetof(struct x86_secondary_boot, stack_top) != SECONDARY_BOOT_STACK);
BUILD_BUG_ON(__builtin_offsetof(struct x86_secondary_boot, cpu) != SECONDARY_BOOT_CPU);

/* trampoline.S reads it (x86_secondary_entry). */
extern struct x86_secondary_boot x86_secondary_boot;
struct x86_secondary_boot x86_secondary_boot;

extern const char x86_trampoline_start[], x86_trampoline_end[];
extern const char x86_trampoline_pml4[], x86_trampoline_efer[], x86_trampoline_entry[];
extern char x86_secondary_entry[];
extern uint64_t boot_pml4[];		/* head.S */

void __noreturn x86_secondary_start(unsigned long cpu);

/* The boot CPU's APIC id, recorded by the first call (smp_bootstrap(), on it). */
static uint32_t x86_boot_apic_id = ~0U;

unsigned int arch_cpu_enumerate(unsigned long *arch_ids, unsigned int max)
{
	unsigned int i, n = 0;
	uint32_t boot;

	if (max == 0)
		return 0;
	/* Later callers may run on any CPU: the boot CPU stays first. */
	if (x86_boot_apic_id == ~0U)
		x86_boot_apic_id = lapic_id();
	boot = x86_boot_apic_id;
	arch_ids[n++] = boot;
	for (i = 0; i < acpi_madt.nr_cpus; i++) {
		if (acpi_madt.apic_ids[i] == boot)
			continue;
		if (n == max) {
			pr_warn("smp: CPU with APIC id %u beyond NR_CPUS, left off\n",
				acpi_madt.apic_ids[i]);
			continue;
		}
		arch_ids[n++] = acpi_madt.apic_ids[i];
	}
	return n;
}

/*
 * Physical memory below 1 GiB: through the direct map once the kernel runs
 * on its final page tables, through head.S's early map before.
 */
static void *smp_phys(phys_addr_t pa)
{
	if ((read_cr3() & PTE_ADDR) == (uintptr_t)boot_pml4 - KERNEL_VIRT_BASE)
		return (void *)(uintptr_t)(pa + KERNEL_VIRT_BASE);
	return phys_to_virt(pa);
}

/* Copy the trampoline to low memory and build its page tables. */
static void smp_prepare_trampoline(void)
{
	size_t size = x86_trampoline_end - x86_trampoline_start;
	uint8_t *code = smp_phys(TRAMPOLINE_BASE);
	uint64_t *pml4 = smp_phys(TRAMPOLINE_PML4);
	uint64_t *pdpt = smp_phys(TRAMPOLINE_PDPT);
	uint64_t *pd = smp_phys(TRAMPOLINE_PD);
	const uint64_t *kernel_pml4 = smp_phys(read_cr3() & PTE_ADDR);
	uint64_t v;

	memcpy(code, x86_trampoline_start, size);
	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	memset(pd, 0, PAGE_SIZE);
	pd[0] = 0 | PTE_P | PTE_W | PTE_PS;		/* 0 - 2 MiB, identity */
	pdpt[0] = TRAMPOLINE_PD | PTE_P | PTE_W;
	pml4[0] = TRAMPOLINE_PDPT | PTE_P | PTE_W;
	memcpy(&pml4[256], &kernel_pml4[256], 256 * sizeof(uint64_t));	/* the kernel half */

	v = TRAMPOLINE_PML4;
	memcpy(code + (x86_trampoline_pml4 - x86_trampoline_start), &v, 8);
	v = rdmsr(MSR_EFER);
	memcpy(code + (x86_trampoline_efer - x86_trampoline_start), &v, 8);
	v = (uintptr_t)x86_secondary_entry;
	memcpy(code + (x86_trampoline_entry - x86_trampoline_start), &v, 8);
}

kern_return_t arch_cpu_start(unsigned int cpu, unsigned long arch_id, void *stack_top)
{
	uint32_t apic = (uint32_t)arch_id;

	smp_prepare_trampoline();
	x86_secondary_boot.cr3 = read_cr3();
	x86_secondary_boot.stack_top = (uintptr_t)stack_top;
	x86_secondary_boot.cpu = cpu;
	__asm__ __volatile__("mfence" ::: "memory");

	/* INIT, 10 ms, then STARTUP twice 200 us apart (the MP spec's dance). */
	lapic_send_icr(apic, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT | LAPIC_ICR_LEVEL);
	pit_delay_us(10000);
	lapic_send_icr(apic, LAPIC_ICR_INIT | LAPIC_ICR_LEVEL);	/* de-assert */
	lapic_send_icr(apic, LAPIC_ICR_STARTUP | (TRAMPOLINE_BASE >> 12));
	pit_delay_us(200);
	if (!__atomic_load_n(&cpu_data_of(cpu)->online, __ATOMIC_ACQUIRE))
		lapic_send_icr(apic, LAPIC_ICR_STARTUP | (TRAMPOLINE_BASE >> 12));
	return KERN_SUCCESS;
}

/* trampoline.S: 64-bit, the kernel's page tables, this CPU's stack. */
void __noreturn x86_secondary_start(unsigned long cpu)
{
	x86_cpu_init_secondary((unsigned int)cpu);
	arch_cpu_data_install(cpu_data_of((unsigned int)cpu));
	lapic_cpu_init();
	x86_timer_cpu_init();
	cpu_secondary_main();
}

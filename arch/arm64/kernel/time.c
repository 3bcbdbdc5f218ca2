// SPDX-License-Identifier: MIT
/*
 * arm64 time: the ARM generic timer.
 *
 * The clock is the virtual counter CNTVCT_EL0, which runs at CNTFRQ_EL0
 * and is the same on every CPU (head.S zeroes CNTVOFF_EL2 when it enters
 * at EL2). Each CPU's timer is its virtual timer (CNTV_CVAL_EL0 compared
 * against CNTVCT_EL0), a level-triggered PPI whose number the device
 * tree's timer node gives (third entry of "interrupts": secure physical,
 * non-secure physical, virtual, hypervisor).
 *
 * Counter ticks and nanoseconds convert with a 32.32 fixed-point factor
 * and a 128-bit product, never a division.
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/cpu.h>
#include <kern/fdt.h>
#include <kern/printk.h>
#include <kern/timer.h>
#include <asm/sysreg.h>

#include "gic.h"

#define CNTV_CTL_ENABLE		(1UL << 0)
#define CNTV_CTL_IMASK		(1UL << 1)

#define TIMER_PPI_VIRT_INDEX	2	/* in the DT "interrupts" list */
#define TIMER_PPI_VIRT_DEFAULT	27	/* QEMU virt, and most boards */
#define GIC_DT_PPI		1	/* first cell of a GIC interrupt specifier */

static uint64_t timer_freq;		/* CNTFRQ_EL0, Hz */
static uint64_t timer_boot_count;	/* CNTVCT_EL0 at arch_timer_init() */
static uint64_t timer_ns_mult;		/* ns per tick, 32.32 */
static uint64_t timer_tick_mult;	/* ticks per ns, 32.32 */
static unsigned int timer_intid = GIC_INTID_SPURIOUS;

static inline uint64_t timer_count(void)
{
	uint64_t v;

	/* isb: the read may not be hoisted above earlier instructions. */
	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

unsigned int arm64_timer_intid(void)
{
	return timer_intid;
}

uint64_t arch_clock_ns(void)
{
	uint64_t ticks = timer_count() - timer_boot_count;

	return (uint64_t)(((unsigned __int128)ticks * timer_ns_mult) >> 32);
}

void arch_timer_set_deadline(uint64_t deadline)
{
	unsigned __int128 ticks;

	if (deadline == UINT64_MAX) {
		write_sysreg(0, cntv_ctl_el0);
		isb();
		return;
	}
	/* Round up: an early interrupt would find nothing due. */
	ticks = (((unsigned __int128)deadline * timer_tick_mult) >> 32) + 1 + timer_boot_count;
	if (ticks > UINT64_MAX)
		ticks = UINT64_MAX;
	write_sysreg((uint64_t)ticks, cntv_cval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
}

/*
 * The timer's output stays asserted while CNTVCT >= CVAL: switch it off,
 * then let the callouts re-arm it for the next deadline.
 */
void arm64_timer_interrupt(void)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
	clock_interrupt();
}

/* The virtual timer's INTID from the device tree. */
static unsigned int timer_find_intid(const void *fdt)
{
	const uint32_t *cells;
	int node, len;

	node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "arm,armv7-timer");
	if (node < 0)
		return TIMER_PPI_VIRT_DEFAULT;
	cells = fdt_getprop(fdt, node, "interrupts", &len);
	if (!cells || len < (int)(3 * 4 * (TIMER_PPI_VIRT_INDEX + 1)))
		return TIMER_PPI_VIRT_DEFAULT;
	cells += 3 * TIMER_PPI_VIRT_INDEX;
	if (__builtin_bswap32(cells[0]) != GIC_DT_PPI)
		return TIMER_PPI_VIRT_DEFAULT;
	return __builtin_bswap32(cells[1]) + 16;
}

/*
 * CNTKCTL_EL1: EL0 may read the virtual counter (as Linux lets it, for
 * user timing and the user benchmarks' cycles/op), nothing else: not the
 * physical counter, no timer registers, no event stream.
 */
#define CNTKCTL_EL0VCTEN	(1UL << 1)

void arm64_timer_cpu_init(void)
{
	write_sysreg(CNTKCTL_EL0VCTEN, cntkctl_el1);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	arch_irq_unmask(timer_intid);	/* a PPI: this CPU's */
}

kern_return_t arch_timer_init(void)
{
	timer_freq = read_sysreg(cntfrq_el0) & 0xffffffff;
	if (!timer_freq) {
		pr_err("time: CNTFRQ_EL0 is zero; no clock\n");
		return KERN_FAILURE;
	}
	timer_ns_mult = (NSEC_PER_SEC << 32) / timer_freq;
	timer_tick_mult = (timer_freq << 32) / NSEC_PER_SEC;
	timer_intid = timer_find_intid(boot_info.fdt);
	timer_boot_count = timer_count();
	arm64_timer_cpu_init();
	pr_info("time: generic timer at %llu Hz, virtual timer on INTID %u\n",
		(unsigned long long)timer_freq, timer_intid);
	return KERN_SUCCESS;
}

/*
 * For the clock tests: the physical counter CNTPCT_EL0, read through a
 * different register from the clock's, and converted with CNTFRQ by a
 * plain division.
 */
uint64_t arch_clock_reference_wait(uint64_t ns)
{
	uint64_t start, now, want = ns * timer_freq / NSEC_PER_SEC;

	__asm__ __volatile__("isb; mrs %0, cntpct_el0" : "=r"(start) :: "memory");
	do {
		arch_cpu_relax();
		__asm__ __volatile__("isb; mrs %0, cntpct_el0" : "=r"(now) :: "memory");
	} while (now - start < want);
	return (now - start) * NSEC_PER_SEC / timer_freq;
}

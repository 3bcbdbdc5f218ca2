/* SPDX-License-Identifier: MIT */
/*
 * Private to arch/x86_64/kernel: the local APIC and the IOAPICs (apic.c),
 * the clock and timer (time.c) and SMP start-up (smp.c).
 *
 * Interrupt vectors:
 *   0x00-0x1f  CPU exceptions (traps.c)
 *   0x20-0x2f  the legacy PIC's, masked: only its spurious IRQ 7/15 arrive
 *   0x30-0x6f  device GSIs 0-63 (IOAPIC), vector = 0x30 + GSI
 *   0xf0       the local APIC timer
 *   0xf8-0xfb  IPIs, 0xf8 + IPI_* kind
 *   0xfe       local APIC error
 *   0xff       local APIC spurious
 */
#ifndef _ARCH_X86_64_KERNEL_APIC_H
#define _ARCH_X86_64_KERNEL_APIC_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define VECTOR_PIC_BASE		0x20
#define VECTOR_GSI_BASE		0x30
#define VECTOR_GSI_MAX		64
#define VECTOR_TIMER		0xf0
#define VECTOR_IPI_BASE		0xf8
#define VECTOR_APIC_ERROR	0xfe
#define VECTOR_SPURIOUS		0xff

/* Local APIC registers (xAPIC MMIO offsets; x2APIC MSR = 0x800 + off / 16). */
#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_ESR		0x280
#define LAPIC_ICR_LOW		0x300
#define LAPIC_ICR_HIGH		0x310
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_INITIAL	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3e0

#define LAPIC_SVR_ENABLE	(1U << 8)
#define LAPIC_LVT_MASKED	(1U << 16)
#define LAPIC_LVT_NMI		(4U << 8)
#define LAPIC_TIMER_DIVIDE_16	0x3

#define LAPIC_ICR_INIT		(5U << 8)
#define LAPIC_ICR_STARTUP	(6U << 8)
#define LAPIC_ICR_PENDING	(1U << 12)
#define LAPIC_ICR_ASSERT	(1U << 14)
#define LAPIC_ICR_LEVEL		(1U << 15)

struct arch_regs;

/* apic.c */
uint32_t lapic_read(unsigned int reg);
void lapic_write(unsigned int reg, uint32_t v);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Send an IPI: ICR low bits (vector, delivery mode, level) to an APIC id. */
void lapic_send_icr(uint32_t apic_id, uint32_t icr_low);
/* This CPU's local APIC: enable, LVTs, error and spurious vectors. */
void lapic_cpu_init(void);
/* traps.c: vectors 32 and above come here. */
void x86_interrupt(struct arch_regs *regs);

/* time.c */
void x86_timer_interrupt(void);
void x86_timer_cpu_init(void);		/* a secondary CPU's local APIC timer */
/* Busy-wait `us` microseconds on the PIT (INIT-SIPI delays, before and after calibration). */
void pit_delay_us(unsigned int us);

#endif /* _ARCH_X86_64_KERNEL_APIC_H */

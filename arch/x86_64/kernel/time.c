// SPDX-License-Identifier: MIT
/*
 * x86_64 time.
 *
 * The clock is the TSC, whose rate arch_timer_init() measures against the
 * PIT: channel 2 runs as a stopwatch (below), and the TSC, the stopwatch
 * and the local APIC timer are read together at both ends of about 25 ms,
 * three times, keeping the median. QEMU's TSC is invariant and the same on
 * every CPU. Each CPU's timer is its local APIC timer in one-shot mode
 * (divide by 16), whose rate is measured in the same intervals.
 * arch_timer_set_deadline() turns the distance to the deadline into a
 * count; a deadline beyond the 32-bit counter just fires early, finds
 * nothing due and re-arms.
 *
 * Conversions use 32.32 fixed-point factors and a 128-bit product.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/printk.h>
#include <kern/timer.h>
#include <asm/io.h>

#include "apic.h"

#define PIT_HZ			1193182ULL
#define PIT_CH2_DATA		0x42
#define PIT_MODE		0x43
#define PIT_CH2_MODE0		0xb0	/* channel 2, lobyte/hibyte, mode 0, binary */
#define PIT_CH2_LATCH		0x80	/* counter latch command of channel 2 */
#define PORT_SPEAKER		0x61
#define SPEAKER_GATE2		0x01
#define SPEAKER_DATA		0x02
#define SPEAKER_OUT2		0x20

#define PIT_RUN_START		0xffff
#define PIT_CHUNK		40000	/* ticks a wait measures at a time: 33 ms */
#define CALIBRATE_PIT_TICKS	30000	/* about 25 ms */
#define CALIBRATE_RUNS		3	/* the median is kept */
#define SAMPLE_TRIES		8	/* the tightest read of each sample is kept */

static uint64_t tsc_hz;
static uint64_t tsc_boot;
static uint64_t tsc_ns_mult;		/* ns per TSC tick, 32.32 */
static uint64_t lapic_timer_hz;
static uint64_t lapic_ticks_mult;	/* local APIC timer ticks per ns, 32.32 */

static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	/* lfence: the TSC is read after what comes before it. */
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/*
 * PIT channel 2 as a stopwatch: loaded with 0xffff in mode 0 and gated on
 * through port 0x61, it counts down at 1.193182 MHz; OUT2 rises when it
 * passes zero, after which the counter wraps and goes on. So the ticks
 * since the start are readable for two wraps (110 ms), and a CPU that is
 * held up (the host descheduling QEMU) reads how long it really was.
 */
static void pit_ch2_run(void)
{
	outb((inb(PORT_SPEAKER) & ~SPEAKER_DATA) & ~SPEAKER_GATE2, PORT_SPEAKER);
	outb(PIT_CH2_MODE0, PIT_MODE);
	outb(PIT_RUN_START & 0xff, PIT_CH2_DATA);
	outb(PIT_RUN_START >> 8, PIT_CH2_DATA);
	outb((inb(PORT_SPEAKER) & ~SPEAKER_DATA) | SPEAKER_GATE2, PORT_SPEAKER);
}

static uint32_t pit_ch2_elapsed(void)
{
	for (;;) {
		bool out = inb(PORT_SPEAKER) & SPEAKER_OUT2;
		uint16_t count;

		outb(PIT_CH2_LATCH, PIT_MODE);
		count = inb(PIT_CH2_DATA);
		count |= (uint16_t)inb(PIT_CH2_DATA) << 8;
		/* OUT2 changed while we read the count: read again. */
		if (out != !!(inb(PORT_SPEAKER) & SPEAKER_OUT2))
			continue;
		return out ? PIT_RUN_START + 0x10000U - count : PIT_RUN_START - (uint32_t)count;
	}
}

/* Busy-wait at least `ticks` PIT ticks; returns how many really passed. */
static uint64_t pit_wait_ticks(uint64_t ticks)
{
	uint64_t done = 0;

	while (done < ticks) {
		uint32_t want = ticks - done > PIT_CHUNK ? PIT_CHUNK : (uint32_t)(ticks - done);
		uint32_t got;

		pit_ch2_run();
		while ((got = pit_ch2_elapsed()) < want)
			arch_cpu_relax();
		done += got;
	}
	return done;
}

void pit_delay_us(unsigned int us)
{
	pit_wait_ticks(((uint64_t)us * PIT_HZ + 999999) / 1000000);
}

uint64_t arch_clock_reference_wait(uint64_t ns)
{
	uint64_t ticks = (ns * PIT_HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC;

	return pit_wait_ticks(ticks) * NSEC_PER_SEC / PIT_HZ;
}

uint64_t arch_clock_ns(void)
{
	uint64_t ticks = rdtsc_ordered() - tsc_boot;

	return (uint64_t)(((unsigned __int128)ticks * tsc_ns_mult) >> 32);
}

void arch_timer_set_deadline(uint64_t deadline)
{
	uint64_t now, count;

	if (deadline == UINT64_MAX) {
		lapic_write(LAPIC_TIMER_INITIAL, 0);	/* stopped */
		return;
	}
	now = arch_clock_ns();
	count = deadline > now ?
		(uint64_t)(((unsigned __int128)(deadline - now) * lapic_ticks_mult) >> 32) : 0;
	/* Round up: an early interrupt would only find nothing due. */
	count += 1;
	if (count > 0xffffffff)
		count = 0xffffffff;
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)count);
}

void x86_timer_interrupt(void)
{
	clock_interrupt();
}

void x86_timer_cpu_init(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_16);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER);	/* one-shot, unmasked */
}

struct time_sample {
	uint64_t	tsc;
	uint32_t	pit;		/* ticks since pit_ch2_run() */
	uint32_t	apic;		/* local APIC timer count (counting down) */
};

/*
 * The stopwatch, the TSC and the local APIC timer read together; of a few
 * tries, the one with the least TSC time around it (nothing got between
 * the reads), with the TSC taken at its middle.
 */
static void time_sample(struct time_sample *ts)
{
	uint64_t best = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < SAMPLE_TRIES; i++) {
		uint64_t t0 = rdtsc_ordered();
		uint32_t pit = pit_ch2_elapsed();
		uint32_t apic = lapic_read(LAPIC_TIMER_CURRENT);
		uint64_t t1 = rdtsc_ordered();

		if (t1 - t0 < best) {
			best = t1 - t0;
			ts->tsc = t0 + (t1 - t0) / 2;
			ts->pit = pit;
			ts->apic = apic;
		}
	}
}

/* One run: the TSC and local APIC timer rates over about 25 ms of PIT. */
static void time_calibrate_once(uint64_t *tsc, uint64_t *apic)
{
	struct time_sample a, b;
	uint32_t ticks;

	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
	pit_ch2_run();
	time_sample(&a);
	while (pit_ch2_elapsed() < a.pit + CALIBRATE_PIT_TICKS)
		arch_cpu_relax();
	time_sample(&b);
	ticks = b.pit - a.pit;
	*tsc = (b.tsc - a.tsc) * PIT_HZ / ticks;
	*apic = (uint64_t)(a.apic - b.apic) * PIT_HZ / ticks;
}

static uint64_t median3(uint64_t *v)
{
	uint64_t t;

	if (v[0] > v[1]) { t = v[0]; v[0] = v[1]; v[1] = t; }
	if (v[1] > v[2]) { t = v[1]; v[1] = v[2]; v[2] = t; }
	if (v[0] > v[1]) { t = v[0]; v[0] = v[1]; v[1] = t; }
	return v[1];
}

/*
 * The TSC and the local APIC timer (divide by 16, masked) against the PIT
 * stopwatch: reading all three together at both ends makes the result
 * independent of how long this CPU is held up in between.
 */
static void time_calibrate(void)
{
	uint64_t tsc[CALIBRATE_RUNS], apic[CALIBRATE_RUNS];
	unsigned int i;

	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_TIMER);
	for (i = 0; i < CALIBRATE_RUNS; i++)
		time_calibrate_once(&tsc[i], &apic[i]);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	tsc_hz = median3(tsc);
	lapic_timer_hz = median3(apic);
}

kern_return_t arch_timer_init(void)
{
	unsigned long flags = arch_irq_save();

	time_calibrate();
	arch_irq_restore(flags);
	if (tsc_hz < 1000000 || lapic_timer_hz < 1000) {
		pr_err("time: calibration failed (TSC %llu Hz, APIC timer %llu Hz)\n",
		       (unsigned long long)tsc_hz, (unsigned long long)lapic_timer_hz);
		return KERN_FAILURE;
	}
	tsc_ns_mult = (NSEC_PER_SEC << 32) / tsc_hz;
	lapic_ticks_mult = (lapic_timer_hz << 32) / NSEC_PER_SEC;
	tsc_boot = rdtsc_ordered();
	x86_timer_cpu_init();
	pr_info("time: TSC at %llu.%03llu MHz, local APIC timer at %llu.%03llu MHz (PIT calibrated)\n",
		(unsigned long long)(tsc_hz / 1000000), (unsigned long long)(tsc_hz / 1000 % 1000),
		(unsigned long long)(lapic_timer_hz / 1000000),
		(unsigned long long)(lapic_timer_hz / 1000 % 1000));
	return KERN_SUCCESS;
}

/* SPDX-License-Identifier: MIT */
/*
 * The architecture contract: every function the machine-independent kernel
 * needs from arch/<arch>/. Nothing outside arch/ calls into an architecture
 * any other way. Small inline pieces come from <asm/arch.h>, which each
 * architecture provides (arch/<arch>/include/asm/arch.h):
 *
 *	static inline void arch_cpu_relax(void);	   spin-wait hint
 *	static inline uint64_t arch_cycle_counter(void);   a free-running counter
 *	static inline unsigned long arch_frame_address(void); this frame's fp
 *	static inline unsigned long arch_irq_save(void);   mask interrupts
 *	static inline void arch_irq_restore(unsigned long flags);
 *	static inline bool arch_kernel_address(unsigned long va);
 *	struct arch_regs;	the registers of an exception or a capture
 *	static inline unsigned long arch_regs_pc(const struct arch_regs *);
 *	static inline unsigned long arch_regs_fp(const struct arch_regs *);
 *	static inline bool arch_regs_user_mode(const struct arch_regs *);
 *			   did the exception or interrupt come from user mode
 *
 * Frame pointers are always on (-fno-omit-frame-pointer) and both
 * architectures lay a frame record out as { previous fp, return address },
 * so the backtrace walker in kernel/panic.c is shared.
 */
#ifndef _KERN_ARCH_H
#define _KERN_ARCH_H

#include <kern/types.h>
#include <mach/kern_return.h>
#include <asm/arch.h>

/*
 * Boot: the architecture's entry code sets up a stack and the kernel's own
 * mappings, registers an early console, fills boot_info (<kern/bootinfo.h>)
 * and the boot memory map, then calls kernel_main(), which never returns.
 */
void __noreturn kernel_main(void);

/* Save the caller's registers, for panic() and for debugging. */
void arch_capture_regs(struct arch_regs *regs);

/* Print a register dump in the architecture's own terms. */
void arch_print_regs(const struct arch_regs *regs);

/*
 * Stop the machine. status 0 means success and anything else failure; under
 * QEMU the status reaches the host (isa-debug-exit on x86_64, semihosting
 * on arm64) so that the test runner can read it. Never returns.
 */
void __noreturn arch_poweroff(int status);

/* Stop this CPU for good, interrupts off. */
void __noreturn arch_halt(void);

/*
 * Wait for an interrupt once; the idle loop calls this. Called with
 * interrupts disabled, after the caller has found nothing to run; returns
 * with them enabled, the interrupt that ended the wait taken. Enabling and
 * waiting are one step, so an interrupt (a wakeup IPI) that arrives after
 * the caller's last look is never left pending while the CPU sleeps.
 */
void arch_idle(void);

/* ------------------------------------------------------------------------
 * Memory (see also <kern/pmap.h>: pmap_kernel_enter/remove/protect/extract)
 */

/*
 * Build the kernel's final address space, once, on the boot CPU, after the
 * boot memory map is final: a direct map of all RAM (phys_to_virt()), the
 * image with W^X (text read-execute, rodata read-only, data and bss
 * read-write no-execute), and the page tables for the kernel VA window that
 * kmem (stacks with guard pages) maps into. Page-table memory comes from
 * bootmem_alloc() until the page allocator runs.
 */
void arch_vm_bootstrap(void);

/* ------------------------------------------------------------------------
 * Interrupts and time
 *
 * Inline in <asm/arch.h>: arch_irq_enable(), arch_irq_disable(),
 * arch_irqs_enabled().
 */

/* Boot CPU: find and start the interrupt controllers (x86_64: LAPIC and
 * IOAPIC, legacy PIC masked; arm64: GICv2 or GICv3 from the device tree). */
kern_return_t arch_irq_init(void);

/* Route / stop a device interrupt line (GSI on x86_64, GIC INTID on arm64). */
void arch_irq_unmask(unsigned int irq);
void arch_irq_mask(unsigned int irq);

/* Boot CPU: calibrate and start the clock and this CPU's timer. */
kern_return_t arch_timer_init(void);

/*
 * Monotonic nanoseconds since arch_timer_init() (early in boot; 0 before
 * it), consistent across CPUs.
 */
uint64_t arch_clock_ns(void);

/*
 * Arm this CPU's one-shot timer for absolute time `deadline` (ns). A past
 * deadline fires as soon as possible; UINT64_MAX disarms. On expiry the
 * arch calls clock_interrupt() in interrupt context.
 */
void arch_timer_set_deadline(uint64_t deadline);

/*
 * For the clock tests: busy-wait about `ns` as measured by a time source
 * independent of arch_clock_ns() (x86_64: the PIT; arm64: the physical
 * counter CNTPCT_EL0), and return the nanoseconds that source measured.
 */
uint64_t arch_clock_reference_wait(uint64_t ns);

/* ------------------------------------------------------------------------
 * Threads (struct arch_thread comes from <asm/thread.h>)
 */
struct arch_thread;

/*
 * Prepare a thread that has never run: the first arch_context_switch() to
 * it starts entry(prev) on stack_top, with interrupts disabled; prev is
 * what that switch returns.
 */
void arch_thread_init(struct arch_thread *at, void *stack_top,
		      void (*entry)(struct arch_thread *prev));

/*
 * Save the callee-saved state in `from`, resume `to` where it stopped.
 * Returns, in `from` once it runs again, the `from` of the switch that
 * resumed it: the thread its CPU has just left.
 */
struct arch_thread *arch_context_switch(struct arch_thread *from, struct arch_thread *to);

/* Continue on a fresh stack: call fn() on stack_top, never come back. */
void __noreturn arch_call_on_stack(void *stack_top, void (*fn)(void));

/* ------------------------------------------------------------------------
 * SMP
 */

/*
 * The CPUs the firmware describes (x86_64: ACPI MADT; arm64: /cpus of the
 * device tree): their arch ids, the boot CPU first. Returns how many. The
 * first call must be on the boot CPU (smp_bootstrap()); later ones may run
 * anywhere.
 */
unsigned int arch_cpu_enumerate(unsigned long *arch_ids, unsigned int max);

/*
 * Start CPU `cpu` (x86_64: INIT/SIPI; arm64: PSCI CPU_ON). It comes up in
 * the kernel's address space on stack_top, installs &cpu_data_array[cpu],
 * does its own CPU-local setup (exception vectors, interrupt controller
 * interface, local timer), then calls cpu_secondary_main(). Returns once
 * the CPU has been told to start; KERN_FAILURE if the firmware refused.
 */
kern_return_t arch_cpu_start(unsigned int cpu, unsigned long arch_id, void *stack_top);

/* Interrupt CPU `cpu` with an IPI_* kind; it calls smp_ipi_handler(kind). */
void arch_send_ipi(unsigned int cpu, unsigned int kind);

/* ------------------------------------------------------------------------
 * What the arch calls in the machine-independent kernel
 */

/* First thing in the arch's C entry: per-CPU data and the boot thread. */
void kernel_early_init(void);

/*
 * Around every interrupt handler; irq_exit() may preempt the thread.
 * from_user: the interrupt came from user mode (arch_regs_user_mode()),
 * which irq_from_user() tells the handlers of the outermost one (the
 * scheduler's tick charges the thread's time to user or system by it).
 */
void irq_enter(bool from_user);
void irq_exit(void);
bool irq_from_user(void);

/* A device interrupt (GSI / INTID) for the handlers of <kern/irq.h>. */
void irq_dispatch(unsigned int irq);

/* This CPU's timer expired (interrupt context). */
void clock_interrupt(void);

/* An IPI arrived (interrupt context). */
#define IPI_RESCHEDULE	0	/* look at the run queue */
#define IPI_CALL	1	/* run the queued cross-CPU calls */
#define IPI_HALT	2	/* stop (panic on another CPU) */
#define IPI_TLB		3	/* kernel TLB shootdown (x86_64) */
#define IPI_NR_KINDS	4
void smp_ipi_handler(unsigned int kind);

/* A secondary CPU's first machine-independent code. */
void __noreturn cpu_secondary_main(void);

#endif /* _KERN_ARCH_H */

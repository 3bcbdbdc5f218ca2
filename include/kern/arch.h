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
 *
 * Frame pointers are always on (-fno-omit-frame-pointer) and both
 * architectures lay a frame record out as { previous fp, return address },
 * so the backtrace walker in kernel/panic.c is shared.
 */
#ifndef _KERN_ARCH_H
#define _KERN_ARCH_H

#include <kern/types.h>
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

/* Wait for an interrupt (or just spin) once; the idle loop calls this. */
void arch_idle(void);

#endif /* _KERN_ARCH_H */

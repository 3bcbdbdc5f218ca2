/* SPDX-License-Identifier: MIT */
/* arm64 boot: what head.S, setup.c, the traps and the drivers share. */
#ifndef _ASM_ARM64_SETUP_H
#define _ASM_ARM64_SETUP_H

#include <kern/types.h>
#include <mach/kern_return.h>

/* Called by head.S at the kernel's virtual address, MMU on. */
void __noreturn arm64_setup(phys_addr_t fdt_phys, phys_addr_t load_phys,
			    unsigned long entry_el);

/* The exception level the kernel was entered at (1 or 2). */
extern unsigned int arm64_entry_el;

/* PSCI, with the conduit the device tree's /psci "method" names. */
enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_HVC,
	PSCI_CONDUIT_SMC,
};

#define PSCI_0_2_FN_SYSTEM_OFF	0x84000008

extern enum psci_conduit psci_conduit;

void psci_init(const void *fdt);
unsigned long psci_call(unsigned long fn, unsigned long a1,
			unsigned long a2, unsigned long a3);

/*
 * The trap handler's hook for the semihosting probe: true when the
 * undefined instruction at regs->pc was our HLT #0xf000 and the exception
 * has been handled (skip the instruction, fail the call).
 */
struct arch_regs;
bool semihost_fixup(struct arch_regs *regs);

/* The PL011 console (drivers/serial/pl011.c), found through the DT. */
kern_return_t pl011_console_setup(const void *fdt);

/* Exception vectors (entry.S) */
extern char arm64_vectors[];

/*
 * User mode (usermode.c): this CPU's part (PAN when the CPU has it);
 * an exception from EL0; the last step back to EL0 (entry.S calls them).
 */
void arm64_user_cpu_init(void);
void arm64_user_trap(struct arch_regs *regs);
void arm64_syscall(struct arch_regs *regs);
void arm64_user_return(struct arch_regs *regs);

#endif /* _ASM_ARM64_SETUP_H */

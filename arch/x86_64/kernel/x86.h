/* SPDX-License-Identifier: MIT */
/* Private to arch/x86_64/kernel: what its files call in each other. */
#ifndef _ARCH_X86_64_KERNEL_X86_H
#define _ARCH_X86_64_KERNEL_X86_H

#include <kern/types.h>

struct arch_regs;

/* CPU exception vectors */
#define X86_TRAP_DE	0	/* divide error */
#define X86_TRAP_DB	1
#define X86_TRAP_NMI	2
#define X86_TRAP_BP	3
#define X86_TRAP_UD	6
#define X86_TRAP_DF	8
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14
#define X86_TRAP_MC	18
#define X86_NR_EXCEPTIONS 32

/* head.S: the unmapped page below the boot stack. */
extern char boot_stack_guard[];

/* cpu.c: GDT with TSS, IDT, legacy PIC masked. */
void x86_cpu_init(void);
/* cpu.c: an AP's own GDT and TSS, and the shared IDT (smp.c). */
void x86_cpu_init_secondary(unsigned int cpu);

/* traps.c: called by entry.S with the saved registers. */
void x86_trap(struct arch_regs *regs);

/* The syscall instruction's entry (entry.S). */
void x86_syscall_entry(void);

/* cpu.c: SMEP/SMAP on (boot CPU's finding); the trap stack of user mode. */
extern bool x86_smep_enabled, x86_smap_enabled;
void x86_set_kernel_stack(unsigned long top);

/* usermode.c: an exception from ring 3; a syscall; the way back to ring 3. */
void x86_user_trap(struct arch_regs *regs);
bool x86_syscall(struct arch_regs *regs);
struct arch_regs *x86_user_return(void);

/* pmap_user.c: answer a user TLB shootdown meant for this CPU (IPI_TLB, lock waits). */
void x86_pmap_user_tlb_answer(void);

/* setup.c: called by head.S, on the boot stack, in the higher half. */
void __noreturn x86_start(uint32_t magic, uint32_t mbi_phys);

#endif /* _ARCH_X86_64_KERNEL_X86_H */

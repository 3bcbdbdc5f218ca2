// SPDX-License-Identifier: MIT
/*
 * EL0 on arm64 (Documentation/traps.rst): entering it, exceptions and
 * svc from it, the way back, and PAN. entry.S saves a struct arch_regs
 * at the top of the thread's kernel stack and keeps current_thread() in
 * SP_EL0 while the kernel runs; this file decides what a trap means.
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/usermode.h>
#include <mach/exception_types.h>
#include <mach/syscall_sw.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#define ESR_EC_SVC64		0x15
#define ESR_EC_FP		0x07
#define ESR_EC_SYSREG		0x18
#define ESR_EC_ILLEGAL		0x0e
#define ESR_EC_PC_ALIGN		0x22
#define ESR_EC_SP_ALIGN		0x26
#define ESR_EC_BRK		0x3c
#define ESR_EC_SSTEP_LOW	0x32
#define ESR_EC_BKPT_LOW		0x30

#define ID_AA64MMFR1_PAN_SHIFT	20
#define SCTLR_EL1_SPAN		(1UL << 23)	/* 0: exceptions to EL1 set PSTATE.PAN */

/* msr pan, #1 (ARMv8.1; encoded so that an ARMv8.0 assembler takes it) */
#define SET_PSTATE_PAN_1	".inst 0xd500419f"

static bool arm64_pan_enabled;

/*
 * PAN when the CPU has it (ARMv8.1; QEMU's cortex-a57 does not, -cpu max
 * does): the kernel then faults on touching user pages except with the
 * unprivileged LDTR/STTR of copyio.S.
 */
void arm64_user_cpu_init(void)
{
	unsigned long mmfr1 = read_sysreg(id_aa64mmfr1_el1);

	if (!((mmfr1 >> ID_AA64MMFR1_PAN_SHIFT) & 0xf))
		return;
	write_sysreg(read_sysreg(sctlr_el1) & ~SCTLR_EL1_SPAN, sctlr_el1);
	__asm__ __volatile__("isb\n\t" SET_PSTATE_PAN_1 ::: "memory");
	arm64_pan_enabled = true;
}

bool copyio_user_access_protected(void)
{
	return arm64_pan_enabled;
}

void arch_thread_enter_user(unsigned long pc, unsigned long sp, unsigned long arg,
			    void *kstack_top)
{
	arm64_user_enter(pc, sp, arg, (unsigned long)kstack_top);
}

void arm64_user_return(struct arch_regs *regs)
{
	(void)regs;
	user_return_check();
}

/* svc #0x80: the trap number in x16, arguments in x0..x7, the result in x0. */
static void arm64_syscall(struct arch_regs *regs)
{
	const struct mach_trap *trap = NULL;

	arch_irq_enable();
	if ((regs->esr & 0xffff) == MACH_TRAP_SVC_IMM)
		trap = mach_trap_lookup((long)regs->x[16]);
	regs->x[0] = trap ? (uint64_t)mach_trap_call(trap, (const unsigned long *)regs->x) :
			    (uint64_t)KERN_INVALID_ARGUMENT;
	arch_irq_disable();
}

/* A translation, access flag or permission fault: the VM's; others are not. */
static bool arm64_abort_is_vm(unsigned long esr)
{
	unsigned int fsc = esr & 0x3c;

	return fsc == 0x04 || fsc == 0x08 || fsc == 0x0c;
}

void arm64_user_trap(struct arch_regs *regs)
{
	unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	switch (ec) {
	case ESR_EC_SVC64:
		arm64_syscall(regs);
		return;
	case ESR_EC_DABT_LOW:
	case ESR_EC_IABT_LOW:
		if (!arm64_abort_is_vm(regs->esr))
			user_exception_raise(EXC_BAD_ACCESS, KERN_FAILURE, (long)regs->far,
					     regs->pc);
		user_page_fault(regs->far, ec == ESR_EC_IABT_LOW ? VM_PROT_EXECUTE :
				regs->esr & (1 << 6) ? VM_PROT_WRITE : VM_PROT_READ, regs->pc);
		return;
	case ESR_EC_BRK:
	case ESR_EC_BKPT_LOW:
	case ESR_EC_SSTEP_LOW:
		user_exception_raise(EXC_BREAKPOINT, ec, (long)(regs->esr & 0xffff), regs->pc);
	case ESR_EC_PC_ALIGN:
	case ESR_EC_SP_ALIGN:
		user_exception_raise(EXC_BAD_ACCESS, KERN_FAILURE, (long)regs->far, regs->pc);
	default:
		/*
		 * Undefined and privileged instructions, an illegal state, and
		 * FP/SIMD, whose registers are not yet kept per thread.
		 */
		user_exception_raise(EXC_BAD_INSTRUCTION, ec, (long)regs->esr, regs->pc);
	}
}

// SPDX-License-Identifier: MIT
/*
 * Ring 3 on x86_64 (Documentation/traps.rst): entering it, exceptions and
 * syscalls from it, and the way back. entry.S builds the struct arch_regs
 * frame at the top of the thread's kernel stack (TSS.rsp0, set on every
 * return to ring 3) and swaps the GS base; this file decides what a trap
 * means.
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/usermode.h>
#include <mach/exception_types.h>
#include <mach/syscall_sw.h>
#include <asm/processor.h>
#include <asm/segment.h>

#include "x86.h"

void arch_thread_enter_user(unsigned long pc, unsigned long sp, unsigned long arg,
			    void *kstack_top)
{
	x86_user_enter(pc, sp, arg, (unsigned long)kstack_top);
}

bool copyio_user_access_protected(void)
{
	return x86_smap_enabled;
}

void x86_user_return(struct arch_regs *regs)
{
	(void)regs;
	user_return_check();
	x86_set_kernel_stack((unsigned long)current_thread()->kstack_top);
}

/*
 * The Mach trap: number in %rax, arguments in %rdi %rsi %rdx %r10 %r8 %r9,
 * the seventh and eighth at 8(%rsp) and 16(%rsp) of the user stack.
 */
void x86_syscall(struct arch_regs *regs)
{
	unsigned long args[MACH_TRAP_MAX_ARGS] = {
		regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9,
	};
	const struct mach_trap *trap;

	arch_irq_enable();
	trap = mach_trap_lookup((long)regs->rax);
	if (!trap)
		regs->rax = KERN_INVALID_ARGUMENT;
	else if (trap->nargs > 6 &&
		 copyin((const void __user *)(regs->rsp + 8), &args[6],
			(trap->nargs - 6) * sizeof(args[0])) != KERN_SUCCESS)
		regs->rax = KERN_INVALID_ARGUMENT;
	else
		regs->rax = (uint64_t)mach_trap_call(trap, args);
	arch_irq_disable();
}

void x86_user_trap(struct arch_regs *regs)
{
	uint64_t ec = regs->error_code;

	switch (regs->vector) {
	case X86_TRAP_PF:
		user_page_fault(regs->cr2, ec & (1 << 4) ? VM_PROT_EXECUTE :
				ec & (1 << 1) ? VM_PROT_WRITE : VM_PROT_READ, regs->rip);
		return;
	case X86_TRAP_DE:
		user_exception_raise(EXC_ARITHMETIC, regs->vector, 0, regs->rip);
	case X86_TRAP_DB:
	case X86_TRAP_BP:
		user_exception_raise(EXC_BREAKPOINT, regs->vector, 0, regs->rip);
	case X86_TRAP_UD:
	case X86_TRAP_GP:
		/* #GP: a privileged instruction, a bad segment, a non-canonical address. */
		user_exception_raise(EXC_BAD_INSTRUCTION, regs->vector, ec, regs->rip);
	default:
		user_exception_raise(EXC_BAD_ACCESS, KERN_FAILURE, regs->vector, regs->rip);
	}
}

// SPDX-License-Identifier: MIT
/*
 * EL0 on arm64 (Documentation/traps.rst): entering it, exceptions and
 * svc from it, the way back, and PAN. entry.S saves a struct arch_regs
 * in the thread (thread->uframe, whose end is SP_EL1 while the thread is
 * in user mode), runs the kernel on the thread's kernel stack and keeps
 * current_thread() in SP_EL0 while it does; this file decides what a
 * trap means.
 *
 * FP/SIMD: eager. CPACR_EL1.FPEN lets EL0 (and EL1, which never uses
 * them: -mgeneral-regs-only) use the registers; the context switch saves
 * v0-v31, FPSR and FPCR of a user thread that leaves a CPU and loads them
 * for one that gets it (switch.S, arch_context_switch()), with TPIDR_EL0,
 * the user thread pointer, which EL0 sets itself.
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <mach/exception_types.h>
#include <mach/syscall_sw.h>
#include <mach/thread_status.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#include "user_switch.h"

#define ESR_EC_SVC64		0x15
#define ESR_EC_FP_EXC		0x2c
#define ESR_EC_SYSREG		0x18
#define ESR_EC_ILLEGAL		0x0e
#define ESR_EC_PC_ALIGN		0x22
#define ESR_EC_SP_ALIGN		0x26
#define ESR_EC_BRK		0x3c
#define ESR_EC_SSTEP_LOW	0x32
#define ESR_EC_BKPT_LOW		0x30

#define ID_AA64MMFR1_PAN_SHIFT	20
#define CPACR_EL1_FPEN		(3UL << 20)	/* no FP/SIMD traps at EL0 and EL1 */
#define PSTATE_NZCV		0xf0000000UL
#define PSTATE_MODE_EL0T	0x0UL

void arm64_fpsimd_save(void *area);
void arm64_fpsimd_load(const void *area);

_Static_assert(__builtin_offsetof(struct thread, arch) == 0, "switch.S passes &t->arch");
_Static_assert(sizeof(((struct thread *)0)->ufp) >= UFP_FPCR + 4, "ufp too small");
_Static_assert(__builtin_offsetof(struct thread, utls) - __builtin_offsetof(struct thread, ufp) ==
	       UFP_TO_UTLS, "user_switch.h");
_Static_assert((long)__builtin_offsetof(struct thread, kstack_top) -
	       (long)__builtin_offsetof(struct thread, ufp) == UFP_TO_KSTACK_TOP, "user_switch.h");
_Static_assert(ARM_THREAD_STATE64_COUNT == 68 && ARM_NEON_STATE64_COUNT == 132 &&
	       ARM_EXCEPTION_STATE64_COUNT == 4, "XNU's counts");
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

	write_sysreg(read_sysreg(cpacr_el1) | CPACR_EL1_FPEN, cpacr_el1);
	__asm__ __volatile__("isb" ::: "memory");

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

void arch_user_fp_init(struct thread *t)
{
	memset(t->ufp, 0, sizeof(t->ufp));	/* FPCR 0: round to nearest, no traps */
	t->utls = 0;
	WRITE_ONCE(t->arch.user, (uint64_t)t->ufp);	/* switch.S keeps it */
}

/* The calling thread's FP/SIMD registers and TPIDR_EL0 to memory, or back. */
void arch_user_fp_sync(struct thread *t, bool to_memory)
{
	unsigned long flags = arch_irq_save();

	if (to_memory) {
		t->utls = read_sysreg(tpidr_el0);
		arm64_fpsimd_save(t->ufp);
	} else {
		write_sysreg(t->utls, tpidr_el0);
		arm64_fpsimd_load(t->ufp);
	}
	arch_irq_restore(flags);
}

void arch_user_regs_init(struct arch_regs *regs, unsigned long pc, unsigned long sp,
			 unsigned long arg)
{
	memset(regs, 0, sizeof(*regs));
	regs->pc = pc;
	regs->sp = sp;
	regs->x[0] = arg;
	regs->pstate = PSTATE_MODE_EL0T;	/* DAIF clear: interrupts on */
}

/* On every way back to EL0, interrupts off: the call only when something is pending. */
void arm64_user_return(struct arch_regs *regs)
{
	(void)regs;
	if (user_return_pending(current_thread()))
		user_return_check();
}

/*
 * svc #0x80: the trap number in x16, arguments in x0..x7, the result in x0.
 * entry.S runs the numbers of the trap table itself; it calls this for
 * the other SVCs from EL0 (bad numbers, another immediate).
 */
void arm64_syscall(struct arch_regs *regs)
{
	const struct mach_trap *trap = NULL;
	bool mach = (regs->esr & 0xffff) == MACH_TRAP_SVC_IMM;

	arch_irq_enable();
	if (IS_ENABLED(CONFIG_USERMODE_KTEST) && mach && regs->x[16] == USER_KTEST_TRAP) {
		regs->x[0] = (uint64_t)user_ktest_trap(regs->x[0]);
		arch_irq_disable();
		return;
	}
	if (mach)
		trap = mach_trap_lookup((long)regs->x[16]);
	regs->x[0] = trap ? (uint64_t)mach_trap_call(trap, (const unsigned long *)regs->x) :
			    (uint64_t)KERN_INVALID_ARGUMENT;
	arch_irq_disable();
}

kern_return_t arch_trap_args_high(unsigned long *args, unsigned int n)
{
	struct thread *self = current_thread();
	const struct arch_regs *r = user_frame(self);
	unsigned int i;

	if (!self->user_state || n > 2)
		return KERN_INVALID_ARGUMENT;
	for (i = 0; i < n; i++)
		args[i] = r->x[6 + i];
	return KERN_SUCCESS;
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
		if (!arm64_abort_is_vm(regs->esr)) {
			user_exception_raise(EXC_BAD_ACCESS, KERN_FAILURE, (long)regs->far,
					     regs->pc);
			return;
		}
		user_page_fault(regs->far, ec == ESR_EC_IABT_LOW ? VM_PROT_EXECUTE :
				regs->esr & (1 << 6) ? VM_PROT_WRITE : VM_PROT_READ, regs->pc);
		return;
	case ESR_EC_BRK:
	case ESR_EC_BKPT_LOW:
	case ESR_EC_SSTEP_LOW:
		user_exception_raise(EXC_BREAKPOINT, ec, (long)(regs->esr & 0xffff), regs->pc);
		return;
	case ESR_EC_PC_ALIGN:
	case ESR_EC_SP_ALIGN:
		user_exception_raise(EXC_BAD_ACCESS, KERN_FAILURE, (long)regs->far, regs->pc);
		return;
	case ESR_EC_FP_EXC:
		user_exception_raise(EXC_ARITHMETIC, ec, (long)regs->esr, regs->pc);
		return;
	default:
		/* Undefined and privileged instructions, an illegal state. */
		user_exception_raise(EXC_BAD_INSTRUCTION, ec, (long)regs->esr, regs->pc);
	}
}

void arch_user_exception_save(struct thread *t)
{
	const struct arch_regs *r = user_frame(t);
	unsigned int ec = (r->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	bool abort = ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW ||
		     ec == ESR_EC_PC_ALIGN || ec == ESR_EC_SP_ALIGN;

	t->uexc_trapno = (unsigned long)t->uexc_type;
	t->uexc_err = r->esr;
	t->uexc_addr = abort ? r->far : 0;
}

/* Thread state: XNU's flavors and layouts (<mach/arm64/thread_status.h>). */

static const int arm64_flavors[] = {
	ARM_THREAD_STATE64, ARM_NEON_STATE64, ARM_EXCEPTION_STATE64,
};

kern_return_t arch_thread_state_get(struct thread *t, int flavor, natural_t *state,
				    mach_msg_type_number_t *count)
{
	const struct arch_regs *r = user_frame(t);

	switch (flavor) {
	case THREAD_STATE_FLAVOR_LIST:
		return thread_state_put(arm64_flavors, ARRAY_SIZE(arm64_flavors), state, count);
	case ARM_THREAD_STATE64: {
		arm_thread_state64_t s;

		memset(&s, 0, sizeof(s));
		memcpy(s.x, r->x, sizeof(s.x));
		s.fp = r->x[29];
		s.lr = r->x[30];
		s.sp = r->sp;
		s.pc = r->pc;
		s.cpsr = (uint32_t)r->pstate;
		return thread_state_put(&s, ARM_THREAD_STATE64_COUNT, state, count);
	}
	case ARM_NEON_STATE64: {
		arm_neon_state64_t s;

		memset(&s, 0, sizeof(s));
		memcpy(&s, t->ufp, UFP_FPCR + 4);
		return thread_state_put(&s, ARM_NEON_STATE64_COUNT, state, count);
	}
	case ARM_EXCEPTION_STATE64: {
		arm_exception_state64_t s = {
			.far = t->uexc_addr,
			.esr = (uint32_t)t->uexc_err,
			.exception = (uint32_t)t->uexc_trapno,
		};

		return thread_state_put(&s, ARM_EXCEPTION_STATE64_COUNT, state, count);
	}
	}
	return KERN_INVALID_ARGUMENT;
}

/*
 * Only what EL0 may hold: a user pc, and of PSTATE only NZCV (EL0t, DAIF
 * clear), so that the eret cannot land in EL1 or with interrupts masked.
 */
kern_return_t arch_thread_state_set(struct thread *t, int flavor, const natural_t *state,
				    mach_msg_type_number_t count)
{
	struct arch_regs *r = user_frame(t);

	switch (flavor) {
	case ARM_THREAD_STATE64: {
		arm_thread_state64_t s;

		if (count < ARM_THREAD_STATE64_COUNT)
			return KERN_INVALID_ARGUMENT;
		memcpy(&s, state, sizeof(s));
		if (s.pc >= VM_MAX_USER_ADDRESS)
			return KERN_INVALID_ARGUMENT;
		memcpy(r->x, s.x, sizeof(s.x));
		r->x[29] = s.fp;
		r->x[30] = s.lr;
		r->sp = s.sp;
		r->pc = s.pc;
		r->pstate = (s.cpsr & PSTATE_NZCV) | PSTATE_MODE_EL0T;
		/* A thread in a Mach trap: el0_sync's way out would not restore x19-x28. */
		r->esr |= 1UL << ESR_SAVED_STATE_SET_SHIFT;
		return KERN_SUCCESS;
	}
	case ARM_NEON_STATE64:
		if (count < ARM_NEON_STATE64_COUNT)
			return KERN_INVALID_ARGUMENT;
		memcpy(t->ufp, state, UFP_FPCR + 4);
		return KERN_SUCCESS;
	}
	return KERN_INVALID_ARGUMENT;
}

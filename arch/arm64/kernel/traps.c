// SPDX-License-Identifier: MIT
/*
 * Exceptions taken to EL1: every vector of entry.S lands in arm64_trap().
 * A synchronous exception from EL0 goes to arm64_user_trap() (usermode.c);
 * at EL1 an abort on a user address goes to the VM, then to the copyio
 * fixups. Every other exception is fatal except the semihosting probe of
 * arch_poweroff(); arm64_trap() decodes ESR_EL1 into words and hands the
 * registers to panic_regs().
 */
#include <kern/arch.h>
#include <kern/copyio.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/vm_fault.h>
#include <asm/pgtable.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

/* entry.S lays the frame out with these offsets. */
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, x[30]) != 30 * 8);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, sp) != 31 * 8);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, pc) != 32 * 8);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, esr) != 34 * 8);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, far) != 35 * 8);
BUILD_BUG_ON(sizeof(struct arch_regs) != 36 * 8);

void arm64_trap(struct arch_regs *regs, unsigned long vector);

static const char *const trap_kind_names[4] = {
	"Synchronous", "IRQ", "FIQ", "SError",
};

static const char *const trap_origin_names[4] = {
	"EL1t", "EL1h", "EL0 (AArch64)", "EL0 (AArch32)",
};

static const char *const esr_class_names[64] = {
	[0x00] = "Unknown reason (undefined instruction)",
	[0x01] = "WFI/WFE",
	[0x07] = "FP/SIMD access",
	[0x0e] = "Illegal execution state",
	[0x11] = "SVC (AArch32)",
	[0x15] = "SVC (AArch64)",
	[0x16] = "HVC (AArch64)",
	[0x17] = "SMC (AArch64)",
	[0x18] = "MSR/MRS/system instruction",
	[0x19] = "SVE access",
	[0x20] = "Instruction abort from a lower EL",
	[0x21] = "Instruction abort",
	[0x22] = "PC alignment fault",
	[0x24] = "Data abort from a lower EL",
	[0x25] = "Data abort",
	[0x26] = "SP alignment fault",
	[0x2c] = "Floating-point exception",
	[0x2f] = "SError",
	[0x30] = "Breakpoint from a lower EL",
	[0x31] = "Breakpoint",
	[0x32] = "Software step from a lower EL",
	[0x33] = "Software step",
	[0x34] = "Watchpoint from a lower EL",
	[0x35] = "Watchpoint",
	[0x3c] = "BRK instruction",
};

static const char *esr_class_name(unsigned int ec)
{
	return esr_class_names[ec & ESR_EC_MASK] ?: "Unrecognised exception class";
}

static bool esr_is_abort(unsigned int ec)
{
	return ec == ESR_EC_IABT_LOW || ec == ESR_EC_IABT_CUR ||
	       ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR;
}

/* The fault status code (ISS bits 5:0) of an instruction or data abort. */
static const char *abort_fsc_name(unsigned int fsc)
{
	switch (fsc & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	}
	return "fault";
}

/*
 * A translation, access flag or permission fault taken at EL1 on a
 * lower-half (user) address: the VM resolves it in the thread's map if it
 * can (mm/vm_fault.c); otherwise it is reported.
 */
static bool arm64_vm_fault(const struct arch_regs *regs, unsigned int ec)
{
	unsigned int fsc = regs->esr & 0x3c;
	vm_prot_t type;

	if ((ec != ESR_EC_DABT_CUR && ec != ESR_EC_IABT_CUR) ||
	    (fsc != 0x04 && fsc != 0x08 && fsc != 0x0c) ||
	    regs->far >= VM_MAX_USER_ADDRESS)
		return false;
	if (ec == ESR_EC_IABT_CUR)
		type = VM_PROT_EXECUTE;
	else
		type = regs->esr & (1 << 6) ? VM_PROT_WRITE : VM_PROT_READ;	/* WnR */
	return vm_fault_kernel_trap(regs->far, type, !(regs->pstate & (1 << 7)));	/* PSTATE.I */
}

/*
 * A kernel abort on a user address that must not be resolved: executing
 * user memory at EL1, or, with PAN on, a data access not listed in the
 * copyio exception table (the copy loops and the inline accesses,
 * <asm/uaccess.h>): resolving it would only fault again.
 */
static bool arm64_user_access_violation(const struct arch_regs *regs, unsigned int ec)
{
	if (regs->far >= VM_MAX_USER_ADDRESS)
		return false;
	if (ec == ESR_EC_IABT_CUR)
		return true;
	return ec == ESR_EC_DABT_CUR && copyio_user_access_protected() &&
	       !copyio_user_access_pc(regs->pc);
}

/* A copyio access the VM did not resolve: resume at its fixup. */
static bool arm64_copyio_fixup(struct arch_regs *regs, unsigned int ec)
{
	unsigned long fixup = ec == ESR_EC_DABT_CUR ? copyio_fixup_pc(regs->pc) : 0;

	if (!fixup)
		return false;
	regs->pc = fixup;
	return true;
}

void arm64_trap(struct arch_regs *regs, unsigned long vector)
{
	unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	const char *kind = trap_kind_names[vector & 3];
	const char *origin = trap_origin_names[(vector >> 2) & 3];

	if (vector == 4 && ec == ESR_EC_UNKNOWN && semihost_fixup(regs))
		return;

	/* The pmap's emulation of referenced/modified bits first (pmap_user.c). */
	if ((vector & 3) == 0 && esr_is_abort(ec) && arm64_pmap_user_fault(regs->far, regs->esr))
		return;
	if (vector == 8) {			/* synchronous, EL0 AArch64 */
		arm64_user_trap(regs);		/* usermode.c */
		return;
	}
	if (vector == 4 && !arm64_user_access_violation(regs, ec) &&
	    arm64_vm_fault(regs, ec))		/* synchronous, EL1h */
		return;
	if (vector == 4 && arm64_copyio_fixup(regs, ec))
		return;
	if ((vector & 3) != 0)
		panic_regs(regs, "%s exception from %s (unexpected, no handler yet)",
			   kind, origin);

	if (esr_is_abort(ec)) {
		unsigned int fsc = regs->esr & 0x3f;

		panic_regs(regs, "%s from %s: %s, level %u, %s at 0x%lx (ESR 0x%lx)",
			   esr_class_name(ec), origin, abort_fsc_name(fsc), fsc & 3,
			   (ec & 4) && (regs->esr & (1 << 6)) ? "write" : "access",
			   (unsigned long)regs->far, (unsigned long)regs->esr);
	}
	panic_regs(regs, "%s from %s: %s (ESR 0x%lx, EC 0x%x)", kind, origin,
		   esr_class_name(ec), (unsigned long)regs->esr, ec);
}

void arch_print_regs(const struct arch_regs *regs)
{
	unsigned int i;

	printk(KERN_EMERG "pc : %pS (0x%016lx)\n", (void *)(uintptr_t)regs->pc,
	       (unsigned long)regs->pc);
	printk(KERN_EMERG "lr : %pS (0x%016lx)\n", (void *)(uintptr_t)regs->x[30],
	       (unsigned long)regs->x[30]);
	printk(KERN_EMERG "sp : %016lx  pstate: %08lx  EL%lu  (running at EL%u, entered at EL%u)\n",
	       (unsigned long)regs->sp, (unsigned long)regs->pstate,
	       (unsigned long)(regs->pstate >> 2) & 3, arm64_current_el(), arm64_entry_el);
	printk(KERN_EMERG "esr: %016lx  far: %016lx\n", (unsigned long)regs->esr,
	       (unsigned long)regs->far);
	for (i = 0; i < 31; i += 3) {
		printk(KERN_EMERG "x%02u: %016lx", i, (unsigned long)regs->x[i]);
		if (i + 1 < 31)
			printk(KERN_CONT "  x%02u: %016lx", i + 1, (unsigned long)regs->x[i + 1]);
		if (i + 2 < 31)
			printk(KERN_CONT "  x%02u: %016lx", i + 2, (unsigned long)regs->x[i + 2]);
		printk(KERN_CONT "\n");
	}
}

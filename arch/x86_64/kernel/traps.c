// SPDX-License-Identifier: MIT
/*
 * CPU exceptions. One from ring 3 goes to x86_user_trap() (usermode.c).
 * In ring 0, a #PF on a user address goes to the VM, then to the copyio
 * fixups; every other exception is a kernel bug: x86_trap() names it,
 * decodes what the CPU says about it (#PF's address and error bits, #GP's
 * selector) and panics with the registers, which ends the run with a
 * failure status.
 */
#include <kern/arch.h>
#include <kern/console.h>
#include <kern/copyio.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/vm_fault.h>
#include <asm/processor.h>

#include "apic.h"
#include "x86.h"

/* The stack layout entry.S builds must be the structure C reads. */
BUILD_BUG_ON(sizeof(struct arch_regs) != ARCH_REGS_SIZE);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, r8) != ARCH_REGS_R8);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, rax) != ARCH_REGS_RAX);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, vector) != ARCH_REGS_VECTOR);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, rip) != ARCH_REGS_RIP);
BUILD_BUG_ON(__builtin_offsetof(struct arch_regs, ss) != ARCH_REGS_SS);

static const char *const x86_exception_names[X86_NR_EXCEPTIONS] = {
	[0]  = "#DE divide error",
	[1]  = "#DB debug exception",
	[2]  = "NMI non-maskable interrupt",
	[3]  = "#BP breakpoint",
	[4]  = "#OF overflow",
	[5]  = "#BR bound range exceeded",
	[6]  = "#UD invalid opcode",
	[7]  = "#NM device not available",
	[8]  = "#DF double fault",
	[9]  = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",
	[11] = "#NP segment not present",
	[12] = "#SS stack-segment fault",
	[13] = "#GP general protection fault",
	[14] = "#PF page fault",
	[16] = "#MF x87 floating-point error",
	[17] = "#AC alignment check",
	[18] = "#MC machine check",
	[19] = "#XM SIMD floating-point exception",
	[20] = "#VE virtualization exception",
	[21] = "#CP control protection exception",
	[28] = "#HV hypervisor injection exception",
	[29] = "#VC VMM communication exception",
	[30] = "#SX security exception",
};

static const char *x86_exception_name(uint64_t vector)
{
	if (vector < X86_NR_EXCEPTIONS && x86_exception_names[vector])
		return x86_exception_names[vector];
	return vector < X86_NR_EXCEPTIONS ? "reserved exception" : "unexpected interrupt";
}

/* #PF error code bits, as Linux prints them. */
static void x86_decode_page_fault(const struct arch_regs *regs, char *buf, size_t size)
{
	uint64_t ec = regs->error_code;

	snprintf(buf, size, "address %#lx%s: %s %s access in %s mode, %s%s%s",
		 (unsigned long)regs->cr2,
		 regs->cr2 < PAGE_SIZE ? " (NULL pointer dereference)" : "",
		 ec & (1 << 2) ? "user" : "supervisor",
		 ec & (1 << 4) ? "instruction fetch" : ec & (1 << 1) ? "write" : "read",
		 ec & (1 << 2) ? "user" : "kernel",
		 ec & (1 << 0) ? "protection violation" : "not-present page",
		 ec & (1 << 3) ? ", reserved bit set in a page table" : "",
		 ec & (1 << 5) ? ", protection key" : "");
}

/* A selector error code: which table and entry the CPU choked on. */
static void x86_decode_selector(uint64_t ec, char *buf, size_t size)
{
	static const char *const tables[] = { "GDT", "IDT", "LDT", "IDT" };

	if (ec == 0) {
		snprintf(buf, size, "error code 0");
		return;
	}
	snprintf(buf, size, "error code %#lx: %s entry %lu%s", (unsigned long)ec,
		 tables[(ec >> 1) & 3], (unsigned long)((ec >> 3) & 0x1fff),
		 ec & 1 ? " (external event)" : "");
}

/*
 * A fault while handling a fault means panic itself crashed: say so with
 * as little machinery as possible and stop, so the run never hangs.
 */
static void x86_trap_check_nesting(void)
{
	static int depth;
	static const char msg[] = "\n*** fault while handling a fault: powering off\n";

	depth++;
	if (depth == 2) {
		console_write(msg, sizeof(msg) - 1);
		arch_poweroff(1);
	}
	if (depth > 2)
		arch_poweroff(1);
}

/*
 * A fault while the CPU was delivering another. The usual cause is a
 * kernel stack overflow: the first fault could not push its frame. CR2
 * still holds that first fault's address.
 */
static void x86_decode_double_fault(const struct arch_regs *regs, char *buf, size_t size)
{
	uintptr_t guard = (uintptr_t)boot_stack_guard;

	if (regs->cr2 >= guard && regs->cr2 < guard + PAGE_SIZE)
		snprintf(buf, size, "boot stack overflow (CR2 %#lx is in its guard page)",
			 (unsigned long)regs->cr2);
	else
		snprintf(buf, size, "a fault while delivering a fault (stack overflow?)");
}

/* Vectors for which the CPU pushes an error code (entry.S has the same list). */
static bool x86_trap_has_error_code(uint64_t vector)
{
	return vector == X86_TRAP_DF || (vector >= 10 && vector <= 14) ||
	       vector == 17 || vector == 21 || vector == 29 || vector == 30;
}

/*
 * A kernel-mode #PF on a lower-half (user) address: the VM resolves it in
 * the thread's map if it can (mm/vm_fault.c); otherwise it is reported.
 */
static bool x86_vm_fault(const struct arch_regs *regs)
{
	uint64_t ec = regs->error_code;
	vm_prot_t type = ec & (1 << 4) ? VM_PROT_EXECUTE :
			 ec & (1 << 1) ? VM_PROT_WRITE : VM_PROT_READ;

	if (ec & ((1 << 2) | (1 << 3)) || regs->cr2 >= VM_MAX_USER_ADDRESS)
		return false;
	return vm_fault_kernel_trap(regs->cr2, type, regs->rflags & X86_EFLAGS_IF);
}

/*
 * A kernel-mode #PF on a user address that must not be resolved: an
 * instruction fetch (SMEP's case, a bug with or without SMEP), or, with
 * SMAP on, a data access made outside a stac window (the copy loops and
 * the inline accesses, <asm/uaccess.h>, are inside one): the frame's
 * RFLAGS.AC, which the trap's entry leaves in the frame when it clears
 * the flag (as Linux tests it). Resolving it would only fault again
 * (SMAP) or run user code in ring 0. The copyio exception table is for
 * the fixup of a fault the VM does not resolve.
 */
static bool x86_user_access_violation(const struct arch_regs *regs)
{
	if (regs->cr2 >= VM_MAX_USER_ADDRESS || (regs->error_code & (1 << 2)))
		return false;
	if (regs->error_code & (1 << 4))
		return true;
	return x86_smap_enabled && !(regs->rflags & X86_EFLAGS_AC);
}

/* A copyio access (or the probe) the VM did not resolve: go to its fixup. */
static bool x86_copyio_fixup(struct arch_regs *regs)
{
	unsigned long fixup = copyio_fixup_pc(regs->rip);

	if (!fixup)
		return false;
	regs->rip = fixup;
	return true;
}

void x86_trap(struct arch_regs *regs)
{
	char detail[160] = "";

	/* Interrupts (apic.c); everything below is a CPU exception. */
	if (regs->vector >= X86_NR_EXCEPTIONS) {
		x86_interrupt(regs);
		return;
	}
	/* NMI, #MC and #DF are the machine's business, wherever they hit. */
	if ((regs->cs & 3) && regs->vector != X86_TRAP_NMI && regs->vector != X86_TRAP_MC &&
	    regs->vector != X86_TRAP_DF) {
		x86_user_trap(regs);	/* usermode.c */
		return;
	}
	if (regs->vector == X86_TRAP_PF) {
		if (!x86_user_access_violation(regs) && x86_vm_fault(regs))
			return;
		if (x86_copyio_fixup(regs))
			return;
	}
	x86_trap_check_nesting();

	switch (regs->vector) {
	case X86_TRAP_PF:
		x86_decode_page_fault(regs, detail, sizeof(detail));
		break;
	case 10: case 11: case 12: case X86_TRAP_GP:
		x86_decode_selector(regs->error_code, detail, sizeof(detail));
		break;
	case X86_TRAP_DF:
		x86_decode_double_fault(regs, detail, sizeof(detail));
		break;
	default:
		if (regs->vector >= X86_NR_EXCEPTIONS)
			snprintf(detail, sizeof(detail), "vector %lu",
				 (unsigned long)regs->vector);
		else if (x86_trap_has_error_code(regs->vector))
			snprintf(detail, sizeof(detail), "error code %#lx",
				 (unsigned long)regs->error_code);
		break;
	}
	panic_regs(regs, "%s%s%s at %pS", x86_exception_name(regs->vector),
		   detail[0] ? ": " : "", detail, (void *)regs->rip);
}

/* Like Linux's __show_regs(). */
void arch_print_regs(const struct arch_regs *regs)
{
	if (regs->vector == (uint64_t)ARCH_REGS_NO_VECTOR)
		;	/* arch_capture_regs(): no trap */
	else if (x86_trap_has_error_code(regs->vector))
		printk(KERN_EMERG "Trap: %lu (%s), error code %#lx\n",
		       (unsigned long)regs->vector, x86_exception_name(regs->vector),
		       (unsigned long)regs->error_code);
	else
		printk(KERN_EMERG "Trap: %lu (%s)\n", (unsigned long)regs->vector,
		       x86_exception_name(regs->vector));
	printk(KERN_EMERG "RIP: %04lx:%016lx %pS\n", (unsigned long)regs->cs,
	       (unsigned long)regs->rip, (void *)regs->rip);
	printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx\n", (unsigned long)regs->ss,
	       (unsigned long)regs->rsp, (unsigned long)regs->rflags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n",
	       (unsigned long)regs->rax, (unsigned long)regs->rbx, (unsigned long)regs->rcx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n",
	       (unsigned long)regs->rdx, (unsigned long)regs->rsi, (unsigned long)regs->rdi);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n",
	       (unsigned long)regs->rbp, (unsigned long)regs->r8, (unsigned long)regs->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n",
	       (unsigned long)regs->r10, (unsigned long)regs->r11, (unsigned long)regs->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n",
	       (unsigned long)regs->r13, (unsigned long)regs->r14, (unsigned long)regs->r15);
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), (unsigned long)regs->cr2, read_cr3(), read_cr4());
}

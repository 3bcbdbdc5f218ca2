// SPDX-License-Identifier: MIT
/*
 * Stopping the machine: semihosting for the exit status, PSCI to power
 * off, wfi to wait.
 *
 * Under QEMU with -semihosting, SYS_EXIT ends QEMU with our exit code; the
 * test runner reads 33 as pass and 35 as fail (the same codes as the x86
 * board's isa-debug-exit, see board.sh). Without -semihosting, HLT #0xf000
 * is an undefined instruction: the trap handler sees semihost_probing,
 * skips the instruction and we fall back to PSCI SYSTEM_OFF, through the
 * conduit the device tree names.
 */
#include <kern/arch.h>
#include <kern/fdt.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/setup.h>
#include <asm/sysreg.h>

#define SEMIHOST_SYS_EXIT		0x18
#define SEMIHOST_ADP_STOPPED_APP_EXIT	0x20026
#define SEMIHOST_FAILED			(~0UL)

/* The QEMU exit codes the runner expects (board.sh: EXIT_PASS, EXIT_FAIL). */
#define ARM64_EXIT_PASS			33
#define ARM64_EXIT_FAIL			35

enum psci_conduit psci_conduit;
static volatile bool semihost_probing;

bool semihost_fixup(struct arch_regs *regs)
{
	if (!semihost_probing)
		return false;
	if (*(const uint32_t *)(uintptr_t)regs->pc != AARCH64_INSN_HLT_SEMIHOST)
		return false;
	regs->pc += 4;
	regs->x[0] = SEMIHOST_FAILED;
	return true;
}

static unsigned long semihost_call(unsigned long op, void *arg)
{
	register unsigned long x0 __asm__("x0") = op;
	register void *x1 __asm__("x1") = arg;

	semihost_probing = true;
	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	semihost_probing = false;
	return x0;
}

static void semihost_exit(unsigned long code)
{
	/* AArch64 SYS_EXIT takes a two-word block: reason, then subcode. */
	uint64_t block[2] = { SEMIHOST_ADP_STOPPED_APP_EXIT, code };

	semihost_call(SEMIHOST_SYS_EXIT, block);
}

void psci_init(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/psci");
	const char *method;

	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "arm,psci");
	method = node >= 0 ? fdt_getprop_string(fdt, node, "method") : NULL;
	if (method && !strcmp(method, "hvc"))
		psci_conduit = PSCI_CONDUIT_HVC;
	else if (method && !strcmp(method, "smc"))
		psci_conduit = PSCI_CONDUIT_SMC;
	else
		psci_conduit = PSCI_CONDUIT_NONE;
}

unsigned long psci_call(unsigned long fn, unsigned long a1,
			unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fn;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	switch (psci_conduit) {
	case PSCI_CONDUIT_HVC:
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				     :: "memory");
		return x0;
	case PSCI_CONDUIT_SMC:
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				     :: "memory");
		return x0;
	default:
		return (unsigned long)-1;	/* PSCI_RET_NOT_SUPPORTED */
	}
}

void __noreturn arch_poweroff(int status)
{
	arch_irq_save();
	semihost_exit(status == 0 ? ARM64_EXIT_PASS : ARM64_EXIT_FAIL);
	/* Still here: no semihosting. QEMU then exits with 0 whatever status was. */
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	arch_halt();
}

void __noreturn arch_halt(void)
{
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

/*
 * wfi with IRQs still masked: a pending interrupt wakes it whatever the
 * mask, and is taken once the mask is lifted, so none is missed between the
 * caller's last look and the wait.
 */
void arch_idle(void)
{
	__asm__ __volatile__("wfi\n\tmsr daifclr, #3" ::: "memory");
}

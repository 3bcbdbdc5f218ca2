// SPDX-License-Identifier: MIT
/*
 * Stopping the machine: arch_poweroff(), arch_halt(), arch_idle().
 *
 * Under QEMU the status reaches the host through the isa-debug-exit
 * device (-device isa-debug-exit,iobase=0xf4,iosize=0x04): writing v makes
 * QEMU exit with (v << 1) | 1, so 0x10 gives 33 (pass) and 0x11 gives 35
 * (fail). Both are far from QEMU's own 0 and 1.
 */
#include <kern/arch.h>
#include <asm/io.h>
#include <asm/processor.h>

#define DEBUG_EXIT_PORT		0xf4
#define DEBUG_EXIT_PASS		0x10
#define DEBUG_EXIT_FAIL		0x11

/* ACPI PM1a control: SLP_EN with SLP_TYP 0, which QEMU treats as S5. */
#define ACPI_PM1A_CNT_PIIX4	0x604	/* -M pc (SeaBIOS puts PM at 0x600) */
#define ACPI_PM1A_CNT_ICH9	0xb004	/* -M q35 (PM at 0xb000) */
#define ACPI_SLP_EN		0x2000

void __noreturn arch_poweroff(int status)
{
	cpu_irq_disable();
	outl(status ? DEBUG_EXIT_FAIL : DEBUG_EXIT_PASS, DEBUG_EXIT_PORT);

	/*
	 * Still running: no isa-debug-exit. Switch off through ACPI the way
	 * QEMU's two chipsets want it (a write to the other port is ignored).
	 * The status is lost then.
	 */
	outw(ACPI_SLP_EN, ACPI_PM1A_CNT_PIIX4);
	outw(ACPI_SLP_EN, ACPI_PM1A_CNT_ICH9);
	arch_halt();
}

void __noreturn arch_halt(void)
{
	for (;;) {
		cpu_irq_disable();
		cpu_halt();
	}
}

/*
 * "sti; hlt": sti takes effect after the next instruction, so no interrupt
 * is taken between the two and one pending at the sti ends the hlt.
 */
void arch_idle(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

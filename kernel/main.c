// SPDX-License-Identifier: MIT
/*
 * kernel_main: the machine-independent bootstrap. The arch entry code calls
 * it with a console registered, boot_info filled in and the boot memory map
 * recorded. The order of the core's own steps is this explicit list; drivers
 * and feature layers join through KERNEL_INIT levels (<kern/init.h>).
 */
#include <kern/arch.h>
#include <kern/bootinfo.h>
#include <kern/bootstrap.h>
#include <kern/bootmem.h>
#include <kern/cmdline.h>
#include <kern/cpu.h>
#include <kern/init.h>
#include <kern/kmem.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/smp.h>
#include <kern/thread.h>
#include <kern/vm_page.h>
#include <kern/zalloc.h>
#include <kbench.h>
#include <ktest.h>
#include <generated/version.h>

struct boot_info boot_info;

static void kernel_print_banner(void)
{
	pr_notice("MachLine %s on %s (%s), booted by %s\n", MACHLINE_VERSION,
		  MACHLINE_BOARD, MACHLINE_ARCH,
		  boot_info.bootloader ? boot_info.bootloader : "an unknown loader");
	pr_notice("Command line: %s\n", boot_info.cmdline);
}

static void kernel_setup_log_level(void)
{
	if (cmdline_get_bool("quiet", false))
		printk_set_console_level(4);
	if (cmdline_get("loglevel"))
		printk_set_console_level((int)cmdline_get_ulong("loglevel", 7));
}

void kernel_init_run_level(int level)
{
	const struct kernel_init_entry *e;
	kern_return_t kr;

	for (e = __kernel_init_start; e < __kernel_init_end; e++) {
		if (e->level != level)
			continue;
		kr = e->fn();
		if (kr != KERN_SUCCESS)
			pr_err("init: %s failed (kern_return %d)\n", e->name, kr);
	}
}

/*
 * What to do once everything has started: the boot thread ends, and the
 * bootstrap task (if any) and the kernel's threads run on; "poweroff" on
 * the command line powers the machine off instead, which is how a test
 * run ends a kernel built without ktest.
 */
static void __noreturn kernel_idle_forever(void)
{
	pr_notice("machline: boot complete\n");
	if (cmdline_get_bool("poweroff", false))
		arch_poweroff(0);
	/* The boot thread is done: the other threads and the idle threads run on. */
	thread_terminate();
}

/*
 * The arch's C entry calls this before anything else, even the console:
 * from here on cpu_this() and current_thread() work.
 */
void kernel_early_init(void)
{
	cpu_bootstrap();
	thread_bootstrap();	/* the boot flow becomes thread 0 */
}

void __noreturn kernel_main(void)
{
	int level;

	cmdline_parse(&boot_params, boot_info.cmdline);
	kernel_setup_log_level();
	kernel_print_banner();

	if (bootmem_finalize(&boot_memmap) != KERN_SUCCESS)
		panic("boot memory map: cannot finalize");
	bootmem_print(&boot_memmap);
	arch_vm_bootstrap();	/* the final kernel page tables: direct map, W^X */
	vm_page_bootstrap();	/* the page allocator: all remaining usable RAM */
	kmem_bootstrap();	/* the kernel VA window: wired memory, stacks */
	zone_bootstrap();	/* zones and kalloc */

	if (arch_irq_init() != KERN_SUCCESS)
		panic("no interrupt controller");
	if (arch_timer_init() != KERN_SUCCESS)
		panic("no clock");
	sched_bootstrap();	/* run queues, idle thread, timeslices */
	arch_irq_enable();	/* from here on threads can be preempted */

	smp_bootstrap();	/* the other CPUs: after memory, interrupts, timers */

	for (level = 0; level < KERNEL_INIT_NR_LEVELS; level++)
		kernel_init_run_level(level);

	/* With CONFIG_KBENCH and "kbench" on the command line: benchmarks, power off. */
	kbench_run_all();

	/* With CONFIG_KTEST this runs every suite and powers off. */
	ktest_run_all();

	/* The first user program, from the RAM disk, if there is one. */
	bootstrap_start();

	kernel_idle_forever();
}

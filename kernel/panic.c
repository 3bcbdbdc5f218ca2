// SPDX-License-Identifier: MIT
/*
 * panic(): the kernel cannot go on. Print why, the registers and a
 * backtrace, let ktest close its report (a running case becomes a failed
 * case, not silence), and power off with a failure status.
 */
#include <kern/arch.h>
#include <kern/console.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <ktest.h>

#define BACKTRACE_MAX_FRAMES	32

/* Set by the first panic; a second one (a fault while panicking) stops at once. */
static volatile int panic_in_progress;
static char panic_reason[256];

/*
 * Walk the frame-pointer chain. Every frame record is { previous fp,
 * return address } on both architectures (see <kern/arch.h>). A frame
 * pointer is trusted only if it is aligned, in the kernel's half of the
 * address space and above the previous one (stacks grow down, so callers'
 * frames sit higher); anything else ends the walk rather than fault.
 */
void backtrace_print(unsigned long pc, unsigned long fp)
{
	unsigned long prev = 0;
	int depth;

	printk(KERN_EMERG "Call trace:\n");
	if (pc)
		printk(KERN_EMERG " [<%016lx>] %pS\n", pc, (void *)pc);

	for (depth = 0; depth < BACKTRACE_MAX_FRAMES; depth++) {
		const unsigned long *frame = (const unsigned long *)fp;
		unsigned long ret;

		if (!fp || !IS_ALIGNED(fp, sizeof(unsigned long)) ||
		    !arch_kernel_address(fp) || fp <= prev)
			break;
		ret = frame[1];
		if (!ret || !arch_kernel_address(ret))
			break;
		printk(KERN_EMERG " [<%016lx>] %pS\n", ret, (void *)ret);
		prev = fp;
		fp = frame[0];
	}
}

/* The part of panic() and panic_regs() after the registers are known. */
static void __noreturn panic_common(const struct arch_regs *regs, unsigned long fp,
				    const char *fmt, va_list ap)
{
	arch_irq_save();	/* never restored: we are not coming back */

	if (panic_in_progress++) {
		static const char msg[] = "\nKernel panic: recursive panic, powering off\n";

		console_write(msg, sizeof(msg) - 1);
		arch_poweroff(1);
	}

	vsnprintf(panic_reason, sizeof(panic_reason), fmt, ap);
	/* Whatever the console level was, the reason must reach the console. */
	printk_set_console_level(8);
	printk(KERN_EMERG "Kernel panic: %s\n", panic_reason);
	arch_print_regs(regs);
	backtrace_print(arch_regs_pc(regs), fp);

	ktest_report_panic(panic_reason);
	printk(KERN_EMERG "---[ end Kernel panic: %s ]---\n", panic_reason);
	arch_poweroff(1);
}

void panic(const char *fmt, ...)
{
	struct arch_regs regs;
	va_list ap;

	memset(&regs, 0, sizeof(regs));
	arch_capture_regs(&regs);
	va_start(ap, fmt);
	/*
	 * Walk from panic()'s own frame: its record leads to the caller,
	 * whatever frame arch_capture_regs() recorded for itself.
	 */
	panic_common(&regs, arch_frame_address(), fmt, ap);
}

void panic_regs(const struct arch_regs *regs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_common(regs, arch_regs_fp(regs), fmt, ap);
}

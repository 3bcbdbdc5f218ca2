/* SPDX-License-Identifier: MIT */
#ifndef _KERN_PANIC_H
#define _KERN_PANIC_H

#include <kern/types.h>

struct arch_regs;

/*
 * Stop the kernel: print the reason, the registers and a backtrace, tell
 * ktest (a running case is reported as failed), then power off with a
 * failure status.
 */
void __noreturn panic(const char *fmt, ...) __printf(1, 2) __cold;

/* As panic(), with the registers of an exception (arch trap handlers). */
void __noreturn panic_regs(const struct arch_regs *regs, const char *fmt, ...)
	__printf(2, 3) __cold;

/* Print a frame-pointer backtrace starting at (pc, fp). */
void backtrace_print(unsigned long pc, unsigned long fp);

#define BUG()		panic("BUG at %s:%d (%s)", __FILE__, __LINE__, __func__)
#define BUG_ON(cond)	do { if (unlikely(cond)) panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); } while (0)
#define assert(cond)	do { if (unlikely(!(cond))) panic("assertion \"%s\" failed at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif /* _KERN_PANIC_H */

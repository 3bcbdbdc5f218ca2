// SPDX-License-Identifier: MIT
/*
 * The external definition of <mach/mach_traps.h>'s inline trap call, for
 * a caller that takes its address or is not optimized (C99: the extern
 * declaration in a file that has the inline definition makes this one).
 * mach_msg_trap's external definition is its stub in traps.S.
 */
#include <mach/mach_traps.h>

extern long mach_trap_inline(long nr, unsigned long a0, unsigned long a1, unsigned long a2,
			     unsigned long a3, unsigned long a4, unsigned long a5);

/* SPDX-License-Identifier: MIT */
/* time_value_t: seconds and microseconds, as Mach's info structures give times. */
#ifndef _MACH_TIME_VALUE_H
#define _MACH_TIME_VALUE_H

#include <mach/machine/vm_types.h>

typedef struct time_value {
	integer_t	seconds;
	integer_t	microseconds;
} time_value_t;

#define TIME_MICROS_MAX		1000000

#endif /* _MACH_TIME_VALUE_H */

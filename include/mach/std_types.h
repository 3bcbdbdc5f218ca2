/* SPDX-License-Identifier: MIT */
/* The types every interface uses (<mach/std_types.defs> names them). */
#ifndef _MACH_STD_TYPES_H
#define _MACH_STD_TYPES_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/machine/vm_types.h>
#include <mach/port.h>

typedef char		*pointer_t;	/* out-of-line data, by address */

#endif /* _MACH_STD_TYPES_H */

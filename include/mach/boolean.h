/* SPDX-License-Identifier: MIT */
/* boolean_t: Mach's truth value, an int on the wire. */
#ifndef _MACH_BOOLEAN_H
#define _MACH_BOOLEAN_H

typedef int boolean_t;

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

#endif /* _MACH_BOOLEAN_H */

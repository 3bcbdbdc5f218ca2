/* SPDX-License-Identifier: MIT */
/*
 * Thread state, as thread_get_state()/thread_set_state() and the state
 * exceptions carry it: a flavor and an array of natural_t whose layout
 * the flavor gives. The flavors are machine-dependent
 * (<mach/machine/thread_status.h>); THREAD_STATE_FLAVOR_LIST is the one
 * flavor every machine has: the list of the others.
 */
#ifndef _MACH_THREAD_STATUS_H
#define _MACH_THREAD_STATUS_H

#include <mach/machine/vm_types.h>
#include <mach/machine/thread_status.h>

typedef natural_t	*thread_state_t;
typedef int		thread_state_flavor_t;
typedef thread_state_flavor_t	*thread_state_flavor_array_t;

/*
 * The largest state of any flavor on any board, in natural_t: the bound
 * of thread_state_t in <mach/mach_types.defs>, which must say the same.
 */
#define THREAD_STATE_MAX	144

#define THREAD_STATE_FLAVOR_LIST	0	/* an array of thread_state_flavor_t */

#endif /* _MACH_THREAD_STATUS_H */

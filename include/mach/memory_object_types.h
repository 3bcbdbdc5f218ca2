/* SPDX-License-Identifier: MIT */
/*
 * The external memory management protocol's types (memory_object.defs,
 * memory_object_default.defs and the control routines of mach.defs),
 * with Mach's values.
 *
 * A memory object is a port whose receiver (the pager) supplies the
 * object's pages; the kernel talks to it through a control port, one per
 * mapping of the object into a kernel, and names it to vm_region()
 * callers by a name port.
 */
#ifndef _MACH_MEMORY_OBJECT_TYPES_H
#define _MACH_MEMORY_OBJECT_TYPES_H

#include <mach/machine/vm_types.h>
#include <mach/port.h>
#include <mach/vm_prot.h>

/* How the kernel copies an object's data (memory_object_ready()). */
typedef int	memory_object_copy_strategy_t;
#define MEMORY_OBJECT_COPY_NONE		0	/* copy at once, eagerly */
#define MEMORY_OBJECT_COPY_CALL		1	/* ask the pager (memory_object_copy) */
#define MEMORY_OBJECT_COPY_DELAY	2	/* copy-on-write, the pager not told */
#define MEMORY_OBJECT_COPY_TEMPORARY	3	/* like DELAY, and the object is temporary */
#define MEMORY_OBJECT_COPY_SYMMETRIC	4	/* both copies share until written */
#define MEMORY_OBJECT_COPY_INVALID	5

/* Which pages memory_object_lock_request() sends back to the pager. */
typedef int	memory_object_return_t;
#define MEMORY_OBJECT_RETURN_NONE	0	/* none */
#define MEMORY_OBJECT_RETURN_DIRTY	1	/* the modified ones */
#define MEMORY_OBJECT_RETURN_ALL	2	/* modified and precious ones */
#define MEMORY_OBJECT_RETURN_ANYTHING	3	/* every resident one */

/* lock_value: leave the page's lock as it is. */
#ifndef VM_PROT_NO_CHANGE
#define VM_PROT_NO_CHANGE	((vm_prot_t)0x08)
#endif

/* The largest data one memory_object_data_supply() may carry, in bytes. */
#define MEMORY_OBJECT_DATA_MAX	(64U * 1024 * 1024)

#endif /* _MACH_MEMORY_OBJECT_TYPES_H */

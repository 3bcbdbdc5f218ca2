/* SPDX-License-Identifier: MIT */
/*
 * VM statistics, as vm_statistics() and host_statistics(HOST_VM_INFO)
 * return them. Counts are in pages of `pagesize` bytes; the layout is
 * Mach 3's (the page size first), every field an integer_t so that the
 * structure travels as an array of them.
 */
#ifndef _MACH_VM_STATISTICS_H
#define _MACH_VM_STATISTICS_H

#include <mach/machine/vm_types.h>

struct vm_statistics {
	integer_t	pagesize;	/* bytes in a page */
	integer_t	free_count;	/* pages free */
	integer_t	active_count;	/* pages in use, recently touched */
	integer_t	inactive_count;	/* pages in use, candidates for pageout */
	integer_t	wire_count;	/* pages wired down */
	integer_t	zero_fill_count; /* demand-zero faults */
	integer_t	reactivations;	/* inactive pages touched again */
	integer_t	pageins;
	integer_t	pageouts;
	integer_t	faults;
	integer_t	cow_faults;	/* copy-on-write faults */
	integer_t	lookups;	/* object cache lookups */
	integer_t	hits;		/* ... and hits */
};

typedef struct vm_statistics	*vm_statistics_t;
typedef struct vm_statistics	vm_statistics_data_t;

/* In integer_t units; mach_types.defs sends it as struct[13] of integer_t. */
#define VM_STATISTICS_COUNT \
	((natural_t)(sizeof(vm_statistics_data_t) / sizeof(integer_t)))

#endif /* _MACH_VM_STATISTICS_H */

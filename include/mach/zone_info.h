/* SPDX-License-Identifier: MIT */
/*
 * mach_zone_info(): one name and one set of figures per kernel zone, in
 * XNU's layout (<mach_debug/zone_info.h> there).
 *
 * What the fields hold in MachLine (kernel/mig/mach_host_routines.c):
 *   mzi_count		elements in use
 *   mzi_cur_size	bytes of memory the zone holds (its chunks)
 *   mzi_max_size	the most bytes of elements it may hand out
 *			(its element limit times mzi_elem_size); 0: no limit
 *   mzi_elem_size	bytes an element takes (rounded, red zones included)
 *   mzi_alloc_size	bytes of a chunk: what the zone grows by
 *   mzi_sum_size	0: the kernel does not count allocations over a
 *			zone's life
 *   mzi_exhaustible	1: zalloc() returns NULL at the limit, never waits
 *   mzi_collectable	1 if zone_gc() gives its empty chunks back
 * So a zone's free elements are
 *   (mzi_cur_size / mzi_alloc_size) * (mzi_alloc_size / mzi_elem_size) - mzi_count
 * (chunks times elements per chunk, less those in use).
 */
#ifndef _MACH_ZONE_INFO_H
#define _MACH_ZONE_INFO_H

#include <mach/machine/vm_types.h>

#define ZONE_NAME_MAX_LEN	80

typedef struct mach_zone_name {
	char		mzn_name[ZONE_NAME_MAX_LEN];
} mach_zone_name_t;

typedef mach_zone_name_t	*mach_zone_name_array_t;

typedef struct mach_zone_info_data {
	uint64_t	mzi_count;
	uint64_t	mzi_cur_size;
	uint64_t	mzi_max_size;
	uint64_t	mzi_elem_size;
	uint64_t	mzi_alloc_size;
	uint64_t	mzi_sum_size;
	uint64_t	mzi_exhaustible;
	uint64_t	mzi_collectable;
} mach_zone_info_t;

typedef mach_zone_info_t	*mach_zone_info_array_t;

#endif /* _MACH_ZONE_INFO_H */

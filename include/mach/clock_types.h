/* SPDX-License-Identifier: MIT */
/* mach_timespec_t: a relative time, as semaphore_timedwait() takes it (Mach's layout). */
#ifndef _MACH_CLOCK_TYPES_H
#define _MACH_CLOCK_TYPES_H

struct mach_timespec {
	unsigned int	tv_sec;
	int		tv_nsec;	/* 0 .. NSEC_PER_SEC - 1 */
};

typedef struct mach_timespec	mach_timespec_t;

#endif /* _MACH_CLOCK_TYPES_H */

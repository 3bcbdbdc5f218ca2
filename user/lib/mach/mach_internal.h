/* SPDX-License-Identifier: MIT */
/* libmach's own: what its files call in each other. */
#ifndef _LIBMACH_INTERNAL_H
#define _LIBMACH_INTERNAL_H

#include <mach/message.h>

/* Give the first thread its MIG reply port slot (mig_support.c). */
void mig_main_thread_init(void);

#endif /* _LIBMACH_INTERNAL_H */

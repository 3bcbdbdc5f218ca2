/* SPDX-License-Identifier: MIT */
/* libmach's own: what its files call in each other. */
#ifndef _LIBMACH_INTERNAL_H
#define _LIBMACH_INTERNAL_H

#include <mach/message.h>

/* Give the first thread its MIG reply port slot (mig_support.c). */
void mig_main_thread_init(void);
/*
 * A message a send gave back (pseudo-receive) to be sent again: its
 * out-of-line regions are fresh ones of ours and go with it (msg_destroy.c).
 */
void mach_msg_returned_resend(mach_msg_header_t *msg);

#endif /* _LIBMACH_INTERNAL_H */

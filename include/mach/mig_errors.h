/* SPDX-License-Identifier: MIT */
/*
 * MIG's own return codes (as in Mach's <mach/mig_errors.h>) and the reply a
 * server sends when a routine fails or the request is refused.
 */
#ifndef _MACH_MIG_ERRORS_H
#define _MACH_MIG_ERRORS_H

#include <mach/kern_return.h>
#include <mach/message.h>

#define MIG_TYPE_ERROR		-300	/* a reply's type or size is wrong */
#define MIG_REPLY_MISMATCH	-301	/* the reply's id is not the request's + 100 */
#define MIG_REMOTE_ERROR	-302	/* the server found an error in the request */
#define MIG_BAD_ID		-303	/* no routine has this msgh_id */
#define MIG_BAD_ARGUMENTS	-304	/* a malformed request */
#define MIG_NO_REPLY		-305	/* the routine answers later, or never */
#define MIG_EXCEPTION		-306
#define MIG_ARRAY_TOO_LARGE	-307	/* an out array did not fit the caller's */
#define MIG_SERVER_DIED		-308	/* the server's port died */
#define MIG_TRAILER_ERROR	-309

/* The reply of a failed routine: header and return code, nothing else. */
typedef struct {
	mach_msg_header_t	Head;
	kern_return_t		RetCode;
} mig_reply_error_t;

#endif /* _MACH_MIG_ERRORS_H */

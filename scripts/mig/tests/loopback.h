/* SPDX-License-Identifier: MIT */
/*
 * A loopback mach_msg() for host tests of MIG-generated code: a request is
 * handed, as the kernel would deliver it (header swapped, dispositions
 * turned into the names a receiver sees, out-of-line memory copied, a
 * trailer appended), to the demultiplexer of the registered subsystem
 * whose ids it falls in, and the reply comes back the same way.
 */
#ifndef MIG_TEST_LOOPBACK_H
#define MIG_TEST_LOOPBACK_H

#include <mach/mig.h>

void loopback_register(const struct mig_subsystem *s);

/* Called on the delivered request / reply before its receiver sees it:
 * tests corrupt messages here. A request hook may change msgh_size (the
 * receiver then gets exactly that many bytes, and a trailer). */
extern void (*loopback_request_hook)(mach_msg_header_t *msg);
extern void (*loopback_reply_hook)(mach_msg_header_t *msg);

/* What the last call saw. */
extern mach_msg_option_t loopback_last_option;
extern mach_msg_timeout_t loopback_last_timeout;
extern kern_return_t loopback_last_retcode;	/* the server's RetCode */
extern boolean_t loopback_last_demux;		/* what <sub>_server returned */
extern mach_port_seqno_t loopback_seqno;

#define LOOPBACK_REPLY_PORT	((mach_port_t)0x7770)
/* The name a pseudo-receive gives the reply right (a send-once right's own). */
#define LOOPBACK_PSEUDO_REPLY	((mach_port_t)0x7771)

/*
 * The runtime's mach_msg_destroy() and mach_msg_destroy_reply(): the
 * rights (received forms) and out-of-line regions they were given, and
 * the last name mig_dealloc_reply_port() was given. With
 * loopback_send_timeout set, the next send with MACH_SEND_TIMEOUT fails
 * MACH_SEND_TIMED_OUT and the request comes back as a kernel gives it
 * back (pseudo-receive: rights in received forms, OOL memory copied).
 */
void mach_msg_destroy(mach_msg_header_t *msg);
void mach_msg_destroy_reply(mach_msg_header_t *msg);
extern unsigned int loopback_destroyed_rights, loopback_destroyed_ool;
extern mach_port_t loopback_dealloc_arg;
extern int loopback_send_timeout;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Kernel notifications: their message ids (notify.defs, subsystem 64,
 * Mach's numbers) and the messages a receiver gets. The kernel sends
 * each to the send-once right registered with mach_port_request_notification()
 * (or given with the right, for send-once notifications); the ids
 * MachLine does not send stay reserved.
 *
 * The structures are the messages as received in user space: the layout
 * notify.defs gives (header, then a body and descriptor if the message
 * carries a right, then the untyped data), followed by room for the
 * largest trailer (the sender's security token), as in Mach: the kernel
 * fills as much of it as the receive asked for.
 */
#ifndef _MACH_NOTIFY_H
#define _MACH_NOTIFY_H

#include <mach/message.h>
#include <mach/port.h>

#define MACH_NOTIFY_FIRST		0100	/* 64: the subsystem's base */
/* A send or send-once right's port was destroyed: the name is gone. */
#define MACH_NOTIFY_PORT_DELETED	(MACH_NOTIFY_FIRST + 001)
#define MACH_NOTIFY_MSG_ACCEPTED	(MACH_NOTIFY_FIRST + 002)	/* reserved */
#define MACH_NOTIFY_OWNERSHIP_RIGHTS	(MACH_NOTIFY_FIRST + 003)	/* reserved (Mach 2.5) */
#define MACH_NOTIFY_RECEIVE_RIGHTS	(MACH_NOTIFY_FIRST + 004)	/* reserved (Mach 2.5) */
/* A receive right comes back instead of being destroyed. */
#define MACH_NOTIFY_PORT_DESTROYED	(MACH_NOTIFY_FIRST + 005)
/* The port's last send right went away. */
#define MACH_NOTIFY_NO_SENDERS		(MACH_NOTIFY_FIRST + 006)
/* A send-once right was destroyed unused. */
#define MACH_NOTIFY_SEND_ONCE		(MACH_NOTIFY_FIRST + 007)
/* A right's port died: the name is a dead name now. */
#define MACH_NOTIFY_DEAD_NAME		(MACH_NOTIFY_FIRST + 010)
#define MACH_NOTIFY_LAST		(MACH_NOTIFY_FIRST + 015)

typedef struct {
	mach_msg_header_t	not_header;
	mach_port_name_t	not_port;	/* the name that lost its port */
	mach_msg_format_0_trailer_t	trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_body_t			not_body;
	mach_msg_port_descriptor_t	not_port;	/* the receive right */
	mach_msg_format_0_trailer_t	trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	mach_port_mscount_t	not_count;	/* the make-send count at the time */
	mach_msg_format_0_trailer_t	trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	mach_msg_format_0_trailer_t	trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t	not_header;
	mach_port_name_t	not_port;	/* the name now dead */
	mach_msg_format_0_trailer_t	trailer;
} mach_dead_name_notification_t;

#endif /* _MACH_NOTIFY_H */

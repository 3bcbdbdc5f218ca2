/* SPDX-License-Identifier: MIT */
/*
 * Kernel notifications (notify.defs, <mach/notify.h>).
 *
 * The rights layer calls these with nothing locked, each consuming the
 * send-once right `notify` it is given (and, for port-destroyed, the
 * receive right of `port`, which is in LIMBO). Part 2 (mach_msg) makes
 * each a message sent through that right. Until then they are recorded:
 * each call appends a record that holds the rights the message would
 * carry, and the tests take the records (ipc_notify_log_take()) and
 * release them (ipc_notify_record_release(): the send-once right is used
 * up, a carried receive right is destroyed as a message destroyed unread
 * would destroy it). The per-kind counters count every notification ever
 * generated.
 */
#ifndef _IPC_IPC_NOTIFY_H
#define _IPC_IPC_NOTIFY_H

#include <ipc/ipc_object.h>
#include <mach/notify.h>

void ipc_notify_port_deleted(ipc_port_t notify, mach_port_name_t name);
void ipc_notify_port_destroyed(ipc_port_t notify, ipc_port_t port);
void ipc_notify_no_senders(ipc_port_t notify, mach_port_mscount_t mscount);
/* A send-once right destroyed unused: a message to its own port. */
void ipc_notify_send_once(ipc_port_t port);
void ipc_notify_dead_name(ipc_port_t notify, mach_port_name_t name);

enum ipc_notify_kind {
	IPC_NOTIFY_PORT_DELETED,
	IPC_NOTIFY_PORT_DESTROYED,
	IPC_NOTIFY_NO_SENDERS,
	IPC_NOTIFY_SEND_ONCE,
	IPC_NOTIFY_DEAD_NAME,
	IPC_NOTIFY_NR_KINDS,
	IPC_NOTIFY_ANY = IPC_NOTIFY_NR_KINDS,
};

/* What one notification message would carry. */
struct ipc_notify_record {
	struct ipc_notify_record *next;
	enum ipc_notify_kind	kind;
	ipc_port_t		notify;	/* the destination: a send-once right */
	mach_port_name_t	name;	/* port-deleted, dead-name */
	mach_port_mscount_t	mscount;	/* no-senders */
	ipc_port_t		port;	/* port-destroyed: the receive right */
};

/*
 * Take the oldest record of `kind` (or IPC_NOTIFY_ANY) addressed to `dest`
 * (or any destination if NULL) into *rec; false if there is none. The
 * rights it holds are the caller's: ipc_notify_record_release(rec).
 */
bool ipc_notify_log_take(enum ipc_notify_kind kind, ipc_port_t dest,
			 struct ipc_notify_record *rec);
void ipc_notify_record_release(struct ipc_notify_record *rec);

/* Release every record (repeatedly: a release may notify again). Returns how many. */
unsigned long ipc_notify_log_drain(void);

/* Notifications generated since boot, per kind. */
unsigned long ipc_notify_count(enum ipc_notify_kind kind);

#endif /* _IPC_IPC_NOTIFY_H */

/* SPDX-License-Identifier: MIT */
/*
 * Kernel notifications (notify.defs, <mach/notify.h>).
 *
 * The rights layer calls these with nothing locked, each consuming the
 * send-once right `notify` it is given (and, for port-destroyed, the
 * receive right of `port`, which is in LIMBO). Each becomes a message in
 * the notify.defs format (the layouts of <mach/notify.h> without the
 * trailer), sent through that send-once right: the right is the
 * message's destination, used up when it is delivered. A port-destroyed
 * notification carries the receive right in a port descriptor.
 *
 * Kernel sends never wait: notifications go past the queue limit (send-once
 * destinations always do). A notification that cannot be delivered (its
 * port died, or no memory for it) is destroyed: its send-once right is
 * dropped without a send-once notification of its own, a receive right
 * it carried is destroyed. A notification to a kernel port (a kernel
 * object's own no-senders request) reaches ipc_kobject_server() like any
 * message.
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
};

/* Notifications generated since boot, per kind (sent or not). */
unsigned long ipc_notify_count(enum ipc_notify_kind kind);
/* Of those, the ones that could not be delivered (dead port, no memory). */
unsigned long ipc_notify_lost_count(void);

#endif /* _IPC_IPC_NOTIFY_H */

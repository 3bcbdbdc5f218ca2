// SPDX-License-Identifier: MIT
/*
 * Kernel notifications as messages (ipc_notify.h): each is built here in
 * the notify.defs format, with the kernel's rights as dispositions
 * (MOVE_SEND_ONCE for the destination, MOVE_RECEIVE for a port-destroyed
 * notification's right), turned into kernel form and sent.
 */
#include <kern/string.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>

static unsigned long ipc_notify_counts[IPC_NOTIFY_NR_KINDS];
static unsigned long ipc_notify_lost;

/* The message sizes: <mach/notify.h>'s layouts up to their trailer. */
#define IPC_NOTIFY_SIZE(type)	((mach_msg_size_t)offsetof(type, trailer))

/*
 * A notification of `id` and `size` bytes to the send-once right
 * `notify`, header filled, body zeroed; NULL without memory.
 */
static ipc_kmsg_t ipc_notify_kmsg(ipc_port_t notify, mach_msg_id_t id, mach_msg_size_t size)
{
	ipc_kmsg_t kmsg = ipc_kmsg_alloc(size);
	mach_msg_header_t *h;

	if (!kmsg)
		return IKM_NULL;
	h = kmsg->ikm_header;
	memset(h, 0, size);
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	h->msgh_size = size;
	h->msgh_remote_port = (mach_port_t)notify;
	h->msgh_local_port = MACH_PORT_NULL;
	h->msgh_id = id;
	return kmsg;
}

static void ipc_notify_lose(void)
{
	__atomic_add_fetch(&ipc_notify_lost, 1, __ATOMIC_RELAXED);
}

/* Into kernel form and on its way; destroyed if it cannot be delivered. */
static void ipc_notify_send(ipc_kmsg_t kmsg)
{
	ipc_kmsg_copyin_from_kernel(kmsg);
	if (ipc_kmsg_send(kmsg, MACH_SEND_ALWAYS, MACH_MSG_TIMEOUT_NONE) != MACH_MSG_SUCCESS) {
		ipc_notify_lose();
		ipc_kobject_kmsg_discard(kmsg);
	}
}

static void ipc_notify_counted(enum ipc_notify_kind kind)
{
	__atomic_add_fetch(&ipc_notify_counts[kind], 1, __ATOMIC_RELAXED);
}

/* port-deleted and dead-name: the header and a name. */
static void ipc_notify_name(enum ipc_notify_kind kind, mach_msg_id_t id, ipc_port_t notify,
			    mach_port_name_t name)
{
	mach_dead_name_notification_t *n;
	ipc_kmsg_t kmsg;

	if (!IP_VALID(notify))
		return;
	ipc_notify_counted(kind);
	kmsg = ipc_notify_kmsg(notify, id, IPC_NOTIFY_SIZE(mach_dead_name_notification_t));
	if (!kmsg) {
		ipc_notify_lose();
		ipc_port_release_sonce(notify);
		return;
	}
	n = (void *)kmsg->ikm_header;
	n->not_port = name;
	ipc_notify_send(kmsg);
}

void ipc_notify_port_deleted(ipc_port_t notify, mach_port_name_t name)
{
	_Static_assert(IPC_NOTIFY_SIZE(mach_port_deleted_notification_t) ==
		       IPC_NOTIFY_SIZE(mach_dead_name_notification_t), "one layout");
	ipc_notify_name(IPC_NOTIFY_PORT_DELETED, MACH_NOTIFY_PORT_DELETED, notify, name);
}

void ipc_notify_dead_name(ipc_port_t notify, mach_port_name_t name)
{
	ipc_notify_name(IPC_NOTIFY_DEAD_NAME, MACH_NOTIFY_DEAD_NAME, notify, name);
}

void ipc_notify_port_destroyed(ipc_port_t notify, ipc_port_t port)
{
	mach_port_destroyed_notification_t *n;
	ipc_kmsg_t kmsg;

	ipc_notify_counted(IPC_NOTIFY_PORT_DESTROYED);
	kmsg = IP_VALID(notify) ? ipc_notify_kmsg(notify, MACH_NOTIFY_PORT_DESTROYED,
						  IPC_NOTIFY_SIZE(mach_port_destroyed_notification_t))
				: IKM_NULL;
	if (!kmsg) {
		/* The right has nowhere to go: it is destroyed (its request is gone). */
		ipc_notify_lose();
		if (IP_VALID(notify))
			ipc_port_release_sonce(notify);
		ipc_port_release_receive(port);
		return;
	}
	n = (void *)kmsg->ikm_header;
	n->not_header.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	n->not_body.msgh_descriptor_count = 1;
	n->not_port.name = (mach_port_t)port;
	n->not_port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	n->not_port.type = MACH_MSG_PORT_DESCRIPTOR;
	ipc_notify_send(kmsg);
}

void ipc_notify_no_senders(ipc_port_t notify, mach_port_mscount_t mscount)
{
	mach_no_senders_notification_t *n;
	ipc_kmsg_t kmsg;

	if (!IP_VALID(notify))
		return;
	ipc_notify_counted(IPC_NOTIFY_NO_SENDERS);
	kmsg = ipc_notify_kmsg(notify, MACH_NOTIFY_NO_SENDERS,
			       IPC_NOTIFY_SIZE(mach_no_senders_notification_t));
	if (!kmsg) {
		ipc_notify_lose();
		ipc_port_release_sonce(notify);
		return;
	}
	n = (void *)kmsg->ikm_header;
	n->not_count = mscount;
	ipc_notify_send(kmsg);
}

void ipc_notify_send_once(ipc_port_t port)
{
	ipc_kmsg_t kmsg;

	if (!IP_VALID(port))
		return;
	ipc_notify_counted(IPC_NOTIFY_SEND_ONCE);
	kmsg = ipc_notify_kmsg(port, MACH_NOTIFY_SEND_ONCE,
			       IPC_NOTIFY_SIZE(mach_send_once_notification_t));
	if (!kmsg) {
		ipc_notify_lose();
		ipc_port_release_sonce(port);
		return;
	}
	ipc_notify_send(kmsg);
}

unsigned long ipc_notify_count(enum ipc_notify_kind kind)
{
	return __atomic_load_n(&ipc_notify_counts[kind], __ATOMIC_RELAXED);
}

unsigned long ipc_notify_lost_count(void)
{
	return __atomic_load_n(&ipc_notify_lost, __ATOMIC_RELAXED);
}

// SPDX-License-Identifier: MIT
/*
 * Kernel notifications, recorded until mach_msg can send them
 * (ipc_notify.h). Part 2 replaces the bodies of the ipc_notify_*()
 * functions with messages built in the notify.defs format and sent
 * through the send-once right each consumes; the callers do not change.
 */
#include <kern/zalloc.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>

static spinlock_t ipc_notify_lock = SPINLOCK_INIT;	/* a leaf */
static struct ipc_notify_record *ipc_notify_head, **ipc_notify_tail = &ipc_notify_head;
static unsigned long ipc_notify_counts[IPC_NOTIFY_NR_KINDS];

/* A message would have been built but memory ran out: its rights go. */
static void ipc_notify_lost(struct ipc_notify_record *rec)
{
	ipc_notify_record_release(rec);
}

static void ipc_notify_record(enum ipc_notify_kind kind, ipc_port_t notify,
			      mach_port_name_t name, mach_port_mscount_t mscount,
			      ipc_port_t port)
{
	struct ipc_notify_record *rec, tmp;

	__atomic_add_fetch(&ipc_notify_counts[kind], 1, __ATOMIC_RELAXED);
	rec = zalloc(ipc_notify_zone);
	if (!rec) {
		tmp = (struct ipc_notify_record){ .kind = kind, .notify = notify,
						  .name = name, .mscount = mscount,
						  .port = port };
		ipc_notify_lost(&tmp);
		return;
	}
	rec->next = NULL;
	rec->kind = kind;
	rec->notify = notify;
	rec->name = name;
	rec->mscount = mscount;
	rec->port = port;
	spin_lock(&ipc_notify_lock);
	*ipc_notify_tail = rec;
	ipc_notify_tail = &rec->next;
	spin_unlock(&ipc_notify_lock);
	ipc_stat_add(IPC_STAT_NOTIFY_PENDING, 1);
}

void ipc_notify_port_deleted(ipc_port_t notify, mach_port_name_t name)
{
	if (IP_VALID(notify))
		ipc_notify_record(IPC_NOTIFY_PORT_DELETED, notify, name, 0, IP_NULL);
}

void ipc_notify_port_destroyed(ipc_port_t notify, ipc_port_t port)
{
	ipc_notify_record(IPC_NOTIFY_PORT_DESTROYED, notify, MACH_PORT_NAME_NULL, 0, port);
}

void ipc_notify_no_senders(ipc_port_t notify, mach_port_mscount_t mscount)
{
	if (IP_VALID(notify))
		ipc_notify_record(IPC_NOTIFY_NO_SENDERS, notify, MACH_PORT_NAME_NULL, mscount,
				  IP_NULL);
}

void ipc_notify_send_once(ipc_port_t port)
{
	if (IP_VALID(port))
		ipc_notify_record(IPC_NOTIFY_SEND_ONCE, port, MACH_PORT_NAME_NULL, 0, IP_NULL);
}

void ipc_notify_dead_name(ipc_port_t notify, mach_port_name_t name)
{
	if (IP_VALID(notify))
		ipc_notify_record(IPC_NOTIFY_DEAD_NAME, notify, name, 0, IP_NULL);
}

bool ipc_notify_log_take(enum ipc_notify_kind kind, ipc_port_t dest,
			 struct ipc_notify_record *out)
{
	struct ipc_notify_record **link, *rec;

	spin_lock(&ipc_notify_lock);
	for (link = &ipc_notify_head; (rec = *link) != NULL; link = &rec->next) {
		if ((kind == IPC_NOTIFY_ANY || rec->kind == kind) &&
		    (dest == IP_NULL || rec->notify == dest))
			break;
	}
	if (rec) {
		*link = rec->next;
		if (ipc_notify_tail == &rec->next)
			ipc_notify_tail = link;
	}
	spin_unlock(&ipc_notify_lock);
	if (!rec)
		return false;
	*out = *rec;
	out->next = NULL;
	zfree(ipc_notify_zone, rec);
	ipc_stat_add(IPC_STAT_NOTIFY_PENDING, -1);
	return true;
}

/*
 * The message is consumed: its send-once right was used up delivering
 * it; a receive right it carried is destroyed, as when a message is
 * destroyed unread (which may notify again).
 */
void ipc_notify_record_release(struct ipc_notify_record *rec)
{
	if (rec->port)
		ipc_port_release_receive(rec->port);
	if (rec->kind == IPC_NOTIFY_PORT_DESTROYED && !IP_VALID(rec->notify))
		return;
	ipc_port_release_sonce(rec->notify);
	rec->port = IP_NULL;
	rec->notify = IP_NULL;
}

unsigned long ipc_notify_log_drain(void)
{
	struct ipc_notify_record rec;
	unsigned long n = 0;

	while (ipc_notify_log_take(IPC_NOTIFY_ANY, IP_NULL, &rec)) {
		ipc_notify_record_release(&rec);
		n++;
	}
	return n;
}

unsigned long ipc_notify_count(enum ipc_notify_kind kind)
{
	return __atomic_load_n(&ipc_notify_counts[kind], __ATOMIC_RELAXED);
}

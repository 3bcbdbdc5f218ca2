// SPDX-License-Identifier: MIT
/*
 * The name server (user/include/servers/ns.defs), served by the bootstrap
 * task: a table of name -> send right. It receives on two ports, in one
 * port set: ns_priv_port, the TASK_BOOTSTRAP_PORT of the servers the
 * bootstrap starts privileged (servers.c), and ns_port, everyone else's
 * (what ns_exec starts). The port a request came in on says who asks:
 * a privileged entry (the kernel's privileged host and device master
 * ports) is looked up and unregistered through ns_priv_port only;
 * through ns_port it answers KERN_NO_ACCESS. A registered port's death
 * comes back as a dead-name notification to ns_port itself, and its
 * entries go. ns_exec starts a program of the bootstrap's copy of the
 * RAM disk (exec.c), unprivileged.
 */
#include <stdio.h>
#include <string.h>
#include <nsServer.h>
#include <mach/notify.h>
#include <notifyServer.h>
#include "bootstrap.h"

#define NS_ENTRIES	64

struct ns_entry {
	char		name[NS_NAME_MAX];
	mach_port_t	port;		/* MACH_PORT_NULL: a free entry */
	bool		priv;		/* for requests on ns_priv_port only */
};

static struct ns_entry ns_table[NS_ENTRIES];
static mach_port_t ns_port, ns_priv_port, ns_set;

/* Did the request come in on the privileged port? */
static bool ns_privileged(mach_port_t server)
{
	return server == ns_priv_port;
}

static struct ns_entry *ns_find(const char *name)
{
	int i;

	for (i = 0; i < NS_ENTRIES; i++)
		if (ns_table[i].port != MACH_PORT_NULL && !strcmp(ns_table[i].name, name))
			return &ns_table[i];
	return NULL;
}

/* Add name -> port (priv: for privileged tasks only); the send right is ours from now on. */
kern_return_t ns_add(const char *name, mach_port_t port, bool priv)
{
	mach_port_t prev;
	int i;

	if (!name[0] || strlen(name) >= NS_NAME_MAX || port == MACH_PORT_NULL)
		return KERN_INVALID_NAME;
	if (ns_find(name))
		return KERN_NAME_EXISTS;
	for (i = 0; i < NS_ENTRIES && ns_table[i].port != MACH_PORT_NULL; i++)
		;
	if (i == NS_ENTRIES)
		return KERN_RESOURCE_SHORTAGE;
	strlcpy(ns_table[i].name, name, NS_NAME_MAX);
	ns_table[i].port = port;
	ns_table[i].priv = priv;
	/* Tell us when the receiver goes (kernel ports never do). */
	if (mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_DEAD_NAME, 0,
					   ns_port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					   &prev) == KERN_SUCCESS &&
	    prev != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), prev);
	return KERN_SUCCESS;
}

kern_return_t ns_register(mach_port_t server, ns_name_t name, mach_port_t port)
{
	/*
	 * What a task registers is for everyone; the kernel's ports are
	 * ns_add()ed by us. Refused, the port's right goes with the request
	 * (ns_serve() destroys it, as MIG servers do).
	 */
	(void)server;
	return ns_add(name, port, false);
}

kern_return_t ns_look_up(mach_port_t server, ns_name_t name, mach_port_t *port)
{
	struct ns_entry *e = ns_find(name);

	if (!e)
		return KERN_INVALID_NAME;
	if (e->priv && !ns_privileged(server))
		return KERN_NO_ACCESS;
	*port = e->port;	/* copied: the table keeps its right */
	return KERN_SUCCESS;
}

/* Our right to the entry's port (not a copy), or MACH_PORT_NULL. */
mach_port_t ns_port_of(const char *name)
{
	struct ns_entry *e = ns_find(name);

	return e ? e->port : MACH_PORT_NULL;
}

static void ns_drop(struct ns_entry *e)
{
	mach_port_deallocate(mach_task_self(), e->port);
	e->port = MACH_PORT_NULL;
	e->name[0] = '\0';
	e->priv = false;
}

kern_return_t ns_unregister(mach_port_t server, ns_name_t name)
{
	struct ns_entry *e = ns_find(name);

	if (!e)
		return KERN_INVALID_NAME;
	if (e->priv && !ns_privileged(server))
		return KERN_NO_ACCESS;
	ns_drop(e);
	return KERN_SUCCESS;
}

/* Whoever asks, the program runs unprivileged. */
kern_return_t ns_exec(mach_port_t server, ns_name_t path, ns_args_t args, mach_port_t *task)
{
	(void)server;
	return bootstrap_exec(path, args, false, task);
}

/* The receiver of a registered port died: its entries go. */
kern_return_t do_mach_notify_dead_name(mach_port_t notify, mach_port_name_t name)
{
	int i;

	(void)notify;
	for (i = 0; i < NS_ENTRIES; i++)
		if (ns_table[i].port == name) {
			printf("ns: \"%s\" died\n", ns_table[i].name);
			ns_drop(&ns_table[i]);
		}
	/* The notification's own reference to the dead name. */
	mach_port_deallocate(mach_task_self(), name);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_port_deleted(mach_port_t notify, mach_port_name_t name)
{
	(void)notify;
	(void)name;
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	(void)notify;
	mach_port_mod_refs(mach_task_self(), rights, MACH_PORT_RIGHT_RECEIVE, -1);
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_no_senders(mach_port_t notify, mach_port_mscount_t mscount)
{
	(void)notify;
	(void)mscount;
	return KERN_SUCCESS;
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	(void)notify;
	return KERN_SUCCESS;
}

/* A receive right in the set, with a send right under its name. */
static kern_return_t ns_port_make(mach_port_t *port)
{
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), *port, *port,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), *port, ns_set);
	return kr;
}

/* The name server's ports, with send rights for the tasks we start. */
kern_return_t ns_init(void)
{
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ns_set);
	if (kr == KERN_SUCCESS)
		kr = ns_port_make(&ns_port);
	if (kr == KERN_SUCCESS)
		kr = ns_port_make(&ns_priv_port);
	if (kr != KERN_SUCCESS)
		printf("ns: no port: %#x\n", kr);
	return kr;
}

mach_port_t ns_bootstrap_port(bool privileged)
{
	return privileged ? ns_priv_port : ns_port;
}

/* Serve requests and notifications for good. */
void ns_serve(void)
{
	union {
		mach_msg_header_t head;
		char buf[2048];
	} in, out;
	mig_reply_error_t *rep = (mig_reply_error_t *)&out.head;
	mach_msg_return_t mr;

	for (;;) {
		mr = mach_msg(&in.head, MACH_RCV_MSG, 0, sizeof(in), ns_set,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS) {
			printf("ns: receive: %#x\n", mr);
			continue;
		}
		/*
		 * A request of another interface (a program taking this port for
		 * something else, e.g. a device master) is answered MIG_BAD_ID,
		 * as the demultiplexer wrote it, rather than left waiting.
		 */
		if (!notify_server(&in.head, &out.head))
			ns_server(&in.head, &out.head);
		/*
		 * The body of a request no routine took (another interface's,
		 * a malformed one, a refused ns_register's port) goes, its
		 * rights and memory, as a MIG server loop destroys it; its
		 * reply right goes with the reply.
		 */
		if (!(out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    rep->RetCode != KERN_SUCCESS && rep->RetCode != MIG_NO_REPLY) {
			in.head.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&in.head);
		}
		if (rep->RetCode == MIG_NO_REPLY || out.head.msgh_remote_port == MACH_PORT_NULL)
			continue;
		/*
		 * A reply that cannot go (its right a dead name: the client's
		 * reply port died) or that came back (a full queue: the
		 * message is ours again, its rights named here) is destroyed,
		 * or the dead name, the reply right and the rights it carried
		 * would stay in our space for good.
		 */
		mr = mach_msg(&out.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.head.msgh_size, 0,
			      MACH_PORT_NULL, 0, MACH_PORT_NULL);
		if (mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_TIMED_OUT)
			mach_msg_destroy(&out.head);
	}
}

// SPDX-License-Identifier: MIT
/*
 * Suite "ns" (on request: `test ns` from the shell, which starts
 * /bin/ktest through the name server, unprivileged): what a task the
 * bootstrap did not start privileged gets. The name server refuses it
 * the privileged host and device master ports (KERN_NO_ACCESS: to look
 * up, to unregister, to register over), its registered ports hold no
 * privileged host port and the console server as its device master, and
 * names of its own work as before; the console server answers a request
 * of another interface MIG_BAD_ID. Started by the kernel (the "user"
 * ktest suite) there is no name server: the cases SKIP.
 */
#include <device/device.h>
#include <mach/bootstrap_abi.h>
#include <mach/notify.h>
#include <nsUser.h>
#include "utest.h"

/* Our TASK_BOOTSTRAP_PORT if it is a name server (it answers ns_look_up), or NULL. */
static mach_port_t ns_server(void)
{
	mach_port_t ns = MACH_PORT_NULL, port;
	ns_name_t name;
	kern_return_t kr;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &ns) != KERN_SUCCESS ||
	    ns == MACH_PORT_NULL)
		return MACH_PORT_NULL;
	strlcpy(name, NS_NAME_CONSOLE, sizeof(name));
	kr = ns_look_up(ns, name, &port);
	if (kr == KERN_SUCCESS) {
		mach_port_deallocate(mach_task_self(), port);
		return ns;
	}
	mach_port_deallocate(mach_task_self(), ns);
	return MACH_PORT_NULL;
}

static void utest_ns_privileged_names(struct utest *t)
{
	static const char *const privileged[] = { NS_NAME_HOST_PRIV, NS_NAME_DEVICE_MASTER };
	mach_port_t ns = ns_server(), port = MACH_PORT_NULL, mine;
	ns_name_t name;
	unsigned int i;

	if (ns == MACH_PORT_NULL) {
		t->skip = "no name server (started by the kernel)";
		return;
	}
	for (i = 0; i < 2; i++) {
		strlcpy(name, privileged[i], sizeof(name));
		port = MACH_PORT_NULL;
		UT_EXPECT_EQ(t, ns_look_up(ns, name, &port), KERN_NO_ACCESS);
		UT_EXPECT_EQ(t, port, MACH_PORT_NULL);
		UT_EXPECT_EQ(t, ns_unregister(ns, name), KERN_NO_ACCESS);
	}
	/* Nor can we put a port of ours in their place. */
	mine = utest_port();
	UT_ASSERT(t, mine != MACH_PORT_NULL);
	strlcpy(name, NS_NAME_HOST_PRIV, sizeof(name));
	UT_EXPECT_EQ(t, ns_register(ns, name, mine), KERN_NAME_EXISTS);
	/* A name of our own: registered, found, unregistered. */
	strlcpy(name, "utest-ns", sizeof(name));
	UT_EXPECT_EQ(t, ns_register(ns, name, mine), KERN_SUCCESS);
	UT_EXPECT_EQ(t, ns_look_up(ns, name, &port), KERN_SUCCESS);
	UT_EXPECT_EQ(t, port, mine);
	if (port == mine)
		mach_port_deallocate(mach_task_self(), port);
	UT_EXPECT_EQ(t, ns_unregister(ns, name), KERN_SUCCESS);
	UT_EXPECT_EQ(t, ns_look_up(ns, name, &port), KERN_INVALID_NAME);
	utest_port_destroy(mine);
	mach_port_deallocate(mach_task_self(), ns);
}

static void utest_ns_registered_ports(struct utest *t)
{
	mach_port_t ns = ns_server(), host_priv = MACH_PORT_NULL, master = MACH_PORT_NULL;
	mach_port_t dev = MACH_PORT_NULL;
	dev_name_t dname;

	if (ns == MACH_PORT_NULL) {
		t->skip = "no name server (started by the kernel)";
		return;
	}
	mach_port_deallocate(mach_task_self(), ns);
	UT_ASSERT_EQ(t, mach_bootstrap_ports(&host_priv, &master), KERN_SUCCESS);
	UT_EXPECT_EQ(t, host_priv, MACH_PORT_NULL);
	UT_ASSERT(t, master != MACH_PORT_NULL);
	/* The device master slot is the console server: "console" only. */
	strlcpy(dname, "console", sizeof(dname));
	UT_EXPECT_EQ(t, device_open(master, D_READ | D_WRITE, dname, &dev), D_SUCCESS);
	if (dev != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), dev);
	strlcpy(dname, "blk0", sizeof(dname));
	dev = MACH_PORT_NULL;
	UT_EXPECT_EQ(t, device_open(master, D_READ, dname, &dev), D_NO_SUCH_DEVICE);
	mach_port_deallocate(mach_task_self(), master);
}

/*
 * A receive right of ours (no send right) whose no-senders notification,
 * armed for the first send right made (sync 1), comes to notify (the port
 * itself for MACH_PORT_NULL).
 */
static mach_port_t ns_watched_port(struct utest *t, mach_port_t notify)
{
	mach_port_t port = MACH_PORT_NULL, prev = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	UT_EXPECT_EQ(t, mach_port_request_notification(mach_task_self(), port,
						       MACH_NOTIFY_NO_SENDERS, 1,
						       notify ? notify : port,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
		     KERN_SUCCESS);
	return port;
}

/* Every send right to the watched port is gone: its notification came to notify. */
static void ns_expect_no_senders(struct utest *t, mach_port_t notify)
{
	struct utest_msg m;

	UT_EXPECT_EQ(t, utest_receive(notify, &m, 2000), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, MACH_NOTIFY_NO_SENDERS);
}

/*
 * The console server answers a request of another interface (a
 * mach_port one) MIG_BAD_ID, as any MIG server does, instead of leaving
 * us waiting, and drops the rights its body carried; our next call to it
 * gets its own answer.
 */
static void utest_ns_console_bad_id(struct utest *t)
{
	mach_port_t ns = ns_server(), cons = MACH_PORT_NULL, dev = MACH_PORT_NULL, mine;
	mach_port_type_t type = 0;
	ns_name_t name;
	dev_name_t dname;

	if (ns == MACH_PORT_NULL) {
		t->skip = "no name server (started by the kernel)";
		return;
	}
	strlcpy(name, NS_NAME_CONSOLE, sizeof(name));
	UT_EXPECT_EQ(t, ns_look_up(ns, name, &cons), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), ns);
	UT_ASSERT(t, cons != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, mach_port_type(cons, cons, &type), MIG_BAD_ID);
	/*
	 * A right the refused request carried is not kept: no senders are
	 * left once the one send right made (sync 1) is gone.
	 */
	mine = ns_watched_port(t, MACH_PORT_NULL);
	UT_ASSERT(t, mine != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(cons, cons, mine,
							  MACH_MSG_TYPE_MAKE_SEND),
		     MIG_BAD_ID);
	ns_expect_no_senders(t, mine);
	mach_port_mod_refs(mach_task_self(), mine, MACH_PORT_RIGHT_RECEIVE, -1);
	UT_EXPECT_EQ(t, mach_port_type(cons, cons, &type), MIG_BAD_ID);
	strlcpy(dname, "console", sizeof(dname));
	UT_EXPECT_EQ(t, device_open(cons, D_READ | D_WRITE, dname, &dev), D_SUCCESS);
	if (dev != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), dev);
	mach_port_deallocate(mach_task_self(), cons);
}

/*
 * The name server drops the rights a request it refuses carried: one of
 * another interface (MIG_BAD_ID) with a send right in its body.
 */
static void utest_ns_bad_id_body(struct utest *t)
{
	mach_port_t ns = ns_server(), mine;

	if (ns == MACH_PORT_NULL) {
		t->skip = "no name server (started by the kernel)";
		return;
	}
	mine = ns_watched_port(t, MACH_PORT_NULL);
	UT_ASSERT(t, mine != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(ns, ns, mine, MACH_MSG_TYPE_MAKE_SEND),
		     MIG_BAD_ID);
	ns_expect_no_senders(t, mine);
	mach_port_mod_refs(mach_task_self(), mine, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), ns);
}

/* ns_look_up (ns.defs 5201) as a client builds it by hand. */
struct ns_test_look_up {
	mach_msg_header_t	head;
	char			name[NS_NAME_MAX];
};

/*
 * A reply the name server cannot deliver at once is destroyed: here our
 * reply port's queue is full (qlimit 1, one message in it, queued with a
 * send-once right so that we hold no send right), so its send with a zero
 * timeout gives the reply back (pseudo-receive) with the send right our
 * request made for it. Destroyed, that right goes, and our no-senders
 * notification comes; kept, it and the looked-up port's copied right
 * would stay in the name server's space for good. The reply never comes.
 */
static void utest_ns_reply_timed_out(struct utest *t)
{
	mach_port_t ns = ns_server(), reply = MACH_PORT_NULL, notify = MACH_PORT_NULL;
	struct ns_test_look_up req;
	struct utest_msg m;

	if (ns == MACH_PORT_NULL) {
		t->skip = "no name server (started by the kernel)";
		return;
	}
	UT_ASSERT_EQ(t, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify),
		     KERN_SUCCESS);
	reply = ns_watched_port(t, notify);
	UT_ASSERT(t, reply != MACH_PORT_NULL);
	UT_EXPECT_EQ(t, mach_port_set_qlimit(mach_task_self(), reply, 1), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_send(reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1, 0, 0),
		     MACH_MSG_SUCCESS);

	memset(&req, 0, sizeof(req));
	req.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
	req.head.msgh_size = sizeof(req);
	req.head.msgh_remote_port = ns;
	req.head.msgh_local_port = reply;
	req.head.msgh_id = 5201;
	strlcpy(req.name, NS_NAME_CONSOLE, sizeof(req.name));
	UT_EXPECT_EQ(t, mach_msg(&req.head, MACH_SEND_MSG, sizeof(req), 0, MACH_PORT_NULL,
				 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);

	ns_expect_no_senders(t, notify);
	/* Our own message alone is queued: the reply never came. */
	UT_EXPECT_EQ(t, utest_receive(reply, &m, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, 1);
	UT_EXPECT_EQ(t, utest_receive(reply, &m, 0), MACH_RCV_TIMED_OUT);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(mach_task_self(), notify, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), ns);
}

static const struct utest_case utest_ns_cases[] = {
	UTEST_CASE(utest_ns_privileged_names),
	UTEST_CASE(utest_ns_registered_ports),
	UTEST_CASE(utest_ns_console_bad_id),
	UTEST_CASE(utest_ns_bad_id_body),
	UTEST_CASE(utest_ns_reply_timed_out),
	{}
};

const struct utest_suite utest_ns_suite = {
	.name = "ns",
	.cases = utest_ns_cases,
	.on_request = true,
};

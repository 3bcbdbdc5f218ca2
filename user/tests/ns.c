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
 * The console server answers a request of another interface (a
 * mach_port one) MIG_BAD_ID, as any MIG server does, instead of leaving
 * us waiting, and drops the rights its body carried; our next call to it
 * gets its own answer.
 */
static void utest_ns_console_bad_id(struct utest *t)
{
	mach_port_t ns = ns_server(), cons = MACH_PORT_NULL, dev = MACH_PORT_NULL, mine, prev;
	mach_port_type_t type = 0;
	struct utest_msg m;
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
	mine = MACH_PORT_NULL;
	UT_ASSERT_EQ(t, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_request_notification(mach_task_self(), mine,
						       MACH_NOTIFY_NO_SENDERS, 1, mine,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, _kernelrpc_mach_port_insert_right(cons, cons, mine,
							  MACH_MSG_TYPE_MAKE_SEND),
		     MIG_BAD_ID);
	UT_EXPECT_EQ(t, utest_receive(mine, &m, 2000), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, MACH_NOTIFY_NO_SENDERS);
	mach_port_mod_refs(mach_task_self(), mine, MACH_PORT_RIGHT_RECEIVE, -1);
	UT_EXPECT_EQ(t, mach_port_type(cons, cons, &type), MIG_BAD_ID);
	strlcpy(dname, "console", sizeof(dname));
	UT_EXPECT_EQ(t, device_open(cons, D_READ | D_WRITE, dname, &dev), D_SUCCESS);
	if (dev != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), dev);
	mach_port_deallocate(mach_task_self(), cons);
}

static const struct utest_case utest_ns_cases[] = {
	UTEST_CASE(utest_ns_privileged_names),
	UTEST_CASE(utest_ns_registered_ports),
	UTEST_CASE(utest_ns_console_bad_id),
	{}
};

const struct utest_suite utest_ns_suite = {
	.name = "ns",
	.cases = utest_ns_cases,
	.on_request = true,
};

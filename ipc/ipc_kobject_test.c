// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_kobject": kernel objects and the messages sent to
 * them. Requests are built by hand in the kernel's message layout (the
 * one MIG generates, checked field by field by the mig_server suite) and
 * sent with mach_msg_rpc_from_kernel() from the test thread, through
 * its kernel reply port: ipc_kmsg_send() hands them to
 * ipc_kobject_server(), which runs the port type's MIG server, and the
 * reply comes back on the reply port. So each case drives the whole
 * path: the type registry, the dispatcher, the kernel's send runtime and
 * the MIG servers (mach_port on IPC spaces, mach_host and host_priv on
 * the host's ports). No-senders on a kernel port reaches its type's
 * handler. Every case ends with every IPC and kmsg count at its baseline.
 */
#include <kern/cpu.h>
#include <kern/vm_page.h>
#include <ipc/ipc_test_util.h>
#include <ipc/mach_msg.h>
#include <kernel/mig/mig_convert.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>

/* A test type: no subsystem (every id is MIG_BAD_ID), a no-senders handler. */
static unsigned int kobject_test_ns_calls;
static mach_port_mscount_t kobject_test_ns_mscount;

static void kobject_test_no_senders(ipc_port_t port, mach_port_mscount_t mscount)
{
	kobject_test_ns_calls++;
	kobject_test_ns_mscount = mscount;
	ipc_kobject_port_destroy(port);
}

IPC_KOBJECT_DEFINE(IKOT_TEST, .ikt_no_senders = kobject_test_no_senders);

/*
 * A second test type with a hand-written server of three ids: one the
 * routine refuses, one it does not answer (MIG_NO_REPLY), one answered.
 */
#define KT2_REFUSE	9900
#define KT2_NO_REPLY	9901
#define KT2_ANSWER	9902

static unsigned int kobject_test2_calls, kobject_test2_destroyed;

static boolean_t kobject_test2_server(mach_msg_header_t *in, mach_msg_header_t *out)
{
	kern_return_t code = KERN_SUCCESS;

	kobject_test2_calls++;
	if (in->msgh_id == KT2_REFUSE)
		code = KERN_INVALID_ARGUMENT;
	else if (in->msgh_id == KT2_NO_REPLY)
		code = MIG_NO_REPLY;
	ipc_kobject_error_reply(in, out, code);
	return TRUE;
}

static const struct mig_subsystem kobject_test2_subsystem = {
	.name = "kobject_test2",
	.server = kobject_test2_server,
	.start = KT2_REFUSE,
	.end = KT2_ANSWER + 1,
	.maxsize = (mach_msg_size_t)sizeof(mig_reply_error_t),
};

static void kobject_test2_no_senders(ipc_port_t port, mach_port_mscount_t mscount)
{
	(void)mscount;
	kobject_test2_destroyed++;
	ipc_kobject_port_destroy(port);
}

IPC_KOBJECT_DEFINE(IKOT_TEST2,
	.ikt_subsystems = { &kobject_test2_subsystem },
	.ikt_no_senders = kobject_test2_no_senders);

static union {
	mach_msg_header_t	head;
	mig_reply_error_t	err;
	uint64_t		align;
	char			bytes[4096 + 256];
} kobject_test_msg;

/* Where field f of message type T ends: a message's size (no tail padding). */
#define KT_END(T, f)	((mach_msg_size_t)(offsetof(T, f) + sizeof(((T *)0)->f)))

/* Fill the header of a request of `size` bytes to the send right `dest`. */
static void *kobject_test_request(ipc_port_t dest, mach_msg_id_t id, mach_msg_size_t size)
{
	mach_msg_header_t *h = &kobject_test_msg.head;

	memset(&kobject_test_msg, 0, sizeof(kobject_test_msg));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_size = size;
	h->msgh_remote_port = (mach_port_t)dest;
	h->msgh_local_port = mig_get_reply_port();
	h->msgh_id = id;
	return h;
}

static mach_msg_return_t kobject_test_rpc(void)
{
	return mach_msg_rpc_from_kernel(&kobject_test_msg.head, kobject_test_msg.head.msgh_size,
					sizeof(kobject_test_msg));
}

/* A reply that is only a return code. */
static kern_return_t kobject_test_error_reply(struct ktest *t, mach_msg_id_t id)
{
	mach_msg_header_t *h = &kobject_test_msg.head;

	KTEST_EXPECT_EQ(t, h->msgh_id, id + 100);
	KTEST_EXPECT_FALSE(t, h->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	KTEST_EXPECT_EQ(t, h->msgh_size,
			(mach_msg_size_t)(offsetof(mig_reply_error_t, RetCode) + sizeof(kern_return_t)));
	/* As a kernel receiver sees it: the reply port is msgh_local_port. */
	KTEST_EXPECT_PTR_EQ(t, h->msgh_local_port, mig_get_reply_port());
	KTEST_EXPECT_PTR_EQ(t, h->msgh_remote_port, MACH_PORT_NULL);
	return kobject_test_msg.err.RetCode;
}

/*
 * Nothing waits on the thread's kernel reply port: no late reply or
 * notification that the next call would take for its own answer.
 */
static bool kobject_test_reply_port_empty(void)
{
	ipc_port_t reply = (ipc_port_t)mig_get_reply_port();
	ipc_kmsg_t kmsg = IKM_NULL;

	if (ipc_mqueue_receive_kernel(&reply->ip_object, MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				      MACH_MSG_SIZE_MAX, 0, &kmsg) != MACH_MSG_SUCCESS)
		return true;
	ipc_kobject_kmsg_discard(kmsg);
	return false;
}

/*
 * Each case: a baseline, and the reply port given back at the end. A reply
 * port the thread kept from an earlier suite is given back first, or the
 * baseline would count the port the exit then destroys.
 */
static int kobject_test_init(struct ktest *t)
{
	kobject_test_ns_calls = 0;
	kobject_test2_calls = kobject_test2_destroyed = 0;
	mig_dealloc_reply_port((mach_port_t)current_thread()->ith_rpc_reply);
	return ipc_test_init(t);
}

static void kobject_test_exit(struct ktest *t)
{
	mig_dealloc_reply_port(mig_get_reply_port());
	ipc_test_exit(t);
}

/* mach_port_allocate (3204) on `space` through its port. */
static kern_return_t kobject_test_allocate(struct ktest *t, ipc_port_t sport,
					   mach_port_right_t right, mach_port_name_t *name)
{
	struct req { mach_msg_header_t Head; mach_port_right_t right; } *req;
	struct rep { mach_msg_header_t Head; kern_return_t RetCode; mach_port_name_t name; } *rep;

	req = kobject_test_request(sport, 3204, KT_END(struct req, right));
	req->right = right;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	rep = (void *)&kobject_test_msg;
	KTEST_EXPECT_EQ(t, rep->Head.msgh_id, 3304);
	if (rep->Head.msgh_size != KT_END(struct rep, name))
		return kobject_test_error_reply(t, 3204);
	*name = rep->name;
	return rep->RetCode;
}

/* A name-only mach_port routine (destroy 3205, deallocate 3206). */
static kern_return_t kobject_test_name_call(struct ktest *t, ipc_port_t sport, mach_msg_id_t id,
					    mach_port_name_t name)
{
	struct req { mach_msg_header_t Head; mach_port_name_t name; } *req;

	req = kobject_test_request(sport, id, KT_END(struct req, name));
	req->name = name;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	return kobject_test_error_reply(t, id);
}

static void ipc_kobject_test_registry(struct ktest *t)
{
	const struct ipc_kobject_type *k;

	KTEST_EXPECT_NULL(t, ipc_kobject_type_lookup(IKOT_NONE));
	KTEST_EXPECT_NULL(t, ipc_kobject_type_lookup(IKOT_MAX));
	KTEST_EXPECT_NULL(t, ipc_kobject_type_lookup(~0U));
	k = ipc_kobject_type_lookup(IKOT_SPACE);
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_STREQ(t, k->ikt_name, "IKOT_SPACE");
	KTEST_EXPECT_STREQ(t, k->ikt_subsystems[0]->name, "mach_port");
	KTEST_EXPECT_NOT_NULL(t, k->ikt_no_senders);
	k = ipc_kobject_type_lookup(IKOT_HOST_PRIV);
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_STREQ(t, k->ikt_subsystems[0]->name, "host_priv");
	KTEST_EXPECT_STREQ(t, k->ikt_subsystems[1]->name, "mach_host");
	KTEST_EXPECT_NULL(t, k->ikt_no_senders);
	k = ipc_kobject_type_lookup(IKOT_TEST);
	KTEST_ASSERT_NOT_NULL(t, k);
	KTEST_EXPECT_NULL(t, k->ikt_subsystems[0]);
	KTEST_EXPECT_NOT_NULL(t, ipc_space_kernel);
}

/* mach_port_* through messages to another space's port. */
static void ipc_kobject_test_mach_port(struct ktest *t)
{
	ipc_space_t b = ipc_test_space(t);
	ipc_port_t sport;
	mach_port_name_t name = MACH_PORT_NAME_NULL, set = MACH_PORT_NAME_NULL;

	ipc_space_reference(b);
	sport = (ipc_port_t)convert_space_to_port(b);
	KTEST_ASSERT_TRUE(t, IP_VALID(sport));
	KTEST_EXPECT_EQ(t, sport->ip_kotype, (unsigned int)IKOT_SPACE);
	KTEST_EXPECT_PTR_EQ(t, sport->ip_receiver, ipc_space_kernel);
	KTEST_EXPECT_PTR_EQ(t, convert_port_to_space((mach_port_t)sport), b);
	space_deallocate(b);

	KTEST_EXPECT_EQ(t, kobject_test_allocate(t, sport, MACH_PORT_RIGHT_RECEIVE, &name),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, name), MACH_PORT_TYPE_RECEIVE);
	KTEST_EXPECT_EQ(t, kobject_test_allocate(t, sport, MACH_PORT_RIGHT_PORT_SET, &set),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, set), MACH_PORT_TYPE_PORT_SET);
	/* The routine's errors come back as error replies. */
	KTEST_EXPECT_EQ(t, kobject_test_allocate(t, sport, 77, &name), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, kobject_test_name_call(t, sport, 3206, name), KERN_INVALID_RIGHT);
	KTEST_EXPECT_EQ(t, kobject_test_name_call(t, sport, 3205, name), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(b, name), ~0U);
	KTEST_EXPECT_EQ(t, kobject_test_name_call(t, sport, 3205, name), KERN_INVALID_NAME);
	KTEST_EXPECT_EQ(t, kobject_test_name_call(t, sport, 3205, set), KERN_SUCCESS);

	/* The space dies: its port answers KERN_INVALID_TASK. */
	ipc_space_destroy(b);
	KTEST_EXPECT_EQ(t, kobject_test_allocate(t, sport, MACH_PORT_RIGHT_RECEIVE, &name),
			KERN_INVALID_TASK);
	ipc_space_release(b);
	/* The last send right goes: the port and its space reference with it. */
	ipc_port_release_send(sport);
}

/* Rights in requests and replies: insert_right, extract_right. */
static void ipc_kobject_test_rights(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	ipc_port_t port = ipc_test_port_of(a, p), sport;
	struct ins {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t poly; mach_port_name_t name;
	} *ins;
	struct ext { mach_msg_header_t Head; mach_port_name_t name; mach_msg_type_name_t msgt_name; } *ext;
	struct extr { mach_msg_header_t Head; mach_msg_body_t msgh_body; mach_msg_port_descriptor_t poly; } *extr;

	ipc_space_reference(a);
	sport = (ipc_port_t)convert_space_to_port(a);
	KTEST_ASSERT_TRUE(t, IP_VALID(sport));
	/* insert_right(p, MAKE_SEND of p's port): p is now send+receive. */
	ins = kobject_test_request(sport, 3214, KT_END(struct ins, name));
	ins->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	ins->msgh_body.msgh_descriptor_count = 1;
	ins->poly.name = (mach_port_t)port;
	ins->poly.disposition = MACH_MSG_TYPE_MAKE_SEND;
	ins->poly.type = MACH_MSG_PORT_DESCRIPTOR;
	ins->name = p;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 3214), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), MACH_PORT_TYPE_SEND_RECEIVE);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1u);
	/* A failed routine: the request's right is destroyed with it. */
	ins = kobject_test_request(sport, 3214, KT_END(struct ins, name));
	ins->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	ins->msgh_body.msgh_descriptor_count = 1;
	ins->poly.name = (mach_port_t)port;
	ins->poly.disposition = MACH_MSG_TYPE_MAKE_SEND;
	ins->poly.type = MACH_MSG_PORT_DESCRIPTOR;
	ins->name = MACH_PORT_MAKE(60, 0);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 3214), KERN_RIGHT_EXISTS);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1u);
	KTEST_EXPECT_EQ(t, port->ip_mscount, 2u);
	/* extract_right(p, MAKE_SEND): the reply carries a send right. */
	ext = kobject_test_request(sport, 3215, KT_END(struct ext, msgt_name));
	ext->name = p;
	ext->msgt_name = MACH_MSG_TYPE_MAKE_SEND;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	extr = (void *)&kobject_test_msg;
	KTEST_EXPECT_EQ(t, extr->Head.msgh_id, 3315);
	KTEST_ASSERT_TRUE(t, extr->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	KTEST_EXPECT_EQ(t, extr->Head.msgh_size, KT_END(struct extr, poly));
	KTEST_EXPECT_EQ(t, extr->msgh_body.msgh_descriptor_count, 1u);
	KTEST_EXPECT_PTR_EQ(t, extr->poly.name, (mach_port_t)port);
	KTEST_EXPECT_EQ(t, (unsigned int)extr->poly.disposition, (unsigned int)MACH_MSG_TYPE_PORT_SEND);
	KTEST_EXPECT_EQ(t, port->ip_srights, 2u);
	ipc_port_release_send(port);		/* the reply's right is ours */
	ipc_port_release_send(sport);
	ipc_test_space_done(a);
}

/* mach_port_names: the arrays come back out of line. */
static void ipc_kobject_test_ool_reply(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	ipc_port_t sport;
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_descriptor_t names, types;
	} *rep;
	struct ipc_ool_copy *names, *types;

	ipc_space_reference(a);
	sport = (ipc_port_t)convert_space_to_port(a);
	KTEST_ASSERT_TRUE(t, IP_VALID(sport));
	kobject_test_request(sport, 3200, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	rep = (void *)&kobject_test_msg;
	KTEST_EXPECT_EQ(t, rep->Head.msgh_id, 3300);
	KTEST_ASSERT_TRUE(t, rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	KTEST_EXPECT_EQ(t, rep->names.size, (mach_msg_size_t)sizeof(mach_port_name_t));
	KTEST_EXPECT_EQ(t, rep->types.size, (mach_msg_size_t)sizeof(mach_port_type_t));
	names = rep->names.address;
	types = rep->types.address;
	KTEST_ASSERT_NOT_NULL(t, names);
	KTEST_ASSERT_NOT_NULL(t, types);
	KTEST_EXPECT_EQ(t, *(mach_port_name_t *)names->ioc_data, p);
	KTEST_EXPECT_EQ(t, *(mach_port_type_t *)types->ioc_data, MACH_PORT_TYPE_RECEIVE);
	ipc_ool_copy_discard(names);
	ipc_ool_copy_discard(types);
	ipc_port_release_send(sport);
	ipc_test_space_done(a);
}

/* Unknown ids, ids of another type's subsystem, malformed requests. */
static void ipc_kobject_test_errors(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	ipc_port_t sport, tport;
	static int object;

	ipc_space_reference(a);
	sport = (ipc_port_t)convert_space_to_port(a);
	KTEST_ASSERT_TRUE(t, IP_VALID(sport));
	kobject_test_request(sport, 3299, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 3299), MIG_BAD_ID);
	/* host_info (200) is not served by a space's port. */
	kobject_test_request(sport, 200, sizeof(mach_msg_header_t) + 8);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 200), MIG_BAD_ID);
	/* mach_port_allocate with 4 bytes too many, and too few. */
	kobject_test_request(sport, 3204, sizeof(mach_msg_header_t) + 8);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 3204), MIG_BAD_ARGUMENTS);
	kobject_test_request(sport, 3204, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 3204), MIG_BAD_ARGUMENTS);
	/* A type with no subsystem: every id is MIG_BAD_ID. */
	tport = ipc_kobject_port_alloc(&object, IKOT_TEST);
	KTEST_ASSERT_NOT_NULL(t, tport);
	KTEST_EXPECT_PTR_EQ(t, ipc_kobject_get(tport, IKOT_TEST), &object);
	KTEST_EXPECT_NULL(t, ipc_kobject_get(tport, IKOT_SPACE));
	tport = ipc_port_make_send(tport);
	kobject_test_request(tport, 3204, sizeof(mach_msg_header_t) + 4);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 3204), MIG_BAD_ID);
	ipc_port_release_send(tport);
	KTEST_EXPECT_EQ(t, kobject_test_ns_calls, 1u);
	ipc_port_release_send(sport);
	ipc_test_space_done(a);
}

/* A request without a reply port: done, nothing answered. */
static void ipc_kobject_test_no_reply(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t p = ipc_test_port(t, a);
	ipc_port_t sport;
	struct req { mach_msg_header_t Head; mach_port_name_t name; } *req;
	struct ipc_kmsg_stats ks;

	ipc_space_reference(a);
	sport = (ipc_port_t)convert_space_to_port(a);
	KTEST_ASSERT_TRUE(t, IP_VALID(sport));
	req = kobject_test_request(sport, 3205, KT_END(struct req, name));
	req->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	req->Head.msgh_local_port = MACH_PORT_NULL;
	req->name = p;
	KTEST_EXPECT_EQ(t, mach_msg_send_from_kernel(&req->Head, req->Head.msgh_size),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), ~0U);
	ipc_kmsg_stats_get(&ks);
	KTEST_EXPECT_EQ(t, ks.kmsgs, ((struct ipc_test_baseline *)t->priv)->kmsg.kmsgs);
	ipc_port_release_send(sport);
	ipc_test_space_done(a);
}

/* The host's ports: host_info, host_page_size, and what each port serves. */
static void ipc_kobject_test_host(struct ktest *t)
{
	ipc_port_t host = (ipc_port_t)convert_host_to_port(host_self());
	ipc_port_t priv = (ipc_port_t)convert_host_priv_to_port(host_self());
	struct req { mach_msg_header_t Head; host_flavor_t flavor; mach_msg_type_number_t cnt; } *req;
	struct rep {
		mach_msg_header_t Head; kern_return_t RetCode; mach_msg_type_number_t cnt;
		integer_t info[HOST_BASIC_INFO_COUNT];
	} *rep;
	struct psrep { mach_msg_header_t Head; kern_return_t RetCode; vm_size_t size; } *psrep;
	struct host_basic_info *bi;

	KTEST_ASSERT_TRUE(t, IP_VALID(host) && IP_VALID(priv));
	KTEST_EXPECT_PTR_EQ(t, convert_port_to_host((mach_port_t)host), host_self());
	KTEST_EXPECT_PTR_EQ(t, convert_port_to_host((mach_port_t)priv), host_self());
	KTEST_EXPECT_NULL(t, convert_port_to_host_priv((mach_port_t)host));
	req = kobject_test_request(host, 200, KT_END(struct req, cnt));
	req->flavor = HOST_BASIC_INFO;
	req->cnt = HOST_INFO_MAX;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	rep = (void *)&kobject_test_msg;
	KTEST_EXPECT_EQ(t, rep->Head.msgh_id, 300);
	KTEST_EXPECT_EQ(t, rep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, rep->cnt, HOST_BASIC_INFO_COUNT);
	KTEST_EXPECT_EQ(t, rep->Head.msgh_size, KT_END(struct rep, info));
	bi = (void *)rep->info;
	KTEST_EXPECT_EQ(t, bi->avail_cpus, (integer_t)cpu_count);
	KTEST_EXPECT_EQ(t, bi->max_cpus, MAX_CPUS);
	KTEST_EXPECT_GT(t, bi->max_mem, 0ull);
	/* Too little room: KERN_FAILURE. */
	req = kobject_test_request(host, 200, KT_END(struct req, cnt));
	req->flavor = HOST_BASIC_INFO;
	req->cnt = 2;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 200), KERN_FAILURE);
	/* mach_host through the privileged port too. */
	kobject_test_request(priv, 202, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	psrep = (void *)&kobject_test_msg;
	KTEST_EXPECT_EQ(t, psrep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, psrep->size, (vm_size_t)PAGE_SIZE);
	/* host_priv's routines only through host_priv. */
	req = kobject_test_request(host, 401, sizeof(mach_msg_header_t) + 4);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 401), MIG_BAD_ID);
	req = kobject_test_request(priv, 401, sizeof(mach_msg_header_t) + 4);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, 401), KERN_NOT_SUPPORTED);
	ipc_port_release_send(host);
	ipc_port_release_send(priv);
	/* The host's ports have no handler: they stay. */
	KTEST_EXPECT_TRUE(t, ip_active(host) && ip_active(priv));
}

/* No-senders on a kernel port reaches its type's handler, once, with the mscount. */
static void ipc_kobject_test_no_senders(struct ktest *t)
{
	static int object;
	ipc_space_t a = ipc_test_space(t);
	ipc_port_t port = ipc_kobject_port_alloc(&object, IKOT_TEST);
	mach_port_name_t name;

	KTEST_ASSERT_NOT_NULL(t, port);
	KTEST_EXPECT_EQ(t, port->ip_sorights, 1u);	/* the armed request */
	ipc_port_make_send(port);
	ipc_port_make_send(port);
	ipc_port_release_send(port);
	KTEST_EXPECT_EQ(t, kobject_test_ns_calls, 0u);
	/* A send right into a space and out again. */
	KTEST_ASSERT_EQ(t, ipc_object_copyout(a, port, MACH_MSG_TYPE_PORT_SEND, false, &name),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, name), MACH_PORT_TYPE_SEND);
	ip_reference(port);
	KTEST_EXPECT_EQ(t, ipc_mach_port_deallocate(a, name), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_ns_calls, 1u);
	KTEST_EXPECT_EQ(t, kobject_test_ns_mscount, 2u);
	KTEST_EXPECT_FALSE(t, ip_active(port));		/* the handler destroyed it */
	KTEST_EXPECT_EQ(t, port->ip_kotype, (unsigned int)IKOT_NONE);
	ipc_port_release(port);
	/* A forged no-senders (its senders still there) changes nothing. */
	port = ipc_kobject_port_alloc(&object, IKOT_TEST);
	KTEST_ASSERT_NOT_NULL(t, port);
	ipc_port_make_send(port);
	ipc_kobject_notify_no_senders(port, 1);
	KTEST_EXPECT_EQ(t, kobject_test_ns_calls, 1u);
	KTEST_EXPECT_TRUE(t, ip_active(port));
	ipc_port_release_send(port);
	KTEST_EXPECT_EQ(t, kobject_test_ns_calls, 2u);
	/* A space's port: the last send right takes the port and the space reference. */
	ipc_space_reference(a);
	port = (ipc_port_t)convert_space_to_port(a);
	KTEST_ASSERT_TRUE(t, IP_VALID(port));
	KTEST_EXPECT_EQ(t, __atomic_load_n(&a->is_references, __ATOMIC_RELAXED), 2u);
	ipc_port_release_send(port);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&a->is_references, __ATOMIC_RELAXED), 1u);
	ipc_test_space_done(a);
}

/*
 * Requests to a kernel port that died while the sender held a send right:
 * MACH_SEND_INVALID_DEST from the kernel's send and RPC runtime, nothing
 * delivered, every right of the request released (counts at baseline).
 */
static void ipc_kobject_test_dead_port(struct ktest *t)
{
	static int object;
	ipc_port_t port = ipc_kobject_port_alloc(&object, IKOT_TEST), live;
	mach_msg_header_t *h;
	unsigned long sonce;

	KTEST_ASSERT_NOT_NULL(t, port);
	ipc_port_make_send(port);
	ipc_kobject_port_destroy(port);
	KTEST_EXPECT_FALSE(t, ip_active(port));
	kobject_test_request(port, 1400, sizeof(mach_msg_header_t));
	sonce = ipc_notify_count(IPC_NOTIFY_SEND_ONCE);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_SEND_INVALID_DEST);
	/* The reply right went with no notification: no answer is left to come. */
	KTEST_EXPECT_EQ(t, ipc_notify_count(IPC_NOTIFY_SEND_ONCE), sonce);
	KTEST_EXPECT_TRUE(t, kobject_test_reply_port_empty());
	h = kobject_test_request(port, 1400, sizeof(mach_msg_header_t));
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h->msgh_local_port = MACH_PORT_NULL;
	KTEST_EXPECT_EQ(t, mach_msg_send_from_kernel(h, h->msgh_size), MACH_SEND_INVALID_DEST);
	KTEST_EXPECT_EQ(t, port->ip_srights, 1u);	/* only the test's own */
	ipc_port_release_send(port);
	/* The thread's next call gets its own answer. */
	live = ipc_kobject_port_alloc(&object, IKOT_TEST2);
	KTEST_ASSERT_NOT_NULL(t, live);
	live = ipc_port_make_send(live);
	kobject_test_request(live, KT2_ANSWER, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, KT2_ANSWER), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, kobject_test_reply_port_empty());
	ipc_port_release_send(live);
	KTEST_EXPECT_EQ(t, kobject_test2_destroyed, 1u);
}

/*
 * A request the server refuses gets one reply, with the code; one it
 * does not answer (MIG_NO_REPLY) has its reply right destroyed, so the
 * caller's one outcome is the send-once notification (MIG_SERVER_DIED
 * to a stub). Each is followed by a call that gets its own answer.
 */
static void ipc_kobject_test_one_outcome(struct ktest *t)
{
	static int object;
	ipc_port_t port = ipc_kobject_port_alloc(&object, IKOT_TEST2), arg = ipc_port_create();
	struct req {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t arg;
	} *req;
	mach_msg_header_t *h = &kobject_test_msg.head;
	unsigned long sonce;

	KTEST_ASSERT_NOT_NULL(t, port);
	KTEST_ASSERT_NOT_NULL(t, arg);
	port = ipc_port_make_send(port);
	/* Refused: one reply with the code; the request's right is destroyed. */
	req = kobject_test_request(port, KT2_REFUSE, KT_END(struct req, arg));
	req->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	req->msgh_body.msgh_descriptor_count = 1;
	req->arg.name = (mach_port_t)arg;
	req->arg.disposition = MACH_MSG_TYPE_MAKE_SEND;
	req->arg.type = MACH_MSG_PORT_DESCRIPTOR;
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, KT2_REFUSE), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_TRUE(t, kobject_test_reply_port_empty());
	KTEST_EXPECT_EQ(t, arg->ip_srights, 0u);
	KTEST_EXPECT_EQ(t, arg->ip_mscount, 1u);
	kobject_test_request(port, KT2_ANSWER, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, KT2_ANSWER), KERN_SUCCESS);
	/* Not answered: the reply right's notification is the one outcome. */
	kobject_test_request(port, KT2_NO_REPLY, sizeof(mach_msg_header_t));
	sonce = ipc_notify_count(IPC_NOTIFY_SEND_ONCE);
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_notify_count(IPC_NOTIFY_SEND_ONCE), sonce + 1);
	KTEST_EXPECT_EQ(t, h->msgh_id, MACH_NOTIFY_SEND_ONCE);
	KTEST_EXPECT_PTR_EQ(t, h->msgh_local_port, mig_get_reply_port());
	KTEST_EXPECT_TRUE(t, kobject_test_reply_port_empty());
	kobject_test_request(port, KT2_ANSWER, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, kobject_test_rpc(), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, kobject_test_error_reply(t, KT2_ANSWER), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, kobject_test_reply_port_empty());
	KTEST_EXPECT_EQ(t, kobject_test2_calls, 4u);
	ipc_port_release_send(port);
	KTEST_EXPECT_EQ(t, kobject_test2_destroyed, 1u);
	ipc_port_release_receive(arg);
}

/* An insert_right request as a user stub sends it, in `space`'s names. */
struct kobject_test_ins {
	mach_msg_user_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_user_port_descriptor_t	poly;
	mach_port_name_t		name;
	uint8_t				trailer[64];
};

/* Its reply, as the task receives it: only a return code. */
struct kobject_test_ins_reply {
	mach_msg_user_header_t		Head;
	kern_return_t			RetCode;
};

static mach_msg_return_t kobject_test_user_insert(ipc_space_t space, struct kobject_test_ins *m,
						  mach_port_name_t sname, mach_port_name_t reply,
						  mach_port_name_t name, mach_port_name_t poly,
						  mach_msg_type_name_t disp)
{
	memset(m, 0, sizeof(*m));
	m->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE) | MACH_MSGH_BITS_COMPLEX;
	m->Head.msgh_size = KT_END(struct kobject_test_ins, name);
	m->Head.msgh_remote_port = sname;
	m->Head.msgh_local_port = reply;
	m->Head.msgh_id = 3214;
	m->msgh_body.msgh_descriptor_count = 1;
	m->poly.name = poly;
	m->poly.disposition = disp;
	m->poly.type = MACH_MSG_PORT_DESCRIPTOR;
	m->name = name;
	return ipc_mach_msg(space, (mach_msg_header_t *)m, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
			    m->Head.msgh_size, sizeof(*m), reply, 0, MACH_PORT_NAME_NULL);
}

/*
 * mach_port_insert_right as a task's stub sends it (mach_msg of the
 * space, an RPC). A body the send refuses: mach_msg's error, the header's
 * rights destroyed as Mach does (the reply right's send-once notification
 * is the one message on the reply port, which the stub must then give
 * up), nothing delivered. Names the routine refuses (beyond the table; a
 * used index under another generation): one reply, with the code, and
 * the request's right destroyed. Then a good request gets its answer.
 */
static void ipc_kobject_test_insert_refused(struct ktest *t)
{
	ipc_space_t a = ipc_test_space(t);
	mach_port_name_t r = ipc_test_port(t, a), p = ipc_test_port(t, a), sname = 0;
	mach_port_name_t other_gen = MACH_PORT_MAKE(MACH_PORT_INDEX(p),
						  MACH_PORT_GEN(p) + IE_BITS_GEN_ONE);
	ipc_port_t sport, pport = ipc_test_port_of(a, p);
	struct kobject_test_ins m;
	struct ipc_test_note n;
	struct kobject_test_ins_reply *rep = (void *)&m;

	ipc_space_reference(a);
	sport = (ipc_port_t)convert_space_to_port(a);
	KTEST_ASSERT_TRUE(t, IP_VALID(sport));
	KTEST_ASSERT_EQ(t, ipc_object_copyout(a, sport, MACH_MSG_TYPE_PORT_SEND, false, &sname),
			KERN_SUCCESS);
	/* Refused by the send: a bad disposition, a name with no right. */
	KTEST_EXPECT_EQ(t, kobject_test_user_insert(a, &m, sname, r, p, p, 0x1ff),
			MACH_SEND_INVALID_TYPE);
	KTEST_EXPECT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, r, &n));
	ipc_test_note_release(&n);
	KTEST_EXPECT_EQ(t, ipc_test_drain(a, r), 0ul);
	KTEST_EXPECT_EQ(t, kobject_test_user_insert(a, &m, sname, r, p, 0x12345678,
						    MACH_MSG_TYPE_COPY_SEND),
			MACH_SEND_INVALID_RIGHT);
	KTEST_EXPECT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, r, &n));
	ipc_test_note_release(&n);
	KTEST_EXPECT_EQ(t, ipc_test_drain(a, r), 0ul);
	KTEST_EXPECT_EQ(t, ipc_test_refs(a, sname, MACH_PORT_RIGHT_SEND), 1u);
	/* Refused by the routine: one reply each, the made send right gone. */
	KTEST_EXPECT_EQ(t, kobject_test_user_insert(a, &m, sname, r, 0x12345678, p,
						    MACH_MSG_TYPE_MAKE_SEND),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, m.Head.msgh_id, 3314);
	KTEST_EXPECT_NE(t, rep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_drain(a, r), 0ul);
	KTEST_EXPECT_EQ(t, kobject_test_user_insert(a, &m, sname, r, other_gen, p,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, m.Head.msgh_id, 3314);
	KTEST_EXPECT_NE(t, rep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_drain(a, r), 0ul);
	/* The send-once right made for p went with the request: its notification. */
	KTEST_EXPECT_TRUE(t, ipc_test_take(IPC_NOTIFY_SEND_ONCE, a, p, &n));
	ipc_test_note_release(&n);
	KTEST_EXPECT_EQ(t, pport->ip_srights, 0u);
	KTEST_EXPECT_EQ(t, pport->ip_sorights, 0u);
	/* A good one: its own answer, and p is send+receive. */
	KTEST_EXPECT_EQ(t, kobject_test_user_insert(a, &m, sname, r, p, p, MACH_MSG_TYPE_MAKE_SEND),
			MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, m.Head.msgh_id, 3314);
	KTEST_EXPECT_EQ(t, rep->RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, ipc_test_type(a, p), MACH_PORT_TYPE_SEND_RECEIVE);
	KTEST_EXPECT_EQ(t, ipc_test_drain(a, r), 0ul);
	ipc_test_space_done(a);
}

static struct ktest_case ipc_kobject_test_cases[] = {
	KTEST_CASE(ipc_kobject_test_registry),
	KTEST_CASE(ipc_kobject_test_mach_port),
	KTEST_CASE(ipc_kobject_test_rights),
	KTEST_CASE(ipc_kobject_test_ool_reply),
	KTEST_CASE(ipc_kobject_test_errors),
	KTEST_CASE(ipc_kobject_test_no_reply),
	KTEST_CASE(ipc_kobject_test_host),
	KTEST_CASE(ipc_kobject_test_no_senders),
	KTEST_CASE(ipc_kobject_test_dead_port),
	KTEST_CASE(ipc_kobject_test_one_outcome),
	KTEST_CASE(ipc_kobject_test_insert_refused),
	{}
};

static struct ktest_suite ipc_kobject_test_suite = {
	.name = "ipc_kobject",
	.init = kobject_test_init,
	.exit = kobject_test_exit,
	.test_cases = ipc_kobject_test_cases,
};
KTEST_SUITE(ipc_kobject_test_suite);

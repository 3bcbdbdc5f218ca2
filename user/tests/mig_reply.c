// SPDX-License-Identifier: MIT
/*
 * Suite "mig_reply": what libmach and MIG's client stubs do with messages
 * that are not a call's good answer, and MIG calls from a thread
 * cthread_fork() did not start.
 *
 * - A reply with another id, or malformed, carrying a send-once right and
 *   out-of-line memory: the stub answers MIG_REPLY_MISMATCH /
 *   MIG_TYPE_ERROR and destroys it (mach_msg_destroy()), so the task's
 *   names and mapped memory are back to what they were.
 * - A send that times out gives the request back (Mach's pseudo-receive):
 *   the reply right under a name of its own, the destination's and a
 *   descriptor's send rights, the out-of-line memory in a fresh region;
 *   mach_msg_destroy() and mig_dealloc_reply_port() with that name (what a
 *   stub with a send timeout does) give everything back.
 * - A thread made by a bare thread_create() makes MIG calls while cthreads
 *   run: it gets a reply port of its own, found by its thread port, which
 *   mig_reply_port_reap() destroys once the thread is gone.
 */
#include <cthreads.h>
#include "utest.h"

static mach_port_urefs_t mr_refs(mach_port_t port, mach_port_right_t right)
{
	mach_port_urefs_t refs = 0;

	mach_port_get_refs(mach_task_self(), port, right, &refs);
	return refs;
}

/* A reply with a send-once right and out-of-line memory in it. */
struct mr_reply {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	ool;
	kern_return_t			ret;
};

struct mr_server {
	mach_port_t	port;		/* where the request comes */
	mach_port_t	carried;	/* a send-once right to it goes in the reply */
	vm_address_t	buf;		/* and this memory, out of line */
	vm_size_t	size;
	int		id_delta;	/* the reply's id: the request's + this */
	mach_msg_return_t mr;
};

/* Answer one request with the reply above (from a cthread: the stub waits). */
static void *mr_server_main(void *arg)
{
	struct mr_server *s = arg;
	union {
		mach_msg_header_t	head;
		char			buf[512];
	} req;
	struct mr_reply rep;

	s->mr = mach_msg(&req.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(req), s->port,
			 5000, MACH_PORT_NULL);
	if (s->mr != MACH_MSG_SUCCESS)
		return NULL;
	memset(&rep, 0, sizeof(rep));
	rep.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
			     MACH_MSGH_BITS_COMPLEX;
	rep.head.msgh_size = sizeof(rep);
	rep.head.msgh_remote_port = req.head.msgh_remote_port;
	rep.head.msgh_id = req.head.msgh_id + s->id_delta;
	rep.body.msgh_descriptor_count = 2;
	rep.port.name = s->carried;
	rep.port.disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	rep.port.type = MACH_MSG_PORT_DESCRIPTOR;
	rep.ool.address = (void *)s->buf;
	rep.ool.size = s->size;
	rep.ool.deallocate = FALSE;
	rep.ool.copy = MACH_MSG_VIRTUAL_COPY;
	rep.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	s->mr = mach_msg(&rep.head, MACH_SEND_MSG, sizeof(rep), 0, MACH_PORT_NULL,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	return NULL;
}

/*
 * task_info() sent to our own port (its reply buffer has room for the
 * reply above), answered by mr_server_main with a reply of id request +
 * id_delta: the stub must give back want and leave nothing of the reply
 * behind.
 */
static void mr_refused_reply(struct utest *t, int id_delta, kern_return_t want)
{
	struct mr_server s = { .size = 2 * vm_page_size, .id_delta = id_delta };
	struct task_basic_info info;
	mach_msg_type_number_t cnt = TASK_BASIC_INFO_COUNT;
	vm_size_t mapped;
	cthread_t th;
	int names;

	s.port = utest_port();
	UT_ASSERT(t, s.port != MACH_PORT_NULL);
	s.carried = s.port;
	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &s.buf, s.size, TRUE), KERN_SUCCESS);
	memset((void *)s.buf, 0x5a, s.size);
	th = cthread_fork(mr_server_main, &s);
	UT_ASSERT(t, th != NULL);
	names = utest_count_names();
	mapped = utest_mapped();

	UT_EXPECT_EQ(t, task_info(s.port, TASK_BASIC_INFO, (task_info_t)&info, &cnt), want);

	/* The send-once right and the region the reply brought are gone. */
	UT_EXPECT_EQ(t, utest_count_names(), names);
	UT_EXPECT_EQ(t, utest_mapped(), mapped);
	cthread_join(th);
	UT_EXPECT_EQ(t, s.mr, MACH_MSG_SUCCESS);
	vm_deallocate(mach_task_self(), s.buf, s.size);
	/* The destroyed send-once right sent its notification to the port. */
	utest_port_destroy(s.port);
}

/* Another routine's id: MIG_REPLY_MISMATCH. */
static void utest_mig_reply_mismatch(struct utest *t)
{
	mr_refused_reply(t, 99, MIG_REPLY_MISMATCH);
}

/* The right id, but a complex reply where task_info's is simple: MIG_TYPE_ERROR. */
static void utest_mig_reply_type_error(struct utest *t)
{
	mr_refused_reply(t, 100, MIG_TYPE_ERROR);
}

/* A request as a MIG stub sends it, with a port and memory in it. */
struct mr_request {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	ool;
	uint8_t				trailer[64];
};

static void utest_mig_reply_send_timeout(struct utest *t)
{
	mach_port_t p = utest_port(), x = utest_port(), reply = mig_get_reply_port();
	struct mr_request m;
	struct utest_msg r;
	vm_address_t page = 0;
	vm_size_t mapped;
	int names;

	UT_ASSERT(t, p != MACH_PORT_NULL && x != MACH_PORT_NULL);
	/* A full queue: the send waits, then times out. */
	UT_ASSERT_EQ(t, mach_port_set_qlimit(mach_task_self(), p, 1), KERN_SUCCESS);
	UT_ASSERT_EQ(t, utest_send(p, MACH_MSG_TYPE_COPY_SEND, 1, 0, 0), MACH_MSG_SUCCESS);
	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &page, vm_page_size, TRUE), KERN_SUCCESS);
	memset((void *)page, 0x3c, vm_page_size);
	names = utest_count_names();
	mapped = utest_mapped();

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			   MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = offsetof(struct mr_request, trailer);
	m.head.msgh_remote_port = p;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = 777;
	m.body.msgh_descriptor_count = 2;
	m.port.name = x;
	m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	m.ool.address = (void *)page;
	m.ool.size = vm_page_size;
	m.ool.deallocate = TRUE;	/* leaves our map as the message takes it */
	m.ool.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	UT_ASSERT_EQ(t, mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.head.msgh_size, 0,
				 MACH_PORT_NULL, 10, MACH_PORT_NULL), MACH_SEND_TIMED_OUT);

	/* Given back as if received: every right ours again, the reply right apart. */
	UT_EXPECT_EQ(t, MACH_MSGH_BITS_REMOTE(m.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	UT_EXPECT_EQ(t, MACH_MSGH_BITS_LOCAL(m.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	UT_EXPECT_EQ(t, m.head.msgh_remote_port, p);
	UT_EXPECT(t, MACH_PORT_VALID(m.head.msgh_local_port) && m.head.msgh_local_port != reply);
	UT_EXPECT_EQ(t, m.port.disposition, MACH_MSG_TYPE_PORT_SEND);
	UT_EXPECT_EQ(t, m.port.name, x);
	UT_EXPECT(t, m.ool.address != NULL && m.ool.size == vm_page_size);
	UT_EXPECT_EQ(t, mr_refs(p, MACH_PORT_RIGHT_SEND), 2);
	UT_EXPECT_EQ(t, mr_refs(x, MACH_PORT_RIGHT_SEND), 2);
	UT_EXPECT_EQ(t, utest_count_names(), names + 1);
	if (m.ool.address)
		UT_EXPECT_EQ(t, *(volatile uint8_t *)m.ool.address, 0x3c);

	/* What a stub with a send timeout does with it. */
	mach_msg_destroy(&m.head);
	mig_dealloc_reply_port(m.head.msgh_local_port);
	UT_EXPECT_EQ(t, mr_refs(p, MACH_PORT_RIGHT_SEND), 1);
	UT_EXPECT_EQ(t, mr_refs(x, MACH_PORT_RIGHT_SEND), 1);
	/* The thread's reply port is a new one (counted by utest_count_names()'s call). */
	UT_EXPECT_EQ(t, utest_count_names(), names);
	UT_EXPECT_EQ(t, utest_mapped(), mapped - vm_page_size);
	UT_EXPECT(t, mig_get_reply_port() != MACH_PORT_NULL);

	UT_EXPECT_EQ(t, utest_receive(p, &r, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, r.head.msgh_id, 1);
	utest_port_destroy(p);
	utest_port_destroy(x);
}

/* ------------------------------------------------------------------------
 * MIG calls from a thread cthreads did not start
 */

#define MR_ROUNDS	300

struct mr_raw {
	mach_port_t	pset;		/* a port set of ours: its type is checked */
	mach_port_t	reply_port;	/* mig_get_reply_port() of the thread */
	bool		no_cthread;	/* cthread_self() was NULL */
	int		errors;
	kern_return_t	first_error;
	volatile bool	done;
};

static void mr_error(struct mr_raw *w, kern_return_t kr)
{
	if (!w->errors++)
		w->first_error = kr;
}

static void mr_calls(struct mr_raw *w)
{
	struct task_basic_info info;
	mach_msg_type_number_t cnt = TASK_BASIC_INFO_COUNT;
	mach_port_type_t type = 0;
	kern_return_t kr;

	kr = mach_port_type(mach_task_self(), w->pset, &type);
	if (kr != KERN_SUCCESS || type != MACH_PORT_TYPE_PORT_SET)
		mr_error(w, kr != KERN_SUCCESS ? kr : KERN_FAILURE);
	kr = task_info(mach_task_self(), TASK_BASIC_INFO, (task_info_t)&info, &cnt);
	if (kr != KERN_SUCCESS || !info.virtual_size)
		mr_error(w, kr != KERN_SUCCESS ? kr : KERN_FAILURE);
	if (mig_get_reply_port() != w->reply_port)
		mr_error(w, KERN_INVALID_NAME);
}

/* The bare thread: MIG calls, then parked until terminated. */
static void mr_raw_main(unsigned long arg)
{
	struct mr_raw *w = (struct mr_raw *)arg;
	int i;

	w->no_cthread = cthread_self() == NULL;
	w->reply_port = mig_get_reply_port();
	for (i = 0; i < MR_ROUNDS; i++) {
		mr_calls(w);
		if (!(i & 31))
			swtch_pri(0);
	}
	w->done = true;
	utest_child_park();
}

/* The cthreads meanwhile. */
static void *mr_cthread_main(void *arg)
{
	struct mr_raw *w = arg;
	int i;

	w->reply_port = mig_get_reply_port();
	for (i = 0; i < MR_ROUNDS; i++) {
		mr_calls(w);
		if (!(i & 31))
			cthread_yield();
	}
	return w;
}

static void utest_mig_reply_raw_thread(struct utest *t)
{
	struct mr_raw raw, cw[2];
	mach_port_t pset = MACH_PORT_NULL, mine = mig_get_reply_port(), thread = MACH_PORT_NULL;
	mach_port_type_t type;
	vm_address_t stack = 0;
	cthread_t th[2];
	int i, spins;

	UT_ASSERT_EQ(t, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &pset),
		     KERN_SUCCESS);
	memset(&raw, 0, sizeof(raw));
	memset(cw, 0, sizeof(cw));
	raw.pset = cw[0].pset = cw[1].pset = pset;
	for (i = 0; i < 2; i++)
		th[i] = cthread_fork(mr_cthread_main, &cw[i]);
	UT_EXPECT_EQ(t, utest_thread_start(mach_task_self(), mr_raw_main, (unsigned long)&raw,
					   &thread, &stack), KERN_SUCCESS);
	for (spins = 0; thread != MACH_PORT_NULL && !raw.done && spins < 20000; spins++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1);
	for (i = 0; i < 2; i++) {
		if (!th[i])
			continue;
		UT_EXPECT(t, cthread_join(th[i]) == &cw[i]);
		UT_EXPECT_EQ(t, cw[i].errors, 0);
		UT_EXPECT_EQ(t, cw[i].first_error, KERN_SUCCESS);
	}
	UT_EXPECT(t, raw.done);
	UT_EXPECT(t, raw.no_cthread);
	UT_EXPECT_EQ(t, raw.errors, 0);
	UT_EXPECT_EQ(t, raw.first_error, KERN_SUCCESS);
	/* Its own port: neither ours nor a cthread's. */
	UT_EXPECT(t, MACH_PORT_VALID(raw.reply_port));
	UT_EXPECT(t, raw.reply_port != mine);
	UT_EXPECT(t, raw.reply_port != cw[0].reply_port && raw.reply_port != cw[1].reply_port);
	UT_EXPECT_EQ(t, mig_get_reply_port(), mine);

	if (thread != MACH_PORT_NULL) {
		thread_terminate(thread);
		mach_port_deallocate(mach_task_self(), thread);
		vm_deallocate(mach_task_self(), stack, UTEST_STACK_SIZE);
	}
	/* The thread is gone: its slot's reference is a dead name until reaped. */
	if (MACH_PORT_VALID(raw.reply_port))
		UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), raw.reply_port, &type),
			     KERN_SUCCESS);
	mig_reply_port_reap();
	if (MACH_PORT_VALID(raw.reply_port))
		UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), raw.reply_port, &type),
			     KERN_INVALID_NAME);
	mach_port_mod_refs(mach_task_self(), pset, MACH_PORT_RIGHT_PORT_SET, -1);
	/* The harness counts the names: the thread's and its port's are gone. */
}

static const struct utest_case utest_mig_reply_cases[] = {
	UTEST_CASE(utest_mig_reply_mismatch),
	UTEST_CASE(utest_mig_reply_type_error),
	UTEST_CASE(utest_mig_reply_send_timeout),
	UTEST_CASE(utest_mig_reply_raw_thread),
	{}
};

const struct utest_suite utest_mig_reply_suite = {
	.name = "mig_reply",
	.cases = utest_mig_reply_cases,
};

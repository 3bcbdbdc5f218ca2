// SPDX-License-Identifier: MIT
/*
 * Suite "msg_returned": a message a send gives back (Mach's
 * pseudo-receive: MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED), and what
 * sending it again or destroying it does with its out-of-line memory.
 *
 * - timeout_resend: a send to a full queue times out; the message's
 *   out-of-line memory is back as a fresh region marked deallocate (the
 *   caller's own page, sent with deallocate FALSE, stays as it was); sent
 *   again once there is room, the message moves that region out of the
 *   map: the mapped bytes are back at their baseline, and the receiver
 *   reads the data.
 * - timeout_destroy: the same with an out-of-line port array as well,
 *   given back as a fresh array region; mach_msg_destroy() releases its
 *   rights and both regions.
 * - interrupted_resend: a thread blocked in such a send is aborted
 *   (thread_abort): the send gives the message back, MACH_SEND_INTERRUPTED,
 *   and libmach's mach_msg() sends it again, which then succeeds once
 *   there is room. The message arrives once, with its data, and the
 *   returned region left the sender's map with it. The caller's buffer
 *   shows the message was given back: its header and descriptor hold the
 *   received forms (MOVE_SEND), not the MAKE_SEND it was sent with.
 */
#include <cthreads.h>
#include "utest.h"

#define MRT_PATTERN	0x6b
#define MRT_PORTS	2

/* A message with a port, out-of-line memory and an out-of-line port array. */
struct mrt_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	ool;
	mach_msg_ool_ports_descriptor_t	ports;
	uint8_t				trailer[64];
};

/* Everything a case needs: a port whose queue is full, memory, rights. */
struct mrt {
	mach_port_t	dest;		/* qlimit 1, one message queued */
	mach_port_t	x;		/* the rights the message carries */
	mach_port_t	names[MRT_PORTS];
	vm_address_t	page;		/* sent out of line, deallocate FALSE */
	struct mrt_msg	m;
	int		names_before;	/* our names and mapped bytes, set up */
	vm_size_t	mapped;
};

static bool mrt_setup(struct utest *t, struct mrt *s)
{
	memset(s, 0, sizeof(*s));
	s->dest = utest_port();
	s->x = utest_port();
	UT_EXPECT(t, s->dest != MACH_PORT_NULL && s->x != MACH_PORT_NULL);
	if (s->dest == MACH_PORT_NULL || s->x == MACH_PORT_NULL)
		return false;
	s->names[0] = s->names[1] = s->x;
	if (mach_port_set_qlimit(mach_task_self(), s->dest, 1) != KERN_SUCCESS ||
	    utest_send(s->dest, MACH_MSG_TYPE_MAKE_SEND, 1, 0, 0) != MACH_MSG_SUCCESS ||
	    vm_allocate(mach_task_self(), &s->page, vm_page_size, TRUE) != KERN_SUCCESS) {
		utest_fail(t, __FILE__, __LINE__, "set-up failed");
		return false;
	}
	memset((void *)s->page, MRT_PATTERN, vm_page_size);

	s->m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	s->m.head.msgh_size = offsetof(struct mrt_msg, trailer);
	s->m.head.msgh_remote_port = s->dest;
	s->m.head.msgh_id = 4711;
	s->m.body.msgh_descriptor_count = 3;
	s->m.port.name = s->x;
	s->m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	s->m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	s->m.ool.address = (void *)s->page;
	s->m.ool.size = vm_page_size;
	s->m.ool.deallocate = FALSE;
	s->m.ool.copy = MACH_MSG_VIRTUAL_COPY;
	s->m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	s->m.ports.address = s->names;
	s->m.ports.count = MRT_PORTS;
	s->m.ports.deallocate = FALSE;
	s->m.ports.copy = MACH_MSG_VIRTUAL_COPY;
	s->m.ports.disposition = MACH_MSG_TYPE_MAKE_SEND;
	s->m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	return true;
}

/* The first queued message (id 1) goes: room for one. */
static void mrt_make_room(struct utest *t, struct mrt *s)
{
	struct utest_msg r;

	UT_EXPECT_EQ(t, utest_receive(s->dest, &r, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, r.head.msgh_id, 1);
}

/* Receive the message sent again: its data, then everything it holds goes. */
static void mrt_receive_it(struct utest *t, struct mrt *s)
{
	struct mrt_msg r;
	mach_msg_return_t mr;

	memset(&r, 0, sizeof(r));
	mr = mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), s->dest, 1000,
		      MACH_PORT_NULL);
	UT_EXPECT_EQ(t, mr, MACH_MSG_SUCCESS);
	if (mr != MACH_MSG_SUCCESS)
		return;
	UT_EXPECT_EQ(t, r.head.msgh_id, 4711);
	UT_EXPECT_EQ(t, r.body.msgh_descriptor_count, 3);
	UT_EXPECT(t, r.ool.address != NULL && r.ool.size == vm_page_size);
	if (r.ool.address)
		UT_EXPECT_EQ(t, ((volatile uint8_t *)r.ool.address)[vm_page_size - 1],
			     MRT_PATTERN);
	UT_EXPECT_EQ(t, r.ports.count, MRT_PORTS);
	if (r.ports.address)
		UT_EXPECT_EQ(t, ((mach_port_t *)r.ports.address)[1], s->x);
	mach_msg_destroy(&r.head);
	/* Sent once: nothing else is queued. */
	UT_EXPECT_EQ(t, mach_msg(&r.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), s->dest,
				 0, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
}

static void mrt_done(struct mrt *s)
{
	vm_deallocate(mach_task_self(), s->page, vm_page_size);
	utest_port_destroy(s->dest);
	utest_port_destroy(s->x);
}

/* Given back: the received forms, the memory in fresh regions to move. */
static void mrt_check_returned(struct utest *t, struct mrt *s)
{
	UT_EXPECT_EQ(t, MACH_MSGH_BITS_REMOTE(s->m.head.msgh_bits), MACH_MSG_TYPE_PORT_SEND);
	UT_EXPECT_EQ(t, s->m.port.disposition, MACH_MSG_TYPE_PORT_SEND);
	UT_EXPECT(t, s->m.ool.address != NULL && s->m.ool.address != (void *)s->page);
	UT_EXPECT_EQ(t, s->m.ool.deallocate, TRUE);
	UT_EXPECT(t, s->m.ports.address != NULL && s->m.ports.address != s->names);
	UT_EXPECT_EQ(t, s->m.ports.deallocate, TRUE);
	UT_EXPECT_EQ(t, s->m.ports.disposition, MACH_MSG_TYPE_PORT_SEND);
}

/*
 * The send to the full queue times out: the message is back, our page as
 * it was, and the two fresh regions (data and names) are mapped.
 */
static bool mrt_timed_out(struct utest *t, struct mrt *s)
{
	if (!mrt_setup(t, s))
		return false;
	s->names_before = utest_count_names();
	s->mapped = utest_mapped();
	UT_EXPECT_EQ(t, mach_msg(&s->m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
				 s->m.head.msgh_size, 0, MACH_PORT_NULL, 10, MACH_PORT_NULL),
		     MACH_SEND_TIMED_OUT);
	mrt_check_returned(t, s);
	UT_EXPECT_EQ(t, *(volatile uint8_t *)s->page, MRT_PATTERN);
	UT_EXPECT_EQ(t, utest_mapped(), s->mapped + 2 * vm_page_size);
	return !t->failed;
}

static void utest_msg_returned_timeout_resend(struct utest *t)
{
	struct mrt s;

	if (!mrt_timed_out(t, &s))
		return;
	/* Sent again as it is: the fresh regions go with it. */
	mrt_make_room(t, &s);
	UT_EXPECT_EQ(t, mach_msg(&s.m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, s.m.head.msgh_size,
				 0, MACH_PORT_NULL, 10, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, utest_mapped(), s.mapped);
	mrt_receive_it(t, &s);
	UT_EXPECT_EQ(t, utest_mapped(), s.mapped);
	UT_EXPECT_EQ(t, utest_count_names(), s.names_before);
	mrt_done(&s);
}

static void utest_msg_returned_timeout_destroy(struct utest *t)
{
	mach_port_urefs_t refs = 0;
	struct mrt s;

	if (!mrt_timed_out(t, &s))
		return;
	/* The destination's, the descriptor's and the array's two send rights. */
	mach_port_get_refs(mach_task_self(), s.x, MACH_PORT_RIGHT_SEND, &refs);
	UT_EXPECT_EQ(t, refs, 1 + 1 + MRT_PORTS);
	mach_msg_destroy(&s.m.head);
	mach_port_get_refs(mach_task_self(), s.x, MACH_PORT_RIGHT_SEND, &refs);
	UT_EXPECT_EQ(t, refs, 1);
	UT_EXPECT_EQ(t, utest_mapped(), s.mapped);
	UT_EXPECT_EQ(t, utest_count_names(), s.names_before);
	mrt_make_room(t, &s);
	mrt_done(&s);
}

/* ------------------------------------------------------------------------
 * MACH_SEND_INTERRUPTED: libmach's mach_msg() sends the message again
 */

struct mrt_sender {
	struct mrt		*s;
	mach_msg_return_t	mr;
	volatile bool		done;
};

static void mrt_sender_main(unsigned long arg)
{
	struct mrt_sender *w = (struct mrt_sender *)arg;

	w->mr = mach_msg(&w->s->m.head, MACH_SEND_MSG, w->s->m.head.msgh_size, 0,
			 MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	w->done = true;
	utest_child_park();
}

/* Wait (up to about a second) for thread to block, or for the sender to finish. */
static bool mrt_blocked(thread_t thread, struct mrt_sender *w)
{
	struct thread_basic_info info;
	mach_msg_type_number_t cnt;
	int spins;

	for (spins = 0; spins < 1000 && !w->done; spins++) {
		cnt = THREAD_BASIC_INFO_COUNT;
		if (thread_info(thread, THREAD_BASIC_INFO, (thread_info_t)&info, &cnt) ==
		    KERN_SUCCESS && info.run_state == TH_STATE_WAITING)
			return true;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1);
	}
	return false;
}

static void utest_msg_returned_interrupted_resend(struct utest *t)
{
	struct mrt s;
	struct mrt_sender w = { .s = &s, .mr = MACH_SEND_INVALID_DEST };
	thread_t thread = MACH_PORT_NULL;
	vm_address_t stack = 0;
	vm_size_t mapped;
	int names, spins;

	if (!mrt_setup(t, &s))
		return;
	UT_ASSERT_EQ(t, utest_thread_start(mach_task_self(), mrt_sender_main, (unsigned long)&w,
					   &thread, &stack), KERN_SUCCESS);
	names = utest_count_names();
	mapped = utest_mapped();
	/* Blocked in the send (the queue is full): aborted, the send gives it back. */
	UT_EXPECT(t, mrt_blocked(thread, &w));
	UT_EXPECT_EQ(t, thread_abort(thread), KERN_SUCCESS);
	/* mach_msg() sends it again and blocks again until there is room. */
	UT_EXPECT(t, mrt_blocked(thread, &w));
	UT_EXPECT(t, !w.done);
	mrt_make_room(t, &s);
	for (spins = 0; !w.done && spins < 1000; spins++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1);
	UT_EXPECT(t, w.done);
	UT_EXPECT_EQ(t, w.mr, MACH_MSG_SUCCESS);
	/* The buffer holds the message as given back, then sent as it was. */
	mrt_check_returned(t, &s);
	/* The returned regions went with it; our page stays. */
	UT_EXPECT_EQ(t, utest_mapped(), mapped);
	UT_EXPECT_EQ(t, *(volatile uint8_t *)s.page, MRT_PATTERN);
	mrt_receive_it(t, &s);
	UT_EXPECT_EQ(t, utest_mapped(), mapped);
	UT_EXPECT_EQ(t, utest_count_names(), names);

	thread_terminate(thread);
	mach_port_deallocate(mach_task_self(), thread);
	vm_deallocate(mach_task_self(), stack, UTEST_STACK_SIZE);
	mrt_done(&s);
}

static const struct utest_case utest_msg_returned_cases[] = {
	UTEST_CASE(utest_msg_returned_timeout_resend),
	UTEST_CASE(utest_msg_returned_timeout_destroy),
	UTEST_CASE(utest_msg_returned_interrupted_resend),
	{}
};

const struct utest_suite utest_msg_returned_suite = {
	.name = "msg_returned",
	.cases = utest_msg_returned_cases,
};

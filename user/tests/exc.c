// SPDX-License-Identifier: MIT
/*
 * Suite "exc": exceptions of a child task's thread caught by us, its
 * handler task. exception_raise on the child's TASK_EXCEPTION_PORT, the
 * thread's state set to go on elsewhere and KERN_SUCCESS answered; the
 * exception ports set, read and swapped by mask at the task, thread and
 * host levels (bad arguments refused, the rights we get counted); a
 * 64-bit STATE_IDENTITY message whose answered state moves the thread's
 * pc; a thread's handler refusing, so that the task's gets it; a fault
 * with no thread or task handler caught on the host's port (host_priv).
 */
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include "utest.h"

#define EXC_CHILD_NAME	0x1705		/* the child's send right to our port */
#define EXC_GO_NAME	0x1805		/* the child's receive right: our go (another index) */
#define EXC_RAISE_ID	2400
#define EXC_HIGH	0x0000123456789000UL	/* unmapped, above 4 GiB */
#define EXC_MTS		MACHINE_THREAD_STATE

static void exc_fault(unsigned long arg)
{
	*(volatile int *)arg = 1;	/* page 0: never mapped */
	utest_child_park();
}

/* Waits for our go, then faults at arg. */
static void exc_fault_on_go(unsigned long arg)
{
	struct utest_msg d;

	utest_receive(EXC_GO_NAME, &d, 5000);
	*(volatile int *)arg = 1;
	utest_child_park();
}

static void exc_resumed(unsigned long arg)
{
	utest_send(arg, MACH_MSG_TYPE_COPY_SEND, 600, 0xfeed, 1000);
	utest_child_park();
}

/* A thread state of the machine's flavor: go on in exc_resumed(EXC_CHILD_NAME). */
static void exc_state_redirect(natural_t *state)
{
#if defined(__x86_64__)
	x86_thread_state64_t *st = (void *)state;

	st->rip = (uint64_t)exc_resumed;
	st->rdi = EXC_CHILD_NAME;
	st->rsp = (st->rsp & ~15UL) - 8;
#else
	arm_thread_state64_t *st = (void *)state;

	st->pc = (uint64_t)exc_resumed;
	st->x[0] = EXC_CHILD_NAME;
	st->sp &= ~15UL;
#endif
}

static kern_return_t exc_redirect(mach_port_t thread)
{
	natural_t st[THREAD_STATE_MAX];
	mach_msg_type_number_t cnt = MACHINE_THREAD_STATE_COUNT;
	kern_return_t kr = thread_get_state(thread, MACHINE_THREAD_STATE, st, &cnt);

	if (kr != KERN_SUCCESS)
		return kr;
	exc_state_redirect(st);
	return thread_set_state(thread, MACHINE_THREAD_STATE, st, cnt);
}

static void utest_exc_handler_task(struct utest *t)
{
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL, e = utest_port();
	struct utest_exc_raise_msg m;
	struct utest_msg d;
	vm_address_t stack;

	UT_ASSERT(t, e != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), TRUE, &child), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_set_special_port(child, TASK_EXCEPTION_PORT, e), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(child, EXC_CHILD_NAME, e, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_thread_start(child, exc_fault, 16, &th, &stack), KERN_SUCCESS);

	memset(&m, 0, sizeof(m));
	UT_EXPECT_EQ(t, mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), e,
				      3000, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, EXC_RAISE_ID);
	if (m.head.msgh_id == EXC_RAISE_ID) {
		UT_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
		UT_EXPECT_EQ(t, m.thread.name, th);
		UT_EXPECT_EQ(t, m.task.name, child);
		UT_EXPECT_EQ(t, exc_redirect(m.thread.name), KERN_SUCCESS);
		/* The reply: KERN_SUCCESS resumes the thread with its new state. */
		UT_EXPECT_EQ(t, utest_exc_reply(&m.head, KERN_SUCCESS), MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, utest_receive(e, &d, 3000), MACH_MSG_SUCCESS);
		UT_EXPECT_EQ(t, d.head.msgh_id, 600);
		UT_EXPECT_EQ(t, d.word, 0xfeed);
		mach_port_deallocate(mach_task_self(), m.thread.name);
		mach_port_deallocate(mach_task_self(), m.task.name);
	}
	UT_EXPECT_EQ(t, task_terminate(child), KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	utest_port_destroy(e);
}

/* A child task whose one thread waits for our go (exc_child_go()) to fault at addr. */
struct exc_child {
	mach_port_t	task, th;
	mach_port_t	e;	/* our port: a receive right and a send right */
	mach_port_t	go;	/* a send right to the child's EXC_GO_NAME */
	vm_address_t	stack;
};

static void exc_child_start(struct utest *t, struct exc_child *c, unsigned long addr)
{
	memset(c, 0, sizeof(*c));
	c->e = utest_port();
	c->go = utest_port();
	UT_ASSERT(t, c->e != MACH_PORT_NULL && c->go != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, task_create(mach_task_self(), TRUE, &c->task), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(c->task, EXC_CHILD_NAME, c->e,
					       MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(c->task, EXC_GO_NAME, c->go,
					       MACH_MSG_TYPE_MOVE_RECEIVE), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_thread_start(c->task, exc_fault_on_go, addr, &c->th, &c->stack),
		     KERN_SUCCESS);
}

static void exc_child_go(struct utest *t, struct exc_child *c)
{
	UT_EXPECT_EQ(t, utest_send(c->go, MACH_MSG_TYPE_COPY_SEND, 700, 0, 1000),
		     MACH_MSG_SUCCESS);
}

/* After exc_resumed(): its message on our port. */
static void exc_child_resumed(struct utest *t, struct exc_child *c)
{
	struct utest_msg d;

	UT_EXPECT_EQ(t, utest_receive(c->e, &d, 3000), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, d.head.msgh_id, 600);
	UT_EXPECT_EQ(t, d.word, 0xfeed);
}

static void exc_child_end(struct utest *t, struct exc_child *c)
{
	if (c->task)
		UT_EXPECT_EQ(t, task_terminate(c->task), KERN_SUCCESS);
	if (c->th)
		mach_port_deallocate(mach_task_self(), c->th);
	if (c->task)
		mach_port_deallocate(mach_task_self(), c->task);
	mach_port_deallocate(mach_task_self(), c->go);
	utest_port_destroy(c->e);
}

/* What a get or a swap answers. */
struct exc_ports {
	exception_mask_t	masks[EXC_TYPES_COUNT];
	mach_port_t		h[EXC_TYPES_COUNT];
	exception_behavior_t	b[EXC_TYPES_COUNT];
	thread_state_flavor_t	f[EXC_TYPES_COUNT];
	mach_msg_type_number_t	n;
};

static void exc_ports_init(struct exc_ports *p)
{
	memset(p, 0, sizeof(*p));
	p->n = EXC_TYPES_COUNT;
}

/* The rights an answer brought. */
static void exc_ports_release(struct exc_ports *p)
{
	mach_msg_type_number_t i;

	for (i = 0; i < p->n && i < EXC_TYPES_COUNT; i++)
		if (MACH_PORT_VALID(p->h[i]))
			mach_port_deallocate(mach_task_self(), p->h[i]);
	p->n = 0;
}

/* The entry of (port, behavior) in p, checked for mask and flavor; -1 if none. */
static int exc_ports_find(struct utest *t, const struct exc_ports *p, mach_port_t port,
			  exception_mask_t mask, exception_behavior_t b)
{
	mach_msg_type_number_t i;

	for (i = 0; i < p->n; i++) {
		if (p->h[i] != port || (port && p->b[i] != b))
			continue;
		UT_EXPECT_EQ(t, p->masks[i], mask);
		if (port)
			UT_EXPECT_EQ(t, p->f[i], EXC_MTS);
		return (int)i;
	}
	utest_fail(t, __FILE__, __LINE__, "no entry for port %#x behavior %#x", port,
		   (unsigned int)b);
	return -1;
}

static mach_port_urefs_t exc_send_refs(mach_port_t name)
{
	mach_port_urefs_t refs = 0;

	mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs);
	return refs;
}

/* The refusals of a set on the task's table, and of a get with a bad mask. */
static void exc_ports_bad_args(struct utest *t, mach_port_t task, mach_port_t e)
{
	struct exc_ports p;

	UT_EXPECT_EQ(t, task_set_exception_ports(task, 1U << 0, e, EXCEPTION_DEFAULT, EXC_MTS),
		     KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, task_set_exception_ports(task, 1U << EXC_TYPES_COUNT, e,
						 EXCEPTION_DEFAULT, EXC_MTS),
		     KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, task_set_exception_ports(task, EXC_MASK_ALL, e, 0, EXC_MTS),
		     KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, task_set_exception_ports(task, EXC_MASK_ALL, e, 4, EXC_MTS),
		     KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, task_set_exception_ports(task, EXC_MASK_ALL, e, EXCEPTION_STATE, 1234),
		     KERN_INVALID_ARGUMENT);
	UT_EXPECT_EQ(t, task_set_exception_ports(task, EXC_MASK_ALL, e, EXCEPTION_STATE, 0),
		     KERN_INVALID_ARGUMENT);
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, task_get_exception_ports(task, 1U << 0, p.masks, &p.n, p.h, p.b, p.f),
		     KERN_INVALID_ARGUMENT);
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, task_swap_exception_ports(task, ~0U, e, EXCEPTION_DEFAULT, EXC_MTS,
						  p.masks, &p.n, p.h, p.b, p.f),
		     KERN_INVALID_ARGUMENT);
}

/*
 * The exception ports through MIG: the child inherited ours (every type
 * to the kernel's port that runs this program); set by masks, read back,
 * swapped; the thread's table and the host's likewise. Every send right
 * an answer brings is one user reference on our name of the port.
 */
static void utest_exc_ports(struct utest *t)
{
	const exception_behavior_t sb = EXCEPTION_STATE | MACH_EXCEPTION_CODES;
	const exception_mask_t ma = EXC_MASK_BAD_ACCESS | EXC_MASK_ARITHMETIC;
	mach_port_t host_priv = MACH_PORT_NULL, inherited;
	mach_port_urefs_t refs;
	struct exc_ports p, saved;
	struct exc_child c;
	int i;

	exc_child_start(t, &c, EXC_HIGH);
	refs = exc_send_refs(c.e);
	exc_ports_init(&p);
	UT_ASSERT_EQ(t, task_get_exception_ports(c.task, EXC_MASK_ALL, p.masks, &p.n, p.h, p.b,
						 p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 1);
	UT_EXPECT_EQ(t, p.masks[0], EXC_MASK_ALL);
	UT_EXPECT_EQ(t, p.b[0], EXCEPTION_DEFAULT);
	UT_EXPECT(t, MACH_PORT_VALID(p.h[0]));
	inherited = p.h[0];
	exc_ports_bad_args(t, c.task, c.e);
	UT_EXPECT_EQ(t, exc_send_refs(c.e), refs);

	UT_EXPECT_EQ(t, task_set_exception_ports(c.task, ma, c.e, EXCEPTION_DEFAULT, EXC_MTS),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_set_exception_ports(c.task, EXC_MASK_BREAKPOINT, c.e, sb, EXC_MTS),
		     KERN_SUCCESS);
	exc_ports_init(&p);
	UT_ASSERT_EQ(t, task_get_exception_ports(c.task, EXC_MASK_ALL, p.masks, &p.n, p.h, p.b,
						 p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 3);
	exc_ports_find(t, &p, c.e, ma, EXCEPTION_DEFAULT);
	exc_ports_find(t, &p, c.e, EXC_MASK_BREAKPOINT, sb);
	exc_ports_find(t, &p, inherited, EXC_MASK_ALL & ~ma & ~EXC_MASK_BREAKPOINT,
		       EXCEPTION_DEFAULT);
	UT_EXPECT_EQ(t, exc_send_refs(c.e), refs + 2);
	exc_ports_release(&p);
	UT_EXPECT_EQ(t, exc_send_refs(c.e), refs);
	/* Room for one entry: one. */
	exc_ports_init(&p);
	p.n = 1;
	UT_EXPECT_EQ(t, task_get_exception_ports(c.task, EXC_MASK_ALL, p.masks, &p.n, p.h, p.b,
						 p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 1);
	exc_ports_find(t, &p, c.e, ma, EXCEPTION_DEFAULT);
	exc_ports_release(&p);
	/* Swap: the old ones of the types asked come back. */
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, task_swap_exception_ports(c.task, ma | EXC_MASK_BREAKPOINT, inherited,
						  EXCEPTION_DEFAULT, EXC_MTS, p.masks, &p.n,
						  p.h, p.b, p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 2);
	exc_ports_find(t, &p, c.e, ma, EXCEPTION_DEFAULT);
	exc_ports_find(t, &p, c.e, EXC_MASK_BREAKPOINT, sb);
	exc_ports_release(&p);
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, task_get_exception_ports(c.task, EXC_MASK_ALL, p.masks, &p.n, p.h, p.b,
						 p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 1);
	exc_ports_find(t, &p, inherited, EXC_MASK_ALL, EXCEPTION_DEFAULT);
	exc_ports_release(&p);

	/* The thread's: none at first. */
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, thread_get_exception_ports(c.th, EXC_MASK_ALL, p.masks, &p.n, p.h, p.b,
						   p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 1);
	exc_ports_find(t, &p, MACH_PORT_NULL, EXC_MASK_ALL, 0);
	UT_EXPECT_EQ(t, thread_set_exception_ports(c.th, EXC_MASK_BAD_ACCESS, c.e,
						   EXCEPTION_STATE_IDENTITY, EXC_MTS),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, thread_set_exception_ports(c.th, EXC_MASK_ALL, c.e, 7, EXC_MTS),
		     KERN_INVALID_ARGUMENT);
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, thread_swap_exception_ports(c.th, EXC_MASK_ALL, MACH_PORT_NULL,
						    EXCEPTION_DEFAULT, EXC_MTS, p.masks, &p.n,
						    p.h, p.b, p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 2);
	exc_ports_find(t, &p, c.e, EXC_MASK_BAD_ACCESS, EXCEPTION_STATE_IDENTITY);
	exc_ports_find(t, &p, MACH_PORT_NULL, EXC_MASK_ALL & ~EXC_MASK_BAD_ACCESS, 0);
	exc_ports_release(&p);

	/*
	 * The host's (host_priv, which the kernel's user suite gives us; not
	 * a run from the shell), left as found.
	 */
	if (mach_bootstrap_ports(&host_priv, NULL) != KERN_SUCCESS || !host_priv) {
		utest_ktap(2, "# exc_ports: no host_priv port, host level not tried");
	} else {
		exc_ports_init(&saved);
		UT_EXPECT_EQ(t, host_swap_exception_ports(host_priv, EXC_MASK_ARITHMETIC, c.e,
							  sb, EXC_MTS, saved.masks, &saved.n,
							  saved.h, saved.b, saved.f),
			     KERN_SUCCESS);
		exc_ports_init(&p);
		UT_EXPECT_EQ(t, host_get_exception_ports(host_priv, EXC_MASK_ARITHMETIC, p.masks,
							 &p.n, p.h, p.b, p.f), KERN_SUCCESS);
		UT_EXPECT_EQ(t, p.n, 1);
		exc_ports_find(t, &p, c.e, EXC_MASK_ARITHMETIC, sb);
		exc_ports_release(&p);
		for (i = 0; i < (int)saved.n; i++)
			UT_EXPECT_EQ(t, host_set_exception_ports(host_priv, saved.masks[i],
								 saved.h[i], saved.b[i],
								 saved.f[i]), KERN_SUCCESS);
		exc_ports_release(&saved);
		UT_EXPECT_EQ(t, host_set_exception_ports(host_priv, 1U << 0, MACH_PORT_NULL, 0,
							 0), KERN_INVALID_ARGUMENT);
		mach_port_deallocate(mach_task_self(), host_priv);
	}
	UT_EXPECT_EQ(t, exc_send_refs(c.e), refs);
	mach_port_deallocate(mach_task_self(), inherited);
	exc_child_end(t, &c);
}

/* Any exception message, as we receive it, and the reply to the state ones. */
union exc_msg {
	mach_msg_header_t	head;
	struct utest_exc_raise_msg	raise;
	struct {	/* 2401 */
		mach_msg_header_t		head;
		exception_type_t		exception;
		mach_msg_type_number_t		code_count;
		int				flavor;
		mach_msg_type_number_t		state_count;
		integer_t			code[EXCEPTION_CODE_MAX];
		natural_t			state[THREAD_STATE_MAX];
	} state;
	struct {	/* 2407 */
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	thread;
		mach_msg_port_descriptor_t	task;
		exception_type_t		exception;
		mach_msg_type_number_t		code_count;
		int				flavor;
		mach_msg_type_number_t		state_count;
		int64_t				code[EXCEPTION_CODE_MAX];
		natural_t			state[THREAD_STATE_MAX];
	} mach_state_identity;
	uint8_t	room[1024];
};

static mach_msg_return_t exc_receive(mach_port_t port, union exc_msg *m)
{
	memset(m, 0, sizeof(*m));
	return mach_msg_trap(&m->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port,
			     3000, MACH_PORT_NULL);
}

/* The reply to m: kr alone, or KERN_SUCCESS with the state to go on with. */
static mach_msg_return_t exc_reply(const union exc_msg *m, kern_return_t kr, int flavor,
				   const natural_t *state, mach_msg_type_number_t count)
{
	struct {
		mach_msg_header_t	head;
		kern_return_t		ret;
		int			flavor;
		mach_msg_type_number_t	count;
		natural_t		state[THREAD_STATE_MAX];
	} r;

	memset(&r, 0, sizeof(r));
	r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.head.msgh_size = offsetof(typeof(r), ret) + sizeof(r.ret);
	if (state) {
		r.flavor = flavor;
		r.count = count;
		memcpy(r.state, state, count * sizeof(natural_t));
		r.head.msgh_size = offsetof(typeof(r), state) + count * sizeof(natural_t);
	}
	r.head.msgh_remote_port = m->head.msgh_remote_port;
	r.head.msgh_id = m->head.msgh_id + 100;
	r.ret = kr;
	return mach_msg_trap(&r.head, MACH_SEND_MSG, r.head.msgh_size, 0, 0, 0, 0);
}

/*
 * EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES: mach_exception_raise_
 * state_identity (2407) with the thread, the task, the whole 64-bit
 * address and the thread's state; the state we answer moves its pc.
 */
static void utest_exc_state_codes(struct utest *t)
{
	union exc_msg m;
	struct exc_child c;

	exc_child_start(t, &c, EXC_HIGH);
	UT_EXPECT_EQ(t, task_set_exception_ports(c.task, EXC_MASK_BAD_ACCESS, c.e,
						 EXCEPTION_STATE_IDENTITY | MACH_EXCEPTION_CODES,
						 EXC_MTS), KERN_SUCCESS);
	exc_child_go(t, &c);
	UT_EXPECT_EQ(t, exc_receive(c.e, &m), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, 2407);
	if (m.head.msgh_id == 2407) {
		typeof(m.mach_state_identity) *r = &m.mach_state_identity;

		UT_EXPECT_EQ(t, r->exception, EXC_BAD_ACCESS);
		UT_EXPECT_EQ(t, r->code_count, EXCEPTION_CODE_MAX);
		UT_EXPECT_EQ(t, r->code[0], KERN_INVALID_ADDRESS);
		UT_EXPECT_EQ(t, (uint64_t)r->code[1], EXC_HIGH);
		UT_EXPECT_EQ(t, r->thread.name, c.th);
		UT_EXPECT_EQ(t, r->task.name, c.task);
		UT_EXPECT_EQ(t, r->flavor, EXC_MTS);
		UT_EXPECT_EQ(t, r->state_count, MACHINE_THREAD_STATE_COUNT);
		exc_state_redirect(r->state);
		UT_EXPECT_EQ(t, exc_reply(&m, KERN_SUCCESS, r->flavor, r->state, r->state_count),
			     MACH_MSG_SUCCESS);
		mach_port_deallocate(mach_task_self(), r->thread.name);
		mach_port_deallocate(mach_task_self(), r->task.name);
		exc_child_resumed(t, &c);
	}
	exc_child_end(t, &c);
}

/*
 * The thread's port first (EXCEPTION_STATE, 2401: no identity, the low
 * 32 bits of the address) refuses; the task's (exception_raise, 2400) gets
 * it and redirects the thread with thread_set_state.
 */
static void utest_exc_levels(struct utest *t)
{
	mach_port_t te = utest_port();
	union exc_msg m;
	struct exc_child c;

	exc_child_start(t, &c, EXC_HIGH);
	UT_EXPECT_EQ(t, thread_set_exception_ports(c.th, EXC_MASK_BAD_ACCESS, te,
						   EXCEPTION_STATE, EXC_MTS), KERN_SUCCESS);
	UT_EXPECT_EQ(t, task_set_exception_ports(c.task, EXC_MASK_BAD_ACCESS, c.e,
						 EXCEPTION_DEFAULT, EXC_MTS), KERN_SUCCESS);
	exc_child_go(t, &c);
	UT_EXPECT_EQ(t, exc_receive(te, &m), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, 2401);
	UT_EXPECT(t, !(m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX));
	UT_EXPECT_EQ(t, m.state.code[1], (integer_t)(EXC_HIGH & 0xffffffffUL));
	UT_EXPECT_EQ(t, m.state.state_count, MACHINE_THREAD_STATE_COUNT);
	UT_EXPECT_EQ(t, exc_reply(&m, KERN_FAILURE, 0, NULL, 0), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, exc_receive(c.e, &m), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, EXC_RAISE_ID);
	if (m.head.msgh_id == EXC_RAISE_ID) {
		UT_EXPECT_EQ(t, m.raise.exception, EXC_BAD_ACCESS);
		UT_EXPECT_EQ(t, m.raise.thread.name, c.th);
		UT_EXPECT_EQ(t, exc_redirect(m.raise.thread.name), KERN_SUCCESS);
		UT_EXPECT_EQ(t, exc_reply(&m, KERN_SUCCESS, 0, NULL, 0), MACH_MSG_SUCCESS);
		mach_port_deallocate(mach_task_self(), m.raise.thread.name);
		mach_port_deallocate(mach_task_self(), m.raise.task.name);
		exc_child_resumed(t, &c);
	}
	exc_child_end(t, &c);
	utest_port_destroy(te);
}

/*
 * The host's port last: the child's task has no handler for EXC_BAD_ACCESS
 * (its inherited one, the kernel's port that runs us, taken off) and its
 * thread none, so the fault goes to the host's port, ours for the case;
 * we redirect the thread and it goes on. The host's ports are then set
 * back as they were (the kernel's own handler, or none) and read back.
 */
static void utest_exc_host(struct utest *t)
{
	struct exc_ports saved, p;
	mach_port_t host_priv = utest_host_priv(t);
	mach_msg_type_number_t i;
	union exc_msg m;
	struct exc_child c;

	if (host_priv == MACH_PORT_NULL)
		return;
	exc_child_start(t, &c, EXC_HIGH);
	UT_EXPECT_EQ(t, task_set_exception_ports(c.task, EXC_MASK_BAD_ACCESS, MACH_PORT_NULL,
						 EXCEPTION_DEFAULT, EXC_MTS), KERN_SUCCESS);
	exc_ports_init(&saved);
	UT_EXPECT_EQ(t, host_swap_exception_ports(host_priv, EXC_MASK_BAD_ACCESS, c.e,
						  EXCEPTION_DEFAULT, EXC_MTS, saved.masks,
						  &saved.n, saved.h, saved.b, saved.f), KERN_SUCCESS);
	exc_child_go(t, &c);
	UT_EXPECT_EQ(t, exc_receive(c.e, &m), MACH_MSG_SUCCESS);
	UT_EXPECT_EQ(t, m.head.msgh_id, EXC_RAISE_ID);
	if (m.head.msgh_id == EXC_RAISE_ID) {
		UT_EXPECT_EQ(t, m.raise.exception, EXC_BAD_ACCESS);
		UT_EXPECT_EQ(t, m.raise.code[0], KERN_INVALID_ADDRESS);
		UT_EXPECT_EQ(t, m.raise.thread.name, c.th);
		UT_EXPECT_EQ(t, m.raise.task.name, c.task);
		UT_EXPECT_EQ(t, exc_redirect(m.raise.thread.name), KERN_SUCCESS);
		UT_EXPECT_EQ(t, exc_reply(&m, KERN_SUCCESS, 0, NULL, 0), MACH_MSG_SUCCESS);
		mach_port_deallocate(mach_task_self(), m.raise.thread.name);
		mach_port_deallocate(mach_task_self(), m.raise.task.name);
		exc_child_resumed(t, &c);
	}
	/* As found: each old entry set again (a null port clears its types). */
	UT_EXPECT_EQ(t, saved.n, 1);
	for (i = 0; i < saved.n; i++)
		UT_EXPECT_EQ(t, host_set_exception_ports(host_priv, saved.masks[i], saved.h[i],
							 saved.b[i] ? saved.b[i] : EXCEPTION_DEFAULT,
							 saved.f[i] ? saved.f[i] : EXC_MTS),
			     KERN_SUCCESS);
	exc_ports_init(&p);
	UT_EXPECT_EQ(t, host_get_exception_ports(host_priv, EXC_MASK_BAD_ACCESS, p.masks, &p.n,
						 p.h, p.b, p.f), KERN_SUCCESS);
	UT_EXPECT_EQ(t, p.n, 1);
	if (saved.n == 1 && p.n == 1)
		UT_EXPECT_EQ(t, p.h[0], saved.h[0]);
	exc_ports_release(&p);
	exc_ports_release(&saved);
	exc_child_end(t, &c);
	mach_port_deallocate(mach_task_self(), host_priv);
}

static const struct utest_case utest_exc_cases[] = {
	UTEST_CASE(utest_exc_handler_task),
	UTEST_CASE(utest_exc_ports),
	UTEST_CASE(utest_exc_state_codes),
	UTEST_CASE(utest_exc_levels),
	UTEST_CASE(utest_exc_host),
	{}
};

const struct utest_suite utest_exc_suite = { "exc", utest_exc_cases, false };

// SPDX-License-Identifier: MIT
/*
 * Suite "dpdead": a default memory manager that dies mid-run
 * (Documentation/mm/vm.rst, "The default memory manager", "A manager that
 * dies"). A child task, the manager, holds most of the free memory wired
 * (vm_wire on its behalf) and the receive right of the registered default
 * manager's port, and takes a message or two without ever answering.
 * A second child, the victim, writes a workload made after the
 * registration, so the pageout daemon sends its pages to the manager: they
 * pile up there, in flight (the kernel's laundry), until the manager dies,
 * by task_terminate() from us or by an exception nobody handles. Then:
 *
 * - the manager's wired memory is unwired and freed (host_statistics: the
 *   free and wire counts back near their baseline);
 * - a page of the victim the manager was given fails its fault with
 *   KERN_MEMORY_ERROR (an exception to us, its handler) instead of hanging;
 * - the pageout daemon still cleans: with most memory wired again, a fresh
 *   workload of a new victim pages out (to the kernel's swap now) and reads
 *   back intact;
 * - asking for the registration gives the kernel's pager's port again.
 *
 * The kernel's user suite checks its counts after the program (objects,
 * ports, zones): a leaked in-flight page is an object.
 *
 * The children end themselves when we are gone: tasks are not a tree, and
 * if the kernel ends us (its time for the program is up) nothing else
 * ends them, and their wired memory would starve every later test. Each
 * holds a send right to a port of ours (DD_ALIVE_NAME), probed now and
 * then; a dead name means we died, and the child faults with no handler.
 */
#include <mach/host_info.h>
#include <mach/vm_statistics.h>
#include "utest.h"

#define PG		4096UL
#define DD_WORK		4096UL		/* workload pages (16 MiB) */
#define DD_FREE_LEFT	3072UL		/* free pages left by the wiring */
#define DD_SLACK	96L		/* pages the kernel may hold meanwhile */
#define DD_MGR_NAME	0x1905		/* the manager's receive right, in its space */
#define DD_ALIVE_NAME	0x1a05		/* a child's send right to our port `alive` (index 0x1a) */
#define DD_ALIVE_ID	1907		/* a probe of it */
#define DD_ALIVE_MS	100		/* how often a child probes, about */
#define DD_EXC_ID	2400		/* exception_raise */
#define DD_CREATE_ID	2250		/* memory_object_create */
#define DD_DIE_ID	1905		/* to the manager: fault */
#define DD_WIRED_MAX	16		/* regions of a task wired */
#define DD_RELIEF	1024UL		/* wired pages given back once it has one */

enum dd_cmd { DD_IDLE, DD_WRITE, DD_CHECK };

/* Shared with the children (VM_INHERIT_SHARE), one page. */
struct dd_shared {
	volatile int		cmd;		/* the victim's order, DD_IDLE when done */
	volatile unsigned long	addr, pages, round;
	volatile int		until_create;	/* DD_WRITE: stop once the manager has one */
	volatile unsigned long	done, bad;	/* the victim's progress */
	volatile unsigned int	creates;	/* memory_object_create the manager took */
	volatile mach_port_t	control;	/* the manager's name of its control port */
	volatile int		up;		/* threads started (their stacks touched) */
	volatile unsigned int	mgr_msgs;	/* what the manager received: how many, */
	volatile int		mgr_last, mgr_mr;	/* the last id, the last receive's result */
};

static uint64_t dd_word(unsigned long p, unsigned long round)
{
	return (p * 0x9e3779b97f4a7c15ULL) ^ (0x64646561ULL * round);
}

/*
 * Are we (the parent) gone? A child's probe of our port, by traps: the
 * send fails with MACH_SEND_INVALID_DEST once the port is dead; a full
 * queue (no one reads the probes) times out at once.
 */
static bool dd_parent_gone(void)
{
	mach_msg_header_t h;

	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = DD_ALIVE_NAME;
	h.msgh_id = DD_ALIVE_ID;
	return mach_msg_trap(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL,
			     0, MACH_PORT_NULL) == MACH_SEND_INVALID_DEST;
}

/* A child's end: a fault nobody handles (our exception port is dead too). */
static void dd_die(void)
{
	volatile int *volatile page0 = (volatile int *)16;	/* never mapped */

	*page0 = 1;
}

/*
 * The victim's thread: writes or checks one word a page (the first word;
 * the rest of the page stays zero) as the shared page orders.
 */
static void dd_victim(unsigned long arg)
{
	struct dd_shared *s = (struct dd_shared *)arg;
	unsigned long p, polls = 0;

	s->up++;
	for (;;) {
		while (s->cmd == DD_IDLE) {
			thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1);
			if (!(++polls % DD_ALIVE_MS) && dd_parent_gone())
				dd_die();
		}
		for (p = 0; p < s->pages && !(s->until_create && s->creates); p++) {
			volatile uint64_t *w = (volatile uint64_t *)(s->addr + p * PG);

			if (s->cmd == DD_WRITE)
				*w = dd_word(p, s->round);
			else if (*w != dd_word(p, s->round))
				s->bad++;
			s->done = p + 1;
		}
		s->cmd = DD_IDLE;
	}
}

/*
 * The manager's thread: takes the first memory_object_create (its object's
 * receive right, with the pages queued on it, and the control port's send
 * right stay in its space; the control port's name goes to the parent),
 * then never answers anything; faults when a DD_DIE_ID message comes, or
 * when the parent is gone.
 */
static void dd_manager(unsigned long arg)
{
	struct dd_shared *s = (struct dd_shared *)arg;
	mach_msg_return_t mr;
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port[3];	/* object, control, name */
		uint8_t				rest[256];
	} m;

	s->up++;
	for (;;) {
		memset(&m, 0, sizeof(m));
		mr = mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m),
				   DD_MGR_NAME, DD_ALIVE_MS, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS && dd_parent_gone())
			dd_die();
		if (mr == MACH_RCV_TIMED_OUT)
			continue;
		s->mgr_mr = mr;
		if (mr != MACH_MSG_SUCCESS) {
			/* No receive right yet (the parent wires first): no spinning. */
			thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
			continue;
		}
		s->mgr_msgs++;
		s->mgr_last = m.head.msgh_id;
		if (m.head.msgh_id == DD_DIE_ID)
			dd_die();
		if (m.head.msgh_id == DD_CREATE_ID && m.body.msgh_descriptor_count == 3 &&
		    !s->creates) {
			s->control = m.port[1].name;
			s->creates++;
		}
	}
}

struct dd_stats {
	long	free, wired;
	long	pageouts;
};

static bool dd_stats(mach_port_t host, struct dd_stats *st)
{
	struct vm_statistics vs;
	mach_msg_type_number_t cnt = HOST_VM_INFO_COUNT;

	if (host_statistics(host, HOST_VM_INFO, (host_info_t)&vs, &cnt) != KERN_SUCCESS)
		return false;
	st->free = vs.free_count;
	st->wired = vs.wire_count;
	st->pageouts = vs.pageouts;
	return true;
}

/* Wait (up to ms) until cond holds for the counts; the last counts in *st. */
#define DD_WAIT_STATS(host, st, ms, cond) ({					\
		unsigned int i_;						\
		bool ok_ = false;						\
		for (i_ = 0; i_ <= (ms) / 10 && !ok_; i_++) {			\
			ok_ = dd_stats(host, st) && (cond);			\
			if (!ok_)						\
				thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10); \
		}								\
		ok_;								\
	})

/* A child task running fn(shared) in a thread of its own. */
struct dd_child {
	task_t		task;
	thread_t	th;
	vm_address_t	stack;
};

/* Start one, with a send right to alive (ours) as DD_ALIVE_NAME in its space. */
static kern_return_t dd_child_start(struct dd_child *c, void (*fn)(unsigned long),
				    struct dd_shared *s, mach_port_t exc, mach_port_t alive)
{
	kern_return_t kr;

	memset(c, 0, sizeof(*c));
	kr = task_create(mach_task_self(), TRUE, &c->task);
	if (kr != KERN_SUCCESS)
		return kr;
	/* Ours is the kernel's case port: a child's exception must not go there. */
	kr = task_set_special_port(c->task, TASK_EXCEPTION_PORT, exc);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(c->task, DD_ALIVE_NAME, alive, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = utest_thread_start(c->task, fn, (unsigned long)s, &c->th, &c->stack);
	return kr;
}

static void dd_child_end(struct utest *t, struct dd_child *c)
{
	kern_return_t kr;

	if (!c->task)
		return;
	kr = task_terminate(c->task);
	/* A task already gone: its port is dead (our name of it stays). */
	UT_EXPECT(t, kr == KERN_SUCCESS || kr == KERN_TERMINATED ||
		     kr == MACH_SEND_INVALID_DEST);
	if (c->th)
		mach_port_deallocate(mach_task_self(), c->th);
	mach_port_deallocate(mach_task_self(), c->task);
	c->task = MACH_PORT_NULL;
}

/*
 * Wire most of the free memory in task (true if it did): *size bytes at
 * *addr, and, if relief, DD_RELIEF pages of it in a region of their own
 * at *relief (an entry apart: its removal frees its pages).
 */
static bool dd_pressure(struct utest *t, mach_port_t host_priv, task_t task,
			vm_address_t *addr, vm_size_t *size, vm_address_t *relief)
{
	struct dd_stats st;
	vm_size_t rsize = relief ? DD_RELIEF * PG : 0;

	*addr = 0;
	*size = 0;
	if (!dd_stats(host_priv, &st) || st.free <= (long)(DD_FREE_LEFT + DD_RELIEF))
		return false;
	*size = (st.free - DD_FREE_LEFT) * PG - rsize;
	UT_EXPECT_EQ(t, vm_allocate(task, addr, *size, TRUE), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_wire(host_priv, task, *addr, *size, VM_PROT_READ | VM_PROT_WRITE),
		     KERN_SUCCESS);
	if (relief) {
		*relief = 0;
		UT_EXPECT_EQ(t, vm_allocate(task, relief, rsize, TRUE), KERN_SUCCESS);
		UT_EXPECT_EQ(t, vm_wire(host_priv, task, *relief, rsize,
					VM_PROT_READ | VM_PROT_WRITE), KERN_SUCCESS);
	}
	return *addr != 0;
}

/* Order the victim and wait (up to ms) until it is done; its pages done. */
static unsigned long dd_order(struct dd_shared *s, int cmd, vm_address_t addr,
			      unsigned long round, unsigned int ms)
{
	unsigned int i;

	s->addr = addr;
	s->pages = DD_WORK;
	s->round = round;
	s->done = 0;
	s->bad = 0;
	s->cmd = cmd;
	for (i = 0; i < ms / 10 && s->cmd != DD_IDLE; i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
	return s->done;
}

/* Is name a dead name yet (up to ms)? */
static bool dd_dead_name(mach_port_t name, unsigned int ms)
{
	mach_port_type_t type = 0;
	unsigned int i;

	for (i = 0; i <= ms / 10; i++) {
		if (mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS)
			return false;
		if (type & MACH_PORT_TYPE_DEAD_NAME)
			return true;
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
	}
	return false;
}

/* Answer an exception message: KERN_SUCCESS resumes the thread. */
static void dd_exc_reply(const struct utest_exc_raise_msg *m, kern_return_t ret)
{
	utest_exc_reply(&m->head, ret);
	mach_port_deallocate(mach_task_self(), m->thread.name);
	mach_port_deallocate(mach_task_self(), m->task.name);
}

/*
 * The victim writes until the manager has the object. Memory is short
 * until then, and the manager takes nothing: a fault of the victim may
 * give up (KERN_RESOURCE_SHORTAGE), which we, its handler, answer by
 * resuming it once some of the manager's wiring (DD_RELIEF pages) is
 * given back. Pages written.
 */
static unsigned long dd_write_until_create(struct utest *t, mach_port_t host_priv,
					   struct dd_shared *s, mach_port_t exc, task_t mgr,
					   vm_address_t work, vm_address_t relief)
{
	struct utest_exc_raise_msg m;
	struct dd_stats st;
	unsigned int i, shortages = 0;
	bool relieved = false;

	s->until_create = 1;
	dd_order(s, DD_WRITE, work, 1, 0);
	for (i = 0; i < 1000 && s->cmd != DD_IDLE; i++) {
		if (s->creates && !relieved && relief) {
			UT_EXPECT_EQ(t, vm_deallocate(mgr, relief, DD_RELIEF * PG), KERN_SUCCESS);
			relieved = true;
		}
		memset(&m, 0, sizeof(m));
		if (mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), exc, 10,
				  MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			continue;
		UT_EXPECT_EQ(t, m.head.msgh_id, DD_EXC_ID);
		UT_EXPECT_EQ(t, m.code[0], KERN_RESOURCE_SHORTAGE);
		shortages++;
		dd_exc_reply(&m, KERN_SUCCESS);
	}
	s->until_create = 0;
	UT_EXPECT_EQ(t, s->cmd, DD_IDLE);
	utest_ktap(2, "# dpdead: %lu pages written, %u shortages; the manager received %u "
		   "(last %d, %#x); %ld free", s->done, shortages, s->mgr_msgs, s->mgr_last,
		   s->mgr_mr, dd_stats(host_priv, &st) ? st.free : -1L);
	return s->done;
}

/*
 * After the manager's death: a fresh victim, most memory wired in it, a
 * new workload written and read back (the pages go to the kernel's swap:
 * the daemon is not stuck on what was in flight to the dead manager).
 */
static void dd_daemon_works(struct utest *t, mach_port_t host_priv, struct dd_shared *s,
			    mach_port_t exc, mach_port_t alive)
{
	struct utest_range r[DD_WIRED_MAX];
	struct dd_stats st = { 0 }, before;
	vm_address_t wired = 0, work = 0;
	vm_size_t wire_size;
	struct dd_child v;
	unsigned int n;
	uint64_t t0;

	UT_ASSERT(t, dd_stats(host_priv, &before));
	s->cmd = DD_IDLE;	/* the last victim's order, if it died with one */
	UT_ASSERT_EQ(t, dd_child_start(&v, dd_victim, s, exc, alive), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_wire_task(host_priv, v.task, r, DD_WIRED_MAX, &n), KERN_SUCCESS);
	UT_EXPECT(t, dd_pressure(t, host_priv, v.task, &wired, &wire_size, NULL));
	UT_EXPECT_EQ(t, vm_allocate(v.task, &work, DD_WORK * PG, TRUE), KERN_SUCCESS);
	UT_EXPECT_EQ(t, dd_order(s, DD_WRITE, work, 3, 30000), DD_WORK);
	UT_EXPECT_EQ(t, dd_order(s, DD_CHECK, work, 3, 30000), DD_WORK);
	UT_EXPECT_EQ(t, s->bad, 0);
	UT_EXPECT(t, dd_stats(host_priv, &st) && st.pageouts > before.pageouts);
	/* The wired region goes at once (Documentation/mm/vm.rst: it took 8 s). */
	t0 = mach_absolute_time();
	UT_EXPECT_EQ(t, vm_deallocate(v.task, wired, wire_size), KERN_SUCCESS);
	t0 = mach_absolute_time() - t0;
	utest_ktap(2, "# dpdead: afterwards %lu MiB wired, %ld pages out; its vm_deallocate "
		   "took %lu ms", wire_size >> 20, st.pageouts - before.pageouts,
		   (unsigned long)(t0 / 1000000));
	dd_child_end(t, &v);
}

static void dd_run(struct utest *t, bool by_exception)
{
	mach_port_t host_priv = utest_host_priv(t), port, kernel, exc, alive, old;
	struct dd_child mgr = { 0 }, vic = { 0 };
	struct utest_range ours[DD_WIRED_MAX], r[DD_WIRED_MAX];
	struct dd_stats base, pre = { 0 }, st = { 0 };
	struct utest_exc_raise_msg m;
	struct dd_shared *s = NULL;
	vm_address_t shared = 0, wired = 0, work = 0, relief = 0;
	vm_size_t wire_size = 0;
	mach_msg_type_name_t type;
	unsigned int i, nours = 0, n;
	unsigned long written;
	mach_port_t ctl;
	bool got;

	if (host_priv == MACH_PORT_NULL)
		return;
	exc = utest_port();
	UT_ASSERT(t, exc != MACH_PORT_NULL);
	alive = utest_port();
	UT_ASSERT(t, alive != MACH_PORT_NULL);
	UT_ASSERT_EQ(t, vm_allocate(mach_task_self(), &shared, PG, TRUE), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_inherit(mach_task_self(), shared, PG, VM_INHERIT_SHARE), KERN_SUCCESS);
	s = (struct dd_shared *)shared;
	/*
	 * Our own regions resident before the baseline: wiring them below
	 * faults in every page of them (the stack, data), which stay ours
	 * after the unwiring until the program ends. Run first in the
	 * program, before any other suite had touched them, that left the
	 * end's free count some 140 pages under a baseline taken before it.
	 */
	UT_EXPECT_EQ(t, utest_wire_task(host_priv, mach_task_self(), ours, DD_WIRED_MAX, &nours),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_unwire(host_priv, mach_task_self(), ours, nours), KERN_SUCCESS);
	UT_ASSERT(t, dd_stats(host_priv, &base));

	/*
	 * The manager and the victim, running (their stacks' objects made)
	 * before the registration: only the workload is the manager's. They
	 * and we are wired while memory is short (a fault there would fail
	 * with KERN_RESOURCE_SHORTAGE: the manager takes nothing, so the
	 * daemon frees little). The manager holds most free memory wired
	 * too, and our port's receive right.
	 */
	UT_ASSERT_EQ(t, dd_child_start(&mgr, dd_manager, s, MACH_PORT_NULL, alive), KERN_SUCCESS);
	UT_ASSERT_EQ(t, dd_child_start(&vic, dd_victim, s, exc, alive), KERN_SUCCESS);
	for (i = 0; i < 500 && s->up < 2; i++)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 10);
	UT_EXPECT_EQ(t, s->up, 2);
	UT_EXPECT_EQ(t, utest_wire_task(host_priv, mach_task_self(), ours, DD_WIRED_MAX, &nours),
		     KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_wire_task(host_priv, mgr.task, r, DD_WIRED_MAX, &n), KERN_SUCCESS);
	UT_EXPECT_EQ(t, utest_wire_task(host_priv, vic.task, r, DD_WIRED_MAX, &n), KERN_SUCCESS);
	UT_EXPECT_EQ(t, vm_allocate(vic.task, &work, DD_WORK * PG, TRUE), KERN_SUCCESS);
	UT_EXPECT(t, dd_stats(host_priv, &pre));
	UT_EXPECT(t, dd_pressure(t, host_priv, mgr.task, &wired, &wire_size, &relief));
	port = utest_port();
	kernel = port;
	UT_ASSERT_EQ(t, vm_set_default_memory_manager(host_priv, &kernel), KERN_SUCCESS);
	UT_EXPECT_EQ(t, mach_port_insert_right(mgr.task, DD_MGR_NAME, port,
					       MACH_MSG_TYPE_MOVE_RECEIVE), KERN_SUCCESS);
	/* port is now our send right alone: a dead name once the manager is gone. */

	/*
	 * The victim's workload, made now: written until the daemon's first
	 * pageout of it gives the manager the object (memory_object_create);
	 * then some of the wiring goes (the manager still holds most of it).
	 */
	written = dd_write_until_create(t, host_priv, s, exc, mgr.task, work, relief);
	UT_EXPECT_EQ(t, s->creates, 1);
	/*
	 * Everything written goes to the manager: a flush through the
	 * object's control port (the manager's send right, copied to us).
	 * Nobody takes it: it stays in flight, copies of the pages.
	 */
	ctl = MACH_PORT_NULL;
	if (s->creates)
		UT_EXPECT_EQ(t, mach_port_extract_right(mgr.task, s->control,
							MACH_MSG_TYPE_COPY_SEND, &ctl, &type),
			     KERN_SUCCESS);
	if (MACH_PORT_VALID(ctl)) {
		UT_EXPECT_EQ(t, memory_object_lock_request(ctl, 0, DD_WORK * PG,
							   MEMORY_OBJECT_RETURN_ALL, TRUE,
							   VM_PROT_NO_CHANGE, MACH_PORT_NULL),
			     KERN_SUCCESS);
		mach_port_deallocate(mach_task_self(), ctl);
	}
	UT_EXPECT(t, dd_stats(host_priv, &st));
	UT_EXPECT(t, st.pageouts > base.pageouts);
	utest_ktap(2, "# dpdead: %lu MiB wired, %lu pages written, %ld out (daemon and flush)",
		   wire_size >> 20, written, st.pageouts - base.pageouts);

	/* The manager dies, its pages in flight. */
	if (by_exception)
		UT_EXPECT_EQ(t, utest_send(port, MACH_MSG_TYPE_COPY_SEND, DD_DIE_ID, 0, 1000),
			     MACH_MSG_SUCCESS);
	else
		UT_EXPECT_EQ(t, task_terminate(mgr.task), KERN_SUCCESS);
	UT_EXPECT(t, dd_dead_name(port, 10000));
	/* Its wired memory goes (we and the victim are still wired, as before it). */
	UT_EXPECT(t, DD_WAIT_STATS(host_priv, &st, 20000, st.wired <= pre.wired + DD_SLACK));
	UT_EXPECT(t, st.free > (long)(wire_size / PG) / 2);
	utest_ktap(2, "# dpdead: manager gone: %ld pages wired (%ld before it wired), %ld free",
		   st.wired, pre.wired, st.free);

	/* Its pages fail their faults: the victim's read-back takes an exception. */
	if (s->cmd == DD_IDLE)
		dd_order(s, DD_CHECK, work, 1, 0);	/* not waited for: it faults */
	memset(&m, 0, sizeof(m));
	got = mach_msg_trap(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), exc, 20000,
			    MACH_PORT_NULL) == MACH_MSG_SUCCESS;
	UT_EXPECT(t, got);
	if (got) {
		/* code[1], an integer_t, is the address's low 32 bits. */
		uint32_t page = ((uint32_t)m.code[1] - (uint32_t)work) / PG;

		UT_EXPECT_EQ(t, m.head.msgh_id, DD_EXC_ID);
		UT_EXPECT_EQ(t, m.exception, EXC_BAD_ACCESS);
		UT_EXPECT_EQ(t, m.code[0], KERN_MEMORY_ERROR);
		UT_EXPECT(t, page < written);
		utest_ktap(2, "# dpdead: the victim's read-back failed at page %u", page);
	}
	dd_child_end(t, &vic);	/* its thread waits for our answer: it just ends */
	if (got)
		mach_msg_destroy(&m.head);	/* the reply right, its thread and task */
	dd_child_end(t, &mgr);

	/* The daemon still cleans, with the dead manager still registered. */
	dd_daemon_works(t, host_priv, s, exc, alive);

	/* The dead one is dropped: asking gives the kernel's pager's port. */
	old = MACH_PORT_NULL;
	UT_EXPECT_EQ(t, vm_set_default_memory_manager(host_priv, &old), KERN_SUCCESS);
	UT_EXPECT_EQ(t, old, kernel);
	if (MACH_PORT_VALID(old))
		mach_port_deallocate(mach_task_self(), old);
	/* Whatever happened, the kernel's pager serves again. */
	old = MACH_PORT_NULL;
	UT_EXPECT_EQ(t, utest_set_default_manager(host_priv, kernel, &old), KERN_SUCCESS);
	if (MACH_PORT_VALID(old))
		mach_port_deallocate(mach_task_self(), old);

	UT_EXPECT_EQ(t, utest_unwire(host_priv, mach_task_self(), ours, nours), KERN_SUCCESS);

	/* Everything back: the wired pages freed, nothing kept for the dead. */
	UT_EXPECT(t, DD_WAIT_STATS(host_priv, &st, 2000,
				   st.wired <= base.wired + DD_SLACK &&
				   st.free + DD_SLACK >= base.free));
	utest_ktap(2, "# dpdead: at the end %ld wired (%ld), %ld free (%ld)", st.wired,
		   base.wired, st.free, base.free);
	mach_port_deallocate(mach_task_self(), port);
	utest_port_destroy(exc);
	utest_port_destroy(alive);	/* the children's probes with it */
	vm_deallocate(mach_task_self(), shared, PG);
	mach_port_deallocate(mach_task_self(), host_priv);
}

/* The manager is terminated by us. */
static void utest_dpdead_terminated(struct utest *t)
{
	dd_run(t, false);
}

/* The manager takes an exception nobody handles: the kernel terminates it. */
static void utest_dpdead_exception(struct utest *t)
{
	dd_run(t, true);
}

static const struct utest_case utest_dpdead_cases[] = {
	UTEST_CASE(utest_dpdead_terminated),
	UTEST_CASE(utest_dpdead_exception),
	{}
};

/*
 * In the default run. It once ran on request only: in 2 of 6 loaded full
 * boots /bin/ktest ran out of its 120 s in this suite's first case, the
 * time taken mostly by dpager's flush before it (Documentation/mm/vm.rst,
 * "Not yet"), and our children, left alive, starved the rest of the boot.
 */
const struct utest_suite utest_dpdead_suite = {
	.name = "dpdead",
	.cases = utest_dpdead_cases,
};

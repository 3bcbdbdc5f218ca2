// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_msg_stress": two kernel threads per CPU, each with a
 * port of its own in one of three shared spaces, send random messages
 * to each other's ports (copied and made send rights, send-once rights,
 * receive rights of fresh ports, OOL data and OOL port arrays, random
 * replies) and receive and dispose of what arrives; sends that find a
 * full queue time out at once and get their message back, which is
 * disposed of the same way. At the end every queue is drained, the
 * spaces are destroyed, and every port, right, name, kmsg, OOL and zone
 * count must be back at its baseline.
 */
#include <kern/sched.h>
#include <kern/timer.h>
#include <ipc/ipc_msg_test_util.h>
#include <kernel/sched_test_util.h>

#define MS_SPACES		3
#define MS_THREADS_PER_CPU	2
#define MS_MAX_THREADS		(MAX_CPUS * MS_THREADS_PER_CPU)
#define MS_TOTAL_MSGS		6000

struct ms_state {
	ipc_space_t		spaces[MS_SPACES];
	unsigned int		nthreads;
	mach_port_name_t	port[MS_MAX_THREADS];	/* thread i's receive right */
	/* sends[s][i]: a send right to thread i's port in space s */
	mach_port_name_t	sends[MS_SPACES][MS_MAX_THREADS];
	unsigned long		progress;
	unsigned int		msgs_per_thread;
	unsigned long		sent, received, returned, failed;
};

struct ms_thread {
	struct ms_state		*s;
	unsigned int		id;
	uint64_t		rng;
	struct tmsg		m;
};

static uint32_t ms_rand(struct ms_thread *mt)
{
	mt->rng ^= mt->rng << 13;
	mt->rng ^= mt->rng >> 7;
	mt->rng ^= mt->rng << 17;
	return (uint32_t)(mt->rng >> 11);
}

static inline ipc_space_t ms_space(struct ms_state *s, unsigned int i)
{
	return s->spaces[i % MS_SPACES];
}

/* Dispose of every right and region a message holds in `space`. */
static void ms_consume(ipc_space_t space, struct tmsg *m, bool received)
{
	struct tmsg_desc *c = (struct tmsg_desc *)m;
	mach_msg_size_t off = TMSG_BASE, i, j;

	if (MACH_PORT_NAME_VALID(m->h.msgh_remote_port))
		ipc_mach_port_deallocate(space, m->h.msgh_remote_port);
	/* Received, the local name is the receive right's own name. */
	if (!received && MACH_PORT_NAME_VALID(m->h.msgh_local_port))
		ipc_mach_port_deallocate(space, m->h.msgh_local_port);
	if (!(m->h.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	for (i = 0; i < c->body.msgh_descriptor_count; i++) {
		mach_msg_type_descriptor_t *d = tmsg_desc_at(m, off);

		if (d->type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_msg_user_port_descriptor_t *p = (void *)d;

			if (p->disposition == MACH_MSG_TYPE_PORT_RECEIVE)
				ipc_mach_port_mod_refs(space, p->name, MACH_PORT_RIGHT_RECEIVE, -1);
			else if (MACH_PORT_NAME_VALID(p->name))
				ipc_mach_port_deallocate(space, p->name);
			off += TMSG_PORT;
		} else if (d->type == MACH_MSG_OOL_DESCRIPTOR) {
			mach_msg_ool_descriptor_t *o = (void *)d;

			ipc_ool_free(o->address, o->size);
			off += TMSG_OOL;
		} else {
			mach_msg_ool_ports_descriptor_t *o = (void *)d;
			mach_port_name_t *names = o->address;

			for (j = 0; names && j < o->count; j++)
				if (MACH_PORT_NAME_VALID(names[j]))
					ipc_mach_port_deallocate(space, names[j]);
			ipc_ool_free(names, o->count * sizeof(mach_port_name_t));
			off += TMSG_OOL;
		}
	}
}

/* Receive and dispose of what is queued on our port (at most `max`). */
static void ms_drain(struct ms_state *s, unsigned int id, struct tmsg *m, unsigned int max)
{
	ipc_space_t space = ms_space(s, id);

	while (max-- && tmsg_poll(space, m, s->port[id]) == MACH_MSG_SUCCESS) {
		ms_consume(space, m, true);
		__atomic_add_fetch(&s->received, 1, __ATOMIC_RELAXED);
	}
}

/* One random descriptor; returns its size. */
static mach_msg_size_t ms_desc(struct ms_thread *mt, void *where, mach_port_name_t *names)
{
	struct ms_state *s = mt->s;
	ipc_space_t space = ms_space(s, mt->id);
	uint32_t r = ms_rand(mt);
	unsigned int other = (r >> 4) % s->nthreads;
	mach_port_name_t fresh;

	switch (r % 6) {
	case 0:
		tmsg_port_desc(where, s->port[mt->id], MACH_MSG_TYPE_MAKE_SEND);
		return TMSG_PORT;
	case 1:
		tmsg_port_desc(where, s->port[mt->id], MACH_MSG_TYPE_MAKE_SEND_ONCE);
		return TMSG_PORT;
	case 2:
		tmsg_port_desc(where, s->sends[mt->id % MS_SPACES][other], MACH_MSG_TYPE_COPY_SEND);
		return TMSG_PORT;
	case 3:
		if (ipc_mach_port_allocate(space, MACH_PORT_RIGHT_RECEIVE, &fresh) != KERN_SUCCESS)
			fresh = MACH_PORT_NAME_NULL;
		tmsg_port_desc(where, fresh, MACH_MSG_TYPE_MOVE_RECEIVE);
		return TMSG_PORT;
	case 4: {
		static const char data[64] = "out-of-line";

		tmsg_ool_desc(where, (void *)data, 1 + (r >> 8) % sizeof(data), false);
		return TMSG_OOL;
	}
	default: {
		bool make = r & 0x100;

		/* Made rights need the receive right: our own port's. */
		names[0] = make ? s->port[mt->id] : s->sends[mt->id % MS_SPACES][other];
		names[1] = s->port[mt->id];
		tmsg_ool_ports_desc(where, names, 2,
				    make ? MACH_MSG_TYPE_MAKE_SEND : MACH_MSG_TYPE_COPY_SEND);
		return TMSG_OOL;
	}
	}
}

static void ms_send_one(struct ms_thread *mt)
{
	static const mach_msg_type_name_t replies[3] = {
		0, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_MSG_TYPE_MAKE_SEND,
	};
	struct ms_state *s = mt->s;
	ipc_space_t space = ms_space(s, mt->id);
	uint32_t r = ms_rand(mt);
	unsigned int dest = r % s->nthreads, ndesc = (r >> 8) % 4, i;
	mach_msg_type_name_t reply = replies[(r >> 12) % 3];
	mach_port_name_t names[4][2];
	mach_msg_size_t size = TMSG_BASE;
	mach_msg_return_t mr;
	struct tmsg *m = &mt->m;

	tmsg_header(m, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, reply),
		    s->sends[mt->id % MS_SPACES][dest], reply ? s->port[mt->id] : 0, (int)r, 0);
	tmsg_complex(m, ndesc);
	for (i = 0; i < ndesc; i++)
		size += ms_desc(mt, tmsg_desc_at(m, size), names[i]);
	m->h.msgh_size = size;
	mr = tmsg_send(space, m, MACH_SEND_TIMEOUT, 0);
	if (mr == MACH_MSG_SUCCESS) {
		__atomic_add_fetch(&s->sent, 1, __ATOMIC_RELAXED);
	} else if (mr == MACH_SEND_TIMED_OUT) {
		/* Given back: its rights are ours again, in our space. */
		ms_consume(space, m, false);
		__atomic_add_fetch(&s->returned, 1, __ATOMIC_RELAXED);
	} else {
		__atomic_add_fetch(&s->failed, 1, __ATOMIC_RELAXED);
	}
}

static void ms_thread_fn(void *arg)
{
	struct ms_thread *mt = arg;
	struct ms_state *s = mt->s;
	unsigned int n;

	for (n = 0; n < s->msgs_per_thread; n++) {
		ms_send_one(mt);
		if (ms_rand(mt) % 2)
			ms_drain(s, mt->id, &mt->m, 4);
		__atomic_add_fetch(&s->progress, 1, __ATOMIC_RELAXED);
		if (!(n % 32))
			thread_yield();
	}
}

static void ms_setup(struct ktest *t, struct ms_state *s, unsigned int n)
{
	unsigned int i, k;

	memset(s, 0, sizeof(*s));
	s->nthreads = n;
	for (k = 0; k < MS_SPACES; k++)
		s->spaces[k] = ipc_test_space(t);
	for (i = 0; i < n; i++) {
		s->port[i] = ipc_test_port(t, ms_space(s, i));
		/* Small queues, so that senders find them full now and then. */
		ipc_mach_port_set_qlimit(ms_space(s, i), s->port[i], 4);
		for (k = 0; k < MS_SPACES; k++)
			s->sends[k][i] = ipc_test_give(t, ms_space(s, i), s->port[i],
						       MACH_MSG_TYPE_MAKE_SEND, s->spaces[k]);
	}
}

static void ipc_msg_stress_test_random(struct ktest *t)
{
	static struct ms_state s;
	static struct ms_thread mts[MS_MAX_THREADS];
	struct thread *threads[MS_MAX_THREADS];
	unsigned int n = 0, i, cpu;
	bool ok = true;

	for (cpu = 0; cpu < MAX_CPUS; cpu++)
		n += sched_cpu_active(cpu) ? MS_THREADS_PER_CPU : 0;
	ms_setup(t, &s, n);
	s.msgs_per_thread = MS_TOTAL_MSGS / n;
	n = 0;
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!sched_cpu_active(cpu))
			continue;
		for (i = 0; i < MS_THREADS_PER_CPU; i++, n++) {
			mts[n].s = &s;
			mts[n].id = n;
			mts[n].rng = 0x9e3779b97f4a7c15ULL * (n + 1) ^ clock_now();
			threads[n] = sched_test_thread(ms_thread_fn, &mts[n], BASEPRI_KERNEL,
						       "ipc_msg_stress", (int)cpu);
			KTEST_ASSERT_NOT_NULL(t, threads[n]);
		}
	}
	for (i = 0; i < n; i++) {
		if (!sched_test_join_progress(threads[i], &s.progress, 10 * NSEC_PER_SEC))
			ok = false;
		thread_deallocate(threads[i]);
	}
	KTEST_ASSERT_TRUE(t, ok);
	for (i = 0; i < n; i++)
		ms_drain(&s, i, &mts[0].m, ~0u);
	TEQ(t, s.progress, (unsigned long)n * s.msgs_per_thread);
	TEQ(t, s.failed, 0ul);
	TGE(t, s.received, s.sent);	/* plus notifications, if they are messages */
	TGT(t, s.returned + s.sent, 0ul);
	for (i = 0; i < MS_SPACES; i++)
		ipc_test_space_done(s.spaces[i]);
}

static struct ktest_case ipc_msg_stress_test_cases[] = {
	KTEST_CASE(ipc_msg_stress_test_random),
	{}
};

static struct ktest_suite ipc_msg_stress_test_suite = {
	.name = "ipc_msg_stress",
	.init = tmsg_test_init,
	.exit = tmsg_test_exit,
	.test_cases = ipc_msg_stress_test_cases,
};
KTEST_SUITE(ipc_msg_stress_test_suite);

// SPDX-License-Identifier: MIT
/*
 * ktest suite "ipc_stress": two kernel threads per CPU doing random
 * mach_port operations on random names (valid, stale and garbage) in
 * three shared spaces (16000 operations in all, shared by the threads), moving rights between them, arming and cancelling
 * requests, building sets, renaming; then the spaces are destroyed and
 * every IPC count must be back at its baseline. Each thread does a fixed
 * number of operations; the case waits as long as they make progress
 * (sched_test_join_progress), not for a wall-clock deadline.
 */
#include <kern/sched.h>
#include <kern/timer.h>
#include <ipc/ipc_test_util.h>
#include <kernel/sched_test_util.h>

#define STRESS_SPACES		3
#define STRESS_THREADS_PER_CPU	2
/* Operations in all, shared by the threads: the time stays flat with CPUs. */
#define STRESS_TOTAL_OPS	16000
#define STRESS_NAMES		16

struct ipc_stress {
	ipc_space_t	spaces[STRESS_SPACES];
	unsigned long	progress;
	unsigned int	ops_per_thread;
	unsigned long	ops[16];	/* per kind, for the log */
};

struct ipc_stress_thread {
	struct ipc_stress	*s;
	uint64_t		rng;
	mach_port_name_t	names[STRESS_SPACES][STRESS_NAMES];
};

static uint32_t stress_rand(struct ipc_stress_thread *st)
{
	st->rng ^= st->rng << 13;
	st->rng ^= st->rng >> 7;
	st->rng ^= st->rng << 17;
	return (uint32_t)(st->rng >> 11);
}

/* A name to use in space i: one seen (maybe stale), or garbage. */
static mach_port_name_t stress_name(struct ipc_stress_thread *st, unsigned int i)
{
	uint32_t r = stress_rand(st);

	switch (r % 8) {
	case 0:
		return r >> 3;				/* garbage */
	case 1:
		return MACH_PORT_MAKE((r >> 3) % 64 + 1, (r & 0x300) << 16);
	default:
		return st->names[i][(r >> 3) % STRESS_NAMES];
	}
}

static void stress_remember(struct ipc_stress_thread *st, unsigned int i, mach_port_name_t n)
{
	if (MACH_PORT_NAME_VALID(n))
		st->names[i][stress_rand(st) % STRESS_NAMES] = n;
}

static const mach_msg_type_name_t stress_disps[] = {
	MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
};

static void stress_give(struct ipc_stress_thread *st, unsigned int from, unsigned int to)
{
	mach_msg_type_name_t disp = stress_disps[stress_rand(st) % ARRAY_SIZE(stress_disps)];
	mach_msg_type_name_t type = ipc_object_copyin_type(disp);
	ipc_space_t a = st->s->spaces[from], b = st->s->spaces[to];
	mach_port_name_t name = MACH_PORT_NAME_NULL;
	ipc_port_t port;

	if (ipc_object_copyin(a, stress_name(st, from), disp, &port) != KERN_SUCCESS)
		return;
	if (stress_rand(st) % 4 == 0) {
		/* As a failed send: the right is dropped. */
		ipc_object_destroy(port, type);
	} else if (stress_rand(st) % 3 == 0 && IP_VALID(port)) {
		name = stress_name(st, to);
		if (ipc_mach_port_insert_right(b, name, port, type) != KERN_SUCCESS)
			ipc_object_destroy(port, type);
	} else if (ipc_object_copyout(b, port, type, true, &name) != KERN_SUCCESS) {
		ipc_object_destroy(port, type);
	}
	stress_remember(st, to, name);
}

static void stress_request(struct ipc_stress_thread *st, unsigned int i, unsigned int j)
{
	static const mach_msg_id_t ids[] = {
		MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_PORT_DESTROYED,
	};
	ipc_space_t a = st->s->spaces[i];
	ipc_port_t notify = IP_NULL, prev = IP_NULL;
	uint32_t r = stress_rand(st);

	if (r & 1 && ipc_object_copyin(st->s->spaces[j], stress_name(st, j),
				       MACH_MSG_TYPE_MAKE_SEND_ONCE, &notify) != KERN_SUCCESS)
		return;
	if (ipc_mach_port_request_notification(a, stress_name(st, i), ids[(r >> 1) % 3],
					       (r >> 3) & 1, notify, &prev) != KERN_SUCCESS)
		ipc_object_destroy(notify, MACH_MSG_TYPE_PORT_SEND_ONCE);
	else
		ipc_object_destroy(prev, MACH_MSG_TYPE_PORT_SEND_ONCE);
}

static void stress_one(struct ipc_stress_thread *st)
{
	unsigned int i = stress_rand(st) % STRESS_SPACES, j = stress_rand(st) % STRESS_SPACES;
	ipc_space_t a = st->s->spaces[i];
	uint32_t r = stress_rand(st), kind = r % 14;
	mach_port_name_t name = MACH_PORT_NAME_NULL;
	mach_port_status_t status;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	mach_port_type_t type;

	switch (kind) {
	case 0:
	case 1:
		if (ipc_mach_port_allocate(a, r >> 8 & 1 ? MACH_PORT_RIGHT_RECEIVE :
					   (r >> 9 & 1 ? MACH_PORT_RIGHT_PORT_SET :
					    MACH_PORT_RIGHT_DEAD_NAME), &name) == KERN_SUCCESS)
			stress_remember(st, i, name);
		break;
	case 2:
		ipc_mach_port_destroy(a, stress_name(st, i));
		break;
	case 3:
		ipc_mach_port_deallocate(a, stress_name(st, i));
		break;
	case 4:
		ipc_mach_port_mod_refs(a, stress_name(st, i), (r >> 4) % 6,
				       (mach_port_delta_t)((r >> 8) % 5) - 2);
		break;
	case 5:
	case 6:
	case 7:
		stress_give(st, i, j);
		break;
	case 8:
		stress_request(st, i, j);
		break;
	case 9:
		ipc_mach_port_move_member(a, stress_name(st, i),
					  r & 0x100 ? MACH_PORT_NAME_NULL : stress_name(st, i));
		break;
	case 10:
		name = stress_name(st, i);
		if (ipc_mach_port_rename(a, stress_name(st, i), name) == KERN_SUCCESS)
			stress_remember(st, i, name);
		break;
	case 11:
		ipc_mach_port_type(a, stress_name(st, i), &type);
		ipc_mach_port_get_attributes(a, stress_name(st, i), MACH_PORT_RECEIVE_STATUS,
					     (mach_port_info_t)&status, &cnt);
		break;
	case 12:
		if (ipc_mach_port_allocate_name(a, MACH_PORT_RIGHT_RECEIVE,
						MACH_PORT_MAKE((r >> 4) % 80 + 1, 0)) == KERN_SUCCESS)
			stress_remember(st, i, MACH_PORT_MAKE((r >> 4) % 80 + 1, 0));
		break;
	default:
		/* Notifications are messages queued on the spaces' ports now. */
		break;
	}
	__atomic_add_fetch(&st->s->ops[kind], 1, __ATOMIC_RELAXED);
}

static void stress_thread(void *arg)
{
	struct ipc_stress_thread *st = arg;
	unsigned int n;

	for (n = 0; n < st->s->ops_per_thread; n++) {
		stress_one(st);
		__atomic_add_fetch(&st->s->progress, 1, __ATOMIC_RELAXED);
		if (!(n % 64))
			thread_yield();
	}
}

static void ipc_stress_test_random(struct ktest *t)
{
	static struct ipc_stress s;
	static struct ipc_stress_thread sts[MAX_CPUS * STRESS_THREADS_PER_CPU];
	struct thread *threads[MAX_CPUS * STRESS_THREADS_PER_CPU];
	unsigned int cpus = sched_test_cpus(), n = 0, i, cpu;
	bool ok = true;

	memset(&s, 0, sizeof(s));
	s.ops_per_thread = STRESS_TOTAL_OPS / (cpus * STRESS_THREADS_PER_CPU);
	for (i = 0; i < STRESS_SPACES; i++) {
		s.spaces[i] = ipc_test_space(t);
		ipc_space_set_limit(s.spaces[i], 256);
	}
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!sched_cpu_active(cpu))
			continue;
		for (i = 0; i < STRESS_THREADS_PER_CPU; i++, n++) {
			memset(&sts[n], 0, sizeof(sts[n]));
			sts[n].s = &s;
			sts[n].rng = 0x9e3779b97f4a7c15ULL * (n + 1) ^ clock_now();
			threads[n] = sched_test_thread(stress_thread, &sts[n], BASEPRI_KERNEL,
						       "ipc_stress", (int)cpu);
			KTEST_ASSERT_NOT_NULL(t, threads[n]);
		}
	}
	for (i = 0; i < n; i++) {
		if (!sched_test_join_progress(threads[i], &s.progress, 10 * NSEC_PER_SEC))
			ok = false;
		thread_deallocate(threads[i]);
	}
	KTEST_ASSERT_TRUE(t, ok);
	KTEST_EXPECT_EQ(t, s.progress, (unsigned long)n * s.ops_per_thread);
	for (i = 0; i < STRESS_SPACES; i++)
		ipc_test_space_done(s.spaces[i]);
	KTEST_EXPECT_GT(t, cpus, 0u);
}

static struct ktest_case ipc_stress_test_cases[] = {
	KTEST_CASE(ipc_stress_test_random),
	{}
};

static struct ktest_suite ipc_stress_test_suite = {
	.name = "ipc_stress",
	.init = ipc_test_init,
	.exit = ipc_test_exit,
	.test_cases = ipc_stress_test_cases,
};
KTEST_SUITE(ipc_stress_test_suite);

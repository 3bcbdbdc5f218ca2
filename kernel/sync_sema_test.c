// SPDX-License-Identifier: MIT
/*
 * ktest suite "sync_sema": Mach semaphores (kernel/sync_sema.c). They are
 * made and destroyed with messages to a task's port (task.defs 3418,
 * 3419), signalled and waited on with messages to their own port
 * (semaphore.defs 617200..617206) and with the traps, from a thread of a
 * task (kernel/trap_mach.c). Waiters are kernel threads blocked in
 * sync_sema_wait() or in a semaphore_wait message; the cases check the
 * order each policy serves them in, KERN_TERMINATED when the semaphore or
 * its task goes, KERN_ABORTED on thread_abort, KERN_OPERATION_TIMED_OUT.
 * Every case ends with the IPC, task, thread, page and semaphore counts
 * at their baseline (kernel/task_test_util.h).
 */
#include <kern/sync_sema.h>
#include <kern/usermode.h>
#include <mach/syscall_sw.h>
#include <ktest.h>
#include "task_test_util.h"

static unsigned int st_base_semas;

static int st_init(struct ktest *t)
{
	tt_quiesce();
	st_base_semas = sync_sema_live_count();
	return tt_init(t);
}

static void st_exit(struct ktest *t)
{
	tt_exit(t);
	KTEST_EXPECT_EQ(t, sync_sema_live_count(), st_base_semas);
}

/* semaphore_create (3418) on a task's port: the semaphore's port (a send right) or IP_NULL. */
static ipc_port_t st_create(struct ktest *t, ipc_port_t task_port, int policy, int value,
			    kern_return_t *kr)
{
	struct req { mach_msg_header_t Head; int policy; int value; } *req;
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t semaphore;
	} *rep = (void *)&tt_msg;
	ipc_port_t port;

	req = tt_request(task_port, 3418, TT_END(struct req, value));
	req->policy = policy;
	req->value = value;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		*kr = tt_error();
		return IP_NULL;
	}
	*kr = KERN_SUCCESS;
	port = (ipc_port_t)rep->semaphore.name;
	KTEST_EXPECT_TRUE(t, IP_VALID(port));
	if (IP_VALID(port))
		KTEST_EXPECT_EQ(t, port->ip_kotype, (unsigned int)IKOT_SEMAPHORE);
	return port;
}

/* A request to dest with one port descriptor (a copy of arg) and then `extra` bytes. */
static void *st_request_port(ipc_port_t dest, mach_msg_id_t id, ipc_port_t arg,
			     mach_msg_size_t extra)
{
	struct req {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t arg;
	} *req = tt_request(dest, id, sizeof(struct req) + extra);

	req->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	req->msgh_body.msgh_descriptor_count = 1;
	req->arg.name = (mach_port_t)arg;
	req->arg.disposition = MACH_MSG_TYPE_COPY_SEND;
	req->arg.type = MACH_MSG_PORT_DESCRIPTOR;
	return req + 1;
}

/* semaphore_destroy (3419). */
static kern_return_t st_destroy(struct ktest *t, ipc_port_t task_port, ipc_port_t sema)
{
	st_request_port(task_port, 3419, sema, 0);
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_msg.err.RetCode;
}

/* semaphore_timedwait (617204) or, with signal, semaphore_timedwait_signal (617206). */
static kern_return_t st_timedwait(struct ktest *t, ipc_port_t sema, ipc_port_t signal,
				  unsigned int sec, int nsec)
{
	mach_timespec_t *ts;

	if (signal) {
		ts = st_request_port(sema, 617206, signal, sizeof(*ts));
	} else {
		ts = (void *)((mach_msg_header_t *)tt_request(sema, 617204,
							      sizeof(mach_msg_header_t) +
							      sizeof(*ts)) + 1);
	}
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_msg.err.RetCode;
}

/* semaphore_signal_thread (617203); thread may be IP_NULL. */
static kern_return_t st_signal_thread(struct ktest *t, ipc_port_t sema, ipc_port_t thread)
{
	st_request_port(sema, 617203, thread, 0);
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	return tt_msg.err.RetCode;
}

static semaphore_t st_sema(ipc_port_t port)
{
	semaphore_t s = convert_port_to_semaphore((mach_port_t)port);

	semaphore_dereference(s);	/* the test's send right keeps it */
	return s;
}

/* ------------------------------------------------------------------------
 * Waiters: kernel threads blocked on a semaphore
 */

struct st_waiter {
	semaphore_t		sema;
	ipc_port_t		port;		/* by message when set */
	struct thread		*th;
	kern_return_t		result;
	int			order;		/* when it ended, from 1 */
	volatile bool		done;
};

static int st_order_counter;

static void st_waiter_main(void *arg)
{
	struct st_waiter *w = arg;
	mach_msg_header_t msg[8];

	if (w->port) {
		/* semaphore_wait (617202) as a message, with this thread's buffer and reply port. */
		memset(msg, 0, sizeof(msg));
		msg->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						MACH_MSG_TYPE_MAKE_SEND_ONCE);
		msg->msgh_size = sizeof(*msg);
		msg->msgh_remote_port = (mach_port_t)w->port;
		msg->msgh_local_port = mig_get_reply_port();
		msg->msgh_id = 617202;
		if (mach_msg_rpc_from_kernel(msg, sizeof(*msg), sizeof(msg)) == MACH_MSG_SUCCESS)
			w->result = ((mig_reply_error_t *)msg)->RetCode;
		else
			w->result = KERN_FAILURE;
		mig_dealloc_reply_port(mig_get_reply_port());
	} else {
		w->result = sync_sema_wait(w->sema, SEMAPHORE_NULL, false, 0);
		semaphore_dereference(w->sema);	/* st_start()'s */
	}
	w->order = __atomic_add_fetch(&st_order_counter, 1, __ATOMIC_RELAXED);
	WRITE_ONCE(w->done, true);
}

/* Start a waiter at pri and wait (up to a second) until the semaphore has `waiting` waiters. */
static void st_start(struct ktest *t, struct st_waiter *w, semaphore_t sema, ipc_port_t port,
		     int pri, unsigned int waiting)
{
	int i;

	memset(w, 0, sizeof(*w));
	w->sema = sema;
	w->port = port;
	/*
	 * A direct waiter holds a reference, as the trap's does
	 * (sync_sema_lookup_name()): a destroy wakes it and may drop the last
	 * other reference before it runs again to leave the semaphore's queue
	 * (4 CPUs: "zone semaphore: use after free").
	 */
	if (!port)
		sync_sema_reference(sema);
	w->th = kernel_thread_create(st_waiter_main, w, pri, "st-waiter");
	KTEST_ASSERT_NOT_NULL(t, w->th);
	for (i = 0; i < 1000 && sync_sema_waiters(sema) < waiting; i++)
		thread_delay(NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, sync_sema_waiters(sema), waiting);
}

/* Wait (up to a second) for the waiter to end; its result. */
static kern_return_t st_finish(struct ktest *t, struct st_waiter *w)
{
	KTEST_EXPECT_EQ(t, thread_join(w->th), THREAD_AWAKENED);
	thread_deallocate(w->th);
	KTEST_EXPECT_TRUE(t, w->done);
	return w->result;
}

/* Has it ended (give it up to 100 ms)? */
static bool st_ended(struct st_waiter *w)
{
	int i;

	for (i = 0; i < 100 && !READ_ONCE(w->done); i++)
		thread_delay(NSEC_PER_MSEC);
	return READ_ONCE(w->done);
}

/* ------------------------------------------------------------------------
 * Cases
 */

static void st_test_create_destroy(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false), other = tt_task(t, NULL, false);
	ipc_port_t tp = tt_task_port(task), op = tt_task_port(other), s1, s2;
	kern_return_t kr;

	s1 = st_create(t, tp, SYNC_POLICY_FIFO, 3, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s1)), 3);
	KTEST_EXPECT_EQ(t, sync_sema_live_count(), st_base_semas + 1);
	s2 = st_create(t, tp, SYNC_POLICY_FIXED_PRIORITY, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	/* Bad policy, negative value; the kernel task's port works, a null one does not. */
	KTEST_EXPECT_NULL(t, st_create(t, tp, 7, 0, &kr));
	KTEST_EXPECT_EQ(t, kr, KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_NULL(t, st_create(t, tp, SYNC_POLICY_FIFO, -1, &kr));
	KTEST_EXPECT_EQ(t, kr, KERN_INVALID_ARGUMENT);
	/* Only its own task destroys it. */
	KTEST_EXPECT_EQ(t, st_destroy(t, op, s1), KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, st_destroy(t, tp, s1), KERN_SUCCESS);
	KTEST_EXPECT_FALSE(t, ip_active(s1));
	KTEST_EXPECT_EQ(t, st_destroy(t, tp, s1), KERN_INVALID_ARGUMENT);
	/* A dead semaphore's port is a dead name: the routines see no semaphore. */
	tt_request(s1, 617200, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_SEND_INVALID_DEST);
	/* The other goes with its task. */
	KTEST_EXPECT_EQ(t, sync_sema_live_count(), st_base_semas + 1);
	tt_task_done(t, task);
	KTEST_EXPECT_FALSE(t, ip_active(s2));
	KTEST_EXPECT_EQ(t, sync_sema_live_count(), st_base_semas);
	ipc_port_release_send(s1);
	ipc_port_release_send(s2);
	ipc_port_release_send(tp);
	ipc_port_release_send(op);
	tt_task_done(t, other);
}

static void st_test_counts(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t tp = tt_task_port(task), s, s2;
	semaphore_t sema;
	kern_return_t kr;
	uint64_t start;

	s = st_create(t, tp, SYNC_POLICY_FIFO, 1, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	s2 = st_create(t, tp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	sema = st_sema(s);
	/* semaphore_wait (617202) takes the unit; then a poll times out at once. */
	KTEST_EXPECT_EQ(t, tt_call(t, s, 617202), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sync_sema_value(sema), 0);
	KTEST_EXPECT_EQ(t, st_timedwait(t, s, IP_NULL, 0, 0), KERN_OPERATION_TIMED_OUT);
	start = clock_now();
	KTEST_EXPECT_EQ(t, st_timedwait(t, s, IP_NULL, 0, 20 * NSEC_PER_MSEC),
			KERN_OPERATION_TIMED_OUT);
	KTEST_EXPECT_GE(t, clock_now() - start, 20 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, st_timedwait(t, s, IP_NULL, 0, (int)NSEC_PER_SEC), KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, sync_sema_waiters(sema), 0u);
	/* semaphore_signal (617200) with nobody waiting counts the unit... */
	KTEST_EXPECT_EQ(t, tt_call(t, s, 617200), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sync_sema_value(sema), 1);
	/* ...signal_all (617201) and signal_thread (617203) of nobody do not. */
	KTEST_EXPECT_EQ(t, tt_call(t, s, 617201), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st_signal_thread(t, s, IP_NULL), KERN_NOT_WAITING);
	KTEST_EXPECT_EQ(t, sync_sema_value(sema), 1);
	/* semaphore_wait_signal (617205): a unit to s2, one taken from s. */
	st_request_port(s, 617205, s2, 0);
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_msg.err.RetCode, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sync_sema_value(sema), 0);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s2)), 1);
	/* ...and timed (617206): s gets a unit each time; s2 has one for the first only. */
	KTEST_EXPECT_EQ(t, st_timedwait(t, s2, s, 0, 0), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st_timedwait(t, s2, s, 0, 1000), KERN_OPERATION_TIMED_OUT);
	KTEST_EXPECT_EQ(t, sync_sema_value(sema), 2);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s2)), 0);
	/* The routines on a port that is no semaphore: the task's. */
	KTEST_EXPECT_EQ(t, tt_call(t, tp, 617200), MIG_BAD_ID);
	tt_task_done(t, task);
	tt_request(s, 617200, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_SEND_INVALID_DEST);
	ipc_port_release_send(s);
	ipc_port_release_send(s2);
	ipc_port_release_send(tp);
}

/* Three waiters at pris[], then three signals: the order they end in. */
static void st_order_case(struct ktest *t, int policy, const int pris[3], const int expect[3])
{
	ipc_port_t tp = tt_task_port(kernel_task), s;
	struct st_waiter w[3];
	kern_return_t kr;
	unsigned int i, j;

	s = st_create(t, tp, policy, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	for (i = 0; i < 3; i++)
		st_start(t, &w[i], st_sema(s), IP_NULL, pris[i], i + 1);
	for (i = 0; i < 3; i++) {
		KTEST_EXPECT_EQ(t, tt_call(t, s, 617200), KERN_SUCCESS);
		KTEST_EXPECT_TRUE(t, st_ended(&w[expect[i]]));
		/* Exactly the first i + 1 of expect[] have ended. */
		for (j = 0; j < 3; j++) {
			bool want = false;
			unsigned int k;

			for (k = 0; k <= i; k++)
				want |= expect[k] == (int)j;
			KTEST_EXPECT_EQ(t, READ_ONCE(w[j].done), want);
		}
	}
	for (i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, st_finish(t, &w[i]), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s)), 0);
	KTEST_EXPECT_EQ(t, st_destroy(t, tp, s), KERN_SUCCESS);
	ipc_port_release_send(s);
	ipc_port_release_send(tp);
}

static void st_test_policies(struct ktest *t)
{
	static const int same[3] = { BASEPRI_KERNEL, BASEPRI_KERNEL, BASEPRI_KERNEL };
	static const int mixed[3] = { BASEPRI_KERNEL - 10, BASEPRI_KERNEL + 10, BASEPRI_KERNEL };
	static const int fifo[3] = { 0, 1, 2 }, lifo[3] = { 2, 1, 0 }, prio[3] = { 1, 2, 0 };

	st_order_case(t, SYNC_POLICY_FIFO, same, fifo);
	/* FIFO ignores priorities. */
	st_order_case(t, SYNC_POLICY_FIFO, mixed, fifo);
	st_order_case(t, SYNC_POLICY_FIXED_PRIORITY, mixed, prio);
	/* Equal priorities: first come, first served. */
	st_order_case(t, SYNC_POLICY_FIXED_PRIORITY, same, fifo);
	st_order_case(t, SYNC_POLICY_LIFO, same, lifo);
}

static void st_task_waiter_main(void *arg)
{
	struct st_waiter *w = arg;

	w->result = sync_sema_wait(w->sema, SEMAPHORE_NULL, false, 0);
	WRITE_ONCE(w->done, true);
}

/* A thread that waits on no semaphore until it is terminated. */
static void st_idle_main(void *arg)
{
	while (!thread_should_halt())
		thread_delay(NSEC_PER_MSEC);
}

static void st_test_signal_thread_all(struct ktest *t)
{
	ipc_port_t tp = tt_task_port(kernel_task), s, th_port;
	struct st_waiter w[3];
	struct thread *idle;
	kern_return_t kr;
	unsigned int i;

	s = st_create(t, tp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	/* One of them waits through a message. */
	for (i = 0; i < 3; i++)
		st_start(t, &w[i], st_sema(s), i == 1 ? s : IP_NULL, BASEPRI_KERNEL, i + 1);
	/* signal_thread (617203) wakes the one named, not the first. */
	th_port = tt_thread_port(w[1].th);
	KTEST_EXPECT_EQ(t, st_signal_thread(t, s, th_port), KERN_SUCCESS);
	KTEST_EXPECT_TRUE(t, st_ended(&w[1]));
	KTEST_EXPECT_FALSE(t, READ_ONCE(w[0].done));
	ipc_port_release_send(th_port);
	/*
	 * A thread that does not wait: KERN_NOT_WAITING, nothing counted.
	 * (An ended thread's port names no thread: as in Mach, that is the
	 * null thread, which wakes any waiter.)
	 */
	idle = kernel_thread_create(st_idle_main, NULL, BASEPRI_KERNEL, "st-idle");
	KTEST_ASSERT_NOT_NULL(t, idle);
	th_port = tt_thread_port(idle);
	KTEST_EXPECT_EQ(t, st_signal_thread(t, s, th_port), KERN_NOT_WAITING);
	KTEST_EXPECT_FALSE(t, READ_ONCE(w[0].done));
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s)), 0);
	KTEST_EXPECT_EQ(t, thread_terminate_other(idle), KERN_SUCCESS);
	thread_deallocate(idle);
	/* signal_all (617201): the other two; the count stays 0. */
	KTEST_EXPECT_EQ(t, tt_call(t, s, 617201), KERN_SUCCESS);
	for (i = 0; i < 3; i++)
		KTEST_EXPECT_EQ(t, st_finish(t, &w[i]), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s)), 0);
	KTEST_EXPECT_EQ(t, sync_sema_waiters(st_sema(s)), 0u);
	KTEST_EXPECT_EQ(t, st_destroy(t, tp, s), KERN_SUCCESS);
	ipc_port_release_send(th_port);
	ipc_port_release_send(s);
	ipc_port_release_send(tp);
}

static void st_test_terminated(struct ktest *t)
{
	ipc_port_t kp = tt_task_port(kernel_task), s;
	task_t task = tt_task(t, NULL, false);
	ipc_port_t tp = tt_task_port(task);
	struct st_waiter w[3];
	kern_return_t kr;

	/* Destroyed while two wait (one by message): both get KERN_TERMINATED. */
	s = st_create(t, kp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	st_start(t, &w[0], st_sema(s), IP_NULL, BASEPRI_KERNEL, 1);
	st_start(t, &w[1], st_sema(s), s, BASEPRI_KERNEL, 2);
	KTEST_EXPECT_EQ(t, st_destroy(t, kp, s), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st_finish(t, &w[0]), KERN_TERMINATED);
	KTEST_EXPECT_EQ(t, st_finish(t, &w[1]), KERN_TERMINATED);
	ipc_port_release_send(s);

	/* A task's semaphore dies with the task: its waiter, in another task, is told. */
	s = st_create(t, tp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	st_start(t, &w[2], st_sema(s), s, BASEPRI_KERNEL, 1);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, st_finish(t, &w[2]), KERN_TERMINATED);
	KTEST_EXPECT_FALSE(t, ip_active(s));
	ipc_port_release_send(s);
	ipc_port_release_send(tp);
	ipc_port_release_send(kp);
}

static void st_test_aborted(struct ktest *t)
{
	ipc_port_t kp = tt_task_port(kernel_task), s, th_port;
	task_t task = tt_task(t, NULL, false);
	struct st_waiter w, tw;
	kern_return_t kr;
	int i;

	s = st_create(t, kp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	/* thread_abort (2064) on a waiter's port: KERN_ABORTED, no unit taken. */
	st_start(t, &w, st_sema(s), IP_NULL, BASEPRI_KERNEL, 1);
	th_port = tt_thread_port(w.th);
	KTEST_EXPECT_EQ(t, tt_call(t, th_port, 2064), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, st_finish(t, &w), KERN_ABORTED);
	KTEST_EXPECT_EQ(t, sync_sema_waiters(st_sema(s)), 0u);
	ipc_port_release_send(th_port);

	/* A thread of a task that is terminated while it waits: KERN_ABORTED, and it ends. */
	memset(&tw, 0, sizeof(tw));
	tw.sema = st_sema(s);
	KTEST_ASSERT_EQ(t, task_thread_create(task, st_task_waiter_main, &tw, BASEPRI_KERNEL,
					      "st-task-waiter", &tw.th), KERN_SUCCESS);
	thread_resume(tw.th);
	for (i = 0; i < 1000 && sync_sema_waiters(st_sema(s)) < 1; i++)
		thread_delay(NSEC_PER_MSEC);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, thread_join(tw.th), THREAD_AWAKENED);
	thread_deallocate(tw.th);
	KTEST_EXPECT_TRUE(t, tw.done);
	KTEST_EXPECT_EQ(t, tw.result, KERN_ABORTED);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s)), 0);
	KTEST_EXPECT_EQ(t, st_destroy(t, kp, s), KERN_SUCCESS);
	ipc_port_release_send(s);
	ipc_port_release_send(kp);
}

/* ------------------------------------------------------------------------
 * The traps, from a thread of a task naming the semaphores in its space
 */

struct st_trap_run {
	task_t			task;
	mach_port_name_t	s, s2;	/* two semaphores' names in the task's space */
	long			r[10];
	bool			space_ok;
};

static long st_trap(long nr, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3)
{
	const unsigned long args[MACH_TRAP_MAX_ARGS] = { a0, a1, a2, a3 };
	const struct mach_trap *trap = mach_trap_lookup(nr);

	return trap ? mach_trap_call(trap, args) : KERN_INVALID_ARGUMENT;
}

static void st_trap_main(void *arg)
{
	struct st_trap_run *r = arg;

	/* A thread of a task traps on its task's space. */
	r->space_ok = trap_current_space() == r->task->itk_space;
	r->r[0] = st_trap(SEMAPHORE_SIGNAL_TRAP, r->s, 0, 0, 0);
	r->r[1] = st_trap(SEMAPHORE_WAIT_TRAP, r->s, 0, 0, 0);
	r->r[2] = st_trap(SEMAPHORE_TIMEDWAIT_TRAP, r->s, 0, 1000, 0);
	r->r[3] = st_trap(SEMAPHORE_TIMEDWAIT_TRAP, r->s, 0, NSEC_PER_SEC, 0);
	r->r[4] = st_trap(SEMAPHORE_SIGNAL_ALL_TRAP, r->s, 0, 0, 0);
	r->r[5] = st_trap(SEMAPHORE_SIGNAL_THREAD_TRAP, r->s, MACH_PORT_NAME_NULL, 0, 0);
	/* A unit to s2, then one from s, which has none: a timeout after 1 us. */
	r->r[6] = st_trap(SEMAPHORE_TIMEDWAIT_SIGNAL_TRAP, r->s, r->s2, 0, 1000);
	r->r[7] = st_trap(SEMAPHORE_WAIT_SIGNAL_TRAP, r->s2, r->s, 0, 0);
	/* Names that are no semaphore. */
	r->r[8] = st_trap(SEMAPHORE_WAIT_TRAP, 0x1234, 0, 0, 0);
	r->r[9] = st_trap(SEMAPHORE_SIGNAL_TRAP, MACH_PORT_NAME_NULL, 0, 0, 0);
}

static void st_test_traps(struct ktest *t)
{
	task_t task = tt_task(t, NULL, false);
	ipc_port_t tp = tt_task_port(task), s, s2;
	struct st_trap_run run = { .task = task };
	struct thread *th;
	kern_return_t kr;

	s = st_create(t, tp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	s2 = st_create(t, tp, SYNC_POLICY_FIFO, 0, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_object_copyout(task->itk_space, ipc_port_copy_send(s),
					      MACH_MSG_TYPE_PORT_SEND, false, &run.s), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, ipc_object_copyout(task->itk_space, ipc_port_copy_send(s2),
					      MACH_MSG_TYPE_PORT_SEND, false, &run.s2), KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, task_thread_create(task, st_trap_main, &run, BASEPRI_KERNEL,
					      "st-traps", &th), KERN_SUCCESS);
	thread_resume(th);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	thread_deallocate(th);
	KTEST_EXPECT_TRUE(t, run.space_ok);
	KTEST_EXPECT_EQ(t, run.r[0], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, run.r[1], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, run.r[2], KERN_OPERATION_TIMED_OUT);
	KTEST_EXPECT_EQ(t, run.r[3], KERN_INVALID_VALUE);
	KTEST_EXPECT_EQ(t, run.r[4], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, run.r[5], KERN_NOT_WAITING);
	KTEST_EXPECT_EQ(t, run.r[6], KERN_OPERATION_TIMED_OUT);
	KTEST_EXPECT_EQ(t, run.r[7], KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, run.r[8], KERN_INVALID_ARGUMENT);
	KTEST_EXPECT_EQ(t, run.r[9], KERN_INVALID_ARGUMENT);
	/* s got s2's unit back through the last wait_signal; s2 none. */
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s)), 1);
	KTEST_EXPECT_EQ(t, sync_sema_value(st_sema(s2)), 0);
	tt_task_done(t, task);
	ipc_port_release_send(s);
	ipc_port_release_send(s2);
	ipc_port_release_send(tp);
}

static struct ktest_case st_test_cases[] = {
	KTEST_CASE(st_test_create_destroy),
	KTEST_CASE(st_test_counts),
	KTEST_CASE(st_test_policies),
	KTEST_CASE(st_test_signal_thread_all),
	KTEST_CASE(st_test_terminated),
	KTEST_CASE(st_test_aborted),
	KTEST_CASE(st_test_traps),
	{}
};

static struct ktest_suite st_test_suite = {
	.name = "sync_sema",
	.init = st_init,
	.exit = st_exit,
	.test_cases = st_test_cases,
};
KTEST_SUITE(st_test_suite);

// SPDX-License-Identifier: MIT
/*
 * Benchmarks of Mach semaphores (kernel/sync_sema.c; CONFIG_KBENCH, see
 * <kbench.h>):
 *
 *   sema_signal_wait    semaphore_signal then semaphore_wait on one
 *                       semaphore, nobody waiting: the uncontended pair
 *   sema_pingpong       a round trip between two threads bound to one CPU:
 *                       each signals the other's semaphore and waits on its
 *                       own (semaphore_wait_signal), two switches per op
 *   sema_signal_msg     semaphore_signal as a message to the semaphore's
 *                       port and its reply (mach_msg_rpc_from_kernel()),
 *                       then the wait directly, to keep the count at 0
 */
#include <kern/cpu.h>
#include <kern/sched.h>
#include <kern/sync_sema.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kbench.h>
#include <ipc/ipc_port.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>

/* Both sides real time: no decay makes one preempt the other. */
#define SEMA_BENCH_PRI	BASEPRI_RTQUEUES

struct sema_bench {
	semaphore_t	a, b;		/* main waits on a, the partner on b */
	struct thread	*main, *partner;
	int		main_pri;
	int		stop;
};

static struct sema_bench sema_bench_ctx;

static kern_return_t sema_bench_make(struct sema_bench *s)
{
	kern_return_t kr = sync_sema_create(kernel_task, SYNC_POLICY_FIFO, 0, &s->a);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = sync_sema_create(kernel_task, SYNC_POLICY_FIFO, 0, &s->b);
	if (kr != KERN_SUCCESS) {
		sync_sema_destroy(kernel_task, s->a);
		semaphore_dereference(s->a);
	}
	return kr;
}

static void sema_bench_unmake(struct sema_bench *s)
{
	sync_sema_destroy(kernel_task, s->a);
	sync_sema_destroy(kernel_task, s->b);
	semaphore_dereference(s->a);
	semaphore_dereference(s->b);
}

static kern_return_t sema_bench_setup(void **ctx)
{
	*ctx = &sema_bench_ctx;
	return sema_bench_make(&sema_bench_ctx);
}

static void sema_bench_teardown(void *ctx)
{
	sema_bench_unmake(ctx);
}

static void sema_bench_signal_wait_run(void *ctx, unsigned long iters)
{
	struct sema_bench *s = ctx;

	while (iters--) {
		sync_sema_signal(s->a);
		sync_sema_wait(s->a, SEMAPHORE_NULL, false, 0);
	}
}
KBENCH(sema_signal_wait, 100000, sema_bench_setup, sema_bench_signal_wait_run,
       sema_bench_teardown);

/* The partner: wait on b, signal a, until stopped (the teardown destroys b). */
static void sema_bench_partner(void *arg)
{
	struct sema_bench *s = arg;

	while (sync_sema_wait(s->b, SEMAPHORE_NULL, false, 0) == KERN_SUCCESS &&
	       !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		sync_sema_signal(s->a);
}

static kern_return_t sema_bench_pingpong_setup(void **ctx)
{
	struct sema_bench *s = &sema_bench_ctx;
	int cpu = (int)cpu_number();
	kern_return_t kr = sema_bench_make(s);

	if (kr != KERN_SUCCESS)
		return kr;
	s->stop = 0;
	s->main = current_thread();
	s->main_pri = s->main->priority;
	thread_bind(s->main, cpu);
	thread_set_priority(s->main, SEMA_BENCH_PRI);
	s->partner = kernel_thread_create_suspended(sema_bench_partner, s, SEMA_BENCH_PRI,
						    "sema-bench");
	if (!s->partner) {
		thread_set_priority(s->main, s->main_pri);
		thread_bind(s->main, -1);
		sema_bench_unmake(s);
		return KERN_RESOURCE_SHORTAGE;
	}
	thread_bind(s->partner, cpu);
	thread_resume(s->partner);
	*ctx = s;
	return KERN_SUCCESS;
}

static void sema_bench_pingpong_run(void *ctx, unsigned long iters)
{
	struct sema_bench *s = ctx;

	while (iters--)
		sync_sema_wait(s->a, s->b, false, 0);
}

static void sema_bench_pingpong_teardown(void *ctx)
{
	struct sema_bench *s = ctx;

	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	sync_sema_signal(s->b);
	thread_join(s->partner);
	thread_deallocate(s->partner);
	thread_set_priority(s->main, s->main_pri);
	thread_bind(s->main, -1);
	sema_bench_unmake(s);
}
KBENCH(sema_pingpong, 50000, sema_bench_pingpong_setup, sema_bench_pingpong_run,
       sema_bench_pingpong_teardown);

static ipc_port_t sema_bench_port;

static kern_return_t sema_bench_msg_setup(void **ctx)
{
	kern_return_t kr = sema_bench_setup(ctx);

	if (kr != KERN_SUCCESS)
		return kr;
	sync_sema_reference(sema_bench_ctx.a);
	sema_bench_port = (ipc_port_t)convert_semaphore_to_port(sema_bench_ctx.a);
	return KERN_SUCCESS;
}

static void sema_bench_msg_run(void *ctx, unsigned long iters)
{
	struct sema_bench *s = ctx;
	union {
		mach_msg_header_t	head;
		mig_reply_error_t	reply;
	} m;

	while (iters--) {
		/* semaphore_signal (617200), the kernel's reply port as MIG's stubs use it. */
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.head.msgh_size = sizeof(m.head);
		m.head.msgh_remote_port = (mach_port_t)sema_bench_port;
		m.head.msgh_local_port = mig_get_reply_port();
		m.head.msgh_id = 617200;
		mach_msg_rpc_from_kernel(&m.head, sizeof(m.head), sizeof(m));
		sync_sema_wait(s->a, SEMAPHORE_NULL, false, 0);
	}
}

static void sema_bench_msg_teardown(void *ctx)
{
	ipc_port_release_send(sema_bench_port);
	sema_bench_teardown(ctx);
}
KBENCH(sema_signal_msg, 20000, sema_bench_msg_setup, sema_bench_msg_run,
       sema_bench_msg_teardown);

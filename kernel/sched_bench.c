// SPDX-License-Identifier: MIT
/*
 * Benchmarks of the scheduler (CONFIG_KBENCH, see <kbench.h>), both between
 * the benchmark's thread and a partner bound to the same CPU:
 *
 *   context_switch      one switch between two kernel threads: the two hand
 *                       the CPU to each other with thread_switch() (each
 *                       round trip is two switches, counted as two ops)
 *   block_wakeup        one round trip of wait/wakeup: each side wakes the
 *                       other and blocks (two wakeups, two blocks, two
 *                       switches per op)
 */
#include <kern/cpu.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <kbench.h>

/* Both sides real time: no decay makes one preempt the other. */
#define SCHED_BENCH_PRI	BASEPRI_RTQUEUES

struct sched_bench {
	struct thread	*main, *partner;
	int		main_pri;
	int		stop;
	int		turn;		/* block_wakeup: 0 main, 1 partner */
};

static struct sched_bench sched_bench_ctx;

static void sched_bench_switch_partner(void *arg)
{
	struct sched_bench *b = arg;

	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE))
		thread_switch(b->main, SWITCH_OPTION_NONE, 0);
}

/* Wait for our turn with the lost-wakeup-free pattern. */
static void sched_bench_wait_turn(struct sched_bench *b, int me)
{
	for (;;) {
		assert_wait(&b->turn, THREAD_UNINT);
		if (__atomic_load_n(&b->turn, __ATOMIC_ACQUIRE) == me ||
		    __atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
			clear_wait(current_thread(), THREAD_AWAKENED);
			return;
		}
		thread_block(NULL);
	}
}

static void sched_bench_give_turn(struct sched_bench *b, int to)
{
	__atomic_store_n(&b->turn, to, __ATOMIC_RELEASE);
	thread_wakeup(&b->turn);
}

static void sched_bench_wakeup_partner(void *arg)
{
	struct sched_bench *b = arg;

	for (;;) {
		sched_bench_wait_turn(b, 1);
		if (__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE))
			return;
		sched_bench_give_turn(b, 0);
	}
}

static kern_return_t sched_bench_start(void (*fn)(void *), void **ctx)
{
	struct sched_bench *b = &sched_bench_ctx;
	int cpu = (int)cpu_number();

	b->main = current_thread();
	b->main_pri = b->main->priority;
	b->stop = 0;
	b->turn = 0;
	thread_bind(b->main, cpu);
	thread_set_priority(b->main, SCHED_BENCH_PRI);
	b->partner = kernel_thread_create_suspended(fn, b, SCHED_BENCH_PRI, "bench");
	if (!b->partner) {
		thread_set_priority(b->main, b->main_pri);
		thread_bind(b->main, -1);
		return KERN_RESOURCE_SHORTAGE;
	}
	thread_bind(b->partner, cpu);
	thread_resume(b->partner);
	*ctx = b;
	return KERN_SUCCESS;
}

static void sched_bench_stop(void *ctx)
{
	struct sched_bench *b = ctx;

	__atomic_store_n(&b->stop, 1, __ATOMIC_RELEASE);
	thread_wakeup(&b->turn);
	thread_join(b->partner);
	thread_deallocate(b->partner);
	thread_set_priority(b->main, b->main_pri);
	thread_bind(b->main, -1);
}

static kern_return_t sched_bench_switch_setup(void **ctx)
{
	return sched_bench_start(sched_bench_switch_partner, ctx);
}

static void sched_bench_switch_run(void *ctx, unsigned long iters)
{
	struct sched_bench *b = ctx;
	unsigned long n;

	for (n = iters / 2; n; n--)
		thread_switch(b->partner, SWITCH_OPTION_NONE, 0);
}
KBENCH(context_switch, 100000, sched_bench_switch_setup, sched_bench_switch_run,
       sched_bench_stop);

static kern_return_t sched_bench_wakeup_setup(void **ctx)
{
	return sched_bench_start(sched_bench_wakeup_partner, ctx);
}

static void sched_bench_wakeup_run(void *ctx, unsigned long iters)
{
	struct sched_bench *b = ctx;

	while (iters--) {
		sched_bench_give_turn(b, 1);
		sched_bench_wait_turn(b, 0);
	}
}
KBENCH(block_wakeup, 50000, sched_bench_wakeup_setup, sched_bench_wakeup_run,
       sched_bench_stop);

// SPDX-License-Identifier: MIT
/*
 * ktest suite "smp_pingpong": two threads bound to two CPUs wake each
 * other in turn. Every wakeup crosses CPUs, so each one must arrive as an
 * IPI_RESCHEDULE and switch the other CPU from its idle thread to the
 * woken one; a lost wakeup stalls the game for good, which the case tells
 * from a slow host by the game's progress (no round for PINGPONG_STALL_NS).
 */
#include <kern/arch.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/smp.h>
#include <kern/string.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ktest.h>
#include <kernel/sched_test_util.h>

#define PINGPONG_ROUNDS		2000
#define PINGPONG_STALL_NS	(20 * NSEC_PER_SEC)

struct pingpong {
	int		ball;		/* who has it: 0 or 1 */
	int		rounds[2];
	unsigned long	progress;	/* rounds of both players */
	unsigned int	cpu[2];
	int		wrong_cpu;
	struct player {
		struct pingpong	*game;
		int		me;
	} player[2];
};

static void smp_pingpong_player(void *arg)
{
	struct player *pl = arg;
	struct pingpong *g = pl->game;
	int i;

	for (i = 0; i < PINGPONG_ROUNDS; i++) {
		for (;;) {
			assert_wait(&g->ball, THREAD_UNINT);
			if (__atomic_load_n(&g->ball, __ATOMIC_ACQUIRE) == pl->me) {
				clear_wait(current_thread(), THREAD_AWAKENED);
				break;
			}
			thread_block(NULL);
		}
		if (cpu_number() != g->cpu[pl->me])
			g->wrong_cpu++;
		__atomic_store_n(&g->ball, !pl->me, __ATOMIC_RELEASE);
		thread_wakeup(&g->ball);
		__atomic_store_n(&g->rounds[pl->me], i + 1, __ATOMIC_RELEASE);
		__atomic_add_fetch(&g->progress, 1, __ATOMIC_RELAXED);
	}
}

/* Join both players; false when the game stalled (they still run then). */
static bool smp_pingpong_join(struct ktest *t, struct pingpong *g, struct thread **th)
{
	bool ok = true;
	int i;

	for (i = 0; i < 2; i++) {
		if (sched_test_join_progress(th[i], &g->progress, PINGPONG_STALL_NS)) {
			thread_deallocate(th[i]);
			continue;
		}
		KTEST_FAIL(t, "player %d stalled at round %d of %d (a lost wakeup?)", i,
			   __atomic_load_n(&g->rounds[i], __ATOMIC_ACQUIRE), PINGPONG_ROUNDS);
		ok = false;
	}
	return ok;
}

static void smp_pingpong_test_game(struct ktest *t)
{
	struct pingpong *g;
	unsigned long ipis[2], switches[2];
	struct thread *th[2];
	uint64_t start;
	int i;

	if (sched_test_cpus() < 2)
		ktest_skip(t, "needs 2 CPUs, the scheduler runs on %u", sched_test_cpus());
	/* Allocated: the players of a stalled game keep it (and may still run). */
	g = kalloc(sizeof(*g));
	KTEST_ASSERT_NOT_NULL(t, g);
	memset(g, 0, sizeof(*g));
	/* Two CPUs other than ours when there are three, else ours and one. */
	g->cpu[0] = (unsigned int)sched_test_other_cpu(0);
	g->cpu[1] = sched_test_cpus() > 2 ? (unsigned int)sched_test_other_cpu(1) : cpu_number();
	for (i = 0; i < 2; i++) {
		g->player[i].game = g;
		g->player[i].me = i;
		ipis[i] = smp_ipi_count(g->cpu[i], IPI_RESCHEDULE);
		switches[i] = sched_context_switches(g->cpu[i]);
	}

	start = clock_now();
	th[0] = sched_test_thread(smp_pingpong_player, &g->player[0], BASEPRI_KERNEL, "pingpong",
				  (int)g->cpu[0]);
	KTEST_ASSERT_NOT_NULL(t, th[0]);
	th[1] = sched_test_thread(smp_pingpong_player, &g->player[1], BASEPRI_KERNEL, "pingpong",
				  (int)g->cpu[1]);
	/* Player 0 waits for ever without the other: g stays its. */
	KTEST_ASSERT_NOT_NULL(t, th[1]);
	if (!smp_pingpong_join(t, g, th))
		return;
	for (i = 0; i < 2; i++) {
		ipis[i] = smp_ipi_count(g->cpu[i], IPI_RESCHEDULE) - ipis[i];
		switches[i] = sched_context_switches(g->cpu[i]) - switches[i];
	}
	pr_info("smp_pingpong: %d rounds on CPU%u and CPU%u in %llu us; IPIs %lu and %lu, switches %lu and %lu\n",
		PINGPONG_ROUNDS, g->cpu[0], g->cpu[1],
		(unsigned long long)((clock_now() - start) / NSEC_PER_USEC),
		ipis[0], ipis[1], switches[0], switches[1]);
	KTEST_EXPECT_EQ(t, g->rounds[0], PINGPONG_ROUNDS);
	KTEST_EXPECT_EQ(t, g->rounds[1], PINGPONG_ROUNDS);
	KTEST_EXPECT_EQ(t, g->wrong_cpu, 0);
	/* Woken across CPUs: by IPI, at least now and then (not only by chance). */
	KTEST_EXPECT_GT(t, ipis[0], 0UL);
	KTEST_EXPECT_GT(t, ipis[1], 0UL);
	kfree(g, sizeof(*g));
}

static struct ktest_case smp_pingpong_test_cases[] = {
	KTEST_CASE(smp_pingpong_test_game),
	{}
};

static struct ktest_suite smp_pingpong_test_suite = {
	.name = "smp_pingpong",
	.suite_init = sched_test_suite_init,
	.suite_exit = sched_test_suite_exit,
	.test_cases = smp_pingpong_test_cases,
};
KTEST_SUITE(smp_pingpong_test_suite);

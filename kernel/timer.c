// SPDX-License-Identifier: MIT
/*
 * Timer callouts: one queue per CPU, sorted by deadline, with the CPU's
 * one-shot hardware timer armed no later than the head of its queue.
 *
 * Locking: each queue has a spinlock taken with interrupts off. A callout
 * is removed from its queue before its function runs, and runs with the
 * queue unlocked, so it may re-enter itself or others.
 *
 * The hardware timer is programmed when a callout becomes the head of its
 * queue and after each interrupt, never on a cancel: a cancelled head
 * costs one early interrupt that finds nothing due.
 */
#include <kern/cpu.h>
#include <kern/panic.h>
#include <kern/spinlock.h>
#include <kern/timer.h>

struct timer_queue {
	spinlock_t		lock;
	struct timer_call	*head;
	unsigned long		fired;
};

static DEFINE_PER_CPU(struct timer_queue, timer_queues);

static void timer_queue_remove(struct timer_queue *q, struct timer_call *tc)
{
	/*
	 * A callout that says it is queued here but is neither linked nor the
	 * head was never initialized (a zeroed timer_call claims CPU 0's
	 * queue): unlinking it would drop the whole queue, the scheduler's
	 * tick with it. Say so instead.
	 */
	if (unlikely(!tc->prev && q->head != tc))
		panic("timer_call %p (fn %p) is not in the queue of CPU %d: "
		      "used without timer_call_init()?", tc, tc->fn, tc->cpu);
	if (tc->prev)
		tc->prev->next = tc->next;
	else
		q->head = tc->next;
	if (tc->next)
		tc->next->prev = tc->prev;
	tc->next = tc->prev = NULL;
	tc->cpu = -1;
}

static void timer_queue_insert(struct timer_queue *q, struct timer_call *tc,
			       unsigned int cpu)
{
	struct timer_call **link = &q->head, *prev = NULL;

	/* Equal deadlines run in the order they were entered. */
	while (*link && (*link)->deadline <= tc->deadline) {
		prev = *link;
		link = &(*link)->next;
	}
	tc->next = *link;
	tc->prev = prev;
	if (*link)
		(*link)->prev = tc;
	*link = tc;
	tc->cpu = (int)cpu;
}

/* Program this CPU's timer for the head of its queue (lock held). */
static void timer_queue_rearm(struct timer_queue *q)
{
	arch_timer_set_deadline(q->head ? q->head->deadline : UINT64_MAX);
}

void timer_call_init(struct timer_call *tc, timer_call_func_t fn, void *arg)
{
	tc->next = tc->prev = NULL;
	tc->deadline = 0;
	tc->fn = fn;
	tc->arg = arg;
	tc->cpu = -1;
}

bool timer_call_cancel(struct timer_call *tc)
{
	for (;;) {
		int cpu = __atomic_load_n(&tc->cpu, __ATOMIC_ACQUIRE);
		struct timer_queue *q;
		unsigned long flags;

		if (cpu < 0)
			return false;
		q = per_cpu_ptr(&timer_queues, (unsigned int)cpu);
		flags = spin_lock_irqsave(&q->lock);
		/* It may have moved or fired before we got the lock. */
		if (tc->cpu == cpu) {
			/*
			 * The hardware timer stays armed for the old head: if it
			 * goes off early, clock_interrupt() finds nothing due and
			 * rearms. Most waits end before their timeout, and a
			 * timer register write costs more than that interrupt.
			 */
			timer_queue_remove(q, tc);
			spin_unlock_irqrestore(&q->lock, flags);
			return true;
		}
		spin_unlock_irqrestore(&q->lock, flags);
	}
}

bool timer_call_enter(struct timer_call *tc, uint64_t deadline)
{
	unsigned long flags = arch_irq_save();
	unsigned int cpu = cpu_number();
	struct timer_queue *q = this_cpu_ptr(&timer_queues);
	bool was_pending = timer_call_cancel(tc);

	__spin_acquire(&q->lock);
	tc->deadline = deadline;
	timer_queue_insert(q, tc, cpu);
	if (q->head == tc)
		timer_queue_rearm(q);
	__spin_release(&q->lock);
	arch_irq_restore(flags);
	return was_pending;
}

bool timer_call_pending(struct timer_call *tc)
{
	return __atomic_load_n(&tc->cpu, __ATOMIC_ACQUIRE) >= 0;
}

unsigned long timer_calls_fired(unsigned int cpu)
{
	return __atomic_load_n(&per_cpu_ptr(&timer_queues, cpu)->fired, __ATOMIC_RELAXED);
}

/* The timer of this CPU fired: run every callout that is due. */
void clock_interrupt(void)
{
	struct timer_queue *q = this_cpu_ptr(&timer_queues);
	struct timer_call *tc;

	__spin_acquire(&q->lock);
	while ((tc = q->head) && tc->deadline <= clock_now()) {
		timer_queue_remove(q, tc);
		q->fired++;
		__spin_release(&q->lock);
		tc->fn(tc, tc->arg);
		__spin_acquire(&q->lock);
	}
	timer_queue_rearm(q);
	__spin_release(&q->lock);
}

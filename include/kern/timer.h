/* SPDX-License-Identifier: MIT */
/*
 * Time and timer callouts.
 *
 * clock_now() is monotonic nanoseconds since boot. A timer_call runs a
 * function at a deadline, from the timer interrupt of the CPU it was
 * entered on (interrupts disabled, in interrupt context: it must not
 * block). Each CPU keeps its callouts sorted by deadline and its hardware
 * timer armed for the earliest one. The scheduler's quantum, thread
 * timeouts and mach_msg timeouts are all timer_calls.
 *
 *	static void tick(struct timer_call *tc, void *arg) { ... }
 *	timer_call_init(&tc, tick, NULL);
 *	timer_call_enter(&tc, clock_now() + 10 * NSEC_PER_MSEC);
 *	...
 *	if (timer_call_cancel(&tc)) { it had not run yet }
 */
#ifndef _KERN_TIMER_H
#define _KERN_TIMER_H

#include <kern/types.h>
#include <kern/arch.h>

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

struct timer_call;
typedef void (*timer_call_func_t)(struct timer_call *tc, void *arg);

struct timer_call {
	struct timer_call	*next, *prev;	/* in a CPU's queue, by deadline */
	uint64_t		deadline;
	timer_call_func_t	fn;
	void			*arg;
	int			cpu;		/* whose queue, or -1 */
};

static inline uint64_t clock_now(void)
{
	return arch_clock_ns();
}

void timer_call_init(struct timer_call *tc, timer_call_func_t fn, void *arg);

/*
 * Arm tc for `deadline` on this CPU, re-arming it if it was pending
 * anywhere. Returns whether it was pending.
 */
bool timer_call_enter(struct timer_call *tc, uint64_t deadline);

/*
 * Disarm tc. Returns true if it was pending (it will not run), false if it
 * was not armed or has already started running.
 */
bool timer_call_cancel(struct timer_call *tc);

bool timer_call_pending(struct timer_call *tc);

/* Callouts run since boot on this CPU (statistics, tests). */
unsigned long timer_calls_fired(unsigned int cpu);

#endif /* _KERN_TIMER_H */

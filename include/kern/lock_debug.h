/* SPDX-License-Identifier: MIT */
/*
 * The lock debugger (CONFIG_LOCK_DEBUG). It reports, each with the locks
 * held and a backtrace, then panics:
 *
 *	recursion		taking a lock the thread already holds
 *	unlock by non-owner	releasing a lock another thread holds
 *	blocking with a spinlock held, or with preemption disabled
 *	lock-order inversion	taking class A while holding B after B was
 *				seen taken while holding A
 *
 * The locks call the hooks below; without CONFIG_LOCK_DEBUG they are empty
 * inline functions and struct fields they use do not exist.
 *
 * Tests plant a violation on purpose with lock_debug_expect(): the next
 * violations of that kind detected in the calling thread are counted
 * instead of reported, and the offending operation is not performed (a
 * recursive acquire does not deadlock, a non-owner release releases
 * nothing; an inversion is only not recorded). lock_debug_expect_end()
 * returns the count.
 */
#ifndef _KERN_LOCK_DEBUG_H
#define _KERN_LOCK_DEBUG_H

#include <kern/types.h>

/* A class of locks: the unit of the lock-order rules. */
struct lock_class {
	const char	*name;
};
#define LOCK_CLASS_INIT(n)	{ .name = (n) }

enum lock_debug_kind {
	LOCK_DEBUG_RECURSION,
	LOCK_DEBUG_NOT_OWNER,
	LOCK_DEBUG_BLOCK_SPINLOCK,
	LOCK_DEBUG_BLOCK_PREEMPT,
	LOCK_DEBUG_INVERSION,
	LOCK_DEBUG_NR_KINDS
};

#ifdef CONFIG_LOCK_DEBUG

/*
 * Acquire hooks return false when the acquire must not be done (a caught,
 * expected recursion); release hooks when the release must not be.
 * `lock` is the lock's address, cls its class or NULL (its own class).
 */
bool lock_debug_acquire(const void *lock, const struct lock_class *cls, bool spin,
			unsigned long pc);
void lock_debug_acquired(const void *lock, const struct lock_class *cls, bool spin,
			 unsigned long pc);
bool lock_debug_release(const void *lock, const void *owner, bool spin);

/* thread_block() calls this. */
void lock_debug_check_block(void);

/* Forget everything a thread that is being created may have inherited. */
struct thread;
void lock_debug_thread_init(struct thread *t);

void lock_debug_expect(enum lock_debug_kind kind);
unsigned int lock_debug_expect_end(void);

/* Violations reported (or caught) since boot, per kind. */
unsigned long lock_debug_count(enum lock_debug_kind kind);

#else /* !CONFIG_LOCK_DEBUG */

static inline void lock_debug_check_block(void) { }
struct thread;
static inline void lock_debug_thread_init(struct thread *t) { }

#endif /* CONFIG_LOCK_DEBUG */

#endif /* _KERN_LOCK_DEBUG_H */

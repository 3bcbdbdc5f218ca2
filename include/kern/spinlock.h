/* SPDX-License-Identifier: MIT */
/*
 * Ticket spinlocks: FIFO-fair, one 32-bit word of state. A CPU takes a
 * ticket (fetch-and-add on `next`) and spins until `owner` reaches it.
 *
 * `owner` is the word's low half and `next` its high half (both boards
 * are little-endian). The acquire is the arch's (arch_spin_acquire(),
 * <asm/spinlock.h>): arm64 adds 1 << 16 to the whole word, whose old
 * value says at once whether the lock was free (the ticket taken, the old
 * `next`, equal to the old `owner`; a carry out of `next` leaves the
 * word); x86_64 adds 1 to `next` alone and compares `owner` in memory
 * with the ticket, fewer instructions there. The release is the owner's
 * alone: it advances `owner` with a 16-bit store that has release order
 * and never touches `next` (arch_spin_owner_advance(): one add to memory
 * on x86_64, whose stores are ordered; arm64's stlrh), and `owner` first
 * in the word makes its address the lock's own (stlrh takes no offset).
 *
 * spin_lock_irqsave() masks interrupts on this CPU for as long as the lock
 * is held, which also keeps the thread from being preempted; that is the
 * form for data that interrupt handlers touch too. The preempt-only forms
 * (spin_lock()/spin_unlock()) are in <kern/lock.h>.
 *
 * With CONFIG_LOCK_DEBUG the lock also records its class and holder, and
 * spin_lock_irqsave()/spin_unlock_irqrestore() (and <kern/lock.h>'s forms)
 * report recursion, release by another thread and lock-order inversions
 * (<kern/lock_debug.h>). The raw __spin_acquire()/__spin_release() are
 * never checked: the scheduler and the debugger itself use them.
 */
#ifndef _KERN_SPINLOCK_H
#define _KERN_SPINLOCK_H

#include <kern/types.h>
#include <kern/arch.h>
#include <kern/lock_debug.h>

struct thread;

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "spinlock_t's halves assume a little-endian word"
#endif

typedef struct spinlock {
	union {
		uint32_t	word;		/* both, for the acquire */
		struct {
			uint16_t	owner;	/* the ticket being served */
			uint16_t	next;	/* the next ticket to hand out */
		};
	};
#ifdef CONFIG_LOCK_DEBUG
	const struct lock_class	*cls;	/* NULL: a class of its own */
	struct thread	*holder;
#endif
} spinlock_t;

#define SPINLOCK_INIT	{ .word = 0 }

/* One ticket, added to the whole word: `next` is its high half. */
#define SPIN_TICKET_ONE	(1U << 16)

#ifdef CONFIG_LOCK_DEBUG
bool lock_debug_spin_acquire(spinlock_t *l);	/* false: do not take it */
void lock_debug_spin_acquired(spinlock_t *l);
bool lock_debug_spin_release(spinlock_t *l);	/* false: do not release */
#else
static inline bool lock_debug_spin_acquire(spinlock_t *l) { return true; }
static inline void lock_debug_spin_acquired(spinlock_t *l) { }
static inline bool lock_debug_spin_release(spinlock_t *l) { return true; }
#endif

static inline void spin_lock_init(spinlock_t *l)
{
	l->word = 0;
#ifdef CONFIG_LOCK_DEBUG
	l->cls = NULL;
	l->holder = NULL;
#endif
}

/* Put l in class cls (lock debugging; nothing otherwise). */
static inline void spin_lock_init_class(spinlock_t *l, const struct lock_class *cls)
{
	spin_lock_init(l);
#ifdef CONFIG_LOCK_DEBUG
	l->cls = cls;
#endif
}

/* Contended: wait for `owner` to reach our ticket. */
static inline void __spin_acquire_wait(spinlock_t *l, uint16_t ticket)
{
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

/* The arch's part: arch_spin_acquire() (which calls the above), arch_spin_owner_advance(). */
#include <asm/spinlock.h>

static inline void __spin_acquire(spinlock_t *l)
{
	arch_spin_acquire(l);
}

static inline bool __spin_try_acquire(spinlock_t *l)
{
	uint32_t old = __atomic_load_n(&l->word, __ATOMIC_RELAXED);

	/* Free means next == owner: take ticket `owner` if nobody else did. */
	if ((uint16_t)(old >> 16) != (uint16_t)old)
		return false;
	return __atomic_compare_exchange_n(&l->word, &old, old + SPIN_TICKET_ONE, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void __spin_release(spinlock_t *l)
{
	arch_spin_owner_advance(&l->owner);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	uint32_t w = __atomic_load_n(&l->word, __ATOMIC_RELAXED);

	return (uint16_t)(w >> 16) != (uint16_t)w;
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	if (lock_debug_spin_acquire(l)) {
		__spin_acquire(l);
		lock_debug_spin_acquired(l);
	}
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	if (lock_debug_spin_release(l))
		__spin_release(l);
	arch_irq_restore(flags);
}

#endif /* _KERN_SPINLOCK_H */

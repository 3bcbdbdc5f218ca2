// SPDX-License-Identifier: MIT
/*
 * The lock debugger (CONFIG_LOCK_DEBUG, <kern/lock_debug.h>).
 *
 * Every thread keeps the locks it holds, in order, with where it took
 * them. Every lock has a class: its lock_class, or the lock itself when
 * it has none. Taking a lock of class B while holding one of class A
 * records the pair A -> B in a matrix; if B -> A was recorded before,
 * the two paths can deadlock against each other and this is reported as a
 * lock-order inversion, with the locks held and the backtrace.
 *
 * The debugger's own state is under a raw ticket lock, which it never
 * checks, so that it can be called from inside any lock operation.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/spinlock.h>
#include <kern/thread.h>

#define LD_MAX_CLASSES	256	/* slot 0 means "no slot" */
#define LD_WORDS	(LD_MAX_CLASSES / 64)

struct ld_class {
	const void		*key;	/* the lock_class, or the lock */
	const struct lock_class	*cls;	/* NULL: a lock that is its own class */
};

static spinlock_t ld_lock = SPINLOCK_INIT;	/* raw: ld_lock_take() */
static struct ld_class ld_classes[LD_MAX_CLASSES];
static uint64_t ld_order[LD_MAX_CLASSES][LD_WORDS];	/* [a] bit b: a then b seen */
static bool ld_full_warned;
static bool ld_off;		/* set for good once a fatal report starts */
static unsigned long ld_counts[LOCK_DEBUG_NR_KINDS];

static struct {
	struct thread		*thread;	/* NULL: nothing expected */
	enum lock_debug_kind	kind;
	unsigned int		caught;
} ld_expect;

static const char *const ld_kind_names[LOCK_DEBUG_NR_KINDS] = {
	[LOCK_DEBUG_RECURSION]		= "recursive locking",
	[LOCK_DEBUG_NOT_OWNER]		= "unlock by a thread that does not hold the lock",
	[LOCK_DEBUG_BLOCK_SPINLOCK]	= "blocking while holding a spinlock",
	[LOCK_DEBUG_BLOCK_PREEMPT]	= "blocking with preemption disabled",
	[LOCK_DEBUG_INVERSION]		= "lock-order inversion",
};

/*
 * ld_lock with interrupts masked: a mutex is checked with interrupts on,
 * and an interrupt handler taking a spinlock comes back here; on the same
 * CPU it would spin for good on the ld_lock its own thread holds (this hung
 * the default_pager workload in a virtio-blk completion interrupt).
 */
static unsigned long ld_lock_take(void)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(&ld_lock);
	return flags;
}

static void ld_lock_drop(unsigned long flags)
{
	__spin_release(&ld_lock);
	arch_irq_restore(flags);
}

/* The class slot of a lock, created on first use; 0 when the table is full. */
static unsigned int ld_class_index(const void *lock, const struct lock_class *cls)
{
	const void *key = cls ? (const void *)cls : lock;
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL;
	unsigned int i, n, slot = 0;
	unsigned long flags = ld_lock_take();

	for (n = 0; n < LD_MAX_CLASSES - 1; n++) {
		i = 1 + (unsigned int)((h >> 32) + n) % (LD_MAX_CLASSES - 1);
		if (ld_classes[i].key == key) {
			slot = i;
			break;
		}
		if (!ld_classes[i].key) {
			ld_classes[i].key = key;
			ld_classes[i].cls = cls;
			slot = i;
			break;
		}
	}
	if (!slot && !ld_full_warned) {
		ld_full_warned = true;
		ld_lock_drop(flags);
		pr_warn("lock debug: more than %d lock classes, order checks incomplete\n",
			LD_MAX_CLASSES - 1);
		return 0;
	}
	ld_lock_drop(flags);
	return slot;
}

static void ld_print_lock(const char *what, const void *lock, const struct lock_class *cls,
			  unsigned long pc)
{
	if (cls)
		pr_emerg("  %s %p of class %s, taken at %pS\n", what, lock, cls->name, (void *)pc);
	else
		pr_emerg("  %s %pS, taken at %pS\n", what, lock, (void *)pc);
}

static void ld_print_held(struct thread *t)
{
	unsigned int i;

	pr_emerg("  %s holds %u lock(s):\n", t->name, t->nr_held);
	for (i = 0; i < t->nr_held && i < LOCK_DEBUG_MAX_HELD; i++)
		ld_print_lock("-", t->held[i].lock, t->held[i].cls, t->held[i].pc);
}

/*
 * A violation: caught (true) if the calling thread expects this kind,
 * else reported, and the kernel panics.
 */
static bool ld_violation(enum lock_debug_kind kind, const void *lock,
			 const struct lock_class *cls, unsigned long pc, const char *detail)
{
	struct thread *t = current_thread();

	__atomic_add_fetch(&ld_counts[kind], 1, __ATOMIC_RELAXED);
	if (ld_expect.thread == t && ld_expect.kind == kind) {
		ld_expect.caught++;
		return true;
	}
	/* printk takes locks too: the debugger is off from here on. */
	__atomic_store_n(&ld_off, true, __ATOMIC_RELAXED);
	pr_emerg("lock debug: %s in thread %s on CPU%u\n", ld_kind_names[kind], t->name,
		 cpu_number());
	if (lock)
		ld_print_lock("the lock:", lock, cls, pc);
	if (detail)
		pr_emerg("  %s\n", detail);
	ld_print_held(t);
	panic("lock debug: %s", ld_kind_names[kind]);
}

static inline struct thread *ld_thread(void)
{
	if (__atomic_load_n(&ld_off, __ATOMIC_RELAXED))
		return NULL;
	return current_thread();
}

bool lock_debug_acquire(const void *lock, const struct lock_class *cls, bool spin,
			unsigned long pc)
{
	struct thread *t = ld_thread();
	unsigned int i, me, other;
	unsigned long flags;
	char detail[160];

	if (!t)
		return true;
	for (i = 0; i < t->nr_held && i < LOCK_DEBUG_MAX_HELD; i++) {
		if (t->held[i].lock == lock &&
		    ld_violation(LOCK_DEBUG_RECURSION, lock, cls, pc, NULL))
			return false;
	}
	me = ld_class_index(lock, cls);
	if (!me)
		return true;
	for (i = 0; i < t->nr_held && i < LOCK_DEBUG_MAX_HELD; i++) {
		other = ld_class_index(t->held[i].lock, t->held[i].cls);
		if (!other || other == me)
			continue;
		flags = ld_lock_take();
		if (ld_order[me][other / 64] & (1ULL << (other % 64))) {
			ld_lock_drop(flags);
			if (t->held[i].cls)
				snprintf(detail, sizeof(detail),
					 "taken while holding class %s, which was taken while holding it before",
					 t->held[i].cls->name);
			else
				snprintf(detail, sizeof(detail),
					 "taken while holding %pS, which was taken while holding it before",
					 t->held[i].lock);
			ld_violation(LOCK_DEBUG_INVERSION, lock, cls, pc, detail);
			continue;	/* caught: do not record the reverse order */
		}
		ld_order[other][me / 64] |= 1ULL << (me % 64);
		ld_lock_drop(flags);
	}
	return true;
}

void lock_debug_acquired(const void *lock, const struct lock_class *cls, bool spin,
			 unsigned long pc)
{
	struct thread *t = ld_thread();

	if (!t)
		return;
	if (t->nr_held < LOCK_DEBUG_MAX_HELD) {
		t->held[t->nr_held].lock = lock;
		t->held[t->nr_held].cls = cls;
		t->held[t->nr_held].pc = pc;
		t->held[t->nr_held].spin = spin;
	}
	t->nr_held++;
	if (spin)
		t->nr_spin_held++;
}

bool lock_debug_release(const void *lock, const void *owner, bool spin)
{
	struct thread *t = ld_thread();
	unsigned int i, n;

	if (!t)
		return true;
	if (owner != t &&
	    ld_violation(LOCK_DEBUG_NOT_OWNER, lock, NULL, (unsigned long)__builtin_return_address(0),
			 NULL))
		return false;
	n = MIN(t->nr_held, LOCK_DEBUG_MAX_HELD);
	for (i = n; i-- > 0;) {
		if (t->held[i].lock != lock)
			continue;
		for (; i + 1 < n; i++)
			t->held[i] = t->held[i + 1];
		break;
	}
	if (t->nr_held)
		t->nr_held--;
	if (spin && t->nr_spin_held)
		t->nr_spin_held--;
	return true;
}

bool lock_debug_spin_acquire(spinlock_t *l)
{
	return lock_debug_acquire(l, l->cls, true, (unsigned long)__builtin_return_address(0));
}

void lock_debug_spin_acquired(spinlock_t *l)
{
	l->holder = current_thread();
	lock_debug_acquired(l, l->cls, true, (unsigned long)__builtin_return_address(0));
}

bool lock_debug_spin_release(spinlock_t *l)
{
	struct thread *holder = l->holder;

	/* Taken before there were threads, or with the debugger off: no owner to check. */
	if (!holder)
		return true;
	if (!lock_debug_release(l, holder, true))
		return false;
	l->holder = NULL;
	return true;
}

void lock_debug_check_block(void)
{
	struct thread *t = ld_thread();

	if (!t)
		return;
	if (t->nr_spin_held)
		ld_violation(LOCK_DEBUG_BLOCK_SPINLOCK, t->held[0].lock, t->held[0].cls,
			     t->held[0].pc, NULL);
	else if (t->preempt_count)
		ld_violation(LOCK_DEBUG_BLOCK_PREEMPT, NULL, NULL, 0, NULL);
}

void lock_debug_thread_init(struct thread *t)
{
	t->nr_held = 0;
	t->nr_spin_held = 0;
}

void lock_debug_expect(enum lock_debug_kind kind)
{
	ld_expect.caught = 0;
	ld_expect.kind = kind;
	__atomic_store_n(&ld_expect.thread, current_thread(), __ATOMIC_RELEASE);
}

unsigned int lock_debug_expect_end(void)
{
	__atomic_store_n(&ld_expect.thread, NULL, __ATOMIC_RELEASE);
	return ld_expect.caught;
}

unsigned long lock_debug_count(enum lock_debug_kind kind)
{
	return kind < LOCK_DEBUG_NR_KINDS ? __atomic_load_n(&ld_counts[kind], __ATOMIC_RELAXED) : 0;
}

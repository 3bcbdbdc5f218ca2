// SPDX-License-Identifier: MIT
/*
 * Kernel threads: creation, termination, references, suspension,
 * priorities and binding (<kern/thread.h>). The scheduler proper is in
 * kernel/sched.c, wait and wakeup in kernel/sched_prim.c.
 *
 * Thread structures come from the "thread" zone; thread 0 (the boot flow
 * of CPU 0) is static, because it exists before any allocator. A thread
 * whose last reference goes in the context-switch path (interrupts off,
 * on another thread's stack) is freed later by the reaper thread.
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/irq.h>
#include <kern/kmem.h>
#include <kern/lock_debug.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/vm_map.h>
#include <kern/zalloc.h>
#include <kernel/sched_internal.h>
#include <mach/mig.h>

static struct thread thread0;

static struct zone *thread_zone;
static unsigned int thread_nr;		/* threads that exist */

/* Every thread, for thread_dump_all(). */
static spinlock_t thread_list_lock = SPINLOCK_INIT;
static struct thread *thread_list;

/* Threads whose last reference went with interrupts off. */
static spinlock_t thread_reap_lock = SPINLOCK_INIT;
static struct thread *thread_reap_list;

static void thread_setup(struct thread *t, int priority, const char *name)
{
	memset(t, 0, sizeof(*t));
	spin_lock_init(&t->lock);
	t->priority = priority;
	t->sched_pri = priority;
	t->runq_cpu = -1;
	t->bound_cpu = -1;
	t->last_cpu = cpu_number();
	t->wait_result = THREAD_AWAKENED;
	t->ref_count = 1;
	t->sched_stamp = 0;
	t->task = kernel_task;		/* no reference: static threads and new ones until attached */
	thread_timer_init(t);
	sched_thread_init(t);
	lock_debug_thread_init(t);
	strlcpy(t->name, name ? name : "thread", sizeof(t->name));
}

static void thread_list_add(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(&thread_list_lock);
	t->all_next = thread_list;
	thread_list = t;
	thread_nr++;
	__spin_release(&thread_list_lock);
	arch_irq_restore(flags);
}

static void thread_list_remove(struct thread *t)
{
	unsigned long flags = arch_irq_save();
	struct thread **link;

	__spin_acquire(&thread_list_lock);
	for (link = &thread_list; *link; link = &(*link)->all_next) {
		if (*link == t) {
			*link = t->all_next;
			break;
		}
	}
	thread_nr--;
	__spin_release(&thread_list_lock);
	arch_irq_restore(flags);
}

unsigned int thread_count(void)
{
	return READ_ONCE(thread_nr);
}

unsigned int thread_list_snapshot(struct thread **out, unsigned int max)
{
	unsigned long flags = arch_irq_save();
	unsigned int n = 0;
	struct thread *t;

	__spin_acquire(&thread_list_lock);
	for (t = thread_list; t; t = t->all_next) {
		if (READ_ONCE(t->state) & TH_HALTED)
			continue;
		if (n >= max) {
			n++;
			continue;
		}
		/* One whose last reference is going stays out. */
		if (ref_get_unless_zero(&t->ref_count))
			out[n++] = t;
	}
	__spin_release(&thread_list_lock);
	arch_irq_restore(flags);
	return n;
}

void thread_bootstrap(void)
{
	struct thread *t = &thread0;

	thread_setup(t, BASEPRI_KERNEL, "boot");
	t->state = TH_RUN;
	t->kstack_foreign = true;
	t->sched_flags = TS_STATIC;
	t->ref_count = 1;
	t->all_next = NULL;
	thread_list = t;
	thread_nr = 1;
	cpu_set_active_thread(cpu_this(), t);
}

/* ------------------------------------------------------------------------
 * Stacks and structures
 */

kern_return_t thread_stack_alloc(struct thread *t)
{
	vm_offset_t base;
	kern_return_t kr;

	kr = kmem_stack_alloc(KERNEL_STACK_SIZE, &base);
	if (kr != KERN_SUCCESS)
		return kr;
	t->kstack = (void *)base;
	t->kstack_top = (void *)(base + KERNEL_STACK_SIZE);
	return KERN_SUCCESS;
}

void thread_stack_free(void *kstack)
{
	kmem_stack_free((vm_offset_t)kstack, KERNEL_STACK_SIZE);
}

static struct thread *thread_struct_alloc(void)
{
	if (!thread_zone) {
		thread_zone = zone_create("thread", sizeof(struct thread), 0, 0);
		if (!thread_zone)
			return NULL;
	}
	return zalloc(thread_zone);
}

/*
 * Free t for good (thread context, no reference left). A timeout that
 * could not be cancelled may still be running on some CPU: wait for it.
 */
static void thread_destroy(struct thread *t)
{
	unsigned long flags;

	timer_call_cancel(&t->wait_timer);
	timer_call_cancel(&t->depress_timer);
	while (__atomic_load_n(&t->timer_armed, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	/* The timeout's last unlock of t->lock is done once we get it. */
	flags = arch_irq_save();
	__spin_acquire(&t->lock);
	__spin_release(&t->lock);
	arch_irq_restore(flags);

	thread_list_remove(t);
	mig_thread_terminate(t);	/* its kernel reply port */
	task_thread_detach(t);		/* if it never ran to thread_terminate() */
	if (t->kstack && !t->kstack_foreign)
		thread_stack_free(t->kstack);
	task_deallocate(t->task);
	zfree(thread_zone, t);
}

static void thread_reap(void)
{
	unsigned long flags;
	struct thread *list, *t;

	flags = arch_irq_save();
	__spin_acquire(&thread_reap_lock);
	list = thread_reap_list;
	thread_reap_list = NULL;
	__spin_release(&thread_reap_lock);
	arch_irq_restore(flags);

	while ((t = list)) {
		list = t->rq_next;
		thread_destroy(t);
	}
}

/* The reaper: frees the threads queued by thread_free_deferred(). */
static void thread_reaper(void *arg)
{
	for (;;) {
		assert_wait(&thread_reap_list, THREAD_UNINT);
		if (READ_ONCE(thread_reap_list))
			clear_wait(current_thread(), THREAD_AWAKENED);
		else
			thread_block(NULL);
		thread_reap();
	}
}

bool thread_release_own_ref(struct thread *t)
{
	if (t->sched_flags & TS_STATIC)
		return false;	/* thread 0 ending: it was never allocated */
	return __atomic_sub_fetch(&t->ref_count, 1, __ATOMIC_ACQ_REL) == 0;
}

/* Queue t, which has no reference left, for the reaper. */
void thread_free_deferred(struct thread *t)
{
	unsigned long flags;

	/* Off every queue now: the run-queue link carries the reap list. */
	flags = arch_irq_save();
	__spin_acquire(&thread_reap_lock);
	t->rq_next = thread_reap_list;
	thread_reap_list = t;
	__spin_release(&thread_reap_lock);
	arch_irq_restore(flags);
	thread_wakeup(&thread_reap_list);
}

void thread_reference(struct thread *t)
{
	__atomic_add_fetch(&t->ref_count, 1, __ATOMIC_RELAXED);
}

void thread_deallocate(struct thread *t)
{
	if (!t)
		return;
	if (__atomic_sub_fetch(&t->ref_count, 1, __ATOMIC_ACQ_REL))
		return;
	if (t->sched_flags & TS_STATIC)
		panic("thread: the last reference to static thread %s went", t->name);
	if (in_interrupt())
		thread_free_deferred(t);
	else
		thread_destroy(t);
}

/* The idle thread of `cpu`: with a stack of its own, or on the current one. */
struct thread *thread_alloc_idle(unsigned int cpu, bool own_stack)
{
	struct thread *t = thread_struct_alloc();
	char name[THREAD_NAME_MAX];

	if (!t)
		return NULL;
	snprintf(name, sizeof(name), "idle/%u", cpu);
	thread_setup(t, IDLEPRI, name);
	if (own_stack) {
		if (thread_stack_alloc(t) != KERN_SUCCESS) {
			zfree(thread_zone, t);
			return NULL;
		}
	} else {
		t->kstack_foreign = true;
	}
	t->state = TH_RUN | TH_IDLE;
	t->sched_pri = IDLEPRI;
	t->sched_flags = TS_STATIC;
	thread_list_add(t);
	return t;
}

/* ------------------------------------------------------------------------
 * Creation and termination
 */

void thread_start_continue(void *parameter, wait_result_t result)
{
	struct thread *self = parameter;

	self->start_fn(self->start_arg);
	thread_terminate();
}

/*
 * A new thread of `task`, suspended once (the creation hold) and once
 * more if the task is suspended; it runs in the task's map.
 */
kern_return_t task_thread_create(struct task *task, void (*fn)(void *arg), void *arg,
			       int priority, const char *name, struct thread **tp)
{
	struct thread *t;
	kern_return_t kr;

	if (!fn || priority < MINPRI || priority > MAXPRI)
		return KERN_INVALID_ARGUMENT;
	t = thread_struct_alloc();
	if (!t)
		return KERN_RESOURCE_SHORTAGE;
	thread_setup(t, priority, name);
	if (thread_stack_alloc(t) != KERN_SUCCESS) {
		zfree(thread_zone, t);
		return KERN_RESOURCE_SHORTAGE;
	}
	t->start_fn = fn;
	t->start_arg = arg;
	t->continuation = thread_start_continue;
	t->parameter = t;
	t->ref_count = 2;	/* its own, and the caller's */
	t->suspend_count = 1;
	t->state = TH_SUSP;
	t->task = task;
	if (task->map) {
		t->map = task->map;
		t->pmap = task->map->pmap;
	}
	thread_list_add(t);
	kr = task_thread_attach(t);	/* the task's reference, and its hold */
	if (kr != KERN_SUCCESS) {
		thread_list_remove(t);
		thread_stack_free(t->kstack);
		zfree(thread_zone, t);
		return kr;
	}
	*tp = t;
	return KERN_SUCCESS;
}

static struct thread *thread_create(void (*fn)(void *arg), void *arg,
				    int priority, const char *name, bool suspended)
{
	struct thread *t;

	if (task_thread_create(kernel_task, fn, arg, priority, name, &t) != KERN_SUCCESS)
		return NULL;
	if (!suspended)
		thread_resume(t);
	return t;
}

struct thread *kernel_thread_create(void (*fn)(void *arg), void *arg,
				    int priority, const char *name)
{
	return thread_create(fn, arg, priority, name, false);
}

struct thread *kernel_thread_create_suspended(void (*fn)(void *arg), void *arg,
					      int priority, const char *name)
{
	return thread_create(fn, arg, priority, name, true);
}

void __noreturn thread_terminate(void)
{
	struct thread *self = current_thread();

	task_thread_detach(self);	/* off its task's list; its port dies */
	arch_irq_disable();
	if (self->state & TH_IDLE)
		panic("thread_terminate: the idle thread");
	timer_call_cancel(&self->depress_timer);
	__spin_acquire(&self->lock);
	th_state_set(self, TH_HALTED);
	__spin_release(&self->lock);
	sched_reschedule(self, SCHED_BLOCK);
	panic("thread_terminate: %s came back", self->name);
}

wait_result_t thread_join(struct thread *t)
{
	wait_result_t wr;

	for (;;) {
		assert_wait(t, THREAD_INTERRUPTIBLE);
		if ((thread_get_state(t) & (TH_HALTED | TH_RUN)) == TH_HALTED) {
			clear_wait(current_thread(), THREAD_AWAKENED);
			return THREAD_AWAKENED;
		}
		wr = thread_block(NULL);
		if (wr == THREAD_INTERRUPTED)
			return wr;
	}
}

kern_return_t thread_terminate_request(struct thread *t)
{
	unsigned long flags = arch_irq_save();
	kern_return_t kr = KERN_SUCCESS;

	__spin_acquire(&t->lock);
	if (t->state & TH_HALTED) {
		kr = KERN_TERMINATED;
	} else if ((t->state & TH_IDLE) || (t->sched_flags & TS_STATIC)) {
		kr = KERN_INVALID_ARGUMENT;
	} else {
		th_state_set(t, TH_ABORT);
		/* It must run to reach the point where it ends: no suspension holds it. */
		t->suspend_count = 0;
		t->user_stop_count = 0;
		if (t->state & TH_SUSP) {
			th_state_clear(t, TH_SUSP);
			if (!(t->state & TH_RUN) &&
			    (!(t->state & TH_WAIT) || !sched_blocking(t, t->state))) {
				th_state_set(t, TH_RUN);
				sched_setrun(t);
			}
		}
	}
	__spin_release(&t->lock);
	arch_irq_restore(flags);
	if (kr == KERN_SUCCESS)
		thread_interrupt(t);	/* a wait it had asserted already */
	return kr;
}

kern_return_t thread_terminate_other(struct thread *t)
{
	kern_return_t kr;

	if (t == current_thread())
		thread_terminate();
	kr = thread_terminate_request(t);
	if (kr != KERN_SUCCESS)
		return kr;
	sched_check_preempt();
	return thread_join(t) == THREAD_AWAKENED ? KERN_SUCCESS : KERN_ABORTED;
}

unsigned int thread_get_state(struct thread *t)
{
	unsigned long flags = arch_irq_save();
	unsigned int state;

	__spin_acquire(&t->lock);
	state = t->state;
	__spin_release(&t->lock);
	arch_irq_restore(flags);
	return state;
}

/* ------------------------------------------------------------------------
 * Suspension
 */

/* Has a suspended t left its CPU? */
static bool thread_stopped(struct thread *t)
{
	return !(thread_get_state(t) & TH_RUN);
}

kern_return_t thread_suspend(struct thread *t)
{
	struct thread *self = current_thread();
	unsigned long flags;
	unsigned int cpu;
	bool running;

	flags = arch_irq_save();
	__spin_acquire(&t->lock);
	if (t->state & (TH_HALTED | TH_IDLE)) {
		__spin_release(&t->lock);
		arch_irq_restore(flags);
		return t->state & TH_HALTED ? KERN_TERMINATED : KERN_INVALID_ARGUMENT;
	}
	if (t->suspend_count++ == 0) {
		th_state_set(t, TH_SUSP);
		/* Queued: just take it off. */
		if ((t->state & TH_RUN) && t != self && sched_runq_take(t))
			th_state_clear(t, TH_RUN);
	}
	running = t->state & TH_RUN;
	cpu = t->last_cpu;
	__spin_release(&t->lock);

	if (t == self) {
		sched_reschedule(self, SCHED_BLOCK);
		arch_irq_restore(flags);
		sched_check_preempt();
		return KERN_SUCCESS;
	}
	arch_irq_restore(flags);

	/* On a CPU: make it reschedule, and wait until it has stopped. */
	while (running) {
		assert_wait_timeout(&t->suspend_count, THREAD_UNINT, 10 * NSEC_PER_MSEC);
		if (thread_stopped(t) || !(thread_get_state(t) & TH_SUSP)) {
			clear_wait(self, THREAD_AWAKENED);
			break;
		}
		if (sched_cpu_active(cpu))
			arch_send_ipi(cpu, IPI_RESCHEDULE);
		thread_block(NULL);
		cpu = READ_ONCE(t->last_cpu);
	}
	return KERN_SUCCESS;
}

kern_return_t thread_resume(struct thread *t)
{
	unsigned long flags = arch_irq_save();
	kern_return_t kr = KERN_SUCCESS;

	__spin_acquire(&t->lock);
	if (t->suspend_count == 0) {
		kr = KERN_FAILURE;
	} else if (--t->suspend_count == 0) {
		th_state_clear(t, TH_SUSP);
		/*
		 * Off its CPU and not blocked in thread_block(): runnable again.
		 * (A thread stopped between assert_wait() and thread_block()
		 * goes on to thread_block(), which sees whether it was woken.)
		 */
		if (!(t->state & (TH_RUN | TH_HALTED)) &&
		    (!(t->state & TH_WAIT) || !sched_blocking(t, t->state))) {
			th_state_set(t, TH_RUN);
			sched_setrun(t);
		}
	}
	__spin_release(&t->lock);
	arch_irq_restore(flags);
	sched_check_preempt();
	return kr;
}

/* ------------------------------------------------------------------------
 * Priority and binding
 */

/*
 * A change of what t's priority is computed from: made between these two
 * under t's lock; the end recomputes the priority and tells the scheduler.
 */
static unsigned long thread_sched_change_begin(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	__spin_acquire(&t->lock);
	return flags;
}

static void thread_sched_change_end(struct thread *t, unsigned long flags)
{
	sched_set_pri(t, sched_compute_pri(t));
	__spin_release(&t->lock);
	sched_priority_changed(t);
	arch_irq_restore(flags);
	sched_check_preempt();
}

kern_return_t thread_set_priority(struct thread *t, int priority)
{
	unsigned long flags;

	if (priority < MINPRI || priority > MAXPRI || (t->state & TH_IDLE))
		return KERN_INVALID_ARGUMENT;
	flags = thread_sched_change_begin(t);
	t->priority = priority;
	thread_sched_change_end(t, flags);
	return KERN_SUCCESS;
}

void thread_set_timeshare(struct thread *t, bool timeshare)
{
	unsigned long flags = thread_sched_change_begin(t);

	if (timeshare)
		ts_clear(t, TS_FIXPRI);
	else
		ts_set(t, TS_FIXPRI);
	thread_sched_change_end(t, flags);
}

bool thread_is_timeshare(struct thread *t)
{
	return !(READ_ONCE(t->sched_flags) & TS_FIXPRI);
}

kern_return_t thread_bind(struct thread *t, int cpu)
{
	unsigned long flags;

	if (cpu >= 0 && !sched_cpu_active((unsigned int)cpu))
		return KERN_INVALID_ARGUMENT;
	if (t->state & TH_IDLE)
		return KERN_INVALID_ARGUMENT;
	flags = arch_irq_save();
	__spin_acquire(&t->lock);
	t->bound_cpu = cpu;
	/* Queued on the wrong CPU: move it. */
	if (cpu >= 0 && t != current_thread() && sched_runq_take(t))
		sched_setrun(t);
	__spin_release(&t->lock);
	if (t == current_thread() && cpu >= 0 && (unsigned int)cpu != cpu_number())
		sched_reschedule(t, SCHED_BLOCK);
	arch_irq_restore(flags);
	sched_check_preempt();
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Dump
 */

static const char *thread_state_name(unsigned int state, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s",
		 state & TH_RUN ? "R" : "", state & TH_WAIT ? "W" : "",
		 state & TH_SUSP ? "S" : "", state & TH_UNINT ? "U" : "",
		 state & TH_HALTED ? "H" : "", state & TH_IDLE ? "I" : "");
	return buf;
}

void thread_dump_all(void)
{
	unsigned long flags = arch_irq_save();
	struct thread *t;
	char st[8];

	__spin_acquire(&thread_list_lock);
	printk(KERN_INFO "threads: %u\n", thread_nr);
	for (t = thread_list; t; t = t->all_next)
		printk(KERN_INFO "  %p %-16s %-4s pri %3d/%3d cpu %u%s queued %d preempt %d wait %p time %llu us switches %lu\n",
		       t, t->name, thread_state_name(t->state, st, sizeof(st)),
		       t->sched_pri, t->priority, t->last_cpu,
		       t->bound_cpu >= 0 ? " (bound)" : "", t->runq_cpu, t->preempt_count,
		       t->wait_event, (unsigned long long)(t->total_time / NSEC_PER_USEC),
		       t->switches_in);
	__spin_release(&thread_list_lock);
	arch_irq_restore(flags);
}

/* Called by sched_bootstrap(): the reaper. */
void thread_reaper_start(void)
{
	struct thread *t = kernel_thread_create(thread_reaper, NULL, MAXPRI_KERNEL, "reaper");

	if (!t)
		panic("thread: cannot start the reaper");
	thread_deallocate(t);
}

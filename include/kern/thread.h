/* SPDX-License-Identifier: MIT */
/*
 * Kernel threads.
 *
 * A thread is the unit the scheduler runs: a kernel stack (with a guard
 * page below it), the saved context of the architecture (<asm/thread.h>),
 * a priority and a state. The state is a set of Mach's TH_* bits:
 *
 *	TH_RUN		running or runnable: on a CPU or on a run queue
 *	TH_WAIT		waiting for an event (assert_wait(), <kern/sched_prim.h>)
 *	TH_UNINT	the wait cannot be interrupted
 *	TH_SUSP		suspended: will not run until thread_resume()
 *	TH_HALTED	terminated; only references keep the structure
 *	TH_ABORT	being terminated (thread_terminate_other()): every
 *			interruptible wait ends at once, THREAD_INTERRUPTED
 *	TH_PARKED	with TH_WAIT: the wait is on no wait-queue bucket
 *			(assert_wait_parked(), thread_park_handoff())
 *	TH_LEAVING	with TH_WAIT | TH_PARKED: declared by
 *			thread_park_declare(), whose thread leaves its CPU
 *			blocked with no preemption point before (what
 *			TS_BLOCKING says of thread_block()); whoever ends
 *			the wait clears it with TH_WAIT
 *	TH_TIMER	timer_armed, in the state word for the lockless
 *			claim (<kern/sched_prim.h>): set and cleared with
 *			it, under the thread's lock
 *	TH_IDLE		a CPU's idle thread
 *
 * A thread that is waiting or suspended and has left its CPU has neither
 * TH_RUN nor a place on a run queue. TH_WAIT and TH_RUN are both set in the
 * short time between assert_wait() and thread_block(), and TH_SUSP and
 * TH_RUN until a suspended thread reaches its next preemption point.
 *
 * A thread that blocks with a continuation (thread_block(fn)) gives its
 * kernel stack back while it waits: kstack is then NULL and the thread
 * resumes in fn() on a fresh stack. A user thread may too: its user
 * registers are in the thread (uframe), not on the stack.
 *
 * References: kernel_thread_create() returns a reference the caller must
 * drop with thread_deallocate(); a thread's own reference goes when it
 * terminates. The structure is freed with the last one.
 */
#ifndef _KERN_THREAD_H
#define _KERN_THREAD_H

#include <kern/types.h>
#include <kern/exception.h>
#include <kern/spinlock.h>
#include <kern/timer.h>
#include <kern/cpu.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <asm/thread.h>
#include <asm/arch.h>

/* Thread states (Mach's TH_* bits). */
#define TH_WAIT		0x01
#define TH_SUSP		0x02
#define TH_RUN		0x04
#define TH_UNINT	0x08
#define TH_HALTED	0x10
#define TH_ABORT	0x20
#define TH_PARKED	0x40
#define TH_IDLE		0x80
#define TH_LEAVING	0x100
#define TH_TIMER	0x200
/* Every state bit above (a new one goes here too: entry code checks against it). */
#define TH_ALL		(TH_WAIT | TH_SUSP | TH_RUN | TH_UNINT | TH_HALTED | TH_ABORT | \
			 TH_PARKED | TH_IDLE | TH_LEAVING | TH_TIMER)

/* Wait results, as thread_block() returns them. */
typedef int wait_result_t;
#define THREAD_WAITING		-1	/* still waiting (internal) */
#define THREAD_AWAKENED		0	/* the event happened */
#define THREAD_TIMED_OUT	1	/* the timeout expired first */
#define THREAD_INTERRUPTED	2	/* thread_interrupt() / clear_wait() */
#define THREAD_RESTART		3	/* the object waited on went away */

/* What a thread waits for: any address that names the condition. */
typedef const void *event_t;
#define NO_EVENT	((event_t)0)

/* assert_wait()'s second argument. */
typedef int wait_interrupt_t;
#define THREAD_UNINT		0
#define THREAD_INTERRUPTIBLE	1

/*
 * A continuation: where a thread that blocked without its stack resumes,
 * on a fresh stack, with interrupts and preemption enabled. It must not
 * return; if it does, the thread terminates.
 */
typedef void (*thread_continue_t)(void *parameter, wait_result_t result);

#define THREAD_NAME_MAX		24

/* A user thread's FP/SIMD save area: x86_64 FXSAVE (512), arm64 v0-v31, FPSR, FPCR (520). */
#define THREAD_UFP_SIZE		528

/*
 * A user thread's frame (struct thread's uframe): its user registers,
 * struct arch_regs, padded in front (ARCH_UFRAME_PAD, <asm/thread.h>) so
 * that the registers end on a 16-byte boundary, where the entry code
 * starts to push them (x86_64 TSS.rsp0, arm64 SP_EL1 in user mode).
 */
struct thread_uframe {
#if ARCH_UFRAME_PAD
	uint8_t			pad[ARCH_UFRAME_PAD];
#endif
	struct arch_regs	regs;
} __aligned(16);

/* Every kernel stack (kmem_stack_alloc(), a guard page below it). */
#define KERNEL_STACK_SIZE	(16 * 1024)

#ifdef CONFIG_LOCK_DEBUG
#define LOCK_DEBUG_MAX_HELD	16
struct lock_class;
struct lock_debug_held {
	const void		*lock;
	const struct lock_class	*cls;
	unsigned long		pc;	/* where it was taken */
	bool			spin;	/* a spinlock (no blocking allowed) */
};
#endif

/*
 * Locking: `lock` (taken with interrupts off) guards the wait fields and
 * suspend_count, and serialises the changes of state, which are atomic
 * operations because three of them take no lock (the RPC's parked wait,
 * kernel/sched_internal.h: the thread declaring it, the sender claiming
 * the thread, the CPU that left it dropping TH_RUN). Run-queue links
 * (rq_*, runq_cpu) belong to the lock of the run queue the thread is on.
 * Fields marked "self" are only touched by the thread itself or by the
 * CPU switching it.
 */
struct thread {
	struct arch_thread	arch;		/* self: context while not running */
	spinlock_t		lock;
	unsigned int		state;		/* TH_* */
	int			preempt_count;	/* self: > 0 means no preemption */

	/*
	 * User mode (kernel/usermode.c, Documentation/traps.rst). uframe:
	 * the user registers of a thread that runs in user mode, saved here
	 * by every trap from user mode and restored from here on the way
	 * back, so that its kernel stack holds nothing of user mode (it may
	 * block with a continuation); at TRAP_THREAD_UFRAME (<kern/trap_asm.h>,
	 * the entry code's fast paths), ending where ufp starts (the entry
	 * code's stack top while the thread is in user mode). ufp: its
	 * FP/SIMD registers in the arch's layout, saved there when it leaves
	 * a CPU; utls: its thread pointer (x86_64 FS base, arm64 TPIDR_EL0).
	 */
	struct thread_uframe	uframe;
	uint8_t			ufp[THREAD_UFP_SIZE] __aligned(16);
	uint64_t		utls;

	/* Scheduling (<kern/sched.h>) */
	struct thread		*rq_next, *rq_prev;
	int			runq_cpu;	/* the run queue it is on, or -1 */
	int			bound_cpu;	/* runs only there, or -1 */
	unsigned int		last_cpu;	/* where it last ran */
	int			priority;	/* base priority */
	int			sched_pri;	/* effective: base less decay */
	unsigned int		sched_flags;	/* TS_* in kernel/sched_internal.h */
	uint64_t		cpu_usage;	/* ns, aged: the decay's input */
	uint64_t		sched_stamp;	/* the aging tick it was aged to */
	uint64_t		run_start;	/* its CPU's time is charged from here (a handoff passes it on) */
	uint64_t		total_time;	/* ns on a CPU, ever */
	uint64_t		user_time;	/* of which in user mode, by ticks (sched_tick()) */
	unsigned long		switches_in;	/* times it was switched to */
	struct timer_call	depress_timer;	/* ends a SWITCH_OPTION_DEPRESS */

	/* Waiting (<kern/sched_prim.h>) */
	event_t			wait_event;	/* NO_EVENT when not queued */
	struct thread		*wq_next, *wq_prev;
	wait_result_t		wait_result;
	unsigned int		wait_seq;	/* +1 for every assert_wait() */
	unsigned int		timer_seq;	/* the wait the timer is for */
	bool			timer_armed;	/* wait_timer may still run */
	struct timer_call	wait_timer;
	thread_continue_t	continuation;	/* self: resume here, or NULL */
	void			*parameter;

	/* Stack */
	void			*kstack;	/* lowest address, or NULL */
	void			*kstack_top;
	bool			kstack_foreign;	/* not ours to free (boot stacks) */

	/* The lower-half address space it runs in; NULL: kernel_pmap only (<kern/pmap.h>). */
	struct pmap		*pmap;
	/* The vm_map whose pmap that is (vm_map_switch()); faults on lower-half addresses go to it. */
	struct vm_map		*map;

	/*
	 * A mach_msg receive in progress (ipc/ipc_mqueue.c): guarded by the
	 * message lock of the port or set it waits on.
	 */
	struct thread		*ith_next, *ith_prev;	/* the queue's waiting receivers */
	struct ipc_kmsg		*ith_kmsg;	/* what a sender handed over */
	int			ith_state;	/* mach_msg_return_t: IN_PROGRESS until served */
	int			ith_option;
	unsigned int		ith_max_size;	/* room for the message and trailer */
	unsigned int		ith_msize;	/* MACH_RCV_TOO_LARGE: the size needed */
	unsigned int		ith_seqno;
	/*
	 * The RPC fast path (ipc/mach_msg.c): a waiter with ith_fast_ok may be
	 * handed a header-only message without a kmsg, as these fields (the
	 * header's bits as the receiver gets them, remote and local swapped,
	 * ipc/mach_msg.c; its id; its ports in kernel form; the sender's
	 * token) and ith_seqno;
	 * ith_fast_dname: the destination's name, when the sender used its
	 * right up already; ith_fast_rname: the reply's, when the sender
	 * named it in the receiver's space too (ith_space: that space, set
	 * by the receiver before it waits).
	 */
	bool			ith_fast_ok;
	unsigned int		ith_fast_bits;
	int			ith_fast_id;
	security_token_t	ith_fast_sender;	/* the sending task's token */
	mach_port_name_t	ith_fast_dname;
	mach_port_name_t	ith_fast_rname;
	struct ipc_space	*ith_space;
	struct ipc_port		*ith_fast_remote, *ith_fast_local;
	struct ipc_kmsg		*ith_destroy_list;	/* self: messages left to destroy */
	bool			ith_destroying;	/* self: ipc_kmsg_destroy() is draining */

	/* The kernel's RPC reply port (mig_get_reply_port()): self, made on first use. */
	struct ipc_port		*ith_rpc_reply;
	/* self: ipc_mach_msg()'s buffer is the caller's user memory (the mach_msg trap) */
	bool			ith_user_buffer;

	/*
	 * More of user mode (with uframe above). user_state: uframe holds the
	 * thread's user registers (user_frame()), false for one that never
	 * runs in user mode; ustart_set: it was given a state to start from
	 * (in uframe). uexc_*:
	 * its last exception (EXC_*, codes) and the machine's words for it
	 * (the exception state flavor). self, or the thread is stopped.
	 */
	bool			user_state;
	bool			ustart_set;
	int			uexc_type;
	long			uexc_code, uexc_subcode;
	unsigned long		uexc_trapno, uexc_err, uexc_addr;

	unsigned int		suspend_count;
	unsigned int		ref_count;

	/*
	 * Its task (<kern/task.h>): a reference, and the task's list of
	 * threads (task->lock). Ports: ith_self, its IKOT_THREAD port, made
	 * on first use and destroyed when it terminates; ith_exc_actions,
	 * its exception ports by type (<kern/exception.h>, task->lock).
	 */
	struct task		*task;
	struct thread		*task_next, *task_prev;
	struct thread		*task_op_next;	/* a task operation's snapshot (task->op_lock) */
	bool			task_linked;
	struct ipc_port		*ith_self;
	struct exception_action	ith_exc_actions[EXC_TYPES_COUNT];
	unsigned int		user_stop_count;	/* thread_suspend()s through its port (lock) */

	void			(*start_fn)(void *arg);
	void			*start_arg;
	struct thread		*all_next;	/* every thread, for dumps */
	char			name[THREAD_NAME_MAX];

#ifdef CONFIG_LOCK_DEBUG
	struct lock_debug_held	held[LOCK_DEBUG_MAX_HELD];
	unsigned int		nr_held;
	unsigned int		nr_spin_held;
#endif
};

/*
 * Make the code running now (the boot flow of CPU 0) thread 0, so that
 * current_thread() works. Called by kernel_early_init() after
 * cpu_bootstrap(), before anything can allocate.
 */
void thread_bootstrap(void);

/*
 * Create a kernel thread that runs fn(arg) at `priority` (0..127, see
 * <kern/sched.h>); returning from fn terminates it. The thread is
 * runnable at once (placed on the least loaded CPU). Returns a reference
 * for the caller (thread_deallocate() it), or NULL without memory.
 */
struct thread *kernel_thread_create(void (*fn)(void *arg), void *arg,
				    int priority, const char *name);

/* The same, suspended once: thread_bind() etc., then thread_resume(). */
struct thread *kernel_thread_create_suspended(void (*fn)(void *arg), void *arg,
					      int priority, const char *name);

/* End the calling thread. */
void __noreturn thread_terminate(void);

/*
 * End thread t (or the caller, if t is the caller: then this does not
 * return) and wait until it has. t is marked TH_ABORT and its suspension
 * lifted; its interruptible wait, and any it starts, ends at once with
 * THREAD_INTERRUPTED, so it unwinds to a safe point and terminates there:
 * the return from its function, or thread_should_halt() in a loop.
 * (Once threads run user code, the return to user mode is that point.)
 * KERN_TERMINATED if t had ended already, KERN_INVALID_ARGUMENT for an
 * idle or boot thread, KERN_ABORTED if the caller's own wait was
 * interrupted (it is being terminated itself).
 */
kern_return_t thread_terminate_other(struct thread *t);

/*
 * thread_terminate_other()'s first half, without the wait: mark t, lift
 * its suspension, interrupt its wait. Callable with spinlocks held.
 */
kern_return_t thread_terminate_request(struct thread *t);

/* Has someone asked the calling thread to terminate? */
static inline bool thread_should_halt(void)
{
	return READ_ONCE(current_thread()->state) & TH_ABORT;
}

void thread_reference(struct thread *t);
void thread_deallocate(struct thread *t);

/*
 * Suspend counts, as Mach's: a thread runs only while its count is 0.
 * thread_suspend() of another thread returns once that thread is off its
 * CPU (a waiting thread stays waiting, and will not run when woken until
 * resumed); a thread suspending itself stops at once.
 * thread_resume(): KERN_FAILURE if the count was already 0.
 */
kern_return_t thread_suspend(struct thread *t);
kern_return_t thread_resume(struct thread *t);

/*
 * Wait until thread t has terminated and left its CPU (its stack is free
 * by then). Returns THREAD_AWAKENED, or THREAD_INTERRUPTED.
 */
wait_result_t thread_join(struct thread *t);

/* Base priority (0..MAXPRI); the effective one follows at once. */
kern_return_t thread_set_priority(struct thread *t, int priority);

/*
 * Timesharing on (the default: the priority decays with CPU use) or off
 * (a fixed priority: the base one, always). Off, t keeps its CPU against
 * the timesharing threads of its base priority that have used theirs.
 */
void thread_set_timeshare(struct thread *t, bool timeshare);
bool thread_is_timeshare(struct thread *t);

/*
 * Run t only on CPU `cpu` (-1: anywhere). Applies to a thread that is not
 * running elsewhere (new, suspended, waiting) or to the caller, which
 * moves to that CPU before this returns. KERN_INVALID_ARGUMENT for a CPU
 * that is not online.
 */
kern_return_t thread_bind(struct thread *t, int cpu);

/* A snapshot of t's TH_* bits. */
unsigned int thread_get_state(struct thread *t);

static inline const char *thread_name(const struct thread *t)
{
	return t->name;
}

/* Threads that exist (created and not yet freed), for tests and leaks. */
unsigned int thread_count(void);

/*
 * Every thread that has not ended, each with a reference the caller drops
 * (thread_deallocate()), in out[0 .. max-1]. Returns how many there are:
 * more than max means out holds only the first max (kernel/processor.c).
 */
unsigned int thread_list_snapshot(struct thread **out, unsigned int max);

/* One line per thread on the console (the debugger's "show threads"). */
void thread_dump_all(void);

/* ------------------------------------------------------------------------
 * Preemption control. While a thread's preempt_count is above zero it
 * keeps its CPU (interrupts still arrive); a preemption that was due meanwhile
 * happens in preempt_enable().
 */
void preempt_schedule(void);

static __always_inline void preempt_disable(void)
{
	current_thread()->preempt_count++;
	barrier();
}

/* Enable without looking for a pending preemption (the caller will). */
static __always_inline void preempt_enable_no_resched(void)
{
	barrier();
	current_thread()->preempt_count--;
}

static __always_inline void preempt_enable(void)
{
	struct thread *self = current_thread();

	barrier();
	if (--self->preempt_count == 0 &&
	    unlikely(READ_ONCE(cpu_this()->ast) & AST_PREEMPT))
		preempt_schedule();
}

static inline bool preemptible(void)
{
	return current_thread()->preempt_count == 0 && arch_irqs_enabled();
}

#endif /* _KERN_THREAD_H */

// SPDX-License-Identifier: MIT
/*
 * Exceptions from user mode as exc.defs messages (<kern/exception.h>,
 * Documentation/traps.rst "Exceptions"), and the exception ports they go
 * to.
 *
 * A thread, a task and the host each have a table of exception actions,
 * one per exception type: a send right to a handler's port, the message
 * the handler wants (its behavior) and the thread state flavor the state
 * behaviors carry. task/thread/host_set_exception_ports() (task.defs
 * 3413, thread_act.defs 3613, host_priv.defs 414) fill them by mask, the
 * get and swap calls answer them as XNU does: one entry per distinct
 * (port, behavior, flavor) with the mask of its types. A task's table is
 * copied into its children's (task_ports_init()); a new thread's is
 * empty. The GNU Mach special ports TASK_EXCEPTION_PORT and
 * THREAD_EXCEPTION_PORT are the same tables seen as one port: setting
 * one sets every type to EXCEPTION_DEFAULT, reading it answers
 * EXC_BAD_ACCESS's port (kernel/ipc_tt.c).
 *
 * The thread that took the exception sends the message of its thread's
 * action for the type (the KernelUser stubs of exc.defs, through
 * mach_msg_rpc_from_kernel()), then its task's, then the host's, and
 * waits for each reply, interruptibly, on its kernel reply port. The
 * state behaviors carry the thread's state of the action's flavor, and
 * a reply of KERN_SUCCESS sets the state the handler answered (through
 * thread_user_state_set(), so sanitized as thread_set_state() is; a
 * state it refuses passes the exception on, as in XNU). KERN_SUCCESS
 * resumes the thread; any other answer, a dead port or a server that
 * died passes it on to the next level. With MACH_EXCEPTION_CODES the
 * message is the mach_exception_raise* twin with 64-bit codes, the
 * whole fault address in EXC_BAD_ACCESS's code[1]; without it the codes
 * are integer_t and keep their low 32 bits.
 */
#include <kern/exception.h>
#include <kern/lock.h>
#include <kern/sched_prim.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <ipc/ipc_port.h>
#include <kernel/ipc_tt.h>
#include <mach/exception_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>

/*
 * The KernelUser stubs generated from exc.defs (kernel/mig, excUser.h);
 * declared here so that kernel/ does not wait for the generated header.
 */
kern_return_t exception_raise(mach_port_t exception_port, mach_port_t thread,
			      mach_port_t task, exception_type_t exception,
			      exception_data_t code, mach_msg_type_number_t codeCnt);
kern_return_t exception_raise_state(mach_port_t exception_port, exception_type_t exception,
				    exception_data_t code, mach_msg_type_number_t codeCnt,
				    int *flavor, thread_state_t old_state,
				    mach_msg_type_number_t old_stateCnt,
				    thread_state_t new_state,
				    mach_msg_type_number_t *new_stateCnt);
kern_return_t exception_raise_state_identity(mach_port_t exception_port, mach_port_t thread,
					     mach_port_t task, exception_type_t exception,
					     exception_data_t code,
					     mach_msg_type_number_t codeCnt, int *flavor,
					     thread_state_t old_state,
					     mach_msg_type_number_t old_stateCnt,
					     thread_state_t new_state,
					     mach_msg_type_number_t *new_stateCnt);
kern_return_t mach_exception_raise(mach_port_t exception_port, mach_port_t thread,
				   mach_port_t task, exception_type_t exception,
				   mach_exception_data_t code, mach_msg_type_number_t codeCnt);
kern_return_t mach_exception_raise_state(mach_port_t exception_port,
					 exception_type_t exception,
					 mach_exception_data_t code,
					 mach_msg_type_number_t codeCnt, int *flavor,
					 thread_state_t old_state,
					 mach_msg_type_number_t old_stateCnt,
					 thread_state_t new_state,
					 mach_msg_type_number_t *new_stateCnt);
kern_return_t mach_exception_raise_state_identity(mach_port_t exception_port,
						  mach_port_t thread, mach_port_t task,
						  exception_type_t exception,
						  mach_exception_data_t code,
						  mach_msg_type_number_t codeCnt, int *flavor,
						  thread_state_t old_state,
						  mach_msg_type_number_t old_stateCnt,
						  thread_state_t new_state,
						  mach_msg_type_number_t *new_stateCnt);

enum exc_level { EXC_LEVEL_THREAD, EXC_LEVEL_TASK, EXC_LEVEL_HOST, EXC_LEVELS };

static spinlock_t exception_host_lock = SPINLOCK_INIT;
static struct exception_action exception_host_actions[EXC_TYPES_COUNT];

/* ------------------------------------------------------------------------
 * The tables
 */

/*
 * The table of owner (a thread, a task, or NULL for the host), locked;
 * NULL, unlocked, when the owner takes no more ports (terminated).
 * A thread's table is under its task's lock, as its other ports are.
 * Inlined: on the exception path level is a constant (27 guest
 * instructions less per user_exception_rt round trip on x86_64).
 */
static __always_inline struct exception_action *
exc_table_lock(enum exc_level level, void *owner, unsigned long *flags)
{
	struct thread *t = owner;
	struct task *task = owner;

	switch (level) {
	case EXC_LEVEL_THREAD:
		spin_lock(&t->task->lock);
		if (t->ith_self != IP_DEAD)
			return t->ith_exc_actions;
		spin_unlock(&t->task->lock);
		return NULL;
	case EXC_LEVEL_TASK:
		spin_lock(&task->lock);
		if (task->active)
			return task->itk_exc_actions;
		spin_unlock(&task->lock);
		return NULL;
	default:
		*flags = spin_lock_irqsave(&exception_host_lock);
		return exception_host_actions;
	}
}

static __always_inline void exc_table_unlock(enum exc_level level, void *owner,
					      unsigned long flags)
{
	struct thread *t = owner;
	struct task *task = owner;

	if (level == EXC_LEVEL_THREAD)
		spin_unlock(&t->task->lock);
	else if (level == EXC_LEVEL_TASK)
		spin_unlock(&task->lock);
	else
		spin_unlock_irqrestore(&exception_host_lock, flags);
}

void exception_actions_copy(struct exception_action *dst, const struct exception_action *src)
{
	unsigned int i;

	for (i = 0; i < EXC_TYPES_COUNT; i++) {
		dst[i] = src[i];
		if (IP_VALID(dst[i].port))
			dst[i].port = ipc_port_copy_send(dst[i].port);
	}
}

void exception_actions_release(struct exception_action *actions)
{
	unsigned int i;

	for (i = 0; i < EXC_TYPES_COUNT; i++) {
		if (IP_VALID(actions[i].port))
			ipc_port_release_send(actions[i].port);
		actions[i].port = IP_NULL;
	}
}

/*
 * A flavor this machine has (its THREAD_STATE_FLAVOR_LIST, which reads
 * no thread), or 0 where `none` may be.
 */
static bool exception_flavor_valid(thread_state_flavor_t flavor, bool none)
{
	natural_t list[16];
	mach_msg_type_number_t i, n = ARRAY_SIZE(list);

	if (flavor == THREAD_STATE_FLAVOR_LIST)
		return none;
	if (arch_thread_state_get(current_thread(), THREAD_STATE_FLAVOR_LIST, list,
				  &n) != KERN_SUCCESS)
		return false;
	for (i = 0; i < n; i++)
		if ((thread_state_flavor_t)list[i] == flavor)
			return true;
	return false;
}

/*
 * What a set may ask: known exception types only; for a valid port a
 * known behavior, and for the state behaviors a real flavor (the default
 * one carries none, so 0 does).
 */
static kern_return_t exc_args_check(exception_mask_t mask, ipc_port_t port,
				    exception_behavior_t behavior,
				    thread_state_flavor_t flavor)
{
	exception_behavior_t plain = behavior & ~MACH_EXCEPTION_MASK;

	if (mask & ~EXC_MASK_ALL)
		return KERN_INVALID_ARGUMENT;
	if (!IP_VALID(port))
		return exception_flavor_valid(flavor, true) ? KERN_SUCCESS :
		       KERN_INVALID_ARGUMENT;
	if (plain != EXCEPTION_DEFAULT && plain != EXCEPTION_STATE &&
	    plain != EXCEPTION_STATE_IDENTITY)
		return KERN_INVALID_ARGUMENT;
	if (!exception_flavor_valid(flavor, plain == EXCEPTION_DEFAULT))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

/* The answer of a get: one entry per distinct action, up to *count of them. */
struct exc_ports_out {
	exception_mask_t	*masks;
	mach_msg_type_number_t	*count;
	mach_port_t		*handlers;
	exception_behavior_t	*behaviors;
	thread_state_flavor_t	*flavors;
};

static void exc_actions_get_locked(const struct exception_action *a, exception_mask_t mask,
				   const struct exc_ports_out *out)
{
	mach_msg_type_number_t j, n = 0, room = *out->count;
	unsigned int i;

	for (i = FIRST_EXCEPTION; i < EXC_TYPES_COUNT; i++) {
		if (!(mask & (1U << i)))
			continue;
		for (j = 0; j < n; j++) {
			if ((ipc_port_t)out->handlers[j] == a[i].port &&
			    out->behaviors[j] == a[i].behavior &&
			    out->flavors[j] == a[i].flavor) {
				out->masks[j] |= 1U << i;
				break;
			}
		}
		if (j < n || n == room)
			continue;
		out->masks[n] = 1U << i;
		out->handlers[n] = (mach_port_t)a[i].port;
		out->behaviors[n] = a[i].behavior;
		out->flavors[n] = a[i].flavor;
		n++;
	}
	/* Rights of their own, once every entry is known: equal ports compared as such. */
	for (j = 0; j < n; j++)
		if (IP_VALID((ipc_port_t)out->handlers[j]))
			out->handlers[j] = (mach_port_t)ipc_port_copy_send(
				(ipc_port_t)out->handlers[j]);
	*out->count = n;
}

/* The set part: the replaced rights go to old[] (released by the caller, unlocked). */
static void exc_actions_set_locked(struct exception_action *a, exception_mask_t mask,
				   ipc_port_t port, exception_behavior_t behavior,
				   thread_state_flavor_t flavor, ipc_port_t *old)
{
	unsigned int i;

	for (i = 0; i < EXC_TYPES_COUNT; i++) {
		old[i] = IP_NULL;
		if (i < FIRST_EXCEPTION || !(mask & (1U << i)))
			continue;
		old[i] = a[i].port;
		a[i].port = IP_VALID(port) ? ipc_port_copy_send(port) : IP_NULL;
		a[i].behavior = behavior;
		a[i].flavor = flavor;
	}
}

/*
 * Set (new_port: a send right, consumed on success), get (out), or both
 * in one step (swap: the answer is what was there before).
 */
static kern_return_t exc_ports_update(enum exc_level level, void *owner, exception_mask_t mask,
				      bool set, ipc_port_t new_port,
				      exception_behavior_t behavior,
				      thread_state_flavor_t flavor,
				      const struct exc_ports_out *out)
{
	ipc_port_t old[EXC_TYPES_COUNT];
	struct exception_action *a;
	unsigned long flags = 0;
	unsigned int i;
	kern_return_t kr;

	if (set && (kr = exc_args_check(mask, new_port, behavior, flavor)) != KERN_SUCCESS)
		return kr;
	if (!set && (mask & ~EXC_MASK_ALL))
		return KERN_INVALID_ARGUMENT;
	a = exc_table_lock(level, owner, &flags);
	if (!a)
		return KERN_FAILURE;
	if (out)
		exc_actions_get_locked(a, mask, out);
	if (set)
		exc_actions_set_locked(a, mask, new_port, behavior, flavor, old);
	exc_table_unlock(level, owner, flags);
	if (!set)
		return KERN_SUCCESS;
	for (i = 0; i < EXC_TYPES_COUNT; i++)
		if (IP_VALID(old[i]))
			ipc_port_release_send(old[i]);
	if (IP_VALID(new_port))
		ipc_port_release_send(new_port);
	return KERN_SUCCESS;
}

#define EXC_PORTS_OUT(m, c, h, b, f) \
	(&(const struct exc_ports_out){ (m), (c), (h), (b), (f) })

/* ------------------------------------------------------------------------
 * The MIG routines (task.defs 3413-3415, thread_act.defs 3613-3615,
 * host_priv.defs 414-416)
 */

/*
 * prefix_set/get/swap_exception_ports() on owner_type (level), as
 * <kern/exception.h> declares them: task_*, thread_* and host_*.
 */
#define EXC_PORTS_ROUTINES(prefix, owner_type, level, table_owner)			\
kern_return_t prefix##_set_exception_ports(owner_type o, exception_mask_t exception_mask,	\
					   mach_port_t new_port,			\
					   exception_behavior_t behavior,		\
					   thread_state_flavor_t new_flavor)		\
{											\
	if (!o)										\
		return KERN_INVALID_ARGUMENT;						\
	return exc_ports_update(level, table_owner, exception_mask, true,		\
				(ipc_port_t)new_port, behavior, new_flavor, NULL);	\
}											\
											\
kern_return_t prefix##_get_exception_ports(owner_type o, exception_mask_t exception_mask,	\
					   exception_mask_array_t masks,		\
					   mach_msg_type_number_t *masksCnt,		\
					   exception_handler_array_t old_handlers,	\
					   exception_behavior_array_t old_behaviors,	\
					   exception_flavor_array_t old_flavors)	\
{											\
	if (!o)										\
		return KERN_INVALID_ARGUMENT;						\
	return exc_ports_update(level, table_owner, exception_mask, false, IP_NULL, 0, 0, \
				EXC_PORTS_OUT(masks, masksCnt, old_handlers,		\
					      old_behaviors, old_flavors));		\
}											\
											\
kern_return_t prefix##_swap_exception_ports(owner_type o, exception_mask_t exception_mask, \
					    mach_port_t new_port,			\
					    exception_behavior_t behavior,		\
					    thread_state_flavor_t new_flavor,		\
					    exception_mask_array_t masks,		\
					    mach_msg_type_number_t *masksCnt,		\
					    exception_handler_array_t old_handlers,	\
					    exception_behavior_array_t old_behaviors,	\
					    exception_flavor_array_t old_flavors)	\
{											\
	if (!o)										\
		return KERN_INVALID_ARGUMENT;						\
	return exc_ports_update(level, table_owner, exception_mask, true,		\
				(ipc_port_t)new_port, behavior, new_flavor,		\
				EXC_PORTS_OUT(masks, masksCnt, old_handlers,		\
					      old_behaviors, old_flavors));		\
}

EXC_PORTS_ROUTINES(task, struct task *, EXC_LEVEL_TASK, o)
EXC_PORTS_ROUTINES(thread, struct thread *, EXC_LEVEL_THREAD, o)
EXC_PORTS_ROUTINES(host, struct host *, EXC_LEVEL_HOST, NULL)	/* one host, one table */

void exception_host_port_set(ipc_port_t port)
{
	if (exc_ports_update(EXC_LEVEL_HOST, NULL, EXC_MASK_ALL, true, port, EXCEPTION_DEFAULT,
			     MACHINE_THREAD_STATE, NULL) != KERN_SUCCESS && IP_VALID(port))
		ipc_port_release_send(port);
}

/* ------------------------------------------------------------------------
 * Delivery
 */

/* What `exception` does at level for self: act->port a send right of ours, or IP_NULL. */
static void exception_action_copy(struct thread *self, enum exc_level level, int exception,
				  struct exception_action *act)
{
	void *owner = level == EXC_LEVEL_THREAD ? (void *)self :
		      level == EXC_LEVEL_TASK ? (void *)self->task : NULL;
	struct exception_action *a;
	unsigned long flags = 0;

	act->port = IP_NULL;
	a = exc_table_lock(level, owner, &flags);
	if (!a)
		return;
	*act = a[exception];
	if (IP_VALID(act->port))
		act->port = ipc_port_copy_send(act->port);
	exc_table_unlock(level, owner, flags);
}

/* The message of act's behavior: identity and/or state in, new state out. */
static kern_return_t exception_send_msg(const struct exception_action *act, mach_port_t thread,
					mach_port_t task, int exception, long code,
					long subcode, int *flavor, natural_t *state,
					mach_msg_type_number_t *count)
{
	mach_port_t port = (mach_port_t)act->port;
	integer_t c32[EXCEPTION_CODE_MAX] = { (integer_t)code, (integer_t)subcode };
	mach_exception_data_type_t c64[EXCEPTION_CODE_MAX] = { code, subcode };
	mach_msg_type_number_t in = *count;

	if (act->behavior & MACH_EXCEPTION_CODES) {
		switch (act->behavior & ~MACH_EXCEPTION_MASK) {
		case EXCEPTION_STATE:
			return mach_exception_raise_state(port, exception, c64, EXCEPTION_CODE_MAX,
							  flavor, state, in, state, count);
		case EXCEPTION_STATE_IDENTITY:
			return mach_exception_raise_state_identity(port, thread, task, exception,
								   c64, EXCEPTION_CODE_MAX,
								   flavor, state, in, state,
								   count);
		default:
			return mach_exception_raise(port, thread, task, exception, c64,
						    EXCEPTION_CODE_MAX);
		}
	}
	switch (act->behavior) {
	case EXCEPTION_STATE:
		return exception_raise_state(port, exception, c32, EXCEPTION_CODE_MAX, flavor,
					     state, in, state, count);
	case EXCEPTION_STATE_IDENTITY:
		return exception_raise_state_identity(port, thread, task, exception, c32,
						      EXCEPTION_CODE_MAX, flavor, state, in,
						      state, count);
	default:
		return exception_raise(port, thread, task, exception, c32, EXCEPTION_CODE_MAX);
	}
}

/*
 * One exception message to act->port, with send rights to the thread and
 * its task for the identity behaviors, the thread's state for the state
 * ones; the state answered is set when the handler says KERN_SUCCESS.
 * The state buffer serves both ways: the stub copies it into the request
 * before it writes the reply's over it.
 */
static kern_return_t exception_send(const struct exception_action *act, struct thread *self,
				    int exception, long code, long subcode)
{
	exception_behavior_t behavior = act->behavior & ~MACH_EXCEPTION_MASK;
	mach_msg_type_number_t count = THREAD_STATE_MAX;
	ipc_port_t thread_port = IP_NULL;
	mach_port_t task_port = MACH_PORT_NULL;
	natural_t state[THREAD_STATE_MAX];
	int flavor = act->flavor;
	kern_return_t kr;

	if (behavior != EXCEPTION_DEFAULT) {
		kr = thread_user_state_get(self, flavor, state, &count);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	if (behavior != EXCEPTION_STATE) {
		thread_port = thread_port_make_send(self);
		if (task_get_special_port(self->task, TASK_KERNEL_PORT, &task_port) !=
		    KERN_SUCCESS)
			task_port = MACH_PORT_NULL;
	}
	kr = exception_send_msg(act, (mach_port_t)thread_port, task_port, exception, code,
				subcode, &flavor, state, &count);
	if (IP_VALID(thread_port))
		ipc_port_release_send(thread_port);
	if (IP_VALID((ipc_port_t)task_port))
		ipc_port_release_send((ipc_port_t)task_port);
	if (kr == KERN_SUCCESS && behavior != EXCEPTION_DEFAULT)
		kr = thread_user_state_set(self, flavor, state, count);
	return kr;
}

kern_return_t exception_deliver(int exception, long code, long subcode)
{
	struct thread *self = current_thread();
	struct exception_action act;
	enum exc_level level;
	kern_return_t kr;

	if (exception < FIRST_EXCEPTION || exception >= EXC_TYPES_COUNT)
		return KERN_FAILURE;
	for (level = EXC_LEVEL_THREAD; level < EXC_LEVELS; level++) {
		if (thread_should_halt())
			return KERN_ABORTED;
		exception_action_copy(self, level, exception, &act);
		if (!IP_VALID(act.port))
			continue;
		kr = exception_send(&act, self, exception, code, subcode);
		ipc_port_release_send(act.port);
		if (kr == KERN_SUCCESS)
			return KERN_SUCCESS;
		if (kr == MACH_RCV_INTERRUPTED)
			return KERN_ABORTED;
	}
	return thread_should_halt() ? KERN_ABORTED : KERN_FAILURE;
}

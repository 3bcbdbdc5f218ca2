// SPDX-License-Identifier: MIT
/*
 * cthreads: threads (cthreads.h). A new thread is a Mach thread of our
 * task: thread_create(), its registers set with thread_set_state() to
 * start in cthread_body() on a stack of its own with its struct cthread
 * as the first argument, then thread_resume(). Each thread's thread
 * pointer (libmach's mach_set_thread_pointer(): arm64 TPIDR_EL0, x86_64
 * the FS base) names its struct cthread: cthread_self() is one load
 * (mach_thread_pointer()).
 *
 * A thread that ends signals its `done` semaphore and parks on its `park`
 * semaphore (traps only); whoever joins it (or, for a detached one, the
 * next cthread_fork()) terminates the parked thread and frees its stack,
 * semaphores and MIG reply port.
 *
 * Each thread has its own MIG reply port (libmach's mig_get_reply_port()),
 * whose name lives in its struct cthread: cthread_init() hands libmach
 * cthread_reply_slot() (mig_reply_port_slot_init()). A thread of the task
 * the package did not start has no thread pointer: the slot function
 * says so (NULL), and libmach finds that thread's slot by its thread port.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/thread_status.h>
#include <cthreads.h>

struct cthread {
	thread_t	thread;
	mach_port_t	reply_port;	/* libmach's MIG reply port, or NULL */
	cthread_fn_t	fn;
	void		*arg;
	void		*result;
	void		*data;
	vm_address_t	stack;
	vm_size_t	stack_size;
	semaphore_t	done;		/* signalled when fn has returned */
	semaphore_t	park;		/* never signalled: where it ends */
	bool		detached;	/* under reap_lock */
	bool		ended;		/* under reap_lock */
	struct cthread	*next;		/* the list of ended detached threads */
};

static struct cthread main_thread;
static bool initialized;
static struct mutex reap_lock;
static struct cthread *reap_list;

static void set_thread_pointer(struct cthread *t)
{
	if (mach_set_thread_pointer(t) != KERN_SUCCESS) {
		/* x86_64: all of libmach's slots taken; cthread_self() would be NULL. */
		printf("cthreads: no thread pointer\n");
		abort();
	}
}

/*
 * The running thread's struct cthread: its thread pointer is set. NULL in
 * a thread cthread_fork() did not start (a bare thread_create()).
 */
static inline struct cthread *cthread_current(void)
{
	return mach_thread_pointer();
}

/* libmach's slot of the running thread's MIG reply port; NULL: not ours. */
static mach_port_t *cthread_reply_slot(void)
{
	struct cthread *t = cthread_current();

	return t ? &t->reply_port : NULL;
}

/* Run by the main thread while it is the only one. */
static void cthread_init(void)
{
	if (initialized)
		return;
	main_thread.thread = mach_thread_self();
	set_thread_pointer(&main_thread);
	mig_reply_port_slot_init(cthread_reply_slot);
	mutex_init(&reap_lock);
	initialized = true;
}

cthread_t cthread_self(void)
{
	if (!initialized)
		cthread_init();
	return cthread_current();
}

/* t has ended (parked); we are another thread. */
static void cthread_free(struct cthread *t)
{
	thread_terminate(t->thread);
	mach_port_deallocate(mach_task_self(), t->thread);
	mach_thread_pointer_free(t);
	if (t->reply_port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), t->reply_port, MACH_PORT_RIGHT_RECEIVE, -1);
	_cthread_sema_free(t->done);
	_cthread_sema_free(t->park);
	vm_deallocate(mach_task_self(), t->stack, t->stack_size);
	free(t);
}

/* Free the detached threads that have ended. */
static void reap(void)
{
	struct cthread *list, *t;

	mutex_lock(&reap_lock);
	list = reap_list;
	reap_list = NULL;
	mutex_unlock(&reap_lock);
	while ((t = list)) {
		list = t->next;
		/* It may not be parked yet: wait for its done. */
		while (semaphore_wait_trap(t->done) == KERN_ABORTED)
			;
		cthread_free(t);
	}
}

void cthread_exit(void *result)
{
	struct cthread *t = cthread_self();

	t->result = result;
	if (t == &main_thread)
		exit(0);
	mutex_lock(&reap_lock);
	t->ended = true;
	if (t->detached) {
		t->next = reap_list;
		reap_list = t;
	}
	mutex_unlock(&reap_lock);
	semaphore_signal_trap(t->done);
	for (;;)
		semaphore_wait_trap(t->park);
}

static __attribute__((noreturn)) void cthread_body(struct cthread *t)
{
	set_thread_pointer(t);
	cthread_exit(t->fn(t->arg));
}

static kern_return_t cthread_start(struct cthread *t)
{
	vm_address_t top = t->stack + t->stack_size;
	kern_return_t kr;
#ifdef __x86_64__
	x86_thread_state64_t st;
	mach_msg_type_number_t count = x86_THREAD_STATE64_COUNT;

	memset(&st, 0, sizeof(st));
	st.rip = (uint64_t)cthread_body;
	st.rsp = top - 8;	/* as if called: the return address's slot */
	st.rdi = (uint64_t)t;
#else
	arm_thread_state64_t st;
	mach_msg_type_number_t count = ARM_THREAD_STATE64_COUNT;

	memset(&st, 0, sizeof(st));
	st.pc = (uint64_t)cthread_body;
	st.sp = top;
	st.x[0] = (uint64_t)t;
#endif
	kr = thread_create(mach_task_self(), &t->thread);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_set_state(t->thread, MACHINE_THREAD_STATE, (thread_state_t)&st, count);
	if (kr == KERN_SUCCESS)
		kr = thread_resume(t->thread);
	if (kr != KERN_SUCCESS) {
		thread_terminate(t->thread);
		mach_port_deallocate(mach_task_self(), t->thread);
	}
	return kr;
}

cthread_t cthread_fork(cthread_fn_t fn, void *arg)
{
	struct cthread *t;

	cthread_init();
	reap();
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->fn = fn;
	t->arg = arg;
	t->stack_size = CTHREAD_STACK_SIZE;
	if (vm_allocate(mach_task_self(), &t->stack, t->stack_size, TRUE) != KERN_SUCCESS)
		goto fail_free;
	if (semaphore_create(mach_task_self(), &t->done, SYNC_POLICY_FIFO, 0) != KERN_SUCCESS)
		goto fail_stack;
	if (semaphore_create(mach_task_self(), &t->park, SYNC_POLICY_FIFO, 0) != KERN_SUCCESS)
		goto fail_done;
	if (cthread_start(t) != KERN_SUCCESS)
		goto fail_park;
	return t;

fail_park:
	_cthread_sema_free(t->park);
fail_done:
	_cthread_sema_free(t->done);
fail_stack:
	vm_deallocate(mach_task_self(), t->stack, t->stack_size);
fail_free:
	free(t);
	return NULL;
}

void *cthread_join(cthread_t t)
{
	void *result;

	while (semaphore_wait_trap(t->done) == KERN_ABORTED)
		;
	result = t->result;
	cthread_free(t);
	reap();
	return result;
}

void cthread_detach(cthread_t t)
{
	bool ended;

	mutex_lock(&reap_lock);
	t->detached = true;
	ended = t->ended;
	if (ended) {
		t->next = reap_list;
		reap_list = t;
	}
	mutex_unlock(&reap_lock);
}

void cthread_yield(void)
{
	swtch_pri(0);
}

void cthread_set_data(cthread_t t, void *data)
{
	t->data = data;
}

void *cthread_data(cthread_t t)
{
	return t->data;
}

thread_t cthread_thread(cthread_t t)
{
	return t->thread;
}

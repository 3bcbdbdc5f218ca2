/* SPDX-License-Identifier: MIT */
/*
 * cthreads: threads, mutexes and conditions for user programs
 * (libcthreads.a, Documentation/user.rst, "cthreads"), after Mach's
 * C threads package. Threads are Mach threads of the task (thread_create,
 * thread_set_state, thread_resume) on stacks from vm_allocate; blocking is
 * on Mach semaphores (the semaphore traps), after a short spin.
 *
 * Each thread has its own MIG reply port (libmach's mig_get_reply_port():
 * the package keeps its name per thread and destroys it when the thread
 * is freed), so threads make MIG calls at the same time. A thread of the
 * task not started by cthread_fork() has no thread pointer: its
 * cthread_self() is NULL, and its MIG calls use a reply port libmach
 * keeps for it by its thread port (mig_reply_port_reap() gives those of
 * ended threads back).
 */
#ifndef _CTHREADS_H
#define _CTHREADS_H

#include <stdbool.h>
#include <mach/mach.h>

typedef struct cthread *cthread_t;
typedef void *(*cthread_fn_t)(void *arg);

/* The default stack of a new thread. */
#define CTHREAD_STACK_SIZE	(64UL * 1024)

cthread_t cthread_fork(cthread_fn_t fn, void *arg);
void *cthread_join(cthread_t t);
void cthread_detach(cthread_t t);
__attribute__((noreturn)) void cthread_exit(void *result);
cthread_t cthread_self(void);
void cthread_yield(void);

/* Per-thread data, one pointer (thread-local through TPIDR_EL0 / FS). */
void cthread_set_data(cthread_t t, void *data);
void *cthread_data(cthread_t t);
/* The thread's Mach thread port (a send right the package keeps). */
thread_t cthread_thread(cthread_t t);

struct mutex {
	int		count;		/* holder + waiters */
	semaphore_t	sema;
};

struct condition {
	int		waiters;	/* under the mutex */
	semaphore_t	sema;
};

typedef struct mutex *mutex_t;
typedef struct condition *condition_t;

kern_return_t mutex_init(struct mutex *m);
void mutex_destroy(struct mutex *m);
void mutex_lock(struct mutex *m);
bool mutex_try_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

kern_return_t condition_init(struct condition *c);
void condition_destroy(struct condition *c);
/* The mutex is held by the caller of each. */
void condition_wait(struct condition *c, struct mutex *m);
void condition_signal(struct condition *c);
void condition_broadcast(struct condition *c);

/* Internal: destroy a semaphore and give back its name. */
void _cthread_sema_free(semaphore_t s);

#endif /* _CTHREADS_H */

/* SPDX-License-Identifier: MIT */
/*
 * The user-mode test harness of /bin/ktest (Documentation/dev-tools/ktest.rst,
 * "User-mode tests"): suites of cases printing KTAP nested under the
 * kernel's "user" suite (<mach/ktest_user.h>), helpers for threads and
 * child tasks. Every case must leave its task's port names as it found
 * them: the harness counts them before and after.
 */
#ifndef _USER_TESTS_UTEST_H
#define _USER_TESTS_UTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>

struct utest {
	const char	*name;
	bool		failed;
	const char	*skip;		/* set: the case is a SKIP with this reason */
};

struct utest_case {
	const char	*name;
	void		(*run)(struct utest *t);
};

struct utest_suite {
	const char		*name;
	const struct utest_case	*cases;		/* ends with {} */
	bool			on_request;	/* only when named by the filter */
};

/* thread_switch() options, Mach's values (not in <mach/> yet). */
#ifndef SWITCH_OPTION_NONE
#define SWITCH_OPTION_NONE	0
#define SWITCH_OPTION_DEPRESS	1
#define SWITCH_OPTION_WAIT	2
#endif

#define UTEST_CASE(fn)	{ #fn, fn }

void utest_fail(struct utest *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define UT_EXPECT(t, c) do {							\
		if (!(c))							\
			utest_fail(t, __FILE__, __LINE__, "expected %s", #c);	\
	} while (0)
#define UT_ASSERT(t, c) do {							\
		if (!(c)) {							\
			utest_fail(t, __FILE__, __LINE__, "expected %s", #c);	\
			return;							\
		}								\
	} while (0)
/* An integer result compared with what it should be. */
#define UT_EXPECT_EQ(t, a, b) do {						\
		long long a_ = (long long)(a), b_ = (long long)(b);		\
		if (a_ != b_)							\
			utest_fail(t, __FILE__, __LINE__, "%s == %#llx, expected %s == %#llx", \
				   #a, a_, #b, b_);				\
	} while (0)
#define UT_ASSERT_EQ(t, a, b) do {						\
		long long a_ = (long long)(a), b_ = (long long)(b);		\
		if (a_ != b_) {							\
			utest_fail(t, __FILE__, __LINE__, "%s == %#llx, expected %s == %#llx", \
				   #a, a_, #b, b_);				\
			return;							\
		}								\
	} while (0)

/* The suites, in running order (NULL-terminated in utest.c). */
extern const struct utest_suite utest_traps_suite, utest_ipc_suite, utest_task_suite,
	utest_vm_suite, utest_exc_suite, utest_pager_suite, utest_mig_threads_suite,
	utest_mig_reply_suite, utest_ns_suite, utest_dpager_suite;

extern const struct utest_suite utest_msg_returned_suite;
extern const struct utest_suite utest_dpdead_suite;

/* Run every suite (filter: a suite name, or NULL); counts of leaf results. */
void utest_run_all(const char *filter, unsigned int *passed, unsigned int *failed,
		   unsigned int *skipped);

/* KTAP line at depth (KTEST_USER_DEPTH + depth). */
void utest_ktap(int depth, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The privileged host port (a send right of ours), which the kernel's user
 * suite gives /bin/ktest (kernel/ktest_user.c); MACH_PORT_NULL with t
 * marked skipped when we have none (/bin/ktest run from the shell).
 */
mach_port_t utest_host_priv(struct utest *t);

/*
 * vm_set_default_memory_manager(host_priv, manager) with a send right of
 * ours, moved (dpager.c); *old gets the previous manager's.
 */
kern_return_t utest_set_default_manager(mach_port_t host_priv, mach_port_t manager,
					mach_port_t *old);

/* A range of a task's memory. */
struct utest_range {
	vm_address_t	addr;
	vm_size_t	size;
};

/*
 * Wire every region of task as it is now, with its protection (vm_wire,
 * host_priv); r gets up to max of them (*n) for utest_unwire() (dpager.c).
 */
kern_return_t utest_wire_task(mach_port_t host_priv, task_t task, struct utest_range *r,
			      unsigned int max, unsigned int *n);
kern_return_t utest_unwire(mach_port_t host_priv, task_t task, const struct utest_range *r,
			   unsigned int n);

/* The task's mapped bytes, from vm_region (adjacent regions may merge: bytes, not regions). */
vm_size_t utest_mapped(void);

/* The names in our space, or -1. */
int utest_count_names(void);

/*
 * Threads: start a thread of task at fn(arg) on a fresh stack in task's
 * map (stack_size bytes; *stackp gets its base for vm_deallocate).
 */
kern_return_t utest_thread_start(task_t task, void (*fn)(unsigned long), unsigned long arg,
				 thread_t *thread, vm_address_t *stackp);
#define UTEST_STACK_SIZE	(16 * 4096)

/* A receive right with a send right under the same name. */
mach_port_t utest_port(void);
/* Drop a receive right (and a send right under its name, if any). */
void utest_port_destroy(mach_port_t port);

/*
 * Code that runs in a child task (task_create(inherit_memory)) must not use
 * mach_task_self() or MIG (libmach's cached names are the parent's): only
 * traps and mach_msg_trap. It ends by blocking for good; the parent
 * terminates the task.
 */
void utest_child_park(void) __attribute__((noreturn));

/* Simple messages: an id and a word, with room for a trailer. */
struct utest_msg {
	mach_msg_header_t	head;
	uint64_t		word;
	uint8_t			trailer[256];	/* or an exception message */
};
mach_msg_return_t utest_send(mach_port_t dest, mach_msg_type_name_t disp,
			     mach_msg_id_t id, uint64_t word, mach_msg_timeout_t ms);
mach_msg_return_t utest_receive(mach_port_t port, struct utest_msg *m, mach_msg_timeout_t ms);

/* exception_raise (exc.defs 2400) as a handler receives it (exc.c, bench.c). */
struct utest_exc_raise_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	thread;
	mach_msg_port_descriptor_t	task;
	exception_type_t		exception;
	mach_msg_type_number_t		code_count;
	integer_t			code[EXCEPTION_CODE_MAX];
	uint8_t				trailer[64];
};

/*
 * Answer an exception request (any exc.defs routine without state) with
 * ret: KERN_SUCCESS resumes the thread, anything else passes it on.
 */
mach_msg_return_t utest_exc_reply(const mach_msg_header_t *request, kern_return_t ret);

/* The hostile task (hostile.c) and the benchmarks (bench.c). */
int utest_hostile(unsigned long seed, unsigned int *passed, unsigned int *failed);
int utest_bench(const char *only, unsigned long iters);

#endif /* _USER_TESTS_UTEST_H */

// SPDX-License-Identifier: MIT
/*
 * The harness of the user-mode tests (utest.h): KTAP output nested under
 * the kernel's case, the names-in-our-space check around every case,
 * threads started from a function, small message helpers.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <mach/ktest_user.h>
#include <mach/thread_status.h>
#include <cthreads.h>
#include "utest.h"

static const struct utest_suite *const utest_suites[] = {
	&utest_traps_suite,
	&utest_ipc_suite,
	&utest_task_suite,
	&utest_vm_suite,
	&utest_exc_suite,
	&utest_pager_suite,
	&utest_dpager_suite,
	&utest_dpdead_suite,
	&utest_mig_threads_suite,
	&utest_mig_reply_suite,
	&utest_msg_returned_suite,
	&utest_ns_suite,
	NULL
};

void utest_ktap(int depth, const char *fmt, ...)
{
	va_list ap;

	printf("%*s", 2 * (KTEST_USER_DEPTH + depth), "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void utest_fail(struct utest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utest_ktap(2, "# %s: %s:%d: %s", t->name, file, line, msg);
}

mach_port_t utest_host_priv(struct utest *t)
{
	mach_port_t host_priv = MACH_PORT_NULL;

	if (mach_bootstrap_ports(&host_priv, NULL) != KERN_SUCCESS || host_priv == MACH_PORT_NULL) {
		t->skip = "no host_priv port (an unprivileged run)";
		return MACH_PORT_NULL;
	}
	return host_priv;
}

vm_size_t utest_mapped(void)
{
	vm_address_t addr = 0;
	vm_size_t size, total = 0;
	vm_prot_t prot, max;
	vm_inherit_t inh;
	boolean_t shared;
	mach_port_t name;
	vm_offset_t off;

	while (vm_region(mach_task_self(), &addr, &size, &prot, &max, &inh, &shared, &name,
			 &off) == KERN_SUCCESS) {
		if (MACH_PORT_VALID(name))
			mach_port_deallocate(mach_task_self(), name);
		total += size;
		addr += size;
	}
	return total;
}

int utest_count_names(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n = 0, nt = 0;

	kern_return_t kr = mach_port_names(mach_task_self(), &names, &n, &types, &nt);

	if (kr != KERN_SUCCESS) {
		static bool said;

		if (!said)
			utest_ktap(0, "# mach_port_names: %#x: names not counted per case", kr);
		said = true;
		return -1;
	}
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	if (nt)
		vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	return n;
}

/* One suite: its block at depth 1, its result at depth 0. */
static void utest_run_suite(const struct utest_suite *s, unsigned int nr,
			    unsigned int *passed, unsigned int *failed, unsigned int *skipped)
{
	const struct utest_case *c;
	unsigned int n = 0, i = 0, nfail = 0, nskip = 0;

	for (c = s->cases; c->name; c++)
		n++;
	utest_ktap(1, "KTAP version 1");
	utest_ktap(1, "# Subtest: %s", s->name);
	utest_ktap(1, "1..%u", n);
	for (c = s->cases; c->name; c++) {
		struct utest t = { .name = c->name };
		int before = utest_count_names(), after;

		c->run(&t);
		after = utest_count_names();
		/*
		 * Without mach_port_names() (it answers KERN_RESOURCE_SHORTAGE
		 * to a user task today) the kernel's own counts after the
		 * program still catch a leak, though not which case leaked.
		 */
		if (after != before)
			utest_fail(&t, __FILE__, __LINE__, "names in our space: %d before, %d after",
				   before, after);
		i++;
		if (t.failed) {
			utest_ktap(1, "not ok %u %s", i, c->name);
			nfail++;
		} else if (t.skip) {
			utest_ktap(1, "ok %u %s # SKIP %s", i, c->name, t.skip);
			nskip++;
		} else {
			utest_ktap(1, "ok %u %s", i, c->name);
		}
	}
	*failed += nfail;
	*skipped += nskip;
	*passed += n - nfail - nskip;
	if (nfail)
		utest_ktap(0, "not ok %u %s", nr, s->name);
	else if (nskip == n)
		utest_ktap(0, "ok %u %s # SKIP", nr, s->name);
	else
		utest_ktap(0, "ok %u %s", nr, s->name);
}

static bool utest_selected(const struct utest_suite *s, const char *filter)
{
	if (filter)
		return !strcmp(filter, s->name);
	return !s->on_request;
}

void utest_run_all(const char *filter, unsigned int *passed, unsigned int *failed,
		   unsigned int *skipped)
{
	unsigned int i, n = 0, nr = 0;

	/*
	 * cthreads' own names (the main thread's port, its reap lock) come
	 * now, not inside the first case that starts a thread; from here on
	 * every MIG call takes the calling thread's own reply port.
	 */
	cthread_self();
	for (i = 0; utest_suites[i]; i++)
		n += utest_selected(utest_suites[i], filter);
	utest_ktap(0, "KTAP version 1");
	/* The kernel's case: ktest_user_tests, or ktest_user_<suite> for one suite. */
	utest_ktap(0, "# Subtest: ktest_user_%s", filter ? filter : "tests");
	utest_ktap(0, "1..%u", n);
	for (i = 0; utest_suites[i]; i++) {
		if (!utest_selected(utest_suites[i], filter))
			continue;
		utest_run_suite(utest_suites[i], ++nr, passed, failed, skipped);
	}
}

kern_return_t utest_thread_start(task_t task, void (*fn)(unsigned long), unsigned long arg,
				 thread_t *thread, vm_address_t *stackp)
{
#if defined(__x86_64__)
	x86_thread_state64_t st;
#else
	arm_thread_state64_t st;
#endif
	mach_msg_type_number_t cnt = MACHINE_THREAD_STATE_COUNT;
	vm_address_t stack = 0;
	kern_return_t kr;

	kr = vm_allocate(task, &stack, UTEST_STACK_SIZE, TRUE);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = thread_create(task, thread);
	if (kr != KERN_SUCCESS)
		goto out_stack;
	kr = thread_get_state(*thread, MACHINE_THREAD_STATE, (thread_state_t)&st, &cnt);
	if (kr != KERN_SUCCESS)
		goto out_thread;
#if defined(__x86_64__)
	st.rip = (uint64_t)fn;
	st.rsp = stack + UTEST_STACK_SIZE - 8;	/* as after a call */
	st.rdi = arg;
#else
	st.pc = (uint64_t)fn;
	st.sp = stack + UTEST_STACK_SIZE;
	st.x[0] = arg;
	st.lr = 0;
#endif
	kr = thread_set_state(*thread, MACHINE_THREAD_STATE, (thread_state_t)&st,
			      MACHINE_THREAD_STATE_COUNT);
	if (kr != KERN_SUCCESS)
		goto out_thread;
	kr = thread_resume(*thread);
	if (kr != KERN_SUCCESS)
		goto out_thread;
	*stackp = stack;
	return KERN_SUCCESS;
out_thread:
	thread_terminate(*thread);
	mach_port_deallocate(mach_task_self(), *thread);
out_stack:
	vm_deallocate(task, stack, UTEST_STACK_SIZE);
	return kr;
}

mach_port_t utest_port(void)
{
	mach_port_t port = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	if (mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) !=
	    KERN_SUCCESS) {
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		return MACH_PORT_NULL;
	}
	return port;
}

void utest_port_destroy(mach_port_t port)
{
	mach_port_destroy(mach_task_self(), port);
}

void utest_child_park(void)
{
	/* No port: a thread of our own task parks here too, and names are counted. */
	for (;;)
		thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, 1000);
}

mach_msg_return_t utest_send(mach_port_t dest, mach_msg_type_name_t disp,
			     mach_msg_id_t id, uint64_t word, mach_msg_timeout_t ms)
{
	struct utest_msg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(disp, 0);
	m.head.msgh_size = sizeof(m.head) + sizeof(m.word);
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = id;
	m.word = word;
	return mach_msg_trap(&m.head, MACH_SEND_MSG | (ms ? MACH_SEND_TIMEOUT : 0),
			     m.head.msgh_size, 0, MACH_PORT_NULL, ms, MACH_PORT_NULL);
}

mach_msg_return_t utest_exc_reply(const mach_msg_header_t *request, kern_return_t ret)
{
	struct {
		mach_msg_header_t	head;
		kern_return_t		ret;
	} r;

	memset(&r, 0, sizeof(r));
	r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.head.msgh_size = sizeof(r);
	r.head.msgh_remote_port = request->msgh_remote_port;
	r.head.msgh_id = request->msgh_id + 100;
	r.ret = ret;
	return mach_msg_trap(&r.head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL, 0,
			     MACH_PORT_NULL);
}

mach_msg_return_t utest_receive(mach_port_t port, struct utest_msg *m, mach_msg_timeout_t ms)
{
	memset(m, 0, sizeof(*m));
	return mach_msg_trap(&m->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port, ms,
			     MACH_PORT_NULL);
}

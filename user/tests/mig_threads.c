// SPDX-License-Identifier: MIT
/*
 * Suite "mig_threads": MIG calls from several cthreads at once. Each
 * thread has its own reply port (libmach's mig_get_reply_port(), kept by
 * cthreads per thread): two threads call different routines on the
 * kernel in a loop, so a reply that reached the wrong thread would show
 * as MIG_REPLY_MISMATCH (another msgh_id) or as another thread's answer;
 * the ports go when the threads are joined (the harness counts names).
 */
#include <cthreads.h>
#include "utest.h"

#define MT_ROUNDS	1500

struct mt_worker {
	int		kind;		/* 0: task_info, 1: mach_port_names, 2: mach_port_type */
	mach_port_t	port;		/* kind 2: a name of ours, of type `type` */
	mach_port_type_t type;
	mach_port_t	reply_port;	/* mig_get_reply_port() of the thread */
	int		errors;		/* wrong answers */
	kern_return_t	first_error;
};

static void mt_error(struct mt_worker *w, kern_return_t kr)
{
	if (!w->errors++)
		w->first_error = kr;
}

static void mt_task_info(struct mt_worker *w)
{
	struct task_basic_info info;
	mach_msg_type_number_t cnt = TASK_BASIC_INFO_COUNT;
	kern_return_t kr;

	kr = task_info(mach_task_self(), TASK_BASIC_INFO, (task_info_t)&info, &cnt);
	if (kr != KERN_SUCCESS)
		mt_error(w, kr);
	else if (cnt != TASK_BASIC_INFO_COUNT || !info.virtual_size)
		mt_error(w, KERN_FAILURE);
}

static void mt_port_names(struct mt_worker *w)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n = 0, nt = 0;
	kern_return_t kr;

	kr = mach_port_names(mach_task_self(), &names, &n, &types, &nt);
	if (kr != KERN_SUCCESS) {
		mt_error(w, kr);
		return;
	}
	if (!n || n != nt)
		mt_error(w, KERN_FAILURE);
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	if (nt)
		vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
}

static void mt_port_type(struct mt_worker *w)
{
	mach_port_type_t type = 0;
	kern_return_t kr;

	kr = mach_port_type(mach_task_self(), w->port, &type);
	if (kr != KERN_SUCCESS)
		mt_error(w, kr);
	else if (type != w->type)
		mt_error(w, KERN_FAILURE);
}

static void *mt_worker_main(void *arg)
{
	struct mt_worker *w = arg;
	int i;

	w->reply_port = mig_get_reply_port();
	for (i = 0; i < MT_ROUNDS; i++) {
		switch (w->kind) {
		case 0:
			mt_task_info(w);
			break;
		case 1:
			mt_port_names(w);
			break;
		default:
			mt_port_type(w);
			break;
		}
		/* Still the same port: no call threw it away. */
		if (mig_get_reply_port() != w->reply_port)
			mt_error(w, KERN_INVALID_NAME);
		if (!(i & 63))
			cthread_yield();
	}
	return w;
}

static void utest_mig_threads_concurrent(struct utest *t)
{
	struct mt_worker w[3];
	cthread_t th[3];
	mach_port_t mine = mig_get_reply_port(), pset = MACH_PORT_NULL;
	int before = utest_count_names(), i;

	memset(w, 0, sizeof(w));
	for (i = 0; i < 3; i++)
		w[i].kind = i;
	/* The third checks the type of a port set of ours: a name no reply carries. */
	UT_ASSERT_EQ(t, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &pset),
		     KERN_SUCCESS);
	w[2].port = pset;
	w[2].type = MACH_PORT_TYPE_PORT_SET;
	for (i = 0; i < 3; i++) {
		th[i] = cthread_fork(mt_worker_main, &w[i]);
		UT_EXPECT(t, th[i] != NULL);
	}
	/* The main thread calls too, in the meantime. */
	for (i = 0; i < MT_ROUNDS / 4; i++) {
		mach_port_type_t type = 0;

		UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), pset, &type), KERN_SUCCESS);
		UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_PORT_SET);
		if (t->failed)
			break;
	}
	for (i = 0; i < 3; i++) {
		if (!th[i])
			continue;
		UT_EXPECT(t, cthread_join(th[i]) == &w[i]);
		UT_EXPECT_EQ(t, w[i].errors, 0);
		UT_EXPECT_EQ(t, w[i].first_error, KERN_SUCCESS);
		/* One port per thread, none the main thread's. */
		UT_EXPECT(t, w[i].reply_port != MACH_PORT_NULL);
		UT_EXPECT(t, w[i].reply_port != mine);
	}
	UT_EXPECT(t, w[0].reply_port != w[1].reply_port);
	UT_EXPECT(t, w[1].reply_port != w[2].reply_port);
	UT_EXPECT(t, w[0].reply_port != w[2].reply_port);
	UT_EXPECT_EQ(t, mig_get_reply_port(), mine);
	/* The joined threads' reply ports are gone: only the set is new. */
	UT_EXPECT_EQ(t, utest_count_names(), before + 1);
	for (i = 0; i < 3; i++) {
		mach_port_type_t type;

		if (w[i].reply_port != MACH_PORT_NULL)
			UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), w[i].reply_port, &type),
				     KERN_INVALID_NAME);
	}
	mach_port_mod_refs(mach_task_self(), pset, MACH_PORT_RIGHT_PORT_SET, -1);
}

/* A reply port thrown away (mig_dealloc_reply_port) is the thread's alone. */
static void *mt_dealloc_main(void *arg)
{
	mach_port_t *ports = arg;

	ports[0] = mig_get_reply_port();
	mig_dealloc_reply_port(ports[0]);
	ports[1] = mig_get_reply_port();
	return NULL;
}

static void utest_mig_threads_dealloc(struct utest *t)
{
	mach_port_t mine = mig_get_reply_port(), ports[2] = { 0, 0 };
	mach_port_type_t type;
	cthread_t th;

	th = cthread_fork(mt_dealloc_main, ports);
	UT_ASSERT(t, th != NULL);
	cthread_join(th);
	UT_EXPECT(t, ports[0] != MACH_PORT_NULL && ports[1] != MACH_PORT_NULL);
	UT_EXPECT(t, ports[0] != mine && ports[1] != mine);
	/* Ours is untouched and still works. */
	UT_EXPECT_EQ(t, mig_get_reply_port(), mine);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), mine, &type), KERN_SUCCESS);
	UT_EXPECT_EQ(t, type, MACH_PORT_TYPE_RECEIVE);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), ports[0], &type), KERN_INVALID_NAME);
	UT_EXPECT_EQ(t, mach_port_type(mach_task_self(), ports[1], &type), KERN_INVALID_NAME);
}

static const struct utest_case utest_mig_threads_cases[] = {
	UTEST_CASE(utest_mig_threads_concurrent),
	UTEST_CASE(utest_mig_threads_dealloc),
	{}
};

const struct utest_suite utest_mig_threads_suite = {
	.name = "mig_threads",
	.cases = utest_mig_threads_cases,
};

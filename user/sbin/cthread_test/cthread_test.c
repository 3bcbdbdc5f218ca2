// SPDX-License-Identifier: MIT
/*
 * /sbin/cthread_test: the cthreads self test (run it from the shell:
 * `run /sbin/cthread_test`). KTAP-style lines, `ok N - name` or
 * `not ok N - name` after a `#` line saying what failed, and a summary
 * `# cthread_test: N passed, N failed`. Every case also checks that the
 * task's port names are back to their number before it (threads,
 * semaphores and their ports all given back).
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <cthreads.h>
#include <nsUser.h>

#define NTHREADS	4
#define ROUNDS		20000

static int failures;

#define CHECK(cond) do {							\
	if (!(cond)) {								\
		printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);		\
		failures++;							\
	}									\
} while (0)

static mach_msg_type_number_t port_count(void)
{
	mach_port_name_t *names;
	mach_port_type_t *types;
	mach_msg_type_number_t n, nt;

	if (mach_port_names(mach_task_self(), &names, &n, &types, &nt) != KERN_SUCCESS)
		return 0;
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	return n;
}

static void *ret_arg(void *arg)
{
	CHECK(cthread_self() != NULL);
	cthread_set_data(cthread_self(), arg);
	cthread_yield();
	/* Our data is ours: another thread's set does not show here. */
	CHECK(cthread_data(cthread_self()) == arg);
	return (char *)arg + 1;
}

static void case_fork_join(void)
{
	cthread_t t[NTHREADS];
	static char tokens[NTHREADS];
	int i;

	for (i = 0; i < NTHREADS; i++) {
		t[i] = cthread_fork(ret_arg, &tokens[i]);
		CHECK(t[i] != NULL);
	}
	for (i = 0; i < NTHREADS; i++)
		if (t[i])
			CHECK(cthread_join(t[i]) == &tokens[i] + 1);
	CHECK(cthread_self() != NULL && cthread_self() != t[0]);
}

static struct mutex lock;
static volatile long counter;

static void *add_many(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		mutex_lock(&lock);
		counter = counter + 1;
		if ((i & 255) == 0)
			cthread_yield();	/* be preempted with the lock held */
		mutex_unlock(&lock);
	}
	return NULL;
}

static void case_mutex(void)
{
	cthread_t t[NTHREADS];
	int i;

	CHECK(mutex_init(&lock) == KERN_SUCCESS);
	counter = 0;
	for (i = 0; i < NTHREADS; i++)
		t[i] = cthread_fork(add_many, NULL);
	for (i = 0; i < NTHREADS; i++)
		if (t[i])
			cthread_join(t[i]);
	CHECK(counter == (long)NTHREADS * ROUNDS);
	CHECK(mutex_try_lock(&lock));
	CHECK(!mutex_try_lock(&lock));
	mutex_unlock(&lock);
	mutex_destroy(&lock);
}

/* A bounded buffer: producer and consumer on two conditions. */
#define SLOTS	4
#define ITEMS	2000
static struct condition not_full, not_empty;
static int ring[SLOTS], head, tail, used;

static void *producer(void *arg)
{
	int i;

	(void)arg;
	for (i = 1; i <= ITEMS; i++) {
		mutex_lock(&lock);
		while (used == SLOTS)
			condition_wait(&not_full, &lock);
		ring[head] = i;
		head = (head + 1) % SLOTS;
		used++;
		condition_signal(&not_empty);
		mutex_unlock(&lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;
	int i;

	(void)arg;
	for (i = 0; i < ITEMS; i++) {
		mutex_lock(&lock);
		while (used == 0)
			condition_wait(&not_empty, &lock);
		sum += ring[tail];
		tail = (tail + 1) % SLOTS;
		used--;
		condition_signal(&not_full);
		mutex_unlock(&lock);
	}
	return (void *)sum;
}

static void case_condition(void)
{
	cthread_t p, c;

	CHECK(mutex_init(&lock) == KERN_SUCCESS);
	CHECK(condition_init(&not_full) == KERN_SUCCESS);
	CHECK(condition_init(&not_empty) == KERN_SUCCESS);
	head = tail = used = 0;
	c = cthread_fork(consumer, NULL);
	p = cthread_fork(producer, NULL);
	CHECK(c && p);
	if (p)
		cthread_join(p);
	if (c)
		CHECK((long)cthread_join(c) == (long)ITEMS * (ITEMS + 1) / 2);
	CHECK(used == 0);
	condition_destroy(&not_full);
	condition_destroy(&not_empty);
	mutex_destroy(&lock);
}

static volatile int detached_ran;

static void *set_flag(void *arg)
{
	(void)arg;
	detached_ran = 1;
	return NULL;
}

static void case_detach(void)
{
	cthread_t t;
	int i;

	t = cthread_fork(set_flag, NULL);
	CHECK(t != NULL);
	if (t)
		cthread_detach(t);
	for (i = 0; i < 100000 && !detached_ran; i++)
		cthread_yield();
	CHECK(detached_ran);
	/* The next fork reaps it. */
	t = cthread_fork(set_flag, NULL);
	if (t)
		cthread_join(t);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "fork_join", case_fork_join },
	{ "mutex", case_mutex },
	{ "condition", case_condition },
	{ "detach", case_detach },
};

/*
 * Print on the console server's device (see Documentation/user.rst), and
 * register a port of ours as "cthread_test": when we are gone the name
 * server drops it and says so (scripts/tests/shell-test looks for that).
 */
static void console_setup(void)
{
	mach_port_t ns, console, mine;
	ns_name_t name;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &ns) != KERN_SUCCESS ||
	    ns == MACH_PORT_NULL)
		return;
	strlcpy(name, NS_NAME_CONSOLE, sizeof(name));
	if (ns_look_up(ns, name, &console) == KERN_SUCCESS) {
		console_open(console);
		mach_port_deallocate(mach_task_self(), console);
	}
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) == KERN_SUCCESS &&
	    mach_port_insert_right(mach_task_self(), mine, mine, MACH_MSG_TYPE_MAKE_SEND) ==
	    KERN_SUCCESS) {
		strlcpy(name, "cthread_test", sizeof(name));
		ns_register(ns, name, mine);
		mach_port_deallocate(mach_task_self(), mine);	/* the send right */
	}
	mach_port_deallocate(mach_task_self(), ns);
}

int main(void)
{
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);
	mach_msg_type_number_t before;
	int passed = 0, failed = 0, f;

	console_setup();
	/* The package's own ports (reap lock) exist from the first call on. */
	cthread_self();
	printf("# cthread_test: %u cases\n1..%u\n", n, n);
	for (i = 0; i < n; i++) {
		before = port_count();
		f = failures;
		cases[i].fn();
		if (port_count() != before) {
			printf("# port names: %u before, %u after\n", before, port_count());
			failures++;
		}
		if (failures == f) {
			printf("ok %u - %s\n", i + 1, cases[i].name);
			passed++;
		} else {
			printf("not ok %u - %s\n", i + 1, cases[i].name);
			failed++;
		}
	}
	printf("# cthread_test: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}

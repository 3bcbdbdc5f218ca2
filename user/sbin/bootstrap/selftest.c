// SPDX-License-Identifier: MIT
/*
 * The first user-mode self check: does what the rest of user space stands
 * on work from a real task? Each case prints one KTAP-style result line
 * ("ok 3 - vm_allocate"), and each checks that the task's port names are
 * back to their number before it (mach_port_names()), so that a leaked
 * right fails the case.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/sync_policy.h>
#include "bootstrap.h"

/* Set by a case that could not check what it meant to: its line says SKIP. */
static const char *selftest_skip;

struct selftest {
	const char	*name;
	bool		(*run)(const struct bootstrap_ports *ports);
};

/* A failed expectation: say what and where, then fail the case. */
#define CHECK(cond) do {							\
		if (!(cond)) {							\
			printf("    # %s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
			return false;						\
		}								\
	} while (0)
#define CHECK_KR(expr, want) do {						\
		kern_return_t kr_ = (expr);					\
		if (kr_ != (kern_return_t)(want)) {				\
			printf("    # %s:%d: %s = %#x, expected %#x\n",		\
			       __FILE__, __LINE__, #expr, kr_, (unsigned)(want)); \
			return false;						\
		}								\
	} while (0)

/* The number of names in our space, or -1 if it cannot be had. */
static int count_names(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n = 0, nt = 0;

	if (mach_port_names(mach_task_self(), &names, &n, &types, &nt) != KERN_SUCCESS)
		return -1;
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	if (nt)
		vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	return n;
}

static bool test_port_names(const struct bootstrap_ports *ports)
{
	mach_port_type_t type;

	(void)ports;
	CHECK(count_names() > 0);
	/* Our own task port is a send right in our space. */
	CHECK_KR(mach_port_type(mach_task_self(), mach_task_self(), &type), KERN_SUCCESS);
	CHECK(type & MACH_PORT_TYPE_SEND);
	return true;
}

static bool test_reply_port(const struct bootstrap_ports *ports)
{
	mach_port_type_t type;
	mach_port_t port;

	(void)ports;
	port = mach_reply_port();
	CHECK(port != MACH_PORT_NULL);
	CHECK_KR(mach_port_type(mach_task_self(), port, &type), KERN_SUCCESS);
	CHECK(type == MACH_PORT_TYPE_RECEIVE);
	CHECK_KR(mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1),
		 KERN_SUCCESS);
	CHECK_KR(mach_port_type(mach_task_self(), port, &type), KERN_INVALID_NAME);
	return true;
}

struct test_msg {
	mach_msg_header_t	head;
	uint64_t		payload[4];
	/* room for the receive trailer */
	uint8_t			trailer[64];
};

/*
 * A round trip through mach_msg() to ourselves: a request to a port of
 * ours with a send-once reply right, received, answered through that
 * right, and the answer received on the reply port.
 */
static bool test_msg_rpc(const struct bootstrap_ports *ports)
{
	struct test_msg m;
	mach_port_t port, reply;
	mach_port_type_t type;
	int i;

	(void)ports;
	CHECK_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port),
		 KERN_SUCCESS);
	reply = mach_reply_port();
	CHECK(reply != MACH_PORT_NULL);

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_size = sizeof(m.head) + sizeof(m.payload);
	m.head.msgh_remote_port = port;
	m.head.msgh_local_port = reply;
	m.head.msgh_id = 4242;
	for (i = 0; i < 4; i++)
		m.payload[i] = 0x1111111111111111ULL * (i + 1);
	CHECK_KR(mach_msg(&m.head, MACH_SEND_MSG, m.head.msgh_size, 0, MACH_PORT_NULL,
			  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);

	/* The request: on port, with the send-once right as its reply port. */
	memset(&m, 0, sizeof(m));
	CHECK_KR(mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), port,
			  1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(m.head.msgh_id == 4242);
	CHECK(m.head.msgh_size == sizeof(m.head) + sizeof(m.payload));
	CHECK(MACH_MSGH_BITS_REMOTE(m.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE);
	/* A send-once right has a name of its own, never the receive right's. */
	CHECK_KR(mach_port_type(mach_task_self(), m.head.msgh_remote_port, &type), KERN_SUCCESS);
	CHECK(type == MACH_PORT_TYPE_SEND_ONCE);
	CHECK(m.head.msgh_local_port == port);
	for (i = 0; i < 4; i++)
		CHECK(m.payload[i] == 0x1111111111111111ULL * (i + 1));

	/* The answer, through the send-once right, back on reply. */
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	m.head.msgh_local_port = MACH_PORT_NULL;
	m.head.msgh_id = 4242 + 100;
	m.head.msgh_size = sizeof(m.head) + sizeof(m.payload);
	CHECK_KR(mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
			  m.head.msgh_size, sizeof(m), reply, 1000, MACH_PORT_NULL),
		 MACH_MSG_SUCCESS);
	CHECK(m.head.msgh_id == 4242 + 100);
	CHECK(m.payload[3] == 0x4444444444444444ULL);

	/* Nothing more is queued: a receive with no wait times out. */
	CHECK_KR(mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), port, 0,
			  MACH_PORT_NULL), MACH_RCV_TIMED_OUT);

	CHECK_KR(mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1),
		 KERN_SUCCESS);
	CHECK_KR(mach_port_destroy(mach_task_self(), port), KERN_SUCCESS);
	return true;
}

static bool test_vm_allocate(const struct bootstrap_ports *ports)
{
	vm_size_t size = 4 * vm_page_size, rsize;
	vm_address_t addr = 0, raddr;
	vm_prot_t prot, max_prot;
	vm_inherit_t inherit;
	boolean_t shared;
	mach_port_t object;
	vm_offset_t offset;
	volatile uint64_t *p;
	size_t i;

	(void)ports;
	CHECK_KR(vm_allocate(mach_task_self(), &addr, size, TRUE), KERN_SUCCESS);
	CHECK(addr != 0 && addr % vm_page_size == 0);
	p = (volatile uint64_t *)addr;
	/* Demand-zero, and writable. */
	for (i = 0; i < size / sizeof(*p); i += 512)
		CHECK(p[i] == 0);
	for (i = 0; i < size / sizeof(*p); i += 512)
		p[i] = i + 1;
	for (i = 0; i < size / sizeof(*p); i += 512)
		CHECK(p[i] == i + 1);

	raddr = addr;
	CHECK_KR(vm_region(mach_task_self(), &raddr, &rsize, &prot, &max_prot, &inherit,
			   &shared, &object, &offset), KERN_SUCCESS);
	CHECK(raddr <= addr && raddr + rsize >= addr + size);
	CHECK((prot & (VM_PROT_READ | VM_PROT_WRITE)) == (VM_PROT_READ | VM_PROT_WRITE));

	CHECK_KR(vm_deallocate(mach_task_self(), addr, size), KERN_SUCCESS);
	/* The range is gone: the next region, if any, starts above it. */
	raddr = addr;
	if (vm_region(mach_task_self(), &raddr, &rsize, &prot, &max_prot, &inherit,
		      &shared, &object, &offset) == KERN_SUCCESS)
		CHECK(raddr >= addr + size);
	return true;
}

static bool test_host_info(const struct bootstrap_ports *ports)
{
	struct host_basic_info info;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	mach_port_t host = mach_host_self();
	vm_size_t page_size = 0;

	CHECK(host != MACH_PORT_NULL);
	CHECK(ports->host == MACH_PORT_NULL || ports->host == host);
	CHECK_KR(host_info(host, HOST_BASIC_INFO, (host_info_t)&info, &count), KERN_SUCCESS);
	CHECK(count == HOST_BASIC_INFO_COUNT);
	CHECK(info.avail_cpus >= 1 && info.avail_cpus <= info.max_cpus);
	CHECK(info.max_mem > 0);
	CHECK_KR(host_page_size(host, &page_size), KERN_SUCCESS);
	CHECK(page_size == vm_page_size);
	printf("    # %d of %d CPUs, %llu MiB\n", info.avail_cpus, info.max_cpus,
	       (unsigned long long)(info.max_mem >> 20));
	CHECK_KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
	return true;
}

static bool test_task_info(const struct bootstrap_ports *ports)
{
	struct task_basic_info info;
	mach_msg_type_number_t count = TASK_BASIC_INFO_COUNT;

	(void)ports;
	CHECK_KR(task_info(mach_task_self(), TASK_BASIC_INFO, (task_info_t)&info, &count),
		 KERN_SUCCESS);
	CHECK(count == TASK_BASIC_INFO_COUNT);
	CHECK(info.suspend_count == 0);
	/* At least our text, data and stack are mapped. */
	CHECK(info.virtual_size >= 3 * vm_page_size);
	return true;
}

/*
 * A semaphore of our own: its traps (a wait that takes the unit, a poll
 * that finds none, a signal, a timed wait that gets it) and its routines
 * as messages, then destroyed.
 */
static bool test_semaphore(const struct bootstrap_ports *ports)
{
	semaphore_t sem;

	(void)ports;
	CHECK_KR(semaphore_create(mach_task_self(), &sem, SYNC_POLICY_FIFO, 1), KERN_SUCCESS);
	CHECK_KR(semaphore_wait_trap(sem), KERN_SUCCESS);
	CHECK_KR(semaphore_timedwait_trap(sem, 0, 0), KERN_OPERATION_TIMED_OUT);
	CHECK_KR(semaphore_signal_trap(sem), KERN_SUCCESS);
	CHECK_KR(semaphore_timedwait_trap(sem, 0, 1000000), KERN_SUCCESS);
	CHECK_KR(semaphore_signal(sem), KERN_SUCCESS);
	CHECK_KR(semaphore_wait(sem), KERN_SUCCESS);
	CHECK_KR(semaphore_destroy(mach_task_self(), sem), KERN_SUCCESS);
	/* task.defs sends the semaphore with MOVE_SEND: our right went with it. */
	CHECK_KR(mach_port_deallocate(mach_task_self(), sem), KERN_INVALID_NAME);
	return true;
}

/* FP/SIMD registers work in user mode (the kernel keeps them per thread). */
static bool test_fp(const struct bootstrap_ports *ports)
{
	volatile double x = 1.5, sum = 0;
	int i;

	(void)ports;
	x *= 3;
	CHECK(x == 4.5);
	for (i = 1; i <= 100; i++) {
		sum += 1.0 / i;
		swtch();	/* let the registers go and come back */
	}
	CHECK(sum > 5.18 && sum < 5.19);
	return true;
}

static bool test_malloc(const struct bootstrap_ports *ports)
{
	char *small[16], *big, *grown;
	int i;

	(void)ports;
	for (i = 0; i < 16; i++) {
		small[i] = malloc(24 * (i + 1));
		CHECK(small[i] != NULL);
		memset(small[i], i, 24 * (i + 1));
	}
	big = malloc(256 * 1024);
	CHECK(big != NULL);
	big[0] = 1;
	big[256 * 1024 - 1] = 2;
	for (i = 0; i < 16; i++) {
		CHECK(small[i][0] == i && small[i][24 * (i + 1) - 1] == i);
		free(small[i]);
	}
	grown = realloc(big, 512 * 1024);
	CHECK(grown != NULL && grown[0] == 1 && grown[256 * 1024 - 1] == 2);
	free(grown);
	return true;
}

static const struct selftest selftests[] = {
	{ "mach_port_names",	test_port_names },
	{ "mach_reply_port",	test_reply_port },
	{ "mach_msg_rpc_self",	test_msg_rpc },
	{ "vm_allocate",	test_vm_allocate },
	{ "host_info",		test_host_info },
	{ "task_info",		test_task_info },
	{ "semaphore",		test_semaphore },
	{ "fp",			test_fp },
	{ "malloc",		test_malloc },
};

#define NR_SELFTESTS	(int)(sizeof(selftests) / sizeof(selftests[0]))

int bootstrap_selftest(const struct bootstrap_ports *ports)
{
	int i, before, after, failed = 0, skipped = 0;
	bool ok;

	printf("# bootstrap: user-mode self check\n");
	printf("1..%d\n", NR_SELFTESTS);
	for (i = 0; i < NR_SELFTESTS; i++) {
		selftest_skip = NULL;
		before = count_names();
		ok = selftests[i].run(ports);
		after = count_names();
		if (ok && before != after) {
			printf("    # port names: %d before, %d after\n", before, after);
			ok = false;
		}
		if (ok && selftest_skip) {
			printf("ok %d - %s # SKIP %s\n", i + 1, selftests[i].name, selftest_skip);
			skipped++;
			continue;
		}
		printf("%s %d - %s\n", ok ? "ok" : "not ok", i + 1, selftests[i].name);
		failed += !ok;
	}
	printf("# bootstrap: %d passed, %d failed, %d skipped\n",
	       NR_SELFTESTS - failed - skipped, failed, skipped);
	return failed;
}

// SPDX-License-Identifier: MIT
/*
 * ktest suite "processor": processors and the processor set as kernel
 * objects (kernel/processor.c) and the host routines that report on them
 * and on the zones (kernel/mig/mach_host_routines.c), every one sent as a
 * message to the real ports with mach_msg_rpc_from_kernel(). The message
 * layouts are written out here, independently of the generated code.
 * Every case ends with the IPC, task, thread and page counts at their
 * baseline (kernel/task_test_util.h).
 */
#include <kern/processor.h>
#include <kern/sync_sema.h>
#include <ktest.h>
#include "task_test_util.h"

/* The reply's out-of-line region in kernel memory (ipc_ool_free() it), or NULL. */
static void *pt_ool(struct ktest *t, mach_msg_ool_descriptor_t *d)
{
	void *data = NULL;

	if (!d->address)
		return NULL;
	KTEST_EXPECT_EQ(t, ipc_ool_copyout(d->address, &data), KERN_SUCCESS);
	return data;
}

/* A port descriptor of a reply: the right it carries, which must be of `kotype`. */
static ipc_port_t pt_port(struct ktest *t, mach_msg_port_descriptor_t *d, unsigned int kotype)
{
	ipc_port_t port = (ipc_port_t)d->name;

	KTEST_EXPECT_TRUE(t, IP_VALID(port));
	if (IP_VALID(port))
		KTEST_EXPECT_EQ(t, port->ip_kotype, kotype);
	return port;
}

static ipc_port_t pt_host_priv(void)
{
	return (ipc_port_t)convert_host_priv_to_port(host_self());
}

static ipc_port_t pt_host(void)
{
	return (ipc_port_t)convert_host_to_port(host_self());
}

struct pt_info_req {
	mach_msg_header_t	Head;
	integer_t		flavor;
	mach_msg_type_number_t	cnt;
};

/* A flavored request whose reply is a port (or none) and an info array. */
struct pt_info_rep {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	host;
	mach_msg_type_number_t		cnt;
	integer_t			info[16];
};

/*
 * processor_info (3002) or processor_set_info (4009): their RetCode; the
 * info in out, its count in *count (room on entry).
 */
static kern_return_t pt_info_with_host(struct ktest *t, ipc_port_t port, mach_msg_id_t id,
				       int flavor, integer_t *out,
				       mach_msg_type_number_t *count)
{
	struct pt_info_req *req = tt_request(port, id, sizeof(*req));
	struct pt_info_rep *rep = (void *)&tt_msg;

	req->flavor = flavor;
	req->cnt = *count;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return tt_error();
	ipc_port_release_send(pt_port(t, &rep->host, IKOT_HOST));
	KTEST_EXPECT_LE(t, rep->cnt, *count);
	*count = rep->cnt;
	memcpy(out, rep->info, rep->cnt * sizeof(integer_t));
	return KERN_SUCCESS;
}

/* host_info (200), host_statistics (216), processor_set_statistics (4000): no port. */
static kern_return_t pt_info(struct ktest *t, ipc_port_t port, mach_msg_id_t id, int flavor,
			     integer_t *out, mach_msg_type_number_t *count)
{
	struct pt_info_req *req = tt_request(port, id, sizeof(*req));
	struct rep {
		mach_msg_header_t Head; kern_return_t RetCode;
		mach_msg_type_number_t cnt; integer_t info[32];
	} *rep = (void *)&tt_msg;

	req->flavor = flavor;
	req->cnt = *count;
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (rep->RetCode != KERN_SUCCESS)
		return rep->RetCode;
	KTEST_EXPECT_LE(t, rep->cnt, *count);
	*count = rep->cnt;
	memcpy(out, rep->info, rep->cnt * sizeof(integer_t));
	return KERN_SUCCESS;
}

/* A routine whose reply is one port of kotype: the right, or IP_NULL (the error in *kr). */
static ipc_port_t pt_get_port(struct ktest *t, ipc_port_t dest, mach_msg_id_t id,
			      ipc_port_t arg, unsigned int kotype, kern_return_t *kr)
{
	struct req {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t arg;
	} *req;
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_port_descriptor_t port;
	} *rep = (void *)&tt_msg;

	if (arg) {
		req = tt_request(dest, id, sizeof(*req));
		req->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		req->msgh_body.msgh_descriptor_count = 1;
		req->arg.name = (mach_port_t)arg;
		req->arg.disposition = MACH_MSG_TYPE_COPY_SEND;
		req->arg.type = MACH_MSG_PORT_DESCRIPTOR;
	} else {
		tt_request(dest, id, sizeof(mach_msg_header_t));
	}
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		*kr = tt_error();
		return IP_NULL;
	}
	*kr = KERN_SUCCESS;
	return pt_port(t, &rep->port, kotype);
}

/* A routine whose reply is an out-of-line port array: the array (kfree() it), its count. */
static ipc_port_t *pt_get_ports(struct ktest *t, ipc_port_t dest, mach_msg_id_t id,
				unsigned int *count, kern_return_t *kr)
{
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_ports_descriptor_t list;
	} *rep = (void *)&tt_msg;

	tt_request(dest, id, sizeof(mach_msg_header_t));
	KTEST_EXPECT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	*count = 0;
	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		*kr = tt_error();
		return NULL;
	}
	*kr = KERN_SUCCESS;
	*count = rep->list.count;
	return rep->list.address;
}

static void pt_release_ports(ipc_port_t *ports, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (IP_VALID(ports[i]))
			ipc_port_release_send(ports[i]);
	if (ports)
		kfree(ports, count * sizeof(*ports));
}

/* Keep a CPU busy for ns. */
static void pt_spin(uint64_t ns)
{
	uint64_t end = clock_now() + ns;

	while (clock_now() < end)
		arch_cpu_relax();
}

/* A thread that stays runnable: the load average must see it. */
static void pt_busy_main(void *arg)
{
	while (!thread_should_halt())
		pt_spin(NSEC_PER_MSEC);
}

/* ------------------------------------------------------------------------
 * Processors
 */

static void processor_test_processors(struct ktest *t)
{
	ipc_port_t host_priv = pt_host_priv(), *ports;
	struct processor_basic_info bi;
	struct processor_cpu_load_info li, li2;
	mach_msg_type_number_t n;
	unsigned int count, i, sum;
	kern_return_t kr;

	/* host_processors (407): one port per online CPU, in CPU order. */
	ports = pt_get_ports(t, host_priv, 407, &count, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	KTEST_ASSERT_EQ(t, count, cpu_count);
	for (i = 0; i < count; i++) {
		KTEST_EXPECT_EQ(t, ports[i]->ip_kotype, (unsigned int)IKOT_PROCESSOR);
		KTEST_EXPECT_PTR_EQ(t, convert_port_to_processor((mach_port_t)ports[i]),
				    processor_of_cpu(i));
		n = PROCESSOR_BASIC_INFO_COUNT;
		KTEST_EXPECT_EQ(t, pt_info_with_host(t, ports[i], 3002, PROCESSOR_BASIC_INFO,
						     (integer_t *)&bi, &n), KERN_SUCCESS);
		KTEST_EXPECT_EQ(t, n, PROCESSOR_BASIC_INFO_COUNT);
		KTEST_EXPECT_EQ(t, bi.slot_num, (integer_t)i);
		KTEST_EXPECT_TRUE(t, bi.running);
		KTEST_EXPECT_EQ(t, bi.is_master, i == 0);
		KTEST_EXPECT_EQ(t, bi.cpu_type, IS_ENABLED(CONFIG_ARM64) ? CPU_TYPE_ARM64 :
								       CPU_TYPE_X86_64);
	}
	/* Since boot, CPU time has gone somewhere. */
	n = PROCESSOR_CPU_LOAD_INFO_COUNT;
	KTEST_ASSERT_EQ(t, pt_info_with_host(t, ports[0], 3002, PROCESSOR_CPU_LOAD_INFO,
					     (integer_t *)&li, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, PROCESSOR_CPU_LOAD_INFO_COUNT);
	for (i = 0, sum = 0; i < CPU_STATE_MAX; i++)
		sum += li.cpu_ticks[i];
	KTEST_EXPECT_GT(t, sum, 0u);
	KTEST_EXPECT_EQ(t, li.cpu_ticks[CPU_STATE_USER], 0u);
	KTEST_EXPECT_EQ(t, li.cpu_ticks[CPU_STATE_NICE], 0u);
	{
		/* Interrupts off: this CPU stays ours, and busy, for 50 ms. */
		unsigned long flags = arch_irq_save();
		unsigned int cpu = cpu_number();

		processor_cpu_ticks((int)cpu, li.cpu_ticks);
		pt_spin(50 * NSEC_PER_MSEC);
		processor_cpu_ticks((int)cpu, li2.cpu_ticks);
		arch_irq_restore(flags);
		KTEST_EXPECT_GE(t, li2.cpu_ticks[CPU_STATE_SYSTEM],
				li.cpu_ticks[CPU_STATE_SYSTEM] + 4);
		KTEST_EXPECT_LE(t, li2.cpu_ticks[CPU_STATE_IDLE], li.cpu_ticks[CPU_STATE_IDLE] + 1);
	}
	/* Errors: unknown flavor, too little room; processor_get_assignment (3005). */
	n = PROCESSOR_CPU_LOAD_INFO_COUNT;
	KTEST_EXPECT_EQ(t, pt_info_with_host(t, ports[0], 3002, 99, (integer_t *)&li, &n),
			KERN_INVALID_ARGUMENT);
	n = 1;
	KTEST_EXPECT_EQ(t, pt_info_with_host(t, ports[0], 3002, PROCESSOR_BASIC_INFO,
					     (integer_t *)&bi, &n), KERN_FAILURE);
	ipc_port_release_send(pt_get_port(t, ports[0], 3005, IP_NULL, IKOT_PSET_NAME, &kr));
	KTEST_EXPECT_EQ(t, kr, KERN_SUCCESS);
	/* The plain host port does not serve host_priv. */
	{
		ipc_port_t host = pt_host();

		KTEST_EXPECT_EQ(t, tt_call(t, host, 407), MIG_BAD_ID);
		ipc_port_release_send(host);
	}
	pt_release_ports(ports, count);
	ipc_port_release_send(host_priv);
}

static void processor_test_host_processor_info(struct ktest *t)
{
	ipc_port_t host = pt_host();
	struct req { mach_msg_header_t Head; integer_t flavor; } *req;
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_descriptor_t info; natural_t count;
	} *rep = (void *)&tt_msg;
	struct processor_basic_info *bi;
	unsigned int i;

	/* host_processor_info (204): every processor's, out of line. */
	req = tt_request(host, 204, TT_END(struct req, flavor));
	req->flavor = PROCESSOR_BASIC_INFO;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), -1);
	KTEST_ASSERT_TRUE(t, rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	KTEST_EXPECT_EQ(t, rep->count, cpu_count);
	KTEST_ASSERT_EQ(t, rep->info.size, cpu_count * sizeof(*bi));
	bi = pt_ool(t, &rep->info);
	KTEST_ASSERT_NOT_NULL(t, bi);
	for (i = 0; i < cpu_count; i++) {
		KTEST_EXPECT_EQ(t, bi[i].slot_num, (integer_t)i);
		KTEST_EXPECT_EQ(t, bi[i].is_master, i == 0);
	}
	ipc_ool_free(bi, cpu_count * sizeof(*bi));

	req = tt_request(host, 204, TT_END(struct req, flavor));
	req->flavor = PROCESSOR_CPU_LOAD_INFO;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, rep->count, cpu_count);
	KTEST_EXPECT_EQ(t, rep->info.size,
			cpu_count * sizeof(struct processor_cpu_load_info));
	ipc_ool_free(pt_ool(t, &rep->info), rep->info.size);

	req = tt_request(host, 204, TT_END(struct req, flavor));
	req->flavor = 42;
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_EXPECT_EQ(t, tt_error(), KERN_INVALID_ARGUMENT);
	ipc_port_release_send(host);
}

/* ------------------------------------------------------------------------
 * The processor set
 */

/* Is port (a send right) in ports[] ? */
static bool pt_has(ipc_port_t *ports, unsigned int count, ipc_port_t port)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (ports[i] == port)
			return true;
	return false;
}

static void processor_test_pset(struct ktest *t)
{
	ipc_port_t host = pt_host(), host_priv = pt_host_priv(), name, pset, *ports;
	ipc_port_t task_port, thread_port;
	struct processor_set_basic_info bi;
	struct processor_set_load_info li;
	mach_msg_type_number_t n;
	task_t task = tt_task(t, NULL, false);
	struct thread *th;
	unsigned int count;
	kern_return_t kr;

	KTEST_ASSERT_EQ(t, task_thread_create(task, pt_busy_main, NULL,
					      BASEPRI_KERNEL, "pt-thread", &th), KERN_SUCCESS);
	task_port = tt_task_port(task);
	thread_port = tt_thread_port(th);

	/* processor_set_default (213) gives the name port. */
	name = pt_get_port(t, host, 213, IP_NULL, IKOT_PSET_NAME, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	n = PROCESSOR_SET_BASIC_INFO_COUNT;
	KTEST_EXPECT_EQ(t, pt_info_with_host(t, name, 4009, PROCESSOR_SET_BASIC_INFO,
					     (integer_t *)&bi, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, bi.processor_count, (integer_t)cpu_count);
	KTEST_EXPECT_EQ(t, bi.default_policy, POLICY_TIMESHARE);
	n = PROCESSOR_SET_LOAD_INFO_COUNT;
	KTEST_EXPECT_EQ(t, pt_info(t, name, 4000, PROCESSOR_SET_LOAD_INFO, (integer_t *)&li, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, li.task_count, (integer_t)task_count());
	KTEST_EXPECT_EQ(t, li.thread_count, (integer_t)thread_count());
	/* The name port does not list tasks. */
	ports = pt_get_ports(t, name, 4005, &count, &kr);
	KTEST_EXPECT_EQ(t, kr, KERN_INVALID_ARGUMENT);
	/* host_processor_sets (419): that same name port. */
	ports = pt_get_ports(t, host_priv, 419, &count, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, count, 1u);
	KTEST_EXPECT_PTR_EQ(t, ports[0], name);
	pt_release_ports(ports, count);

	/* host_processor_set_priv (420): the control port, which lists them. */
	pset = pt_get_port(t, host_priv, 420, name, IKOT_PSET, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	ports = pt_get_ports(t, pset, 4005, &count, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, count, task_count());
	KTEST_EXPECT_TRUE(t, pt_has(ports, count, task_port));
	KTEST_EXPECT_TRUE(t, pt_has(ports, count, kernel_task->itk_self));
	pt_release_ports(ports, count);
	ports = pt_get_ports(t, pset, 4006, &count, &kr);
	KTEST_ASSERT_EQ(t, kr, KERN_SUCCESS);
	KTEST_EXPECT_GE(t, count, 2u);
	KTEST_EXPECT_LE(t, count, thread_count());
	KTEST_EXPECT_TRUE(t, pt_has(ports, count, thread_port));
	KTEST_EXPECT_TRUE(t, pt_has(ports, count, current_thread()->ith_self));
	pt_release_ports(ports, count);
	/* The control port answers the information routines too. */
	n = PROCESSOR_SET_BASIC_INFO_COUNT;
	KTEST_EXPECT_EQ(t, pt_info_with_host(t, pset, 4009, PROCESSOR_SET_BASIC_INFO,
					     (integer_t *)&bi, &n), KERN_SUCCESS);
	/* Only the privileged host port gives the control port. */
	KTEST_EXPECT_NULL(t, pt_get_port(t, host_priv, 420, host, IKOT_PSET, &kr));
	KTEST_EXPECT_EQ(t, kr, KERN_INVALID_ARGUMENT);

	ipc_port_release_send(pset);
	ipc_port_release_send(name);
	ipc_port_release_send(thread_port);
	ipc_port_release_send(task_port);
	tt_task_done(t, task);
	KTEST_EXPECT_EQ(t, thread_join(th), THREAD_AWAKENED);
	thread_deallocate(th);
	ipc_port_release_send(host_priv);
	ipc_port_release_send(host);
}

/* ------------------------------------------------------------------------
 * The host's figures
 */

static void processor_test_host_info(struct ktest *t)
{
	ipc_port_t host = pt_host();
	struct kernel_resource_sizes rs;
	struct host_basic_info basic;
	integer_t none[1];
	mach_msg_type_number_t n;

	n = HOST_BASIC_INFO_COUNT;
	KTEST_EXPECT_EQ(t, pt_info(t, host, 200, HOST_BASIC_INFO, (integer_t *)&basic, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, basic.avail_cpus, (integer_t)cpu_count);
	n = HOST_RESOURCE_SIZES_COUNT;
	KTEST_EXPECT_EQ(t, pt_info(t, host, 200, HOST_RESOURCE_SIZES, (integer_t *)&rs, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, HOST_RESOURCE_SIZES_COUNT);
	KTEST_EXPECT_EQ(t, rs.task, (natural_t)sizeof(struct task));
	KTEST_EXPECT_EQ(t, rs.thread, (natural_t)sizeof(struct thread));
	KTEST_EXPECT_EQ(t, rs.port, (natural_t)sizeof(struct ipc_port));
	KTEST_EXPECT_EQ(t, rs.memory_object, (natural_t)sizeof(struct vm_object));
	/* HOST_SEMAPHORE_TRAPS: no data, success says the traps are there. */
	n = 1;
	KTEST_EXPECT_EQ(t, pt_info(t, host, 200, HOST_SEMAPHORE_TRAPS, none, &n), KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, 0u);
	n = 1;
	KTEST_EXPECT_EQ(t, pt_info(t, host, 200, 6, none, &n), KERN_INVALID_ARGUMENT);
	ipc_port_release_send(host);
}

static void processor_test_host_statistics(struct ktest *t)
{
	ipc_port_t host = pt_host();
	struct host_cpu_load_info hl, one;
	struct host_load_info load;
	mach_msg_type_number_t n;
	unsigned int cpu, s, sum_one, sum_host = 0;
	integer_t i1[1];

	/* HOST_CPU_LOAD_INFO is every processor's summed. */
	n = HOST_CPU_LOAD_INFO_COUNT;
	KTEST_ASSERT_EQ(t, pt_info(t, host, 216, HOST_CPU_LOAD_INFO, (integer_t *)&hl, &n),
			KERN_SUCCESS);
	KTEST_EXPECT_EQ(t, n, HOST_CPU_LOAD_INFO_COUNT);
	for (s = 0; s < CPU_STATE_MAX; s++)
		sum_host += hl.cpu_ticks[s];
	sum_one = 0;
	for (cpu = 0; cpu < cpu_count; cpu++) {
		processor_cpu_ticks((int)cpu, one.cpu_ticks);
		for (s = 0; s < CPU_STATE_MAX; s++)
			sum_one += one.cpu_ticks[s];
	}
	/* Taken a little later: at least as much, and less than a second more per CPU. */
	KTEST_EXPECT_GE(t, sum_one, sum_host);
	KTEST_EXPECT_LT(t, sum_one, sum_host + 100 * cpu_count);
	KTEST_EXPECT_GT(t, hl.cpu_ticks[CPU_STATE_IDLE] + hl.cpu_ticks[CPU_STATE_SYSTEM], 0u);

	/* HOST_LOAD_INFO: sampled each second; every figure within its range. */
	n = HOST_LOAD_INFO_COUNT;
	KTEST_ASSERT_EQ(t, pt_info(t, host, 216, HOST_LOAD_INFO, (integer_t *)&load, &n),
			KERN_SUCCESS);
	for (s = 0; s < 3; s++) {
		KTEST_EXPECT_GE(t, load.avenrun[s], 0);
		KTEST_EXPECT_GE(t, load.mach_factor[s], 0);
		KTEST_EXPECT_LE(t, load.mach_factor[s], (integer_t)(cpu_count * LOAD_SCALE));
	}
	n = 1;
	KTEST_EXPECT_EQ(t, pt_info(t, host, 216, HOST_LOAD_INFO, i1, &n), KERN_FAILURE);
	n = 1;
	KTEST_EXPECT_EQ(t, pt_info(t, host, 216, 77, i1, &n), KERN_INVALID_ARGUMENT);
	ipc_port_release_send(host);
}

static void processor_test_load_average(struct ktest *t)
{
	struct host_load_info before, after;
	struct thread *th[2];
	unsigned int i;

	processor_load_info(&before);
	for (i = 0; i < 2; i++) {
		th[i] = kernel_thread_create(pt_busy_main, NULL, BASEPRI_KERNEL - 1, "pt-busy");
		KTEST_ASSERT_NOT_NULL(t, th[i]);
	}
	/* Two samples at least, with two more threads running or runnable. */
	thread_delay(2 * PROCESSOR_LOAD_PERIOD_NS + 100 * NSEC_PER_MSEC);
	processor_load_info(&after);
	for (i = 0; i < 2; i++) {
		KTEST_EXPECT_EQ(t, thread_terminate_other(th[i]), KERN_SUCCESS);
		thread_deallocate(th[i]);
	}
	/* 2 threads over n CPUs, twice decayed by 0.819 from at most `before`. */
	KTEST_EXPECT_GT(t, after.avenrun[0], before.avenrun[0] / 2 +
			(integer_t)(2 * LOAD_SCALE / cpu_count) / 4);
}

/* ------------------------------------------------------------------------
 * Zones
 */

static void processor_test_zone_info(struct ktest *t)
{
	ipc_port_t host_priv = pt_host_priv(), host = pt_host();
	struct rep {
		mach_msg_header_t Head; mach_msg_body_t msgh_body;
		mach_msg_ool_descriptor_t names, info;
	} *rep = (void *)&tt_msg;
	mach_zone_name_t *names;
	mach_zone_info_t *info, *zi = NULL;
	unsigned int count, i, sema_in_use = 0;
	semaphore_t sema;
	vm_size_t nsize, isize;
	uint64_t chunks, free;

	/* One semaphore more than the boot's: the "semaphore" zone counts it. */
	KTEST_ASSERT_EQ(t, sync_sema_create(kernel_task, SYNC_POLICY_FIFO, 0, &sema),
			KERN_SUCCESS);
	tt_request(host_priv, 220, sizeof(mach_msg_header_t));
	KTEST_ASSERT_EQ(t, tt_rpc(t), MACH_MSG_SUCCESS);
	KTEST_ASSERT_TRUE(t, rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	nsize = rep->names.size;
	isize = rep->info.size;
	count = (unsigned int)(isize / sizeof(*info));
	KTEST_EXPECT_EQ(t, nsize / sizeof(*names), (vm_size_t)count);
	KTEST_EXPECT_GT(t, count, 5u);
	names = pt_ool(t, &rep->names);
	info = pt_ool(t, &rep->info);
	KTEST_ASSERT_NOT_NULL(t, names);
	KTEST_ASSERT_NOT_NULL(t, info);
	for (i = 0; i < count; i++) {
		KTEST_EXPECT_LT(t, strlen(names[i].mzn_name), (size_t)ZONE_NAME_MAX_LEN);
		if (!strcmp(names[i].mzn_name, "semaphore"))
			zi = &info[i];
	}
	KTEST_ASSERT_NOT_NULL(t, zi);
	sema_in_use = (unsigned int)zi->mzi_count;
	KTEST_EXPECT_GE(t, sema_in_use, 1u);
	KTEST_EXPECT_EQ(t, sema_in_use, sync_sema_live_count());
	KTEST_EXPECT_GE(t, zi->mzi_elem_size, 16ull);
	KTEST_EXPECT_GE(t, zi->mzi_alloc_size, (uint64_t)PAGE_SIZE);
	KTEST_EXPECT_EQ(t, zi->mzi_cur_size % zi->mzi_alloc_size, 0ull);
	/* Free elements, as <mach/zone_info.h> says to count them. */
	chunks = zi->mzi_cur_size / zi->mzi_alloc_size;
	free = chunks * (zi->mzi_alloc_size / zi->mzi_elem_size) - zi->mzi_count;
	KTEST_EXPECT_LT(t, free, chunks * (zi->mzi_alloc_size / zi->mzi_elem_size));
	KTEST_EXPECT_EQ(t, zi->mzi_exhaustible, 1ull);
	ipc_ool_free(names, nsize);
	ipc_ool_free(info, isize);
	KTEST_EXPECT_EQ(t, sync_sema_destroy(kernel_task, sema), KERN_SUCCESS);
	semaphore_dereference(sema);
	KTEST_EXPECT_EQ(t, sync_sema_live_count(), sema_in_use - 1);

	/* The plain host port is not enough. */
	KTEST_EXPECT_EQ(t, tt_call(t, host, 220), KERN_INVALID_ARGUMENT);
	ipc_port_release_send(host);
	ipc_port_release_send(host_priv);
}

/*
 * A thread's port is made the first time it is asked for, and stays until
 * the thread ends: processor_set_threads makes one for every kernel
 * thread. Make them before the baseline, so that a case leaves no more.
 */
static int pt_init(struct ktest *t)
{
	mach_port_t *ports;
	mach_msg_type_number_t n;

	tt_quiesce();
	if (pset_thread_ports(pset_default(), &ports, &n) == KERN_SUCCESS)
		pt_release_ports((ipc_port_t *)ports, n);
	return tt_init(t);
}

static struct ktest_case processor_test_cases[] = {
	KTEST_CASE(processor_test_processors),
	KTEST_CASE(processor_test_host_processor_info),
	KTEST_CASE(processor_test_pset),
	KTEST_CASE(processor_test_host_info),
	KTEST_CASE(processor_test_host_statistics),
	KTEST_CASE(processor_test_load_average),
	KTEST_CASE(processor_test_zone_info),
	{}
};

static struct ktest_suite processor_test_suite = {
	.name = "processor",
	.init = pt_init,
	.exit = tt_exit,
	.test_cases = processor_test_cases,
};
KTEST_SUITE(processor_test_suite);

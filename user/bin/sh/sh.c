// SPDX-License-Identifier: MIT
/*
 * /bin/sh: the shell on the console (Documentation/user.rst, "The shell").
 *
 * It finds the name server as its TASK_BOOTSTRAP_PORT, the console server
 * there ("console": the C library's console is then that server's
 * device) and the privileged host port ("host-priv"), and registers a port
 * of its own as "sh-intr", where the console server sends ^C.
 *
 * Commands are a table (commands[] below): a name, a line of help and a
 * function taking argc/argv. To add one, write the function and add its
 * entry.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/notify.h>
#include <mach/host_reboot.h>
#include <device/device.h>
#include <nsUser.h>

#define ARGS_MAX	16

static mach_port_t ns_port, host, host_priv, intr_port;

struct command {
	const char	*name;
	const char	*help;
	int		(*fn)(int argc, char **argv);
};

static const struct command commands[];

static mach_port_t ns_wait(const char *what)
{
	ns_name_t name;
	mach_port_t port;
	kern_return_t kr;
	int tries;

	strlcpy(name, what, sizeof(name));
	for (tries = 0; tries < 1000; tries++) {
		kr = ns_look_up(ns_port, name, &port);
		if (kr == KERN_SUCCESS)
			return port;
		if (kr != KERN_INVALID_NAME)
			break;	/* KERN_NO_ACCESS: not for us (an unprivileged shell) */
		swtch_pri(0);
	}
	return MACH_PORT_NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	(void)argc;
	(void)argv;
	for (c = commands; c->name; c++)
		printf("  %-22s %s\n", c->name, c->help);
	return 0;
}

/* Keep up to max of the count rights of list in out; give back the rest and the array. */
static mach_msg_type_number_t port_list_take(mach_port_t *list, mach_msg_type_number_t count,
					     mach_port_t *out, mach_msg_type_number_t max)
{
	mach_msg_type_number_t i, n = 0;

	for (i = 0; i < count; i++) {
		if (n < max)
			out[n++] = list[i];
		else
			mach_port_deallocate(mach_task_self(), list[i]);
	}
	if (count)
		vm_deallocate(mach_task_self(), (vm_address_t)list, count * sizeof(*list));
	return n;
}

#define LIST_MAX	128

/* Send rights to every task of the system. */
static mach_msg_type_number_t system_list(mach_port_t *out)
{
	mach_port_t pset_name, pset;
	mach_msg_type_number_t count = 0, n = 0;
	mach_port_t *list;
	kern_return_t kr;

	if (processor_set_default(host, &pset_name) != KERN_SUCCESS)
		return 0;
	kr = host_processor_set_priv(host_priv, pset_name, &pset);
	mach_port_deallocate(mach_task_self(), pset_name);
	if (kr != KERN_SUCCESS)
		return 0;
	kr = processor_set_tasks(pset, &list, &count);
	if (kr == KERN_SUCCESS)
		n = port_list_take(list, count, out, LIST_MAX);
	mach_port_deallocate(mach_task_self(), pset);
	return n;
}

static void release_list(mach_port_t *list, mach_msg_type_number_t n)
{
	while (n--)
		mach_port_deallocate(mach_task_self(), list[n]);
}

static const char *const run_states[] = { "?", "running", "stopped", "waiting",
					  "uninterruptible", "halted" };

static unsigned long time_ms(const time_value_t *tv)
{
	return (unsigned long)tv->seconds * 1000 + (unsigned long)tv->microseconds / 1000;
}

/* The threads of a task (task_threads), one line each under its task's; how many. */
static unsigned int ps_threads(unsigned int ti, mach_port_t task)
{
	thread_array_t threads;
	mach_msg_type_number_t n = 0, i, cnt;
	thread_basic_info_data_t th;

	if (task_threads(task, &threads, &n) != KERN_SUCCESS)
		return 0;
	for (i = 0; i < n; i++) {
		cnt = THREAD_BASIC_INFO_COUNT;
		if (thread_info(threads[i], THREAD_BASIC_INFO, (thread_info_t)&th, &cnt) ==
		    KERN_SUCCESS)
			printf("  %3u.%-4u %#-7x %-16s %7d  %7lu  %9lu\n", ti, i, threads[i],
			       th.run_state > 0 && th.run_state <= 5 ?
			       run_states[th.run_state] : "?",
			       th.suspend_count, time_ms(&th.user_time), time_ms(&th.system_time));
		mach_port_deallocate(mach_task_self(), threads[i]);
	}
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)threads, n * sizeof(*threads));
	return n;
}

/*
 * Every task (TASK_BASIC_INFO; its times: those of its ended threads plus
 * TASK_THREAD_TIMES_INFO's of its live ones), each followed by its
 * threads (task_threads, THREAD_BASIC_INFO). User and system times are
 * the kernel's, sampled at its scheduler ticks.
 */
static int cmd_ps(int argc, char **argv)
{
	mach_port_t list[LIST_MAX];
	mach_msg_type_number_t n, i, cnt;
	task_basic_info_data_t ti;
	task_thread_times_info_data_t tt;
	unsigned int threads = 0;
	unsigned long user, sys;

	(void)argc;
	(void)argv;
	n = system_list(list);
	printf("TASK      PORT    SUSPEND  VIRTUAL KiB  RESIDENT KiB  USER ms  SYSTEM ms\n");
	printf("  THREAD  PORT    STATE            SUSPEND  USER ms  SYSTEM ms\n");
	for (i = 0; i < n; i++) {
		cnt = TASK_BASIC_INFO_COUNT;
		if (task_info(list[i], TASK_BASIC_INFO, (task_info_t)&ti, &cnt) != KERN_SUCCESS)
			continue;
		user = time_ms(&ti.user_time);
		sys = time_ms(&ti.system_time);
		cnt = TASK_THREAD_TIMES_INFO_COUNT;
		if (task_info(list[i], TASK_THREAD_TIMES_INFO, (task_info_t)&tt, &cnt) ==
		    KERN_SUCCESS) {
			user += time_ms(&tt.user_time);
			sys += time_ms(&tt.system_time);
		}
		printf("%-9u %#-7x %7d  %11lu  %12lu  %7lu  %9lu%s\n", i, list[i],
		       ti.suspend_count, (unsigned long)(ti.virtual_size / 1024),
		       (unsigned long)(ti.resident_size / 1024), user, sys,
		       list[i] == mach_task_self() ? "  (sh)" : "");
		threads += ps_threads(i, list[i]);
	}
	printf("%u tasks, %u threads\n", n, threads);
	release_list(list, n);
	return 0;
}

static void print_type(mach_port_type_t t)
{
	static const struct { mach_port_type_t bit; const char *name; } bits[] = {
		{ MACH_PORT_TYPE_SEND, "send" },
		{ MACH_PORT_TYPE_RECEIVE, "receive" },
		{ MACH_PORT_TYPE_SEND_ONCE, "send-once" },
		{ MACH_PORT_TYPE_PORT_SET, "port-set" },
		{ MACH_PORT_TYPE_DEAD_NAME, "dead-name" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (t & bits[i].bit)
			printf(" %s", bits[i].name);
	printf("\n");
}

/* ports [N]: the names and rights of task N of ps (default: the shell). */
static int cmd_ports(int argc, char **argv)
{
	mach_port_t list[LIST_MAX], task = mach_task_self();
	mach_msg_type_number_t n = 0, i, nn, nt;
	mach_port_name_t *names;
	mach_port_type_t *types;
	unsigned long idx;
	kern_return_t kr;

	if (argc > 1) {
		idx = strtoul(argv[1], NULL, 0);
		n = system_list(list);
		if (idx >= n) {
			printf("ports: no task %lu (see ps)\n", idx);
			release_list(list, n);
			return 1;
		}
		task = list[idx];
	}
	kr = mach_port_names(task, &names, &nn, &types, &nt);
	if (kr != KERN_SUCCESS) {
		printf("ports: mach_port_names: %#x\n", kr);
	} else {
		printf("NAME       RIGHTS\n");
		for (i = 0; i < nn && i < nt; i++) {
			printf("%#-10x", names[i]);
			print_type(types[i]);
		}
		printf("%u names\n", nn);
		vm_deallocate(mach_task_self(), (vm_address_t)names, nn * sizeof(*names));
		vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
	}
	release_list(list, n);
	return kr != KERN_SUCCESS;
}

static int cmd_vmstat(int argc, char **argv)
{
	vm_statistics_data_t vs;
	mach_msg_type_number_t cnt = HOST_VM_INFO_COUNT;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	kr = host_statistics(host, HOST_VM_INFO, (host_info_t)&vs, &cnt);
	if (kr != KERN_SUCCESS) {
		printf("vmstat: host_statistics: %#x\n", kr);
		return 1;
	}
	printf("page size %d bytes\n", vs.pagesize);
	printf("pages free %d active %d inactive %d wired %d\n", vs.free_count,
	       vs.active_count, vs.inactive_count, vs.wire_count);
	printf("faults %d zero fill %d cow %d reactivations %d\n", vs.faults,
	       vs.zero_fill_count, vs.cow_faults, vs.reactivations);
	printf("pageins %d pageouts %d lookups %d hits %d\n", vs.pageins, vs.pageouts,
	       vs.lookups, vs.hits);
	return 0;
}

static int cmd_zones(int argc, char **argv)
{
	mach_zone_name_t *names;
	mach_zone_info_t *info;
	mach_msg_type_number_t nn, ni, i;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	kr = mach_zone_info(host_priv, &names, &nn, &info, &ni);
	if (kr != KERN_SUCCESS) {
		printf("zones: mach_zone_info: %#x\n", kr);
		return 1;
	}
	printf("%-28s %8s %8s %10s %10s\n", "ZONE", "ELEMENT", "IN USE", "CUR KiB", "MAX KiB");
	for (i = 0; i < nn && i < ni; i++)
		printf("%-28.28s %8lu %8lu %10lu %10lu\n", names[i].mzn_name,
		       (unsigned long)info[i].mzi_elem_size, (unsigned long)info[i].mzi_count,
		       (unsigned long)(info[i].mzi_cur_size / 1024),
		       (unsigned long)(info[i].mzi_max_size / 1024));
	printf("%u zones\n", nn);
	vm_deallocate(mach_task_self(), (vm_address_t)names, nn * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)info, ni * sizeof(*info));
	return 0;
}

/* Throw away interrupts that came while no program ran. */
static void drain_intr(void)
{
	union {
		mach_msg_header_t head;
		char buf[256];
	} m;

	while (mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), intr_port, 0,
			MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		;
}

/*
 * Start path with args (ns_exec) and wait for the task's end: its port
 * becomes a dead name, notified to intr_port, where ^C arrives too.
 */
static int run_program(const char *path, const char *args, bool quiet)
{
	ns_name_t p;
	ns_args_t a;
	mach_port_t task, prev;
	union {
		mach_msg_header_t head;
		char buf[256];
	} m;
	kern_return_t kr;

	strlcpy(p, path, sizeof(p));
	strlcpy(a, args, sizeof(a));
	drain_intr();
	kr = ns_exec(ns_port, p, a, &task);
	if (kr != KERN_SUCCESS) {
		if (!quiet || kr != KERN_INVALID_NAME)
			printf("run: %s: %s (%#x)\n", path, kr == KERN_INVALID_NAME ?
			       "no such program" : "cannot start it", kr);
		return -1;
	}
	kr = mach_port_request_notification(mach_task_self(), task, MACH_NOTIFY_DEAD_NAME, 1,
					    intr_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	while (kr == KERN_SUCCESS) {
		if (mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), intr_port,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			break;
		if (m.head.msgh_id == MACH_NOTIFY_DEAD_NAME) {
			/* The notification's reference to the dead name. */
			mach_port_deallocate(mach_task_self(), task);
			break;
		}
		if (m.head.msgh_id == NS_INTR_MSG_ID) {
			printf("run: %s interrupted\n", path);
			task_terminate(task);
		}
	}
	mach_port_deallocate(mach_task_self(), task);
	return 0;
}

/* The rest of the line after the first word, for run. */
static char *rest_args;

static int cmd_run(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: run <program> [args]\n");
		return 1;
	}
	return run_program(argv[1], rest_args, false) < 0;
}

/* /bin/ktest (user/bin/ktest) runs the user-mode tests and benchmarks. */
#define KTEST_PROGRAM	"/bin/ktest"

static int run_ktest(const char *what, const char *mode)
{
	int ret = run_program(KTEST_PROGRAM, mode, true);

	if (ret < 0)
		printf("%s: no %s in the RAM disk\n", what, KTEST_PROGRAM);
	return ret != 0;
}

static int cmd_test(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		/* test SUITE: the one suite */
		char args[NS_ARGS_MAX];

		snprintf(args, sizeof(args), "tests %s", argv[1]);
		return run_ktest("test", args);
	}
	return run_ktest("test", "tests");
}

static int cmd_bench(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return run_ktest("bench", "bench");
}

static int cmd_poweroff(int argc, char **argv)
{
	kern_return_t kr;

	(void)argc;
	(void)argv;
	printf("sh: powering off\n");
	fflush_stdout();
	kr = host_reboot(host_priv, HOST_REBOOT_HALT);
	printf("poweroff: host_reboot: %#x\n", kr);
	return 1;
}

static const struct command commands[] = {
	{ "help", "this list", cmd_help },
	{ "ps", "tasks and threads", cmd_ps },
	{ "ports [N]", "names and rights of task N of ps (default: sh)", cmd_ports },
	{ "vmstat", "virtual memory statistics", cmd_vmstat },
	{ "zones", "the kernel's zones", cmd_zones },
	{ "run <program> [args]", "start a program of the RAM disk, wait for it (^C stops it)",
	  cmd_run },
	{ "test [suite]", "run the user-mode tests (/bin/ktest tests)", cmd_test },
	{ "bench", "run the user-mode benchmarks (/bin/ktest bench)", cmd_bench },
	{ "poweroff", "halt the machine", cmd_poweroff },
	{ NULL, NULL, NULL },
};

/* The words of line (cut in place) in argv; NULL after the last. */
static int split(char *line, char **argv)
{
	int argc = 0;

	while (*line && argc < ARGS_MAX - 1) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			break;
		argv[argc++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
		if (*line)
			*line++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

/* The text after the first two words of line (run's arguments). */
static char *after_two_words(char *line)
{
	int w;

	for (w = 0; w < 2; w++) {
		while (*line == ' ' || *line == '\t')
			line++;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

static void execute(char *line)
{
	static char whole[IO_INBAND_MAX + 1];
	char *argv[ARGS_MAX];
	const struct command *c;
	size_t n;
	int argc;

	strlcpy(whole, line, sizeof(whole));
	rest_args = after_two_words(whole);
	argc = split(line, argv);
	if (!argc)
		return;
	for (c = commands; c->name; c++) {
		n = strcspn(c->name, " ");
		if (strlen(argv[0]) == n && !strncmp(c->name, argv[0], n)) {
			c->fn(argc, argv);
			return;
		}
	}
	printf("sh: %s: unknown command (try help)\n", argv[0]);
}

static int setup(void)
{
	ns_name_t name;
	mach_port_t console;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &ns_port) != KERN_SUCCESS)
		return -1;
	console = ns_wait(NS_NAME_CONSOLE);
	if (console == MACH_PORT_NULL || console_open(console) < 0)
		return -1;
	mach_port_deallocate(mach_task_self(), console);
	host = mach_host_self();
	host_priv = ns_wait(NS_NAME_HOST_PRIV);
	if (host_priv == MACH_PORT_NULL)
		printf("sh: no privileged host port: ps, ports N, zones and poweroff will not work\n");
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &intr_port) ==
	    KERN_SUCCESS &&
	    mach_port_insert_right(mach_task_self(), intr_port, intr_port,
				   MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS) {
		strlcpy(name, NS_NAME_SHELL_INTR, sizeof(name));
		ns_register(ns_port, name, intr_port);
	}
	return 0;
}

int main(void)
{
	char line[IO_INBAND_MAX + 1];
	int n;

	if (setup() < 0)
		return 1;
	printf("MachLine shell: type help\n");
	for (;;) {
		printf("machline> ");
		fflush_stdout();
		n = console_read(line, sizeof(line) - 1);
		if (n < 0) {
			printf("sh: the console cannot be read\n");
			return 1;
		}
		line[n] = '\0';
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		execute(line);
	}
}

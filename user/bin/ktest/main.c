// SPDX-License-Identifier: MIT
/*
 * /bin/ktest: the user-mode tests, the hostile task and the user
 * benchmarks, started by the kernel's "user" ktest suite or by `make
 * bench` (<mach/ktest_user.h>, Documentation/dev-tools/ktest.rst).
 *
 *	ktest tests [SUITE]	the suites of user/tests, KTAP
 *	ktest hostile [SEED]	random traps and malformed messages
 *	ktest bench		"kbench:" lines
 *
 * The counts go to the kernel in one message on the task's exception port.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/ktest_user.h>
#include "../../tests/utest.h"

/*
 * The console through the device master port the kernel put in our
 * bootstrap port: the registered ports need mach_ports_lookup(), whose
 * out-of-line port array does not reach user space yet (user.rst).
 */
static void ktest_console(void)
{
	mach_port_t dm = MACH_PORT_NULL;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &dm) == KERN_SUCCESS &&
	    dm != MACH_PORT_NULL) {
		console_open(dm);
		mach_port_deallocate(mach_task_self(), dm);
	}
}

static void ktest_report(unsigned int passed, unsigned int failed, unsigned int skipped)
{
	struct ktest_user_result r;
	mach_port_t port = MACH_PORT_NULL;

	fflush_stdout();
	if (task_get_special_port(mach_task_self(), TASK_EXCEPTION_PORT, &port) != KERN_SUCCESS)
		return;
	memset(&r, 0, sizeof(r));
	r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	r.head.msgh_size = sizeof(r);
	r.head.msgh_remote_port = port;
	r.head.msgh_id = KTEST_USER_RESULT_ID;
	r.magic = KTEST_USER_MAGIC;
	r.passed = passed;
	r.failed = failed;
	r.skipped = skipped;
	mach_msg(&r.head, MACH_SEND_MSG, sizeof(r), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "tests";
	unsigned int passed = 0, failed = 0, skipped = 0;

	ktest_console();
	if (!strcmp(mode, "tests")) {
		utest_run_all(argc > 2 ? argv[2] : NULL, &passed, &failed, &skipped);
	} else if (!strcmp(mode, "hostile")) {
		utest_hostile(argc > 2 ? strtoul(argv[2], NULL, 0) : mach_absolute_time(),
			      &passed, &failed);
	} else if (!strcmp(mode, "bench")) {
		failed = utest_bench(argc > 2 ? argv[2] : NULL,
				     argc > 3 ? strtoul(argv[3], NULL, 0) : 0) != 0;
		passed = !failed;
	} else {
		printf("ktest: unknown mode %s\n", mode);
		failed = 1;
	}
	ktest_report(passed, failed, skipped);
	return failed ? 1 : 0;
}

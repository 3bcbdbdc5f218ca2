/* SPDX-License-Identifier: MIT */
/*
 * The contract between the kernel's "user" ktest suite (kernel/ktest_user.c)
 * and the user-mode test program it starts (/bin/ktest, user/bin/ktest):
 * Documentation/dev-tools/ktest.rst, "User-mode tests".
 *
 * The kernel starts KTEST_USER_PATH in a task of its own with the start
 * block of <mach/bootstrap_abi.h>; argv[1] names what to run:
 *
 *	tests	the test suites, KTAP at KTEST_USER_DEPTH
 *	hostile	the hostile task (random traps and malformed messages)
 *	bench	the user benchmarks ("kbench:" lines)
 *
 * argv[2], if any, is a decimal seed (hostile) or a filter glob (tests).
 *
 * Its ports: TASK_EXCEPTION_PORT is a kernel port on which the kernel
 * catches an unhandled exception (the program failed) and the result
 * message below; TASK_BOOTSTRAP_PORT is a send right to the device master
 * port, for the console (the registered ports need mach_ports_lookup(),
 * whose out-of-line port array does not reach user space yet).
 *
 * Before it exits, the program sends one ktest_user_result message to its
 * exception port: the number of leaf results it printed that passed,
 * failed and were skipped. No message (a crash, a hang) fails the case.
 */
#ifndef _MACH_KTEST_USER_H
#define _MACH_KTEST_USER_H

#include <mach/message.h>

#define KTEST_USER_PATH		"/bin/ktest"
#define KTEST_USER_RESULT_ID	0x6b740001	/* 'kt' 1 */
#define KTEST_USER_MAGIC	0x6b747573U	/* 'ktus' */
/* The program's KTAP lines nest at this depth (two spaces each). */
#define KTEST_USER_DEPTH	2

struct ktest_user_result {
	mach_msg_header_t	head;
	natural_t		magic;
	natural_t		passed;
	natural_t		failed;
	natural_t		skipped;
};

#endif /* _MACH_KTEST_USER_H */

/* SPDX-License-Identifier: MIT */
/*
 * /bin/ktest (<mach/ktest_user.h>) started from the kernel, for the user
 * suite (kernel/ktest_user.c) and the user benchmarks (kernel/user_bench.c):
 * the program in a task of its own, its exception port a kernel port on
 * which its end is caught (the result message, or an exception).
 */
#ifndef _KERNEL_USER_PROGRAM_H
#define _KERNEL_USER_PROGRAM_H

#include <kern/cpio.h>
#include <kern/elf.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <kernel/device.h>
#include <mach/ktest_user.h>

#include "exception_test_util.h"

struct user_program {
	task_t		task;
	ipc_port_t	exc;		/* the task's exception port: ours */
	struct thread	*th;		/* its first thread (a reference) */
};

/*
 * Load `file` into a new task with argv, its first thread made but not
 * running (user_program_start() runs it; a caller that gives the task more
 * ports does so first). Its bootstrap port is the device master port (the
 * console; see <mach/ktest_user.h>).
 * On failure, what was made stays in *p for user_program_end().
 */
static inline kern_return_t user_program_load(struct user_program *p,
					      const struct cpio_file *file,
					      const char *const *argv, unsigned int argc)
{
	struct elf_image img;
	vm_offset_t sp;
	ipc_port_t dm;
	kern_return_t kr;

	memset(p, 0, sizeof(*p));
	kr = task_create(kernel_task, false, &p->task);
	if (kr != KERN_SUCCESS)
		return kr;
	p->exc = exc_test_port_for_task(p->task);
	if (!p->exc)
		return KERN_RESOURCE_SHORTAGE;
	dm = device_master_port_make_send();
	if (!IP_VALID(dm))
		return KERN_RESOURCE_SHORTAGE;
	kr = task_set_special_port(p->task, TASK_BOOTSTRAP_PORT, (mach_port_t)dm);
	if (kr != KERN_SUCCESS) {
		ipc_port_release_send(dm);
		return kr;
	}
	kr = elf_load(p->task->map, file->data, file->size, &img);
	if (kr == KERN_SUCCESS)
		kr = elf_load_start_block(p->task->map, argv, argc, NULL, 0, &sp);
	if (kr == KERN_SUCCESS)
		kr = thread_create_user(p->task, img.entry, sp, sp, &p->th);
	return kr;
}

/* user_program_load(), then its thread runs. */
static inline kern_return_t user_program_start(struct user_program *p,
					       const struct cpio_file *file,
					       const char *const *argv, unsigned int argc)
{
	kern_return_t kr = user_program_load(p, file, argv, argc);

	if (kr == KERN_SUCCESS)
		thread_resume(p->th);
	return kr;
}

enum user_program_end {
	USER_PROGRAM_RESULT,		/* *res holds its result */
	USER_PROGRAM_TIMEOUT,		/* nothing came */
	USER_PROGRAM_EXCEPTION,		/* *exception, code[]: it (or a child) crashed */
	USER_PROGRAM_STRAY,		/* another message: *exception is its id */
};

/* Wait up to ms for the program's end. */
static inline enum user_program_end user_program_wait(struct user_program *p, unsigned int ms,
						      struct ktest_user_result *res,
						      int *exception, long code[2])
{
	enum user_program_end end = USER_PROGRAM_STRAY;
	struct exc_test_msg m;
	mach_msg_header_t *h;

	if (!exc_test_receive(p->exc, ms, &m))
		return USER_PROGRAM_TIMEOUT;
	h = m.kmsg->ikm_header;
	*exception = m.exception;
	code[0] = (long)m.code[0];
	code[1] = (long)m.code[1];
	if (m.exception >= 0) {
		end = USER_PROGRAM_EXCEPTION;
	} else if (h->msgh_id == KTEST_USER_RESULT_ID && h->msgh_size >= sizeof(*res)) {
		memcpy(res, h, sizeof(*res));
		if (res->magic == KTEST_USER_MAGIC)
			end = USER_PROGRAM_RESULT;
	} else {
		*exception = h->msgh_id;
	}
	exc_test_done(&m, false, KERN_FAILURE);
	return end;
}

/* Terminate the task (it may have ended already) and drop everything. */
static inline kern_return_t user_program_end(struct user_program *p)
{
	kern_return_t kr = KERN_SUCCESS;

	if (p->task) {
		kr = task_terminate(p->task);
		if (kr == KERN_TERMINATED)
			kr = KERN_SUCCESS;
	}
	if (p->th) {
		if (thread_join(p->th) != THREAD_AWAKENED)
			kr = KERN_FAILURE;
		thread_deallocate(p->th);
	}
	if (p->exc)
		ipc_port_dealloc_kernel(p->exc);
	if (p->task)
		task_deallocate(p->task);
	memset(p, 0, sizeof(*p));
	return kr;
}

#endif /* _KERNEL_USER_PROGRAM_H */

// SPDX-License-Identifier: MIT
/*
 * Benchmarks of user mode (CONFIG_KBENCH, see <kbench.h>), each a user
 * thread of a fresh task running a small loop (the programs below):
 *
 *   user_null_trap        one Mach trap round trip from user space: a trap
 *                         number with no trap (the table's kern_invalid,
 *                         KERN_INVALID_ARGUMENT), entry to exit through
 *                         the fast path of entry.S (Documentation/traps.rst)
 *   user_exception_rt     one exception round trip to a handler: the user
 *                         thread's undefined instruction becomes
 *                         exception_raise to its task's exception port; the
 *                         handler (the benchmark's thread) reads the thread
 *                         state, steps the pc past it, sets the state and
 *                         answers KERN_SUCCESS; the thread goes on
 *
 * Each run creates the task and its thread and terminates it at the end:
 * that fixed cost (tens of thousands of instructions) is spread over the
 * iterations.
 */
#include <kern/copyio.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/usermode.h>
#include <kern/vm_map.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kernel/ipc_tt.h>
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include <kbench.h>

#include "exception_test_util.h"

#define UB_CODE		0x10000000UL
#define UB_STACK_TOP	(UB_CODE + 0x20000)
#define UB_WAIT_MS	600000

/*
 * The programs, position independent, iterations in the first argument
 * register: ub_null loops on trap -1 and ends with a breakpoint;
 * ub_exc loops on an undefined instruction (x86_64 ud2, 2 bytes; arm64
 * udf, 4 bytes) that its handler steps over.
 */
#ifdef CONFIG_ARCH_X86_64
#define UB_UNDEF_LEN	2
__asm__(".section .rodata\n"
	"ub_null: movq %rdi, %rbx\n"
	"1: movq $-1, %rax\n"
	"   syscall\n"
	"   decq %rbx\n"
	"   jnz 1b\n"
	"   int3\n"
	"ub_null_end:\n"
	"ub_exc: movq %rdi, %rbx\n"
	"1: ud2\n"
	"   decq %rbx\n"
	"   jnz 1b\n"
	"   int3\n"
	"ub_exc_end:\n"
	".previous\n");
#else
#define UB_UNDEF_LEN	4
__asm__(".section .rodata\n"
	"ub_null: mov x19, x0\n"
	"1: mov x16, #-1\n"
	"   svc #0x80\n"
	"   subs x19, x19, #1\n"
	"   b.ne 1b\n"
	"   brk #0\n"
	"ub_null_end:\n"
	"ub_exc: mov x19, x0\n"
	"1: .inst 0x00000000\n"
	"   subs x19, x19, #1\n"
	"   b.ne 1b\n"
	"   brk #0\n"
	"ub_exc_end:\n"
	".previous\n");
#endif

extern const char ub_null[], ub_null_end[], ub_exc[], ub_exc_end[];

struct ub_run {
	task_t		task;
	thread_t	thread;
	ipc_port_t	exc_port;
};

/* A task running code with arg in its first argument register; its exception port. */
static bool ub_start(struct ub_run *r, const char *code, const char *end, unsigned long arg)
{
	vm_offset_t a = UB_CODE;
	vm_map_t old;
	kern_return_t kr;

	memset(r, 0, sizeof(*r));
	if (task_create(kernel_task, false, &r->task) != KERN_SUCCESS)
		return false;
	kr = vm_map_allocate(r->task->map, &a, UB_STACK_TOP - UB_CODE, false);
	old = vm_map_switch(r->task->map);
	if (kr == KERN_SUCCESS)
		kr = copyout(code, (void __user *)UB_CODE, (vm_size_t)(end - code));
	vm_map_switch(old);
	if (kr == KERN_SUCCESS)
		kr = vm_map_protect(r->task->map, UB_CODE, UB_CODE + PAGE_SIZE,
				    VM_PROT_READ | VM_PROT_EXECUTE, false);
	r->exc_port = ipc_port_alloc_kernel();
	if (kr != KERN_SUCCESS || !r->exc_port ||
	    task_set_special_port(r->task, TASK_EXCEPTION_PORT,
				  (mach_port_t)ipc_port_make_send(r->exc_port)) != KERN_SUCCESS ||
	    thread_create_user(r->task, UB_CODE, UB_STACK_TOP, arg, &r->thread) != KERN_SUCCESS)
		return false;
	thread_resume(r->thread);
	return true;
}

static void ub_stop(struct ub_run *r)
{
	if (r->task)
		task_terminate(r->task);
	if (r->thread) {
		thread_join(r->thread);
		thread_deallocate(r->thread);
	}
	if (r->exc_port)
		ipc_port_dealloc_kernel(r->exc_port);
	if (r->task)
		task_deallocate(r->task);
}

/* The program's end: its final breakpoint, or it went wrong (said, so the figure is not believed). */
static void ub_end(struct exc_test_msg *m)
{
	if (m->exception != EXC_BREAKPOINT)
		printk(KERN_WARNING "usermode_bench: the program ended with exception %d (%#x, %#x)\n",
		       m->exception, m->code[0], m->code[1]);
	exc_test_done(m, false, KERN_FAILURE);
}

static void user_null_trap_run(void *ctx, unsigned long iters)
{
	struct exc_test_msg m;
	struct ub_run r;

	(void)ctx;
	if (ub_start(&r, ub_null, ub_null_end, iters) && exc_test_receive(r.exc_port, UB_WAIT_MS, &m))
		ub_end(&m);
	ub_stop(&r);
}
KBENCH(user_null_trap, 100000, NULL, user_null_trap_run, NULL);

/* The handler's work: state in, pc past the instruction, state out, answer. */
static void ub_handle(struct exc_test_msg *m)
{
	natural_t state[MACHINE_THREAD_STATE_COUNT];
	mach_msg_type_number_t n = MACHINE_THREAD_STATE_COUNT;

	if (m->thread &&
	    thread_user_state_get(m->thread, MACHINE_THREAD_STATE, state, &n) == KERN_SUCCESS) {
#ifdef CONFIG_ARCH_X86_64
		((x86_thread_state64_t *)(void *)state)->rip += UB_UNDEF_LEN;
#else
		((arm_thread_state64_t *)(void *)state)->pc += UB_UNDEF_LEN;
#endif
		thread_user_state_set(m->thread, MACHINE_THREAD_STATE, state, n);
	}
	exc_test_done(m, true, KERN_SUCCESS);
}

static void user_exception_rt_run(void *ctx, unsigned long iters)
{
	struct exc_test_msg m;
	struct ub_run r;
	unsigned long i;

	(void)ctx;
	if (ub_start(&r, ub_exc, ub_exc_end, iters)) {
		for (i = 0; i < iters && exc_test_receive(r.exc_port, UB_WAIT_MS, &m); i++)
			ub_handle(&m);
		if (exc_test_receive(r.exc_port, UB_WAIT_MS, &m))
			ub_end(&m);
	}
	ub_stop(&r);
}
KBENCH(user_exception_rt, 10000, NULL, user_exception_rt_run, NULL);

// SPDX-License-Identifier: MIT
/*
 * The hostile task: a child task (our code, inherited) fires random traps
 * with random arguments and random malformed messages (headers, names,
 * dispositions, descriptors, sizes, pointers) for a bounded time; seeded,
 * the seed printed. Every call must return: the child writes what it is
 * about to call and how many calls returned into a page shared with us,
 * and a stall fails. Then we terminate it; the kernel's case checks its
 * counts (zones, ports, pages) once this program has ended.
 *
 * Calls that could wait for good are bounded, not avoided: receives and
 * sends always carry a timeout, semaphore waits are timed, thread_switch
 * waits a few milliseconds. The kernelrpc traps get random names (its own
 * task's among them), pointers and sizes; vm_deallocate and vm_protect,
 * which would end the child on its own code or stack, get ranges in a
 * sandbox region of its own, or ranges no map has (kernel, overflowing).
 */
#include <mach/syscall_sw.h>
#include "utest.h"

#define HOSTILE_MS		3000	/* the bounded time */
#define HOSTILE_STALL_MS	1000	/* no call returned for this long: a hang */
#define HOSTILE_SANDBOX		(16 * 4096)	/* the VM traps' own region */

struct hostile_shared {
	volatile uint64_t	calls;		/* returned */
	volatile long		trap;		/* being called */
	volatile uint64_t	arg[4];
	volatile int		done;
	uint64_t		seed;
	uint64_t		deadline;	/* mach_absolute_time() */
};

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545F4914F6CDD1DULL;
}

/* A name: mostly ones we hold, sometimes anything. */
static mach_port_name_t hostile_name(const mach_port_name_t *names, unsigned int n)
{
	switch (rnd() % 4) {
	case 0:
		return (mach_port_name_t)rnd();
	case 1:
		return (mach_port_name_t)(rnd() % 0x800);
	default:
		return names[rnd() % n];
	}
}

/* A size: small, a few pages, or anything. */
static unsigned long hostile_size(void)
{
	switch (rnd() % 3) {
	case 0:
		return rnd() % 64;
	case 1:
		return rnd() % (4 * 4096);
	default:
		return rnd();
	}
}

/*
 * A range for vm_deallocate / vm_protect: inside the sandbox, or one that
 * no user map holds (the kernel's half, wrapping around, empty).
 */
static void hostile_vm_range(unsigned long sandbox, unsigned long *addr, unsigned long *size)
{
	unsigned long off = rnd() % HOSTILE_SANDBOX;

	switch (rnd() % 5) {
	case 0:
		*addr = 0xffff800000000000UL + (rnd() & 0xffffff);
		*size = hostile_size();
		break;
	case 1:
		*addr = sandbox + off;
		*size = -(sandbox + off) + (rnd() % 0x3000);
		break;
	case 2:
		*addr = sandbox + off;
		*size = 0;
		break;
	default:
		*addr = sandbox + off;
		*size = rnd() % (HOSTILE_SANDBOX - off) + 1;
		break;
	}
}

/* Where a trap may write its result: in buf (512 bytes), or where it must refuse to. */
static unsigned long hostile_out_ptr(uint8_t *buf)
{
	switch (rnd() % 4) {
	case 0:
		return 0;
	case 1:
		return 0xffff800000001000UL + (rnd() & 0xffff);
	default:
		return (unsigned long)buf + rnd() % (512 - 8);
	}
}

/* A pointer: ours, past our end, the kernel's, NULL, or unaligned. */
static unsigned long hostile_ptr(void *buf)
{
	switch (rnd() % 6) {
	case 0:
		return 0;
	case 1:
		return 0xffff800000001000UL + (rnd() & 0xffff);
	case 2:
		return rnd();
	case 3:
		return (unsigned long)buf + (rnd() & 0xfff);
	default:
		return (unsigned long)buf;
	}
}

static void hostile_msg(struct hostile_shared *sh, const mach_port_name_t *names, unsigned int n,
			uint8_t *buf)
{
	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	mach_msg_option_t opt;
	unsigned int i, size;

	for (i = 0; i < 256; i += 8)
		*(uint64_t *)(buf + i) = rnd();
	h->msgh_bits = (mach_msg_bits_t)rnd() & (MACH_MSGH_BITS_COMPLEX | 0x1f1f);
	h->msgh_remote_port = hostile_name(names, n);
	h->msgh_local_port = hostile_name(names, n);
	/* Away from the kernel's routines: a message must not end our own task. */
	h->msgh_id = (mach_msg_id_t)(rnd() % 2000);
	size = rnd() % 3 ? (unsigned int)(rnd() % 256) & ~3U : (unsigned int)rnd();
	h->msgh_size = rnd() % 4 ? size : (unsigned int)rnd();
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_body_t *b = (mach_msg_body_t *)(h + 1);

		b->msgh_descriptor_count = rnd() % 6;
	}
	opt = (mach_msg_option_t)(rnd() & (MACH_SEND_MSG | MACH_RCV_MSG | 0x1ff0)) |
	      MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT;
	sh->trap = MACH_MSG_TRAP;
	sh->arg[0] = (uint64_t)opt;
	sh->arg[1] = h->msgh_size;
	mach_msg_trap(rnd() % 8 ? h : (mach_msg_header_t *)hostile_ptr(buf), opt, size,
		      (mach_msg_size_t)(rnd() % 2 ? 256 : rnd()), hostile_name(names, n),
		      (mach_msg_timeout_t)(rnd() % 3), MACH_PORT_NULL);
}

static void hostile_trap(struct hostile_shared *sh, const mach_port_name_t *names, unsigned int n,
			 uint8_t *buf, unsigned long sandbox)
{
	long nr = -(long)(rnd() % 48) - (rnd() % 16 ? 0 : 1000);
	unsigned long a[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		a[i] = rnd() % 2 ? hostile_name(names, n) : hostile_ptr(buf);
	switch (nr) {
	case MACH_MSG_TRAP:
	case MACH_MSG_OVERWRITE_TRAP:
		hostile_msg(sh, names, n, buf);
		return;
	case SEMAPHORE_WAIT_TRAP:
	case SEMAPHORE_WAIT_SIGNAL_TRAP:
		nr = SEMAPHORE_TIMEDWAIT_TRAP;
		/* fall through */
	case SEMAPHORE_TIMEDWAIT_TRAP:
		a[1] = 0;
		a[2] = rnd() % 2000000;
		break;
	case SEMAPHORE_TIMEDWAIT_SIGNAL_TRAP:
		a[2] = 0;
		a[3] = rnd() % 2000000;
		break;
	case THREAD_SWITCH_TRAP:
		a[1] = rnd() % 4;
		a[2] = rnd() % 3;
		break;
	case KERNELRPC_VM_ALLOCATE_TRAP:
	case KERNELRPC_VM_MAP_TRAP:
		/* Fixed placements never replace a mapping: any address will do. */
		a[1] = hostile_out_ptr(buf);
		a[2] = hostile_size();
		a[3] = rnd() % 4 ? rnd() & 0xfff : rnd();	/* vm_map's mask */
		a[nr == KERNELRPC_VM_MAP_TRAP ? 4 : 3] = rnd() % 3 ? KERNELRPC_VM_FLAGS_ANYWHERE :
								   (unsigned long)rnd();
		a[5] = rnd() % 8;
		break;
	case KERNELRPC_VM_DEALLOCATE_TRAP:
	case KERNELRPC_VM_PROTECT_TRAP:
		hostile_vm_range(sandbox, &a[1], &a[2]);
		a[3] = rnd() % 2;
		a[4] = rnd() % 8;
		break;
	case KERNELRPC_MACH_PORT_ALLOCATE_TRAP:
	case KERNELRPC_MACH_PORT_MOD_REFS_TRAP:
	case KERNELRPC_MACH_PORT_INSERT_RIGHT_TRAP:
		/* Rights, deltas and dispositions mostly near the valid ones. */
		if (nr != KERNELRPC_MACH_PORT_INSERT_RIGHT_TRAP)
			a[nr == KERNELRPC_MACH_PORT_ALLOCATE_TRAP ? 1 : 2] = rnd() % 6;
		if (nr == KERNELRPC_MACH_PORT_ALLOCATE_TRAP)
			a[2] = hostile_out_ptr(buf);
		if (nr == KERNELRPC_MACH_PORT_MOD_REFS_TRAP)
			a[3] = (unsigned long)(long)(int)(rnd() % 5) - 2;
		if (nr == KERNELRPC_MACH_PORT_INSERT_RIGHT_TRAP) {
			a[2] = hostile_name(names, n);
			a[3] = rnd() % 2 ? 16 + rnd() % 6 : rnd();
		}
		break;
	default:
		break;
	}
	sh->trap = nr;
	for (i = 0; i < 4; i++)
		sh->arg[i] = a[i];
	mach_trap_inline(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* The child: only traps (utest_child_park()). */
static void hostile_child(unsigned long p)
{
	struct hostile_shared *sh = (struct hostile_shared *)p;
	mach_port_name_t names[8];
	uint8_t buf[512] __attribute__((aligned(16)));
	vm_address_t sandbox = 0;
	unsigned int n = 0;

	rnd_state = sh->seed | 1;
	names[n++] = task_self_trap();
	names[n++] = thread_self_trap();
	names[n++] = host_self_trap();
	names[n++] = mach_reply_port();
	names[n++] = mach_reply_port();
	names[n++] = MACH_PORT_NULL;
	names[n++] = MACH_PORT_DEAD;
	_kernelrpc_vm_allocate_trap(names[0], &sandbox, HOSTILE_SANDBOX, KERNELRPC_VM_FLAGS_ANYWHERE);
	while (mach_absolute_time() < sh->deadline) {
		if (rnd() % 2)
			hostile_msg(sh, names, n, buf);
		else
			hostile_trap(sh, names, n, buf, sandbox);
		sh->calls++;
	}
	sh->done = 1;
	utest_child_park();
}

int utest_hostile(unsigned long seed, unsigned int *passed, unsigned int *failed)
{
	struct utest t = { .name = "hostile" };
	struct hostile_shared *sh;
	int before = utest_count_names();	/* before e */
	mach_port_t child = MACH_PORT_NULL, th = MACH_PORT_NULL, e = utest_port();
	vm_address_t page = 0, stack;
	uint64_t last = 0, last_t, now;
	struct utest_msg m;
	bool stalled = false, crashed = false;

	utest_ktap(0, "KTAP version 1");
	utest_ktap(0, "# Subtest: ktest_user_hostile");
	utest_ktap(0, "1..3");
	utest_ktap(0, "# hostile: seed %lu, %u ms", seed, HOSTILE_MS);
	if (e == MACH_PORT_NULL || vm_allocate(mach_task_self(), &page, 4096, TRUE) != KERN_SUCCESS ||
	    vm_inherit(mach_task_self(), page, 4096, VM_INHERIT_SHARE) != KERN_SUCCESS ||
	    task_create(mach_task_self(), TRUE, &child) != KERN_SUCCESS) {
		utest_ktap(0, "# hostile: cannot set up the child");
		utest_ktap(0, "not ok 1 calls_return");
		utest_ktap(0, "not ok 2 no_exception");
		utest_ktap(0, "not ok 3 names_back");
		*failed += 3;
		return -1;
	}
	sh = (struct hostile_shared *)page;
	sh->seed = seed;
	sh->deadline = mach_absolute_time() + HOSTILE_MS * 1000000ULL;
	/* Its exceptions come to us: a crash of the child is seen, not fatal. */
	task_set_special_port(child, TASK_EXCEPTION_PORT, e);
	if (utest_thread_start(child, hostile_child, page, &th, &stack) != KERN_SUCCESS)
		UT_EXPECT(&t, !"the child's thread started");
	last_t = mach_absolute_time();
	while (!sh->done && !t.failed) {
		if (utest_receive(e, &m, 100) == MACH_MSG_SUCCESS) {
			utest_ktap(0, "# hostile: the child took exception message %d after %lu calls",
				   m.head.msgh_id, (unsigned long)sh->calls);
			crashed = true;
			break;
		}
		now = mach_absolute_time();
		if (sh->calls != last) {
			last = sh->calls;
			last_t = now;
		} else if (now - last_t > HOSTILE_STALL_MS * 1000000ULL) {
			utest_ktap(0, "# hostile: trap %ld (%#lx %#lx %#lx %#lx) did not return",
				   sh->trap, (unsigned long)sh->arg[0], (unsigned long)sh->arg[1],
				   (unsigned long)sh->arg[2], (unsigned long)sh->arg[3]);
			stalled = true;
			break;
		}
	}
	utest_ktap(0, "# hostile: %lu calls", (unsigned long)sh->calls);
	task_terminate(child);
	mach_port_deallocate(mach_task_self(), th);
	mach_port_deallocate(mach_task_self(), child);
	/* A crash message holds rights: they go with the port. */
	utest_port_destroy(e);
	vm_deallocate(mach_task_self(), page, 4096);

	utest_ktap(0, "%s 1 calls_return", stalled ? "not ok" : "ok");
	utest_ktap(0, "%s 2 no_exception", crashed ? "not ok" : "ok");
	utest_ktap(0, "%s 3 names_back", utest_count_names() == before ? "ok" : "not ok");
	*failed += stalled + crashed + (utest_count_names() != before);
	*passed += 3 - (stalled + crashed + (utest_count_names() != before));
	return 0;
}

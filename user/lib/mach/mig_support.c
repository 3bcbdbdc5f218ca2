// SPDX-License-Identifier: MIT
/*
 * The runtime MIG's client stubs call (<mach/mig.h>).
 *
 * A stub sends its request with a send-once right made from the reply port
 * mig_get_reply_port() gives, and receives the answer there. The port is
 * kept between calls; a stub that got no answer (or an answer it could not
 * trust) throws it away with mig_dealloc_reply_port(), and the next call
 * makes a new one.
 *
 * One reply port per thread, so that threads make MIG calls at the same
 * time without taking each other's replies. The port's name lives in a
 * slot of the running thread's own, found in one of three ways:
 *
 * - a thread package (cthreads) keeps one in each of its threads' blocks
 *   and hands us, once, the function that finds the running thread's
 *   (mig_reply_port_slot_init()); the package destroys a thread's port
 *   when the thread ends;
 * - until it does, the first thread's slot is in mig_main_block, which
 *   mach_init() makes that thread's thread pointer;
 * - any other thread (a bare thread_create(): no thread pointer, or one
 *   the package does not know) gets a slot in mig_raw[], found by its
 *   thread port's name, on its first call. The table holds a reference to
 *   that name, so it stays the thread's; once the thread is gone it is a
 *   dead name, and mig_reply_port_reap() (or a full table) frees the slot
 *   and destroys the port.
 */
#include <stdbool.h>
#include <stddef.h>
#include <mach/mach.h>
#include "mach_internal.h"

/* The first thread's thread-pointer block (<mach/mach_init.h>), before a package. */
static struct {
	mach_port_t	reply_port;
} mig_main_block;

static mach_port_t *(*mig_reply_slot)(void);

/* The slots of threads no package knows, by thread port name. */
#define MIG_RAW_THREADS	32

static struct {
	mach_port_t	thread;		/* a send right (one reference) or dead name */
	mach_port_t	reply_port;
} mig_raw[MIG_RAW_THREADS];
static int mig_raw_lock;

static void mig_raw_lock_take(void)
{
	while (__atomic_exchange_n(&mig_raw_lock, 1, __ATOMIC_ACQUIRE))
		swtch_pri(0);
}

static void mig_raw_lock_give(void)
{
	__atomic_store_n(&mig_raw_lock, 0, __ATOMIC_RELEASE);
}

/*
 * Free the slots of threads that are gone (lock held). Traps only
 * (mach_port_mod_refs and mach_port_deallocate have kernelrpc traps): a
 * MIG call here would look for this thread's slot again.
 */
static unsigned int mig_raw_reap_locked(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MIG_RAW_THREADS; i++) {
		mach_port_t thread = mig_raw[i].thread;

		/* Zero dead-name references asked of a name: it is a dead name. */
		if (thread == MACH_PORT_NULL ||
		    mach_port_mod_refs(mach_task_self(), thread, MACH_PORT_RIGHT_DEAD_NAME, 0) !=
		    KERN_SUCCESS)
			continue;
		if (mig_raw[i].reply_port != MACH_PORT_NULL)
			mach_port_mod_refs(mach_task_self(), mig_raw[i].reply_port,
					   MACH_PORT_RIGHT_RECEIVE, -1);
		mach_port_deallocate(mach_task_self(), thread);
		mig_raw[i].thread = MACH_PORT_NULL;
		mig_raw[i].reply_port = MACH_PORT_NULL;
		n++;
	}
	return n;
}

void mig_reply_port_reap(void)
{
	mig_raw_lock_take();
	mig_raw_reap_locked();
	mig_raw_lock_give();
}

static int mig_raw_find(mach_port_t thread)
{
	int i, free = -1;

	for (i = 0; i < MIG_RAW_THREADS; i++) {
		if (mig_raw[i].thread == thread)
			return i;
		if (free < 0 && mig_raw[i].thread == MACH_PORT_NULL)
			free = i;
	}
	if (free < 0 && mig_raw_reap_locked())
		return mig_raw_find(thread);
	if (free >= 0) {
		mig_raw[free].thread = thread;
		mig_raw[free].reply_port = MACH_PORT_NULL;
		return MIG_RAW_THREADS + free;	/* new: keeps the reference */
	}
	return -1;
}

/*
 * The slot of a thread no package knows; NULL if the table is full of
 * live threads (the stub's send then fails: MACH_SEND_INVALID_REPLY). Two
 * traps a call: the thread port's name (a reference the table keeps the
 * first time, gives back after), cheap beside the RPC.
 */
static mach_port_t *mig_raw_slot(void)
{
	mach_port_t thread = thread_self_trap();
	int i;

	if (thread == MACH_PORT_NULL)
		return NULL;
	mig_raw_lock_take();
	i = mig_raw_find(thread);
	mig_raw_lock_give();
	if (i < MIG_RAW_THREADS)
		mach_port_deallocate(mach_task_self(), thread);
	if (i < 0)
		return NULL;
	/* The thread alone uses its slot, and it is not reaped while it lives. */
	return &mig_raw[i % MIG_RAW_THREADS].reply_port;
}

static bool mig_main_tp;	/* the first thread's thread pointer is mig_main_block */

static mach_port_t *mig_main_slot(void)
{
	/* With no thread pointer to tell threads apart, there is one thread. */
	if (!mig_main_tp)
		return &mig_main_block.reply_port;
	return mach_thread_pointer() == &mig_main_block ? &mig_main_block.reply_port : NULL;
}

static inline mach_port_t *mig_reply_port_slot(void)
{
	mach_port_t *slot = mig_reply_slot ? mig_reply_slot() : mig_main_slot();

	return slot ? slot : mig_raw_slot();
}

/* mach_init(): the first thread's block, its thread pointer. */
void mig_main_thread_init(void)
{
	mig_main_tp = mach_set_thread_pointer(&mig_main_block) == KERN_SUCCESS;
}

/*
 * Called by the calling thread, the task's only one, before it starts
 * others: from now on slot() gives the running thread's slot (or NULL);
 * the port made so far becomes the caller's, whose thread pointer the
 * package has set.
 */
void mig_reply_port_slot_init(mach_port_t *(*slot)(void))
{
	mach_port_t port = mig_main_block.reply_port, *mine;

	mig_main_block.reply_port = MACH_PORT_NULL;
	mig_reply_slot = slot;
	mine = slot();
	if (mine)
		*mine = port;
	else if (port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

mach_port_t mig_get_reply_port(void)
{
	mach_port_t *slot = mig_reply_port_slot();

	if (!slot)
		return MACH_PORT_NULL;
	if (*slot == MACH_PORT_NULL)
		*slot = mach_reply_port();
	return *slot;
}

/*
 * The reply port may hold a late reply or a send-once right the server
 * still has: destroy the receive right and start afresh. The slot is
 * cleared first, so that nothing here finds the old port.
 *
 * reply_port is the name the stub's request header holds: the thread's
 * port, or, after a send that gave the request back (MACH_SEND_TIMED_OUT,
 * MACH_SEND_INTERRUPTED: Mach's pseudo-receive), the send-once right the
 * request was to carry, which came back under a name of its own and is a
 * dead name once the port is destroyed: it goes too (as XNU's runtime).
 */
void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t *slot = mig_reply_port_slot();
	mach_port_t port = slot ? *slot : MACH_PORT_NULL;

	if (slot)
		*slot = MACH_PORT_NULL;
	if (port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	if (reply_port != port && reply_port != MACH_PORT_NULL && reply_port != MACH_PORT_DEAD)
		mach_port_deallocate(mach_task_self(), reply_port);
}

/* The stub is done with the port, which stays cached for the next call. */
void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

/*
 * Copy at most len bytes of src, its NUL included, into dest; the copy is
 * always terminated (when len > 0). Returns the length of the copied
 * string, without the NUL.
 */
int mig_strncpy(char *dest, const char *src, int len)
{
	int i;

	if (len <= 0)
		return 0;
	for (i = 0; i < len - 1 && src[i]; i++)
		dest[i] = src[i];
	dest[i] = '\0';
	return i;
}

/* Memory for out-of-line data a server sends back. */
void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(mach_task_self(), addr, size, TRUE) != KERN_SUCCESS)
		*addr = 0;
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	vm_deallocate(mach_task_self(), addr, size);
}

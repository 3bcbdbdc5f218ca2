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
 * slot of the running thread's own: a thread package (cthreads) keeps one
 * in each thread's thread-local block and hands us, once, the function
 * that finds the running thread's (mig_reply_port_slot_init()). Until it
 * does the task has one thread, whose slot is mig_main_reply_port. The
 * package destroys a thread's port when the thread ends.
 */
#include <mach/mach.h>

static mach_port_t mig_main_reply_port = MACH_PORT_NULL;
static mach_port_t *(*mig_reply_slot)(void);

static inline mach_port_t *mig_reply_port_slot(void)
{
	return mig_reply_slot ? mig_reply_slot() : &mig_main_reply_port;
}

/*
 * Called by the calling thread, the task's only one, before it starts
 * others: from now on slot() gives the running thread's slot; the port
 * made so far becomes the caller's.
 */
void mig_reply_port_slot_init(mach_port_t *(*slot)(void))
{
	mach_port_t port = mig_main_reply_port;

	mig_main_reply_port = MACH_PORT_NULL;
	mig_reply_slot = slot;
	*slot() = port;
}

mach_port_t mig_get_reply_port(void)
{
	mach_port_t *slot = mig_reply_port_slot();

	if (*slot == MACH_PORT_NULL)
		*slot = mach_reply_port();
	return *slot;
}

/*
 * The reply port may hold a late reply or a send-once right the server
 * still has: destroy the receive right and start afresh. The slot is
 * cleared first, because mach_port_mod_refs() is a MIG call itself and
 * makes the thread's next reply port.
 */
void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t *slot = mig_reply_port_slot();
	mach_port_t port = *slot;

	(void)reply_port;
	*slot = MACH_PORT_NULL;
	if (port != MACH_PORT_NULL)
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
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

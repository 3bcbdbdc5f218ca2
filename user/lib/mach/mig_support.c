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
 * One reply port per task for now: user programs have one thread until
 * cthreads come, and then this becomes one per thread.
 */
#include <mach/mach.h>

static mach_port_t mig_reply_port = MACH_PORT_NULL;

mach_port_t mig_get_reply_port(void)
{
	if (mig_reply_port == MACH_PORT_NULL)
		mig_reply_port = mach_reply_port();
	return mig_reply_port;
}

/*
 * The reply port may hold a late reply or a send-once right the server
 * still has: destroy the receive right and start afresh. The cache is
 * cleared first, because mach_port_mod_refs() is a MIG call itself and
 * makes its own reply port.
 */
void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t port = mig_reply_port;

	(void)reply_port;
	mig_reply_port = MACH_PORT_NULL;
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

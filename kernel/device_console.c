// SPDX-License-Identifier: MIT
/*
 * The console device, "console" (kernel/device.h, Documentation/boot.rst):
 * device.defs on the board's UART, which is also printk's console.
 *
 * Output goes straight to the consoles (console_write(); not into the
 * printk log). Input: the UART drivers only poll (console_getc()), so a
 * kernel thread, console-in, polls every CONSOLE_POLL_NS while a reader
 * waits and sleeps otherwise (typed bytes wait in the UART's FIFO until
 * somebody reads). Polled bytes go to a ring that readers empty; a
 * carriage return becomes a newline (what a terminal's Enter sends), and
 * nothing is echoed: echo is the reader's business.
 *
 * A read waits interruptibly until the ring holds a byte, then takes
 * what is there up to what it wants. Locking: console_in_lock guards the
 * ring and the reader count; nothing blocks under it.
 */
#include <kern/console.h>
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/printk.h>
#include <kern/sched.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <kernel/device.h>

#define CONSOLE_RING_SIZE	512
#define CONSOLE_POLL_NS		(10 * NSEC_PER_MSEC)

static spinlock_t console_in_lock = SPINLOCK_INIT;
static char console_ring[CONSOLE_RING_SIZE];
static size_t console_head, console_tail;	/* free-running: tail - head = bytes */
static unsigned int console_readers;		/* threads waiting in a read */
static int console_poller_event;

static size_t console_ring_put(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && console_tail - console_head < CONSOLE_RING_SIZE; i++) {
		char c = s[i] == '\r' ? '\n' : s[i];

		console_ring[console_tail++ % CONSOLE_RING_SIZE] = c;
	}
	return i;
}

void console_device_input(const char *s, size_t n)
{
	size_t put;

	spin_lock(&console_in_lock);
	put = console_ring_put(s, n);
	spin_unlock(&console_in_lock);
	if (put)
		thread_wakeup(console_ring);
}

size_t console_device_pending(void)
{
	size_t n;

	spin_lock(&console_in_lock);
	n = console_tail - console_head;
	spin_unlock(&console_in_lock);
	return n;
}

unsigned int console_device_readers(void)
{
	return READ_ONCE(console_readers);
}

/* Sleeps while nobody reads; polls the UART while somebody does. */
static void console_poller(void *arg)
{
	char buf[32];
	size_t n;
	int c;

	for (;;) {
		spin_lock(&console_in_lock);
		if (!console_readers) {
			assert_wait(&console_poller_event, THREAD_UNINT);
			spin_unlock(&console_in_lock);
			thread_block(NULL);
			continue;
		}
		spin_unlock(&console_in_lock);
		for (n = 0; n < sizeof(buf) && (c = console_getc()) >= 0; n++)
			buf[n] = (char)c;
		if (n)
			console_device_input(buf, n);
		else
			thread_delay(CONSOLE_POLL_NS);
	}
}

static unsigned long console_dev_written;

unsigned long console_device_written(void)
{
	return __atomic_load_n(&console_dev_written, __ATOMIC_RELAXED);
}

static kern_return_t console_dev_write(struct device *dev, dev_mode_t mode, const char *data,
				       size_t len, size_t *written)
{
	__atomic_add_fetch(&console_dev_written, len, __ATOMIC_RELAXED);
	console_write(data, len);
	*written = len;
	return D_SUCCESS;
}

static kern_return_t console_dev_read(struct device *dev, dev_mode_t mode, char *buf,
				      size_t want, size_t *got)
{
	wait_result_t wr;
	size_t n;

	spin_lock(&console_in_lock);
	while (console_tail == console_head) {
		if (mode & D_NOWAIT) {
			spin_unlock(&console_in_lock);
			return D_WOULD_BLOCK;
		}
		if (console_readers++ == 0)
			thread_wakeup(&console_poller_event);
		assert_wait(console_ring, THREAD_INTERRUPTIBLE);
		spin_unlock(&console_in_lock);
		wr = thread_block(NULL);
		spin_lock(&console_in_lock);
		console_readers--;
		if (wr == THREAD_INTERRUPTED) {
			spin_unlock(&console_in_lock);
			return KERN_ABORTED;
		}
	}
	for (n = 0; n < want && console_head != console_tail; n++)
		buf[n] = console_ring[console_head++ % CONSOLE_RING_SIZE];
	spin_unlock(&console_in_lock);
	*got = n;
	return D_SUCCESS;
}

static const struct device_ops console_dev_ops = {
	.write	= console_dev_write,
	.read	= console_dev_read,
};

static struct device console_device = {
	.name	= "console",
	.ops	= &console_dev_ops,
};

static kern_return_t console_device_init(void)
{
	struct thread *th;
	kern_return_t kr = device_register(&console_device);

	if (kr != KERN_SUCCESS)
		return kr;
	th = kernel_thread_create(console_poller, NULL, BASEPRI_KERNEL, "console-in");
	if (!th)
		return KERN_RESOURCE_SHORTAGE;
	thread_deallocate(th);
	return KERN_SUCCESS;
}
KERNEL_INIT(DEVICE, console_device_init);

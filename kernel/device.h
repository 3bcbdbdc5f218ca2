/* SPDX-License-Identifier: MIT */
/*
 * Kernel devices behind device.defs (Documentation/boot.rst, "Devices").
 *
 * A device is a static object with a kernel port (IKOT_DEVICE) that a
 * driver registers by name; device_open() on the device master port
 * (IKOT_MASTER_DEVICE) gives a send right to it, and device.defs'
 * routines on that port call the device's operations. Devices live as
 * long as the kernel: their ports never die and hold no reference.
 *
 * The operations run in the thread of the task that sent the request
 * (the kernel serves kernel objects in the sender's thread), so a read
 * may wait, interruptibly: an aborted wait answers KERN_ABORTED.
 */
#ifndef _KERNEL_DEVICE_H
#define _KERNEL_DEVICE_H

#include <kern/types.h>
#include <mach/device_types.h>
#include <mach/kern_return.h>

struct ipc_port;
struct device;

struct device_ops {
	/* May be NULL: opening always works. */
	kern_return_t	(*open)(struct device *dev, dev_mode_t mode);
	/* Write len bytes; *written says how many went. NULL: D_INVALID_OPERATION. */
	kern_return_t	(*write)(struct device *dev, dev_mode_t mode, const char *data,
				 size_t len, size_t *written);
	/*
	 * Read at most want (> 0) bytes into buf: waits for at least one
	 * unless mode has D_NOWAIT (then D_WOULD_BLOCK). NULL: D_INVALID_OPERATION.
	 */
	kern_return_t	(*read)(struct device *dev, dev_mode_t mode, char *buf,
				size_t want, size_t *got);
};

struct device {
	const char		*name;		/* what device_open() takes */
	const struct device_ops	*ops;
	struct ipc_port		*port;		/* IKOT_DEVICE, made by device_register() */
	unsigned int		open_count;	/* atomic: device_open() - device_close() */
};

/*
 * Make dev openable by name (a driver's init, KERNEL_INIT level DEVICE).
 * KERN_NAME_EXISTS for a name taken, KERN_RESOURCE_SHORTAGE when the
 * table is full or there is no memory for the port.
 */
kern_return_t device_register(struct device *dev);

/* A send right to the device master port, or IP_NULL before the devices' init. */
struct ipc_port *device_master_port_make_send(void);

/* The console device (kernel/device_console.c): input as if typed, for tests. */
void console_device_input(const char *s, size_t n);
/* Bytes typed and not read yet (tests). */
size_t console_device_pending(void);
/* Threads waiting in a console read (tests). */
unsigned int console_device_readers(void);
/* Bytes written to the console device since boot: user programs' output. */
unsigned long console_device_written(void);

#endif /* _KERNEL_DEVICE_H */

// SPDX-License-Identifier: MIT
/*
 * The console: the "console" device of the device master port
 * (device.defs), written with device_write_inband() and read with
 * device_read_inband(), IO_INBAND_MAX bytes at a time.
 *
 * It is opened on first use with the device master port the task was
 * given in its registered ports (mach_bootstrap_ports()), or by
 * console_open() with a port the program has.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <device/device.h>

static mach_port_t console_port = MACH_PORT_NULL;
/* Opening failed once: do not try (and fail) on every printf. */
static bool console_failed;

int console_open(mach_port_t device_master)
{
	dev_name_t name;
	mach_port_t dev;

	strlcpy(name, "console", sizeof(name));
	if (device_open(device_master, D_READ | D_WRITE, name, &dev) != D_SUCCESS)
		return -1;
	if (console_port != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), console_port);
	console_port = dev;
	console_failed = false;
	return 0;
}

static bool console_ready(void)
{
	mach_port_t master;

	if (console_port != MACH_PORT_NULL)
		return true;
	if (console_failed)
		return false;
	console_failed = true;
	if (mach_bootstrap_ports(NULL, &master) != KERN_SUCCESS || master == MACH_PORT_NULL)
		return false;
	console_open(master);
	mach_port_deallocate(mach_task_self(), master);
	return console_port != MACH_PORT_NULL;
}

/* Returns len, or -1 if any part could not be written. */
int console_write(const char *buf, size_t len)
{
	io_buf_ptr_inband_t chunk;
	io_buf_len_t done;
	size_t off, n;

	if (!console_ready())
		return -1;
	for (off = 0; off < len; off += done) {
		n = len - off < IO_INBAND_MAX ? len - off : IO_INBAND_MAX;
		memcpy(chunk, buf + off, n);
		if (device_write_inband(console_port, 0, 0, chunk, n, &done) != D_SUCCESS ||
		    done == 0)
			return -1;
	}
	return len;
}

/* Up to len bytes, at least one (the device waits for input); -1 on error. */
int console_read(char *buf, size_t len)
{
	io_buf_ptr_inband_t chunk;
	mach_msg_type_number_t got = IO_INBAND_MAX;

	if (!console_ready())
		return -1;
	if (len > IO_INBAND_MAX)
		len = IO_INBAND_MAX;
	if (device_read_inband(console_port, 0, 0, len, chunk, &got) != D_SUCCESS)
		return -1;
	if (got > len)
		got = len;
	memcpy(buf, chunk, got);
	return got;
}

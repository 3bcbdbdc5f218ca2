// SPDX-License-Identifier: MIT
/*
 * The kernel's side of device.defs (subsystem 2800): the device master
 * port, the table of devices and their ports (kernel/device.h).
 *
 * device_open() on the master port (IKOT_MASTER_DEVICE) looks the name up
 * and answers a send right to the device's port (IKOT_DEVICE); the other
 * routines call the device's operations. As in GNU Mach: a port that is
 * not a device gives D_NO_SUCH_DEVICE, a request port that is not the
 * master port D_INVALID_OPERATION, an unknown name D_NO_SUCH_DEVICE.
 * device_set_status and device_get_status: D_INVALID_OPERATION (no
 * device has status yet). Out-of-line data is read and answered through
 * the message's copy (struct ipc_ool_copy), as vm_read/vm_write do.
 */
#include <kern/init.h>
#include <kern/lock.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <kern/vm_map_copy.h>
#include <kern/zalloc.h>
#include <mach/mach_types.h>
#include <mach/device_types.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_port.h>
#include <kernel/device.h>
#include <kernel/mig/mig_convert.h>
#include "deviceServer.h"

#define DEVICE_MAX		8
#define DEVICE_IO_CHUNK		256		/* bytes through the stack at a time */
#define DEVICE_READ_MAX		PAGE_SIZE	/* the most one device_read answers */

IPC_KOBJECT_DEFINE(IKOT_MASTER_DEVICE,
	.ikt_subsystems = { &device_subsystem });
IPC_KOBJECT_DEFINE(IKOT_DEVICE,
	.ikt_subsystems = { &device_subsystem });

static ipc_port_t device_master_port;
static spinlock_t device_table_lock = SPINLOCK_INIT;
static struct device *device_table[DEVICE_MAX];

static kern_return_t device_master_init(void)
{
	device_master_port = ipc_kobject_port_alloc(&device_master_port, IKOT_MASTER_DEVICE);
	if (!device_master_port)
		panic("device: no memory for the device master port");
	return KERN_SUCCESS;
}
KERNEL_INIT(SUBSYS, device_master_init);

ipc_port_t device_master_port_make_send(void)
{
	return device_master_port ? ipc_port_make_send(device_master_port) : IP_NULL;
}

static struct device *device_lookup(const char *name)
{
	struct device *dev = NULL;
	unsigned int i;

	spin_lock(&device_table_lock);
	for (i = 0; i < DEVICE_MAX && !dev; i++)
		if (device_table[i] && strcmp(device_table[i]->name, name) == 0)
			dev = device_table[i];
	spin_unlock(&device_table_lock);
	return dev;
}

kern_return_t device_register(struct device *dev)
{
	unsigned int i;

	if (device_lookup(dev->name))
		return KERN_NAME_EXISTS;
	dev->port = ipc_kobject_port_alloc(dev, IKOT_DEVICE);
	if (!dev->port)
		return KERN_RESOURCE_SHORTAGE;
	spin_lock(&device_table_lock);
	for (i = 0; i < DEVICE_MAX; i++) {
		if (!device_table[i]) {
			device_table[i] = dev;
			break;
		}
	}
	spin_unlock(&device_table_lock);
	if (i == DEVICE_MAX) {
		ipc_kobject_port_destroy(dev->port);
		dev->port = IP_NULL;
		return KERN_RESOURCE_SHORTAGE;
	}
	return KERN_SUCCESS;
}

/* Devices are never freed: the conversions take and drop nothing. */
device_t convert_port_to_device(mach_port_t port)
{
	return ipc_kobject_get((ipc_port_t)port, IKOT_DEVICE);
}

mach_port_t convert_device_to_port(device_t device)
{
	return device ? (mach_port_t)ipc_port_make_send(device->port) : MACH_PORT_NULL;
}

void device_deallocate(device_t device)
{
}

kern_return_t device_open(mach_port_t master_port, mach_port_t reply_port,
			  mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
			  dev_name_t name, device_t *device)
{
	struct device *dev;
	kern_return_t kr;

	if (!ipc_kobject_get((ipc_port_t)master_port, IKOT_MASTER_DEVICE))
		return D_INVALID_OPERATION;
	if (strnlen(name, DEV_NAME_MAX) == DEV_NAME_MAX)
		return D_NO_SUCH_DEVICE;
	dev = device_lookup(name);
	if (!dev)
		return D_NO_SUCH_DEVICE;
	if (dev->ops->open) {
		kr = dev->ops->open(dev, mode);
		if (kr != D_SUCCESS)
			return kr;
	}
	__atomic_add_fetch(&dev->open_count, 1, __ATOMIC_RELAXED);
	*device = dev;
	return D_SUCCESS;
}

kern_return_t device_close(device_t device)
{
	unsigned int n;

	if (!device)
		return D_NO_SUCH_DEVICE;
	n = __atomic_load_n(&device->open_count, __ATOMIC_RELAXED);
	do {
		if (n == 0)
			return D_INVALID_OPERATION;	/* closed more often than opened */
	} while (!__atomic_compare_exchange_n(&device->open_count, &n, n - 1, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return D_SUCCESS;
}

static kern_return_t device_write_check(device_t device)
{
	if (!device)
		return D_NO_SUCH_DEVICE;
	return device->ops->write ? D_SUCCESS : D_INVALID_OPERATION;
}

static kern_return_t device_read_check(device_t device, io_buf_len_t want)
{
	if (!device)
		return D_NO_SUCH_DEVICE;
	if (!device->ops->read)
		return D_INVALID_OPERATION;
	return want ? D_SUCCESS : D_INVALID_SIZE;
}

/*
 * Out-of-line data, DEVICE_IO_CHUNK bytes at a time through the stack. On
 * success the routine owns the copy, and discards it.
 */
kern_return_t device_write(device_t device, mach_port_t reply_port,
			   mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
			   recnum_t recnum, io_buf_ptr_t data,
			   mach_msg_type_number_t dataCnt, io_buf_len_t *bytes_written)
{
	struct ipc_ool_copy *copy = (struct ipc_ool_copy *)data;
	char buf[DEVICE_IO_CHUNK];
	size_t off = 0, n, done, size;
	kern_return_t kr = device_write_check(device);

	if (kr != D_SUCCESS)
		return kr;
	size = copy ? copy->ioc_size : 0;
	while (off < size) {
		n = size - off < sizeof(buf) ? size - off : sizeof(buf);
		if (copy->ioc_vm)
			kr = vm_map_copy_read(copy->ioc_vm, off, buf, n);
		else
			memcpy(buf, (const char *)copy->ioc_data + off, n);
		if (kr != KERN_SUCCESS)
			return D_IO_ERROR;
		kr = device->ops->write(device, mode, buf, n, &done);
		off += done;
		if (kr != D_SUCCESS || done < n)
			break;
	}
	if (kr != D_SUCCESS && off == 0)
		return kr;
	if (copy)
		ipc_ool_copy_discard(copy);
	*bytes_written = (io_buf_len_t)off;
	return D_SUCCESS;
}

kern_return_t device_write_inband(device_t device, mach_port_t reply_port,
				  mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
				  recnum_t recnum, io_buf_ptr_inband_t data,
				  mach_msg_type_number_t dataCnt,
				  io_buf_len_t *bytes_written)
{
	size_t done = 0;
	kern_return_t kr = device_write_check(device);

	if (kr != D_SUCCESS)
		return kr;
	if (dataCnt > IO_INBAND_MAX)
		return D_INVALID_SIZE;
	if (dataCnt)
		kr = device->ops->write(device, mode, data, dataCnt, &done);
	if (kr != D_SUCCESS)
		return kr;
	*bytes_written = (io_buf_len_t)done;
	return D_SUCCESS;
}

/* What was read goes out of line, as a copy of kernel memory. */
kern_return_t device_read(device_t device, mach_port_t reply_port,
			  mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
			  recnum_t recnum, io_buf_len_t bytes_wanted,
			  io_buf_ptr_t *data, mach_msg_type_number_t *dataCnt)
{
	struct ipc_ool_copy *copy;
	struct vm_map_copy *vmc;
	size_t want = bytes_wanted < DEVICE_READ_MAX ? bytes_wanted : DEVICE_READ_MAX, got;
	kern_return_t kr = device_read_check(device, bytes_wanted);
	char *buf;

	if (kr != D_SUCCESS)
		return kr;
	buf = kalloc(want);
	if (!buf)
		return D_NO_MEMORY;
	kr = device->ops->read(device, mode, buf, want, &got);
	if (kr != D_SUCCESS) {
		kfree(buf, want);
		return kr;
	}
	vmc = vm_map_copy_from_kernel(buf, got);
	kfree(buf, want);
	copy = vmc ? ipc_ool_copy_from_vm(vmc) : NULL;
	if (!copy) {
		if (vmc)
			vm_map_copy_discard(vmc);
		return D_NO_MEMORY;	/* the bytes are lost, as a failed read's */
	}
	*data = (io_buf_ptr_t)copy;
	*dataCnt = (mach_msg_type_number_t)got;
	return D_SUCCESS;
}

kern_return_t device_read_inband(device_t device, mach_port_t reply_port,
				 mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
				 recnum_t recnum, io_buf_len_t bytes_wanted,
				 io_buf_ptr_inband_t data, mach_msg_type_number_t *dataCnt)
{
	size_t want = bytes_wanted < IO_INBAND_MAX ? bytes_wanted : IO_INBAND_MAX, got;
	kern_return_t kr = device_read_check(device, bytes_wanted);

	if (kr != D_SUCCESS)
		return kr;
	kr = device->ops->read(device, mode, data, want, &got);
	if (kr != D_SUCCESS)
		return kr;
	*dataCnt = (mach_msg_type_number_t)got;
	return D_SUCCESS;
}

kern_return_t device_set_status(device_t device, dev_flavor_t flavor,
				dev_status_t status, mach_msg_type_number_t statusCnt)
{
	return device ? D_INVALID_OPERATION : D_NO_SUCH_DEVICE;
}

kern_return_t device_get_status(device_t device, dev_flavor_t flavor,
				dev_status_t status, mach_msg_type_number_t *statusCnt)
{
	return device ? D_INVALID_OPERATION : D_NO_SUCH_DEVICE;
}

// SPDX-License-Identifier: MIT
/*
 * The kernel's side of device.defs (subsystem 2800): the device master
 * port and the devices' ports.
 *
 * Devices get ports with the device-server work; until then every
 * routine answers KERN_NOT_SUPPORTED, at once (never MIG_NO_REPLY).
 * Documentation/interfaces.rst lists what works.
 */
#include <mach/mach_types.h>
#include <mach/device_types.h>
#include "deviceServer.h"

kern_return_t device_open(mach_port_t master_port, mach_port_t reply_port,
			  mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
			  dev_name_t name, device_t *device)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_close(device_t device)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_write(device_t device, mach_port_t reply_port,
			   mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
			   recnum_t recnum, io_buf_ptr_t data,
			   mach_msg_type_number_t dataCnt, io_buf_len_t *bytes_written)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_write_inband(device_t device, mach_port_t reply_port,
				  mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
				  recnum_t recnum, io_buf_ptr_inband_t data,
				  mach_msg_type_number_t dataCnt,
				  io_buf_len_t *bytes_written)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_read(device_t device, mach_port_t reply_port,
			  mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
			  recnum_t recnum, io_buf_len_t bytes_wanted,
			  io_buf_ptr_t *data, mach_msg_type_number_t *dataCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_read_inband(device_t device, mach_port_t reply_port,
				 mach_msg_type_name_t reply_portPoly, dev_mode_t mode,
				 recnum_t recnum, io_buf_len_t bytes_wanted,
				 io_buf_ptr_inband_t data, mach_msg_type_number_t *dataCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_set_status(device_t device, dev_flavor_t flavor,
				dev_status_t status, mach_msg_type_number_t statusCnt)
{
	return KERN_NOT_SUPPORTED;
}

kern_return_t device_get_status(device_t device, dev_flavor_t flavor,
				dev_status_t status, mach_msg_type_number_t *statusCnt)
{
	return KERN_NOT_SUPPORTED;
}

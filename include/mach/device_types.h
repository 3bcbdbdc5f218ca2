/* SPDX-License-Identifier: MIT */
/*
 * The device interface's types (device.defs), with Mach's values: open
 * modes, the read/write buffers, status arrays and the D_* return codes.
 */
#ifndef _MACH_DEVICE_TYPES_H
#define _MACH_DEVICE_TYPES_H

#include <mach/machine/vm_types.h>
#include <mach/port.h>

#ifdef __KERNEL__
struct device;
typedef struct device	*device_t;
#define DEVICE_NULL	((device_t)0)
#else
typedef mach_port_t	device_t;
#define DEVICE_NULL	MACH_PORT_NULL
#endif

/* A device's name, as device_open() takes it: a C string. */
#define DEV_NAME_MAX	128
typedef char		dev_name_t[DEV_NAME_MAX];

typedef unsigned int	dev_mode_t;
#define D_READ		0x1	/* open for reading */
#define D_WRITE		0x2	/* open for writing */
#define D_NODELAY	0x4	/* don't wait for the device to be ready */
#define D_NOWAIT	0x8	/* fail rather than wait for data */

typedef natural_t	recnum_t;	/* a record (block) number */

/* Data read or written out of line, and its length. */
typedef char		*io_buf_ptr_t;
typedef natural_t	io_buf_len_t;

/* Data small enough to travel inline. */
#define IO_INBAND_MAX	128
typedef char		io_buf_ptr_inband_t[IO_INBAND_MAX];

/* device_get_status() / device_set_status() */
typedef int		dev_flavor_t;
typedef int		*dev_status_t;
#define DEV_STATUS_MAX	1024	/* in int */
typedef int		dev_status_data_t[DEV_STATUS_MAX];

/* Device errors: kern_return_t values of their own range. */
#define D_SUCCESS		0
#define D_IO_ERROR		2500	/* hardware I/O error */
#define D_WOULD_BLOCK		2501	/* D_NOWAIT and no data */
#define D_NO_SUCH_DEVICE	2502
#define D_ALREADY_OPEN		2503	/* exclusive open */
#define D_DEVICE_DOWN		2504
#define D_INVALID_OPERATION	2505	/* not for this device */
#define D_INVALID_RECNUM	2506	/* record out of range */
#define D_INVALID_SIZE		2507
#define D_NO_MEMORY		2508
#define D_READ_ONLY		2509

#endif /* _MACH_DEVICE_TYPES_H */

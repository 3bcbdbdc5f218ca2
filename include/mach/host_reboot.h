/* SPDX-License-Identifier: MIT */
/* host_reboot() options, with Mach's values. */
#ifndef _MACH_HOST_REBOOT_H
#define _MACH_HOST_REBOOT_H

#define HOST_REBOOT_HALT	0x0008	/* power off rather than restart */
#define HOST_REBOOT_DEBUGGER	0x1000	/* enter the kernel debugger */

#endif /* _MACH_HOST_REBOOT_H */

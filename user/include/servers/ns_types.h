/* SPDX-License-Identifier: MIT */
/* The C side of ns.defs's types (the name server, Documentation/user.rst). */
#ifndef _SERVERS_NS_TYPES_H
#define _SERVERS_NS_TYPES_H

#define NS_NAME_MAX	64
#define NS_ARGS_MAX	512

typedef char ns_name_t[NS_NAME_MAX];
typedef char ns_args_t[NS_ARGS_MAX];

/* Names the system's servers register. */
#define NS_NAME_CONSOLE		"console"	/* device.defs: the console server */
#define NS_NAME_HOST_PRIV	"host-priv"	/* the privileged host port */
#define NS_NAME_DEVICE_MASTER	"device-master"	/* the kernel's device master port */
#define NS_NAME_SHELL_INTR	"sh-intr"	/* the shell's ^C port */

/* The message the console server sends to NS_NAME_SHELL_INTR on ^C. */
#define NS_INTR_MSG_ID		5299

#endif /* _SERVERS_NS_TYPES_H */

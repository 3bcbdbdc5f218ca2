/* SPDX-License-Identifier: MIT */
/*
 * Port names and rights (the Mach ABI, values as in OSF/XNU <mach/port.h>).
 *
 * User space names a right by a mach_port_name_t, an index into its IPC
 * space with a generation in the low bits. In messages and MIG stubs a
 * right is a mach_port_t: in user space the name itself, in the kernel
 * (__KERNEL__) a pointer to the port, so that the kernel's MIG servers see
 * ports once the IPC layer has translated a message's names. Code that
 * must work on both sides never assumes sizeof(mach_port_t).
 */
#ifndef _MACH_PORT_H
#define _MACH_PORT_H

#include <mach/boolean.h>
#include <mach/machine/vm_types.h>

typedef natural_t	mach_port_name_t;
typedef mach_port_name_t *mach_port_name_array_t;

#ifdef __KERNEL__
struct ipc_port;
typedef struct ipc_port	*mach_port_t;
#define MACH_PORT_NULL		((mach_port_t)0)
#define MACH_PORT_DEAD		((mach_port_t)~0UL)
#define MACH_PORT_VALID(port)	((port) != MACH_PORT_NULL && (port) != MACH_PORT_DEAD)
#else
typedef mach_port_name_t mach_port_t;
#define MACH_PORT_NULL		((mach_port_t)0)
#define MACH_PORT_DEAD		((mach_port_t)~0U)
#define MACH_PORT_VALID(name)	((name) != MACH_PORT_NULL && (name) != MACH_PORT_DEAD)
#endif
typedef mach_port_t	*mach_port_array_t;

#define MACH_PORT_NAME_NULL	((mach_port_name_t)0)
#define MACH_PORT_NAME_DEAD	((mach_port_name_t)~0U)
#define MACH_PORT_NAME_VALID(name) \
	((name) != MACH_PORT_NAME_NULL && (name) != MACH_PORT_NAME_DEAD)

/* A name is an index and a generation: the generation changes on reuse. */
#define MACH_PORT_INDEX(name)		((name) >> 8)
#define MACH_PORT_GEN(name)		(((name) & 0xff) << 24)
#define MACH_PORT_MAKE(index, gen)	(((index) << 8) | ((gen) >> 24))

typedef natural_t	mach_port_right_t;

#define MACH_PORT_RIGHT_SEND		((mach_port_right_t)0)
#define MACH_PORT_RIGHT_RECEIVE		((mach_port_right_t)1)
#define MACH_PORT_RIGHT_SEND_ONCE	((mach_port_right_t)2)
#define MACH_PORT_RIGHT_PORT_SET	((mach_port_right_t)3)
#define MACH_PORT_RIGHT_DEAD_NAME	((mach_port_right_t)4)
#define MACH_PORT_RIGHT_NUMBER		((mach_port_right_t)5)

typedef natural_t	mach_port_type_t;
typedef mach_port_type_t *mach_port_type_array_t;

#define MACH_PORT_TYPE(right)		((mach_port_type_t)(1U << ((right) + 16)))
#define MACH_PORT_TYPE_NONE		((mach_port_type_t)0)
#define MACH_PORT_TYPE_SEND		MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND)
#define MACH_PORT_TYPE_RECEIVE		MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE)
#define MACH_PORT_TYPE_SEND_ONCE	MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_SET		MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET)
#define MACH_PORT_TYPE_DEAD_NAME	MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME)
#define MACH_PORT_TYPE_SEND_RECEIVE	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_SEND_RIGHTS	(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE)
#define MACH_PORT_TYPE_PORT_RIGHTS	(MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE)
#define MACH_PORT_TYPE_PORT_OR_DEAD	(MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME)
#define MACH_PORT_TYPE_ALL_RIGHTS	(MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET)
/* Requests recorded on an entry. */
#define MACH_PORT_TYPE_DNREQUEST	0x80000000U

typedef natural_t	mach_port_urefs_t;
typedef integer_t	mach_port_delta_t;
typedef natural_t	mach_port_seqno_t;
typedef natural_t	mach_port_mscount_t;
typedef natural_t	mach_port_msgcount_t;
typedef natural_t	mach_port_rights_t;

typedef struct mach_port_status {
	mach_port_name_t	mps_pset;	/* the set it is in, or null */
	mach_port_seqno_t	mps_seqno;
	mach_port_mscount_t	mps_mscount;
	mach_port_msgcount_t	mps_qlimit;
	mach_port_msgcount_t	mps_msgcount;
	mach_port_rights_t	mps_sorights;	/* send-once rights */
	boolean_t		mps_srights;	/* send rights exist */
	boolean_t		mps_pdrequest;	/* port-destroyed requested */
	boolean_t		mps_nsrequest;	/* no-senders requested */
	natural_t		mps_flags;
} mach_port_status_t;

#define MACH_PORT_QLIMIT_ZERO		((mach_port_msgcount_t)0)
#define MACH_PORT_QLIMIT_BASIC		((mach_port_msgcount_t)5)
#define MACH_PORT_QLIMIT_SMALL		((mach_port_msgcount_t)16)
#define MACH_PORT_QLIMIT_LARGE		((mach_port_msgcount_t)1024)
#define MACH_PORT_QLIMIT_MAX		MACH_PORT_QLIMIT_LARGE
#define MACH_PORT_QLIMIT_DEFAULT	MACH_PORT_QLIMIT_BASIC

typedef struct mach_port_limits {
	mach_port_msgcount_t	mpl_qlimit;
} mach_port_limits_t;

/* mach_port_get_attributes / set_attributes flavors. */
typedef int		mach_port_flavor_t;
typedef integer_t	*mach_port_info_t;
#define MACH_PORT_LIMITS_INFO		1
#define MACH_PORT_RECEIVE_STATUS	2
#define MACH_PORT_LIMITS_INFO_COUNT \
	((natural_t)(sizeof(mach_port_limits_t) / sizeof(natural_t)))
#define MACH_PORT_RECEIVE_STATUS_COUNT \
	((natural_t)(sizeof(mach_port_status_t) / sizeof(natural_t)))
#define MACH_PORT_INFO_MAX		MACH_PORT_RECEIVE_STATUS_COUNT

#endif /* _MACH_PORT_H */

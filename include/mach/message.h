/* SPDX-License-Identifier: MIT */
/*
 * Mach messages, in the OSF/XNU format (values as in XNU <mach/message.h>):
 *
 *	mach_msg_header_t		always
 *	mach_msg_body_t			if MACH_MSGH_BITS_COMPLEX: the descriptor count
 *	descriptors			port, out-of-line memory, out-of-line ports
 *	untyped inline data		each item naturally aligned, no type tags
 *	trailer				added on receive, after msgh_size bytes
 *
 * msgh_size counts the header, body, descriptors and data, not the trailer.
 * Messages are a multiple of 4 bytes long. The descriptor structures are
 * packed to 4 bytes, as in XNU; with a pointer-sized mach_port_t
 * (__KERNEL__) the kernel's copies of header and port descriptors are
 * larger than user space's: MIG-generated code works with either.
 */
#ifndef _MACH_MESSAGE_H
#define _MACH_MESSAGE_H

#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/machine/vm_types.h>
#include <mach/port.h>

typedef natural_t	mach_msg_timeout_t;
#define MACH_MSG_TIMEOUT_NONE	((mach_msg_timeout_t)0)

typedef unsigned int	mach_msg_bits_t;
typedef natural_t	mach_msg_size_t;
typedef integer_t	mach_msg_id_t;
typedef natural_t	mach_msg_type_number_t;
typedef unsigned int	mach_msg_type_name_t;
typedef unsigned int	mach_msg_copy_options_t;
typedef unsigned int	mach_msg_descriptor_type_t;
typedef natural_t	mach_msg_type_size_t;

/* ------------------------------------------------------------------------
 * The header
 */
#define MACH_MSGH_BITS_ZERO		0x00000000U
#define MACH_MSGH_BITS_REMOTE_MASK	0x0000001fU
#define MACH_MSGH_BITS_LOCAL_MASK	0x00001f00U
#define MACH_MSGH_BITS_PORTS_MASK	(MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK)
#define MACH_MSGH_BITS_COMPLEX		0x80000000U
#define MACH_MSGH_BITS_USER		0x80001f1fU	/* what a sender may set */
/* Kernel-internal, while a message is in flight. */
#define MACH_MSGH_BITS_CIRCULAR		0x10000000U

#define MACH_MSGH_BITS(remote, local)	((remote) | ((local) << 8))
#define MACH_MSGH_BITS_REMOTE(bits)	((bits) & MACH_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL(bits)	(((bits) & MACH_MSGH_BITS_LOCAL_MASK) >> 8)
#define MACH_MSGH_BITS_PORTS(bits)	((bits) & MACH_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_OTHER(bits)	((bits) & ~MACH_MSGH_BITS_PORTS_MASK)

typedef struct {
	mach_msg_bits_t		msgh_bits;
	mach_msg_size_t		msgh_size;
	mach_port_t		msgh_remote_port;	/* destination */
	mach_port_t		msgh_local_port;	/* reply port */
	mach_port_name_t	msgh_reserved;		/* XNU's voucher slot: zero */
	mach_msg_id_t		msgh_id;
} mach_msg_header_t;

#define MACH_MSG_NULL	((mach_msg_header_t *)0)

typedef struct {
	mach_msg_size_t		msgh_descriptor_count;
} mach_msg_body_t;

typedef struct {
	mach_msg_header_t	header;
	mach_msg_body_t		body;
} mach_msg_base_t;

/* ------------------------------------------------------------------------
 * Port dispositions (in msgh_bits and in descriptors), and the type names
 * MIG uses for rights as they arrive.
 */
#define MACH_MSG_TYPE_MOVE_RECEIVE	16
#define MACH_MSG_TYPE_MOVE_SEND		17
#define MACH_MSG_TYPE_MOVE_SEND_ONCE	18
#define MACH_MSG_TYPE_COPY_SEND		19
#define MACH_MSG_TYPE_MAKE_SEND		20
#define MACH_MSG_TYPE_MAKE_SEND_ONCE	21
#define MACH_MSG_TYPE_COPY_RECEIVE	22	/* not accepted in messages */
#define MACH_MSG_TYPE_DISPOSE_RECEIVE	24
#define MACH_MSG_TYPE_DISPOSE_SEND	25
#define MACH_MSG_TYPE_DISPOSE_SEND_ONCE	26

#define MACH_MSG_TYPE_PORT_NAME		15
#define MACH_MSG_TYPE_PORT_RECEIVE	MACH_MSG_TYPE_MOVE_RECEIVE
#define MACH_MSG_TYPE_PORT_SEND		MACH_MSG_TYPE_MOVE_SEND
#define MACH_MSG_TYPE_PORT_SEND_ONCE	MACH_MSG_TYPE_MOVE_SEND_ONCE
#define MACH_MSG_TYPE_LAST		22

#define MACH_MSG_TYPE_PORT_ANY(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_ANY_SEND(x) \
	((x) >= MACH_MSG_TYPE_MOVE_SEND && (x) <= MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_ANY_RIGHT(x) \
	((x) >= MACH_MSG_TYPE_MOVE_RECEIVE && (x) <= MACH_MSG_TYPE_MOVE_SEND_ONCE)

/*
 * The typed-message type codes of Mach 3 (GNU Mach's format). MachLine's
 * inline data is untyped; the codes survive for .defs files that name them.
 */
#define MACH_MSG_TYPE_UNSTRUCTURED	0
#define MACH_MSG_TYPE_BIT		0
#define MACH_MSG_TYPE_BOOLEAN		0
#define MACH_MSG_TYPE_INTEGER_16	1
#define MACH_MSG_TYPE_INTEGER_32	2
#define MACH_MSG_TYPE_CHAR		8
#define MACH_MSG_TYPE_BYTE		9
#define MACH_MSG_TYPE_INTEGER_8		9
#define MACH_MSG_TYPE_REAL		10
#define MACH_MSG_TYPE_INTEGER_64	11
#define MACH_MSG_TYPE_STRING		12
#define MACH_MSG_TYPE_STRING_C		12
#define MACH_MSG_TYPE_POLYMORPHIC	((mach_msg_type_name_t)-1)

/* ------------------------------------------------------------------------
 * Descriptors
 */
#define MACH_MSG_PORT_DESCRIPTOR		0
#define MACH_MSG_OOL_DESCRIPTOR			1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR		2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR	3

#define MACH_MSG_PHYSICAL_COPY		0
#define MACH_MSG_VIRTUAL_COPY		1
#define MACH_MSG_ALLOCATE		2
#define MACH_MSG_OVERWRITE		3	/* receive side: into the given buffer */

#pragma pack(push, 4)

/* Any descriptor: only its type is looked at. */
typedef struct {
	natural_t			pad1;
	mach_msg_size_t			pad2;
	unsigned int			pad3 : 24;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_type_descriptor_t;

typedef struct {
	mach_port_t			name;
#ifndef __KERNEL__
	mach_msg_size_t			pad1;	/* user: 12 bytes in all, as XNU's */
#endif
	unsigned int			pad2 : 16;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_port_descriptor_t;

typedef struct {
	void				*address;
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	unsigned int			pad1 : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			size;
} mach_msg_ool_descriptor_t;

typedef struct {
	void				*address;
	boolean_t			deallocate : 8;
	mach_msg_copy_options_t		copy : 8;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
	mach_msg_size_t			count;
} mach_msg_ool_ports_descriptor_t;

typedef union {
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	out_of_line;
	mach_msg_ool_ports_descriptor_t	ool_ports;
	mach_msg_type_descriptor_t	type;
} mach_msg_descriptor_t;

#pragma pack(pop)

/* ------------------------------------------------------------------------
 * Trailers, appended by the kernel on receive
 */
typedef unsigned int	mach_msg_trailer_type_t;
typedef unsigned int	mach_msg_trailer_size_t;

#define MACH_MSG_TRAILER_FORMAT_0	0

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
} mach_msg_trailer_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
} mach_msg_seqno_trailer_t;

/* Who sent it: the sending task's security token, set by the kernel. */
typedef struct {
	unsigned int	val[2];
} security_token_t;

typedef struct {
	mach_msg_trailer_type_t		msgh_trailer_type;
	mach_msg_trailer_size_t		msgh_trailer_size;
	mach_port_seqno_t		msgh_seqno;
	security_token_t		msgh_sender;
} mach_msg_security_trailer_t;

typedef mach_msg_security_trailer_t mach_msg_max_trailer_t;
#define MAX_TRAILER_SIZE	((mach_msg_size_t)sizeof(mach_msg_max_trailer_t))

typedef mach_msg_security_trailer_t mach_msg_format_0_trailer_t;
#define MACH_MSG_TRAILER_MINIMUM_SIZE	((mach_msg_size_t)sizeof(mach_msg_trailer_t))

/*
 * The kernel's token, in what the kernel sends. A task's is inherited from
 * the task that made it; a task the kernel makes (the bootstrap task) gets
 * the user token { 0, 0 }, so no task holds the kernel's.
 */
#define KERNEL_SECURITY_TOKEN_VALUE	{ { 0, 1 } }
#define USER_SECURITY_TOKEN_VALUE	{ { 0, 0 } }

typedef struct {
	mach_msg_header_t		header;
	mach_msg_trailer_t		trailer;
} mach_msg_empty_rcv_t;

typedef struct {
	mach_msg_header_t		header;
} mach_msg_empty_send_t;

/* ------------------------------------------------------------------------
 * mach_msg options and results
 */
typedef integer_t	mach_msg_option_t;

#define MACH_MSG_OPTION_NONE	0x00000000
#define MACH_SEND_MSG		0x00000001
#define MACH_RCV_MSG		0x00000002
#define MACH_RCV_LARGE		0x00000004	/* too large: keep it queued, say its size */

#define MACH_SEND_TIMEOUT	0x00000010
#define MACH_SEND_INTERRUPT	0x00000040	/* don't restart an interrupted send */
#define MACH_SEND_NOTIFY	0x00000080
#define MACH_SEND_ALWAYS	0x00010000	/* kernel-internal: ignore the queue limit */

#define MACH_RCV_TIMEOUT	0x00000100
#define MACH_RCV_NOTIFY		0x00000200
#define MACH_RCV_INTERRUPT	0x00000400
#define MACH_RCV_OVERWRITE	0x00001000

#define MACH_RCV_TRAILER_NULL	0
#define MACH_RCV_TRAILER_SEQNO	1
#define MACH_RCV_TRAILER_SENDER	2
#define MACH_RCV_TRAILER_TYPE(x)	(((x) & 0xf) << 28)
#define MACH_RCV_TRAILER_ELEMENTS(x)	(((x) & 0xf) << 24)
#define MACH_RCV_TRAILER_MASK		(0xff << 24)
#define GET_RCV_ELEMENTS(y)		(((y) >> 24) & 0xf)

/* The trailer a receive with `option` gets. */
#define REQUESTED_TRAILER_SIZE(option)					\
	((mach_msg_size_t)(GET_RCV_ELEMENTS(option) >= MACH_RCV_TRAILER_SENDER ?	\
		sizeof(mach_msg_security_trailer_t) :				\
	 GET_RCV_ELEMENTS(option) == MACH_RCV_TRAILER_SEQNO ?			\
		sizeof(mach_msg_seqno_trailer_t) : sizeof(mach_msg_trailer_t)))

typedef kern_return_t	mach_msg_return_t;

#define MACH_MSG_SUCCESS		0x00000000

#define MACH_MSG_MASK			0x00003e00
#define MACH_MSG_IPC_SPACE		0x00002000	/* no room in the IPC space */
#define MACH_MSG_VM_SPACE		0x00001000	/* no room in the address space */
#define MACH_MSG_IPC_KERNEL		0x00000800	/* kernel IPC resources short */
#define MACH_MSG_VM_KERNEL		0x00000400	/* kernel VM resources short */

#define MACH_SEND_IN_PROGRESS		0x10000001
#define MACH_SEND_INVALID_DATA		0x10000002
#define MACH_SEND_INVALID_DEST		0x10000003
#define MACH_SEND_TIMED_OUT		0x10000004
#define MACH_SEND_INTERRUPTED		0x10000007
#define MACH_SEND_MSG_TOO_SMALL		0x10000008
#define MACH_SEND_INVALID_REPLY		0x10000009
#define MACH_SEND_INVALID_RIGHT		0x1000000a
#define MACH_SEND_INVALID_NOTIFY	0x1000000b
#define MACH_SEND_INVALID_MEMORY	0x1000000c
#define MACH_SEND_NO_BUFFER		0x1000000d
#define MACH_SEND_TOO_LARGE		0x1000000e
#define MACH_SEND_INVALID_TYPE		0x1000000f
#define MACH_SEND_INVALID_HEADER	0x10000010
#define MACH_SEND_INVALID_TRAILER	0x10000011

#define MACH_RCV_IN_PROGRESS		0x10004001
#define MACH_RCV_INVALID_NAME		0x10004002
#define MACH_RCV_TIMED_OUT		0x10004003
#define MACH_RCV_TOO_LARGE		0x10004004
#define MACH_RCV_INTERRUPTED		0x10004005
#define MACH_RCV_PORT_CHANGED		0x10004006
#define MACH_RCV_INVALID_NOTIFY		0x10004007
#define MACH_RCV_INVALID_DATA		0x10004008
#define MACH_RCV_PORT_DIED		0x10004009
#define MACH_RCV_IN_SET			0x1000400a
#define MACH_RCV_HEADER_ERROR		0x1000400b
#define MACH_RCV_BODY_ERROR		0x1000400c
#define MACH_RCV_INVALID_TYPE		0x1000400d
#define MACH_RCV_SCATTER_SMALL		0x1000400e
#define MACH_RCV_INVALID_TRAILER	0x1000400f

/* The largest message the kernel accepts (header to end of data). */
#define MACH_MSG_SIZE_MAX		(64U * 1024)

#ifndef __KERNEL__
mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify);
#endif

#endif /* _MACH_MESSAGE_H */

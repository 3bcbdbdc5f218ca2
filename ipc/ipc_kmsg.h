/* SPDX-License-Identifier: MIT */
/*
 * Kernel messages (Documentation/ipc.rst, "The message path").
 *
 * An ipc_kmsg is a message in flight: a buffer holding the message in
 * kernel form, room for the largest trailer after it, and queue links.
 *
 * User form and kernel form. A message as a sender writes it (user form,
 * struct mach_msg_user_header below) names rights by mach_port_name_t in
 * the sender's space; copyin turns it into kernel form for the kmsg:
 *
 *	msgh_remote_port, msgh_local_port	ipc_port_t (or IP_DEAD / IP_NULL)
 *	msgh_bits				the *result* types
 *						(MACH_MSG_TYPE_PORT_SEND,
 *						 _PORT_SEND_ONCE, _PORT_RECEIVE)
 *	port descriptors			ipc_port_t + result type
 *	OOL descriptors				address = struct ipc_ool_copy *
 *	OOL ports descriptors			address = kalloc'd ipc_port_t[count]
 *	msgh_size				the kernel-form size (the kernel
 *						header is larger than the user one)
 *
 * Copyout turns it back into user form in the receiver's space. Port
 * descriptors and OOL descriptors have the same size in both forms; only
 * the header differs (IKM_HEADER_DELTA bytes).
 */
#ifndef _IPC_IPC_KMSG_H
#define _IPC_IPC_KMSG_H

#include <ipc/ipc_object.h>

/* The header as senders and receivers see it (names, not ports). */
typedef struct mach_msg_user_header {
	mach_msg_bits_t		msgh_bits;
	mach_msg_size_t		msgh_size;
	mach_port_name_t	msgh_remote_port;
	mach_port_name_t	msgh_local_port;
	mach_port_name_t	msgh_reserved;
	mach_msg_id_t		msgh_id;
} mach_msg_user_header_t;

/* A port descriptor in user form (12 bytes, as the kernel form). */
#pragma pack(push, 4)
typedef struct {
	mach_port_name_t		name;
	mach_msg_size_t			pad1;
	unsigned int			pad2 : 16;
	mach_msg_type_name_t		disposition : 8;
	mach_msg_descriptor_type_t	type : 8;
} mach_msg_user_port_descriptor_t;
#pragma pack(pop)

#ifndef __CHECKER__	/* sparse does not pack */
_Static_assert(sizeof(mach_msg_user_port_descriptor_t) == sizeof(mach_msg_port_descriptor_t),
	       "port descriptors have one size in both forms");
#endif

#define IKM_HEADER_DELTA \
	((mach_msg_size_t)(sizeof(mach_msg_header_t) - sizeof(mach_msg_user_header_t)))

struct ipc_kmsg {
	struct ipc_kmsg		*ikm_next, *ikm_prev;	/* message queue links */
	mach_msg_size_t		ikm_size;	/* buffer bytes for the message (no trailer) */
	mach_msg_header_t	*ikm_header;	/* the message, in kernel form */
	unsigned int		ikm_flags;	/* IKM_F_* */
	security_token_t	ikm_sender;	/* the sender's token, for the trailer */
	mach_port_seqno_t	ikm_seqno;	/* given when it is received */
	/* the buffer follows: ikm_size + MAX_TRAILER_SIZE bytes */
};

typedef struct ipc_kmsg *ipc_kmsg_t;
#define IKM_NULL	((ipc_kmsg_t)0)
/* "Handed over without a kmsg" (ipc_mqueue_fast_serve()): never a buffer. */
#define IKM_FAST	((ipc_kmsg_t)1)

#define IKM_F_CACHED	0x1	/* a standard-size buffer: goes back to the cache */

/*
 * The standard buffer size: messages up to it (kernel form) take a cached
 * buffer. A null message, MIG requests and replies of the usual sizes fit.
 */
#define IKM_SAVED_MSG_SIZE	256U

/*
 * Copy `size` bytes (a multiple of 4; both addresses 4-byte aligned), going
 * forward, so that dst may overlap src from below: messages and trailers
 * are made of 4-byte units, and the kernel's memcpy is a byte loop.
 */
static inline void ipc_copy_words(void *dst, const void *src, vm_size_t size)
{
	uint32_t *d = dst;
	const uint32_t *s = src;

	for (size /= 4; size; size--)
		*d++ = *s++;
}

/* Any bytes, a long at a time while both are aligned (OOL data). */
void ipc_copy_bytes(void *dst, const void *src, vm_size_t size);

/* A buffer for a message of msg_size bytes plus the largest trailer; cached. NULL if out of memory. */
ipc_kmsg_t ipc_kmsg_alloc(mach_msg_size_t msg_size);
void ipc_kmsg_free(ipc_kmsg_t kmsg);		/* buffer only: no rights released */

/* Release every right and every OOL region a kernel-form message holds, then free it. */
void ipc_kmsg_destroy(ipc_kmsg_t kmsg);

/*
 * Release what the message holds but keep the buffer (its header's ports
 * and descriptors are cleared): the receive path's clean-up.
 */
void ipc_kmsg_clean(ipc_kmsg_t kmsg);

/*
 * A message the kernel built (MIG KernelUser stubs, notifications): header
 * and port descriptors hold ipc_port_t with *dispositions* (COPY_SEND,
 * MAKE_SEND, MAKE_SEND_ONCE, MOVE_SEND, MOVE_SEND_ONCE, MOVE_RECEIVE)
 * naming kernel-held rights; turn it into kernel form (make/copy take new
 * rights, move consumes the caller's). OOL descriptors must already hold
 * ipc_ool_copy objects; OOL port arrays kalloc'd arrays of ports.
 */
void ipc_kmsg_copyin_from_kernel(ipc_kmsg_t kmsg);

/*
 * Where a user-form message goes in a kmsg from ipc_kmsg_alloc(size +
 * IKM_HEADER_DELTA) before ipc_kmsg_copyin() (ipc/mach_msg.c's get copies
 * the sender's bytes there).
 */
void *ipc_kmsg_user_buffer(ipc_kmsg_t kmsg);

/*
 * Turn the user-form message of `size` bytes in the kmsg's user buffer
 * into kernel form, taking the rights it names out of `space` (see
 * Documentation/ipc.rst for every error and what it leaves consumed). On
 * failure the kmsg holds no rights and the caller frees it.
 *
 * rcvp (or NULL): an RPC's receive, looked up in the same hold of the
 * space lock as the header's rights: *rcvp is the receive right's port or
 * the port set named rcv_name, referenced, or IO_NULL (no such right, a
 * complex message, a kernel object destination, or a failed copyin): look
 * it up the ordinary way.
 */
mach_msg_return_t ipc_kmsg_copyin(ipc_kmsg_t kmsg, ipc_space_t space,
				  mach_msg_size_t size, mach_msg_option_t option,
				  mach_port_name_t rcv_name, ipc_object_t *rcvp);

/*
 * Copy a kernel-form message out into `space`: rights get names there,
 * OOL data and port arrays get kernel memory (ipc_ool_copyout()). Writes
 * the user form into the kmsg's own buffer (ikm_header then points at a
 * mach_msg_user_header_t) and returns MACH_MSG_SUCCESS, or
 * MACH_RCV_HEADER_ERROR / MACH_RCV_BODY_ERROR with what could not be
 * copied out destroyed (as Mach: the header's rights, then the body's).
 */
mach_msg_return_t ipc_kmsg_copyout(ipc_kmsg_t kmsg, ipc_space_t space,
				   mach_msg_option_t option);

/*
 * A send that timed out or was interrupted gives its message back to the
 * sender (Mach's pseudo-receive): every right is copied out into `space`
 * (the destination and reply keep their places and order), OOL regions
 * come back as fresh memory. MACH_MSG_SUCCESS, or the receive errors of
 * ipc_kmsg_copyout() for what could not be named.
 */
mach_msg_return_t ipc_kmsg_copyout_pseudo(ipc_kmsg_t kmsg, ipc_space_t space);

/*
 * The receiver got MACH_RCV_TOO_LARGE without MACH_RCV_LARGE: only the
 * destination is copied out (as its receive name), everything else is
 * destroyed; the header keeps the message's user size.
 */
void ipc_kmsg_copyout_dest(ipc_kmsg_t kmsg, ipc_space_t space);

/*
 * The name of a message's destination `dest` in the receiver's `space`
 * (its receive right's name, MACH_PORT_NAME_NULL if received elsewhere,
 * MACH_PORT_NAME_DEAD if it died), using up the message's right of
 * `type` (a send right's last may fire no-senders). Nothing locked.
 */
mach_port_name_t ipc_kmsg_copyout_dest_name(ipc_space_t space, ipc_port_t dest,
					    mach_msg_type_name_t type);

/* Size of the message in user form (after ipc_kmsg_copyout(): msgh_size). */
mach_msg_size_t ipc_kmsg_user_size(ipc_kmsg_t kmsg);

/*
 * Append the trailer `option` asks for (MACH_RCV_TRAILER_*) after the
 * user-form message; returns its size.
 */
mach_msg_size_t ipc_kmsg_add_trailer(ipc_kmsg_t kmsg, mach_msg_option_t option);

/*
 * Queue a kernel-form message on its destination (msgh_remote_port), or, if
 * the destination is a kernel object port (ip_kotype != IKOT_NONE), hand it to
 * ipc_kobject_server() and send the reply it returns (if any) the same way.
 * option: MACH_SEND_TIMEOUT etc; consumes the kmsg on success; on failure the
 * caller still owns it. MACH_SEND_INVALID_DEST if the destination is dead,
 * MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED, MACH_SEND_NO_BUFFER. A message
 * marked MACH_MSGH_BITS_CIRCULAR (a receive right sent into its own chain)
 * is destroyed and the send succeeds, as in Mach.
 */
mach_msg_return_t ipc_kmsg_send(ipc_kmsg_t kmsg, mach_msg_option_t option,
				mach_msg_timeout_t timeout);

/* The same, giving back the receiver served, claimed, for the RPC handoff (ipc_mqueue.h). */
struct thread;
mach_msg_return_t ipc_kmsg_send_handoff(ipc_kmsg_t kmsg, mach_msg_option_t option,
					mach_msg_timeout_t timeout, struct thread **receiverp);

/*
 * Out-of-line memory, until the VM's vm_map_copy replaces it: a
 * kernel-owned, page-granular copy of the sender's bytes.
 *
 * ipc_ool_copyin(addr, size, dealloc, &copy): copy size bytes at addr
 * into a new copy object. An address in the calling thread's map (a task
 * or a kernel thread switched into a map) is taken by vm_map_copyin()
 * (copy-on-write, ioc_vm; with dealloc the range leaves the map); any
 * other address (kernel threads without a map: the kernel's own memory)
 * is copied into kernel memory (ioc_data), and with dealloc the sender's
 * region is freed (ipc_ool_free()) once copied.
 * MACH_SEND_INVALID_MEMORY (bad address), MACH_SEND_NO_BUFFER (no memory),
 * MACH_SEND_TOO_LARGE (beyond IPC_OOL_SIZE_MAX).
 *
 * ipc_ool_copyout(copy, &addr): the receiver's region, the copy object
 * consumed: a receiver running in a map gets the data mapped there
 * (vm_map_copyout(); it frees it with vm_map_remove()), one without gets
 * fresh kernel memory, freed with ipc_ool_free(addr, size). A region
 * that cannot be made (no room in the map) gives NULL and an error.
 *
 * ipc_ool_copy_from_vm(vmc) / ipc_ool_copy_to_vm(copy): a vm_map_copy as
 * a message's OOL data (vm_read's reply) and back (vm_write's request,
 * data supplied by a pager); each consumes its argument when it succeeds.
 * NULL without memory: the argument is left as it was, the caller's to
 * discard (vm_map_copy_discard(), ipc_ool_copy_discard()) or to leave in
 * the message that is destroyed.
 */
struct vm_map_copy;
struct ipc_ool_copy {
	vm_size_t		ioc_size;	/* bytes of data */
	vm_size_t		ioc_alloc;	/* bytes allocated (page multiple) */
	void			*ioc_data;	/* kernel memory, or NULL: */
	struct vm_map_copy	*ioc_vm;	/* the data in VM objects */
};

#define IPC_OOL_SIZE_MAX	(64UL * 1024 * 1024)

mach_msg_return_t ipc_ool_copyin(const void *addr, vm_size_t size, bool dealloc,
				 struct ipc_ool_copy **copyp);
kern_return_t ipc_ool_copyout(struct ipc_ool_copy *copy, void **addrp);
void ipc_ool_copy_discard(struct ipc_ool_copy *copy);
struct ipc_ool_copy *ipc_ool_copy_from_vm(struct vm_map_copy *vmc);
struct vm_map_copy *ipc_ool_copy_to_vm(struct ipc_ool_copy *copy);
/* Free an out-of-line region a receive gave (or a sender allocated with ipc_ool_alloc()). */
void ipc_ool_free(void *addr, vm_size_t size);
/* Memory a sender may pass with deallocate = TRUE. NULL without memory. */
void *ipc_ool_alloc(vm_size_t size);

/* Counters the tests check against their baseline. */
struct ipc_kmsg_stats {
	long	kmsgs;		/* ipc_kmsg in existence (cached buffers not counted) */
	long	cached;		/* standard buffers sitting in the caches */
	long	ool_copies;	/* ipc_ool_copy objects in existence */
	long	ool_regions;	/* regions handed to receivers, not yet freed */
	long	ool_bytes;	/* bytes of both */
};

void ipc_kmsg_stats_get(struct ipc_kmsg_stats *stats);

kern_return_t ipc_kmsg_bootstrap(void);

#endif /* _IPC_IPC_KMSG_H */

// SPDX-License-Identifier: MIT
/*
 * Kernel messages (ipc_kmsg.h): buffers, copyin of a message into kernel
 * form, copyout into a receiver's space, trailers, destruction, and the
 * out-of-line memory interface that vm_map_copy will replace.
 */
#include <kern/copyio.h>
#include <kern/init.h>
#include <kern/kmem.h>
#include <kern/vm_page.h>	/* PAGE_SIZE */
#include <kern/vm_map_copy.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/zalloc.h>
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>

/*
 * Standard buffers come from their own zone, whose per-CPU caches make
 * allocation and free a few instructions and no shared lock in the
 * common case; larger ones from kalloc.
 */
static struct zone *ipc_kmsg_zone;

#define IKM_STD_ALLOC	(sizeof(struct ipc_kmsg) + IKM_SAVED_MSG_SIZE + MAX_TRAILER_SIZE)

static long ikm_large, ikm_ool_copies, ikm_ool_regions, ikm_ool_bytes;

static inline void ikm_count(long *c, long delta)
{
	__atomic_add_fetch(c, delta, __ATOMIC_RELAXED);
}

kern_return_t ipc_kmsg_bootstrap(void)
{
	ipc_kmsg_zone = zone_create("ipc.kmsg", IKM_STD_ALLOC, 0, 0);
	if (!ipc_kmsg_zone)
		panic("ipc: cannot create the kmsg zone");
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, ipc_kmsg_bootstrap);

void ipc_kmsg_stats_get(struct ipc_kmsg_stats *s)
{
	struct zone_stats zs;

	zone_get_stats(ipc_kmsg_zone, &zs);
	s->kmsgs = (long)zs.in_use + __atomic_load_n(&ikm_large, __ATOMIC_RELAXED);
	s->cached = (long)zs.cached;
	s->ool_copies = __atomic_load_n(&ikm_ool_copies, __ATOMIC_RELAXED);
	s->ool_regions = __atomic_load_n(&ikm_ool_regions, __ATOMIC_RELAXED);
	s->ool_bytes = __atomic_load_n(&ikm_ool_bytes, __ATOMIC_RELAXED);
}

ipc_kmsg_t ipc_kmsg_alloc(mach_msg_size_t msg_size)
{
	ipc_kmsg_t kmsg;

	if (likely(msg_size <= IKM_SAVED_MSG_SIZE)) {
		kmsg = zalloc(ipc_kmsg_zone);
		if (unlikely(!kmsg))
			return IKM_NULL;
		kmsg->ikm_size = IKM_SAVED_MSG_SIZE;
		kmsg->ikm_flags = IKM_F_CACHED;
	} else {
		if (msg_size > MACH_MSG_SIZE_MAX + IKM_HEADER_DELTA)
			return IKM_NULL;
		kmsg = kalloc(sizeof(*kmsg) + msg_size + MAX_TRAILER_SIZE);
		if (!kmsg)
			return IKM_NULL;
		ikm_count(&ikm_large, 1);
		kmsg->ikm_size = msg_size;
		kmsg->ikm_flags = 0;
	}
	kmsg->ikm_next = kmsg->ikm_prev = IKM_NULL;
	kmsg->ikm_header = (mach_msg_header_t *)(kmsg + 1);
	kmsg->ikm_seqno = 0;
	kmsg->ikm_sender.val[0] = kmsg->ikm_sender.val[1] = 0;
	return kmsg;
}

void ipc_kmsg_free(ipc_kmsg_t kmsg)
{
	if (likely(kmsg->ikm_flags & IKM_F_CACHED)) {
		zfree(ipc_kmsg_zone, kmsg);
		return;
	}
	ikm_count(&ikm_large, -1);
	kfree(kmsg, sizeof(*kmsg) + kmsg->ikm_size + MAX_TRAILER_SIZE);
}

/* ------------------------------------------------------------------------
 * Out-of-line memory (until vm_map_copy)
 */

static inline vm_size_t ool_round(vm_size_t size)
{
	return (size + PAGE_SIZE - 1) & ~(vm_size_t)(PAGE_SIZE - 1);
}

void *ipc_ool_alloc(vm_size_t size)
{
	void *p;

	if (size == 0 || size > IPC_OOL_SIZE_MAX)
		return NULL;
	p = kalloc(ool_round(size));
	if (p) {
		ikm_count(&ikm_ool_regions, 1);
		ikm_count(&ikm_ool_bytes, (long)ool_round(size));
	}
	return p;
}

void ipc_ool_free(void *addr, vm_size_t size)
{
	if (!addr || size == 0)
		return;
	kfree(addr, ool_round(size));
	ikm_count(&ikm_ool_regions, -1);
	ikm_count(&ikm_ool_bytes, -(long)ool_round(size));
}

void ipc_copy_bytes(void *dst, const void *src, vm_size_t size)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(long) - 1)) == 0) {
		for (; size >= 4 * sizeof(long); size -= 4 * sizeof(long)) {
			((long *)d)[0] = ((const long *)s)[0];
			((long *)d)[1] = ((const long *)s)[1];
			((long *)d)[2] = ((const long *)s)[2];
			((long *)d)[3] = ((const long *)s)[3];
			d += 4 * sizeof(long);
			s += 4 * sizeof(long);
		}
	}
	while (size--)
		*d++ = *s++;
}

/* The thread's map, if addr is in it: OOL data there moves by vm_map_copy. */
static vm_map_t ipc_ool_map(const void *addr)
{
	vm_map_t map = current_thread()->map;

	if (map && (vm_offset_t)addr >= map->min_offset && (vm_offset_t)addr < map->max_offset)
		return map;
	return VM_MAP_NULL;
}

struct ipc_ool_copy *ipc_ool_copy_from_vm(struct vm_map_copy *vmc)
{
	struct ipc_ool_copy *copy;

	if (!vmc)
		return NULL;
	copy = kalloc(sizeof(*copy));
	if (!copy)
		return NULL;
	copy->ioc_size = vmc->size;
	copy->ioc_alloc = 0;
	copy->ioc_data = NULL;
	copy->ioc_vm = vmc;
	ikm_count(&ikm_ool_copies, 1);
	return copy;
}

struct vm_map_copy *ipc_ool_copy_to_vm(struct ipc_ool_copy *copy)
{
	struct vm_map_copy *vmc;

	if (!copy)
		return NULL;
	vmc = copy->ioc_vm;
	if (!vmc) {
		vmc = vm_map_copy_from_kernel(copy->ioc_data, copy->ioc_size);
		if (!vmc)
			return NULL;
		kfree(copy->ioc_data, copy->ioc_alloc);
		ikm_count(&ikm_ool_bytes, -(long)copy->ioc_alloc);
	}
	ikm_count(&ikm_ool_copies, -1);
	kfree(copy, sizeof(*copy));
	return vmc;
}

mach_msg_return_t ipc_ool_copyin(const void *addr, vm_size_t size, bool dealloc,
				 struct ipc_ool_copy **copyp)
{
	struct ipc_ool_copy *copy;
	vm_map_t map;

	*copyp = NULL;
	if (size == 0)
		return MACH_MSG_SUCCESS;
	if (size > IPC_OOL_SIZE_MAX)
		return MACH_SEND_TOO_LARGE;
	if (!addr || (uintptr_t)addr + size < (uintptr_t)addr)
		return MACH_SEND_INVALID_MEMORY;
	map = ipc_ool_map(addr);
	/* From user space (the mach_msg trap), only the sender's own memory. */
	if (!map && current_thread()->ith_user_buffer)
		return MACH_SEND_INVALID_MEMORY;
	if (map) {
		struct vm_map_copy *vmc;
		kern_return_t kr = vm_map_copyin(map, (vm_offset_t)addr, size, dealloc, &vmc);

		if (kr != KERN_SUCCESS)
			return kr == KERN_RESOURCE_SHORTAGE ? MACH_SEND_NO_BUFFER
							    : MACH_SEND_INVALID_MEMORY;
		*copyp = ipc_ool_copy_from_vm(vmc);
		if (*copyp)
			return MACH_MSG_SUCCESS;
		vm_map_copy_discard(vmc);
		return MACH_SEND_NO_BUFFER;
	}
	copy = kalloc(sizeof(*copy));
	if (!copy)
		return MACH_SEND_NO_BUFFER;
	copy->ioc_size = size;
	copy->ioc_alloc = ool_round(size);
	copy->ioc_vm = NULL;
	copy->ioc_data = kalloc(copy->ioc_alloc);
	if (!copy->ioc_data) {
		kfree(copy, sizeof(*copy));
		return MACH_SEND_NO_BUFFER;
	}
	ipc_copy_bytes(copy->ioc_data, addr, size);
	if (copy->ioc_alloc > size)
		memset((char *)copy->ioc_data + size, 0, copy->ioc_alloc - size);
	ikm_count(&ikm_ool_copies, 1);
	ikm_count(&ikm_ool_bytes, (long)copy->ioc_alloc);
	if (dealloc)
		ipc_ool_free((void *)addr, size);
	*copyp = copy;
	return MACH_MSG_SUCCESS;
}

void ipc_ool_copy_discard(struct ipc_ool_copy *copy)
{
	if (!copy)
		return;
	if (copy->ioc_vm) {
		vm_map_copy_discard(copy->ioc_vm);
	} else {
		kfree(copy->ioc_data, copy->ioc_alloc);
		ikm_count(&ikm_ool_bytes, -(long)copy->ioc_alloc);
	}
	ikm_count(&ikm_ool_copies, -1);
	kfree(copy, sizeof(*copy));
}

/* Data that lives in VM objects, for a receiver without a map: kernel memory. */
static void *ipc_ool_copyout_kernel(struct ipc_ool_copy *copy)
{
	void *data = ipc_ool_alloc(copy->ioc_size);

	if (data && vm_map_copy_read(copy->ioc_vm, 0, data, copy->ioc_size) != KERN_SUCCESS) {
		ipc_ool_free(data, copy->ioc_size);
		data = NULL;
	}
	if (data)
		memset((char *)data + copy->ioc_size, 0, ool_round(copy->ioc_size) - copy->ioc_size);
	ipc_ool_copy_discard(copy);
	return data;
}

kern_return_t ipc_ool_copyout(struct ipc_ool_copy *copy, void **addrp)
{
	vm_map_t map = current_thread()->map;

	*addrp = NULL;
	if (!copy)
		return KERN_SUCCESS;
	if (map) {
		/* The receiver runs in a map: the data appears there. */
		struct vm_map_copy *vmc = ipc_ool_copy_to_vm(copy);
		vm_offset_t addr;
		kern_return_t kr = vmc ? vm_map_copyout(map, &addr, vmc) : KERN_RESOURCE_SHORTAGE;

		if (kr != KERN_SUCCESS) {
			if (vmc)
				vm_map_copy_discard(vmc);
			else
				ipc_ool_copy_discard(copy);
			return kr;
		}
		*addrp = (void *)addr;
		return KERN_SUCCESS;
	}
	if (copy->ioc_vm) {
		*addrp = ipc_ool_copyout_kernel(copy);
		return *addrp ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
	}
	/* The copy's pages become the receiver's region as they are. */
	*addrp = copy->ioc_data;
	ikm_count(&ikm_ool_copies, -1);
	ikm_count(&ikm_ool_regions, 1);
	kfree(copy, sizeof(*copy));
	return KERN_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Walking the descriptors of a kernel-form message
 */

static inline mach_msg_body_t *ikm_body(mach_msg_header_t *h)
{
	return (mach_msg_body_t *)(h + 1);
}

static inline mach_msg_descriptor_t *ikm_descs(mach_msg_header_t *h)
{
	return (mach_msg_descriptor_t *)(ikm_body(h) + 1);
}

static inline vm_size_t ikm_desc_size(const mach_msg_descriptor_t *d)
{
	return d->type.type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(mach_msg_port_descriptor_t)
							: sizeof(mach_msg_ool_descriptor_t);
}

static inline mach_msg_descriptor_t *ikm_desc_next(mach_msg_descriptor_t *d)
{
	return (mach_msg_descriptor_t *)((char *)d + ikm_desc_size(d));
}

/* Release what one kernel-form descriptor holds and clear it. */
static void ikm_clean_desc(mach_msg_descriptor_t *d)
{
	switch (d->type.type) {
	case MACH_MSG_PORT_DESCRIPTOR:
		ipc_object_destroy(d->port.name, d->port.disposition);
		d->port.name = IP_NULL;
		break;
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
		ipc_ool_copy_discard(d->out_of_line.address);
		d->out_of_line.address = NULL;
		break;
	case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
		ipc_port_t *ports = d->ool_ports.address;
		mach_msg_size_t i;

		if (!ports)
			break;
		for (i = 0; i < d->ool_ports.count; i++)
			ipc_object_destroy(ports[i], d->ool_ports.disposition);
		kfree(ports, d->ool_ports.count * sizeof(ipc_port_t));
		d->ool_ports.address = NULL;
		break;
	}
	}
}

/* The first `count` descriptors of a kernel-form message. */
static void ikm_clean_body(mach_msg_header_t *h, mach_msg_size_t count)
{
	mach_msg_descriptor_t *d = ikm_descs(h);
	mach_msg_size_t i;

	for (i = 0; i < count; i++, d = ikm_desc_next(d))
		ikm_clean_desc(d);
}

static void ikm_clean_header(mach_msg_header_t *h)
{
	mach_msg_bits_t bits = h->msgh_bits;

	ipc_object_destroy(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	ipc_object_destroy(h->msgh_local_port, MACH_MSGH_BITS_LOCAL(bits));
	h->msgh_remote_port = h->msgh_local_port = IP_NULL;
}

void ipc_kmsg_clean(ipc_kmsg_t kmsg)
{
	mach_msg_header_t *h = kmsg->ikm_header;

	ikm_clean_header(h);
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		ikm_clean_body(h, ikm_body(h)->msgh_descriptor_count);
}

/*
 * Destroying a message can destroy a receive right, whose port's queued
 * messages are destroyed in turn: the thread keeps a list and the
 * outermost call drains it, so that a long chain of ports carried in
 * messages costs no stack.
 */
void ipc_kmsg_destroy(ipc_kmsg_t kmsg)
{
	struct thread *self = current_thread();

	kmsg->ikm_next = self->ith_destroy_list;
	self->ith_destroy_list = kmsg;
	if (self->ith_destroying)
		return;
	self->ith_destroying = true;
	while ((kmsg = self->ith_destroy_list) != IKM_NULL) {
		self->ith_destroy_list = kmsg->ikm_next;
		ipc_kmsg_clean(kmsg);
		ipc_kmsg_free(kmsg);
	}
	self->ith_destroying = false;
}

/* ------------------------------------------------------------------------
 * Receive rights in transit, and the cycles they must not make
 */

static spinlock_t ipc_transit_lock = SPINLOCK_INIT;

/*
 * Would `port`'s receive right, sent to `dest`, make a cycle (dest is
 * port, or is in transit, through a chain, to port)? If not, port is now
 * in transit to dest (dest referenced). The lock keeps two messages from
 * closing one cycle from both ends; leaving transit needs only the
 * port's lock, as it can only break chains.
 */
static bool ikm_port_transit(ipc_port_t port, ipc_port_t dest)
{
	ipc_port_t p = dest, next;
	bool circular = false;

	spin_lock(&ipc_transit_lock);
	while (IP_VALID(p)) {
		if (p == port) {
			circular = true;
			break;
		}
		ip_lock(p);
		next = p->ip_state == IPC_PORT_IN_TRANSIT ? p->ip_destination : IP_NULL;
		ip_unlock(p);
		p = next;
	}
	if (!circular) {
		ip_lock(port);
		ip_reference(dest);
		ipc_port_set_in_transit(port, dest);
		ip_unlock(port);
	}
	spin_unlock(&ipc_transit_lock);
	return circular;
}

/* Every receive right the message carries goes in transit to its destination. */
static void ikm_transit_all(mach_msg_header_t *h)
{
	ipc_port_t dest = h->msgh_remote_port;
	mach_msg_descriptor_t *d;
	mach_msg_size_t i, j;

	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	d = ikm_descs(h);
	for (i = 0; i < ikm_body(h)->msgh_descriptor_count; i++, d = ikm_desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR &&
		    d->port.disposition == MACH_MSG_TYPE_PORT_RECEIVE &&
		    IP_VALID(d->port.name)) {
			if (ikm_port_transit(d->port.name, dest))
				h->msgh_bits |= MACH_MSGH_BITS_CIRCULAR;
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
			   d->ool_ports.disposition == MACH_MSG_TYPE_PORT_RECEIVE) {
			ipc_port_t *ports = d->ool_ports.address;

			for (j = 0; ports && j < d->ool_ports.count; j++)
				if (IP_VALID(ports[j]) && ikm_port_transit(ports[j], dest))
					h->msgh_bits |= MACH_MSGH_BITS_CIRCULAR;
		}
	}
}

/* A receive right leaves transit as its message is delivered. */
static void ikm_port_arrive(ipc_port_t port)
{
	ipc_port_t dest = IP_NULL;

	ip_lock(port);
	if (port->ip_state == IPC_PORT_IN_TRANSIT)
		dest = ipc_port_clear_in_transit(port);
	ip_unlock(port);
	if (dest)
		ipc_port_release(dest);
}

/* ------------------------------------------------------------------------
 * Copyin from the kernel
 */

/* A kernel-held right with `disp` becomes the right it names. */
static ipc_port_t ikm_copyin_kernel_right(ipc_port_t port, mach_msg_type_name_t disp)
{
	if (!IP_VALID(port))
		return port;
	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
		return ipc_port_make_send(port);
	case MACH_MSG_TYPE_COPY_SEND:
		return ipc_port_copy_send(port);
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return ipc_port_make_sonce(port);
	default:
		/* MOVE_*: the caller's right moves (a receive right in LIMBO). */
		return port;
	}
}

void ipc_kmsg_copyin_from_kernel(ipc_kmsg_t kmsg)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_type_name_t rt = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	mach_msg_type_name_t lt = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	mach_msg_descriptor_t *d;
	mach_msg_size_t i, j;

	h->msgh_remote_port = ikm_copyin_kernel_right(h->msgh_remote_port, rt);
	h->msgh_local_port = ikm_copyin_kernel_right(h->msgh_local_port, lt);
	h->msgh_bits = (h->msgh_bits & ~MACH_MSGH_BITS_PORTS_MASK) |
		       MACH_MSGH_BITS(ipc_object_copyin_type(rt),
				      lt ? ipc_object_copyin_type(lt) : 0);
	kmsg->ikm_sender = (security_token_t)KERNEL_SECURITY_TOKEN_VALUE;
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	d = ikm_descs(h);
	for (i = 0; i < ikm_body(h)->msgh_descriptor_count; i++, d = ikm_desc_next(d)) {
		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_msg_type_name_t disp = d->port.disposition;

			d->port.name = ikm_copyin_kernel_right(d->port.name, disp);
			d->port.disposition = ipc_object_copyin_type(disp);
		} else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			ipc_port_t *ports = d->ool_ports.address;
			mach_msg_type_name_t disp = d->ool_ports.disposition;

			for (j = 0; ports && j < d->ool_ports.count; j++)
				ports[j] = ikm_copyin_kernel_right(ports[j], disp);
			d->ool_ports.disposition = ipc_object_copyin_type(disp);
		}
	}
	ikm_transit_all(h);
}

/* ------------------------------------------------------------------------
 * Copyin of a user-form message: the header
 */

/*
 * Would ipc_right_copyin() accept `disp` on this entry? Nothing changes
 * but lazy dead names (ipc_right_check()). Space locked.
 */
static bool ikm_right_ok(ipc_space_t space, mach_port_name_t name, ipc_entry_t entry,
			 mach_msg_type_name_t disp, bool deadok)
{
	ipc_entry_bits_t bits = entry->ie_bits;
	ipc_port_t port = (ipc_port_t)entry->ie_object;

	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return bits & MACH_PORT_TYPE_RECEIVE;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		break;
	default:
		return false;
	}
	if ((bits & MACH_PORT_TYPE_SEND_RIGHTS) && !(bits & MACH_PORT_TYPE_RECEIVE)) {
		if (ipc_right_check(space, port, name, entry))
			bits = entry->ie_bits;	/* it died: now a dead name */
		else
			ip_unlock(port);
	}
	if (bits & MACH_PORT_TYPE_DEAD_NAME)
		return deadok;
	if (disp == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return bits & MACH_PORT_TYPE_SEND_ONCE;
	return bits & MACH_PORT_TYPE_SEND;
}

static inline bool ikm_disp_moves(mach_msg_type_name_t disp)
{
	return disp == MACH_MSG_TYPE_MOVE_SEND || disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
	       disp == MACH_MSG_TYPE_MOVE_RECEIVE;
}

/*
 * One right, already checked, out of a locked space. It fails only for a
 * destination (deadok false) whose port died since the check.
 */
static bool ikm_copyin_checked(ipc_space_t space, mach_port_name_t name,
			       ipc_entry_t entry, mach_msg_type_name_t disp, bool deadok,
			       ipc_port_t *portp, ipc_port_t *sorightp)
{
	*portp = IP_NULL;
	if (ipc_right_copyin(space, name, entry, disp, deadok, portp, sorightp) !=
	    KERN_SUCCESS)
		return false;
	if (IE_BITS_TYPE(entry->ie_bits) == MACH_PORT_TYPE_NONE)
		ipc_entry_dealloc(space, name, entry);
	return true;
}

/*
 * What an RPC will receive from (a receive right or a port set named
 * rcv_name, referenced), looked up under the send's hold of the space
 * lock; IO_NULL if the name is no such right: the receive looks again and
 * reports it. Space locked.
 */
static ipc_object_t ikm_rcv_object_locked(ipc_space_t space, mach_port_name_t rcv_name)
{
	ipc_entry_t entry = ipc_entry_lookup(space, rcv_name);
	ipc_object_t object;

	if (!entry || !(entry->ie_bits & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET)))
		return IO_NULL;
	object = entry->ie_object;
	io_reference(object);
	return object;
}

/*
 * The header's two rights, both or neither: every check is made before
 * anything is taken, under one hold of the space's lock, so that
 * MACH_SEND_INVALID_DEST and MACH_SEND_INVALID_REPLY consume nothing.
 * With rcvp, the same hold looks up rcv_name for the receive that follows.
 */
static mach_msg_return_t ikm_copyin_header(ipc_space_t space, mach_msg_header_t *h,
					   mach_port_name_t dname, mach_port_name_t rname,
					   mach_port_name_t rcv_name, ipc_object_t *rcvp)
{
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(bits);
	ipc_port_t dport = IP_NULL, rport = IP_NULL, dso = IP_NULL, rso = IP_NULL;
	bool rnamed = MACH_PORT_NAME_VALID(rname);
	ipc_entry_t dentry, rentry = NULL;

	if ((bits & ~MACH_MSGH_BITS_USER) || !MACH_MSG_TYPE_PORT_ANY_SEND(dt) ||
	    (rt == 0 ? rname != MACH_PORT_NAME_NULL : !MACH_MSG_TYPE_PORT_ANY_SEND(rt)))
		return MACH_SEND_INVALID_HEADER;
	if (!MACH_PORT_NAME_VALID(dname))
		return MACH_SEND_INVALID_DEST;
	if (ipc_space_lock_active(space) != KERN_SUCCESS)
		return MACH_SEND_INVALID_DEST;

	dentry = ipc_entry_lookup(space, dname);
	if (!rnamed) {
		/* The common case: one right, taken whole or not at all. */
		if (!dentry || !ikm_copyin_checked(space, dname, dentry, dt, false, &dport, &dso)) {
			is_unlock(space);
			return MACH_SEND_INVALID_DEST;
		}
		goto taken;
	}
	if (!dentry || !ikm_right_ok(space, dname, dentry, dt, false)) {
		is_unlock(space);
		return MACH_SEND_INVALID_DEST;
	}
	rentry = ipc_entry_lookup(space, rname);
	if (!rentry || !ikm_right_ok(space, rname, rentry, rt, true))
		goto invalid_reply;
	if (rname == dname) {
		/* One name, two rights: a send-once right moves once, urefs must last. */
		if (dt == MACH_MSG_TYPE_MOVE_SEND_ONCE && rt == MACH_MSG_TYPE_MOVE_SEND_ONCE)
			goto invalid_reply;
		if (dt == MACH_MSG_TYPE_MOVE_SEND && rt == MACH_MSG_TYPE_MOVE_SEND &&
		    IE_BITS_UREFS(dentry->ie_bits) < 2)
			goto invalid_reply;
	}

	/* Copying or making before moving, when the two share a name. */
	if (rname == dname && ikm_disp_moves(dt) && !ikm_disp_moves(rt)) {
		ikm_copyin_checked(space, rname, rentry, rt, true, &rport, &rso);
		ikm_copyin_checked(space, dname, dentry, dt, false, &dport, &dso);
	} else if (ikm_copyin_checked(space, dname, dentry, dt, false, &dport, &dso)) {
		ikm_copyin_checked(space, rname, rentry, rt, true, &rport, &rso);
	}
taken:
	/* A kernel object's server runs in the send and may change the space. */
	if (rcvp && IP_VALID(dport) && READ_ONCE(dport->ip_kotype) == IKOT_NONE)
		*rcvp = ikm_rcv_object_locked(space, rcv_name);
	is_unlock(space);
	if (dso)
		ipc_notify_port_deleted(dso, dname);
	if (rso)
		ipc_notify_port_deleted(rso, rname);

	if (!IP_VALID(dport)) {
		/*
		 * The destination died between the check and the copyin (a
		 * reply copied in first is then lost, the one case where
		 * MACH_SEND_INVALID_DEST consumes something).
		 */
		ipc_object_destroy(rport, ipc_object_copyin_type(rt));
		return MACH_SEND_INVALID_DEST;
	}
	if (!rnamed)
		rport = rname == MACH_PORT_NAME_DEAD ? IP_DEAD : IP_NULL;
	h->msgh_remote_port = dport;
	h->msgh_local_port = rport;
	h->msgh_bits = MACH_MSGH_BITS_OTHER(bits) |
		       MACH_MSGH_BITS(ipc_object_copyin_type(dt),
				      rt ? ipc_object_copyin_type(rt) : 0);
	return MACH_MSG_SUCCESS;

invalid_reply:
	is_unlock(space);
	return MACH_SEND_INVALID_REPLY;
}

/* ------------------------------------------------------------------------
 * Copyin: the body
 */

static mach_msg_return_t ikm_copyin_name(ipc_space_t space, mach_port_name_t name,
					 mach_msg_type_name_t disp, ipc_port_t *portp)
{
	if (!MACH_PORT_NAME_VALID(name)) {
		*portp = name == MACH_PORT_NAME_DEAD ? IP_DEAD : IP_NULL;
		return MACH_MSG_SUCCESS;
	}
	if (ipc_object_copyin(space, name, disp, portp) != KERN_SUCCESS)
		return MACH_SEND_INVALID_RIGHT;
	return MACH_MSG_SUCCESS;
}

/*
 * The deallocate flag of a sent out-of-line port array, once every right
 * is copied in: a kernel sender's buffer is freed; a user sender's region
 * goes from its map, whole pages as for out-of-line memory
 * (vm_map_copyin() with src_destroy).
 */
static void ikm_ool_ports_dealloc(void *names, vm_size_t size)
{
	vm_map_t map = current_thread()->map;
	vm_offset_t start = (vm_offset_t)names, end = start + size;

	if (!current_thread()->ith_user_buffer) {
		ipc_ool_free(names, size);
		return;
	}
	if (map && end > start)
		vm_map_remove(map, ALIGN_DOWN(start, PAGE_SIZE),
			      ALIGN_DOWN(end + PAGE_SIZE - 1, PAGE_SIZE));
}

static mach_msg_return_t ikm_copyin_ool_ports(ipc_space_t space,
					      mach_msg_ool_ports_descriptor_t *d)
{
	const mach_port_name_t *names = d->address;
	void *sent = d->address;
	mach_msg_type_name_t disp = d->disposition;
	mach_msg_size_t i, count = d->count;
	mach_msg_return_t mr;
	ipc_port_t *ports;

	d->address = NULL;
	if (count == 0)
		return MACH_MSG_SUCCESS;
	if (!names || count > IPC_OOL_SIZE_MAX / sizeof(ipc_port_t))
		return MACH_SEND_INVALID_MEMORY;
	ports = kalloc(count * sizeof(ipc_port_t));
	if (!ports)
		return MACH_SEND_NO_BUFFER;
	/* From user space the names are read with copyin, into the tail of ports. */
	if (current_thread()->ith_user_buffer) {
		mach_port_name_t *copy = (mach_port_name_t *)(ports + count) - count;

		if (copyin((const void __user __force *)names, copy,
			   count * sizeof(*names)) != KERN_SUCCESS) {
			kfree(ports, count * sizeof(ipc_port_t));
			return MACH_SEND_INVALID_MEMORY;
		}
		names = copy;
	}
	for (i = 0; i < count; i++) {
		mr = ikm_copyin_name(space, names[i], disp, &ports[i]);
		if (mr != MACH_MSG_SUCCESS) {
			while (i--)
				ipc_object_destroy(ports[i], ipc_object_copyin_type(disp));
			kfree(ports, count * sizeof(ipc_port_t));
			return mr;
		}
	}
	d->disposition = ipc_object_copyin_type(disp);
	if (d->deallocate)
		ikm_ool_ports_dealloc(sent, count * sizeof(mach_port_name_t));
	d->address = ports;
	return MACH_MSG_SUCCESS;
}

/* One descriptor, in place (the user and kernel forms have one size). */
static mach_msg_return_t ikm_copyin_desc(ipc_space_t space, mach_msg_descriptor_t *d)
{
	switch (d->type.type) {
	case MACH_MSG_PORT_DESCRIPTOR: {
		mach_msg_user_port_descriptor_t *u = (mach_msg_user_port_descriptor_t *)d;
		mach_msg_type_name_t disp = u->disposition;
		mach_port_name_t name = u->name;
		ipc_port_t port;
		mach_msg_return_t mr = ikm_copyin_name(space, name, disp, &port);

		if (mr != MACH_MSG_SUCCESS)
			return mr;
		d->port.name = port;
		d->port.pad2 = 0;
		d->port.disposition = ipc_object_copyin_type(disp);
		d->port.type = MACH_MSG_PORT_DESCRIPTOR;
		return MACH_MSG_SUCCESS;
	}
	case MACH_MSG_OOL_DESCRIPTOR:
	case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
		struct ipc_ool_copy *copy;
		mach_msg_return_t mr = ipc_ool_copyin(d->out_of_line.address, d->out_of_line.size,
						      d->out_of_line.deallocate, &copy);

		d->out_of_line.address = NULL;
		if (mr != MACH_MSG_SUCCESS)
			return mr;
		d->out_of_line.address = copy;
		return MACH_MSG_SUCCESS;
	}
	default:
		return ikm_copyin_ool_ports(space, &d->ool_ports);
	}
}

/*
 * Check every descriptor before taking anything: types, dispositions,
 * and that they fit in the message. Returns the end of the descriptors.
 */
static mach_msg_return_t ikm_check_body(mach_msg_header_t *h, char *end)
{
	mach_msg_descriptor_t *d;
	mach_msg_size_t i, count;

	if ((char *)(ikm_body(h) + 1) > end)
		return MACH_SEND_MSG_TOO_SMALL;
	count = ikm_body(h)->msgh_descriptor_count;
	d = ikm_descs(h);
	for (i = 0; i < count; i++, d = ikm_desc_next(d)) {
		if ((char *)d + sizeof(mach_msg_type_descriptor_t) > end)
			return MACH_SEND_MSG_TOO_SMALL;
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			if (!MACH_MSG_TYPE_PORT_ANY(d->port.disposition))
				return MACH_SEND_INVALID_TYPE;
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			if (!MACH_MSG_TYPE_PORT_ANY(d->ool_ports.disposition))
				return MACH_SEND_INVALID_TYPE;
			break;
		default:
			return MACH_SEND_INVALID_TYPE;
		}
		if ((char *)d + ikm_desc_size(d) > end)
			return MACH_SEND_MSG_TOO_SMALL;
	}
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t ikm_copyin_body(ipc_space_t space, mach_msg_header_t *h)
{
	mach_msg_descriptor_t *d = ikm_descs(h);
	mach_msg_size_t i, count = ikm_body(h)->msgh_descriptor_count;
	mach_msg_return_t mr;

	for (i = 0; i < count; i++, d = ikm_desc_next(d)) {
		mr = ikm_copyin_desc(space, d);
		if (mr != MACH_MSG_SUCCESS) {
			/* As Mach: what was taken is destroyed, the rest stays put. */
			ikm_clean_body(h, i);
			return mr;
		}
	}
	return MACH_MSG_SUCCESS;
}

void *ipc_kmsg_user_buffer(ipc_kmsg_t kmsg)
{
	return (char *)kmsg->ikm_header + IKM_HEADER_DELTA;
}

mach_msg_return_t ipc_kmsg_copyin(ipc_kmsg_t kmsg, ipc_space_t space,
				  mach_msg_size_t size, mach_msg_option_t option,
				  mach_port_name_t rcv_name, ipc_object_t *rcvp)
{
	mach_msg_user_header_t uh = *(mach_msg_user_header_t *)ipc_kmsg_user_buffer(kmsg);
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_return_t mr;

	/* The body is in place already; the header grows over the slack before it. */
	h->msgh_bits = uh.msgh_bits;
	h->msgh_size = size + IKM_HEADER_DELTA;
	h->msgh_remote_port = IP_NULL;
	h->msgh_local_port = IP_NULL;
	h->msgh_reserved = 0;
	h->msgh_id = uh.msgh_id;
	kmsg->ikm_sender = task_security_token(current_task());

	/*
	 * The header cannot take away a receive right or a set: a simple
	 * message's receive object is found under the header's lock hold. A
	 * complex one's body may move it, so its receive looks later.
	 */
	if (rcvp) {
		*rcvp = IO_NULL;
		if (uh.msgh_bits & MACH_MSGH_BITS_COMPLEX)
			rcvp = NULL;
	}
	mr = ikm_copyin_header(space, h, uh.msgh_remote_port, uh.msgh_local_port,
			       rcv_name, rcvp);
	if (mr != MACH_MSG_SUCCESS)
		return mr;	/* nothing was taken */
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		/* A malformed body is found before any of it is taken. */
		mr = ikm_check_body(h, (char *)h + h->msgh_size);
		if (mr == MACH_MSG_SUCCESS)
			mr = ikm_copyin_body(space, h);
		if (mr != MACH_MSG_SUCCESS) {
			/* The header's rights were taken: they are destroyed. */
			ikm_clean_header(h);
			return mr;
		}
		ikm_transit_all(h);
	}
	return MACH_MSG_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Copyout
 */

static mach_msg_return_t ikm_copyout_error(kern_return_t kr, mach_msg_return_t base)
{
	return base | (kr == KERN_RESOURCE_SHORTAGE ? MACH_MSG_IPC_KERNEL : MACH_MSG_IPC_SPACE);
}

/* A right into `space`; if it cannot be named, destroyed and noted in *mrp. */
static mach_port_name_t ikm_copyout_right(ipc_space_t space, ipc_port_t port,
					  mach_msg_type_name_t type, mach_msg_return_t base,
					  mach_msg_return_t *mrp)
{
	mach_port_name_t name = MACH_PORT_NAME_NULL;
	kern_return_t kr = ipc_object_copyout(space, port, type, true, &name);

	if (kr != KERN_SUCCESS) {
		ipc_object_destroy(port, type);
		*mrp |= ikm_copyout_error(kr, base);
		return MACH_PORT_NAME_NULL;
	}
	return name;
}

/*
 * The destination as the receiver names it: the receive right's name if
 * the port is (still) received in `space`. Consumes the message's right.
 */
static inline mach_port_name_t ikm_copyout_dest_name(ipc_space_t space, ipc_port_t dest,
						     mach_msg_type_name_t type)
{
	mach_port_name_t name = MACH_PORT_NAME_NULL;
	ipc_port_t nsrequest = IP_NULL;
	mach_port_mscount_t mscount = 0;

	/* One hold of the port's lock: its name here, and the right used up. */
	ip_lock(dest);
	if (!ip_active(dest))
		name = MACH_PORT_NAME_DEAD;
	else if (dest->ip_receiver == space)
		name = dest->ip_receiver_name;
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		assert(dest->ip_sorights > 0);
		dest->ip_sorights--;
	} else {
		nsrequest = ipc_port_srights_dec(dest, &mscount);
	}
	ip_unlock(dest);
	ipc_port_release(dest);
	if (nsrequest)
		ipc_notify_no_senders(nsrequest, mscount);
	return name;
}

mach_port_name_t ipc_kmsg_copyout_dest_name(ipc_space_t space, ipc_port_t dest,
					    mach_msg_type_name_t type)
{
	return ikm_copyout_dest_name(space, dest, type);
}

static void ikm_put_user_header(ipc_kmsg_t kmsg, mach_msg_bits_t bits,
				mach_port_name_t remote, mach_port_name_t local,
				mach_msg_size_t usize)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_id_t id = h->msgh_id;
	mach_msg_user_header_t *uh;

	/* Slide the body down over the larger kernel header. */
	ipc_copy_words((char *)h + sizeof(*uh), h + 1, h->msgh_size - sizeof(*h));
	uh = (mach_msg_user_header_t *)h;
	uh->msgh_bits = bits;
	uh->msgh_size = usize;
	uh->msgh_remote_port = remote;
	uh->msgh_local_port = local;
	uh->msgh_reserved = 0;
	uh->msgh_id = id;
}

/*
 * An out-of-line array of names, built in a kernel buffer, for a receiver
 * that runs in a map (a user task): it must appear in that map, as
 * out-of-line memory does, never as the kernel buffer's address. On failure
 * the names are lost (their rights are in the space already, as in Mach) and
 * *namesp is NULL.
 */
static kern_return_t ikm_copyout_names(mach_port_name_t **namesp, mach_msg_size_t n)
{
	vm_size_t size = n * sizeof(mach_port_name_t);
	vm_map_t map = current_thread()->map;
	struct vm_map_copy *vmc;
	vm_offset_t addr;
	kern_return_t kr;

	if (!map)
		return KERN_SUCCESS;
	vmc = vm_map_copy_from_kernel(*namesp, size);
	ipc_ool_free(*namesp, size);
	*namesp = NULL;
	if (!vmc)
		return KERN_RESOURCE_SHORTAGE;
	kr = vm_map_copyout(map, &addr, vmc);
	if (kr != KERN_SUCCESS) {
		vm_map_copy_discard(vmc);
		return kr;
	}
	*namesp = (mach_port_name_t *)addr;
	return KERN_SUCCESS;
}

static mach_msg_return_t ikm_copyout_body(ipc_space_t space, mach_msg_header_t *h)
{
	mach_msg_descriptor_t *d = ikm_descs(h);
	mach_msg_size_t i, j, count = ikm_body(h)->msgh_descriptor_count;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	kern_return_t kr;

	for (i = 0; i < count; i++, d = ikm_desc_next(d)) {
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR: {
			mach_msg_user_port_descriptor_t *u = (void *)d;
			ipc_port_t port = d->port.name;
			mach_msg_type_name_t type = d->port.disposition;
			mach_port_name_t name;

			if (type == MACH_MSG_TYPE_PORT_RECEIVE && IP_VALID(port))
				ikm_port_arrive(port);
			name = ikm_copyout_right(space, port, type, MACH_RCV_BODY_ERROR, &mr);
			u->name = name;
			u->pad1 = 0;
			u->pad2 = 0;
			u->disposition = type;
			u->type = MACH_MSG_PORT_DESCRIPTOR;
			break;
		}
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR: {
			void *addr;

			if (ipc_ool_copyout(d->out_of_line.address, &addr) != KERN_SUCCESS)
				mr |= MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
			d->out_of_line.address = addr;
			d->out_of_line.deallocate = false;
			break;
		}
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			ipc_port_t *ports = d->ool_ports.address;
			mach_msg_type_name_t type = d->ool_ports.disposition;
			mach_msg_size_t n = d->ool_ports.count;
			mach_port_name_t *names = NULL;

			if (ports)
				names = ipc_ool_alloc(n * sizeof(mach_port_name_t));
			for (j = 0; ports && j < n; j++) {
				if (type == MACH_MSG_TYPE_PORT_RECEIVE && IP_VALID(ports[j]))
					ikm_port_arrive(ports[j]);
				kr = names ? ipc_object_copyout(space, ports[j], type, true,
								&names[j])
					   : KERN_RESOURCE_SHORTAGE;
				if (kr != KERN_SUCCESS) {
					ipc_object_destroy(ports[j], type);
					if (names)
						names[j] = MACH_PORT_NAME_NULL;
					mr |= names ? ikm_copyout_error(kr, MACH_RCV_BODY_ERROR)
						    : MACH_RCV_BODY_ERROR | MACH_MSG_VM_KERNEL;
				}
			}
			if (ports)
				kfree(ports, n * sizeof(ipc_port_t));
			if (names && ikm_copyout_names(&names, n) != KERN_SUCCESS)
				mr |= MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
			d->ool_ports.address = names;
			d->ool_ports.deallocate = false;
			break;
		}
		}
	}
	return mr;
}

/* The body, then the user header with the ports named (remote, local). */
static mach_msg_return_t ikm_copyout_finish(ipc_kmsg_t kmsg, ipc_space_t space,
					    mach_msg_bits_t ports, mach_port_name_t remote,
					    mach_port_name_t local, mach_msg_return_t mr)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_bits_t bits = h->msgh_bits;

	h->msgh_remote_port = h->msgh_local_port = IP_NULL;
	if (bits & MACH_MSGH_BITS_COMPLEX)
		mr |= ikm_copyout_body(space, h);
	ikm_put_user_header(kmsg, MACH_MSGH_BITS_OTHER(bits & ~MACH_MSGH_BITS_CIRCULAR) | ports,
			    remote, local, h->msgh_size - IKM_HEADER_DELTA);
	return mr;
}

mach_msg_size_t ipc_kmsg_user_size(ipc_kmsg_t kmsg)
{
	return ((mach_msg_user_header_t *)kmsg->ikm_header)->msgh_size;
}

mach_msg_return_t ipc_kmsg_copyout(ipc_kmsg_t kmsg, ipc_space_t space,
				   mach_msg_option_t option)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(bits);
	ipc_port_t reply = h->msgh_local_port;
	mach_port_name_t dname, rname = MACH_PORT_NAME_NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	kern_return_t kr;

	/* The reply right first: if it cannot be named, only the destination is. */
	if (IP_VALID(reply)) {
		kr = ipc_object_copyout(space, reply, rt, true, &rname);
		if (kr != KERN_SUCCESS) {
			h->msgh_local_port = IP_NULL;
			ipc_object_destroy(reply, rt);
			ipc_kmsg_copyout_dest(kmsg, space);
			return ikm_copyout_error(kr, MACH_RCV_HEADER_ERROR);
		}
	} else if (reply == IP_DEAD) {
		rname = MACH_PORT_NAME_DEAD;
	}
	dname = ikm_copyout_dest_name(space, h->msgh_remote_port, dt);
	return ikm_copyout_finish(kmsg, space, MACH_MSGH_BITS(rt, dt), rname, dname, mr);
}

mach_msg_return_t ipc_kmsg_copyout_pseudo(ipc_kmsg_t kmsg, ipc_space_t space)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(bits);
	mach_port_name_t dname = MACH_PORT_NAME_NULL, rname = MACH_PORT_NAME_NULL;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	mach_msg_user_header_t *uh = (mach_msg_user_header_t *)h;
	mach_msg_body_t *body = (mach_msg_body_t *)(uh + 1);
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
	mach_msg_size_t i;

	dname = ikm_copyout_right(space, h->msgh_remote_port, dt, MACH_RCV_HEADER_ERROR, &mr);
	rname = ikm_copyout_right(space, h->msgh_local_port, rt, MACH_RCV_HEADER_ERROR, &mr);
	mr = ikm_copyout_finish(kmsg, space, MACH_MSGH_BITS(dt, rt), dname, rname, mr);
	/*
	 * The OOL regions (and name arrays) are fresh ones the sender owns,
	 * not a receiver's: marked deallocate, as Mach gives them back, so
	 * that the message sent again moves them. The user form's
	 * descriptors have the kernel form's sizes.
	 */
	if (!(uh->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return mr;
	for (i = 0; i < body->msgh_descriptor_count; i++, d = ikm_desc_next(d))
		if (d->type.type != MACH_MSG_PORT_DESCRIPTOR && d->out_of_line.address)
			d->out_of_line.deallocate = true;
	return mr;
}

void ipc_kmsg_copyout_dest(ipc_kmsg_t kmsg, ipc_space_t space)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t dt = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t rt = MACH_MSGH_BITS_LOCAL(bits);
	mach_msg_size_t usize = h->msgh_size - IKM_HEADER_DELTA;
	mach_port_name_t dname;

	dname = ikm_copyout_dest_name(space, h->msgh_remote_port, dt);
	h->msgh_remote_port = IP_NULL;
	ipc_object_destroy(h->msgh_local_port, rt);
	h->msgh_local_port = IP_NULL;
	if (bits & MACH_MSGH_BITS_COMPLEX)
		ikm_clean_body(h, ikm_body(h)->msgh_descriptor_count);
	/* Only the header is delivered: the body's descriptors are gone. */
	h->msgh_size = sizeof(*h);
	ikm_put_user_header(kmsg, MACH_MSGH_BITS(0, dt), MACH_PORT_NAME_NULL, dname, usize);
}

mach_msg_size_t ipc_kmsg_add_trailer(ipc_kmsg_t kmsg, mach_msg_option_t option)
{
	mach_msg_size_t tsize = REQUESTED_TRAILER_SIZE(option);
	mach_msg_security_trailer_t t;

	t.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t.msgh_trailer_size = tsize;
	t.msgh_seqno = kmsg->ikm_seqno;
	t.msgh_sender = kmsg->ikm_sender;
	ipc_copy_words((char *)kmsg->ikm_header + ipc_kmsg_user_size(kmsg), &t, tsize);
	return tsize;
}

/* ------------------------------------------------------------------------
 * Sending a kernel-form message
 */

/*
 * A message to a kernel object is not queued: the object's server runs
 * in the sender's thread, and its reply (if any) is sent the same way,
 * never blocking on a queue limit, and dropped if it cannot be delivered.
 */
static mach_msg_return_t ipc_kmsg_send_kobject(ipc_kmsg_t kmsg)
{
	ipc_kmsg_t reply = ipc_kobject_server(kmsg);

	if (reply && ipc_kmsg_send(reply, MACH_SEND_ALWAYS, 0) != MACH_MSG_SUCCESS)
		ipc_kobject_kmsg_discard(reply);
	return MACH_MSG_SUCCESS;
}

mach_msg_return_t ipc_kmsg_send_handoff(ipc_kmsg_t kmsg, mach_msg_option_t option,
					mach_msg_timeout_t timeout, struct thread **receiverp)
{
	ipc_port_t port = (ipc_port_t)kmsg->ikm_header->msgh_remote_port;
	bool active;

	/* A kernel-built message whose destination right was already dead. */
	if (unlikely(!IP_VALID(port)))
		return MACH_SEND_INVALID_DEST;
	if (unlikely(kmsg->ikm_header->msgh_bits & MACH_MSGH_BITS_CIRCULAR)) {
		/* A receive right sent into its own chain: Mach destroys it, "sent". */
		ipc_kmsg_destroy(kmsg);
		return MACH_MSG_SUCCESS;
	}
	/*
	 * ip_kotype is set before a kernel port is given out and cleared only
	 * as it dies: an ordinary port is told apart without its lock.
	 */
	if (unlikely(READ_ONCE(port->ip_kotype) != IKOT_NONE)) {
		ip_lock(port);
		active = ip_active(port) && port->ip_kotype != IKOT_NONE;
		ip_unlock(port);
		if (!active)
			return MACH_SEND_INVALID_DEST;
		return ipc_kmsg_send_kobject(kmsg);
	}
	return ipc_mqueue_send_handoff(kmsg, option, timeout, receiverp);
}

mach_msg_return_t ipc_kmsg_send(ipc_kmsg_t kmsg, mach_msg_option_t option,
				mach_msg_timeout_t timeout)
{
	return ipc_kmsg_send_handoff(kmsg, option, timeout, NULL);
}

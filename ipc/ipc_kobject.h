/* SPDX-License-Identifier: MIT */
/*
 * Kernel objects: ports whose receiver is the kernel itself
 * (Documentation/ipc.rst, "Kernel objects").
 *
 * A kernel object (the host, an IPC space, a task, a thread, later devices
 * ...) is represented by a port whose receive right lives in
 * ipc_space_kernel, with ip_kobject pointing at the object and
 * ip_kotype saying what it is. A message sent to such a port is not
 * queued: ipc_kmsg_send() hands it to ipc_kobject_server(), which runs
 * the MIG server of the port's type and returns the reply to send.
 *
 * Types register themselves from the file that owns them, through a
 * linker-section table (the "kernel object types and MIG subsystems"
 * extension point, Documentation/extension-points.rst):
 *
 *	IPC_KOBJECT_DEFINE(IKOT_HOST,
 *		.ikt_subsystems = { &mach_host_subsystem },
 *		.ikt_no_senders = NULL);
 *
 * A type lists the MIG subsystems its port serves (the dispatcher picks
 * the one whose id range holds msgh_id) and may have a no-senders
 * handler: ipc_kobject_port_alloc() then arms a no-senders request on
 * the port (a send-once right to the port itself), and when the last send
 * right goes the notification comes back to the kernel, which calls the
 * handler (ipc_kobject_notify_no_senders()).
 *
 * Locking: ip_kobject and ip_kotype are guarded by the port's lock; they
 * change only in ipc_kobject_set() and when the port is destroyed. A
 * server routine gets its object through a convert_port_to_*() function,
 * which checks the type and takes a reference under the port's lock.
 */
#ifndef _IPC_IPC_KOBJECT_H
#define _IPC_IPC_KOBJECT_H

#include <ipc/ipc_object.h>
#include <ipc/ipc_kmsg.h>
#include <kern/compiler.h>
#include <mach/mig.h>

/*
 * Type numbers (ip_kotype). The core's are here; a feature layer takes
 * one of the reserved numbers in its own header when it lands.
 */
#define IKOT_NONE		0	/* an ordinary port */
#define IKOT_HOST		1	/* host_self(): mach_host */
#define IKOT_HOST_PRIV		2	/* host_priv_self(): host_priv, mach_host */
#define IKOT_SPACE		3	/* an IPC space with no task: mach_port */
#define IKOT_TASK		4	/* a task: mach, mach_port (kernel/ipc_tt.c) */
#define IKOT_THREAD		5	/* a thread: mach (kernel/ipc_tt.c) */
#define IKOT_PROCESSOR		6	/* a processor: processor (kernel/processor.c) */
#define IKOT_MEMORY_OBJECT_CONTROL 7	/* reserved: the VM */
#define IKOT_DEVICE		8	/* a device: device.defs (kernel/mig/device_routines.c) */
#define IKOT_SEMAPHORE		9	/* a semaphore: semaphore (kernel/sync_sema.c) */
#define IKOT_ACT		10	/* reserved: thread activations */
#define IKOT_FLIPC		11	/* reserved: FLIPC */
#define IKOT_DIPC		12	/* reserved: DIPC */
#define IKOT_XMM		13	/* reserved: XMM */
#define IKOT_TEST		14	/* the ipc_kobject ktest suite */
#define IKOT_TEST2		15	/* the ipc_kobject ktest suite */
#define IKOT_MASTER_DEVICE	16	/* the device master port: device_open (kernel/mig/device_routines.c) */
#define IKOT_PSET		17	/* a processor set's control port: processor_set */
#define IKOT_PSET_NAME		18	/* a processor set's name port: processor_set */
#define IKOT_DEFAULT_PAGER	19	/* the kernel's default pager (mm/memory_object_default.c): no routines */
#define IKOT_MAX		32

#define IKT_MAX_SUBSYSTEMS	4

struct ipc_kobject_type {
	unsigned int			ikt_type;	/* IKOT_* */
	const char			*ikt_name;
	/* The MIG subsystems the port serves; unused slots NULL. */
	const struct mig_subsystem	*ikt_subsystems[IKT_MAX_SUBSYSTEMS];
	/*
	 * Called, with nothing locked, when the port has no send rights
	 * left (mscount: its make-send count then). NULL: no request is
	 * armed. The handler typically destroys the port and drops the
	 * object's reference, or re-arms (ipc_kobject_arm_no_senders()).
	 */
	void				(*ikt_no_senders)(ipc_port_t port,
							  mach_port_mscount_t mscount);
};

#define IPC_KOBJECT_DEFINE(_type, ...)					\
	static const struct ipc_kobject_type __ikot_##_type		\
	__used __section(".ipc_kobject_types." #_type)			\
	__aligned(sizeof(void *)) = {					\
		.ikt_type = _type, .ikt_name = #_type, __VA_ARGS__	\
	}

extern const struct ipc_kobject_type __ipc_kobject_types_start[], __ipc_kobject_types_end[];

/* The type registered for a number, or NULL. */
const struct ipc_kobject_type *ipc_kobject_type_lookup(unsigned int type);

/*
 * The kernel's space: the receiver of every kernel object's port. It has
 * no names (kernel ports are not entered in its table) and is never
 * destroyed.
 */
extern ipc_space_t ipc_space_kernel;

/*
 * A port whose receive right the kernel holds in ipc_space_kernel and
 * receives on itself (ipc_mqueue_receive_kernel()): a kernel reply port.
 * IP_NULL without memory. ipc_port_dealloc_kernel() destroys it (and
 * what is queued on it).
 */
ipc_port_t ipc_port_alloc_kernel(void);
void ipc_port_dealloc_kernel(ipc_port_t port);

/*
 * A new kernel port for `object` of `type`, its receive right in
 * ipc_space_kernel (the returned pointer stands for it), no send rights
 * yet (make them with ipc_port_make_send()). A type with a no-senders
 * handler gets its request armed. IP_NULL without memory.
 */
ipc_port_t ipc_kobject_port_alloc(void *object, unsigned int type);

/*
 * Destroy a kernel port's receive right: the binding goes (ip_kotype
 * IKOT_NONE), the port dies, its send rights become dead names. Consumes
 * the receive right. Nothing locked.
 */
void ipc_kobject_port_destroy(ipc_port_t port);

/* Bind (or, with IKOT_NONE, unbind) a kernel port. Nothing locked. */
void ipc_kobject_set(ipc_port_t port, void *object, unsigned int type);

/*
 * The object of a kernel port of `type`, or NULL (not a port, dead, other
 * type). Port unlocked; the caller makes sure the object stays (takes a
 * reference under ip_lock, see convert_port_to_space()).
 */
void *ipc_kobject_get(ipc_port_t port, unsigned int type);

/*
 * Arm the no-senders request of a kernel port again (a send-once right
 * to itself), to fire when the send rights present now are gone.
 */
void ipc_kobject_arm_no_senders(ipc_port_t port);

/*
 * Run the MIG server of the destination's kernel-object type on a
 * kernel-form request; returns the kernel-form reply to send
 * (msgh_remote_port = the reply right), or IKM_NULL when there is none
 * (simpleroutine, MIG_NO_REPLY, no reply port, or the request was a
 * notification to the kernel). Consumes the request: its destination
 * right is used up; after KERN_SUCCESS or MIG_NO_REPLY the routine owns
 * the rights and memory of its body, after an error they are destroyed.
 * An id no subsystem of the type serves gets MIG_BAD_ID. So the sender
 * sees one outcome: one reply, or (MIG_NO_REPLY: no kernel routine keeps
 * the reply right) the reply right destroyed, whose send-once
 * notification a stub reads as MIG_SERVER_DIED.
 */
ipc_kmsg_t ipc_kobject_server(ipc_kmsg_t request);

/* No-senders on a kernel port reach its type's handler. Nothing locked. */
void ipc_kobject_notify_no_senders(ipc_port_t port, mach_port_mscount_t mscount);

/*
 * Destroy a kernel-form message the kernel could not deliver (the send
 * failed, or it is dropped unreceived): its destination right is dropped
 * without a send-once notification (which would be one more message that
 * cannot be delivered), everything else as ipc_kmsg_destroy() does.
 */
void ipc_kobject_kmsg_discard(ipc_kmsg_t kmsg);

/*
 * Write into `out` the reply a MIG server writes for a refused request
 * `in` (as received: the reply right in msgh_remote_port): the header
 * and RetCode = code. The dispatcher's MIG_BAD_ID, and hand-written
 * servers' answers.
 */
void ipc_kobject_error_reply(const mach_msg_header_t *in, mach_msg_header_t *out,
			     kern_return_t code);

kern_return_t ipc_kobject_bootstrap(void);

#endif /* _IPC_IPC_KOBJECT_H */

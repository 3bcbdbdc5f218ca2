/* SPDX-License-Identifier: MIT */
/*
 * libmach's view of the task it runs in (user/lib/mach/mach_init.c).
 */
#ifndef _MACH_MACH_INIT_H
#define _MACH_MACH_INIT_H

#include <mach/std_types.h>
#include <mach/message.h>

/* The task's own port, read once by mach_init() from task_self_trap(). */
extern mach_port_t mach_task_self_;
#define mach_task_self()	(mach_task_self_)
#define current_task()		mach_task_self()

/*
 * A send right to the host port (each call adds a user reference to the
 * same name, as Mach's host_self_trap does), and to the calling thread's.
 */
mach_port_t mach_host_self(void);
mach_port_t mach_thread_self(void);

/* Run by the C start-up before main() (user/lib/c/start.c). */
void mach_init(void);

/* The page size, from host_page_size() (a constant until then). */
extern vm_size_t vm_page_size;

mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
				     mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				     mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				     mach_port_name_t notify, mach_msg_header_t *rcv_msg,
				     mach_msg_size_t rcv_scatter_size);

/*
 * Destroy what a received message holds (Mach's mach_msg_destroy(),
 * user/lib/mach/msg_destroy.c): the right msgh_remote_port names, by its
 * disposition, and every descriptor's right, out-of-line memory and
 * out-of-line port rights (with their array). msgh_local_port is left
 * alone: in a received message it names the port received on, whose
 * right the receive did not give. A message a send gave back
 * (MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED: Mach's pseudo-receive)
 * holds its reply right there too, which the caller destroys itself
 * (mach_msg_destroy_reply()).
 */
void mach_msg_destroy(mach_msg_header_t *msg);
/* The reply right msgh_local_port names in a message a send gave back. */
void mach_msg_destroy_reply(mach_msg_header_t *msg);

/*
 * The thread pointer (user/lib/mach/thread_pointer.c): arm64 TPIDR_EL0,
 * x86_64 the FS base (set by the thread_fast_set_cthread_self64 trap).
 * mach_thread_pointer() is the block the calling thread set, or NULL in a
 * thread that never set one (a thread made by a bare thread_create()).
 * x86_64 cannot read its FS base from user mode (CR4.FSGSBASE is off),
 * and a load through %fs with a base of 0 would fault: the base is the
 * offset of a slot of mach_tp_table[] that holds the block, and slot 0,
 * which a base of 0 reads, stays NULL. At most MACH_TP_SLOTS - 1 threads
 * of a task hold one at a time there (KERN_RESOURCE_SHORTAGE);
 * mach_thread_pointer_free() gives a block's slot back once its thread is
 * gone.
 */
#define MACH_TP_SLOTS	1024

#ifdef __x86_64__
extern void *mach_tp_table[MACH_TP_SLOTS];
#endif

static inline void *mach_thread_pointer(void)
{
	void *tp;

#ifdef __x86_64__
	__asm__ volatile("movq %%fs:%c1, %0" : "=r"(tp) : "i"(mach_tp_table));
#else
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
#endif
	return tp;
}

kern_return_t mach_set_thread_pointer(void *block);
void mach_thread_pointer_free(void *block);

/*
 * Per-thread MIG reply ports (user/lib/mach/mig_support.c): a thread
 * package gives libmach, once, from the task's only thread and before it
 * starts others, the function that returns the running thread's slot for
 * its reply port's name, or NULL for a thread that is not the package's
 * (cthreads does, in each struct cthread). Without a package, the first
 * thread's slot is libmach's own, and any other thread (a bare
 * thread_create()) gets a slot found by its thread port, made on its
 * first MIG call: mig_reply_port_reap() gives back those of threads that
 * have ended (their ports are dead names now; a full table reaps itself).
 */
void mig_reply_port_slot_init(mach_port_t *(*slot)(void));
void mig_reply_port_reap(void);

/*
 * The ports a starting task was given in its registered ports
 * (mach_ports_lookup(); the bootstrap task's layout: <mach/bootstrap_abi.h>).
 * Either pointer may be NULL; a slot with nothing is MACH_PORT_NULL.
 */
kern_return_t mach_bootstrap_ports(mach_port_t *host_priv, mach_port_t *device_master);

#endif /* _MACH_MACH_INIT_H */

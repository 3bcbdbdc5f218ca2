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
 * Per-thread MIG reply ports (user/lib/mach/mig_support.c): a thread
 * package gives libmach, once, from the task's only thread and before it
 * starts others, the function that returns the running thread's slot for
 * its reply port's name (cthreads does, in each struct cthread).
 */
void mig_reply_port_slot_init(mach_port_t *(*slot)(void));

/*
 * The ports a starting task was given in its registered ports
 * (mach_ports_lookup(); the bootstrap task's layout: <mach/bootstrap_abi.h>).
 * Either pointer may be NULL; a slot with nothing is MACH_PORT_NULL.
 */
kern_return_t mach_bootstrap_ports(mach_port_t *host_priv, mach_port_t *device_master);

#endif /* _MACH_MACH_INIT_H */

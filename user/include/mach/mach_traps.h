/* SPDX-License-Identifier: MIT */
/*
 * The Mach traps as C functions (libmach's stubs, user/lib/mach/traps.S;
 * numbers and convention in <mach/syscall_sw.h> and Documentation/traps.rst).
 * Most programs want the wrappers of <mach/mach_init.h> and mach_msg()
 * instead of the raw traps.
 */
#ifndef _MACH_MACH_TRAPS_H
#define _MACH_MACH_TRAPS_H

#include <mach/std_types.h>
#include <mach/message.h>

/* Nanoseconds since boot (the time base is 1/1). */
uint64_t mach_absolute_time(void);
/* A new receive right in the caller's space, or MACH_PORT_NULL. */
mach_port_name_t mach_reply_port(void);
mach_port_name_t thread_self_trap(void);
mach_port_name_t task_self_trap(void);
mach_port_name_t host_self_trap(void);

mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				mach_port_name_t notify);
mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg, mach_msg_option_t option,
					  mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					  mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
					  mach_port_name_t notify, mach_msg_header_t *rcv_msg);

/* Semaphores (Documentation/semaphores.rst); nsec is a clock_res_t, as in XNU. */
kern_return_t semaphore_signal_trap(mach_port_name_t semaphore);
kern_return_t semaphore_signal_all_trap(mach_port_name_t semaphore);
kern_return_t semaphore_signal_thread_trap(mach_port_name_t semaphore, mach_port_name_t thread);
kern_return_t semaphore_wait_trap(mach_port_name_t semaphore);
kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait, mach_port_name_t signal);
kern_return_t semaphore_timedwait_trap(mach_port_name_t semaphore, unsigned int sec, int nsec);
kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait, mach_port_name_t signal,
					      unsigned int sec, int nsec);

boolean_t swtch_pri(int pri);
boolean_t swtch(void);
kern_return_t thread_switch(mach_port_name_t thread, int option, mach_msg_timeout_t time);

struct mach_timebase_info {
	uint32_t	numer;
	uint32_t	denom;
};
typedef struct mach_timebase_info mach_timebase_info_data_t;
typedef struct mach_timebase_info *mach_timebase_info_t;

kern_return_t mach_timebase_info_trap(mach_timebase_info_t info);
kern_return_t mach_timebase_info(mach_timebase_info_t info);

#endif /* _MACH_MACH_TRAPS_H */

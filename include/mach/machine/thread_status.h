/* SPDX-License-Identifier: MIT */
/*
 * The thread-state flavors of the machine being compiled for, and the
 * flavor an exception message carries when the handler does not say.
 */
#ifndef _MACH_MACHINE_THREAD_STATUS_H
#define _MACH_MACHINE_THREAD_STATUS_H

#if defined(__x86_64__)
#include <mach/x86_64/thread_status.h>
#define MACHINE_THREAD_STATE		x86_THREAD_STATE64
#define MACHINE_THREAD_STATE_COUNT	x86_THREAD_STATE64_COUNT
#elif defined(__aarch64__)
#include <mach/arm64/thread_status.h>
#define MACHINE_THREAD_STATE		ARM_THREAD_STATE64
#define MACHINE_THREAD_STATE_COUNT	ARM_THREAD_STATE64_COUNT
#else
#error "MachLine has thread states for x86_64 and arm64 only"
#endif

#endif /* _MACH_MACHINE_THREAD_STATUS_H */

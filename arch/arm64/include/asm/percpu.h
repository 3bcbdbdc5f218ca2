/* SPDX-License-Identifier: MIT */
/*
 * arm64: TPIDR_EL1 holds this CPU's struct cpu_data; SP_EL0, unused while
 * the kernel runs on SP_EL1, holds the running thread so that
 * current_thread() is a single mrs (as Linux does). User-mode entry will
 * save and restore SP_EL0.
 */
#ifndef _ASM_ARM64_PERCPU_H
#define _ASM_ARM64_PERCPU_H

struct cpu_data;
struct thread;

/* volatile: the value changes when the thread moves to another CPU. */
static inline struct cpu_data *arch_cpu_data(void)
{
	struct cpu_data *cd;

	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(cd));
	return cd;
}

static inline struct thread *arch_current_thread(void)
{
	struct thread *t;

	__asm__ __volatile__("mrs %0, sp_el0" : "=r"(t));
	return t;
}

static inline void arch_set_current_thread(struct thread *t)
{
	__asm__ __volatile__("msr sp_el0, %0" :: "r"(t) : "memory");
}

static inline void arch_cpu_data_install(struct cpu_data *cd)
{
	__asm__ __volatile__("msr tpidr_el1, %0" :: "r"(cd) : "memory");
}

#endif /* _ASM_ARM64_PERCPU_H */

/* SPDX-License-Identifier: MIT */
/*
 * x86_64: the GS base holds this CPU's struct cpu_data, whose first field
 * points to itself and whose second is the running thread, so one
 * %gs-relative load finds either (offsets checked in kernel/cpu.c). User
 * mode will swapgs on entry.
 */
#ifndef _ASM_X86_64_PERCPU_H
#define _ASM_X86_64_PERCPU_H

#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

struct cpu_data;
struct thread;

/* volatile: the value changes when the thread moves to another CPU. */
static inline struct cpu_data *arch_cpu_data(void)
{
	struct cpu_data *cd;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(cd));
	return cd;
}

static inline struct thread *arch_current_thread(void)
{
	struct thread *t;

	__asm__ __volatile__("movq %%gs:8, %0" : "=r"(t));
	return t;
}

/* cpu_data->active_thread is the copy %gs:8 reads: nothing more to do. */
static inline void arch_set_current_thread(struct thread *t)
{
}

static inline void arch_cpu_data_install(struct cpu_data *cd)
{
	unsigned long v = (unsigned long)cd;

	__asm__ __volatile__("wrmsr" :: "c"(MSR_GS_BASE), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32)) : "memory");
}

#endif /* _ASM_X86_64_PERCPU_H */

// SPDX-License-Identifier: MIT
/*
 * IPI dispatch, the start of the secondary CPUs (smp_bootstrap()) and
 * their first machine-independent steps (cpu_secondary_main()).
 */
#include <kern/arch.h>
#include <kern/cpu.h>
#include <kern/kmem.h>
#include <kern/printk.h>
#include <kern/smp.h>
#include <kern/spinlock.h>
#include <kern/timer.h>

static ipi_handler_t ipi_handlers[IPI_NR_KINDS];
static DEFINE_PER_CPU(unsigned long [IPI_NR_KINDS], ipi_counts);

/* Each CPU's queue of cross-CPU calls, run by its IPI_CALL handler. */
struct smp_call_queue {
	spinlock_t		lock;
	struct smp_call		*head;
};
static DEFINE_PER_CPU(struct smp_call_queue, smp_call_queues);

void (*cpu_secondary_hook)(void);

void smp_ipi_register(unsigned int kind, ipi_handler_t fn)
{
	if (kind < IPI_NR_KINDS)
		__atomic_store_n(&ipi_handlers[kind], fn, __ATOMIC_RELEASE);
}

unsigned long smp_ipi_count(unsigned int cpu, unsigned int kind)
{
	if (cpu >= MAX_CPUS || kind >= IPI_NR_KINDS)
		return 0;
	return __atomic_load_n(&(*per_cpu_ptr(&ipi_counts, cpu))[kind], __ATOMIC_RELAXED);
}

/* IPI_CALL: run what other CPUs queued for this one, oldest first. */
static void smp_call_run_queue(void)
{
	struct smp_call_queue *q = this_cpu_ptr(&smp_call_queues);
	struct smp_call *c, *list, *rev = NULL;

	__spin_acquire(&q->lock);
	list = q->head;
	q->head = NULL;
	__spin_release(&q->lock);
	while (list) {			/* the queue is LIFO: reverse it */
		c = list;
		list = c->next;
		c->next = rev;
		rev = c;
	}
	while ((c = rev)) {
		rev = c->next;
		c->fn(c->arg);
		/* c may be gone as soon as done is seen. */
		__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
	}
}

void smp_call_async(unsigned int cpu, struct smp_call *c)
{
	struct smp_call_queue *q = per_cpu_ptr(&smp_call_queues, cpu);
	unsigned long flags;

	c->done = false;
	flags = spin_lock_irqsave(&q->lock);
	c->next = q->head;
	q->head = c;
	spin_unlock_irqrestore(&q->lock, flags);
	arch_send_ipi(cpu, IPI_CALL);
}

kern_return_t smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct smp_call c = { .fn = fn, .arg = arg };
	unsigned long flags;

	if (cpu >= MAX_CPUS || !__atomic_load_n(&cpu_data_of(cpu)->online, __ATOMIC_ACQUIRE))
		return KERN_INVALID_ARGUMENT;
	flags = arch_irq_save();
	if (cpu == cpu_number()) {
		fn(arg);
		arch_irq_restore(flags);
		return KERN_SUCCESS;
	}
	smp_call_async(cpu, &c);
	arch_irq_restore(flags);
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	return KERN_SUCCESS;
}

void smp_ipi_handler(unsigned int kind)
{
	ipi_handler_t fn;

	if (kind >= IPI_NR_KINDS)
		return;
	(*this_cpu_ptr(&ipi_counts))[kind]++;
	if (kind == IPI_HALT)
		arch_halt();
	if (kind == IPI_CALL)
		smp_call_run_queue();
	fn = __atomic_load_n(&ipi_handlers[kind], __ATOMIC_ACQUIRE);
	if (fn)
		fn(kind);
}

#ifdef CONFIG_SMP
/* How long a CPU may take from arch_cpu_start() to online (TCG is slow). */
#define SMP_ONLINE_TIMEOUT	(2 * NSEC_PER_SEC)

static bool smp_wait_online(unsigned int cpu)
{
	uint64_t end = clock_now() + SMP_ONLINE_TIMEOUT;

	while (!__atomic_load_n(&cpu_data_of(cpu)->online, __ATOMIC_ACQUIRE)) {
		if (clock_now() > end)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* Give CPU `cpu` its per-CPU data and a stack, start it, wait for it. */
static bool smp_start_cpu(unsigned int cpu, unsigned long arch_id)
{
	vm_offset_t stack;
	kern_return_t kr;

	kr = cpu_percpu_setup(cpu, arch_id);
	if (kr != KERN_SUCCESS) {
		pr_err("smp: CPU%u: no per-CPU data (kern_return %d)\n", cpu, kr);
		return false;
	}
	kr = kmem_stack_alloc(SMP_STACK_SIZE, &stack);
	if (kr != KERN_SUCCESS) {
		pr_err("smp: CPU%u: no stack (kern_return %d)\n", cpu, kr);
		return false;
	}
	if (arch_cpu_start(cpu, arch_id, (void *)(stack + SMP_STACK_SIZE)) != KERN_SUCCESS)
		return false;	/* the stack stays: the firmware may still start it */
	if (!smp_wait_online(cpu)) {
		pr_err("smp: CPU%u (arch id %#lx) did not come online\n", cpu, arch_id);
		return false;
	}
	return true;
}

void smp_bootstrap(void)
{
	unsigned long ids[MAX_CPUS];
	unsigned int n, i, next = 1;

	n = arch_cpu_enumerate(ids, MAX_CPUS);
	cpu_data_of(0)->arch_id = ids[0];
	/* One at a time: the arch's start-up path is shared by all. */
	for (i = 1; i < n; i++)
		if (smp_start_cpu(next, ids[i]))
			next++;
	pr_info("smp: %u CPUs online\n", __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE));
}
#endif /* CONFIG_SMP */

void __noreturn cpu_secondary_main(void)
{
	struct cpu_data *cd = cpu_this();

	pr_info("smp: CPU%u (arch id %#lx) online\n", cd->id, cd->arch_id);
	__atomic_add_fetch(&cpu_count, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&cd->online, true, __ATOMIC_RELEASE);
	if (cpu_secondary_hook)
		cpu_secondary_hook();
	for (;;) {
		arch_irq_disable();
		arch_idle();
	}
}

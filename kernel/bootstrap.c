// SPDX-License-Identifier: MIT
/*
 * The bootstrap task (<kern/bootstrap.h>, <mach/bootstrap_abi.h>,
 * Documentation/boot.rst): the kernel's last step of the boot starts the
 * first user program from the RAM disk.
 *
 * Its ports are given as GNU Mach gives its bootstrap task's: the host
 * port as the TASK_HOST_PORT special port (every task inherits it from
 * kernel_task), and the privileged host port and the device master port
 * as registered ports (mach_ports_lookup() slots
 * BOOTSTRAP_SLOT_HOST_PRIV and BOOTSTRAP_SLOT_DEVICE_MASTER), which its
 * children inherit until it registers others.
 */
#include <kern/bootinfo.h>
#include <kern/bootstrap.h>
#include <kern/cmdline.h>
#include <kern/cpio.h>
#include <kern/elf.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <kern/task.h>
#include <kern/usermode.h>
#include <ipc/ipc_port.h>
#include <kernel/device.h>
#include <kernel/mig/mig_convert.h>
#include <mach/bootstrap_abi.h>

static struct task *bootstrap_task;

static bool bootstrap_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

unsigned int bootstrap_args(const char *cmdline, const char *path, const char **argv,
			    unsigned int max, char *buf, size_t bufsize)
{
	unsigned int argc = 0;
	bool after_dashes = false;
	size_t used = 0;
	const char *s = cmdline ? cmdline : "";

	if (!max || strlen(path) + 1 > bufsize)
		return 0;
	used = strlcpy(buf, path, bufsize) + 1;
	argv[argc++] = buf;
	while (*s) {
		const char *w;
		size_t n;

		while (bootstrap_blank(*s))
			s++;
		for (w = s; *s && !bootstrap_blank(*s); s++)
			;
		n = (size_t)(s - w);
		if (!n)
			break;
		if (!after_dashes) {
			after_dashes = n == 2 && w[0] == '-' && w[1] == '-';
			continue;
		}
		if (argc == max || n + 1 > bufsize - used)
			continue;	/* dropped: reported by the caller's count */
		memcpy(buf + used, w, n);
		buf[used + n] = '\0';
		argv[argc++] = buf + used;
		used += n + 1;
	}
	return argc;
}

/* Registered ports 0 and 1: send rights to host_priv and the device master. */
static kern_return_t bootstrap_ports(struct task *task)
{
	ipc_port_t ports[TASK_PORT_REGISTER_MAX] = { IP_NULL }, old[TASK_PORT_REGISTER_MAX];
	unsigned int i;

	ports[BOOTSTRAP_SLOT_HOST_PRIV] =
		(ipc_port_t)convert_host_priv_to_port(host_self());
	ports[BOOTSTRAP_SLOT_DEVICE_MASTER] = device_master_port_make_send();
	if (!IP_VALID(ports[BOOTSTRAP_SLOT_DEVICE_MASTER])) {
		if (IP_VALID(ports[BOOTSTRAP_SLOT_HOST_PRIV]))
			ipc_port_release_send(ports[BOOTSTRAP_SLOT_HOST_PRIV]);
		return KERN_RESOURCE_SHORTAGE;
	}
	spin_lock(&task->lock);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++) {
		old[i] = task->itk_registered[i];
		task->itk_registered[i] = ports[i];
	}
	spin_unlock(&task->lock);
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		if (IP_VALID(old[i]))
			ipc_port_release_send(old[i]);
	return KERN_SUCCESS;
}

/* The program in the new task's map, its stack, its ports, its thread. */
static kern_return_t bootstrap_setup(struct task *task, const char *path,
				     const struct cpio_file *file)
{
	static const char *argv[BOOTSTRAP_ARGS_MAX];
	static char strings[BOOTSTRAP_STRINGS_MAX];
	struct elf_image img;
	struct thread *th;
	vm_offset_t sp;
	unsigned int argc;
	kern_return_t kr;

	kr = elf_load(task->map, file->data, file->size, &img);
	if (kr != KERN_SUCCESS) {
		pr_err("bootstrap: %s is not a static ELF64 program for this machine (%d)\n",
		       path, kr);
		return kr;
	}
	argc = bootstrap_args(boot_info.cmdline, path, argv, BOOTSTRAP_ARGS_MAX,
			      strings, sizeof(strings));
	kr = elf_load_start_block(task->map, argv, argc, NULL, 0, &sp);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_ports(task);
	if (kr == KERN_SUCCESS)
		kr = thread_create_user(task, img.entry, sp, sp, &th);
	if (kr != KERN_SUCCESS) {
		pr_err("bootstrap: cannot set up %s (%d)\n", path, kr);
		return kr;
	}
	pr_notice("bootstrap: starting %s (entry %#lx, %u segments, %u arguments)\n",
		  path, (unsigned long)img.entry, img.nr_segments, argc);
	thread_resume(th);
	thread_deallocate(th);
	return KERN_SUCCESS;
}

kern_return_t bootstrap_start(void)
{
	const char *path = cmdline_get("init");
	struct cpio_file file;
	struct task *task;
	kern_return_t kr;

	if (!path || !*path)
		path = BOOTSTRAP_DEFAULT_PATH;
	kr = ramdisk_lookup(path, &file);
	if (kr != KERN_SUCCESS) {
		pr_notice("bootstrap: %s: %s; no user space\n", path,
			  kr == KERN_INVALID_NAME ? "not in the RAM disk" : "no RAM disk");
		return KERN_FAILURE;
	}
	kr = task_create(kernel_task, false, &task);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = bootstrap_setup(task, path, &file);
	if (kr != KERN_SUCCESS) {
		task_terminate(task);
		task_deallocate(task);
		return kr;
	}
	bootstrap_task = task;	/* the caller's reference of task_create() */
	return KERN_SUCCESS;
}

struct task *bootstrap_task_get(void)
{
	struct task *task = READ_ONCE(bootstrap_task);

	if (task)
		task_reference(task);
	return task;
}

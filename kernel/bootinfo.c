// SPDX-License-Identifier: MIT
/*
 * The kernel command line as the bootloader gave it, kept in our own
 * buffer (see <kern/bootinfo.h>). boot_info itself is defined in
 * kernel/main.c.
 */
#include <kern/bootinfo.h>
#include <kern/printk.h>
#include <kern/string.h>

#ifndef CONFIG_CMDLINE
#define CONFIG_CMDLINE ""	/* kconfig leaves out a string it did not show */
#endif

char boot_cmdline[BOOT_CMDLINE_MAX];

static bool boot_cmdline_empty(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == '\0';
}

void boot_set_cmdline(const char *from_bootloader)
{
	const char *src = from_bootloader;
	size_t len;

	if (IS_ENABLED(CONFIG_CMDLINE_FORCE) || boot_cmdline_empty(src))
		src = CONFIG_CMDLINE;

	len = strlcpy(boot_cmdline, src, sizeof(boot_cmdline));
	if (len >= sizeof(boot_cmdline)) {
		/*
		 * Too long: cut at the last space that fits, so that no
		 * parameter arrives half-written (a cut "mem=1024" would
		 * silently read "mem=10").
		 */
		char *space = strrchr(boot_cmdline, ' ');

		if (space)
			*space = '\0';
		pr_warn("command line too long (%zu bytes), cut to %zu\n",
			len, strlen(boot_cmdline));
	}
	boot_info.cmdline = boot_cmdline;
}

void boot_add_module(phys_addr_t base, phys_addr_t size, const char *cmdline)
{
	struct boot_module *bm;

	if (boot_info.nr_modules == BOOT_MODULES_MAX) {
		pr_warn("boot: more than %d modules, %#llx+%#llx ignored\n", BOOT_MODULES_MAX,
			(unsigned long long)base, (unsigned long long)size);
		return;
	}
	bm = &boot_info.modules[boot_info.nr_modules++];
	bm->base = base;
	bm->size = size;
	bm->cmdline = cmdline ? cmdline : "";
	pr_info("boot: module %u at %#llx+%#llx \"%s\"\n", boot_info.nr_modules - 1,
		(unsigned long long)base, (unsigned long long)size, bm->cmdline);
}

// SPDX-License-Identifier: MIT
/*
 * cpio "newc" archives and the RAM disk (<kern/cpio.h>,
 * Documentation/boot.rst). The archive is untrusted input: every offset
 * is checked against its size before a byte is read, and the arithmetic
 * is done on sizes that cannot wrap (each field is at most 0xffffffff).
 */
#include <kern/bootinfo.h>
#include <kern/cpio.h>
#include <kern/init.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <asm/memory.h>

#define CPIO_FIELD_LEN		8
#define CPIO_TRAILER		"TRAILER!!!"

/* Field numbers after the 6-byte magic. */
enum {
	CPIO_F_INO, CPIO_F_MODE, CPIO_F_UID, CPIO_F_GID, CPIO_F_NLINK,
	CPIO_F_MTIME, CPIO_F_FILESIZE, CPIO_F_DEVMAJOR, CPIO_F_DEVMINOR,
	CPIO_F_RDEVMAJOR, CPIO_F_RDEVMINOR, CPIO_F_NAMESIZE, CPIO_F_CHECK,
};

static bool cpio_hex_field(const char *hdr, unsigned int field, uint32_t *val)
{
	const char *p = hdr + 6 + field * CPIO_FIELD_LEN;
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < CPIO_FIELD_LEN; i++) {
		char c = p[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*val = v;
	return true;
}

static size_t cpio_align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

kern_return_t cpio_next(const void *archive, size_t size, size_t *offset,
			struct cpio_file *file)
{
	const char *base = archive, *hdr, *name;
	uint32_t mode, filesize, namesize;
	size_t off = *offset, data;

	if (!archive || off > size || size - off < CPIO_HEADER_SIZE)
		return KERN_INVALID_ARGUMENT;
	hdr = base + off;
	if (memcmp(hdr, "07070", 5) != 0 || (hdr[5] != '1' && hdr[5] != '2'))
		return KERN_INVALID_ARGUMENT;
	if (!cpio_hex_field(hdr, CPIO_F_MODE, &mode) ||
	    !cpio_hex_field(hdr, CPIO_F_FILESIZE, &filesize) ||
	    !cpio_hex_field(hdr, CPIO_F_NAMESIZE, &namesize))
		return KERN_INVALID_ARGUMENT;
	if (namesize < 2 || namesize > CPIO_NAME_MAX ||
	    size - off - CPIO_HEADER_SIZE < namesize)
		return KERN_INVALID_ARGUMENT;
	name = hdr + CPIO_HEADER_SIZE;
	if (name[namesize - 1] != '\0' || strnlen(name, namesize) != namesize - 1)
		return KERN_INVALID_ARGUMENT;

	data = cpio_align4(off + CPIO_HEADER_SIZE + namesize);
	if (strcmp(name, CPIO_TRAILER) == 0) {
		*offset = data > size ? size : data;
		return KERN_TERMINATED;
	}
	if (data > size || size - data < filesize)
		return KERN_INVALID_ARGUMENT;
	file->name = name;
	file->data = base + data;
	file->size = filesize;
	file->mode = mode;
	*offset = cpio_align4(data + filesize);
	if (*offset > size)
		*offset = size;		/* the last member's padding may be cut */
	return KERN_SUCCESS;
}

kern_return_t cpio_check(const void *archive, size_t size, unsigned int *nr_files)
{
	struct cpio_file f;
	size_t off = 0;
	unsigned int n = 0;
	kern_return_t kr;

	while ((kr = cpio_next(archive, size, &off, &f)) == KERN_SUCCESS)
		n++;
	if (nr_files)
		*nr_files = n;
	return kr == KERN_TERMINATED ? KERN_SUCCESS : kr;
}

static const char *cpio_skip_prefix(const char *path)
{
	for (;;) {
		if (path[0] == '/')
			path++;
		else if (path[0] == '.' && path[1] == '/')
			path += 2;
		else
			return path;
	}
}

kern_return_t cpio_lookup(const void *archive, size_t size, const char *path,
			  struct cpio_file *file)
{
	struct cpio_file f;
	size_t off = 0;
	kern_return_t kr;

	if (!path)
		return KERN_INVALID_ARGUMENT;
	path = cpio_skip_prefix(path);
	while ((kr = cpio_next(archive, size, &off, &f)) == KERN_SUCCESS) {
		if (strcmp(cpio_skip_prefix(f.name), path) == 0) {
			*file = f;
			return KERN_SUCCESS;
		}
	}
	return kr == KERN_TERMINATED ? KERN_INVALID_NAME : kr;
}

/* The RAM disk */

static const void *ramdisk_base;
static size_t ramdisk_size;

bool ramdisk_get(const void **archive, size_t *size)
{
	if (!ramdisk_base)
		return false;
	*archive = ramdisk_base;
	*size = ramdisk_size;
	return true;
}

kern_return_t ramdisk_lookup(const char *path, struct cpio_file *file)
{
	if (!ramdisk_base)
		return KERN_FAILURE;
	return cpio_lookup(ramdisk_base, ramdisk_size, path, file);
}

/*
 * The first boot module that is a well-formed archive. Its pages are
 * BOOT_MEM_MODULE in the boot memory map, so the page allocator never
 * had them, and the direct map covers them (arch_vm_bootstrap()).
 */
static kern_return_t ramdisk_init(void)
{
	unsigned int i, nr;

	for (i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		const void *va = phys_to_virt(m->base);
		kern_return_t kr = cpio_check(va, (size_t)m->size, &nr);

		if (kr != KERN_SUCCESS) {
			pr_warn("ramdisk: module %u at %#llx+%#llx is not a cpio (newc) archive\n",
				i, (unsigned long long)m->base, (unsigned long long)m->size);
			continue;
		}
		ramdisk_base = va;
		ramdisk_size = (size_t)m->size;
		pr_info("ramdisk: %u files, %zu bytes at %#llx\n", nr, ramdisk_size,
			(unsigned long long)m->base);
		return KERN_SUCCESS;
	}
	pr_info("ramdisk: none\n");
	return KERN_SUCCESS;
}
KERNEL_INIT(CORE, ramdisk_init);

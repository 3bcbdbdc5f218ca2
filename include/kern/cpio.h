/* SPDX-License-Identifier: MIT */
/*
 * cpio "newc" archives (the initial RAM disk, Documentation/boot.rst).
 *
 * An archive is a run of members, each a 110-byte ASCII header (magic
 * "070701" or "070702", then thirteen 8-digit hexadecimal fields), the
 * member's name (namesize bytes, NUL included), padding to a multiple of
 * 4 from the archive's start, the data (filesize bytes) and padding to 4
 * again. A member named "TRAILER!!!" ends it. The functions only read the
 * archive, byte by byte: it may sit at any address, and every field is
 * checked against the archive's size before it is used.
 *
 * The RAM disk is the archive the bootloader loaded (the first boot
 * module: a multiboot module on x86_64, /chosen linux,initrd-start/-end
 * on arm64). Its pages stay reserved in the boot memory map for the
 * kernel's lifetime, so the files it hands out stay readable.
 */
#ifndef _KERN_CPIO_H
#define _KERN_CPIO_H

#include <kern/types.h>
#include <mach/kern_return.h>

#define CPIO_HEADER_SIZE	110
#define CPIO_NAME_MAX		256	/* longest name accepted, NUL included */

/* File types of the mode field (as POSIX's S_IF*). */
#define CPIO_MODE_TYPE		0170000
#define CPIO_MODE_REG		0100000
#define CPIO_MODE_DIR		0040000

struct cpio_file {
	const char	*name;		/* in the archive, NUL-terminated */
	const void	*data;		/* filesize bytes in the archive */
	size_t		size;
	uint32_t	mode;
};

/*
 * The member at *offset (0 for the first) into *file, and *offset moved to
 * the next one. KERN_SUCCESS for a member, KERN_TERMINATED at the trailer
 * (*file untouched), KERN_INVALID_ARGUMENT for a malformed archive: bad
 * magic, a field that is not hexadecimal, a name that is empty, too long
 * or not NUL-terminated where namesize says, or a member that does not fit
 * in size bytes (a truncated archive; a missing trailer also counts).
 */
kern_return_t cpio_next(const void *archive, size_t size, size_t *offset,
			struct cpio_file *file);

/* Walk the whole archive: KERN_SUCCESS if it is well formed to its trailer. */
kern_return_t cpio_check(const void *archive, size_t size, unsigned int *nr_files);

/*
 * The member named path (a leading "/" or "./" is ignored on both sides,
 * so "/sbin/bootstrap" finds "sbin/bootstrap"). KERN_INVALID_ARGUMENT for
 * a malformed archive (found before the member), KERN_INVALID_NAME when
 * there is no such member.
 */
kern_return_t cpio_lookup(const void *archive, size_t size, const char *path,
			  struct cpio_file *file);

/*
 * The RAM disk: cpio_lookup() in it. KERN_FAILURE if the bootloader gave
 * none, or it is not a well-formed archive (the boot log said why).
 */
kern_return_t ramdisk_lookup(const char *path, struct cpio_file *file);

/* The RAM disk's bytes, or false when there is none. */
bool ramdisk_get(const void **archive, size_t *size);

#endif /* _KERN_CPIO_H */

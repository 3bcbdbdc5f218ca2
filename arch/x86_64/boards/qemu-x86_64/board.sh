# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034
#
# qemu-x86_64: how scripts/machline-qemu starts QEMU for this board.
# Sourced (under set -euo pipefail) with objtree, srctree, cmdline, smp, mem,
# mode and tmpdir set; sets QEMU, QEMU_ARGS, EXIT_PASS, EXIT_FAIL, GDB_ARCH.
# The launcher adds the console, monitor and gdb options itself.
#
# QEMU's -kernel loads machline through its multiboot header (the a.out
# kludge; see Documentation/boards/qemu-x86_64.rst). isa-debug-exit carries the kernel's exit
# status out: arch_poweroff() writes 0x10 (pass) or 0x11 (fail) to port
# 0xf4, and QEMU exits with (value << 1) | 1.
#
# MACHLINE_X86_MACHINE=q35 picks the other PC chipset (default pc).

QEMU=qemu-system-x86_64
QEMU_ARGS=(
	-M "${MACHLINE_X86_MACHINE:-pc}"
	-accel tcg
	-cpu max
	-m "$mem"
	-smp "$smp"
	-no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-kernel "$objtree/machline"
)
# The scratch disk (qemu_scratch_disk in scripts/machline-qemu): the only
# virtio disk, a modern-only virtio-blk-pci function, serial machline-swap.
board_scratch=$(qemu_scratch_disk) || return 1
if [ -n "$board_scratch" ]; then
	QEMU_ARGS+=(
		-drive "if=none,format=raw,id=scratch,file=$board_scratch"
		-device virtio-blk-pci,drive=scratch,serial=machline-swap,disable-legacy=on
	)
fi
if [ -n "$cmdline" ]; then
	QEMU_ARGS+=(-append "$cmdline")
fi
# The RAM disk (CONFIG_USERLAND) as multiboot module 0: the kernel takes
# the first module that is a cpio archive (Documentation/boot.rst).
if grep -q '^CONFIG_USERLAND=y' "$objtree/.config" && [ -f "$objtree/initrd.cpio" ]; then
	QEMU_ARGS+=(-initrd "$objtree/initrd.cpio")
fi

EXIT_PASS=33
EXIT_FAIL=35
GDB_ARCH=i386:x86-64

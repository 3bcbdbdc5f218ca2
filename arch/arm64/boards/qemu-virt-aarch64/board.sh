# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# qemu-virt-aarch64: how to start QEMU for this board. Sourced by
# scripts/machline-qemu (bash) with these variables set:
#   objtree  the absolute build directory        srctree  the source tree
#   cmdline  the kernel command line, may be ""  smp      1..4
#   mem      RAM size ("256M")                   mode     run | test | debug
# and it sets:
#   QEMU, QEMU_ARGS (an array, without -serial/-display/-monitor/gdb options,
#   which the launcher adds), EXIT_PASS, EXIT_FAIL, GDB_ARCH, and
#   BOARD_CLEANUP_DIRS (appended to): directories the launcher removes when
#   QEMU has exited; a per-run U-Boot environment lives there.
#
# Boot path: U-Boot (-bios) reads its environment from pflash bank 1
# (uboot-env.img: no autoboot delay), its standard boot finds the bootable
# FAT partition of disk.img on the virtio disk and runs boot.scr, which
# loads Image and boots it with booti. See Documentation/boards/qemu-virt-aarch64.rst.
# The virtio-mmio transports are modern (version 2, force-legacy=false),
# which the kernel's driver needs and U-Boot handles too.
#
# MACHLINE_ARM_MACHINE picks another -M (default virt), e.g.
# "virt,gic-version=3" or "virt,virtualization=on"; MACHLINE_ARM_CPU
# another -cpu (default cortex-a57).

QEMU=qemu-system-aarch64
EXIT_PASS=33
EXIT_FAIL=35
GDB_ARCH=aarch64

board_boot=$objtree/arch/arm64/boot
board_uboot=${UBOOT_BIOS:-/usr/lib/u-boot/qemu_arm64/u-boot.bin}
board_envimg=$board_boot/uboot-env.img

# A command line for this run goes into a private copy of the environment,
# so that parallel runs never share (or race on) one file.
if [[ -n $cmdline ]]; then
	board_tmp=$(mktemp -d "$objtree/.qemu-env.XXXXXX") || return 1
	BOARD_CLEANUP_DIRS+=("$board_tmp")
	{
		grep -v -e '^bootargs=' "$srctree/arch/arm64/boards/qemu-virt-aarch64/uboot-env.txt"
		printf 'bootargs=%s\n' "$cmdline"
	} > "$board_tmp/uboot-env.txt" &&
	mkenvimage -s 0x40000 -o "$board_tmp/uboot-env.img" "$board_tmp/uboot-env.txt" &&
	truncate -s 64M "$board_tmp/uboot-env.img" || return 1
	board_envimg=$board_tmp/uboot-env.img
fi

# The scratch disk (qemu_scratch_disk in scripts/machline-qemu), serial
# machline-swap, is the second virtio disk: QEMU gives the first -device
# the highest virtio-mmio address, and U-Boot and the kernel count from the
# lowest, so it goes on the command line BEFORE the boot disk to keep the
# boot disk virtio0 for U-Boot (and vda for the kernel; the scratch disk
# is vdb).
board_scratch=$(qemu_scratch_disk) || return 1
board_scratch_args=()
if [[ -n $board_scratch ]]; then
	board_scratch_args=(
		-drive "if=none,format=raw,id=scratch,file=$board_scratch"
		-device virtio-blk-device,drive=scratch,serial=machline-swap
	)
fi

QEMU_ARGS=(
	-M "${MACHLINE_ARM_MACHINE:-virt}" -cpu "${MACHLINE_ARM_CPU:-cortex-a57}"
	-m "$mem" -smp "$smp"
	-bios "$board_uboot"
	-semihosting-config enable=on,target=native
	-drive "if=pflash,format=raw,unit=1,readonly=on,file=$board_envimg"
	-global virtio-mmio.force-legacy=false
	"${board_scratch_args[@]}"
	-drive "if=none,format=raw,id=hd0,snapshot=on,file=$board_boot/disk.img"
	-device virtio-blk-device,drive=hd0,serial=machline-boot
	-nic none
	-no-reboot
)

# MachLine boot script for U-Boot standard boot (qemu-virt-aarch64): loads
# Image, and initrd.cpio if the partition has it, and boots them.
# Built into boot.scr by mkimage -T script. U-Boot's distro boot runs it
# from the partition it found it on: ${devtype} ${devnum}:${distro_bootpart}
# with ${prefix} the directory ("/" here).
echo "MachLine: loading ${prefix}Image from ${devtype} ${devnum}:${distro_bootpart}"
if load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}Image; then
	# bootargs from the environment (board.sh, per run) win; otherwise the
	# built-in CONFIG_CMDLINE of this build, which may be empty.
	if test -z "${bootargs}"; then
		setenv bootargs '@CMDLINE@'
	fi
	# x0 = U-Boot's own copy of the device tree, fixed up with /chosen;
	# the RAM disk, when the disk has one, goes in /chosen as
	# linux,initrd-start/-end (Documentation/boot.rst).
	if load ${devtype} ${devnum}:${distro_bootpart} ${ramdisk_addr_r} ${prefix}initrd.cpio; then
		booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}
	else
		booti ${kernel_addr_r} - ${fdtcontroladdr}
	fi
fi
echo "MachLine: could not load or start ${prefix}Image"

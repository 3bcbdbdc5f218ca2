# MachLine boot script for U-Boot standard boot (qemu-virt-aarch64).
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
	# x0 = U-Boot's own copy of the device tree, fixed up with /chosen
	booti ${kernel_addr_r} - ${fdtcontroladdr}
fi
echo "MachLine: could not load or start ${prefix}Image"

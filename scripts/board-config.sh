#!/bin/bash
# SPDX-License-Identifier: MIT
#
# board-config.sh "<make command>" "<BOARD>": make sure the build directory
# (the current directory) has a .config for BOARD, for "make run/test/debug".
#
#   BOARD empty, no .config       -> qemu_x86_64_defconfig
#   BOARD empty, a .config        -> keep it, whatever it is
#   BOARD given, .config for it   -> keep it (menuconfig changes survive)
#   BOARD given, no or other .config -> <board>_defconfig
#
# BOARD is a board name (qemu-x86_64, qemu-virt-aarch64), an architecture
# shorthand (x86_64, x86, arm64, aarch64), or a defconfig name
# (qemu_x86_64_tiny_defconfig, or without the _defconfig suffix), which is
# applied when .config is missing or for another board.

set -euo pipefail

make_cmd=${1:?usage: board-config.sh "<make command>" "<BOARD>"}
want=${2-}
srctree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

board_current()
{
	[ -f .config ] && sed -n 's/^CONFIG_BOARD="\(.*\)"$/\1/p' .config
	return 0
}

# board name -> its default defconfig; defconfig -> the board it is for
board_defconfig() { echo "${1//-/_}_defconfig"; }
defconfig_board()
{
	sed -n 's/^CONFIG_BOARD_\(.*\)=y$/\1/p' "$srctree/configs/$1" | head -n 1 |
		tr 'A-Z_' 'a-z-' | sed 's/^qemu-x86-64$/qemu-x86_64/'
}

defconfig=
board=
case $want in
"")
	[ -f .config ] && exit 0
	defconfig=qemu_x86_64_defconfig
	;;
x86_64|x86|amd64)	board=qemu-x86_64 ;;
arm64|aarch64)		board=qemu-virt-aarch64 ;;
*_defconfig)		defconfig=$want ;;
*)
	if [ -f "$srctree/configs/${want}_defconfig" ]; then
		defconfig=${want}_defconfig
	else
		board=$want
	fi
	;;
esac

if [ -n "$board" ]; then
	defconfig=$(board_defconfig "$board")
elif [ -n "$want" ]; then
	board=$(defconfig_board "$defconfig" 2>/dev/null || true)
fi

if [ ! -f "$srctree/configs/$defconfig" ]; then
	echo "board-config.sh: unknown BOARD=$want; the boards are:" >&2
	for f in "$srctree"/configs/*_defconfig; do
		f=${f##*/}
		case $f in *_tiny_defconfig|*_full_defconfig) continue ;; esac
		echo "  ${f%_defconfig}" | tr _ - | sed 's/x86-64/x86_64/' >&2
	done
	exit 1
fi

if [ -n "$board" ] && [ "$(board_current)" = "$board" ]; then
	exit 0
fi

if [ -f .config ]; then
	echo "  BOARD   $board: replacing the .config for $(board_current) with $defconfig"
else
	echo "  BOARD   ${board:-qemu-x86_64}: no .config, using $defconfig"
fi
# shellcheck disable=SC2086 # the make command is several words
$make_cmd "$defconfig"

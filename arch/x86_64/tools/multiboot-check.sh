#!/bin/bash
# SPDX-License-Identifier: MIT
#
# multiboot-check.sh ELF
#
# Check that QEMU (or any multiboot v1 loader) loading ELF through the
# header's a.out kludge (flag 16) puts every byte where the ELF program
# headers say it belongs. With the kludge the loader ignores the ELF
# headers: it copies load_end_addr - load_addr bytes from file offset
# header_offset - (header_addr - load_addr) to physical load_addr, and
# zeroes up to bss_end_addr. That is right only if, for each PT_LOAD
# segment, file offset - physical address is the same constant, which ld
# gives us when segments follow each other in file and address order.
#
# Uses $READELF (default readelf). Exits 1 with the reason if not.
set -e

elf=$1
readelf=${READELF:-readelf}

fail() {
	echo >&2 "multiboot-check: $elf: $*"
	echo >&2 "multiboot-check: QEMU -kernel would load a corrupt image; check arch/x86_64/kernel/machline.lds.S"
	exit 1
}

[ -f "$elf" ] || fail "no such file"

# The header: the first 0x1badb002 on a 4-byte boundary in the first 8 KiB
# whose checksum is right.
read -r hoff magic flags sum haddr laddr lend bend entry < <(
	od -A d -t u4 -v -w4 -N 8192 "$elf" | awk '
		{ off[NR] = $1 + 0; val[NR] = $2 }
		END {
			for (i = 1; i <= NR; i++) {
				if (val[i] != 464367618) continue	# 0x1badb002
				if ((val[i] + val[i+1] + val[i+2]) % 4294967296 != 0) continue
				print off[i], val[i], val[i+1], val[i+2], val[i+3], val[i+4], val[i+5], val[i+6], val[i+7]
				exit
			}
		}')
[ -n "$hoff" ] || fail "no multiboot header in the first 8 KiB"
(( flags & (1 << 16) )) || fail "the multiboot header does not use the a.out kludge (flag 16)"
(( laddr <= haddr )) || fail "load_addr $(printf %#x $laddr) is above header_addr $(printf %#x $haddr)"
(( lend > laddr )) || fail "load_end_addr $(printf %#x $lend) is not above load_addr"
(( bend >= lend )) || fail "bss_end_addr $(printf %#x $bend) is below load_end_addr"
(( entry >= laddr && entry < lend )) || fail "entry $(printf %#x $entry) is outside the loaded image"

file_base=$(( hoff - (haddr - laddr) ))
(( file_base >= 0 )) || fail "the image would start before the file"
size=$(stat -c %s "$elf")
(( file_base + lend - laddr <= size )) || fail "the file is too short for load_end_addr"

# Every loaded segment: its bytes must be where the kludge copies them from.
status=0
while read -r type off vaddr paddr filesz memsz rest; do
	[ "$type" = LOAD ] || continue
	off=$((off)) paddr=$((paddr)) filesz=$((filesz)) memsz=$((memsz))
	if (( paddr < laddr || paddr + memsz > bend )); then
		echo >&2 "multiboot-check: segment at $(printf %#x $paddr)+$(printf %#x $memsz) is outside load_addr..bss_end_addr"
		status=1
	fi
	(( filesz == 0 )) && continue
	if (( off - paddr != file_base - laddr )); then
		echo >&2 "multiboot-check: segment at $(printf %#x $paddr) is at file offset $(printf %#x $off), the kludge reads it from $(printf %#x $((file_base + paddr - laddr)))"
		status=1
	fi
	if (( paddr + filesz > lend )); then
		echo >&2 "multiboot-check: segment at $(printf %#x $paddr) has file data past load_end_addr $(printf %#x $lend)"
		status=1
	fi
done < <("$readelf" -lW "$elf" | awk '$1 == "LOAD"')

(( status == 0 )) || fail "the file layout does not match the multiboot header"
exit 0

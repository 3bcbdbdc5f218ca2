#!/bin/bash
# SPDX-License-Identifier: MIT
#
# bench.sh: what "make bench" runs. For each board: build its default
# configuration with CONFIG_KBENCH (and without ktest, ZONE_DEBUG and LOCK_DEBUG, see
# below) in build/bench/<board>/,
# boot it under QEMU -icount shift=0 with "kbench" on the command line, and
# print guest instructions and cycles per operation of every benchmark.
#
#   scripts/bench.sh [BOARD...]          (default: every board)
#
# Under -icount shift=0 one guest instruction is one nanosecond of virtual
# time, so the kernel's ns/op is instructions per operation, the same on any
# host and from run to run. "cycles" is the arch's cycle counter
# (arch_cycle_counter: the TSC on x86_64, CNTVCT on arm64, whose 62.5 MHz
# makes it coarse): meaningful where the counter follows guest time.
#
# The table is also written to build/bench/results.txt, one line per figure:
#   bench <board> <benchmark> insns=<x> cycles=<y>
# a stable format for comparing commits (diff two results files).
#
# Environment: BENCH_FILTER (glob of benchmark names), BENCH_TIMEOUT
# (seconds per boot, default 600), BENCH_OUT (the build and results
# directory, default build/bench: two runs at once need two), CI=true (plain output).

set -euo pipefail

srctree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${BENCH_OUT:-$srctree/build/bench}
# "make bench" exports its own view of the build: start clean.
unset ARCH SRCARCH CROSS_COMPILE MAKEFLAGS MAKELEVEL MFLAGS KBUILD_SRC

all_boards=("qemu-x86_64" "qemu-virt-aarch64")
boards=("$@")
[ ${#boards[@]} -gt 0 ] || boards=("${all_boards[@]}")
jobs=$(nproc 2>/dev/null || echo 2)
icount_shift=0

mkdir -p "$out"
results=$out/results.txt
: > "$results.tmp"
status=0

bench_board()
{
	local board=$1 dir=$out/$1 defconfig frag log cmdline
	defconfig=${board//-/_}_defconfig
	frag=$dir/kbench.config
	log=$dir/bench.log
	mkdir -p "$dir"

	# The shipped defconfig, plus the benchmarks, minus the tests, and
	# minus CONFIG_ZONE_DEBUG: its poison fill and byte-by-byte checks of
	# every element on every zalloc/zfree would be most of what the zone
	# benchmarks measure (as Linux is benchmarked without slub_debug).
	# The checks that stay without it (a foreign free is still caught)
	# are in the figures. CONFIG_LOCK_DEBUG goes for the same reason: its
	# lock-order bookkeeping would dominate every path that takes a lock.
	# Documentation/dev-tools/bench.rst.
	{ cat "$srctree/configs/$defconfig"; echo 'CONFIG_KBENCH=y'; echo '# CONFIG_KTEST is not set'
	  echo '# CONFIG_ZONE_DEBUG is not set'; echo '# CONFIG_LOCK_DEBUG is not set'; } > "$frag"
	if ! { KCONFIG_ALLCONFIG=$frag make -s -C "$srctree" O="$dir" alldefconfig &&
	       make -s -C "$srctree" O="$dir" -j"$jobs"; } > "$dir/build.log" 2>&1; then
		echo "bench: $board: build failed (last lines of $dir/build.log):" >&2
		tail -n 30 "$dir/build.log" >&2
		return 1
	fi
	if ! grep -q '^CONFIG_KBENCH=y' "$dir/.config"; then
		echo "bench: $board: CONFIG_KBENCH could not be enabled (dependencies?)" >&2
		return 1
	fi

	cmdline="kbench quiet${BENCH_FILTER:+ kbench.filter=$BENCH_FILTER}"
	if ! timeout "${BENCH_TIMEOUT:-600}" "$srctree/scripts/machline-qemu" --mode test \
		--icount "$icount_shift" --append "$cmdline" "$dir" > "$log" 2>&1 < /dev/null; then
		:	# QEMU's status is the pass status, never 0; judged below
	fi
	if ! grep -q '^kbench: done' <(tr -d '\r' < "$log"); then
		echo "bench: $board: the run did not finish (last lines of $log):" >&2
		tail -n 30 "$log" >&2
		return 1
	fi
	tr -d '\r' < "$log" | awk -v board="$board" -v shift_="$icount_shift" '
		/^kbench: [^ ]+ iters=/ {
			name = $2; ns = ""; cyc = ""
			for (i = 3; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] == "ns/op") ns = kv[2]
				if (kv[1] == "cycles/op") cyc = kv[2]
			}
			printf "bench %s %s insns=%.1f cycles=%s\n", board, name, ns / (2 ^ shift_), cyc
		}' >> "$results.tmp"
}

for board in "${boards[@]}"; do
	case " ${all_boards[*]} " in
	*" $board "*) ;;
	*) echo "bench: unknown board $board (${all_boards[*]})" >&2; exit 2 ;;
	esac
	bench_board "$board" || status=1
done

mv -f "$results.tmp" "$results"
printf '\nkbench under QEMU -icount shift=%s (guest instructions per operation)\n' "$icount_shift"
printf '  %-20s %-24s %12s %12s\n' BOARD BENCHMARK INSNS/OP CYCLES/OP
awk '{ split($4, i, "="); split($5, c, "=");
       printf "  %-20s %-24s %12s %12s\n", $2, $3, i[2], c[2] }' "$results"
echo "(also in ${results#"$srctree"/})"
exit $status

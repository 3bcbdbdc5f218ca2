#!/bin/bash
# SPDX-License-Identifier: MIT
#
# check.sh: what "make check" (and so .ci/run) runs, from the source tree.
#
#   scripts/check.sh [GLOB...]
#
#   kconfig   Kconfig sanity: every CONFIG_FOO used in code and every symbol
#             a Kconfig expression or a defconfig names is defined somewhere
#   for each shipped configs/*_defconfig, in build/check/<defconfig>/:
#     config         make <defconfig>, no kconfig warning allowed
#     build+sparse   make C=1 (-Werror and sparse errors always on)
#     savedefconfig  make savedefconfig equals the shipped file
#     boot           scripts/ktest-runner (--no-ktest without CONFIG_KTEST)
#     crash          with KTEST_SELFTEST: boot with ktest.crash=fault; the
#                    runner must fail the run and name the crashed case
#     bootstrap      with USERLAND: boot into user space (ktest-runner
#                    --bootstrap): /sbin/bootstrap must start from the RAM
#                    disk and its user-mode self check pass
#     shell          with USERLAND, the default defconfig of each board
#                    only: scripts/tests/shell-test boots to /bin/sh,
#                    types commands on the console and checks the answers
#                    and that poweroff ends QEMU
#     boot-smp4      the default defconfig of each board only: boot with 4
#                    CPUs (arm64 on a GICv3, -M virt,gic-version=3, so that
#                    both GIC versions are covered); the smp suite checks
#                    that every CPU came up. These run last, one at a
#                    time, with no other guest beside them.
#     boot-lowmem    the default defconfig of each board only: 64 MiB of
#                    RAM, a 256 MiB swap disk, and the default_pager suite
#                    writing three times the RAM in anonymous memory and
#                    checking every byte (default_pager.overcommit=3)
#     boot-ramswap   the default defconfig of each board only: swap on a
#                    32 MiB RAM area (swap=ram:32M) instead of the disk, the
#                    default_pager, memory_object_default and vm_pageout
#                    suites; the console must name the RAM area
#   for each board: allnoconfig, allyesconfig and randconfig with fixed
#     KCONFIG_SEED values: config (no warnings) and build
#   selftest  scripts/tests/run-runner-tests
#   user      user/ built on its own for each architecture: libmach (with
#             MIG's client stubs and the servers of what the kernel sends),
#             libc, the programs and initrd.cpio
#   user-host scripts/tests/test-mkcpio (the RAM disk packer's round trip) and
#             scripts/tests/test-user-libc (libc's pure parts on the host)
#   mig       scripts/mig/tests/run (MIG: GNU Mach and MachLine .defs corpus,
#             loopback, malformed messages under ASan/UBSan, fuzz)
#
# GLOB arguments keep only the configurations whose name matches (e.g.
# 'qemu_x86_64*' or '*tiny*'; "kconfig" and "selftest" name those steps).
# Builds stay in build/check/ (never the source tree's .config); each step's
# full log goes to build/check/logs/. Prints a table of results, the tails of
# the failing logs, and last the sum of every boot's ktest results:
# "ktest: N passed, N failed". Exits non-zero on any failure.
#
# Environment: CHECK_JOBS (steps at once, default: CPUs), CHECK_TIMEOUT
# (seconds per boot, default 180; the 4-CPU boots get twice that),
# CHECK_SEEDS (randconfig seeds, default
# "1 2 3"), CHECK_CLEAN=1 (start from empty build dirs), CI=true (plain output).

set -uo pipefail

# "make check" exports its own view of the build (ARCH, CROSS_COMPILE, the
# flags, MAKEFLAGS with a jobserver we cannot use): start from a clean slate.
unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES MAKEFILES GNUMAKEFLAGS \
	ARCH SRCARCH CROSS_COMPILE O C V W KBUILD_SRC KBUILD_VERBOSE \
	KBUILD_CHECKSRC KBUILD_EXTRA_WARN KBUILD_CPPFLAGS KBUILD_CFLAGS \
	KBUILD_AFLAGS KBUILD_LDFLAGS KBUILD_LDS KBUILD_SUBDIR_CCFLAGS CHECKFLAGS \
	srctree objtree abs_srctree abs_objtree KERNELVERSION CONFIG_SHELL \
	KCONFIG_CONFIG KCONFIG_AUTOCONFIG KCONFIG_AUTOHEADER KCONFIG_TRISTATE \
	KCONFIG_SEED KCONFIG_ALLCONFIG KCONFIG_PROBABILITY \
	CC CPP LD AR NM OBJCOPY OBJDUMP READELF CHECK HOSTCC BOARD
export LC_ALL=C

srctree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$srctree" || exit 1


ncpu=$(nproc 2>/dev/null || echo 2)
max_jobs=${CHECK_JOBS:-$ncpu}
boot_timeout=${CHECK_TIMEOUT:-180}
seeds=${CHECK_SEEDS:-1 2 3}
out=$srctree/build/check
logs=$out/logs
results=$out/results.txt
smp4_todo=$out/smp4.todo
filters=("$@")

# Boards: name, ARCH, the Kconfig symbol that selects it. The first is the
# default of the board choice.
boards=(
	"qemu-x86_64 x86_64 BOARD_QEMU_X86_64"
	"qemu-virt-aarch64 arm64 BOARD_QEMU_VIRT_AARCH64"
)

if [ -t 1 ] && [ "${CI:-}" != true ] && [ -z "${NO_COLOR:-}" ]; then
	c_pass=$'\e[32m'; c_fail=$'\e[31m'; c_skip=$'\e[33m'; c_off=$'\e[0m'
else
	c_pass=; c_fail=; c_skip=; c_off=
fi


mkdir -p "$out"
rm -rf "$logs"
mkdir -p "$logs"
: >"$results"
: >"$smp4_todo"
t_start=$SECONDS

selected()
{
	local f
	[ ${#filters[@]} -eq 0 ] && return 0
	for f in "${filters[@]}"; do
		# shellcheck disable=SC2053 # a glob on purpose
		[[ $1 == $f ]] && return 0
	done
	return 1
}

colour()
{
	case $1 in
	PASS) printf '%s%s%s' "$c_pass" "$1" "$c_off" ;;
	FAIL) printf '%s%s%s' "$c_fail" "$1" "$c_off" ;;
	*) printf '%s%s%s' "$c_skip" "$1" "$c_off" ;;
	esac
}

# record ORDER STEP BOARD CONFIG RESULT SECONDS LOG [DETAIL]
# One line per step (a single short write, so parallel steps don't mix).
record()
{
	local detail=${8-}
	printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" \
		"${detail//|//}" >>"$results"
	printf '  %-4s  %-13s %-18s %-34s %4ss %s\n' "$(colour "$5")" "$2" "$3" "$4" "$6" "${8-}"
}

# step ORDER STEP BOARD CONFIG LOG COMMAND...: run, time and record a step.
step()
{
	local order=$1 name=$2 board=$3 config=$4 log=$5 t0=$SECONDS rc
	shift 5
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	record "$order" "$name" "$board" "$config" \
		"$([ $rc = 0 ] && echo PASS || echo FAIL)" $((SECONDS - t0)) "$log" \
		"$(step_detail "$name" "$log" $rc)"
	return $rc
}

step_detail()
{
	case $1 in
	boot|boot-smp4|boot-lowmem|boot-ramswap)
		if grep -q 'booted and powered off (no ktest)' "$2"; then
			echo "booted and powered off (no ktest)"
		else
			# the summary, and the first failed case's name
			echo "$(tail -n 1 "$2" | grep '^ktest: ')$(awk '
				/^ktest-runner: FAILED/ { exit }
				/^  [A-Z]+ +[^ ]/ { suite = $2 }
				/^          not ok / { print " (not ok: " suite "." $4 ")"; exit }' "$2")"
		fi ;;
	crash) [ "$3" = 0 ] && echo "crashed case reported, run failed as it must" ;;
	mig) tail -n 1 "$2" | grep '^mig: ' ;;
	*) [ "$3" = 0 ] || grep -m1 -iE 'error|warning|differs|undefined|FAIL' "$2" | cut -c1-60 ;;
	esac
}

# failed_cases LOG: a boot's failed cases with their diagnostics, as the
# runner's report names them (indented, before "ktest-runner: FAILED"); the
# console's tail that follows may no longer show them.
failed_cases()
{
	local cases
	cases=$(awk '/^ktest-runner: FAILED/ { exit } /^  FAIL / || /^          / { print }' "$1" | head -n 40)
	[ -n "$cases" ] || return 0
	echo "---- ${1#"$srctree"/}: failed cases ----"
	printf '%s\n' "$cases"
}

skip_rest()
{
	local order=$1 board=$2 config=$3 s
	shift 3
	for s in "$@"; do
		order=$((order + 1))
		record "$order" "$s" "$board" "$config" SKIP 0 "" "an earlier step failed"
	done
}

# The board a defconfig is for: the one whose symbol it sets, else the default.
defconfig_board()
{
	local file=$srctree/configs/$1 b fields
	for b in "${boards[@]}"; do
		read -r -a fields <<<"$b"
		if grep -q "^CONFIG_${fields[2]}=y" "$file"; then
			echo "${fields[0]}"; return
		fi
	done
	read -r -a fields <<<"${boards[0]}"
	echo "${fields[0]}"
}

# make_config OBJ BOARD [VAR=value...] TARGET: configure; fail on any kconfig
# warning and on a .config for another board.
make_config()
{
	local obj=$1 board=$2 got
	shift 2
	make O="$obj" "$@" || return 1
	# $log: the step's log (step's local), which holds kconfig's output
	if grep -iq 'warning' "$log"; then
		echo "check.sh: kconfig printed warnings (above)"
		return 1
	fi
	got=$(sed -n 's/^CONFIG_BOARD="\(.*\)"$/\1/p' "$obj/.config")
	if [ "$got" != "$board" ]; then
		echo "check.sh: the configuration is for board '$got', expected '$board'"
		return 1
	fi
}

make_build()
{
	make O="$1" -j"$ncpu" "${@:2}"
}

make_savedefconfig()
{
	local obj=$1 name=$2
	make O="$obj" savedefconfig || return 1
	if ! diff -u "$srctree/configs/$name" "$obj/defconfig"; then
		echo "check.sh: savedefconfig differs from configs/$name (diff above)"
		return 1
	fi
	echo "savedefconfig equals configs/$name"
}

boot()
{
	local obj=$1 name=$2
	local args=(--quiet --timeout "$boot_timeout" --log "$logs/$name.console")
	grep -q '^CONFIG_KTEST=y' "$obj/.config" || args+=(--no-ktest)
	python3 "$srctree/scripts/ktest-runner" "${args[@]}" "$obj"
}

# The same with 4 CPUs (arm64: on a GICv3). Four vCPUs on a two-core host
# are oversubscribed: a lock holder or a TLB shootdown's target is often
# descheduled by the host, and the same suites take two to three times as
# long, so the boot gets twice the time (a hang still fails at that bound).
boot_smp4()
{
	local obj=$1 name=$2
	local args=(--quiet --timeout $((2 * boot_timeout)) --smp 4
		    --log "$logs/$name.smp4.console")
	grep -q '^CONFIG_KTEST=y' "$obj/.config" || args+=(--no-ktest)
	MACHLINE_ARM_MACHINE=virt,gic-version=3 \
		python3 "$srctree/scripts/ktest-runner" "${args[@]}" "$obj"
}

# The boot into user space: the kernel starts /sbin/bootstrap from the RAM
# disk, whose self check must pass (Documentation/boot.rst).
boot_bootstrap()
{
	local obj=$1 name=$2
	python3 "$srctree/scripts/ktest-runner" --quiet --bootstrap --timeout "$boot_timeout" \
		--log "$logs/$name.bootstrap.console" "$obj"
}

# The shell on the console: commands typed by the test, answers checked,
# poweroff ends QEMU (Documentation/user.rst, "The shell").
boot_shell()
{
	local obj=$1 name=$2
	python3 "$srctree/scripts/tests/shell-test" --timeout "$boot_timeout" \
		--log "$logs/$name.shell.console" "$obj"
}

# The ktest_crash suite (with KTEST_SELFTEST) faults on purpose when asked:
# the runner must report a failed run with the crashed case and the panic.
boot_crash()
{
	local obj=$1 name=$2 out rc
	out=$(python3 "$srctree/scripts/ktest-runner" --quiet --timeout "$boot_timeout" \
		--log "$logs/$name.crash.console" --append ktest.crash=fault \
		--filter ktest_crash "$obj")
	rc=$?
	echo "$out"
	echo "---- runner exit status $rc"
	if [ $rc = 0 ]; then
		echo "check.sh: FAIL: the runner passed a kernel that crashed on purpose"
		return 1
	fi
	if ! grep -q '# crashed:' <<<"$out" || ! grep -q 'reason: kernel panic' <<<"$out"; then
		echo "check.sh: FAIL: no crashed case or no panic in the runner's report"
		return 1
	fi
	echo "crash caught: the runner failed the run, with the crashed case and the panic"
}

# Paging under memory pressure: 64 MiB of RAM, anonymous memory three times
# that through the default pager, every byte read back (default_pager suite,
# Documentation/mm/vm.rst), on a swap disk of its own that holds it all.
boot_lowmem()
{
	local obj=$1 name=$2 disk rc
	disk=$(mktemp "${TMPDIR:-/tmp}/machline-swap.XXXXXX") || return 1
	truncate -s 256M "$disk" &&
		MACHLINE_SCRATCH_DISK=$disk python3 "$srctree/scripts/ktest-runner" --quiet \
			--timeout "$boot_timeout" --mem 64M --append default_pager.overcommit=3 \
			--filter default_pager --log "$logs/$name.lowmem.console" "$obj"
	rc=$?
	rm -f "$disk"
	return $rc
}

# The default pager on a RAM area given at boot (swap=ram:SIZE) rather than
# the disk: the board without a disk gets this, so it is checked here too.
boot_ramswap()
{
	local obj=$1 name=$2 console=$logs/$2.ramswap.console
	python3 "$srctree/scripts/ktest-runner" --quiet --timeout "$boot_timeout" \
		--append swap=ram:32M \
		--filter 'default_pager*,memory_object_default*,vm_pageout*' \
		--log "$console" "$obj" || return 1
	grep -q 'default_pager: 32768 KiB of swap (RAM)' "$console" ||
		{ echo "boot-ramswap: the default pager did not take the RAM area"; return 1; }
}

prepare_dir()
{
	[ "${CHECK_CLEAN:-0}" = 1 ] && rm -rf "$1"
	mkdir -p "$1"
}

# --- the tasks ---------------------------------------------------------------

task_defconfig()
{
	local order=$1 name=$2 board obj=$out/$2
	board=$(defconfig_board "$name")
	prepare_dir "$obj"
	step "$order" config "$board" "$name" "$logs/$name.config.log" make_config "$obj" "$board" "$name" ||
		{ skip_rest "$order" "$board" "$name" build+sparse savedefconfig boot; return; }
	# savedefconfig needs only the configuration: check it whatever the build says.
	step $((order + 2)) savedefconfig "$board" "$name" "$logs/$name.savedefconfig.log" \
		make_savedefconfig "$obj" "$name"
	step $((order + 1)) build+sparse "$board" "$name" "$logs/$name.build.log" \
		make_build "$obj" C=1 ||
		{ skip_rest $((order + 2)) "$board" "$name" boot; return; }
	step $((order + 3)) boot "$board" "$name" "$logs/$name.boot.log" boot "$obj" "$name"
	if grep -q '^CONFIG_KTEST_SELFTEST=y' "$obj/.config"; then
		step $((order + 4)) crash "$board" "$name" "$logs/$name.crash.log" \
			boot_crash "$obj" "$name"
	fi
	if grep -q '^CONFIG_USERLAND=y' "$obj/.config"; then
		step $((order + 6)) bootstrap "$board" "$name" "$logs/$name.bootstrap.log" \
			boot_bootstrap "$obj" "$name"
	fi
	if [ "$name" = "${board//-/_}_defconfig" ] && grep -q '^CONFIG_USERLAND=y' "$obj/.config"; then
		step $((order + 8)) shell "$board" "$name" "$logs/$name.shell.log" \
			boot_shell "$obj" "$name"
	fi
	# The 4-CPU boot comes later, alone (see below).
	if [ "$name" = "${board//-/_}_defconfig" ]; then
		echo "$((order + 5)) $board $name" >>"$smp4_todo"
	fi
	if [ "$name" = "${board//-/_}_defconfig" ] &&
	   grep -q '^CONFIG_DEFAULT_PAGER_KTEST=y' "$obj/.config"; then
		step $((order + 7)) boot-lowmem "$board" "$name" "$logs/$name.lowmem.log" \
			boot_lowmem "$obj" "$name"
		step $((order + 9)) boot-ramswap "$board" "$name" "$logs/$name.ramswap.log" \
			boot_ramswap "$obj" "$name"
	fi
}

# The 4-CPU boots run one at a time, after everything else: 4 vCPUs on a
# 2-core host are oversubscribed already, and with a second guest beside
# them every lock holder spends most of its time descheduled.
task_smp4_all()
{
	local order board name
	[ -s "$smp4_todo" ] || return 0
	while read -r order board name; do
		step "$order" boot-smp4 "$board" "$name" "$logs/$name.smp4.log" \
			boot_smp4 "$out/$name" "$name"
	done < <(sort -n "$smp4_todo")
}

# task_generated ORDER BOARD ARCH SYMBOL KIND [SEED]
task_generated()
{
	local order=$1 board=$2 arch=$3 sym=$4 kind=$5 seed=${6-} name obj pin
	name=$board-$kind${seed:+-$seed}
	obj=$out/$name
	prepare_dir "$obj"
	local cfg_args=(ARCH="$arch")
	if [ "$kind" = randconfig ]; then
		pin=$obj/board.config
		echo "CONFIG_$sym=y" >"$pin"
		cfg_args+=(KCONFIG_SEED="$seed" KCONFIG_ALLCONFIG="$pin")
	fi
	step "$order" config "$board" "$kind${seed:+ seed=$seed}" "$logs/$name.config.log" \
		make_config "$obj" "$board" "${cfg_args[@]}" "$kind" ||
		{ skip_rest "$order" "$board" "$kind${seed:+ seed=$seed}" build; return; }
	step $((order + 1)) build "$board" "$kind${seed:+ seed=$seed}" "$logs/$name.build.log" \
		make_build "$obj"
}

task_kconfig()
{
	step "$1" kconfig all "Kconfig symbols" "$logs/kconfig.log" kconfig_symbols
}

# MIG, the host tool: corpus, loopback, malformed messages, fuzz.
task_mig()
{
	step "$1" mig host "scripts/mig/tests" "$logs/mig.log" \
		env JOBS=1 "$srctree/scripts/mig/tests/run"
}

# user/ (libmach with the MIG stubs, libc, the programs, initrd.cpio),
# built on its own for one architecture.
task_user()
{
	step "$1" user "$2" "user/" "$logs/user-$3.log" \
		make -C "$srctree/user" O="$out/user-$3" ARCH="$3"
}

# Host tests of user-space pieces: the cpio packer and libc's pure parts.
user_host_tests()
{
	"$srctree/scripts/tests/test-mkcpio" && "$srctree/scripts/tests/test-user-libc"
}

task_user_host()
{
	step "$1" user-host host "mkcpio, libc" "$logs/user-host.log" user_host_tests
}

task_selftest()
{
	step "$1" selftest host "ktest-runner" "$logs/selftest.log" \
		"$srctree/scripts/tests/run-runner-tests"
}

# Every CONFIG_ symbol used in code, and every symbol named in a Kconfig
# expression or a defconfig, must be defined by some Kconfig file.
kconfig_symbols()
{
	python3 - "$srctree" <<'EOF'
import os, re, sys

src = sys.argv[1]
# Make variables and the like that are spelled CONFIG_ but are not Kconfig.
EXEMPT = {"SHELL"}
SKIP_DIRS = {".git", "build", "out"}

def files():
    for d, dirs, names in os.walk(src):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not
                         (d == src and x.startswith(".")))
        for n in sorted(names):
            yield os.path.join(d, n), n

def rel(p):
    return os.path.relpath(p, src)

defined = set()
kconfigs = []
for path, name in files():
    if name.startswith("Kconfig"):
        kconfigs.append(path)
        for line in open(path, errors="replace"):
            m = re.match(r"\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$", line)
            if m:
                defined.add(m.group(1))

problems = []

# Kconfig expressions: the symbols that dependencies, selects, defaults,
# ranges and "if" conditions name.
EXPR = re.compile(r"^\s*(depends\s+on|select|imply|visible\s+if|if|default|"
                  r"def_bool|def_tristate|range|bool|tristate|string|int|hex|"
                  r"prompt)\b(.*)$")
TYPES = ("bool", "tristate", "string", "int", "hex", "prompt")
for path in kconfigs:
    for n, line in enumerate(open(path, errors="replace"), 1):
        line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line).split("#", 1)[0]
        m = EXPR.match(line)
        if not m:
            continue
        kw, rest = m.group(1), m.group(2)
        if kw in TYPES:
            # a prompt names symbols only in its "if <expr>"
            parts = re.split(r"\bif\b", rest, maxsplit=1)
            if len(parts) < 2:
                continue
            rest = parts[1]
        for sym in re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)\b", rest):
            if sym in ("y", "n", "m", "if", "on") or not sym[0].isupper():
                continue
            if sym not in defined:
                problems.append("%s:%d: %s names undefined symbol %s" %
                                (rel(path), n, kw.split()[0], sym))

# Code: C, assembly, linker scripts and make fragments (comments removed)
C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
USE = re.compile(r"\bCONFIG_([A-Za-z0-9_]+)")
for path, name in files():
    if name.endswith((".c", ".h", ".S", ".lds")):
        text = C_COMMENT.sub(" ", open(path, errors="replace").read())
    elif name in ("Makefile", "Kbuild") or name.startswith("Makefile.") or \
            name.endswith(".mk"):
        text = "\n".join(l.split("#", 1)[0] for l in open(path, errors="replace"))
    else:
        continue
    for sym in sorted(set(USE.findall(text))):
        base = sym[:-len("_MODULE")] if sym.endswith("_MODULE") else sym
        if base in defined or sym in defined or sym in EXEMPT:
            continue
        problems.append("%s: CONFIG_%s is not defined in any Kconfig" % (rel(path), sym))

# Shipped defconfigs
for path, name in files():
    if rel(path).startswith("configs" + os.sep) and name.endswith("_defconfig"):
        for n, line in enumerate(open(path, errors="replace"), 1):
            m = re.match(r"^(?:# )?CONFIG_([A-Za-z0-9_]+)[= ]", line)
            if m and m.group(1) not in defined:
                problems.append("%s:%d: CONFIG_%s is not defined in any Kconfig" %
                                (rel(path), n, m.group(1)))

print("%d Kconfig files, %d symbols defined" % (len(kconfigs), len(defined)))
for p in problems:
    print("error: " + p)
sys.exit(1 if problems else 0)
EOF
}

# --- run them ------------------------------------------------------------------

# A pool of max_jobs tasks; "wait -n -p" says which one ended (bash 5.1).
declare -A pool=()
spawn()
{
	local done_pid
	"$@" &
	pool[$!]=1
	while [ "${#pool[@]}" -ge "$max_jobs" ]; do
		done_pid=
		wait -n -p done_pid
		[ -n "$done_pid" ] || break
		unset "pool[$done_pid]"
	done
}

echo "check: $max_jobs steps at once, make -j$ncpu, logs in ${logs#"$srctree"/}"
printf '  %-4s  %-13s %-18s %-34s %5s %s\n' RSLT STEP BOARD CONFIG TIME DETAIL

# The quick ones first; the self-tests mostly sleep, so they run beside the rest.
selected kconfig && task_kconfig 0
selected selftest && { task_selftest 1 & }
selected mig && spawn task_mig 2
selected user && spawn task_user 3 qemu-x86_64 x86_64 &&
	spawn task_user 4 qemu-virt-aarch64 arm64
selected user-host && spawn task_user_host 5

order=100
# The largest builds first, so that the pool stays busy to the end.
for b in "${boards[@]}"; do
	# shellcheck disable=SC2086 # the fields of a board
	set -- $b
	selected "$1-allyesconfig" && spawn task_generated $order "$1" "$2" "$3" allyesconfig
	order=$((order + 10))
done
for f in "$srctree"/configs/*_defconfig; do
	name=${f##*/}
	selected "$name" && spawn task_defconfig $order "$name"
	order=$((order + 10))
done
for b in "${boards[@]}"; do
	# shellcheck disable=SC2086
	set -- $b
	selected "$1-allnoconfig" && spawn task_generated $order "$1" "$2" "$3" allnoconfig
	order=$((order + 10))
	for s in $seeds; do
		selected "$1-randconfig-$s" && spawn task_generated $order "$1" "$2" "$3" randconfig "$s"
		order=$((order + 10))
	done
done
wait
task_smp4_all

# --- report ------------------------------------------------------------------

total=$((SECONDS - t_start))
echo
echo "Results ($((total / 60))m$((total % 60))s):"
printf '  %-13s %-18s %-34s %-6s %7s  %s\n' STEP BOARD CONFIG RESULT SECONDS DETAIL
nr_pass=0 nr_fail=0 nr_skip=0 k_pass=0 k_fail=0 k_skip=0
failed_logs=()
while IFS='|' read -r _ name board config result secs log detail; do
	printf '  %-13s %-18s %-34s %-6s %7s  %s\n' "$name" "$board" "$config" \
		"$(colour "$result")$(printf '%*s' $((6 - ${#result})) '')" "$secs" "$detail"
	case $result in
	PASS) nr_pass=$((nr_pass + 1)) ;;
	FAIL) nr_fail=$((nr_fail + 1)); failed_logs+=("$log") ;;
	*) nr_skip=$((nr_skip + 1)) ;;
	esac
	if [[ $name == boot || $name == boot-smp4 || $name == boot-lowmem || $name == boot-ramswap ]] && [[ $detail =~ ^ktest:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)? ]]; then
		k_pass=$((k_pass + BASH_REMATCH[1]))
		k_fail=$((k_fail + BASH_REMATCH[2]))
		k_skip=$((k_skip + ${BASH_REMATCH[4]:-0}))
	fi
done < <(sort -t'|' -k1,1n "$results")

# The tails of the failing logs; past the first few, only their names.
shown=0
for log in "${failed_logs[@]}"; do
	[ -n "$log" ] || continue
	shown=$((shown + 1))
	if [ "$shown" -gt 6 ]; then
		echo "---- also failed: ${log#"$srctree"/}"
		continue
	fi
	echo
	# With -j the first error is rarely at the end: show it, then the tail.
	if grep -qE '(error|warning|Error)[: ]' "$log"; then
		echo "---- ${log#"$srctree"/}: first errors ----"
		grep -m 12 -A 2 -E '(error|warning|Error)[: ]' "$log"
	fi
	failed_cases "$log"
	echo "---- ${log#"$srctree"/}: last 30 lines ----"
	tail -n 30 "$log"
done

echo
echo "check: $nr_pass steps passed, $nr_fail failed, $nr_skip skipped in ${total}s"
summary="ktest: $k_pass passed, $k_fail failed"
[ "$k_skip" -gt 0 ] && summary+=", $k_skip skipped"
echo "$summary"
[ "$nr_fail" = 0 ] && [ "$(wc -l <"$results")" -gt 0 ]

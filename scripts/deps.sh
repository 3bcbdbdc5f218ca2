#!/bin/bash
# SPDX-License-Identifier: MIT
#
# deps.sh: install the Debian packages listed in scripts/packages.txt that
# are missing. Quiet when everything is there. As root it runs apt-get;
# otherwise it prints the exact command to run and exits 1.
#
#   scripts/deps.sh            install what is missing
#   scripts/deps.sh --list     print the package list
#   scripts/deps.sh --check    exit 1 (and say what) if something is missing

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pkgfile=${MACHLINE_PACKAGES_FILE:-$here/packages.txt}

deps_read_list()
{
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$pkgfile"
}

# Print the packages of the list that dpkg does not know as installed.
deps_missing()
{
	local p status
	for p in $(deps_read_list); do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
		case $status in
		ii*) ;;
		*) echo "$p" ;;
		esac
	done
}

mode=install
case ${1:-} in
--list) deps_read_list; exit 0 ;;
--check) mode=check ;;
"") ;;
*) echo "usage: $0 [--list|--check]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: not a Debian system (no dpkg-query); install by hand:" >&2
	echo "  $(deps_read_list | tr '\n' ' ')" >&2
	exit 0
fi

missing=$(deps_missing | tr '\n' ' ')
missing=${missing% }
[ -z "$missing" ] && exit 0

if [ "$mode" = check ]; then
	echo "deps.sh: missing Debian packages: $missing" >&2
	exit 1
fi

install_cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing"

if [ "$(id -u)" != 0 ]; then
	echo "MachLine needs these Debian packages: $missing" >&2
	echo "Install them with:" >&2
	echo "  sudo apt-get update && sudo $install_cmd" >&2
	exit 1
fi

echo "deps.sh: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # one word per package
apt-get install -y -q --no-install-recommends $missing

still=$(deps_missing | tr '\n' ' ')
if [ -n "${still% }" ]; then
	echo "deps.sh: still missing after apt-get: $still" >&2
	exit 1
fi
if dpkg-query -W -f='${db:Status-Abbrev}' gcc-multilib 2>/dev/null | grep -q '^ii'; then
	echo "deps.sh: warning: gcc-multilib is installed; it conflicts with gcc-aarch64-linux-gnu" >&2
fi

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write compile_commands.json (for clangd and other tools) from a build.

    gen_compile_commands.py [-d OBJTREE] [-o FILE]

Every object the build compiles leaves <dir>/.<file>.o.cmd in OBJTREE, whose
first line is "savedcmd_<target> := <command>" (scripts/Kbuild.include writes
it, escaped for make: "$$" for "$" and "$(pound)" for "#"). The command runs
from OBJTREE; with C=1 the sparse run comes first, separated by ";". The
source file is the compiler's last argument.
"""

import argparse
import json
import os
import re
import shlex
import sys

RE_SAVEDCMD = re.compile(r"^savedcmd_(\S+)\s*:=\s*(.*)$")
SOURCE_EXTS = (".c", ".S", ".s")
COMPILERS = re.compile(r"(^|[-/])(gcc|cc|clang)(-\d+)?$")


def unescape_make(cmd):
    """Undo Kbuild.include's make-cmd, left to right."""
    return re.sub(r"\$\$|\$\(pound\)",
                  lambda m: "$" if m.group(0) == "$$" else "#", cmd)


def split_commands(cmd):
    """Split a shell command line at ';', '&&' and '||' into argv lists."""
    lexer = shlex.shlex(cmd, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    cmds, cur = [], []
    for tok in lexer:
        if tok in (";", "&&", "||", "&", "|"):
            if cur:
                cmds.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        cmds.append(cur)
    return cmds


def find_compile(argv_list):
    """The compiler invocation among the commands, and its source file."""
    for argv in argv_list:
        if not argv or "-c" not in argv or not COMPILERS.search(argv[0]):
            continue
        if argv[-1].endswith(SOURCE_EXTS):
            return argv, argv[-1]
        sources = [a for a in argv[1:] if a.endswith(SOURCE_EXTS)
                   and not a.startswith("-")]
        if sources:
            return argv, sources[-1]
    return None, None


def entry_from_cmd_file(path, objtree):
    with open(path, encoding="utf-8", errors="replace") as f:
        first = f.readline().rstrip("\n")
    m = RE_SAVEDCMD.match(first)
    if not m:
        return None
    target, cmd = m.group(1), unescape_make(m.group(2))
    if not target.endswith(".o"):
        return None
    try:
        argv, source = find_compile(split_commands(cmd))
    except ValueError:          # unbalanced quotes: not a command we know
        return None
    if argv is None:
        return None
    return {
        "directory": objtree,
        "file": os.path.normpath(os.path.join(objtree, source)),
        "arguments": argv,
        "output": os.path.normpath(os.path.join(objtree, target)),
    }


def walk_cmd_files(objtree):
    """The .o.cmd files of this build. A subdirectory with its own .config is
    another build (build/check/... under an in-tree build): not ours."""
    for dirpath, dirnames, filenames in os.walk(objtree):
        dirnames[:] = sorted(
            d for d in dirnames if d != ".git" and
            not os.path.exists(os.path.join(dirpath, d, ".config")))
        for name in filenames:
            if name.startswith(".") and name.endswith(".o.cmd"):
                yield os.path.join(dirpath, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-d", "--directory", default=".",
                    help="the build directory (default: .)")
    ap.add_argument("-o", "--output", default="compile_commands.json",
                    help="the file to write (default: compile_commands.json)")
    args = ap.parse_args()

    objtree = os.path.abspath(args.directory)
    entries = []
    for path in sorted(walk_cmd_files(objtree)):
        e = entry_from_cmd_file(path, objtree)
        if e is not None:
            entries.append(e)
    if not entries:
        print("gen_compile_commands.py: no compiled objects under %s: build first"
              % objtree, file=sys.stderr)
        return 1
    entries.sort(key=lambda e: e["file"])
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.output)
    print("  GEN     %s (%d files)" % (args.output, len(entries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

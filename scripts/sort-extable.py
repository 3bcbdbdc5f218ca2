#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sort the copyio exception table of a linked kernel in place.

usage: sort-extable.py ELF

The table (<kern/copyio.h>: struct copyio_extable_entry, a pc and its fixup,
two 64-bit little-endian words) lies between the symbols
copyio_extable_start and copyio_extable_end. The linker gathers it in the
order of the objects and of the sections within them, which is not the
order of the text (hot and unlikely text goes elsewhere), so it is sorted
here by pc, once, after the link, and mm/copyio.c searches it by halves.
Fails (exit 1) on a table it cannot find, or with a pc listed twice.
"""
import struct
import sys

SHT_SYMTAB = 2
SHT_NOBITS = 8


def section_headers(data):
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    for i in range(shnum):
        name, kind, flags, addr, off, size, link, info, align, entsize = \
            struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        yield {"type": kind, "addr": addr, "offset": off, "size": size,
               "link": link, "entsize": entsize}


def symbols(data, sections):
    """name -> value of every symbol of the symbol table."""
    found = {}
    for sh in sections:
        if sh["type"] != SHT_SYMTAB:
            continue
        strtab = sections[sh["link"]]
        for off in range(sh["offset"], sh["offset"] + sh["size"], sh["entsize"]):
            name, info, other, shndx, value, size = struct.unpack_from("<IBBHQQ", data, off)
            start = strtab["offset"] + name
            end = data.index(b"\0", start)
            found[data[start:end].decode()] = value
    return found


def file_offset(sections, addr, size):
    for sh in sections:
        if sh["type"] != SHT_NOBITS and sh["addr"] and sh["addr"] <= addr and \
                addr + size <= sh["addr"] + sh["size"]:
            return sh["offset"] + addr - sh["addr"]
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    path = sys.argv[1]
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("sort-extable: %s: not a little-endian ELF64 file" % path)
    sections = list(section_headers(data))
    syms = symbols(data, sections)
    try:
        start, end = syms["copyio_extable_start"], syms["copyio_extable_end"]
    except KeyError:
        sys.exit("sort-extable: %s: no copyio_extable_start/_end" % path)
    size = end - start
    off = file_offset(sections, start, size) if size else None
    if size % 16 or (size and off is None):
        sys.exit("sort-extable: %s: the table (%d bytes at %#x) is not in the file"
                 % (path, size, start))
    if not size:
        return
    entries = [struct.unpack_from("<QQ", data, off + i) for i in range(0, size, 16)]
    entries.sort()
    for a, b in zip(entries, entries[1:]):
        if a[0] == b[0]:
            sys.exit("sort-extable: %s: pc %#x listed twice" % (path, a[0]))
    for i, (pc, fixup) in enumerate(entries):
        struct.pack_into("<QQ", data, off + i * 16, pc, fixup)
    with open(path, "r+b") as f:
        f.write(data)


if __name__ == "__main__":
    main()

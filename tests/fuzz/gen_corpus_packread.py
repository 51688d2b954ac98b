#!/usr/bin/env python3
"""Writes the seeds of tests/fuzz/corpus_packread/ (the input format is in
tests/fuzz/fuzz_packread.c): a plain blob, an OFS_DELTA on it, a REF_DELTA on
it, an empty blob.

    python3 tests/fuzz/gen_corpus_packread.py tests/fuzz/corpus_packread
"""
import os
import struct
import sys
import zlib


def header(typ, size):
    c = (typ << 4) | (size & 15)
    size >>= 4
    out = bytearray()
    while size:
        out.append(c | 0x80)
        c = size & 0x7F
        size >>= 7
    out.append(c)
    return bytes(out)


def ofs(n):
    out = [n & 127]
    n >>= 7
    while n:
        n -= 1
        out.insert(0, 128 | (n & 127))
        n >>= 7
    return bytes(out)


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def entry(typ, payload, extra=b""):
    return header(typ, len(payload)) + extra + zlib.compress(payload)


def fuzz_input(entries):
    """entries: the body's entries; object i is the i-th entry."""
    offs, body = [], b""
    for e in entries:
        offs.append(len(body))
        body += e
    return bytes([len(entries) - 1]) + b"".join(struct.pack("<H", o) for o in offs) + body


base = b"password = hunter2\n" * 3 + b"tail\n"
# copy the base's first 40 bytes, insert "NEW\n"
delta = varint(len(base)) + varint(44) + bytes([0x90, 40]) + bytes([4]) + b"NEW\n"

blob = entry(3, base)
seeds = {
    "blob": fuzz_input([blob]),
    "empty-blob": fuzz_input([entry(3, b"")]),
    "ofs-delta": fuzz_input([blob, entry(6, delta, ofs(len(blob)))]),
    # object 1's base is object 0, named by its id: 20 bytes of 0
    "ref-delta": fuzz_input([blob, entry(7, delta, bytes(20))]),
    "ofs-chain": fuzz_input([blob, entry(6, delta, ofs(len(blob))),
                             entry(6, varint(44) + varint(4) + bytes([0x90, 4]), ofs(len(entry(6, delta, ofs(len(blob))))))]),
}
os.makedirs(sys.argv[1], exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(data)

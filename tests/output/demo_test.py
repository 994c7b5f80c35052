# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that every demo benchmark prints the figures benchmarks/README.md
gives for it (libstdc++ of g++ 12 and abseil 20220623).

The expectations are read from the README itself, so that its tables cannot
drift from what the binaries print: the first table of figures (one row per
benchmark, `| `NAME` | allocs | bytes | peak | why |`), and the Markdown
table custom_reporter_benchmark prints, given in a fenced block after
`$ bazel run //benchmarks:custom_reporter_benchmark`. The demos whose display
reporter Google Benchmark creates are read in JSON; custom_reporter_benchmark
is read as printed.
"""

import json
import os
import re
import sys
import unittest

from tests import benchmark_version
from tests import std_library
from tests.run import run as run_binary

README = None
CUSTOM_REPORTER = None
BINARIES = []


def readme_figures(text, heading="Benchmark"):
    """name -> (allocs/iter, bytes/iter, peak_bytes) from the README's first
    table of figures (the C API demo's table is c_api_demo_test's), or from
    the table whose first column is headed `heading`: an architecture's
    figures where they differ from x86-64's."""
    start = text.index(f"| {heading} | allocs/iter | bytes/iter | peak_bytes |")
    table = []
    for line in text[start:].splitlines():
        if not line.startswith("|"):
            break
        table.append(line)
    figures = {}
    for line in table[2:]:
        match = re.match(
            r"^\| `(BM_[^`]+)` \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|", line)
        if match is None:
            raise AssertionError(f"unexpected row in the README's table: {line}")
        name, *values = match.groups()
        if name in figures:
            raise AssertionError(f"{name} appears twice in the README's table")
        figures[name] = tuple(float(v) for v in values)
    return figures


# ELF e_machine -> the architecture's name, as the README's tables of its
# own figures head it.
ELF_MACHINES = {0x3E: "x86-64", 0xB7: "aarch64"}


def architecture(binary):
    """The architecture `binary` is built for, from its ELF header."""
    with open(binary, "rb") as f:
        header = f.read(20)
    if header[:4] != b"\x7fELF" or header[5] != 1:  # little-endian
        raise AssertionError(f"{binary}: not a little-endian ELF file")
    machine = int.from_bytes(header[18:20], "little")
    if machine not in ELF_MACHINES:
        raise AssertionError(f"{binary}: unknown ELF machine {machine:#x}")
    return ELF_MACHINES[machine]


def expected_figures(text, binary):
    """The figures the README gives for `binary`'s architecture: the first
    table, with the rows of that architecture's own table where it has one."""
    figures = readme_figures(text)
    arch = architecture(binary)
    if f"| {arch} | allocs/iter |" in text:
        figures.update(readme_figures(text, heading=arch))
    return figures


def readme_custom_table(text):
    """The lines of the Markdown table the README shows
    custom_reporter_benchmark printing."""
    match = re.search(
        r"(?s)\$ bazel run //benchmarks:custom_reporter_benchmark[^\n]*\n"
        r"(.*?)\n```", text)
    if match is None:
        raise AssertionError("no custom_reporter_benchmark output in README")
    return match.group(1).splitlines()


class DemoTest(unittest.TestCase):

    def test_every_demo_row_shows_its_figures(self):
        seen = {}
        for binary in BINARIES:
            proc = run_binary(binary,
                              benchmark_version.min_time_flag(binary, 0.01),
                              "--benchmark_format=json")
            for b in json.loads(proc.stdout)["benchmarks"]:
                seen[b["name"]] = (b["allocs/iter"], b["bytes/iter"],
                                   b["peak_bytes"])
        with open(README) as f:
            expected = expected_figures(f.read(), BINARIES[0])
        self.assertEqual(sorted(seen), sorted(expected))
        if any(std_library.of(b) == std_library.LIBCXX for b in BINARIES):
            self.skipTest("the README gives libstdc++'s figures; libc++'s "
                          "strings, vectors and hash tables allocate other "
                          "sizes")
        self.assertEqual(seen, expected)

    def test_custom_reporter_prints_its_table_with_columns(self):
        proc = run_binary(
            CUSTOM_REPORTER,
            benchmark_version.min_time_flag(CUSTOM_REPORTER, 0.01))
        table = [line for line in proc.stdout.splitlines()
                 if re.match(r"^\|", line)]
        with open(README) as f:
            expected = readme_custom_table(f.read())
        self.assertEqual(table, expected, proc.stdout)


if __name__ == "__main__":
    README = os.path.abspath(sys.argv.pop(1))
    CUSTOM_REPORTER = os.path.abspath(sys.argv.pop(1))
    BINARIES = [os.path.abspath(b) for b in sys.argv[1:]]
    del sys.argv[1:]
    unittest.main()

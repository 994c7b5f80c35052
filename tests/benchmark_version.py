# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""What differs between Google Benchmark versions, as the tests see it.

The tests run benchmark binaries linked with Google Benchmark 1.7.1 (Debian's,
for Bazel and the default CMake build) or with 1.8.5 or 1.9.5
(tools/run_version_tests.sh). They do not assume a version: they ask the
binary, or read the report it wrote.

- `--benchmark_min_time`: 1.7 reads seconds as a plain number (`0.01`) and
  rejects a unit as an unrecognised flag; 1.8 and later read a number with a
  unit (`0.01s`) and warn on stderr, once per benchmark, about a plain one.
  `min_time_flag()` asks the binary which form it takes.
- `version()` reads the JSON report's `library_version`, which Google
  Benchmark prints from 1.8 on; a report without it is older than 1.8.
"""

import functools
import re
import subprocess

from tests import emulator

# Stands for every version before 1.8, which does not print its version.
BEFORE_1_8 = (1, 7)


@functools.lru_cache(maxsize=None)
def takes_unit_suffix(binary):
    """True if `binary` reads `--benchmark_min_time` with a unit (1.8+)."""
    proc = subprocess.run(
        emulator.command(binary, "--benchmark_list_tests=true",
                         "--benchmark_min_time=0.01s"),
        capture_output=True, text=True, check=False)
    return proc.returncode == 0


def min_time_flag(binary, seconds):
    """`--benchmark_min_time=<seconds>`, in the form `binary` reads."""
    unit = "s" if takes_unit_suffix(binary) else ""
    return f"--benchmark_min_time={seconds}{unit}"


def version(report):
    """The version of Google Benchmark that wrote the JSON `report` (a dict):
    (major, minor, patch), or BEFORE_1_8."""
    text = report["context"].get("library_version")
    if text is None:
        return BEFORE_1_8
    match = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)\S*", text)
    if match is None:
        raise ValueError(f"unexpected library_version {text!r}")
    return tuple(int(part) for part in match.groups())

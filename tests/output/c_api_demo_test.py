# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that the C API demo benchmark prints the figures
benchmarks/README.md gives for it, built with //alloc_counter:malloc
(c_api_benchmark) and without it (c_api_benchmark_new_only): glibc 2.36 and
zlib 1.2.13.

Arguments: the two binaries, in that order.
"""

import json
import subprocess
import sys
import unittest

from tests.run import run as run_binary

WITH_MALLOC = None
NEW_ONLY = None

# name -> (allocs/iter, bytes/iter, peak_bytes), as in benchmarks/README.md.
EXPECTED_WITH_MALLOC = {
    "BM_Strdup": (1, 32, 32),
    "BM_Qsort/100": (0, 0, 0),
    "BM_Qsort/1000": (1, 4000, 4000),
    "BM_ZlibCompress/4096": (5, 268096, 268096),
    "BM_StdString": (1, 32, 32),
}
EXPECTED_NEW_ONLY = dict(
    {name: (0, 0, 0) for name in EXPECTED_WITH_MALLOC},
    BM_StdString=(1, 32, 32))


def rows(binary):
    proc = run_binary(binary, "--benchmark_min_time=0.01",
                      "--benchmark_format=json")
    return {b["name"]: (b["allocs/iter"], b["bytes/iter"], b["peak_bytes"])
            for b in json.loads(proc.stdout)["benchmarks"]}


def under_sanitizer(binary):
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True,
                         check=False, timeout=120).stdout
    return "libasan" in ldd or "libtsan" in ldd


class CApiDemoTest(unittest.TestCase):

    def test_with_the_c_allocator_counted(self):
        if under_sanitizer(WITH_MALLOC):
            self.skipTest("//alloc_counter:malloc counts nothing under a "
                          "sanitizer (README)")
        self.assertEqual(rows(WITH_MALLOC), EXPECTED_WITH_MALLOC)

    def test_with_operator_new_only(self):
        self.assertEqual(rows(NEW_ONLY), EXPECTED_NEW_ONLY)


if __name__ == "__main__":
    WITH_MALLOC, NEW_ONLY = sys.argv[1:3]
    del sys.argv[1:]
    unittest.main(verbosity=2)

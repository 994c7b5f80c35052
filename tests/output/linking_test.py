# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks the ways of linking alloc_counter other than //alloc_counter:main.

- ALLOC_COUNTER_BENCHMARK_MAIN() in a file with its own main: columns.
- the hand-written main of the README (alloc_counter::Initialize() and
  alloc_counter::RunSpecifiedBenchmarks()): columns.
- //alloc_counter with Google Benchmark's BENCHMARK_MAIN(): no columns, but
  the four native JSON memory fields, filled from the loop body alone.
"""

import json
import os
import subprocess
import sys
import unittest

from tests import benchmark_version

MACRO_MAIN = None
HAND_WRITTEN_MAIN = None
NATIVE = None


def run_json(binary):
    proc = subprocess.run(
        [binary, benchmark_version.min_time_flag(binary, 0.01),
         "--benchmark_format=json"],
        capture_output=True, text=True, check=True)
    (benchmark,) = json.loads(proc.stdout)["benchmarks"]
    return benchmark


class LinkingTest(unittest.TestCase):

    def test_macro_main_adds_columns(self):
        b = run_json(MACRO_MAIN)
        self.assertEqual(b["allocs/iter"], 2)
        self.assertEqual(b["bytes/iter"], 100)
        self.assertEqual(b["peak_bytes"], 100)
        self.assertEqual(b["allocs_per_iter"], 2)

    def test_hand_written_main_adds_columns(self):
        b = run_json(HAND_WRITTEN_MAIN)
        self.assertEqual(b["allocs/iter"], 2)
        self.assertEqual(b["bytes/iter"], 100)
        self.assertEqual(b["peak_bytes"], 100)
        self.assertEqual(b["allocs_per_iter"], 2)

    def test_library_alone_fills_native_fields(self):
        b = run_json(NATIVE)
        self.assertNotIn("allocs/iter", b)
        self.assertEqual(b["allocs_per_iter"], 2)
        self.assertEqual(b["max_bytes_used"], 100)
        self.assertEqual(b["total_allocated_bytes"], 100 * 16)
        self.assertEqual(b["net_heap_growth"], 0)

    def test_library_alone_accepts_only_benchmark_flags(self):
        # Without alloc_counter's main nothing parses --alloc_counter_*, and
        # Google Benchmark rejects it as unrecognised.
        proc = subprocess.run([NATIVE, "--alloc_counter_columns=false"],
                              capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("unrecognized command-line flag", proc.stderr)


if __name__ == "__main__":
    MACRO_MAIN = os.path.abspath(sys.argv.pop(1))
    HAND_WRITTEN_MAIN = os.path.abspath(sys.argv.pop(1))
    NATIVE = os.path.abspath(sys.argv.pop(1))
    unittest.main()

# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks what a program whose main lives in a shared library prints.

shared_benchmark_main_benchmarks takes BENCHMARK_MAIN() from a shared
library of its own, as a program linked with a shared benchmark_main does:
its calls of benchmark::Initialize() and RunSpecifiedBenchmarks() are made
inside that library, where alloc_counter's --wrap link options do not reach.
The program cannot show the columns, so it says why, once, on stderr, and
Google Benchmark's native JSON fields are still filled from the loop body.
"""

import os
import sys
import unittest

from tests import benchmark_version
from tests import columns
from tests.run import run as run_binary

BINARY = None  # Set from the command line in __main__.

MESSAGE = (
    "alloc_counter: no allocs/iter, bytes/iter or peak_bytes columns: "
    "benchmark::RunSpecifiedBenchmarks() was called where alloc_counter's "
    "link options cannot redirect it (from a shared library, such as a "
    "shared benchmark_main), so only Google Benchmark's JSON memory fields "
    "are filled. Link benchmark_main statically, or link alloc_counter's "
    "main target in its place.")


class SharedBenchmarkMainTest(unittest.TestCase):

    def test_says_once_why_no_columns_and_fills_native_fields(self):
        proc = run_binary(BINARY, benchmark_version.min_time_flag(BINARY, 0.01),
                          "--benchmark_format=json")
        ours = [line for line in proc.stderr.splitlines()
                if line.startswith("alloc_counter")]
        self.assertEqual(ours, [MESSAGE])
        rows = {b["name"]: b
                for b in columns.json_report(proc.stdout)["benchmarks"]}
        self.assertEqual(len(rows), 3, rows.keys())
        for row in rows.values():
            for column in columns.COLUMNS:
                self.assertNotIn(column, row)
        two = rows["BM_TwoAllocations"]
        self.assertEqual(two["allocs_per_iter"], 2)
        self.assertEqual(two["max_bytes_used"], 100)
        self.assertEqual(two["total_allocated_bytes"], 100 * 16)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main()

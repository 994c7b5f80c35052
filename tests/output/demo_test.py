# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that every demo benchmark prints the figures benchmarks/README.md
gives for it (libstdc++ of g++ 12 and abseil 20220623).

The demos whose display reporter Google Benchmark creates are read in JSON;
custom_reporter_benchmark prints its own Markdown table, which is read as
printed.
"""

import json
import os
import re
import subprocess
import sys
import unittest

from tests import benchmark_version

BINARIES = []
CUSTOM_REPORTER = None

# name -> (allocs/iter, bytes/iter, peak_bytes), as in benchmarks/README.md.
EXPECTED = {
    "BM_VectorPushBack/1000": (11, 8188, 6144),
    "BM_VectorPushBackReserved/1000": (1, 4000, 4000),
    "BM_StdMapInsert/100": (100, 4000, 4000),
    "BM_StdUnorderedMapInsert/100": (104, 3424, 2616),
    "BM_FlatHashMapInsert/100": (7, 2344, 1744),
    "BM_StdVectorSmall/8": (1, 32, 32),
    "BM_StdVectorSmall/9": (1, 36, 36),
    "BM_InlinedVectorSmall/8": (0, 0, 0),
    "BM_InlinedVectorSmall/9": (1, 64, 64),
    "BM_StringShort": (0, 0, 0),
    "BM_StringLong": (1, 33, 33),
    "BM_StrCat": (1, 31, 31),
    "BM_Ostringstream": (2, 544, 544),
    "BM_SharedPtrNew": (2, 56, 56),
    "BM_MakeShared": (1, 48, 48),
    "BM_MakeUnique": (1, 32, 32),
    "BM_FunctionSmallCapture": (0, 0, 0),
    "BM_FunctionLargeCapture": (1, 64, 64),
    "BM_FunctionNonTrivialCapture": (1, 16, 16),
    "BM_SplitToStrings": (6, 272, 272),
    "BM_SplitToViews": (1, 64, 64),
}

# custom_reporter_benchmark's table, line by line.
TABLE = [
    "| benchmark | allocs/iter | bytes/iter | peak_bytes |",
    "|---|---:|---:|---:|",
    "| BM_CopyVector/0 | 0 | 0 | 0 |",
    "| BM_CopyVector/16 | 1 | 64 | 64 |",
    "| BM_CopyVector/1024 | 1 | 4096 | 4096 |",
]


class DemoTest(unittest.TestCase):

    def test_every_demo_row_shows_its_figures(self):
        seen = {}
        for binary in BINARIES:
            proc = subprocess.run(
                [binary, benchmark_version.min_time_flag(binary, 0.01),
                 "--benchmark_format=json"],
                capture_output=True, text=True, check=True)
            for b in json.loads(proc.stdout)["benchmarks"]:
                seen[b["name"]] = (b["allocs/iter"], b["bytes/iter"],
                                   b["peak_bytes"])
        self.assertEqual(seen, EXPECTED)

    def test_custom_reporter_prints_its_table_with_columns(self):
        proc = subprocess.run(
            [CUSTOM_REPORTER,
             benchmark_version.min_time_flag(CUSTOM_REPORTER, 0.01)],
            capture_output=True, text=True, check=True)
        table = [line for line in proc.stdout.splitlines()
                 if re.match(r"^\|", line)]
        self.assertEqual(table, TABLE, proc.stdout)


if __name__ == "__main__":
    CUSTOM_REPORTER = os.path.abspath(sys.argv.pop(1))
    BINARIES = [os.path.abspath(b) for b in sys.argv[1:]]
    del sys.argv[1:]
    unittest.main()

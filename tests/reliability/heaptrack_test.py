# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""An independent check of allocs/iter and bytes/iter: heaptrack's count of
allocation calls and of the bytes they requested.

For each benchmark of heaptrack_benchmarks, runs the program twice under
heaptrack, with N1 and then N2 fixed iterations (ALLOC_COUNTER_ITERATIONS), and
reads heaptrack's "calls to allocation functions" and the bytes of its size
histogram. Google Benchmark runs the loop N times in the timed run and
min(16, N) = 16 times in the memory run, so everything else cancels in the
difference:

    calls(N2) - calls(N1) = allocation calls per iteration x (N2 - N1)
    bytes(N2) - bytes(N1) = bytes requested per iteration x (N2 - N1)

and these must equal alloc_counter's allocs/iter and bytes/iter exactly,
from a run of the same program without heaptrack. (heaptrack's peak is the
whole process's, Google Benchmark's own allocations included, so it is not
compared with peak_bytes, the loop's.) A second test checks that alloc_counter's
figures do not change under heaptrack, whose malloc calls operator new
(docs/reliability.md, library bug 4).

The third test does the same for every loop shape of
tests/output/loop_shapes_benchmarks (KeepRunningBatch, fixtures, Setup and
Teardown, manual time, arguments, templates, lambdas, threads, repetitions),
with ALLOC_COUNTER_ITERATIONS fixing the iterations: for each row, heaptrack's
extra calls equal allocs/iter times the extra iterations. Paused allocations
are counted there (--alloc_counter_paused=include), as heaptrack counts them.

Fails with an install hint where heaptrack is not installed
(tools/install_deps.sh installs it), unless ALLOC_COUNTER_SKIP_MISSING_TOOLS=1
asks for a skip (tests/heaptrack.py). Under a sanitizer, which heaptrack
cannot run, it skips, saying so; the sanitizer suites leave it out.

Arguments: the heaptrack_benchmarks and loop_shapes_benchmarks binaries.
"""

import json
import os
import re
import sys
import unittest

from tests import heaptrack
from tests.run import run as run_binary

BINARY = None  # From the command line.
LOOP_SHAPES = None  # From the command line.

# The same number of digits: Google Benchmark's own strings (the row's name
# ends /iterations:N, the output file is named after N) then have the same
# lengths in both runs, and only the loop body's bytes differ.
N1 = 1000
N2 = 2000

BENCHMARKS = [
    "BM_NoAllocation",
    "BM_VectorPushBack1000",
    "BM_VectorReserved1000",
    "BM_MapInsert100",
    "BM_UnorderedMapInsert100",
    "BM_StringLong",
    "BM_SharedPtrNew",
    "BM_FunctionLargeCapture",
    "BM_Ostringstream",
    "BM_FlatHashMapInsert100",
    "BM_InlinedVector9",
    "BM_StrCat",
]

# Loop shapes: iterations that are a multiple of every batch size there, and
# the benchmarks whose iterations cannot be fixed (a BENCHMARK_F, a warm-up
# that runs for a time), that run only to report their aggregates, or that
# fail. The same number of digits too, as N1 and N2: every name the filter
# is matched against ends /iterations:N, and libc++'s std::regex allocates
# more for a longer name (800 and 1600 differed by 145 calls).
SHAPE_N1 = 1600
SHAPE_N2 = 3200
SHAPE_EXCLUDED = ("-BM_WarmUp|AllocatingFixture/RangeFor|BM_Repetitions<[12]>"
                  "|SkipWithError")
ITERATIONS_IN_NAME = re.compile(r"/iterations:\d+")


class HeaptrackTest(unittest.TestCase):

    def setUp(self):
        self.dir = heaptrack.prepare(self, BINARY)

    def run_plain(self, benchmark, iterations):
        """Returns alloc_counter's JSON row for `benchmark`, run alone."""
        out = os.path.join(self.dir, f"{benchmark}.{iterations}.plain.json")
        run_binary(BINARY, f"--benchmark_filter=^{benchmark}/",
                   f"--benchmark_out={out}", "--benchmark_out_format=json",
                   env=heaptrack.with_iterations(iterations))
        with open(out) as f:
            (row,) = json.load(f)["benchmarks"]
        self.assertEqual(row["iterations"], iterations)
        return row

    def heaptrack_calls(self, tag, command, env):
        """Runs `command` under heaptrack; returns its allocation calls."""
        return heaptrack.record(
            command, os.path.join(self.dir, tag), env).calls

    def run_under_heaptrack(self, benchmark, iterations):
        """Returns (heaptrack's Recording, alloc_counter's row)."""
        recording, row = heaptrack.benchmark_recording(
            BINARY, benchmark,
            os.path.join(self.dir, f"{benchmark}.{iterations}.heaptrack"),
            heaptrack.with_iterations(iterations))
        self.assertEqual(row["iterations"], iterations)
        return recording, row

    def test_allocs_and_bytes_per_iter_equal_heaptracks(self):
        figures = []
        for benchmark in BENCHMARKS:
            with self.subTest(benchmark=benchmark):
                (calls, size), (seen1, seen2), _ = (
                    heaptrack.benchmark_per_iteration(
                        self, BINARY, benchmark, self.dir, (N1, N2)))
                plain1 = self.run_plain(benchmark, N1)
                plain2 = self.run_plain(benchmark, N2)
                for field in ("allocs/iter", "bytes/iter"):
                    self.assertEqual(plain1[field], plain2[field], field)
                self.assertEqual(calls, plain1["allocs/iter"])
                self.assertEqual(size, plain1["bytes/iter"])
                self.assertEqual(plain1["allocs_per_iter"],
                                 plain1["allocs/iter"])
                figures.append((benchmark, seen1.calls, seen2.calls, calls,
                                plain1["allocs/iter"], seen1.bytes,
                                seen2.bytes, size, plain1["bytes/iter"]))
        # The figures of docs/reliability.md.
        heaptrack.print_figures(
            ("benchmark", f"calls N={N1}", f"calls N={N2}", "heaptrack/iter",
             "allocs/iter", f"bytes N={N1}", f"bytes N={N2}",
             "heaptrack/iter", "bytes/iter"), figures)

    def test_alloc_counters_figures_are_the_same_under_heaptrack(self):
        # Regression test (docs/reliability.md, library bug 4): heaptrack's
        # malloc calls operator new, alloc_counter's, from inside the malloc
        # that alloc_counter's operator new called; those nested allocations
        # were counted as the loop body's (1.25 allocs/iter for 1).
        for benchmark in BENCHMARKS:
            with self.subTest(benchmark=benchmark):
                _, under = self.run_under_heaptrack(benchmark, N1)
                plain = self.run_plain(benchmark, N1)
                for field in ("allocs/iter", "bytes/iter", "peak_bytes"):
                    self.assertEqual(under[field], plain[field], field)

    def loop_shape_rows(self, iterations):
        """Rows of every loop shape with fixed iterations, by name without
        the iterations (/iterations:N), each a list of repetition rows."""
        out = os.path.join(self.dir, f"shapes.{iterations}.json")
        run_binary(LOOP_SHAPES, f"--benchmark_filter={SHAPE_EXCLUDED}",
                   "--alloc_counter_paused=include", f"--benchmark_out={out}",
                   "--benchmark_out_format=json",
                   env=heaptrack.with_iterations(iterations))
        with open(out) as f:
            benchmarks = json.load(f)["benchmarks"]
        rows = {}
        for b in benchmarks:
            if b["run_type"] == "iteration":
                key = ITERATIONS_IN_NAME.sub("", b["name"])
                rows.setdefault(key, []).append(b)
        return rows

    def test_every_loop_shape_agrees_with_heaptrack(self):
        rows1 = self.loop_shape_rows(SHAPE_N1)
        rows2 = self.loop_shape_rows(SHAPE_N2)
        self.assertEqual(sorted(rows1), sorted(rows2))
        self.assertGreaterEqual(len(rows1), 20, sorted(rows1))
        figures = []
        for key in sorted(rows1):
            with self.subTest(benchmark=key):
                # One filter for both runs: a filter whose length differs
                # changes what Google Benchmark itself allocates.
                name = rows1[key][0]["run_name"]
                pattern = "/iterations:[0-9]+".join(
                    re.escape(part) for part in ITERATIONS_IN_NAME.split(name))
                calls = []
                for iterations in (SHAPE_N1, SHAPE_N2):
                    calls.append(self.heaptrack_calls(
                        f"shape.{len(figures)}.{iterations}",
                        [LOOP_SHAPES, f"--benchmark_filter=^{pattern}$",
                         "--alloc_counter_paused=include"],
                        heaptrack.with_iterations(iterations)))
                # Each repetition row: allocs/iter times its extra
                # iterations (all threads').
                extra_iterations = [
                    b2["iterations"] - b1["iterations"]
                    for b1, b2 in zip(rows1[key], rows2[key], strict=True)]
                allocs = [b["allocs/iter"] for b in rows1[key]]
                self.assertEqual(allocs, [b["allocs/iter"] for b in rows2[key]])
                expected = sum(a * n for a, n in zip(allocs, extra_iterations, strict=True))
                self.assertAlmostEqual(calls[1] - calls[0], expected, places=6,
                                       msg=f"{key}: calls {calls}")
                figures.append((key, calls[0], calls[1],
                                (calls[1] - calls[0]) / sum(extra_iterations),
                                ", ".join(f"{a:g}" for a in allocs)))
        print(f"\n{'loop shape':34} {'calls N=' + str(SHAPE_N1):>13} "
              f"{'calls N=' + str(SHAPE_N2):>13} {'heaptrack/iter':>15} "
              f"{'allocs/iter':>12}")
        for key, calls1, calls2, per_iteration, allocs in figures:
            print(f"{key:34} {calls1:>13} {calls2:>13} "
                  f"{per_iteration:>15g} {allocs:>12}")


if __name__ == "__main__":
    BINARY = sys.argv[1]
    LOOP_SHAPES = sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)

# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The C allocator counted (//alloc_counter:malloc), read where a user reads
it: the allocs/iter, bytes/iter and peak_bytes columns of
c_alloc_benchmarks, in JSON and on the console.

- Over glibc, jemalloc, tcmalloc and mimalloc, every C allocation function
  and glibc's strdup, strndup and asprintf give the exact figures of
  EXPECTED (the only difference between allocators: mimalloc's
  realloc(p, 0) returns a new block instead of null).
- In --alloc_counter_mode=timed, C calls are not counted in the timed
  runs; peak_bytes (from the memory run) includes them.
- Linked without :malloc, only operator new counts.
- heaptrack's count of allocation calls agrees with allocs/iter on the
  mixed operator new + malloc + strdup loop (and on every benchmark of the
  glibc binary), as in heaptrack_test.py: two runs with N1 and N2 fixed
  iterations, whose difference is the calls of N2 - N1 iterations.

Arguments: the c_alloc_benchmarks binaries for glibc, jemalloc, tcmalloc and
mimalloc, then the one without :malloc.
"""

import json
import os
import sys
import tempfile
import unittest

from tests import heaptrack
from tests.run import run as run_binary

ALLOCATORS = ("glibc", "jemalloc", "tcmalloc", "mimalloc")
BINARIES = {}  # allocator (or "without_malloc") -> path, from the command line

# benchmark -> (allocs/iter, bytes/iter, peak_bytes) with :malloc linked.
EXPECTED = {
    "BM_Malloc": (1, 100, 100),
    "BM_MallocZero": (1, 0, 0),
    "BM_Calloc": (1, 120, 120),
    # A realloc counts the free of the old block, then the allocation of the
    # new one, whether it moved or not.
    "BM_ReallocGrow": (2, 16 + 4096, 4096),
    "BM_ReallocShrink": (2, 4096 + 16, 4096),
    "BM_ReallocInPlace": (2, 100 + 101, 101),
    "BM_ReallocNull": (1, 64, 64),
    "BM_ReallocZero": (1, 64, 64),
    "BM_Reallocarray": (2, 80 + 160, 160),
    "BM_ReallocarrayOverflow": (0, 0, 0),
    "BM_FreeNull": (0, 0, 0),
    "BM_PosixMemalign": (1, 100, 100),
    "BM_AlignedAlloc": (1, 128, 128),
    "BM_Memalign": (1, 100, 100),
    "BM_Valloc": (1, 100, 100),
    "BM_Pvalloc": (1, 100, 100),
    "BM_MallocFails": (0, 0, 0),
    "BM_Strdup": (1, 13, 13),
    "BM_Strndup": (1, 6, 6),
    # malloc(100) for the buffer, malloc(16) for "42-hello, world", then the
    # buffer is freed.
    "BM_Asprintf": (2, 116, 116),
    # new int[10], malloc(50), strdup: 40 + 50 + 13 bytes.
    "BM_NewAndMalloc": (3, 103, 103),
    "BM_StrdupInAFunction": (1, 13, 13),
    # The demo benchmarks/c_api_benchmark.cc's qsort and zlib rows.
    "BM_Qsort1000": (1, 4000, 4000),
    "BM_ZlibCompress4096": (5, 268096, 268096),
}

# mimalloc's realloc(p, 0) returns a new block of 0 bytes.
EXPECTED_BY_ALLOCATOR = {
    "mimalloc": {"BM_ReallocZero": (2, 64, 64)},
}

# Without :malloc: operator new only.
EXPECTED_WITHOUT_MALLOC = dict(
    {name: (0, 0, 0) for name in EXPECTED},
    BM_NewAndMalloc=(1, 40, 40))

FIELDS = ("allocs/iter", "bytes/iter", "peak_bytes")

# Where heaptrack's bytes per iteration are not alloc_counter's requested
# bytes: pvalloc(100) rounds its request up to a whole page, and heaptrack
# records the page where alloc_counter counts the 100 bytes asked for.
HEAPTRACK_BYTES = {"BM_Pvalloc": 4096}
# The same number of digits: Google Benchmark's own strings (the row's name
# ends /iterations:N, the output file is named after N) then have the same
# lengths in both runs, and only the loop body's bytes differ.
N1 = 1000
N2 = 2000


def base_name(row):
    return row["name"].split("/")[0]


def run_json(binary, extra_args=(), env=None):
    with tempfile.TemporaryDirectory(
            dir=os.environ.get("TEST_TMPDIR")) as tmp:
        out = os.path.join(tmp, "out.json")
        run_binary(binary, f"--benchmark_out={out}",
                   "--benchmark_out_format=json", *extra_args, env=env)
        with open(out) as f:
            return {base_name(b): b for b in json.load(f)["benchmarks"]}


class ColumnsTest(unittest.TestCase):

    def binaries(self):
        """Each allocator's binary; skips the test under a sanitizer."""
        for allocator in ALLOCATORS:
            binary = BINARIES[allocator]
            if heaptrack.sanitizer_runtime(binary):
                self.skipTest("//alloc_counter:malloc counts nothing under "
                              "a sanitizer (README)")
            yield allocator, binary

    def test_every_function_counts_exactly_over_every_allocator(self):
        for allocator, binary in self.binaries():
            rows = run_json(binary)
            expected = dict(EXPECTED,
                            **EXPECTED_BY_ALLOCATOR.get(allocator, {}))
            self.assertEqual(sorted(rows), sorted(expected))
            for name, want in expected.items():
                with self.subTest(allocator=allocator, benchmark=name):
                    got = tuple(rows[name][f] for f in FIELDS)
                    self.assertEqual(got, want)
                    # The native field agrees with the column.
                    self.assertEqual(rows[name]["allocs_per_iter"], want[0])

    def test_console_rows_show_the_c_calls(self):
        binary = BINARIES["glibc"]
        if heaptrack.sanitizer_runtime(binary):
            self.skipTest("//alloc_counter:malloc counts nothing under a "
                          "sanitizer (README)")
        console = run_binary(
            binary, "--benchmark_filter=^BM_(Strdup|NewAndMalloc)/",
            "--benchmark_color=false").stdout
        self.assertRegex(console, r"(?m)^BM_Strdup/iterations:100 .* "
                         r"allocs/iter=1 bytes/iter=13 peak_bytes=13$")
        self.assertRegex(console, r"(?m)^BM_NewAndMalloc/iterations:100 .* "
                         r"allocs/iter=3 bytes/iter=103 peak_bytes=103$")

    def test_a_strdup_site_is_the_function_that_called_it(self):
        # The frames of alloc_counter's malloc (found by address, whatever
        # its template arguments) and of glibc's strdup are not the site.
        for allocator, binary in self.binaries():
            with self.subTest(allocator=allocator):
                row = run_json(binary, [
                    "--benchmark_filter=^BM_StrdupInAFunction/",
                    "--alloc_counter_sites=3"])["BM_StrdupInAFunction"]
                (site,) = row["alloc_sites"]
                self.assertEqual((site["allocs_per_iter"],
                                  site["bytes_per_iter"]), (1, 13))
                self.assertEqual(
                    [frame["function"] for frame in site["frames"]],
                    ["(anonymous namespace)::CopyGreeting()",
                     "(anonymous namespace)::BM_StrdupInAFunction("
                     "benchmark::State&)"])

    def test_timed_mode_counts_operator_new_only_and_the_peak_all(self):
        # README, "Counting the C allocator": in the timed runs C calls are
        # not counted; peak_bytes comes from the memory run, which counts
        # them.
        binary = BINARIES["glibc"]
        if heaptrack.sanitizer_runtime(binary):
            self.skipTest("//alloc_counter:malloc counts nothing under a "
                          "sanitizer (README)")
        rows = run_json(binary, ["--alloc_counter_mode=timed",
                                 "--benchmark_filter=^BM_(Strdup|NewAndMalloc)/"])
        self.assertEqual(tuple(rows["BM_Strdup"][f] for f in FIELDS),
                         (0, 0, 13))
        self.assertEqual(tuple(rows["BM_NewAndMalloc"][f] for f in FIELDS),
                         (1, 40, 103))

    def test_the_json_context_says_whether_c_calls_are_counted(self):
        # Under a sanitizer //alloc_counter:malloc is compiled out; in timed
        # mode C calls are not counted; without the target, never.
        linked = not heaptrack.sanitizer_runtime(BINARIES["glibc"])
        cases = [
            (BINARIES["glibc"], [], "counted" if linked else "not counted"),
            (BINARIES["glibc"], ["--alloc_counter_mode=timed"],
             "not counted"),
            (BINARIES["without_malloc"], [], "not counted"),
        ]
        for binary, args, want in cases:
            with self.subTest(binary=os.path.basename(binary), args=args):
                out = run_binary(binary, "--benchmark_filter=^BM_Strdup/",
                                 "--benchmark_format=json", *args).stdout
                self.assertEqual(
                    json.loads(out)["context"]["alloc_counter_c_allocator"],
                    want)

    def test_without_the_target_only_operator_new_counts(self):
        rows = run_json(BINARIES["without_malloc"])
        for name, want in EXPECTED_WITHOUT_MALLOC.items():
            with self.subTest(benchmark=name):
                self.assertEqual(tuple(rows[name][f] for f in FIELDS), want)


class HeaptrackTest(unittest.TestCase):

    def setUp(self):
        self.dir = heaptrack.prepare(self, BINARIES["glibc"])

    def test_allocs_and_bytes_per_iter_equal_heaptracks(self):
        figures = []
        for benchmark in EXPECTED:
            with self.subTest(benchmark=benchmark):
                (calls, size), (seen1, seen2), (row1, row2) = (
                    heaptrack.benchmark_per_iteration(
                        self, BINARIES["glibc"], benchmark, self.dir,
                        (N1, N2)))
                self.assertEqual(calls, row1["allocs/iter"])
                self.assertEqual(size, HEAPTRACK_BYTES.get(
                    benchmark, row1["bytes/iter"]))
                # And alloc_counter's figures are the same under heaptrack.
                got = tuple(row1[f] for f in FIELDS)
                self.assertEqual(got, EXPECTED[benchmark])
                self.assertEqual(tuple(row2[f] for f in FIELDS), got)
                figures.append((benchmark, seen1.calls, seen2.calls, calls,
                                row1["allocs/iter"], size,
                                row1["bytes/iter"]))
        heaptrack.print_figures(
            ("benchmark", f"calls N={N1}", f"calls N={N2}", "heaptrack/iter",
             "allocs/iter", "heaptrack bytes/iter", "bytes/iter"), figures)


if __name__ == "__main__":
    for allocator, path in zip(ALLOCATORS + ("without_malloc",),
                               sys.argv[1:], strict=True):
        BINARIES[allocator] = path
    unittest.main(argv=sys.argv[:1], verbosity=2)

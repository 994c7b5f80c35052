# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Runs reliability_benchmarks built over every allocator and checks them.

Each build (glibc, jemalloc, tcmalloc, mimalloc underneath alloc_counter's
operator new) must
  - start and exit cleanly (status 0, nothing on stderr but Debian's DEBUG
    warning), with allocations before main and after it;
  - print, for every benchmark, the columns and native JSON memory fields the
    benchmark's code implies, identical to the glibc build's.
Also pinned here: what happens when a loop body throws out of the loop, and
when SkipWithError is called during the memory run only.

Arguments: the benchmark binaries; each name ends with _<allocator>.
"""

import json
import os
import re
import signal
import sys
import unittest

from tests import benchmark_version
from tests import std_library
from tests.run import run as run_binary

BINARIES = {}  # allocator -> path, from the command line.

# Debian's libbenchmark is a debug build and says so on stderr.
DEBUG_WARNING = ("***WARNING*** Library was built as DEBUG. Timings may be "
                 "affected.")

# name -> (allocs/iter, bytes/iter, peak_bytes, net_heap_growth), the values
# each benchmark's code implies (reliability_benchmarks.cc explains them).
# Unsized deletes of blocks allocated inside the loop are sized exactly
# (README, "Unsized deletes"). net_heap_growth is None where a block
# allocated before the loop is freed without a size inside the window: that
# one is sized by malloc_usable_size, which depends on the allocator.
THREADS = "BM_ThreadsStartAndExitInLoop/real_time"
# libc++ allocates 3 blocks per std::thread: 16 + 8 + 48 bytes.
THREADS_LIBCXX = (52, 2208, 2208, 0)

EXPECTED = {
    "BM_ReadsStaticData": (0, 0, 0, 0),
    "BM_Sizes": (4, 1152673, 1152673, 0),  # 1 + 4096 + 100000 + 1 MiB.
    "BM_AlignedAndArrayForms": (3, 450, 450, 0),
    "BM_UnsizedDelete": (1, 1000, 1000, 0),
    "BM_VectorPushBack1000": (11, 8188, 6144, 0),
    "BM_MapInsert100": (100, 4000, 4000, 0),
    "BM_AllocatesWhilePaused": (1, 8, 264, 0),
    # 4 std::thread states of 16 bytes and 4 x 10 blocks of 48 bytes (libc++:
    # THREADS_LIBCXX).
    THREADS: (44, 1984, 1984, 0),
    "BM_FreedOnAnotherThread/real_time": (4, 960, 960, 0),
    "BM_ThreadPool/real_time": (16, 512, 512, 0),
    # The parent's 32 bytes only: the child's 3 x 200 bytes are its own.
    "BM_ForkInLoop/iterations:20": (1, 32, 32, 0),
    # The exception object comes from malloc, not operator new.
    "BM_ThrowIntCaughtInLoop": (1, 16, 16, 0),
    # runtime_error's message: 24 + 40 + 1 bytes, freed unsized by libstdc++.
    "BM_ThrowRuntimeErrorCaughtInLoop": (1, 65, 65, 0),
}

# Fails in the timed run: an error row, no columns, no memory fields.
ERROR_ROW = "BM_SkipWithErrorInTimedRun"

# SkipWithError in the memory run only, after 8 of its 16 iterations. Google
# Benchmark reports the timed run, which had no error; the memory run, cut
# short by the benchmark itself, has no figures for a whole loop, so the row
# shows no columns and no native memory fields, whether the loop ends through
# FinishKeepRunning() (KeepRunning()) or is left with `break` (range-for).
SKIPPED_MEMORY_RUN_ROWS = (
    "BM_SkipWithErrorInMemoryRunKeepRunning/iterations:16",
    "BM_SkipWithErrorInMemoryRunThenBreak/iterations:16",
)

MEMORY_FIELDS = ("allocs/iter", "bytes/iter", "peak_bytes", "allocs_per_iter",
                 "max_bytes_used", "total_allocated_bytes", "net_heap_growth")


def run(binary, *args, env=None):
    return run_binary(binary, *args, check=False, env=env)


def unexpected_stderr(stderr):
    return [line for line in stderr.splitlines()
            if line.strip() and line.strip() != DEBUG_WARNING]


class BenchmarksOverEveryAllocatorTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.rows = {}
        cls.procs = {}
        for allocator, binary in BINARIES.items():
            proc = run(binary, benchmark_version.min_time_flag(binary, 0.01),
                       "--benchmark_format=json")
            cls.procs[allocator] = proc
            if proc.returncode == 0:
                report = json.loads(proc.stdout)
                cls.rows[allocator] = {b["name"]: b
                                       for b in report["benchmarks"]}

    def test_every_build_starts_and_exits_cleanly(self):
        self.assertEqual(sorted(BINARIES),
                         ["glibc", "jemalloc", "mimalloc", "tcmalloc"])
        for allocator, proc in self.procs.items():
            with self.subTest(allocator=allocator):
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(unexpected_stderr(proc.stderr), [])

    def test_every_benchmark_shows_the_figures_its_code_implies(self):
        for allocator, rows in self.rows.items():
            for name, (allocs, bytes_, peak, net) in EXPECTED.items():
                with self.subTest(allocator=allocator, benchmark=name):
                    row = rows[name]
                    self.assertEqual(row["allocs/iter"], allocs)
                    self.assertEqual(row["bytes/iter"], bytes_)
                    self.assertEqual(row["peak_bytes"], peak)
                    self.assertEqual(row["allocs_per_iter"], allocs)
                    self.assertEqual(row["max_bytes_used"], peak)
                    # The memory run has min(16, iterations) iterations.
                    memory_iterations = min(16, row["iterations"])
                    self.assertEqual(row["total_allocated_bytes"],
                                     round(bytes_ * memory_iterations))
                    if net is not None:
                        self.assertEqual(row["net_heap_growth"], net)

    def test_every_benchmark_is_checked(self):
        for allocator, rows in self.rows.items():
            with self.subTest(allocator=allocator):
                self.assertEqual(
                    sorted(rows),
                    sorted([*EXPECTED, ERROR_ROW, *SKIPPED_MEMORY_RUN_ROWS]))

    def test_counts_are_identical_to_the_glibc_build(self):
        reference = self.rows["glibc"]
        for allocator, rows in self.rows.items():
            for name, row in rows.items():
                if name not in EXPECTED:
                    continue
                with self.subTest(allocator=allocator, benchmark=name):
                    for field in ("allocs/iter", "bytes/iter", "peak_bytes",
                                  "allocs_per_iter", "max_bytes_used"):
                        self.assertEqual(row[field], reference[name][field],
                                         field)
                    if EXPECTED[name][3] is not None:
                        self.assertEqual(row["net_heap_growth"],
                                         reference[name]["net_heap_growth"])

    def test_an_error_in_the_timed_run_shows_no_memory_figures(self):
        for allocator, rows in self.rows.items():
            with self.subTest(allocator=allocator):
                row = rows[ERROR_ROW]
                self.assertTrue(row["error_occurred"])
                self.assertEqual(row["error_message"],
                                 "failing in the timed run")
                for field in MEMORY_FIELDS:
                    self.assertNotIn(field, row)

    def test_an_error_in_the_memory_run_only_shows_no_memory_figures(self):
        for allocator, rows in self.rows.items():
            for name in SKIPPED_MEMORY_RUN_ROWS:
                with self.subTest(allocator=allocator, benchmark=name):
                    row = rows[name]
                    self.assertFalse(row.get("error_occurred", False))
                    self.assertEqual(row["iterations"], 16)
                    for field in MEMORY_FIELDS:
                        self.assertNotIn(field, row)


class ExceptionOutOfTheLoopTest(unittest.TestCase):

    def test_google_benchmark_does_not_catch_so_the_program_terminates(self):
        # Google Benchmark 1.7.1 lets the exception out of
        # RunSpecifiedBenchmarks, and std::terminate aborts: the same with
        # and without alloc_counter, whatever the allocator.
        env = dict(os.environ, RELIABILITY_THROW_OUT_OF_LOOP="1")
        for allocator, binary in BINARIES.items():
            with self.subTest(allocator=allocator):
                proc = run(binary, "--benchmark_filter=BM_ThrowsOutOfTheLoop",
                           env=env)
                self.assertEqual(proc.returncode, -signal.SIGABRT)
                # The C++ runtime's message: libstdc++'s, or libc++abi's.
                self.assertRegex(
                    proc.stderr,
                    r"terminate called after throwing an instance of "
                    r"'std::runtime_error'|libc\+\+abi: terminating due to "
                    r"uncaught exception of type std::runtime_error")
                self.assertIn("thrown out of the loop body", proc.stderr)


def main():
    for path in sys.argv[1:]:
        allocator = re.search(r"_([a-z]+)$", path).group(1)
        BINARIES[allocator] = path
    if any(std_library.of(b) == std_library.LIBCXX
           for b in BINARIES.values()):
        EXPECTED[THREADS] = THREADS_LIBCXX
    unittest.main(argv=sys.argv[:1])


if __name__ == "__main__":
    main()

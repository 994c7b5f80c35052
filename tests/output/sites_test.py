# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks the allocation sites and sizes a user reads.

Runs sites_benchmarks (built with -g, linked with //alloc_counter:main) with
--alloc_counter_sites and --alloc_counter_histogram, and checks, in the
console and in JSON, every site of each benchmark: its allocations and bytes
per iteration, its function names and its file:line, found in
sites_benchmarks.cc by the `// site:NAME` comment on the line.

Arguments: sites_benchmarks.cc, then one or more builds of sites_benchmarks
(the reliability suite passes one per allocator underneath operator new);
every test runs against each build.
"""

import collections
import csv
import io
import json
import os
import re
import sys
import tempfile
import unittest

from tests import run
from tests import std_library
from tests.console import console_blocks, site_comment_lines, site_lines

SOURCE = None     # sites_benchmarks.cc
BINARIES = []     # the builds of sites_benchmarks
LINES = {}        # site name -> line number in SOURCE

FAST = ["--benchmark_min_time=0.01", "--benchmark_color=false"]
FILE = "sites_benchmarks.cc"
BM_TWO_SITES = "(anonymous namespace)::BM_TwoSites(benchmark::State&)"


# What the standard library allocates at the sites that call it, and how the
# compiler names an inlined function, by the library a build links
# (tests/std_library.py); the libc++ build is clang's
# (tools/run_libcxx_tests.sh).
Figures = collections.namedtuple(
    "Figures", "long_string shared_int thread_start inlined")
FIGURES = {
    # std::string(100, 'x'): its 101 bytes; std::make_shared<int>: the
    # control block beside the int; std::thread: its one state block;
    # GCC gives the inlined MakeInlined() no linkage name (internal
    # linkage), so its plain name is qualified.
    std_library.LIBSTDCXX: Figures(
        long_string=101, shared_int=24, thread_start=(1, 16),
        inlined="(anonymous namespace)::MakeInlined"),
    # libc++ rounds a long string's capacity up to 16 bytes, counts
    # references in 8-byte words, and starts a thread with three blocks
    # (tests/util/std_library.h); clang gives the inlined function its
    # linkage name.
    std_library.LIBCXX: Figures(
        long_string=112, shared_int=32, thread_start=(3, 64),
        inlined="(anonymous namespace)::MakeInlined()"),
}


def short(function):
    """The short name of one of sites_benchmarks.cc's functions: its
    parameter list elided."""
    return function.replace("(benchmark::State&)", "(\u2026)")


def at(function, site):
    """How the console shows a frame: its short name at file:line."""
    return f"{short(function)} at {FILE}:{LINES[site]}"


def at_full(function, site):
    """A frame with its full name, as JSON's `function` has it."""
    return f"{function} at {FILE}:{LINES[site]}"


def column(row_line, name):
    m = re.search(re.escape(name) + r"=(\S+)", row_line)
    return float(m.group(1)) if m else None


def json_frames(site):
    """A JSON site's frames as the console writes them (base name)."""
    texts = []
    for f in site["frames"]:
        if "file" in f:
            texts.append(f"{f['function']} at {os.path.basename(f['file'])}:"
                         f"{f['line']}")
        else:
            texts.append(f["function"])
    return texts


class SitesTest(unittest.TestCase):
    binary = None
    figures = None  # FIGURES of the library the binary links

    def run_binary(self, *args, check=True, env=None):
        return run.run(self.binary, *FAST, *args, check=check, env=env)

    def console(self, filter_regex, *args):
        out = self.run_binary(f"--benchmark_filter={filter_regex}",
                              "--alloc_counter_sites=5", *args).stdout
        return console_blocks(out)

    def json(self, filter_regex, *args):
        out = self.run_binary(f"--benchmark_filter={filter_regex}",
                              "--alloc_counter_sites=5",
                              "--benchmark_format=json", *args).stdout
        return {b["name"]: b for b in json.loads(out)["benchmarks"]}

    # --- Console -----------------------------------------------------------

    def test_console_shows_both_sites_of_two_sites(self):
        ((row, block),) = console_blocks(self.run_binary(
            "--benchmark_filter=BM_TwoSites$",
            "--alloc_counter_sites=5").stdout)["BM_TwoSites"]
        self.assertEqual(block[0].split(),
                         ["allocs/iter", "bytes/iter", "allocation", "site"])
        self.assertEqual(site_lines(block), [
            (3, 12, [at(BM_TWO_SITES, "ints")]),
            (1, self.figures.long_string,
             [at("(anonymous namespace)::MakeLongString()", "string"),
              at(BM_TWO_SITES, "string_caller")]),
        ], "\n".join([row] + block))
        self.assertEqual(column(row, "allocs/iter"), 4)
        self.assertEqual(column(row, "bytes/iter"),
                         12 + self.figures.long_string)

    def test_vector_growth_points_at_the_push_back_line(self):
        ((row, block),) = self.console("BM_VectorGrowth")["BM_VectorGrowth"]
        self.assertEqual(site_lines(block), [
            (8, 1020, [at("(anonymous namespace)::BM_VectorGrowth"
                          "(benchmark::State&)", "push_back")]),
        ], "\n".join([row] + block))

    def test_inlined_helper_is_a_frame_of_its_own(self):
        ((row, block),) = self.console("BM_InlinedHelper")["BM_InlinedHelper"]
        self.assertEqual(site_lines(block), [
            (1, 8, [at(self.figures.inlined, "inlined"),
                    at("(anonymous namespace)::BM_InlinedHelper"
                       "(benchmark::State&)", "inlined_caller")]),
        ], "\n".join([row] + block))

    def test_sites_beyond_the_top_n_are_one_other_line(self):
        ((row, block),) = self.console(
            "BM_FiveSites", "--alloc_counter_sites=2")["BM_FiveSites"]
        function = "(anonymous namespace)::BM_FiveSites(benchmark::State&)"
        sites = site_lines(block)
        self.assertEqual(sites[:2], [(5, 50, [at(function, "five")]),
                                     (4, 80, [at(function, "four")])])
        # three, two, one and the vector's reserve(15) of 120 bytes.
        self.assertEqual(sites[2:], [(7, 340, ["other (4 sites)"])],
                         "\n".join([row] + block))
        self.assertEqual(sum(s[0] for s in sites), column(row, "allocs/iter"))
        self.assertEqual(sum(s[1] for s in sites), column(row, "bytes/iter"))

    def test_helper_thread_sites_have_its_own_stack(self):
        ((row, block),) = self.console("BM_HelperThread")[
            "BM_HelperThread/real_time"]
        sites = sorted(site_lines(block), key=lambda s: s[1])
        self.assertEqual(len(sites), 2, "\n".join([row] + block))
        # The lambda, on the helper thread: its operator() at its line.
        self.assertEqual(sites[0][:2], (1, 8))
        (frame,) = sites[0][2]
        self.assertIn("operator()", frame)
        self.assertTrue(frame.endswith(f" at {FILE}:{LINES['helper']}"),
                        frame)
        # std::thread's state, allocated by the constructor at the user's line.
        self.assertEqual(sites[1], (*self.figures.thread_start, [at(
            "(anonymous namespace)::BM_HelperThread(benchmark::State&)",
            "thread_start")]))

    def test_every_repetition_row_has_its_sites_and_aggregates_none(self):
        rows = self.console("BM_Repeated")["BM_Repeated/repeats:2"]
        site = [(1, self.figures.shared_int,
                 [at("(anonymous namespace)::BM_Repeated(benchmark::State&)",
                     "repeated")])]
        self.assertEqual([site_lines(block) for _, block in rows],
                         [site, site])
        for name in ("mean", "median", "stddev", "cv"):
            ((_, block),) = self.console("BM_Repeated")[
                "BM_Repeated/repeats:2_" + name]
            self.assertEqual(block, [])

    def test_threads_row_shows_thread_zeros_sites(self):
        ((row, block),) = self.console("BM_Threads")["BM_Threads/threads:2"]
        self.assertEqual(site_lines(block), [(1, 24, [at(
            "(anonymous namespace)::BM_Threads(benchmark::State&)",
            "threads")])])

    def test_no_allocation_says_none(self):
        ((_, block),) = self.console("BM_NoAllocation")["BM_NoAllocation"]
        self.assertEqual(block, ["  allocation sites: none"])

    def test_timed_mode_shows_the_memory_runs_sites(self):
        ((row, block),) = self.console(
            "BM_TwoSites$", "--alloc_counter_mode=timed")["BM_TwoSites"]
        self.assertEqual([s[:2] for s in site_lines(block)],
                         [(3, 12), (1, self.figures.long_string)],
                         "\n".join([row] + block))

    def test_console_histogram_line(self):
        ((_, block),) = self.console(
            "BM_TwoSites$", "--alloc_counter_histogram")["BM_TwoSites"]
        self.assertEqual(block[-1],
                         "  sizes (allocs/iter): 4-7 B: 3, 64-127 B: 1")

    def test_histogram_alone_wraps_to_the_width(self):
        out = self.run_binary("--benchmark_filter=BM_VectorGrowth",
                              "--alloc_counter_histogram",
                              env=dict(os.environ, COLUMNS="80")).stdout
        ((_, block),) = console_blocks(out)["BM_VectorGrowth"]
        self.assertEqual(block, [
            "  sizes (allocs/iter): 4-7 B: 1, 8-15 B: 1, 16-31 B: 1, "
            "32-63 B: 1, 64-127 B: 1,",
            "    128-255 B: 1, 256-511 B: 1, 512-1023 B: 1"])
        self.assertLessEqual(max(len(line) for line in block), 80)

    def test_off_by_default(self):
        out = self.run_binary("--benchmark_filter=BM_TwoSites$").stdout
        ((_, block),) = console_blocks(out)["BM_TwoSites"]
        self.assertEqual(block, [])
        out = self.run_binary("--benchmark_filter=BM_TwoSites$",
                              "--benchmark_format=json").stdout
        (b,) = json.loads(out)["benchmarks"]
        self.assertNotIn("alloc_sites", b)
        self.assertNotIn("size_histogram", b)

    def test_nothing_without_the_columns(self):
        out = self.run_binary("--benchmark_filter=BM_TwoSites$",
                              "--alloc_counter_sites=5",
                              "--alloc_counter_histogram",
                              "--alloc_counter_columns=false").stdout
        ((row, block),) = console_blocks(out)["BM_TwoSites"]
        self.assertEqual(block, [])
        self.assertIsNone(column(row, "allocs/iter"))

    # --- JSON --------------------------------------------------------------

    def test_json_sites_of_two_sites(self):
        b = self.json("BM_TwoSites$")["BM_TwoSites"]
        # Bazel records the path relative to the workspace, CMake an
        # absolute one: both end with the source's path in the repository.
        for s in b["alloc_sites"]:
            for f in s["frames"]:
                self.assertTrue(f["file"].endswith("tests/output/" + FILE),
                                f["file"])
                self.assertEqual(set(f), {"function", "short", "file", "line"})
                self.assertEqual(f["short"], short(f["function"]))
        self.assertEqual(
            [(s["allocs_per_iter"], s["bytes_per_iter"], json_frames(s))
             for s in b["alloc_sites"]],
            [(3, 12, [at_full(BM_TWO_SITES, "ints")]),
             (1, self.figures.long_string,
              [at_full("(anonymous namespace)::MakeLongString()", "string"),
               at_full(BM_TWO_SITES, "string_caller")])])
        self.assertEqual(b["allocs/iter"], 4)

    def test_json_sites_add_up_to_the_columns(self):
        benchmarks = self.json(".", "--alloc_counter_sites=2")
        self.assertGreater(len(benchmarks), 5)
        for name, b in benchmarks.items():
            if b["run_type"] != "iteration":
                self.assertNotIn("alloc_sites", b, name)
                continue
            sites = b["alloc_sites"]
            self.assertLessEqual(len([s for s in sites
                                      if "other_sites" not in s]), 2)
            self.assertAlmostEqual(sum(s["allocs_per_iter"] for s in sites),
                                   b["allocs/iter"], places=9, msg=name)
            self.assertAlmostEqual(sum(s["bytes_per_iter"] for s in sites),
                                   b["bytes/iter"], places=9, msg=name)

    def test_json_other_line(self):
        b = self.json("BM_FiveSites", "--alloc_counter_sites=2")[
            "BM_FiveSites"]
        self.assertEqual(b["alloc_sites"][-1], {
            "other_sites": 4, "allocs_per_iter": 7, "bytes_per_iter": 340,
            "frames": []})

    def test_json_no_allocation_has_empty_sites(self):
        b = self.json("BM_NoAllocation")["BM_NoAllocation"]
        self.assertEqual(b["alloc_sites"], [])

    def test_json_histogram(self):
        b = self.json("BM_TwoSites$", "--alloc_counter_histogram")[
            "BM_TwoSites"]
        self.assertEqual(b["size_histogram"], [
            {"min_bytes": 4, "max_bytes": 7, "allocs_per_iter": 3,
             "bytes_per_iter": 12},
            {"min_bytes": 64, "max_bytes": 127, "allocs_per_iter": 1,
             "bytes_per_iter": self.figures.long_string},
        ])
        self.assertEqual(len(b["alloc_sites"]), 2)

    def test_json_out_file_has_the_sites_too(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "out.json")
            self.run_binary("--benchmark_filter=BM_TwoSites$",
                            "--alloc_counter_sites=5",
                            f"--benchmark_out={path}",
                            "--benchmark_out_format=json")
            with open(path) as f:
                (b,) = json.load(f)["benchmarks"]
        self.assertEqual([s["allocs_per_iter"] for s in b["alloc_sites"]],
                         [3, 1])

    def test_csv_is_unchanged(self):
        args = ["--benchmark_filter=BM_TwoSites$|BM_Repeated",
                "--benchmark_format=csv"]
        plain = self.run_binary(*args).stdout
        with_sites = self.run_binary(*args, "--alloc_counter_sites=5",
                                     "--alloc_counter_histogram").stdout

        def table(text):
            rows = list(csv.reader(io.StringIO(text)))
            header = rows[0]
            return header, [r[0] for r in rows[1:]], [len(r) for r in rows]

        self.assertEqual(table(plain), table(with_sites))

    # --- Flags -------------------------------------------------------------

    def test_bad_values_are_rejected(self):
        for value in ("-1", "abc", "1001", "", "+3", "2.5"):
            proc = self.run_binary(f"--alloc_counter_sites={value}",
                                   check=False)
            self.assertEqual(proc.returncode, 2, value)
            self.assertEqual(
                proc.stderr.strip(),
                f"alloc_counter: invalid value '{value}' for "
                "--alloc_counter_sites; accepted values: a whole number "
                "from 0 to 1000")
        proc = self.run_binary("--alloc_counter_histogram=maybe", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("accepted values: false, true", proc.stderr)

    def test_help_lists_the_flags(self):
        out = self.run_binary("--help").stdout
        self.assertRegex(out, r"\n  --alloc_counter_sites=<N>\s+show the N "
                         r"call stacks that allocate most per iteration, 0 "
                         r"for none \(default: 0\)\n")
        self.assertRegex(out, r"\n  --alloc_counter_histogram=\{false\|true\}"
                         r"\s+show the requested sizes of the loop's "
                         r"allocations \(default: false\)\n")


def main():
    global SOURCE, LINES
    SOURCE = sys.argv[1]
    binaries = sys.argv[2:]
    del sys.argv[1:]
    LINES = site_comment_lines(SOURCE)
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for binary in binaries:
        cls = type("SitesTest_" + re.sub(r"\W", "_", os.path.basename(binary)),
                   (SitesTest,),
                   {"binary": binary,
                    "figures": FIGURES[std_library.of(binary)]})
        suite.addTests(loader.loadTestsFromTestCase(cls))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()

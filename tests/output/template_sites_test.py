# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks the sites and stacks of template-heavy code as a person reads them.

Runs template_sites_benchmarks, built with -g and without (-g0), with
--alloc_counter_sites, and checks in the console that every line fits
COLUMNS, that template argument lists (`std::char_traits<char>`,
`std::allocator<char>`) are elided, that a recursion is one frame with its
count, that overloads keep their parameters, that file:line is there with
-g and that without it one line says it needs -g. Checks that
--alloc_counter_site_names=full and JSON keep the full names, and that
--alloc_counter_folded and --alloc_counter_folded_bytes write every stack
rooted at the benchmark's name, at full depth, with counts that are the
loop's allocations (allocs/iter times the memory run's 5 iterations) and no
frame of the allocator's plumbing.

Arguments: template_sites_benchmarks.cc, the build with -g, the build
without.
"""

import json
import os
import re
import sys
import tempfile
import unittest

from tests import run
from tests import std_library
from tests.console import console_blocks, site_comment_lines, site_lines

SOURCE = DEBUG = NODEBUG = None
LINES = {}              # site name -> line number in SOURCE
FILE = "template_sites_benchmarks.cc"
ITERATIONS = 5          # every benchmark's ->Iterations(5)
ELLIPSIS = "\u2026"

NEST = f"shop::inventory::Nest<{ELLIPSIS}>({ELLIPSIS})"
DEEP_NEST = "BM_DeepNest/{}/iterations:5"
ADD = f"shop::inventory::Catalog<{ELLIPSIS}>::Add({ELLIPSIS})"
# What differs with the standard library the builds link
# (tests/std_library.py): the bytes of one Item<std::string> (a 32-byte
# std::string in libstdc++, 24 in libc++, and a long), and how the full
# names spell std::string and its character traits.
ITEM_BYTES = {std_library.LIBSTDCXX: 40, std_library.LIBCXX: 32}
STRING = {
    std_library.LIBSTDCXX: ("std::__cxx11::basic_string<char, "
                            "std::char_traits<char>, std::allocator<char> >"),
    std_library.LIBCXX: ("std::__1::basic_string<char, "
                         "std::__1::char_traits<char>, "
                         "std::__1::allocator<char>>"),
}
CHAR_TRAITS = {std_library.LIBSTDCXX: "std::char_traits<char>",
               std_library.LIBCXX: "std::__1::char_traits<char>"}
LIBRARY = None          # the library of the builds

# Words of alloc_counter's hooks and of the allocators' plumbing.
PLUMBING = ("operator new", "malloc", "allocate", "alloc_counter",
            "AllocateCounted", "RecordSite", "RecordAllocation")


def at(text, site):
    return f"{text} at {FILE}:{LINES[site]}"


def with_columns(columns):
    return dict(os.environ, COLUMNS=str(columns))


def run_binary(binary, *args, env=None):
    return run.run(binary, *args, fast=True, env=env).stdout


def site_blocks(binary, *args, columns=120):
    """{row name: (row line, block)} with --alloc_counter_sites=5."""
    out = run_binary(binary, "--alloc_counter_sites=5", *args,
                     env=with_columns(columns))
    return {name: rows[0] for name, rows in console_blocks(out).items()}, out


def folded(binary, *args):
    """The lines of --alloc_counter_folded and --alloc_counter_folded_bytes,
    each as [(frames, count)], and the JSON of the same run."""
    with tempfile.TemporaryDirectory() as tmp:
        counts = os.path.join(tmp, "counts.folded")
        bytes_ = os.path.join(tmp, "bytes.folded")
        out = run_binary(binary, f"--alloc_counter_folded={counts}",
                         f"--alloc_counter_folded_bytes={bytes_}",
                         "--benchmark_format=json", *args)
        result = []
        for path in (counts, bytes_):
            lines = []
            with open(path, encoding="utf-8") as f:
                for line in f.read().splitlines():
                    stack, count = line.rsplit(" ", 1)
                    lines.append((stack.split(";"), int(count)))
            result.append(lines)
    benchmarks = {b["name"]: b for b in json.loads(out)["benchmarks"]}
    return result[0], result[1], benchmarks


class ConsoleTest(unittest.TestCase):

    def test_no_site_line_is_longer_than_columns(self):
        for binary in (DEBUG, NODEBUG):
            for columns in (60, 80, 120):
                with self.subTest(binary=binary, columns=columns):
                    blocks, _ = site_blocks(binary, columns=columns)
                    self.assertEqual(len(blocks), 5)
                    for name, (_, block) in blocks.items():
                        self.assertTrue(block, name)
                        for line in block:
                            self.assertLessEqual(len(line), columns, line)

    def test_template_arguments_are_elided(self):
        for binary in (DEBUG, NODEBUG):
            _, out = site_blocks(binary)
            for text in ("std::char_traits", "std::allocator<",
                         "basic_string<char", "[clone", "[abi:",
                         "benchmark::State&"):
                self.assertNotIn(text, out, binary)

    def test_sites_with_debug_information(self):
        blocks, out = site_blocks(DEBUG, columns=200)
        catalog = blocks["BM_CatalogAdd<Name>/iterations:5"][1]
        self.assertEqual(site_lines(catalog), [
            (3, 3 * ITEM_BYTES[LIBRARY], [at(ADD, "catalog_add"),
                      at(f"(anonymous namespace)::BM_CatalogAdd<{ELLIPSIS}>"
                         f"({ELLIPSIS})", "catalog_caller")])])
        self.assertEqual(site_lines(blocks["BM_Nest/iterations:5"][1]), [
            (1, ITEM_BYTES[LIBRARY], [at(f"{NEST} \u00d77", "nest_leaf"),
                     at(f"(anonymous namespace)::BM_Nest({ELLIPSIS})",
                        "nest_caller")]),
            (1, 8, [at(f"(anonymous namespace)::BM_Nest({ELLIPSIS})",
                       "nest_reserve")])])
        self.assertNotIn("debug information", out)

    def test_recursion_is_one_frame_with_its_count(self):
        for binary in (DEBUG, NODEBUG):
            blocks, _ = site_blocks(binary, columns=200)
            for name, calls in (("BM_Nest/iterations:5", "\u00d77"),
                                (DEEP_NEST.format(80), "\u00d781")):
                block = blocks[name][1]
                self.assertEqual("\n".join(block).count("Nest<"), 1, block)
                self.assertIn(f"{NEST} {calls}", block[1])
            # Deeper than the stacks kept: the count is a lower bound.
            block = blocks[DEEP_NEST.format(200)][1]
            self.assertRegex(block[1], re.escape(NEST) + " \u00d7\\d+\\+")

    def test_overloads_keep_their_parameters(self):
        blocks, _ = site_blocks(NODEBUG, columns=200)
        self.assertEqual(site_lines(blocks["BM_Overloads/iterations:5"][1]), [
            (2, 8, ["(anonymous namespace)::Make(int)",
                    f"(anonymous namespace)::BM_Overloads({ELLIPSIS})"]),
            (1, 8, ["(anonymous namespace)::Make(long)",
                    f"(anonymous namespace)::BM_Overloads({ELLIPSIS})"])])

    def test_one_line_says_file_and_line_need_g(self):
        hint = "  (file:line needs debug information: build with -g)"
        _, out = site_blocks(NODEBUG)
        self.assertEqual(out.count(hint), 1)
        # Under the first block of sites, as its last line.
        first = out.split("\n")
        rows = [i for i, line in enumerate(first) if line.startswith("BM_")]
        self.assertEqual(first[rows[1] - 1], hint)
        self.assertNotIn(" at ", out.split(hint)[0])
        _, out = site_blocks(DEBUG)
        self.assertNotIn("debug information", out)

    def test_full_names_on_request(self):
        blocks, out = site_blocks(NODEBUG, "--alloc_counter_site_names=full",
                                  columns=60)
        block = blocks["BM_CatalogAdd<Name>/iterations:5"][1]
        self.assertRegex(block[1], r"shop::inventory::Catalog<" +
                         re.escape(STRING[LIBRARY]) + r", long>::Add\(")
        self.assertNotIn(ELLIPSIS, out)


class JsonTest(unittest.TestCase):

    def json(self, binary):
        out = run_binary(binary, "--alloc_counter_sites=5",
                         "--benchmark_format=json")
        return {b["name"]: b for b in json.loads(out)["benchmarks"]}

    def test_sites_keep_full_names_beside_short_ones(self):
        b = self.json(DEBUG)["BM_CatalogAdd<Name>/iterations:5"]
        (site,) = b["alloc_sites"]
        first = site["frames"][0]
        self.assertRegex(first["function"], r"^shop::inventory::Catalog<" +
                         re.escape(STRING[LIBRARY]) + r", long>::Add\(" +
                         re.escape(STRING[LIBRARY]))
        self.assertEqual(first["short"], ADD)
        self.assertEqual(first["line"], LINES["catalog_add"])

    def test_recursion_is_repeated_in_json(self):
        b = self.json(NODEBUG)["BM_Nest/iterations:5"]
        self.assertEqual(b["alloc_sites"][0]["frames"][0]["short"], NEST)
        self.assertEqual(b["alloc_sites"][0]["frames"][0]["repeated"], 7)

    def test_stacks_add_up_to_the_columns(self):
        for binary in (DEBUG, NODEBUG):
            for name, b in self.json(binary).items():
                stacks = b["alloc_stacks"]
                self.assertEqual(stacks["iterations"], ITERATIONS)
                self.assertEqual(
                    sum(s["allocs"] for s in stacks["stacks"]),
                    b["allocs/iter"] * ITERATIONS, name)
                self.assertEqual(
                    sum(s["bytes"] for s in stacks["stacks"]),
                    b["bytes/iter"] * ITERATIONS, name)
                for frame in stacks["frames"]:
                    for word in PLUMBING:
                        self.assertNotIn(word, frame["function"], name)


class FoldedTest(unittest.TestCase):

    def test_every_stack_is_rooted_at_its_benchmark(self):
        for binary in (DEBUG, NODEBUG):
            counts, _, benchmarks = folded(binary)
            roots = {frames[0] for frames, _ in counts}
            self.assertEqual(roots, set(benchmarks))
            for frames, _ in counts:
                if frames[1] != "[deeper frames]":
                    self.assertRegex(frames[1], r"^\(anonymous namespace\)::"
                                     + re.escape(frames[0].split("/")[0]
                                                 .split("<")[0]))

    def test_counts_are_the_loops_allocations(self):
        for binary in (DEBUG, NODEBUG):
            counts, bytes_, benchmarks = folded(binary)
            for name, b in benchmarks.items():
                self.assertEqual(
                    sum(c for frames, c in counts if frames[0] == name),
                    b["allocs/iter"] * ITERATIONS, name)
                self.assertEqual(
                    sum(c for frames, c in bytes_ if frames[0] == name),
                    b["bytes/iter"] * ITERATIONS, name)

    def test_exact_stacks_of_nest(self):
        counts, bytes_, _ = folded(NODEBUG)
        root = "BM_Nest/iterations:5"
        bm = f"(anonymous namespace)::BM_Nest({ELLIPSIS})"
        # The item, 7 calls of Nest deep, and the vector's buffer: reserve()
        # is a frame of its own unless the compiler inlined it (-O3).
        nest = [root, bm] + [NEST] * 7
        mine = {tuple(f): c for f, c in counts if f[0] == root}
        self.assertEqual(len(mine), 2, mine)
        self.assertEqual(mine.pop(tuple(nest)), ITERATIONS)
        ((reserve, count),) = mine.items()
        self.assertEqual(count, ITERATIONS)
        self.assertIn(reserve, [
            (root, bm),
            (root, bm, f"std::vector<{ELLIPSIS}>::reserve({ELLIPSIS})")])
        mine = {tuple(f): c for f, c in bytes_ if f[0] == root}
        self.assertEqual(mine, {tuple(nest): ITEM_BYTES[LIBRARY] * ITERATIONS,
                                reserve: 8 * ITERATIONS})

    def test_full_depth(self):
        for binary in (DEBUG, NODEBUG):
            counts, _, _ = folded(binary)
            (deep,) = [f for f, _ in counts
                       if f[0] == DEEP_NEST.format(80) and NEST in f]
            self.assertEqual(deep.count(NEST), 81)
            self.assertEqual(deep[1],
                             f"(anonymous namespace)::BM_DeepNest({ELLIPSIS})")
            # Deeper than kept: marked, never passed off as whole.
            (too_deep,) = [f for f, _ in counts
                           if f[0] == DEEP_NEST.format(200) and NEST in f]
            self.assertEqual(too_deep[1], "[deeper frames]")
            self.assertGreaterEqual(too_deep.count(NEST), 64)

    def test_no_frame_of_the_allocator(self):
        for binary in (DEBUG, NODEBUG):
            counts, _, _ = folded(binary, "--alloc_counter_site_names=full")
            for frames, _ in counts:
                for frame in frames:
                    for word in PLUMBING:
                        self.assertNotIn(word, frame)

    def test_full_names_on_request(self):
        counts, _, _ = folded(NODEBUG, "--alloc_counter_site_names=full")
        text = "\n".join(";".join(f) for f, _ in counts)
        self.assertIn(CHAR_TRAITS[LIBRARY], text)
        self.assertNotIn(ELLIPSIS, text)

    def test_an_unwritable_file_is_an_error(self):
        proc = run.run(DEBUG, "--alloc_counter_folded=/nonexistent/dir/x",
                       check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr,
                         "alloc_counter: cannot write --alloc_counter_folded="
                         "/nonexistent/dir/x: No such file or directory\n")
        self.assertEqual(proc.stdout, "")

    def test_folded_without_the_columns_is_an_error(self):
        proc = run.run(DEBUG, "--alloc_counter_folded=x.folded",
                       "--alloc_counter_columns=false", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--alloc_counter_folded and "
                      "--alloc_counter_folded_bytes need the columns",
                      proc.stderr)


def main():
    global SOURCE, DEBUG, NODEBUG, LINES, LIBRARY
    SOURCE, DEBUG, NODEBUG = sys.argv[1:4]
    LIBRARY = std_library.of(DEBUG)
    del sys.argv[1:]
    LINES = site_comment_lines(SOURCE)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()

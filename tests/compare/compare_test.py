# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks alloc_counter_compare on the JSON of real benchmark runs.

Runs compare_baseline_benchmark and compare_contender_benchmark (one source,
compiled without and with EXTRA_ALLOCATION, linked with //alloc_counter:main)
the way a CI job does, compares their JSON output with alloc_counter_compare,
and checks the rows of its table, its Markdown and JSON output and its exit
statuses; then its answers to bad input, and the tables and HTML report of
hand-written JSON with allocation sites, size histograms and allocation
stacks.

Arguments: the tool, the baseline and contender binaries, the baseline and
contender JSON fixtures with sites, and those with stacks.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

from tests.run import run as run_binary

TOOL = BASELINE_BIN = CONTENDER_BIN = SITES_BASELINE = SITES_CONTENDER = None
STACKS_BASELINE = STACKS_CONTENDER = None
TMP = None  # tempfile.TemporaryDirectory, for the module
BASELINE = CONTENDER = None  # JSON written by the two binaries

GROWS = "BM_Grows/iterations:100"
STEADY = "BM_Steady/iterations:100"
NONE = "BM_NoAllocation/iterations:100"
REPEATED = "BM_Repeated/iterations:100/repeats:3"
REMOVED = "BM_Removed/iterations:100"
ADDED = "BM_Added/iterations:100"

# Rows of the text table, the time change replaced by "T": name, then old,
# new and delta of allocs/iter, bytes/iter and peak bytes, time, status.
ROWS_SAME = {
    GROWS: [GROWS, "1", "1", "0", "100", "100", "0", "100", "100", "0", "T"],
    STEADY: [STEADY, "1", "1", "0", "64", "64", "0", "64", "64", "0", "T"],
    NONE: [NONE, "0", "0", "0", "0", "0", "0", "0", "0", "0", "T"],
    REPEATED: [REPEATED, "2", "2", "0", "32", "32", "0", "16", "16", "0",
               "T"],
    REMOVED: [REMOVED, "1", "1", "0", "8", "8", "0", "8", "8", "0", "T"],
}
ROWS_CHANGED = {
    GROWS: [GROWS, "1", "2", "+1", "100", "128", "+28", "100", "128", "+28",
            "T", "REGRESSION"],
    STEADY: ROWS_SAME[STEADY],
    NONE: ROWS_SAME[NONE],
    REPEATED: ROWS_SAME[REPEATED],
    REMOVED: [REMOVED, "1", "-", "-", "8", "-", "-", "8", "-", "-", "-",
              "only in baseline"],
    ADDED: [ADDED, "-", "1", "-", "-", "8", "-", "-", "8", "-", "-",
            "only in contender"],
}

MEMORY_FIELDS = ("allocs/iter", "bytes/iter", "peak_bytes", "allocs_per_iter",
                 "max_bytes_used", "total_allocated_bytes", "net_heap_growth")


def run_benchmark(binary, out):
    # No --benchmark_min_time: every benchmark fixes its iterations, which
    # works alike on Google Benchmark 1.7 and 1.8+.
    run_binary(binary, f"--benchmark_out={out}", "--benchmark_out_format=json",
               "--benchmark_color=false")
    return out


def compare(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True,
                          check=False)


def compare_html(baseline, contender, name):
    """Runs the tool with --html into TMP/`name`: (the process, the page)."""
    out = os.path.join(TMP.name, name)
    proc = compare(baseline, contender, "--html", out)
    with open(out, encoding="utf-8") as f:
        return proc, f.read()


def table_rows(stdout):
    """{name: cells} of the text table's benchmark rows, cells split at two
    or more spaces; the time change (+1.2%, or - without a time on one side)
    is checked and, in rows with both sides, replaced by T."""
    lines = stdout.splitlines()
    rules = [i for i, line in enumerate(lines) if re.fullmatch(r"-+", line)]
    assert len(rules) == 3, stdout
    rows = {}
    for line in lines[rules[1] + 1:rules[2]]:
        cells = re.split(r"\s{2,}", line.strip())
        assert re.fullmatch(r"[+-]\d+\.\d%|-", cells[10]), line
        if "-" not in (cells[1], cells[2]):
            cells[10] = "T"
        rows[cells[0]] = cells
    return rows


def write_json(name, data):
    path = os.path.join(TMP.name, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f)
    return path


def without(path, fields, name):
    """A copy of the JSON file at `path` whose benchmarks lack `fields`."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for row in data["benchmarks"]:
        for field in fields:
            row.pop(field, None)
    return write_json(name, data)


class RealRunsTest(unittest.TestCase):
    """The tool on the JSON of the two builds of compare_benchmark.cc."""

    def test_equal_runs_exit_0(self):
        proc = compare(BASELINE, BASELINE)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(table_rows(proc.stdout), ROWS_SAME)
        self.assertIn("No regression: no allocs/iter or bytes/iter grew by "
                      "more than 0% (--max-increase).", proc.stdout)
        self.assertEqual(proc.stderr, "")

    def test_one_more_allocation_exits_1(self):
        proc = compare(BASELINE, CONTENDER)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(table_rows(proc.stdout), ROWS_CHANGED)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0], f"baseline:  {BASELINE}")
        self.assertEqual(lines[1], f"contender: {CONTENDER}")
        self.assertIn("1 regression: allocs/iter or bytes/iter grew by more "
                      "than 0% (--max-increase):", lines)
        self.assertIn(f"  {GROWS}: allocs/iter 1 -> 2 (+100.0%), bytes/iter "
                      "100 -> 128 (+28.0%)", lines)
        self.assertEqual(lines[-2:], [
            "Benchmarks: 4 compared, 1 only in baseline, 1 only in "
            "contender.",
            "Time: cpu_time (real_time for /real_time), for context; not "
            "gated."])

    def test_header_and_columns_line_up(self):
        proc = compare(BASELINE, CONTENDER)
        lines = proc.stdout.splitlines()
        header = lines[4]
        self.assertEqual(re.split(r"\s+", header.strip()),
                         ["Benchmark"] + ["old", "new", "delta"] * 3 +
                         ["change", "status"])
        self.assertEqual(re.split(r"\s{2,}", lines[3].strip()),
                         ["allocs/iter", "bytes/iter", "peak bytes", "time"])
        # Numbers are right-aligned under their labels, the status is
        # left-aligned.
        spans = [m.span() for m in re.finditer(r"\S+(?: \S+)*", header)]
        grows = next(line for line in lines if line.startswith(GROWS))
        cells = [m.span() for m in re.finditer(r"\S+(?: \S+)*", grows)]
        self.assertEqual(len(cells), len(spans))
        self.assertEqual([c[1] for c in cells[1:-1]],
                         [s[1] for s in spans[1:-1]])
        self.assertEqual(cells[-1][0], spans[-1][0])

    def test_max_increase_is_relative_percent(self):
        # BM_Grows: allocs/iter +100%, bytes/iter +28%.
        for limit, status in (("100", 0), ("100%", 0), ("250", 0),
                              ("99.9", 1), ("28", 1), ("0", 1)):
            with self.subTest(limit=limit):
                proc = compare(BASELINE, CONTENDER,
                               f"--max-increase={limit}")
                self.assertEqual(proc.returncode, status, proc.stdout)
        proc = compare(BASELINE, CONTENDER, "--max-increase", "100")
        row = table_rows(proc.stdout)[GROWS]
        self.assertEqual(row, ROWS_CHANGED[GROWS][:-1] +
                         ["increase within limit"])
        self.assertIn("No regression: no allocs/iter or bytes/iter grew by "
                      "more than 100% (--max-increase).", proc.stdout)

    def test_growth_from_zero_is_a_regression_whatever_the_limit(self):
        with open(BASELINE, encoding="utf-8") as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            if row["name"] == NONE:
                row["allocs/iter"] = 0.0625
        contender = write_json("from_zero.json", data)
        proc = compare(BASELINE, contender, "--max-increase=1000000")
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertEqual(table_rows(proc.stdout)[NONE][1:4],
                         ["0", "0.0625", "+0.0625"])
        self.assertIn(f"  {NONE}: allocs/iter 0 -> 0.0625 (new)",
                      proc.stdout.splitlines())

    def test_failed_benchmark_is_listed_not_gated(self):
        # What Google Benchmark writes for a benchmark that called
        # SkipWithError: no counters, no memory fields.
        with open(CONTENDER, encoding="utf-8") as f:
            data = json.load(f)
        for row in data["benchmarks"]:
            if row["name"] == STEADY:
                for field in MEMORY_FIELDS:
                    row.pop(field)
                row.update(error_occurred=True, error_message="no input")
        contender = write_json("failed.json", data)
        proc = compare(BASELINE, contender, "--filter=-Grows")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(table_rows(proc.stdout)[STEADY],
                         [STEADY, "1", "-", "-", "64", "-", "-", "64", "-",
                          "-", "-", "failed in contender"])
        self.assertIn("Benchmarks: 2 compared, 1 only in baseline, 1 only in "
                      "contender, 1 failed in contender.",
                      proc.stdout.splitlines())

    def test_filter(self):
        proc = compare(BASELINE, CONTENDER, "--filter=-Grows")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        expected = dict(ROWS_CHANGED)
        del expected[GROWS]
        self.assertEqual(table_rows(proc.stdout), expected)

        proc = compare(BASELINE, CONTENDER, "--filter", "Steady|NoAlloc")
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(list(table_rows(proc.stdout)), [STEADY, NONE])

        proc = compare(BASELINE, CONTENDER, "--filter=^BM_Grows/")
        self.assertEqual(proc.returncode, 1, proc.stdout)
        self.assertEqual(table_rows(proc.stdout), {GROWS: ROWS_CHANGED[GROWS]})

    def test_filter_matching_nothing_exits_2(self):
        proc = compare(BASELINE, CONTENDER, "--filter=NoSuchBenchmark")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(proc.stderr,
                         f"alloc_counter_compare: {BASELINE}, {CONTENDER}: "
                         "no benchmark name matches --filter\n")

    def test_markdown(self):
        proc = compare(BASELINE, CONTENDER, "--format=markdown")
        self.assertEqual(proc.returncode, 1)
        lines = [line if "only in" in line else
                 re.sub(r"\| (?:[+-]\d+\.\d%|-) \|", "| T |", line)
                 for line in proc.stdout.splitlines()]
        self.assertEqual(lines[:6], [
            "### alloc_counter: allocations, baseline → contender",
            "",
            "**1 allocation regression**: allocs/iter or bytes/iter grew by "
            "more than 0%.",
            "",
            "| Benchmark | allocs/iter | bytes/iter | peak bytes | time | |",
            "|:--|--:|--:|--:|--:|:--|",
        ])
        self.assertEqual(lines[6:12], [
            f"| `{GROWS}` | 1 → **2** (+1) | 100 → **128** (+28) | "
            "100 → **128** (+28) | T | **REGRESSION** |",
            f"| `{STEADY}` | 1 | 64 | 64 | T |  |",
            f"| `{NONE}` | 0 | 0 | 0 | T |  |",
            f"| `{REPEATED}` | 2 | 32 | 16 | T |  |",
            f"| `{REMOVED}` | 1 → - | 8 → - | 8 → - | - | only in baseline |",
            f"| `{ADDED}` | - → 1 | - → 8 | - → 8 | - | only in contender |",
        ])

    def test_json(self):
        proc = compare(BASELINE, CONTENDER, "--format=json")
        self.assertEqual(proc.returncode, 1)
        out = json.loads(proc.stdout)
        self.assertEqual(out["regressions"], [GROWS])
        self.assertEqual(out["max_increase_percent"], 0)
        by_name = {b["name"]: b for b in out["benchmarks"]}
        self.assertEqual(list(by_name), list(ROWS_CHANGED))
        grows = by_name[GROWS]
        self.assertEqual(grows["status"], "REGRESSION")
        self.assertEqual(grows["regressed"], ["allocs/iter", "bytes/iter"])
        self.assertEqual(
            {k: grows["baseline"][k] for k in
             ("allocs_per_iter", "bytes_per_iter", "peak_bytes")},
            {"allocs_per_iter": 1, "bytes_per_iter": 100, "peak_bytes": 100})
        self.assertEqual(grows["contender"]["allocs_per_iter"], 2)
        self.assertEqual(grows["delta"], {"allocs_per_iter": 1,
                                          "bytes_per_iter": 28,
                                          "peak_bytes": 28})
        self.assertEqual(grows["change_percent"]["allocs_per_iter"], 100)
        self.assertAlmostEqual(grows["change_percent"]["bytes_per_iter"], 28)
        self.assertGreater(grows["baseline"]["time_ns"], 0)
        self.assertEqual(by_name[STEADY]["status"], "unchanged")
        self.assertEqual(by_name[REPEATED]["baseline"]["repetitions"], 3)
        self.assertEqual(by_name[REMOVED]["status"], "only in baseline")
        self.assertIsNone(by_name[REMOVED]["contender"])
        self.assertEqual(by_name[ADDED]["status"], "only in contender")

    def test_native_fields_only(self):
        # What any MemoryManager writes, without alloc_counter's columns:
        # bytes/iter is total_allocated_bytes over the 16 iterations of the
        # memory run; BM_Repeated's mean aggregate has no native fields, so
        # its repetitions are averaged.
        columns = ("allocs/iter", "bytes/iter", "peak_bytes")
        base = without(BASELINE, columns, "native_baseline.json")
        cont = without(CONTENDER, columns, "native_contender.json")
        proc = compare(base, cont)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(table_rows(proc.stdout), ROWS_CHANGED)

    def test_html_report_written(self):
        out = os.path.join(TMP.name, "real.html")
        proc = compare(BASELINE, CONTENDER, f"--html={out}")
        self.assertEqual(proc.returncode, 1)
        with open(out, encoding="utf-8") as f:
            page = f.read()
        self.assertIn("allocs/iter: 1 → 2 (+1, +100.0%)", page)
        self.assertIn("bytes/iter: 100 → 128 (+28, +28.0%)", page)
        self.assertIn('class="bar cont up"', page)  # the regression, in red
        self.assertIn("<h2>" + ADDED + '<span class="badge ">only in '
                      "contender</span></h2>", page)


class BadInputTest(unittest.TestCase):
    """Exit status 2 and a message naming the file and what is wrong."""

    def assert_bad(self, args, message):
        proc = compare(*args)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(proc.stderr, f"alloc_counter_compare: {message}\n")

    def test_missing_file(self):
        missing = os.path.join(TMP.name, "missing.json")
        self.assert_bad([missing, CONTENDER], f"{missing}: no such file")
        self.assert_bad([BASELINE, missing], f"{missing}: no such file")

    def test_not_json(self):
        path = os.path.join(TMP.name, "console.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("BM_Grows/iterations:100   33.1 ns   20.6 ns   100\n")
        self.assert_bad([BASELINE, path],
                        f"{path}: not JSON: Expecting value at line 1, "
                        "column 1")

    def test_no_benchmarks(self):
        empty = write_json("empty.json", {"context": {}, "benchmarks": []})
        self.assert_bad([empty, CONTENDER],
                        f'{empty}: no benchmarks: its "benchmarks" list is '
                        "empty")
        other = write_json("other.json", [1, 2, 3])
        self.assert_bad([BASELINE, other],
                        f'{other}: not Google Benchmark JSON output: no '
                        '"benchmarks" list (write it with '
                        "--benchmark_out=FILE --benchmark_out_format=json)")

    def test_no_memory_fields(self):
        plain = without(CONTENDER, MEMORY_FIELDS, "plain.json")
        self.assert_bad([BASELINE, plain],
                        f"{plain}: no memory fields: no benchmark has "
                        "allocs/iter (alloc_counter's column) or "
                        "allocs_per_iter (Google Benchmark's MemoryManager "
                        "field); link the benchmark with //alloc_counter:main "
                        "or //alloc_counter")

    def test_bad_arguments_exit_2(self):
        for args in ([BASELINE], [BASELINE, CONTENDER, "--max-increase=-1"],
                     [BASELINE, CONTENDER, "--max-increase=lots"],
                     [BASELINE, CONTENDER, "--format=xml"],
                     [BASELINE, CONTENDER, "--filter=("]):
            with self.subTest(args=args[1:]):
                proc = compare(*args)
                self.assertEqual(proc.returncode, 2)
                self.assertIn("usage: alloc_counter_compare", proc.stderr)

    def test_help_says_the_limit_is_relative(self):
        proc = compare("--help")
        self.assertEqual(proc.returncode, 0)
        text = " ".join(proc.stdout.split())
        self.assertIn("relative to the baseline's value, in percent", text)
        self.assertIn("Default 0: any increase fails", text)


class SitesFixtureTest(unittest.TestCase):
    """A hand-written JSON with alloc_sites and size histograms, and times,
    so that the whole table is known."""

    def test_whole_table(self):
        proc = compare(SITES_BASELINE, SITES_CONTENDER)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.splitlines()[2:], [
            "-" * 76,
            "             allocs/iter       bytes/iter       peak bytes    "
            "time",
            "Benchmark  old  new  delta  old  new  delta  old  new  delta  "
            "change  status",
            "-" * 76,
            "BM_Parse     3    4     +1  240  288    +48  160  208    +48  "
            "+10.0%  REGRESSION",
            "BM_Lookup    1    1      0  100  100      0  100  100      0  "
            "-10.0%",
            "BM_Odd       1    1      0   16   16      0   16   16      0   "
            "+0.0%",
            "-" * 76,
            "1 regression: allocs/iter or bytes/iter grew by more than 0% "
            "(--max-increase):",
            "  BM_Parse: allocs/iter 3 -> 4 (+33.3%), bytes/iter 240 -> 288 "
            "(+20.0%)",
            "Benchmarks: 3 compared.",
            "Time: cpu_time (real_time for /real_time), for context; not "
            "gated.",
        ])

    def test_html_has_sites_and_histogram(self):
        proc, page = compare_html(SITES_BASELINE, SITES_CONTENDER,
                                  "sites.html")
        self.assertEqual(proc.returncode, 1)
        # Sites matched by their frames, the new one marked; each frame a
        # line of its short name and where it is, its full name the title.
        self.assertIn('<td class="frame"><span class="tag">new</span><div '
                      'class="fl" title="std::__cxx11::basic_string&lt;char&gt;'
                      '::_M_create\nat /usr/include/c++/12/bits/'
                      'basic_string.tcc:141"><span class="fn">'
                      "std::basic_string&lt;…&gt;::_M_create</span> "
                      '<span class="at">at basic_string.tcc:141</span></div>',
                      page)
        self.assertIn('<div class="fl" title="Parser::Intern(std::string_view)'
                      '\nat parser.cc:88"><span class="fn">Parser::Intern(…)'
                      '</span> <span class="at">at parser.cc:88</span></div>',
                      page)
        self.assertIn('title="std::vector&lt;Token&gt;::_M_realloc_insert\nat '
                      '/usr/include/c++/12/bits/vector.tcc:445"', page)
        # Size histograms as alloc_counter writes them: a row a bucket, with
        # the figures of both runs.
        self.assertIn('<span class="side">1–64 B</span>', page)
        self.assertIn('<span class="val">1 → 2</span>', page)
        lookup = page[page.index('id="b-BM_Lookup"'):
                      page.index('id="b-BM_Odd"')]
        self.assertIn('<span class="side">65–128 B</span>', lookup)
        # What is not understood (BM_Odd's histogram is a string) is said,
        # not fatal.
        odd = page[page.index('id="b-BM_Odd"'):]
        self.assertIn("size histogram present but not understood.", odd)
        self.assertIn("(no frames)", page)
        self.assertIn("none recorded.", page)

    def test_html_is_self_contained(self):
        for baseline, contender in ((SITES_BASELINE, SITES_CONTENDER),
                                    (STACKS_BASELINE, STACKS_CONTENDER)):
            _, page = compare_html(baseline, contender, "self_contained.html")
            page = page.lower()
            for needle in ("http:", "https:", "//cdn", "<link", " src=",
                           "url(", "@import", "@font-face"):
                self.assertNotIn(needle, page)


class StacksFixtureTest(unittest.TestCase):
    """A hand-written JSON with alloc_stacks and template-heavy names; the
    page's flame graph is checked rendered, in html_test.py."""

    def test_whole_table(self):
        proc = compare(STACKS_BASELINE, STACKS_CONTENDER)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout.splitlines()[6:8], [
            "BM_Dump      6    6      0    288  508.5  +220.5   2048   2048  "
            "    0  +10.0%  REGRESSION",
            "BM_Sizes    14   16     +2  16383  24575   +8192  16384  16384  "
            "    0  +10.0%  REGRESSION",
        ])

    def test_html_embeds_the_stacks_as_json(self):
        proc, page = compare_html(STACKS_BASELINE, STACKS_CONTENDER,
                                  "stacks.html")
        self.assertEqual(proc.returncode, 1)
        start = page.index('<script type="application/json" class="fg-data">')
        data = page[page.index(">", start) + 1:page.index("</script>", start)]
        # Nothing in it ends the <script> element early.
        self.assertNotIn("<", data)
        trees = json.loads(data)
        self.assertEqual(sorted(trees), ["baseline", "contender"])
        root = trees["contender"]["root"]
        self.assertEqual((root["n"], root["ai"], root["bi"]),
                         ("BM_Dump", "6", "508.5"))
        # Only BM_Dump has stacks.
        self.assertEqual(page.count('class="fg-data"'), 1)

    def test_stacks_not_understood_are_said(self):
        with open(STACKS_CONTENDER, encoding="utf-8") as f:
            data = json.load(f)
        data["benchmarks"][0]["alloc_stacks"] = {"iterations": 0}
        contender = write_json("bad_stacks.json", data)
        proc, page = compare_html(STACKS_BASELINE, contender,
                                  "bad_stacks.html")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        # The baseline's stacks are drawn alone.
        self.assertIn("The baseline&#x27;s stacks; the other run&#x27;s "
                      "alloc_stacks is not understood.", page)
        data["benchmarks"][0]["alloc_stacks"] = "not stacks"
        write_json("bad_stacks.json", data)
        _, page = compare_html(contender, contender, "bad_stacks.html")
        self.assertIn("alloc_stacks present but not understood.", page)


def setUpModule():
    global TMP, BASELINE, CONTENDER
    TMP = tempfile.TemporaryDirectory()
    BASELINE = run_benchmark(BASELINE_BIN,
                             os.path.join(TMP.name, "baseline.json"))
    CONTENDER = run_benchmark(CONTENDER_BIN,
                              os.path.join(TMP.name, "contender.json"))


def tearDownModule():
    TMP.cleanup()


if __name__ == "__main__":
    (TOOL, BASELINE_BIN, CONTENDER_BIN, SITES_BASELINE, SITES_CONTENDER,
     STACKS_BASELINE, STACKS_CONTENDER) = map(os.path.abspath, sys.argv[1:8])
    del sys.argv[1:8]
    unittest.main()

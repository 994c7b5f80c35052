# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The command line of alloc_counter_compare."""

import argparse
import math
import os
import re
import sys

from . import config
from . import export
from . import html_report
from . import json_report
from . import markdown
from . import text
from .comparison import compare
from .load import load_run
from .model import EXIT_BAD_INPUT
from .model import EXIT_OK
from .model import EXIT_REGRESSION
from .model import InputError
from .model import Status

def max_increase_arg(text):
    value = number_from_text(text.rstrip("%").strip())
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a percentage >= 0 (e.g. 0, 5, 12.5%)")
    return value


def number_from_text(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def filter_arg(text):
    negate = text.startswith("-")
    try:
        pattern = re.compile(text[1:] if negate else text)
    except re.error as e:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a regular expression: {e}") from None
    if negate:
        return lambda name: not pattern.search(name)
    return lambda name: bool(pattern.search(name))


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="alloc_counter_compare",
        usage="%(prog)s [options] BASELINE.json CONTENDER.json\n"
        "       %(prog)s --export=FORMAT [--filter=REGEX] RUN.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compares the heap allocations of two Google Benchmark "
        "runs (JSON written with --benchmark_out=FILE "
        "--benchmark_out_format=json) and fails when allocs/iter or "
        "bytes/iter grew; or, with --export, writes one run's figures for a "
        "dashboard.",
        epilog="""\
figures: alloc_counter's columns allocs/iter, bytes/iter and peak_bytes, or
  else Google Benchmark's native fields allocs_per_iter,
  total_allocated_bytes / min(16, iterations) and max_bytes_used.
matching: benchmarks are matched by name (run_name). With repetitions, the
  mean aggregate is compared (figures it lacks: the average of the
  repetitions). A benchmark on one side only is listed, not an error, and
  never a regression. Time is cpu_time (real_time for /real_time and
  /manual_time benchmarks), shown for context and never gated.
sites: for each regression whose runs both have alloc_sites
  (--alloc_counter_sites=N), the sites that appeared or grew, then those
  that shrank or vanished, the largest change first; sites are matched by
  the functions and files of their frames, not by line.
configuration: runs whose context differs in alloc_counter_mode,
  alloc_counter_paused or alloc_counter_c_allocator are not compared (exit
  2) unless --allow-config-change; a different library_version or
  alloc_counter_version, or a field in one file only, is a warning.

exit status:
  0  no regression
  1  allocs/iter or bytes/iter of some benchmark grew by more than
     --max-increase
  2  bad input (a missing or unreadable file, not JSON, no benchmarks, no
     memory fields, a --filter that matches nothing), runs counted
     differently, or bad arguments""")
    parser.add_argument("baseline", metavar="BASELINE.json", nargs="?",
                        help="the run before the change (with --export, "
                        "RUN.json: the run to export)")
    parser.add_argument("contender", metavar="CONTENDER.json", nargs="?",
                        help="the run with the change")
    parser.add_argument(
        "--max-increase", type=max_increase_arg, default=None,
        metavar="PERCENT",
        help="largest allowed growth of allocs/iter and of bytes/iter, each "
        "relative to the baseline's value, in percent ('10' or '10%%'). "
        "Default 0: any increase fails, as the counts are exact. A growth "
        "from 0 is always a regression, whatever the limit. Peak bytes and "
        "time are never gated.")
    parser.add_argument(
        "--filter", type=filter_arg, default=None, metavar="REGEX",
        help="compare (or export) only benchmarks whose name matches REGEX "
        "(Python re, "
        "searched anywhere in the name); a leading '-' compares those that "
        "do not match, as --benchmark_filter. Write --filter=-REGEX.")
    parser.add_argument(
        "--format", choices=("text", "markdown", "json"), default=None,
        help="text: a plain table (default); markdown: for pull-request "
        "comments; json: for programs")
    parser.add_argument(
        "--html", metavar="OUT.html",
        help="also write a self-contained HTML report (bars per benchmark, "
        "and flame graphs of the allocation stacks, size histograms and top "
        "allocation sites when the JSON has them)")
    parser.add_argument(
        "--allow-config-change", action="store_true",
        help="compare runs whose alloc_counter_mode, alloc_counter_paused or "
        "alloc_counter_c_allocator differ (refused by default: they count "
        "different things), with a warning")
    parser.add_argument(
        "--export", choices=export.FORMATS,
        help="write the figures of one run (RUN.json, the only file "
        "argument) as JSON for a dashboard: bmf, the Bencher Metric Format "
        "(bencher run --adapter json); github-action-benchmark, the input "
        "of its tool customSmallerIsBetter. Iteration rows only (with "
        "repetitions, their average); aggregates and failed benchmarks are "
        "left out.")
    args = parser.parse_args(argv)
    if args.export:
        if args.baseline is None or args.contender is not None:
            parser.error("--export reads one JSON file, RUN.json")
        for flag, given in (("--format", args.format is not None),
                            ("--html", args.html is not None),
                            ("--max-increase", args.max_increase is not None),
                            ("--allow-config-change",
                             args.allow_config_change)):
            if given:
                parser.error(f"--export takes no {flag}")
    elif args.contender is None:
        parser.error("two JSON files are needed, BASELINE.json and "
                     "CONTENDER.json (or --export=FORMAT and one)")
    args.format = args.format or "text"
    if args.max_increase is None:
        args.max_increase = 0.0
    args.filter = args.filter or (lambda name: True)
    return args


def run_export(args):
    """--export: one run's figures, as JSON for a dashboard, on stdout."""
    run = load_run(args.baseline, aggregates=False)
    benchmarks = [fig for name, fig in run["benchmarks"].items()
                  if args.filter(name)]
    if not benchmarks:
        raise InputError(args.baseline, "no benchmark name matches --filter")
    sys.stdout.write(export.render_export(args.export, benchmarks))
    return EXIT_OK


def check_config(baseline, contender, allowed):
    """Prints the differences of the runs' settings (config.check) on
    stderr; False when they refuse the comparison."""
    refusals, warnings = config.check(baseline, contender)
    for line in warnings:
        print(f"alloc_counter_compare: {line}", file=sys.stderr)
    for line in refusals:
        if allowed:
            line = f"warning: {line}; compared as --allow-config-change allows"
        else:
            line += "; not compared (--allow-config-change compares anyway)"
        print(f"alloc_counter_compare: {line}", file=sys.stderr)
    return allowed or not refusals


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Under `bazel run`, relative paths are the user's, not the runfiles'.
    if os.environ.get("BUILD_WORKING_DIRECTORY"):
        os.chdir(os.environ["BUILD_WORKING_DIRECTORY"])
    try:
        if args.export:
            return run_export(args)
        baseline = load_run(args.baseline)
        contender = load_run(args.contender)
        if not check_config(baseline, contender, args.allow_config_change):
            return EXIT_BAD_INPUT
        comparisons = compare(baseline, contender, args.filter,
                              args.max_increase)
        if not comparisons:
            raise InputError(
                f"{args.baseline}, {args.contender}",
                "no benchmark name matches --filter")
    except InputError as e:
        print(f"alloc_counter_compare: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    render = {"text": text.render_text, "markdown": markdown.render_markdown,
              "json": json_report.render_json}[args.format]
    sys.stdout.write(render(comparisons, baseline, contender,
                            args.max_increase))
    if args.html:
        try:
            with open(args.html, "w", encoding="utf-8") as f:
                f.write(html_report.render_html(comparisons, baseline, contender,
                                    args.max_increase))
        except OSError as e:
            print(f"alloc_counter_compare: {args.html}: cannot write it: {e}",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
    if any(c.status == Status.REGRESSION for c in comparisons):
        return EXIT_REGRESSION
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

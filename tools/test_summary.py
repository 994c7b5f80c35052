#!/usr/bin/env python3
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Counts the targets of a test run as passed, skipped or failed.

    tools/test_summary.py --testlogs DIR BAZEL_OUTPUT
    tools/test_summary.py --ctest CTEST_OUTPUT

BAZEL_OUTPUT is what `bazel test` printed; DIR is its `bazel-testlogs`
directory (`bazel info bazel-testlogs`, with the same options). Bazel calls a
test that skipped some of its cases PASSED; this reads each passed target's
test.log and counts it as skipped instead when any case was skipped:

  GoogleTest   `[  SKIPPED ] N tests, listed below:`, with each skip's message
  unittest     `OK (skipped=N)`, with the reasons verbosity 2 prints
  plain main   a line `skipped: REASON` (the whole program skipped)

With --ctest, CTEST_OUTPUT is what `ctest` printed; CTest itself marks a
test skipped when its output matches the same patterns
(cmake/AllocCounterHelpers.cmake), and lists it "(Skipped)".

Prints each skipped and failed target with what it ran and why it skipped,
then one line, `N passed, N skipped, N failed`. Exits 0: the run's own exit
status says whether it failed.
"""

import argparse
import os
import re
import sys

RESULT = re.compile(
    r"^(//\S+)\s+(?:\(cached\) )?(PASSED|FAILED|TIMEOUT|NO STATUS|INCOMPLETE|"
    r"FAILED TO BUILD|FLAKY)\b", re.MULTILINE)

GTEST_RAN = re.compile(r"^\[==========\] (\d+) tests? from .* ran\.",
                       re.MULTILINE)
GTEST_SKIPPED = re.compile(r"^\[  SKIPPED \] (\d+) tests?, listed below:",
                           re.MULTILINE)
GTEST_REASON = re.compile(r"^\S+:\d+: Skipped\n(.+)$", re.MULTILINE)
UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in ", re.MULTILINE)
UNITTEST_SKIPPED = re.compile(r"^OK \(skipped=(\d+)\)$", re.MULTILINE)
UNITTEST_REASON = re.compile(r" \.\.\. skipped '(.*)'$", re.MULTILINE)
WHOLE_SKIP = re.compile(r"^skipped: (.+)$", re.MULTILINE)


def skips(log):
    """(cases skipped, cases in all, reasons) of a test log; (0, 0, []) when
    nothing was skipped, and (1, None, [reason]) for a whole-program skip."""
    whole = WHOLE_SKIP.search(log)
    if whole:
        return 1, None, [whole.group(1)]
    skipped = GTEST_SKIPPED.search(log)
    if skipped:
        ran = GTEST_RAN.search(log)
        return (int(skipped.group(1)), int(ran.group(1)) if ran else 0,
                GTEST_REASON.findall(log))
    skipped = UNITTEST_SKIPPED.search(log)
    if skipped:
        ran = UNITTEST_RAN.search(log)
        return (int(skipped.group(1)), int(ran.group(1)) if ran else 0,
                UNITTEST_REASON.findall(log))
    return 0, 0, []


CTEST_TOTAL = re.compile(r"tests passed, (\d+) tests? failed out of (\d+)")
CTEST_NOT_RUN = re.compile(r"^\s*\d+ - (\S+) \((\w[^)]*)\)$", re.MULTILINE)


def ctest_summary(text):
    """(passed, skipped, failed) lists of what ctest printed."""
    total = CTEST_TOTAL.findall(text)
    if not total:
        return [], [], ["ctest printed no result"]
    failed_count, all_count = (int(n) for n in total[-1])
    # ctest lists tests that did not pass after its result line: "(Failed)",
    # "(Timeout)", ... and "(Skipped)", which it counts as passed.
    tail = text[text.rindex("tests passed, "):]
    not_run = CTEST_NOT_RUN.findall(tail)
    skipped = [f"{name}: skipped (its output says why)"
               for name, what in not_run if what == "Skipped"]
    failed = [f"{name}: {what}" for name, what in not_run if what != "Skipped"]
    if len(failed) != failed_count:
        failed.append(f"ctest counts {failed_count} failed, lists "
                      f"{len(failed)}")
    passed_count = all_count - len(skipped) - failed_count
    return ["passed"] * passed_count, skipped, failed


def log_path(testlogs, target):
    package, _, name = target[len("//"):].partition(":")
    return os.path.join(testlogs, package, name, "test.log")


def bazel_summary(output, testlogs):
    """(passed, skipped, failed) lists of a bazel test run."""
    passed, skipped, failed = [], [], []
    for target, status in RESULT.findall(output):
        if status != "PASSED":
            failed.append(f"{target}: {status}")
            continue
        try:
            with open(log_path(testlogs, target), errors="replace") as f:
                log = f.read()
        except OSError as e:
            failed.append(f"{target}: PASSED, but its test.log cannot be "
                          f"read: {e}")
            continue
        count, total, reasons = skips(log)
        if count == 0:
            passed.append(target)
            continue
        why = "; ".join(sorted(set(reasons))) or "no reason printed"
        if total is None:
            skipped.append(f"{target}: the whole program skipped: {why}")
        elif count == total:
            skipped.append(f"{target}: all {total} cases skipped: {why}")
        else:
            skipped.append(f"{target}: {count} of {total} cases skipped "
                           f"(the others passed): {why}")
    return passed, skipped, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--testlogs",
                        help="the bazel test run's bazel-testlogs directory")
    source.add_argument("--ctest", action="store_true",
                        help="OUTPUT is what ctest printed")
    parser.add_argument("output", help="a file holding what the run printed")
    args = parser.parse_args()
    with open(args.output, errors="replace") as f:
        output = f.read()
    if args.ctest:
        passed, skipped, failed = ctest_summary(output)
    else:
        passed, skipped, failed = bazel_summary(output, args.testlogs)
    for title, lines in (("skipped", skipped), ("failed", failed)):
        if lines:
            print(f"{title}:")
            for line in lines:
                print(f"  {line}")
    print(f"{len(passed)} passed, {len(skipped)} skipped, {len(failed)} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""alloc_counter's columns as a user reads them, in each output format.

Each reader returns {benchmark name: [row, ...]}, a row being the tuple of
the columns' values (COLUMNS order), None where a column is missing. A
column that appears twice in one row (or in the CSV header, or as a JSON
key) raises AssertionError: the readers are strict about what a user would
find confusing.
"""

import csv
import io
import json
import re

from tests import console

COLUMNS = ("allocs/iter", "bytes/iter", "peak_bytes")


def console_rows(text, prefix=""):
    """Rows of Google Benchmark's console table: every line that starts with
    `prefix` and then a benchmark name starting with BM_."""
    rows = {}
    for line in text.splitlines():
        if not line.startswith(prefix):
            continue
        match = re.match(r"(BM_\S+)\s", line[len(prefix):])
        if not match:
            continue
        values = []
        for column in COLUMNS:
            found = re.findall(r"(?:^|\s)" + re.escape(column) + r"=(\S+)",
                               line)
            if len(found) > 1:
                raise AssertionError(f"{column} appears twice in: {line}")
            values.append(console.parse_value(found[0]) if found else None)
        rows.setdefault(match.group(1), []).append(tuple(values))
    return rows


def csv_rows(text):
    """Rows of Google Benchmark's CSV output (whatever precedes its header
    line, such as a warning, is skipped)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.startswith("name,")), None)
    if start is None:
        raise AssertionError(f"no CSV header in:\n{text}")
    reader = csv.reader(io.StringIO("\n".join(lines[start:])))
    header = next(reader)
    for column in COLUMNS:
        if header.count(column) > 1:
            raise AssertionError(f"{column} appears twice in: {header}")
    rows = {}
    for record in reader:
        if len(record) != len(header):
            raise AssertionError(f"{len(record)} fields, header has "
                                 f"{len(header)}: {record}")
        row = dict(zip(header, record, strict=True))
        rows.setdefault(row["name"], []).append(tuple(
            float(row[c]) if row.get(c) else None for c in COLUMNS))
    return rows


def _unique_keys(pairs):
    keys = [key for key, _ in pairs]
    for key in set(keys):
        if keys.count(key) > 1:
            raise AssertionError(f"key {key!r} appears twice in a JSON object")
    return dict(pairs)


def json_report(text):
    """Google Benchmark's JSON report, as a dict."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def json_rows(text):
    """Rows of Google Benchmark's JSON report; see also json_report()."""
    rows = {}
    for b in json_report(text)["benchmarks"]:
        rows.setdefault(b["name"], []).append(tuple(b.get(c) for c in COLUMNS))
    return rows


def rows(text, output_format):
    """The rows of `text`, written in `output_format`: console, csv or
    json."""
    readers = {"console": console_rows, "csv": csv_rows, "json": json_rows}
    return readers[output_format](text)

# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Reading Google Benchmark JSON: the figures of each benchmark of a run."""

import json
import math
import re

from .model import InputError
from .model import TIME_UNITS_NS

def number(value):
    """`value` as a float if it is a finite JSON number, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


class Figures:
    """One benchmark of one run: its figures, and what the report shows."""

    def __init__(self, name):
        self.name = name
        self.allocs = None  # allocs/iter
        self.bytes = None  # bytes/iter
        self.peak = None  # peak bytes
        self.time_ns = None
        self.repetitions = 0
        self.error = None  # message of a benchmark that failed or was skipped
        self.sites = None  # alloc_sites, as in the file
        self.histogram = None  # size_histogram, as in the file
        self.stacks = None  # alloc_stacks, as in the file

    def has_memory(self):
        return self.allocs is not None or self.bytes is not None

    def get(self, key):
        return getattr(self, key)


def _row_figures(row):
    """(allocs, bytes, peak) of one benchmark row; None where absent."""
    allocs = number(row.get("allocs/iter"))
    bytes_ = number(row.get("bytes/iter"))
    peak = number(row.get("peak_bytes"))
    if allocs is None:
        allocs = number(row.get("allocs_per_iter"))
    if bytes_ is None:
        total = number(row.get("total_allocated_bytes"))
        iterations = number(row.get("iterations"))
        if total is not None and iterations:
            bytes_ = total / min(16.0, iterations)
    if peak is None:
        peak = number(row.get("max_bytes_used"))
    return allocs, bytes_, peak


def _row_time_ns(row):
    name = row.get("run_name") or row.get("name", "")
    field = ("real_time" if re.search(r"/(real|manual)_time(/|$)", name)
             else "cpu_time")
    value = number(row.get(field))
    scale = TIME_UNITS_NS.get(row.get("time_unit", "ns"))
    if value is None or scale is None:
        return None
    return value * scale


def _row_error(row):
    if row.get("error_occurred") or row.get("skipped"):
        return str(row.get("error_message") or row.get("skip_message")
                   or "benchmark failed")
    return None


def _average(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _figures_of(name, repetitions, mean):
    """Figures of a benchmark from its repetition rows and mean aggregate."""
    fig = Figures(name)
    fig.repetitions = len(repetitions) or int(
        number((mean or {}).get("repetitions")) or 1)
    good = [r for r in repetitions if _row_error(r) is None]
    if repetitions and not good and mean is None:
        fig.error = _row_error(repetitions[0])
        return fig
    per_rep = [_row_figures(r) for r in good]
    from_mean = _row_figures(mean) if mean is not None else (None,) * 3
    for i, key in enumerate(("allocs", "bytes", "peak")):
        value = from_mean[i]
        if value is None:
            value = _average(f[i] for f in per_rep)
        setattr(fig, key, value)
    fig.time_ns = (_row_time_ns(mean) if mean is not None else None)
    if fig.time_ns is None:
        fig.time_ns = _average(_row_time_ns(r) for r in good)
    for row in ([mean] if mean is not None else []) + good:
        if fig.sites is None and "alloc_sites" in row:
            fig.sites = row["alloc_sites"]
        if fig.histogram is None:
            fig.histogram = row.get("size_histogram")
        if fig.stacks is None:
            fig.stacks = row.get("alloc_stacks")
    return fig


def load_run(path, aggregates=True):
    """The benchmarks of one JSON file: {name: Figures}, in file order. With
    `aggregates` False, aggregate rows are left out: a benchmark's figures
    are the average of its repetition rows."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, f"cannot read it: {e}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(path, f"not JSON: {e.msg} at line {e.lineno}, "
                         f"column {e.colno}") from None
    if not isinstance(data, dict) or not isinstance(data.get("benchmarks"),
                                                    list):
        raise InputError(
            path, 'not Google Benchmark JSON output: no "benchmarks" list '
            "(write it with --benchmark_out=FILE "
            "--benchmark_out_format=json)")
    if not data["benchmarks"]:
        raise InputError(path, 'no benchmarks: its "benchmarks" list is empty')

    groups = {}  # run name -> ([repetition rows], mean row or None)
    for row in data["benchmarks"]:
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise InputError(path, "a benchmark entry without a name")
        if row.get("run_type") == "aggregate":
            if not aggregates or row.get("aggregate_name") != "mean":
                continue
            key = row.get("run_name") or re.sub(r"_mean$", "", row["name"])
            groups.setdefault(key, ([], [None]))[1][0] = row
        else:
            key = row.get("run_name") or row["name"]
            groups.setdefault(key, ([], [None]))[0].append(row)

    run = {key: _figures_of(key, reps, mean[0])
           for key, (reps, mean) in groups.items()}
    if not any(fig.has_memory() for fig in run.values()):
        raise InputError(
            path, "no memory fields: no benchmark has allocs/iter "
            "(alloc_counter's column) or allocs_per_iter (Google Benchmark's "
            "MemoryManager field); link the benchmark with "
            "//alloc_counter:main or //alloc_counter")
    return {"path": path, "context": data.get("context") or {},
            "benchmarks": run}


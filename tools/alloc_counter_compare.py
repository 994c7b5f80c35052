#!/usr/bin/env python3
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Compares the heap allocations of two Google Benchmark runs.

    alloc_counter_compare BASELINE.json CONTENDER.json [options]

Reads two files written by a benchmark binary with
`--benchmark_out=FILE --benchmark_out_format=json`, matches their benchmarks
by name, and prints, for each, allocs/iter, bytes/iter and peak bytes of both
runs with their difference, and the change in time beside them for context.
Exits with status 1 when the contender's allocs/iter or bytes/iter of any
benchmark grows by more than --max-increase, so that a CI job can fail on it.

Where the figures come from, per benchmark row:
  - alloc_counter's columns (//alloc_counter:main): the user counters
    `allocs/iter`, `bytes/iter` and `peak_bytes`;
  - otherwise Google Benchmark's native fields, which any MemoryManager
    fills: `allocs_per_iter`, `max_bytes_used`, and `total_allocated_bytes`
    divided by the memory run's iterations, min(16, iterations).
Repetitions: a benchmark run with repetitions is compared through its `mean`
aggregate row; figures the mean lacks (native fields are never aggregated)
are the average of its repetition rows. Other aggregates (median, stddev,
cv, ...) are ignored. Time is cpu_time, or real_time for benchmarks named
.../real_time or .../manual_time.

Python 3 standard library only: the file runs as it is, wherever it is
copied.
"""

import argparse
import html
import json
import math
import os
import re
import sys

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_BAD_INPUT = 2

# The figures compared, in table order: (key, label, gated by --max-increase).
METRICS = (
    ("allocs", "allocs/iter", True),
    ("bytes", "bytes/iter", True),
    ("peak", "peak bytes", False),
)

TIME_UNITS_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

# Statuses of a compared benchmark, as printed.
REGRESSION = "REGRESSION"
WITHIN_LIMIT = "increase within limit"
IMPROVED = "improved"
UNCHANGED = ""
ONLY_BASELINE = "only in baseline"
ONLY_CONTENDER = "only in contender"
NO_FIGURES = "no figures"
FAILED_BASELINE = "failed in baseline"
FAILED_CONTENDER = "failed in contender"


class InputError(Exception):
    """A file that cannot be compared; exit status 2."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")


# --------------------------------------------------------------------------
# Reading Google Benchmark JSON


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
        self.histogram = None  # the first *histogram* field, as in the file

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


def _histogram_field(row):
    for key, value in row.items():
        if "histogram" in key.lower():
            return value
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
            fig.histogram = _histogram_field(row)
    return fig


def load_run(path):
    """The benchmarks of one JSON file: {name: Figures}, in file order."""
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
            if row.get("aggregate_name") != "mean":
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


# --------------------------------------------------------------------------
# Comparing


def increase_percent(old, new):
    """Relative growth from `old` to `new` in percent; inf from 0; None if
    either is missing."""
    if old is None or new is None:
        return None
    if abs(new - old) <= 1e-9 * max(1.0, abs(old)):
        return 0.0
    if old == 0:
        return math.inf if new > 0 else -math.inf
    return (new - old) / abs(old) * 100


class Comparison:
    """One benchmark name, on one or both sides."""

    def __init__(self, name, base, cont, max_increase):
        self.name = name
        self.base = base
        self.cont = cont
        self.changes = {}  # metric key -> percent, for both-sided figures
        self.regressed = []  # labels of the gated figures that grew too much
        if base is None:
            self.status = ONLY_CONTENDER
        elif cont is None:
            self.status = ONLY_BASELINE
        elif base.error is not None:
            self.status = FAILED_BASELINE
        elif cont.error is not None:
            self.status = FAILED_CONTENDER
        elif not base.has_memory() or not cont.has_memory():
            self.status = NO_FIGURES
        else:
            grew = shrank = False
            for key, label, gated in METRICS:
                change = increase_percent(base.get(key), cont.get(key))
                self.changes[key] = change
                if change is None or not gated:
                    continue
                grew |= change > 0
                shrank |= change < 0
                if change > max_increase:
                    self.regressed.append(label)
            if self.regressed:
                self.status = REGRESSION
            elif grew:
                self.status = WITHIN_LIMIT
            elif shrank:
                self.status = IMPROVED
            else:
                self.status = UNCHANGED

    def value(self, side, key):
        fig = self.base if side == "base" else self.cont
        return None if fig is None else fig.get(key)

    def delta(self, key):
        old, new = self.value("base", key), self.value("cont", key)
        if old is None or new is None:
            return None
        d = new - old
        return 0.0 if abs(d) <= 1e-9 * max(1.0, abs(old)) else d

    def time_change(self):
        """Relative change of time in percent, or None."""
        old, new = self.value("base", "time_ns"), self.value("cont", "time_ns")
        if not old or new is None:
            return None
        return (new - old) / old * 100


def compare(baseline, contender, name_filter, max_increase):
    base, cont = baseline["benchmarks"], contender["benchmarks"]
    names = list(base) + [n for n in cont if n not in base]
    names = [n for n in names if name_filter(n)]
    return [Comparison(n, base.get(n), cont.get(n), max_increase)
            for n in names]


# --------------------------------------------------------------------------
# Formatting numbers


def fmt(value):
    """A figure exactly when it is whole, else to 4 decimals: 2, 0.0625."""
    if value is None:
        return "-"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:.3g}"


def fmt_delta(value):
    if value is None:
        return "-"
    if value == 0:
        return "0"
    return ("+" if value > 0 else "") + fmt(value)


def fmt_percent(value):
    if value is None:
        return "-"
    if math.isinf(value):
        return "new" if value > 0 else "-100%"
    return f"{value:+.1f}%"


def fmt_limit(max_increase):
    return f"{fmt(max_increase)}%"


# --------------------------------------------------------------------------
# Plain text


def _table(header_groups, header, rows, align):
    """A text table: a row of group labels over the column labels."""
    widths = [max(len(r[i]) for r in [header] + rows)
              for i in range(len(header))]
    # Widen the columns under a group label that is wider than they are.
    col = 0
    for label, span in header_groups:
        inner = sum(widths[col:col + span]) + 2 * (span - 1)
        if len(label) > inner:
            widths[col + span - 1] += len(label) - inner
        col += span

    def line(cells):
        out = []
        for cell, width, a in zip(cells, widths, align):
            out.append(cell.ljust(width) if a == "<" else cell.rjust(width))
        return "  ".join(out).rstrip()

    groups, col = [], 0
    for label, span in header_groups:
        inner = sum(widths[col:col + span]) + 2 * (span - 1)
        groups.append(label.center(inner) if span > 1 else label.ljust(inner))
        col += span
    rule = "-" * len(line(header))
    return "\n".join([rule, "  ".join(groups).rstrip(), line(header), rule] +
                     [line(r) for r in rows] + [rule])


def summary_lines(comparisons, max_increase):
    regressions = [c for c in comparisons if c.status == REGRESSION]
    limit = fmt_limit(max_increase)
    lines = []
    if regressions:
        lines.append(f"{len(regressions)} regression"
                     f"{'s' if len(regressions) != 1 else ''}: allocs/iter or "
                     f"bytes/iter grew by more than {limit} "
                     f"(--max-increase):")
        for c in regressions:
            parts = []
            for key, label, gated in METRICS:
                if gated and label in c.regressed:
                    parts.append(f"{label} {fmt(c.value('base', key))} -> "
                                 f"{fmt(c.value('cont', key))} "
                                 f"({fmt_percent(c.changes[key])})")
            lines.append(f"  {c.name}: {', '.join(parts)}")
    else:
        lines.append(f"No regression: no allocs/iter or bytes/iter grew by "
                     f"more than {limit} (--max-increase).")
    counts = {}
    for c in comparisons:
        counts[c.status] = counts.get(c.status, 0) + 1
    both = sum(counts.get(status, 0) for status in (REGRESSION, WITHIN_LIMIT,
                                                     IMPROVED, UNCHANGED))
    notes = [f"{both} compared"]
    for status in (ONLY_BASELINE, ONLY_CONTENDER, FAILED_BASELINE,
                   FAILED_CONTENDER, NO_FIGURES):
        if counts.get(status):
            notes.append(f"{counts[status]} {status}")
    lines.append("Benchmarks: " + ", ".join(notes) + ".")
    lines.append("Time: cpu_time (real_time for /real_time), for context; "
                 "not gated.")
    return lines


def render_text(comparisons, baseline, contender, max_increase):
    header_groups = [("", 1)] + [(label, 3) for _, label, _ in METRICS] + [
        ("time", 1), ("", 1)]
    header = ["Benchmark"] + ["old", "new", "delta"] * len(METRICS) + [
        "change", "status"]
    align = ["<"] + [">"] * (3 * len(METRICS) + 1) + ["<"]
    rows = []
    for c in comparisons:
        row = [c.name]
        for key, _, _ in METRICS:
            row += [fmt(c.value("base", key)), fmt(c.value("cont", key)),
                    fmt_delta(c.delta(key))]
        row += [fmt_percent(c.time_change()), c.status]
        rows.append(row)
    return "\n".join([f"baseline:  {baseline['path']}",
                      f"contender: {contender['path']}",
                      _table(header_groups, header, rows, align)] +
                     summary_lines(comparisons, max_increase)) + "\n"


# --------------------------------------------------------------------------
# Markdown


def _md_cell(c, key):
    old, new = c.value("base", key), c.value("cont", key)
    if c.base is None or c.cont is None or old is None or new is None:
        return f"{fmt(old)} → {fmt(new)}"
    if c.delta(key) == 0:
        return fmt(new)
    return f"{fmt(old)} → **{fmt(new)}** ({fmt_delta(c.delta(key))})"


def render_markdown(comparisons, baseline, contender, max_increase):
    regressions = sum(c.status == REGRESSION for c in comparisons)
    limit = fmt_limit(max_increase)
    if regressions:
        verdict = (f"**{regressions} allocation regression"
                   f"{'s' if regressions != 1 else ''}**: allocs/iter or "
                   f"bytes/iter grew by more than {limit}.")
    else:
        verdict = (f"No allocation regression: no allocs/iter or bytes/iter "
                   f"grew by more than {limit}.")
    lines = ["### alloc_counter: allocations, baseline → contender", "",
             verdict, "",
             "| Benchmark | allocs/iter | bytes/iter | peak bytes | time | |",
             "|:--|--:|--:|--:|--:|:--|"]
    for c in comparisons:
        name = c.name.replace("|", "\\|")
        status = f"**{c.status}**" if c.status == REGRESSION else c.status
        cells = [f"`{name}`"] + [_md_cell(c, key) for key, _, _ in METRICS]
        cells += [fmt_percent(c.time_change()), status]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"Baseline `{baseline['path']}`, contender "
              f"`{contender['path']}`. Time (cpu_time, real_time for "
              "/real_time) is for context and not gated."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# JSON


def render_json(comparisons, baseline, contender, max_increase):
    def side(fig):
        if fig is None:
            return None
        return {"allocs_per_iter": fig.allocs, "bytes_per_iter": fig.bytes,
                "peak_bytes": fig.peak, "time_ns": fig.time_ns,
                "repetitions": fig.repetitions, "error": fig.error}

    def finite(value):
        return None if value is None or math.isinf(value) else value

    out = {
        "baseline": baseline["path"],
        "contender": contender["path"],
        "max_increase_percent": max_increase,
        "regressions": [c.name for c in comparisons
                        if c.status == REGRESSION],
        "benchmarks": [{
            "name": c.name,
            "status": c.status or "unchanged",
            "regressed": c.regressed,
            "baseline": side(c.base),
            "contender": side(c.cont),
            "delta": {
                "allocs_per_iter": c.delta("allocs"),
                "bytes_per_iter": c.delta("bytes"),
                "peak_bytes": c.delta("peak"),
            },
            # null when the baseline is 0 (the change is then unbounded).
            "change_percent": {
                "allocs_per_iter": finite(c.changes.get("allocs")),
                "bytes_per_iter": finite(c.changes.get("bytes")),
                "peak_bytes": finite(c.changes.get("peak")),
                "time": c.time_change(),
            },
        } for c in comparisons],
    }
    return json.dumps(out, indent=2) + "\n"


# --------------------------------------------------------------------------
# HTML: one self-contained page, no network, no external resources.

CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2328;
       background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0; font-family: ui-monospace, monospace; }
h3 { font-size: 13px; margin: 12px 0 4px; color: #57606a; }
.files { color: #57606a; margin-bottom: 12px; }
.verdict { padding: 8px 12px; border-radius: 6px; margin: 12px 0;
           font-weight: 600; }
.verdict.bad { background: #ffebe9; border: 1px solid #cf222e; }
.verdict.good { background: #dafbe1; border: 1px solid #1a7f37; }
table { border-collapse: collapse; }
th, td { padding: 3px 8px; border-bottom: 1px solid #d0d7de;
         text-align: right; white-space: nowrap; }
th { background: #f6f8fa; }
td.name, th.name, td.status { text-align: left; }
td.name { font-family: ui-monospace, monospace; }
tr.regression td { background: #ffebe9; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 12px;
        margin: 16px 0; max-width: 980px; }
.card.regression { border-color: #cf222e; border-width: 2px; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px;
         border-radius: 10px; margin-left: 8px; background: #eaeef2;
         font-family: system-ui, sans-serif; vertical-align: middle; }
.badge.regression { background: #cf222e; color: #fff; }
.badge.improved { background: #1a7f37; color: #fff; }
.metrics { display: flex; gap: 24px; flex-wrap: wrap; }
.metric { width: 300px; }
.metric .title { font-weight: 600; margin: 8px 0 2px; }
.bar-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.bar-row .side { width: 68px; color: #57606a; font-size: 12px; }
.track { flex: 1; height: 14px; background: #f6f8fa; position: relative; }
.bar { display: block; height: 100%; min-width: 1px; }
.bar.base { background: #8c959f; }
.bar.cont { background: #0969da; }
.bar.cont.up { background: #cf222e; }
.bar.cont.down { background: #1a7f37; }
.bar.cont.more { background: #bf8700; }
.bar.none { display: none; }
.bar-row .val { width: 90px; font-variant-numeric: tabular-nums; }
.sites td.frame { text-align: left; font-family: ui-monospace, monospace;
                  font-size: 12px; white-space: normal; max-width: 520px; }
.sites tr.up td { background: #ffebe9; }
.note { color: #57606a; font-size: 12px; }
.hist { max-width: 640px; }
.hist .bar-row .side { width: 110px; }
label.toggle { user-select: none; }
"""

# window.onerror is installed first, so that an error in any later script
# leaves a trace in the page; the last script writes "render-check: ok" only
# when none happened (tests read it from the rendered page).
HEAD_SCRIPT = """
window.renderErrors = [];
window.onerror = function (message) {
  window.renderErrors.push(String(message));
  var marker = document.getElementById('render-check');
  if (marker) marker.textContent = 'render-check: error: ' + message;
};
"""

BODY_SCRIPT = """
(function () {
  var box = document.getElementById('only-regressions');
  function apply() {
    var items = document.querySelectorAll('[data-status]');
    for (var i = 0; i < items.length; i++) {
      items[i].hidden = box.checked &&
          items[i].getAttribute('data-status') !== 'regression';
    }
  }
  box.addEventListener('change', apply);
  apply();
  if (window.renderErrors.length === 0) {
    document.getElementById('render-check').textContent = 'render-check: ok';
  }
})();
"""


def _e(text):
    return html.escape(str(text), quote=True)


def _anchor(name):
    return "b-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _bars(rows):
    """Bar rows [(label, value, text, css)], scaled to the largest value."""
    peak = max([v for _, v, _, _ in rows if v is not None] + [0])
    out = []
    for label, value, text, css in rows:
        if value is None:
            css += " none"
        width = 0 if not peak or value is None else 100.0 * value / peak
        out.append(
            f'<div class="bar-row"><span class="side">{_e(label)}</span>'
            f'<span class="track"><span class="bar {css}" '
            f'style="width:{width:.2f}%"></span></span>'
            f'<span class="val">{_e(text)}</span></div>')
    return "".join(out)


def _metric_html(c, key, label, gated):
    old, new = c.value("base", key), c.value("cont", key)
    delta = c.delta(key)
    direction = ""
    if delta is not None and delta > 0:
        direction = " up" if (gated and label in c.regressed) else " more"
    elif delta is not None and delta < 0:
        direction = " down"
    if delta == 0:
        summary = f"{label}: {fmt(new)} (unchanged)"
    elif delta is not None:
        summary = (f"{label}: {fmt(old)} → {fmt(new)} ({fmt_delta(delta)}, "
                   f"{fmt_percent(c.changes.get(key))})")
    else:
        summary = f"{label}: {fmt(old)} → {fmt(new)}"
    rows = [("baseline", old, fmt(old), "base"),
            ("contender", new, fmt(new), "cont" + direction)]
    return (f'<div class="metric"><div class="title">{_e(summary)}</div>'
            f"{_bars(rows)}</div>")


def _frame_text(frame):
    if isinstance(frame, dict):
        function = frame.get("function") or "?"
        where = frame.get("file") or ""
        if where and frame.get("line") is not None:
            where += f":{frame.get('line')}"
        return f"{function} ({where})" if where else str(function)
    return str(frame)


def _parse_sites(raw):
    """{site key: (frames text list, allocs, bytes)} from an alloc_sites
    array; entries that are not understood are left out."""
    sites = {}
    if not isinstance(raw, list):
        return sites
    for site in raw:
        if not isinstance(site, dict):
            continue
        frames = site.get("frames")
        if not isinstance(frames, list):
            frames = []
        texts = [_frame_text(f) for f in frames] or ["(no frames)"]
        key = "\n".join(texts)
        allocs = number(site.get("allocs_per_iter"))
        bytes_ = number(site.get("bytes_per_iter"))
        if key in sites:  # the same stack twice: add up
            a, b = sites[key][1:]
            allocs = None if allocs is None and a is None else (
                (allocs or 0) + (a or 0))
            bytes_ = None if bytes_ is None and b is None else (
                (bytes_ or 0) + (b or 0))
        sites[key] = (texts, allocs, bytes_)
    return sites


def _sites_html(c, limit=10):
    raw_base = c.base.sites if c.base else None
    raw_cont = c.cont.sites if c.cont else None
    if raw_base is None and raw_cont is None:
        return ""
    base, cont = _parse_sites(raw_base), _parse_sites(raw_cont)
    keys = list(cont) + [k for k in base if k not in cont]

    def weight(k):
        b = cont.get(k, base.get(k))
        return (-(b[2] or 0), -(b[1] or 0))

    keys.sort(key=weight)
    if not keys:
        empty = all(isinstance(r, list) and not r
                    for r in (raw_base, raw_cont) if r is not None)
        return ('<h3>Top allocation sites</h3><p class="note">' +
                ("none recorded." if empty else
                 "alloc_sites present but not understood.") + "</p>")
    rows = []
    for k in keys[:limit]:
        texts = (cont.get(k) or base.get(k))[0]
        a0, b0 = (base[k][1], base[k][2]) if k in base else (None, None)
        a1, b1 = (cont[k][1], cont[k][2]) if k in cont else (None, None)
        up = (a1 or 0) > (a0 or 0) or (b1 or 0) > (b0 or 0)
        tag = (" (new)" if k not in base and c.base is not None else
               " (gone)" if k not in cont and c.cont is not None else "")
        frames = "<br>".join(_e(t) for t in texts)
        rows.append(
            f'<tr class="{"up" if up else ""}"><td class="frame">{frames}'
            f"{_e(tag)}</td><td>{fmt(a0)}</td><td>{fmt(a1)}</td>"
            f"<td>{fmt(b0)}</td><td>{fmt(b1)}</td></tr>")
    more = (f'<p class="note">{len(keys) - limit} more sites not shown.</p>'
            if len(keys) > limit else "")
    return ('<h3>Top allocation sites</h3><table class="sites"><tr>'
            '<th class="name">site (innermost frame first)</th>'
            "<th>allocs/iter old</th><th>new</th><th>bytes/iter old</th>"
            f"<th>new</th></tr>{''.join(rows)}</table>{more}")


_LOW_KEYS = ("min_bytes", "min_size", "size_min", "min", "lo", "low", "from",
             "lower", "ge")
_HIGH_KEYS = ("max_bytes", "max_size", "size_max", "max", "hi", "high", "to",
              "upper", "lt", "le")
_COUNT_KEYS = ("allocs_per_iter", "allocs", "count", "value", "n")


def _parse_histogram(raw):
    """[(bucket label, value)] from a histogram in one of the forms
    {label: n}, [[label, n]], [{label|min/max, allocs_per_iter|count}],
    {"buckets": [...]}; entries not understood are left out."""
    if isinstance(raw, dict):
        if isinstance(raw.get("buckets"), list):
            raw = raw["buckets"]
        else:
            return [(str(k), number(v)) for k, v in raw.items()
                    if number(v) is not None]
    if not isinstance(raw, list):
        return []
    out = []
    for bucket in raw:
        if isinstance(bucket, (list, tuple)) and len(bucket) == 2:
            if number(bucket[1]) is not None:
                out.append((str(bucket[0]), number(bucket[1])))
            continue
        if not isinstance(bucket, dict):
            continue
        value = next((number(bucket[k]) for k in _COUNT_KEYS
                      if number(bucket.get(k)) is not None), None)
        if value is None:
            continue
        label = bucket.get("label")
        if label is None:
            low = next((bucket[k] for k in _LOW_KEYS if k in bucket), None)
            high = next((bucket[k] for k in _HIGH_KEYS if k in bucket), None)
            size = bucket.get("size", bucket.get("bytes"))
            if low is not None and high is not None:
                label = f"{low}–{high} B"
            elif low is not None:
                label = f"≥ {low} B"
            elif high is not None:
                label = f"≤ {high} B"
            elif size is not None:
                label = f"{size} B"
            else:
                continue
        out.append((str(label), value))
    return out


def _histogram_html(c):
    raw_base = c.base.histogram if c.base else None
    raw_cont = c.cont.histogram if c.cont else None
    if raw_base is None and raw_cont is None:
        return ""
    base, cont = _parse_histogram(raw_base), _parse_histogram(raw_cont)
    labels = [l for l, _ in base] + [l for l, _ in cont
                                     if l not in dict(base)]
    if not labels:
        return ('<h3>Allocation sizes</h3><p class="note">'
                "size histogram present but not understood.</p>")
    base_d, cont_d = dict(base), dict(cont)
    rows = []
    for label in labels:
        old, new = base_d.get(label), cont_d.get(label)
        up = old is not None and new is not None and new > old
        rows.append((f"{label} old", old, fmt(old), "base"))
        rows.append((f"{label} new", new, fmt(new),
                     "cont" + (" more" if up else "")))
    return ('<h3>Allocation sizes (allocations per iteration, by requested '
            f'size)</h3><div class="hist">{_bars(rows)}</div>')


def _context_html(run):
    ctx = run["context"] if isinstance(run["context"], dict) else {}
    parts = [f"{k}: {ctx[k]}" for k in ("date", "host_name", "executable",
                                        "library_build_type") if k in ctx]
    return _e(", ".join(parts))


def render_html(comparisons, baseline, contender, max_increase):
    regressions = [c for c in comparisons if c.status == REGRESSION]
    limit = fmt_limit(max_increase)
    if regressions:
        verdict = (f'<div class="verdict bad">{len(regressions)} allocation '
                   f"regression{'s' if len(regressions) != 1 else ''}: "
                   f"allocs/iter or bytes/iter grew by more than {_e(limit)} "
                   "in " + ", ".join(_e(c.name) for c in regressions) +
                   "</div>")
    else:
        verdict = ('<div class="verdict good">No allocation regression: no '
                   f"allocs/iter or bytes/iter grew by more than {_e(limit)}"
                   "</div>")
    summary_rows = []
    for c in comparisons:
        # "regression" or "other": the class that highlights a row or card,
        # and what the "show regressions only" box filters on.
        css = "regression" if c.status == REGRESSION else "other"
        cells = "".join(f"<td>{_e(_md_cell(c, key).replace('**', ''))}</td>"
                        for key, _, _ in METRICS)
        summary_rows.append(
            f'<tr class="{css}" data-status="{css}"><td class="name">'
            f'<a href="#{_anchor(c.name)}">{_e(c.name)}</a></td>{cells}'
            f"<td>{_e(fmt_percent(c.time_change()))}</td>"
            f'<td class="status">{_e(c.status)}</td></tr>')
    cards = []
    for c in comparisons:
        css = "regression" if c.status == REGRESSION else "other"
        badge_css = {REGRESSION: "regression", IMPROVED: "improved"}.get(
            c.status, "")
        badge = (f'<span class="badge {badge_css}">{_e(c.status)}</span>'
                 if c.status else "")
        errors = "".join(
            f'<p class="note">{side}: {_e(fig.error)}</p>'
            for side, fig in (("baseline", c.base), ("contender", c.cont))
            if fig is not None and fig.error)
        metrics = "".join(_metric_html(c, key, label, gated)
                          for key, label, gated in METRICS)
        time_note = ""
        if c.time_change() is not None:
            time_note = ('<p class="note">time: '
                         f"{_e(fmt_percent(c.time_change()))} "
                         "(for context, not gated)</p>")
        cards.append(
            f'<section class="card {css}" id="{_anchor(c.name)}" '
            f'data-status="{css}"><h2>{_e(c.name)}{badge}</h2>{errors}'
            f'<div class="metrics">{metrics}</div>{time_note}'
            f"{_histogram_html(c)}{_sites_html(c)}</section>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>alloc_counter: allocations, baseline vs contender</title>
<style>{CSS}</style>
<script>{HEAD_SCRIPT}</script>
</head>
<body>
<h1>Allocations: baseline vs contender</h1>
<div class="files">
baseline: <b>{_e(baseline['path'])}</b> ({_context_html(baseline)})<br>
contender: <b>{_e(contender['path'])}</b> ({_context_html(contender)})
</div>
{verdict}
<p><label class="toggle"><input type="checkbox" id="only-regressions">
show regressions only</label></p>
<table class="summary">
<tr><th class="name">Benchmark</th><th>allocs/iter</th><th>bytes/iter</th>
<th>peak bytes</th><th>time</th><th class="name">status</th></tr>
{''.join(summary_rows)}
</table>
{''.join(cards)}
<p class="note">Generated by alloc_counter_compare. Bars: baseline grey,
contender blue; red where allocs/iter or bytes/iter grew by more than
{_e(limit)}, amber where a figure grew within the limit or is not gated
(peak bytes), green where it shrank. Time (cpu_time, real_time for
/real_time) is for context and not gated.</p>
<p id="render-check" hidden>render-check: scripts did not run</p>
<script>{BODY_SCRIPT}</script>
</body>
</html>
"""


# --------------------------------------------------------------------------
# Command line


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
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Compares the heap allocations of two Google Benchmark "
        "runs (JSON written with --benchmark_out=FILE "
        "--benchmark_out_format=json) and fails when allocs/iter or "
        "bytes/iter grew.",
        epilog="""\
figures: alloc_counter's columns allocs/iter, bytes/iter and peak_bytes, or
  else Google Benchmark's native fields allocs_per_iter,
  total_allocated_bytes / min(16, iterations) and max_bytes_used.
matching: benchmarks are matched by name (run_name). With repetitions, the
  mean aggregate is compared (figures it lacks: the average of the
  repetitions). A benchmark on one side only is listed, not an error, and
  never a regression. Time is cpu_time (real_time for /real_time and
  /manual_time benchmarks), shown for context and never gated.

exit status:
  0  no regression
  1  allocs/iter or bytes/iter of some benchmark grew by more than
     --max-increase
  2  bad input (a missing or unreadable file, not JSON, no benchmarks, no
     memory fields, a --filter that matches nothing) or bad arguments""")
    parser.add_argument("baseline", metavar="BASELINE.json",
                        help="the run before the change")
    parser.add_argument("contender", metavar="CONTENDER.json",
                        help="the run with the change")
    parser.add_argument(
        "--max-increase", type=max_increase_arg, default=0.0,
        metavar="PERCENT",
        help="largest allowed growth of allocs/iter and of bytes/iter, each "
        "relative to the baseline's value, in percent ('10' or '10%%'). "
        "Default 0: any increase fails, as the counts are exact. A growth "
        "from 0 is always a regression, whatever the limit. Peak bytes and "
        "time are never gated.")
    parser.add_argument(
        "--filter", type=filter_arg, default=None, metavar="REGEX",
        help="compare only benchmarks whose name matches REGEX (Python re, "
        "searched anywhere in the name); a leading '-' compares those that "
        "do not match, as --benchmark_filter. Write --filter=-REGEX.")
    parser.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text",
        help="text: a plain table (default); markdown: for pull-request "
        "comments; json: for programs")
    parser.add_argument(
        "--html", metavar="OUT.html",
        help="also write a self-contained HTML report (bars per benchmark, "
        "size histograms and top allocation sites when the JSON has them)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Under `bazel run`, relative paths are the user's, not the runfiles'.
    if os.environ.get("BUILD_WORKING_DIRECTORY"):
        os.chdir(os.environ["BUILD_WORKING_DIRECTORY"])
    try:
        baseline = load_run(args.baseline)
        contender = load_run(args.contender)
        comparisons = compare(baseline, contender,
                              args.filter or (lambda name: True),
                              args.max_increase)
        if not comparisons:
            raise InputError(
                f"{args.baseline}, {args.contender}",
                "no benchmark name matches --filter")
    except InputError as e:
        print(f"alloc_counter_compare: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    render = {"text": render_text, "markdown": render_markdown,
              "json": render_json}[args.format]
    sys.stdout.write(render(comparisons, baseline, contender,
                            args.max_increase))
    if args.html:
        try:
            with open(args.html, "w", encoding="utf-8") as f:
                f.write(render_html(comparisons, baseline, contender,
                                    args.max_increase))
        except OSError as e:
            print(f"alloc_counter_compare: {args.html}: cannot write it: {e}",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
    if any(c.status == REGRESSION for c in comparisons):
        return EXIT_REGRESSION
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

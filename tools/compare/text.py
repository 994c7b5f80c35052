# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Numbers as the reports print them, and the plain-text report."""

import math

from . import sites
from .model import METRICS
from .model import Status

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


def site_lines(diff):
    """The lines under a regression of its sites that changed (a
    sites.SiteDiff, or None): a row a site, its frames as the console
    prints them, the callers on `called from` lines."""
    if diff is None:
        return []
    changes = diff.rows()
    if not changes:
        return ["    allocation sites: none changed"]
    rows = [["change", "allocs/iter", "bytes/iter", "allocation site"]]
    callers = []
    for s in changes:
        labels = ([sites.other_label(s)] if s is diff.other else
                  [sites.frame_label(f) for f in s.frames] or ["(no frames)"])
        rows.append([s.status if s is not diff.other else "other",
                     f"{fmt(s.old_allocs)} -> {fmt(s.new_allocs)}",
                     f"{fmt(s.old_bytes)} -> {fmt(s.new_bytes)}", labels[0]])
        callers.append(labels[1:])
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    indent = " " * (4 + sum(widths) + 2 * 3 + 2)
    lines = []
    for i, row in enumerate(rows):
        lines.append("    " + "  ".join(
            [row[0].ljust(widths[0]), row[1].rjust(widths[1]),
             row[2].rjust(widths[2]), row[3]]))
        if i:
            lines += [f"{indent}called from {label}"
                      for label in callers[i - 1]]
    return lines


def summary_lines(comparisons, max_increase):
    regressions = [c for c in comparisons if c.status == Status.REGRESSION]
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
                if gated and key in c.regressed:
                    parts.append(f"{label} {fmt(c.value('base', key))} -> "
                                 f"{fmt(c.value('cont', key))} "
                                 f"({fmt_percent(c.changes[key])})")
            lines.append(f"  {c.name}: {', '.join(parts)}")
            lines += site_lines(sites.regression_sites(c))
    else:
        lines.append(f"No regression: no allocs/iter or bytes/iter grew by "
                     f"more than {limit} (--max-increase).")
    counts = {}
    for c in comparisons:
        counts[c.status] = counts.get(c.status, 0) + 1
    both = sum(counts.get(status, 0)
               for status in (Status.REGRESSION, Status.WITHIN_LIMIT,
                              Status.IMPROVED, Status.UNCHANGED))
    notes = [f"{both} compared"]
    for status in (Status.ONLY_BASELINE, Status.ONLY_CONTENDER,
                   Status.FAILED_BASELINE, Status.FAILED_CONTENDER,
                   Status.NO_FIGURES):
        if counts.get(status):
            notes.append(f"{counts[status]} {status.value}")
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
        row += [fmt_percent(c.time_change()), c.status.value]
        rows.append(row)
    return "\n".join([f"baseline:  {baseline['path']}",
                      f"contender: {contender['path']}",
                      _table(header_groups, header, rows, align)] +
                     summary_lines(comparisons, max_increase)) + "\n"


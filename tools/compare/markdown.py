# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The Markdown report, for pull-request comments."""

from . import sites
from .model import METRICS
from .model import Status
from .text import fmt
from .text import fmt_delta
from .text import fmt_limit
from .text import fmt_percent

def md_cell(c, key):
    old, new = c.value("base", key), c.value("cont", key)
    if c.base is None or c.cont is None or old is None or new is None:
        return f"{fmt(old)} → {fmt(new)}"
    if c.delta(key) == 0:
        return fmt(new)
    return f"{fmt(old)} → **{fmt(new)}** ({fmt_delta(c.delta(key))})"


def _code(text):
    """`text` in backticks, its pipes escaped for a table cell."""
    return "`" + str(text).replace("|", "\\|") + "`"


def site_table(c):
    """The sites of the regression `c` that changed, as a table under a
    heading (sites.regression_sites), or []."""
    diff = sites.regression_sites(c)
    if diff is None:
        return []
    head = [f"#### Allocation sites of {_code(c.name)} that changed", ""]
    changes = diff.rows()
    if not changes:
        return head + ["None.", ""]
    lines = head + ["| change | allocs/iter | bytes/iter | allocation site |",
                    "|:--|--:|--:|:--|"]
    for s in changes:
        if s is diff.other:
            where = sites.other_label(s, "→")
        else:
            labels = [sites.frame_label(f, _code) for f in s.frames]
            where = "<br>called from ".join(labels) or "(no frames)"
        lines.append(
            f"| {s.status if s is not diff.other else 'other'} | "
            f"{fmt(s.old_allocs)} → {fmt(s.new_allocs)} | "
            f"{fmt(s.old_bytes)} → {fmt(s.new_bytes)} | {where} |")
    return lines + [""]


def render_markdown(comparisons, baseline, contender, max_increase):
    regressions = sum(c.status == Status.REGRESSION for c in comparisons)
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
        status = (f"**{c.status.value}**" if c.status == Status.REGRESSION
                  else c.status.value)
        cells = [f"`{name}`"] + [md_cell(c, key) for key, _, _ in METRICS]
        cells += [fmt_percent(c.time_change()), status]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for c in comparisons:
        lines += site_table(c)
    lines += [f"Baseline `{baseline['path']}`, contender "
              f"`{contender['path']}`. Time (cpu_time, real_time for "
              "/real_time) is for context and not gated."]
    return "\n".join(lines) + "\n"


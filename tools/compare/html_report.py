# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The HTML report: one self-contained page, whose template, style sheet
and scripts are the files beside this module, read when the page is
written."""

import html
import json
import os
import re

from . import flame
from . import sites
from .load import number
from .markdown import md_cell
from .model import METRICS
from .model import Status
from .names import figure_short_names
from .text import fmt
from .text import fmt_delta
from .text import fmt_limit
from .text import fmt_percent

def _asset(name):
    """A file beside this module: the page's template, style or scripts."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name),
              encoding="utf-8") as f:
        return f.read()


def _fill(template, values):
    """`template` with each {{name}} replaced by values[name]; the page's
    style and scripts hold braces of their own, so only names in double
    braces are placeholders."""
    def value(match):
        return values[match.group(1)]
    return re.sub(r"\{\{(\w+)\}\}", value, template)


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
        direction = " up" if (gated and key in c.regressed) else " more"
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


def _frame_html(frame):
    """A frame of a site (sites.parse_sites) on one line: its short name and
    where it is, as the console prints them (`at file.cc:17`); the full name
    and path in its title."""
    full = frame["function"]
    path = str(frame.get("file") or "")
    if path and frame.get("line") is not None:
        path += f":{frame['line']}"
    at = (f' <span class="at">at {_e(sites.where(frame))}</span>'
          if frame.get("line") is not None and frame.get("file") else "")
    times = sites.repeat(frame).strip()
    rep = ""
    if times:
        rep = f' <span class="rep">{times}</span>'
        full += f"\n({times}: a recursion, shown once)"
    title = full + (f"\nat {path}" if path else "")
    return (f'<div class="fl" title="{_e(title)}"><span class="fn">'
            f"{_e(frame['short'])}</span>{rep}{at}</div>")


def _sites_html(c, limit=10):
    """The top sites of both runs, matched by sites.diff_sites: the largest
    first (bytes, then allocations: the contender's, or the baseline's of a
    site gone), a site of one run only tagged new or gone."""
    diff = sites.diff_sites(c.base, c.cont)
    if diff is None:
        return ""
    recorded = {side: fig is not None and isinstance(fig.sites, list)
                for side, fig in (("base", c.base), ("cont", c.cont))}
    rows = []  # (SiteChange, its frames as HTML)
    for s in diff.changes:
        rows.append((s, "".join(_frame_html(f) for f in s.frames) or
                     '<div class="fl">(no frames)</div>'))
    if diff.other:
        rows.append((diff.other, '<div class="fl">' +
                     _e(sites.other_label(diff.other, "→")) + "</div>"))
    if not rows:
        empty = all(isinstance(fig.sites, list) and not fig.sites
                    for fig in (c.base, c.cont)
                    if fig is not None and fig.sites is not None)
        return ('<h3>Top allocation sites</h3><p class="note">' +
                ("none recorded." if empty else
                 "alloc_sites present but not understood.") + "</p>")

    def weight(row):  # the contender's figures, the baseline's if gone
        s = row[0]
        if s.status == sites.VANISHED:
            return (-(s.old_bytes or 0), -(s.old_allocs or 0))
        return (-(s.new_bytes or 0), -(s.new_allocs or 0))

    rows.sort(key=weight)
    cells = []
    for s, lines in rows[:limit]:
        a0, a1, b0, b1 = s.old_allocs, s.new_allocs, s.old_bytes, s.new_bytes
        if not recorded["base"]:
            a0 = b0 = None
        if not recorded["cont"]:
            a1 = b1 = None
        tag = ("new" if s.status == sites.APPEARED and recorded["base"] else
               "gone" if s.status == sites.VANISHED and recorded["cont"] else
               "")
        tag = f'<span class="tag">{tag}</span>' if tag else ""
        up = s.status in (sites.APPEARED, sites.GREW) and recorded["base"]
        cells.append(
            f'<tr class="{"up" if up else ""}"><td class="frame">{tag}'
            f"{lines}</td><td>{fmt(a0)}</td><td>{fmt(a1)}</td>"
            f"<td>{fmt(b0)}</td><td>{fmt(b1)}</td></tr>")
    more = (f'<p class="note">{len(rows) - limit} more sites not shown.</p>'
            if len(rows) > limit else "")
    return ('<h3>Top allocation sites</h3><table class="sites"><tr>'
            '<th class="name">site (innermost frame first; hover a frame '
            "for its full name)</th>"
            "<th>allocs/iter old</th><th>new</th><th>bytes/iter old</th>"
            f"<th>new</th></tr>{''.join(cells)}</table>{more}")


def _bucket_label(low, high):
    """A size bucket as the console labels it: `64–127 B`, `0 B`."""
    low, high = int(low), int(high)
    return f"{low} B" if low == high else f"{low}–{high} B"


def _parse_histogram(raw):
    """[(min bytes, bucket label, allocs per iteration)] from a
    size_histogram as alloc_counter writes it: a list of {min_bytes,
    max_bytes, allocs_per_iter, bytes_per_iter}; buckets not in that form
    are left out."""
    if not isinstance(raw, list):
        return []
    out = []
    for bucket in raw:
        if not isinstance(bucket, dict):
            continue
        low, high = (number(bucket.get("min_bytes")),
                     number(bucket.get("max_bytes")))
        value = number(bucket.get("allocs_per_iter"))
        if low is None or high is None or value is None:
            continue
        out.append((low, _bucket_label(low, high), value))
    return out


def _histogram_html(c):
    """One row a bucket: its label, the baseline's bar over the
    contender's, and both figures."""
    raw_base = c.base.histogram if c.base else None
    raw_cont = c.cont.histogram if c.cont else None
    if raw_base is None and raw_cont is None:
        return ""
    base, cont = _parse_histogram(raw_base), _parse_histogram(raw_cont)
    # The buckets of both runs, smallest first.
    labels = [label for _, label in sorted({(low, label) for low, label, _ in
                                            base + cont})]
    base = {label: value for _, label, value in base}
    cont = {label: value for _, label, value in cont}
    if not labels:
        return ('<h3>Allocation sizes</h3><p class="note">'
                "size histogram present but not understood.</p>")
    peak = max(list(base.values()) + list(cont.values()) + [0])
    rows = []
    for label in labels:
        old, new = base.get(label), cont.get(label)
        up = old is not None and new is not None and new > old
        bars = ""
        for value, css in ((old, "base"), (new, "cont" + (" more" if up
                                                          else ""))):
            width = 0 if not peak or value is None else 100.0 * value / peak
            bars += (f'<span class="bar {css}{" none" if value is None else ""}'
                     f'" style="width:{width:.2f}%"></span>')
        figures = (fmt(new) if old == new else
                   f"{fmt(old)} → {fmt(new)}")
        rows.append(
            f'<div class="hist-row"><span class="side">{_e(label)}</span>'
            f'<span class="track">{bars}</span>'
            f'<span class="val">{_e(figures)}</span></div>')
    return ('<h3>Allocation sizes (allocations per iteration, by requested '
            f'size)</h3><div class="hist">{"".join(rows)}</div>')


def _script_json(value):
    """`value` as JSON that can sit in a <script> element as it is."""
    text = json.dumps(value, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def _flame_html(c, index):
    """The benchmark's allocation stacks as an icicle, drawn by the page's
    script from the tree embedded as JSON: the contender's, its frames
    coloured against the baseline's, and the baseline's."""
    raw_base = c.base.stacks if c.base else None
    raw_cont = c.cont.stacks if c.cont else None
    if raw_base is None and raw_cont is None:
        return ""
    base = (flame.build_tree(raw_base, c.name, figure_short_names(c.base))
            if raw_base is not None else None)
    cont = (flame.build_tree(raw_cont, c.name, figure_short_names(c.cont))
            if raw_cont is not None else None)
    head = ("<h3>Allocation stacks (the benchmark at the top, the frames it "
            "calls below; hover a frame for its name and figures, click it "
            "to zoom in, click the top to zoom out)</h3>")
    if base is None and cont is None:
        return (head + '<p class="note">alloc_stacks present but not '
                "understood.</p>")
    if all(tree[1].allocs == 0 for tree in (base, cont) if tree is not None):
        return head + '<p class="note">no allocations.</p>'
    data = {}
    if cont is not None:
        data["contender"] = flame.to_json(cont, base)
    if base is not None:
        data["baseline"] = flame.to_json(base)
    controls = ('width: <label><input type="radio" '
                f'name="fg-metric-{index}" value="a" checked> allocations'
                '</label> <label><input type="radio" '
                f'name="fg-metric-{index}" value="b"> bytes</label>')
    if len(data) == 2:
        controls += (' <span class="fg-sep">stacks of:</span> <label>'
                     f'<input type="radio" name="fg-side-{index}" '
                     'value="contender" checked> contender</label> <label>'
                     f'<input type="radio" name="fg-side-{index}" '
                     'value="baseline"> baseline</label>')
        legend = ("The contender's frames against the baseline's frame of "
                  "the same path (the same callers): red where it allocates "
                  "more per iteration (allocs or bytes), dark red where the "
                  "baseline has no such path, green where less, sand where "
                  "the same. Grey: [other stacks], those that did not fit "
                  "alloc_counter's table, and [deeper frames], stacks cut at "
                  "its depth.")
    else:
        side = "contender" if cont is not None else "baseline"
        other = raw_base if cont is not None else raw_cont
        legend = f"The {side}'s stacks" + (
            " (the other run has none)." if other is None else
            "; the other run's alloc_stacks is not understood.")
    return (f'{head}<div class="flame"><div class="fg-controls">{controls}'
            '</div><div class="fg-info"></div><div class="fg-graph"></div>'
            f'<p class="note">{_e(legend)}</p>'
            '<script type="application/json" class="fg-data">'
            f"{_script_json(data)}</script></div>")


def _context_html(run):
    ctx = run["context"] if isinstance(run["context"], dict) else {}
    parts = [f"{k}: {ctx[k]}" for k in ("date", "host_name", "executable",
                                        "library_build_type") if k in ctx]
    return _e(", ".join(parts))


def render_html(comparisons, baseline, contender, max_increase):
    regressions = [c for c in comparisons if c.status == Status.REGRESSION]
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
        css = "regression" if c.status == Status.REGRESSION else "other"
        cells = "".join(f"<td>{_e(md_cell(c, key).replace('**', ''))}</td>"
                        for key, _, _ in METRICS)
        summary_rows.append(
            f'<tr class="{css}" data-status="{css}"><td class="name">'
            f'<a href="#{_anchor(c.name)}">{_e(c.name)}</a></td>{cells}'
            f"<td>{_e(fmt_percent(c.time_change()))}</td>"
            f'<td class="status">{_e(c.status.value)}</td></tr>')
    cards = []
    for index, c in enumerate(comparisons):
        css = "regression" if c.status == Status.REGRESSION else "other"
        badge_css = {Status.REGRESSION: "regression", Status.IMPROVED: "improved"}.get(
            c.status, "")
        badge = (f'<span class="badge {badge_css}">{_e(c.status.value)}</span>'
                 if c.status.value else "")
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
            f"{_flame_html(c, index)}{_histogram_html(c)}{_sites_html(c)}"
            "</section>")
    return _fill(_asset("report.html"), {
        "css": _asset("report.css"),
        "head_script": _asset("report_head.js"),
        "flame_script": _asset("report_flame.js"),
        "body_script": _asset("report_body.js"),
        "baseline_path": _e(baseline["path"]),
        "baseline_context": _context_html(baseline),
        "contender_path": _e(contender["path"]),
        "contender_context": _context_html(contender),
        "verdict": verdict,
        "summary_rows": "".join(summary_rows),
        "cards": "".join(cards),
        "limit": _e(limit),
    })



# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The JSON report, for programs."""

import json
import math

from . import sites
from .model import METRICS
from .model import Status

def _figures(allocs, bytes_, **more):
    return dict(more, allocs_per_iter=allocs, bytes_per_iter=bytes_)


def site_changes(c):
    """The "site_changes" and "other_sites_change" of the regression `c`
    (sites.regression_sites): a list of the sites that changed, with their
    frames, figures and status, and the change of the "other" entries; None
    where there is no such list, or no such change."""
    diff = sites.regression_sites(c)
    if diff is None:
        return None, None
    changes = [{
        "status": s.status,
        "frames": s.frames,
        "baseline": _figures(s.old_allocs, s.old_bytes),
        "contender": _figures(s.new_allocs, s.new_bytes),
    } for s in diff.listed()]
    other = diff.other_changed()
    if other is None:
        return changes, None
    return changes, {
        "status": other.status,
        "baseline": _figures(other.old_allocs, other.old_bytes,
                             other_sites=other.other_sites[0]),
        "contender": _figures(other.new_allocs, other.new_bytes,
                              other_sites=other.other_sites[1]),
    }


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
                        if c.status == Status.REGRESSION],
        "benchmarks": [{
            "name": c.name,
            "status": c.status.value or "unchanged",
            "regressed": [label for key, label, _ in METRICS
                          if key in c.regressed],
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
            # Regressions with alloc_sites in both runs only, else null.
            **dict(zip(("site_changes", "other_sites_change"),
                       site_changes(c))),
        } for c in comparisons],
    }
    return json.dumps(out, indent=2) + "\n"


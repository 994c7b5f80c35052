# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Comparing two runs, benchmark by benchmark."""

import math

from .model import METRICS
from .model import Status

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
        self.regressed = []  # keys of the gated figures that grew too much
        if base is None:
            self.status = Status.ONLY_CONTENDER
        elif cont is None:
            self.status = Status.ONLY_BASELINE
        elif base.error is not None:
            self.status = Status.FAILED_BASELINE
        elif cont.error is not None:
            self.status = Status.FAILED_CONTENDER
        elif not base.has_memory() or not cont.has_memory():
            self.status = Status.NO_FIGURES
        else:
            grew = shrank = False
            for key, _, gated in METRICS:
                change = increase_percent(base.get(key), cont.get(key))
                self.changes[key] = change
                if change is None or not gated:
                    continue
                grew |= change > 0
                shrank |= change < 0
                if change > max_increase:
                    self.regressed.append(key)
            if self.regressed:
                self.status = Status.REGRESSION
            elif grew:
                self.status = Status.WITHIN_LIMIT
            elif shrank:
                self.status = Status.IMPROVED
            else:
                self.status = Status.UNCHANGED

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


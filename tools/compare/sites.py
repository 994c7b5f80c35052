# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The allocation sites of a benchmark in two runs, matched, and what
changed: the one diff that every report shows.

A site of `alloc_sites` is a stack of frames, innermost first. Two runs'
sites are the same site when their frames name the same functions in the
same files, whatever their lines: an edit above a site moves its line, and
must not read as one site vanishing and another appearing. Where one run has
several sites of the same functions and files (two allocations in one
function), those of the same lines are paired first, then the rest, those
with the same figures first, then those whose lines are nearest. The
"other" entry (the sites outside alloc_counter's top N) is not a site; its
change is kept beside the sites'.
"""

from .load import number
from .names import figure_short_names
from .names import frame_short

APPEARED = "appeared"
GREW = "grew"
SHRANK = "shrank"
VANISHED = "vanished"
UNCHANGED = "unchanged"


class Site:
    """One entry of alloc_sites: its frames (dicts with "function",
    "short", "file", "line" where known, and "repeated" of a recursion),
    allocs/iter and bytes/iter (None where the file has no number), and the
    number of sites of an "other" entry (None for a site)."""

    def __init__(self, frames, allocs, bytes_, other_sites=None):
        self.frames = frames
        self.allocs = allocs
        self.bytes = bytes_
        self.other_sites = other_sites

    def key(self):
        """What matches a site between runs: functions and files."""
        return tuple((f["function"], f.get("file")) for f in self.frames)

    def lines(self):
        return tuple(f.get("line") for f in self.frames)


class SiteChange:
    """A site of either run or both: its frames (the contender's, or the
    baseline's for a site only there), its figures in both runs (0 in a run
    without it) and its status. For the "other" entries, `other_sites` is
    their numbers of sites in both runs (0 in a run without one)."""

    def __init__(self, old, new):
        self.frames = new.frames if new else old.frames
        self.other_sites = tuple((s.other_sites or 0) if s else 0
                                 for s in (old, new))
        self.old_allocs = old.allocs if old else 0.0
        self.new_allocs = new.allocs if new else 0.0
        self.old_bytes = old.bytes if old else 0.0
        self.new_bytes = new.bytes if new else 0.0
        if old is None:
            self.status = APPEARED
        elif new is None:
            self.status = VANISHED
        elif (_more(self.old_allocs, self.new_allocs) or
              _more(self.old_bytes, self.new_bytes)):
            self.status = GREW
        elif (_more(self.new_allocs, self.old_allocs) or
              _more(self.new_bytes, self.old_bytes)):
            self.status = SHRANK
        else:
            self.status = UNCHANGED

    def weight(self):
        """Largest change first: |change| of allocs/iter, then bytes/iter."""
        return (-abs((self.new_allocs or 0) - (self.old_allocs or 0)),
                -abs((self.new_bytes or 0) - (self.old_bytes or 0)))


class SiteDiff:
    """The sites of a benchmark in both runs: `changes`, a SiteChange per
    site of either run (sites of a run without alloc_sites are all
    appeared or vanished), and `other`, the SiteChange of the "other"
    entries, or None when neither run has one."""

    def __init__(self, changes, other):
        self.changes = changes
        self.other = other

    def listed(self):
        """What the reports list: the sites that appeared or grew, then
        those that shrank or vanished, the largest change first in each."""
        up = [s for s in self.changes if s.status in (APPEARED, GREW)]
        down = [s for s in self.changes if s.status in (SHRANK, VANISHED)]
        return (sorted(up, key=SiteChange.weight) +
                sorted(down, key=SiteChange.weight))

    def other_changed(self):
        """The SiteChange of the "other" entries if it changed, else
        None."""
        if self.other is None or self.other.status == UNCHANGED:
            return None
        return self.other

    def rows(self):
        """What the text and Markdown reports show: listed(), then the
        "other" entries when they changed."""
        return self.listed() + ([self.other] if self.other_changed() else [])


def _more(old, new):
    """Whether `new` is more than `old`, beyond rounding."""
    if old is None or new is None:
        return False
    return new - old > 1e-9 * max(1.0, abs(old))


def _frame(frame, shorts):
    if not isinstance(frame, dict):
        frame = {"function": str(frame)}
    out = {"function": str(frame.get("function") or frame.get("short") or
                           "?"),
           "short": frame_short(frame, shorts)}
    if frame.get("file") is not None:
        out["file"] = str(frame["file"])
    if frame.get("line") is not None:
        line = frame["line"]
        out["line"] = line if isinstance(line, int) else str(line)
    for field in ("repeated", "repeated_cut"):
        if frame.get(field) is not None:
            out[field] = frame[field]
    return out


def parse_sites(raw, shorts):
    """([Site], the "other" Site or None) of an alloc_sites array, with
    `shorts` for names without a "short"; the same stack twice is one site,
    its figures added up; entries that are not objects are left out."""
    sites, other = {}, None
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        frames = entry.get("frames")
        frames = ([_frame(f, shorts) for f in frames]
                  if isinstance(frames, list) else [])
        site = Site(frames, number(entry.get("allocs_per_iter")),
                    number(entry.get("bytes_per_iter")))
        if not frames and number(entry.get("other_sites")) is not None:
            site.other_sites = int(number(entry["other_sites"]))
            other = site
            continue
        same = (site.key(), site.lines())
        if same in sites:
            first = sites[same]
            first.allocs = _sum(first.allocs, site.allocs)
            first.bytes = _sum(first.bytes, site.bytes)
        else:
            sites[same] = site
    return list(sites.values()), other


def _sum(a, b):
    return None if a is None and b is None else (a or 0) + (b or 0)


def _distance(old, new):
    """How far apart two sites of the same key are: (figures differ, sum
    of the line differences of their frames)."""
    lines = sum(abs(a - b) for a, b in zip(old.lines(), new.lines())
                if isinstance(a, int) and isinstance(b, int))
    return ((old.allocs, old.bytes) != (new.allocs, new.bytes), lines)


def _match(olds, news):
    """[(old Site or None, new Site or None)], sites of the same key
    paired: same lines first, then nearest."""
    pairs = []
    news = list(news)
    rest = []
    for old in olds:
        same = next((n for n in news if n.lines() == old.lines()), None)
        if same is None:
            rest.append(old)
        else:
            pairs.append((old, same))
            news.remove(same)
    candidates = sorted(
        (_distance(old, new), i, j) for i, old in enumerate(rest)
        for j, new in enumerate(news))
    used_old, used_new = set(), set()
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            pairs.append((rest[i], news[j]))
            used_old.add(i)
            used_new.add(j)
    pairs += [(old, None) for i, old in enumerate(rest) if i not in used_old]
    pairs += [(None, new) for j, new in enumerate(news) if j not in used_new]
    return pairs


def diff_sites(base, cont):
    """The SiteDiff of a benchmark's Figures in two runs (either None), or
    None when neither has alloc_sites."""
    raw_base = base.sites if base else None
    raw_cont = cont.sites if cont else None
    if raw_base is None and raw_cont is None:
        return None
    olds, old_other = parse_sites(raw_base, figure_short_names(base))
    news, new_other = parse_sites(raw_cont, figure_short_names(cont))
    keys = {}  # key -> ([old sites], [new sites]), in the contender's order
    for site in news:
        keys.setdefault(site.key(), ([], []))[1].append(site)
    for site in olds:
        keys.setdefault(site.key(), ([], []))[0].append(site)
    changes = []
    for olds_of_key, news_of_key in keys.values():
        changes += [SiteChange(old, new)
                    for old, new in _match(olds_of_key, news_of_key)]
    other = (SiteChange(old_other, new_other)
             if old_other or new_other else None)
    return SiteDiff(changes, other)


def regression_sites(c):
    """The SiteDiff that the text, Markdown and JSON reports list for the
    Comparison `c`: for a regression whose runs both have alloc_sites, else
    None."""
    if c.regressed and all(isinstance(fig.sites, list)
                           for fig in (c.base, c.cont)):
        return diff_sites(c.base, c.cont)
    return None


def frame_label(frame, code=lambda text: text):
    """A frame as the console prints it: its short name, " ×N" of a
    recursion and " at file:line"; `code` wraps the name and the place (in
    Markdown, in backticks)."""
    at = where(frame)
    return (code(frame["short"]) + repeat(frame) +
            (f" at {code(at)}" if at else ""))


def where(frame):
    """`file:line` of a frame as the console prints it (the file's base
    name), `file` without a line, or "" when unknown."""
    text = str(frame.get("file") or "").rsplit("/", 1)[-1]
    if text and frame.get("line") is not None:
        text += f":{frame['line']}"
    return text


def repeat(frame):
    """" ×N" of a frame that stands for N calls of a recursion, else ""."""
    repeated = number(frame.get("repeated"))
    if repeated is None or repeated <= 1:
        return ""
    return f" ×{int(repeated)}{'+' if frame.get('repeated_cut') else ''}"


def other_label(other, arrow="->"):
    """"other (K sites)" of the SiteChange of "other" entries, "other (K ->
    L sites)" when their numbers differ."""
    counts = other.other_sites
    text = (str(counts[1]) if counts[0] == counts[1] else
            f"{counts[0]} {arrow} {counts[1]}")
    return f"other ({text} site{'' if text == '1' else 's'})"

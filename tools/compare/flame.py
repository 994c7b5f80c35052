# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""The allocation stacks of a benchmark as a tree, for the HTML report's
flame graph (an icicle: the benchmark at the top, its callees below).

alloc_counter writes the stacks of a benchmark's memory run as
`alloc_stacks`:

    {"iterations": N,
     "frames": [{"function", "short"?, "file"?, "line"?}, ...],
     "stacks": [{"frames": [i0, ..., ik], "allocs": A, "bytes": B,
                 "truncated"?: true, "overflow"?: true}, ...]}

where a stack's frames index the frame table, outermost first, and allocs
and bytes are totals over the N iterations. build_tree() merges the stacks
into a tree whose nodes are frames by function name, each with the totals of
its subtree; consecutive frames of one function (a recursion) are one node,
`×N` in its name as in the console's sites (`×2–6` where the stacks through
it recurse 2 to 6 deep). Stacks deeper than the capture depth ("truncated":
their outermost frames are missing) hang under a node of their own,
[deeper frames], and the allocations whose stacks did not fit ("overflow")
are a node too, [other stacks], as in alloc_counter's folded stacks.
"""

from .load import number
from .names import frame_short
from .text import fmt

# The nodes that are not frames, named as in alloc_counter's folded stacks
# (--alloc_counter_folded).
TRUNCATED = "[deeper frames]"
TRUNCATED_NOTE = ("stacks deeper than alloc_counter keeps: their outermost "
                  "frames are missing")
OVERFLOW = "[other stacks]"
OVERFLOW_NOTE = ("allocations whose stacks did not fit alloc_counter's table "
                 "of stacks")


class Node:
    """A frame of the tree with the totals of its subtree."""

    def __init__(self, key, short, full, kind=""):
        self.key = key  # what merges frames: the full function name
        self.short = short
        self.full = full
        self.kind = kind  # "root", "special" or "" (a frame)
        self.where = []  # file:line of the frames merged here
        self.depths = None  # (least, greatest) recursion depth through it
        self.allocs = 0
        self.bytes = 0
        self.children = {}

    def child(self, key, short, full, kind=""):
        if key not in self.children:
            self.children[key] = Node(key, short, full, kind)
        return self.children[key]

    def name(self):
        """Its short name, with the depths of a recursion through it."""
        if self.depths is None or self.depths[1] <= 1:
            return self.short
        low, high = self.depths
        return f"{self.short} ×{high}" if low == high else (
            f"{self.short} ×{low}–{high}")

    def walk(self, path=()):
        """(path of keys below the root, node) of the subtree, depth first."""
        yield path, self
        for key, child in self.children.items():
            yield from child.walk(path + (key,))


def _frame(entry, shorts):
    """(key, short, full, where) of an entry of the frame table."""
    if not isinstance(entry, dict):
        return "?", "?", "?", ""
    full = str(entry.get("function") or entry.get("short") or "?")
    short = frame_short(entry, shorts)
    repeated = number(entry.get("repeated"))
    if repeated is not None and repeated > 1:
        times = f"×{int(repeated)}{'+' if entry.get('repeated_cut') else ''}"
        short += " " + times
        full += f" ({times}: a recursion, shown once)"
    where = str(entry.get("file") or "")
    if where and entry.get("line") is not None:
        where += f":{entry.get('line')}"
    return full, short, full, where


def build_tree(raw, name, shorts=None):
    """(iterations, root Node named `name`) of an alloc_stacks value, or None
    when it is not in the form above; `shorts` gives the short names of
    frames without a "short" (names.short_names). Stacks not in that form
    are left out."""
    if not isinstance(raw, dict):
        return None
    iterations = number(raw.get("iterations"))
    table = raw.get("frames")
    stacks = raw.get("stacks")
    if (not iterations or iterations <= 0 or not isinstance(table, list) or
            not isinstance(stacks, list)):
        return None
    frames = [_frame(entry, shorts) for entry in table]
    root = Node("", name, name, "root")
    understood = False
    for stack in stacks:
        if not isinstance(stack, dict):
            continue
        indexes = stack.get("frames")
        allocs, bytes_ = number(stack.get("allocs")), number(stack.get("bytes"))
        if (not isinstance(indexes, list) or allocs is None or
                bytes_ is None or not all(
                    isinstance(i, int) and not isinstance(i, bool) and
                    0 <= i < len(frames) for i in indexes)):
            continue
        understood = True
        path = [root]
        if stack.get("overflow"):
            path.append(root.child(OVERFLOW, OVERFLOW, OVERFLOW_NOTE,
                                   "special"))
        else:
            if stack.get("truncated"):
                path.append(root.child(TRUNCATED, TRUNCATED, TRUNCATED_NOTE,
                                       "special"))
            runs = []  # [frame index, times called in a row]
            for i in indexes:
                if runs and frames[runs[-1][0]][0] == frames[i][0]:
                    runs[-1][1] += 1
                else:
                    runs.append([i, 1])
            for i, times in runs:
                key, short, full, where = frames[i]
                node = path[-1].child(key, short, full)
                if where and where not in node.where:
                    node.where.append(where)
                node.depths = (times, times) if node.depths is None else (
                    min(node.depths[0], times), max(node.depths[1], times))
                path.append(node)
        for node in path:
            node.allocs += allocs
            node.bytes += bytes_
    if not understood and stacks:
        return None
    return iterations, root


def _per_iteration(total, iterations):
    return fmt(total / iterations)


def _grew(node, n, base, base_n):
    """"grew", "shrank" or "same": the node's allocs/iter and bytes/iter
    against its baseline's, compared exactly (totals cross-multiplied by
    the other run's iterations)."""
    pairs = [(node.allocs * base_n, base.allocs * n),
             (node.bytes * base_n, base.bytes * n)]
    if any(new > old for new, old in pairs):
        return "grew"
    if any(new < old for new, old in pairs):
        return "shrank"
    return "same"


def to_json(tree, baseline=None):
    """The tree (iterations, root) as the page's script draws it: nested
    {"n": short name, "f": full name, "w": where, "a"/"b": total allocs and
    bytes, "ai"/"bi": per iteration, as the page prints figures, "p": the
    path of full names from the root, one a line, "k": the box's class,
    "d": its baseline's figures, "c": children}. With a `baseline` tree,
    each frame's class says whether it grew against the frame of the same
    path there: "grew", "new" (not in the baseline), "shrank" or "same"."""
    n, root = tree
    base_nodes = {}
    if baseline is not None:
        base_nodes = dict(baseline[1].walk())

    def convert(node, path):
        out = {"n": node.name(), "f": node.full, "w": ", ".join(node.where),
               "a": node.allocs, "b": node.bytes,
               "ai": _per_iteration(node.allocs, n),
               "bi": _per_iteration(node.bytes, n),
               "p": "\n".join(path), "k": node.kind or "plain", "d": ""}
        if baseline is not None and node.kind != "root":
            base = base_nodes.get(path)
            if base is None:
                out["d"] = "baseline: not in its stacks"
                if node.kind != "special":
                    out["k"] = "new"
            else:
                if node.kind != "special":
                    out["k"] = _grew(node, n, base, baseline[0])
                out["d"] = (
                    f"baseline: {_per_iteration(base.allocs, baseline[0])} "
                    f"allocs/iter, {_per_iteration(base.bytes, baseline[0])} "
                    "bytes/iter")
        out["c"] = [convert(child, path + (key,))
                    for key, child in node.children.items()]
        return out

    return {"iterations": n, "root": convert(root, ())}

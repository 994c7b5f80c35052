# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Whether two runs were counted alike: the fields alloc_counter and Google
Benchmark write in the JSON's "context".

Runs whose counting mode, paused policy or C-allocator setting differ count
different things: comparing them is refused, unless --allow-config-change.
Runs of different versions of Google Benchmark or alloc_counter are compared
with a warning. A field in one file and not in the other (a file written
before alloc_counter wrote it) is a difference that cannot be ruled out: a
warning. The sites setting is not checked: it does not change the counts.
"""

# Fields whose difference refuses the comparison, and what they are.
COUNTING = (
    ("alloc_counter_mode", "counting mode"),
    ("alloc_counter_paused", "paused policy"),
    ("alloc_counter_c_allocator", "C-allocator setting"),
)
# Fields whose difference is a warning.
VERSIONS = (
    ("library_version", "Google Benchmark version"),
    ("alloc_counter_version", "alloc_counter version"),
)


def _context(run):
    ctx = run.get("context")
    return ctx if isinstance(ctx, dict) else {}


def check(baseline, contender):
    """(differences that refuse, warnings) of the loaded runs `baseline`
    and `contender`: one line each, naming the field, both values and both
    files. A refusal says what differs, for the caller to add what it
    does about it."""
    refusals, warnings = [], []
    old_ctx, new_ctx = _context(baseline), _context(contender)
    old, new = baseline["path"], contender["path"]
    for field, what in COUNTING + VERSIONS:
        if field not in old_ctx and field not in new_ctx:
            continue
        if field not in old_ctx or field not in new_ctx:
            has, lacks = (old, new) if field in old_ctx else (new, old)
            value = (old_ctx if field in old_ctx else new_ctx)[field]
            warnings.append(
                f"warning: cannot tell whether the {what} is the same: "
                f'{field} is "{value}" in {has} but missing in {lacks}')
            continue
        if old_ctx[field] == new_ctx[field]:
            continue
        line = (f'{field} is "{old_ctx[field]}" in {old} but '
                f'"{new_ctx[field]}" in {new}')
        if (field, what) in COUNTING:
            refusals.append(f"the {what} differs: {line}")
        else:
            warnings.append(f"warning: the {what} differs: {line}")
    return refusals, warnings

# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Short function names, for reading: what a report shows of a frame.

alloc_counter writes each frame's demangled name in full ("function") and,
since it learnt to, a short form beside it ("short"), the one its console
prints (ShortName() of alloc_counter/site_names.h). For JSON written before
that, short_name() makes the same short form from the full name:

    bool shop::Catalog<std::string, std::less<void> >::Add(Item const&)
        [clone .constprop.0]
    -> shop::Catalog<…>::Add(…)

Template argument lists are elided to <…> and parameter lists that are not
empty to (…), whatever they hold, except where they tell apart functions
of one benchmark's report that would otherwise read the same (overloads:
Make(int), Make(long); see short_names()); operator names (operator<,
operator<<, operator->, operator(), operator new[], conversion operators)
are kept as they are; a leading return type, ` [clone .xxx]` suffixes, `[abi:cxx11]`
tags and libstdc++'s inline namespace `std::__cxx11::` are dropped;
qualifiers after the parameters (` const`) are kept.
"""

import re

_CLONE = re.compile(r"\s*\[clone [^\]]*\]")
_ABI_TAG = re.compile(r"\[abi:[^\]]*\]")
# `operator` and the operator after it, with the spaces around it. Without
# an operator symbol it is a conversion operator (operator bool), whose type
# runs to its parameter list.
_OPERATOR = re.compile(
    r"operator(?![A-Za-z0-9_])\s*"
    r"(new\s*\[\]|delete\s*\[\]|new(?!\w)|delete(?!\w)|co_await(?!\w)|"
    r"\(\)|\[\]|->\*?|<=>|<<=|>>=|<<|>>|<=|>=|&&|\|\||\+\+|--|"
    r"[-+*/%^&|~!=<>,]=?|\"\"\s*\w+)?\s*")
_ANONYMOUS = "(anonymous namespace)"
_OPEN = {"<": ">", "(": ")", "[": "]", "{": "}"}
_CLOSE = set(_OPEN.values())


def _is_word(ch):
    return ch.isalnum() or ch == "_"


def _starts_operator(text, i):
    return (text.startswith("operator", i) and
            (i == 0 or not _is_word(text[i - 1])) and
            not _is_word(text[i + 8:i + 9]))


def _group_end(text, i):
    """The index just past the bracket that closes the one at text[i], or
    None when the brackets do not balance."""
    stack = []
    while i < len(text):
        ch = text[i]
        if _starts_operator(text, i):
            i = _OPERATOR.match(text, i).end()
            continue
        if ch == "-" and text.startswith("->", i):  # not a closing '>'
            i += 2
            continue
        if ch in _OPEN:
            stack.append(_OPEN[ch])
        elif ch in _CLOSE:
            if not stack or stack.pop() != ch:
                return None
            if not stack:
                return i + 1
        i += 1
    return None


def _elide(text, drop_return_type, keep_parameters):
    """`text` with its lists elided, or None if its brackets do not
    balance. With `drop_return_type`, what precedes a space before the
    parameter list (a return type) is dropped; with `keep_parameters`,
    parameter lists are kept, their template arguments elided."""
    out = []
    i = 0
    in_operator = False  # a conversion operator's type, up to its '('
    after_params = False  # past a parameter list: ` const` is kept
    while i < len(text):
        ch = text[i]
        if _starts_operator(text, i):
            match = _OPERATOR.match(text, i)
            symbol = match.group(1)
            out.append("operator" + (
                " " + re.sub(r"\s+", "", symbol)
                if symbol and symbol[0].isalpha() else symbol or " "))
            in_operator = symbol is None
            i = match.end()
            if symbol and symbol.endswith("<") and text.startswith("<", i):
                out.append(" ")  # operator< <int>, not operator<<
            continue
        if text.startswith(_ANONYMOUS, i):
            out.append(_ANONYMOUS)
            i += len(_ANONYMOUS)
            continue
        if ch in _OPEN:
            end = _group_end(text, i)
            if end is None:
                return None
            inner = text[i + 1:end - 1]
            if ch == "{" or (ch == "(" and keep_parameters and
                             inner.strip()):
                # {lambda(int)#1}, {unnamed type#1}, (int const&)
                inner = _elide(inner, False, keep_parameters)
                if inner is None:
                    return None
                out.append(ch + inner + _OPEN[ch])
                if ch == "(":
                    in_operator = False
                    after_params = True
            else:
                out.append(ch + ("…" if inner.strip() else "") + _OPEN[ch])
                if ch == "(":
                    in_operator = False
                    after_params = True
            i = end
            continue
        if ch == " ":
            if drop_return_type and not (in_operator or after_params):
                out = []  # all so far was a return type
            elif out and out[-1] != " ":
                out.append(" ")
            i += 1
            continue
        if ch == ":":
            after_params = False  # f(int)::Local: a name goes on
        out.append(ch)
        i += 1
    return "".join(out).strip()


def short_name(function, keep_parameters=False):
    """The short form of the demangled name `function`:

        short_name("void* Arena<Block, 64ul>::Grow(unsigned long)")
            == "Arena<…>::Grow(…)"
        short_name("void* Arena<Block, 64ul>::Grow(unsigned long)", True)
            == "Arena<…>::Grow(unsigned long)"

    A name whose brackets do not balance keeps them, less its clone
    suffixes and ABI tags."""
    text = _ABI_TAG.sub("", _CLONE.sub("", str(function))).strip()
    short = _elide(text, True, keep_parameters) or text
    return short.replace("std::__cxx11::", "std::")


def short_names(functions):
    """{function: short name} for the full names of one benchmark's report
    (the frames of its alloc_sites and alloc_stacks), as alloc_counter names
    them: short_name(), with the parameters kept where they tell apart
    functions that would otherwise read the same (overloads; not instances
    of one template, which read the same either way)."""
    functions = set(functions)
    forms = {}  # short name: its forms with parameters
    for function in functions:
        forms.setdefault(short_name(function), set()).add(
            short_name(function, True))
    return {f: short_name(f, len(forms[short_name(f)]) > 1)
            for f in functions}


def frame_short(frame, shorts=None):
    """The short name of a frame of alloc_sites or alloc_stacks: its "short"
    when alloc_counter wrote one, else shorts[its "function"] (from
    short_names()), else short_name() of it."""
    short = frame.get("short")
    if isinstance(short, str) and short:
        return short
    function = str(frame.get("function") or "?")
    return (shorts or {}).get(function) or short_name(function)


def figure_short_names(fig):
    """short_names() of the frames of one benchmark of one run (a
    load.Figures, or None): those of its alloc_sites and alloc_stacks."""
    frames = []
    if fig is not None and isinstance(fig.sites, list):
        for site in fig.sites:
            if isinstance(site, dict) and isinstance(site.get("frames"), list):
                frames += site["frames"]
    if fig is not None and isinstance(fig.stacks, dict) and isinstance(
            fig.stacks.get("frames"), list):
        frames += fig.stacks["frames"]
    return short_names(str(f.get("function") or "?") for f in frames
                       if isinstance(f, dict))

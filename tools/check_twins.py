#!/usr/bin/env python3
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks that the CMake build links every C++ target as Bazel does.

    tools/check_twins.py <bazel query --output=xml> <cmake --graphviz file>

The first file is what `bazel query --output=xml` prints for the C++ rules
of this workspace; the second, the graph CMake writes with --graphviz=<file>
for a configured build. Each Bazel rule has a CMake twin of the same name
(//alloc_counter:X is alloc_counter_X, //tests/util:X is test_util_X), and
the twin must link the twins of the rule's dependencies, no more and no
fewer. Prints each difference and exits 1 if there is any; exits 2 on a
file it cannot read.

What is compared: the direct dependencies between targets. Bazel's deps (and
a shared library named in srcs or data); CMake's link libraries that are
targets, and add_dependencies().
Linker options and libraries named alone (-lz, dl) are not targets on
either side, nor is a file of link options in Bazel's deps (*.lds); Bazel's "-lpthread" stands for CMake's Threads::Threads. A
CMake library with alwayslink is two targets, X and X_archive (see
cmake/AllocCounterHelpers.cmake): they count as one.
"""

import re
import sys
import xml.etree.ElementTree as ElementTree

# External Bazel repositories and the prefix of their CMake targets.
EXTERNAL = {
    "@com_google_benchmark//": "benchmark::",
    "@com_google_absl//": "absl::",
}
# Bazel targets whose CMake twin is named differently.
RENAMED = {
    "@com_google_googletest//:gtest": "GTest::gmock",
    "@com_google_googletest//:gtest_main": "GTest::gmock_main",
}
# Bazel targets that CMake links by library name, not as a target.
BY_NAME = {"@elfutils//:dw"}

NODE = re.compile(r'^\s*"(node\d+)" \[ label = "([^"]*)", shape = (\w+) \];$')
EDGE = re.compile(r'^\s*"(node\d+)" -> "(node\d+)"')


def cmake_name(label):
    """The name of the CMake twin of the Bazel target `label`, or None for
    a target CMake links by name."""
    if label in BY_NAME:
        return None
    if label in RENAMED:
        return RENAMED[label]
    for repository, prefix in EXTERNAL.items():
        if label.startswith(repository):
            path = label[len(repository):]
            return prefix + (path.split(":")[1] if ":" in path
                             else path.rsplit("/", 1)[1])
    package, _, name = label.lstrip("/").partition(":")
    name = name or package.rsplit("/", 1)[-1]
    if name.endswith(".so"):  # a shared library: libX.so or X.so
        name = name[:-len(".so")]
        name = name[len("lib"):] if name.startswith("lib") else name
    if package == "alloc_counter":
        return "alloc_counter" if name == "alloc_counter" else (
            "alloc_counter_" + name)
    if package == "tests/util":
        return "test_util" if name == "util" else "test_util_" + name
    return name


def bazel_graph(path):
    """{CMake name of each Bazel C++ rule: CMake names of its deps}."""
    rules = {}
    for rule in ElementTree.parse(path).getroot().iter("rule"):
        deps = set()
        own = set()
        for attribute in rule.findall("list"):
            labels = [e.get("value") for e in attribute.findall("label")]
            if attribute.get("name") == "deps":
                deps.update(labels)
            elif attribute.get("name") in ("srcs", "data"):
                own.update(l for l in labels if l.endswith(".so"))
            elif attribute.get("name") == "linkopts":
                if "-lpthread" in [e.get("value")
                                   for e in attribute.findall("string")]:
                    deps.add("Threads::Threads")
        names = {cmake_name(d) if d.startswith(("/", "@")) else d
                 for d in deps | own if not d.endswith(".lds")}
        rules[cmake_name(rule.get("name"))] = names - {None}
    return rules


def cmake_graph(path):
    """{each target of this project: the targets it links directly}."""
    names = {}
    edges = []
    with open(path) as f:
        for line in f:
            node = NODE.match(line)
            if node:
                ident, label, shape = node.groups()
                if shape != "septagon":  # not a linker option or bare name
                    names[ident] = label.split("\\n")[0]
                continue
            edge = EDGE.match(line)
            if edge:
                edges.append(edge.groups())
    graph = {}
    for source, target in edges:
        if source not in names or target not in names:
            continue
        name = names[source]
        if "::" in name:
            continue  # an imported target: not this project's
        name = name.removesuffix("_archive")
        dep = names[target]
        dep = dep.removesuffix("_archive") if "::" not in dep else dep
        if dep != name:
            graph.setdefault(name, set()).add(dep)
    for name in names.values():
        if "::" not in name:
            graph.setdefault(name.removesuffix("_archive"), set())
    return graph


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        bazel = bazel_graph(argv[1])
        cmake = cmake_graph(argv[2])
    except (OSError, ElementTree.ParseError) as e:
        print(f"check_twins.py: {e}", file=sys.stderr)
        return 2
    problems = []
    for name in sorted(bazel.keys() - cmake.keys()):
        problems.append(f"{name}: a Bazel target with no CMake twin")
    for name in sorted(cmake.keys() - bazel.keys()):
        problems.append(f"{name}: a CMake target with no Bazel twin")
    for name in sorted(bazel.keys() & cmake.keys()):
        for dep in sorted(bazel[name] - cmake[name]):
            problems.append(f"{name}: Bazel links {dep}, CMake does not")
        for dep in sorted(cmake[name] - bazel[name]):
            problems.append(f"{name}: CMake links {dep}, Bazel does not")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(bazel.keys() & cmake.keys())} C++ targets compared, "
          f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

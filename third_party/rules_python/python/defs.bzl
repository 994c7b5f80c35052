"""Offline stand-in for @rules_python//python:defs.bzl.

Each macro forwards to the rule built into Bazel, under the names that
upstream rules_python exports from this file.
"""

load(
    "@bazel_tools//tools/python:toolchain.bzl",
    _py_runtime_pair = "py_runtime_pair",
)

def py_binary(**attrs):
    native.py_binary(**attrs)  # buildifier: disable=native-py

def py_library(**attrs):
    native.py_library(**attrs)  # buildifier: disable=native-py

def py_runtime(**attrs):
    native.py_runtime(**attrs)  # buildifier: disable=native-py

def py_test(**attrs):
    native.py_test(**attrs)  # buildifier: disable=native-py

py_runtime_pair = _py_runtime_pair

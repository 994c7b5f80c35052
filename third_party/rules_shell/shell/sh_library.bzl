"""Offline stand-in for @rules_shell//shell:sh_library.bzl: the built-in sh_library."""

def sh_library(**attrs):
    native.sh_library(**attrs)  # buildifier: disable=native-sh-library

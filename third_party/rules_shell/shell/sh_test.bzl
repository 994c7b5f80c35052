"""Offline stand-in for @rules_shell//shell:sh_test.bzl: the built-in sh_test."""

def sh_test(**attrs):
    native.sh_test(**attrs)  # buildifier: disable=native-sh-test

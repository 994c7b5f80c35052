"""Offline stand-in for @rules_shell//shell:sh_binary.bzl: the built-in sh_binary."""

def sh_binary(**attrs):
    native.sh_binary(**attrs)  # buildifier: disable=native-sh-binary

"""The external repositories alloc_counter needs, for a WORKSPACE that uses it.

    local_repository(name = "alloc_counter", path = "...")  # or http_archive

    load("@alloc_counter//:deps.bzl", "alloc_counter_deps")

    alloc_counter_deps()

defines every repository alloc_counter needs that the workspace has not
defined before the call; one the workspace already defines (its own
http_archive of Google Benchmark, say) is kept:

  rules_cc, rules_java, remote_coverage_tools
      offline stand-ins for the repositories Bazel 4.2.3 would otherwise
      download (third_party/rules_cc, ...);
  rules_python, rules_shell
      stand-ins for the rule sets alloc_counter's BUILD files load py_* and
      sh_* rules from, forwarding to the rules built into Bazel;
  com_google_benchmark, com_google_absl, com_google_googletest
      Google Benchmark, Abseil and GoogleTest from Debian's libbenchmark-dev,
      libabsl-dev and libgtest-dev, under their upstream labels
      (third_party/system_libs.bzl);
  elfutils
      elfutils' libdw from Debian's libdw-dev, which names the frames of
      --alloc_counter_sites (no upstream Bazel build to mirror).

It also registers the system Python 3 as Python toolchain (for
alloc_counter_compare), after any the workspace registered before the call.
alloc_counter's own WORKSPACE calls it too.
"""

load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load(
    "//third_party:system_libs.bzl",
    "system_abseil",
    "system_benchmark",
    "system_elfutils",
    "system_googletest",
)

def _stand_in_impl(rctx):
    # The directory of the stand-in, named by its WORKSPACE file: each of its
    # entries is linked into the repository.
    source = rctx.path(rctx.attr.workspace_file).dirname
    for entry in source.readdir():
        rctx.symlink(entry, entry.basename)

_stand_in = repository_rule(
    implementation = _stand_in_impl,
    attrs = {
        "workspace_file": attr.label(
            allow_single_file = True,
            mandatory = True,
            doc = "The WORKSPACE file of a stand-in under third_party/.",
        ),
    },
    local = True,
    doc = "One of alloc_counter's offline stand-ins, as a repository.",
)

_STAND_INS = [
    "remote_coverage_tools",
    "rules_cc",
    "rules_java",
    "rules_python",
    "rules_shell",
]

# A WORKSPACE macro, which takes no name.
# buildifier: disable=unnamed-macro
def alloc_counter_deps():
    """Defines the repositories alloc_counter needs that are not defined yet."""
    for name in _STAND_INS:
        maybe(
            _stand_in,
            name = name,
            workspace_file = Label("//third_party/{}:WORKSPACE".format(name)),
        )
    maybe(system_abseil, name = "com_google_absl")
    maybe(system_benchmark, name = "com_google_benchmark")
    maybe(system_googletest, name = "com_google_googletest")
    maybe(system_elfutils, name = "elfutils")
    native.register_toolchains(str(Label("//third_party:python_toolchain")))

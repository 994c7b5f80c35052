"""The allocators the reliability tests run over, and the macro that builds a
target once per allocator. The CMake twin is allocator_matrix() in
CMakeLists.txt beside this file."""

# The C allocator under operator new: the linker options that put it there
# (Debian's libjemalloc-dev, libgoogle-perftools-dev, libmimalloc-dev;
# tools/install_deps.sh installs them). --no-as-needed keeps the library even
# with a toolchain that defaults to --as-needed and where nothing but malloc
# names it. glibc, the reference, needs none.
ALLOCATORS = {
    "glibc": [],
    "jemalloc": [
        "-Wl,--no-as-needed",
        "-ljemalloc",
    ],
    "tcmalloc": [
        "-Wl,--no-as-needed",
        "-ltcmalloc_minimal",
    ],
    "mimalloc": [
        "-Wl,--no-as-needed",
        "-lmimalloc",
    ],
}

SAME_PROGRAM = "sanitizer_same_program"

def allocator_matrix(rule, name, deps = [], suffix = "", allocators = None, tags = [], same_program = True, **kwargs):
    """One target of `rule` per allocator: <name>_<allocator><suffix>.

    Each has :allocator_<allocator> first among its deps. A test over any
    allocator but glibc is, under a sanitizer, the same program as glibc's
    (the sanitizer's allocator replaces the linked one): it is tagged
    sanitizer_same_program, which tools/run_reliability.sh leaves out,
    unless `same_program` is False (a target another tag leaves out).

    Args:
      rule: cc_test, cc_binary or a macro that takes their arguments.
      name: the name before the allocator.
      deps: the dependencies besides the allocator.
      suffix: the name after the allocator.
      allocators: the allocators, by default every one of ALLOCATORS.
      tags: tags of every target.
      same_program: whether to tag sanitizer_same_program as above.
      **kwargs: passed to `rule`.

    Returns:
      The labels of the targets, in the order of `allocators`.
    """
    labels = []
    for allocator in allocators or ALLOCATORS:
        target = "%s_%s%s" % (name, allocator, suffix)
        target_tags = list(tags)
        if same_program and allocator != "glibc" and SAME_PROGRAM not in target_tags:
            target_tags.append(SAME_PROGRAM)
        rule(
            name = target,
            deps = [":allocator_" + allocator] + deps,
            tags = target_tags,
            **kwargs
        )
        labels.append(":" + target)
    return labels

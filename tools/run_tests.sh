#!/usr/bin/env bash
# Runs alloc_counter's whole test suite, installing any missing Debian
# package first:
#   0. the formatting checks of tools/check_format.sh: buildifier over the
#      BUILD and .bzl files, clang-format over the C and C++ sources;
#   1. bazel test //...: unit, output, demo, reliability (allocators, thread
#      stress, faults, heaptrack) and overhead smoke tests;
#   2. the same suite under AddressSanitizer + UBSan and under
#      ThreadSanitizer (tools/run_reliability.sh);
#   3. the CMake build: ctest, the installed package and add_subdirectory()
#      used from another project (tools/run_cmake_tests.sh);
#   3b. a user's Bazel workspace (tests/bazel_consumer) that gets alloc_counter
#      from this checkout and everything else from its deps.bzl
#      (tools/run_bazel_consumer_tests.sh);
#   4. the CMake build and ctest against Google Benchmark 1.8.5 and 1.9.5,
#      built from the release archives in ../shared/third_party beside this
#      repository (tools/run_version_tests.sh); skipped, and said so, where
#      that directory is absent;
#   5. the CMake build and ctest with clang 16, libc++ and LLD, against
#      Google Benchmark 1.9.5, Abseil and GoogleTest built with that
#      toolchain from the same archives and Debian's GoogleTest sources
#      (tools/run_libcxx_tests.sh); skipped, and said so, where that
#      directory is absent;
#   6. the CMake build for aarch64, cross-compiled with Debian's
#      g++-aarch64-linux-gnu against Google Benchmark 1.9.5 and Abseil built
#      from the same archives, and its ctest suite run under qemu-user; only
#      the heaptrack checks and one case that qemu cannot make fail skip
#      (tools/run_aarch64_tests.sh); skipped, and said so, where that
#      directory is absent.
# Arguments go to every `bazel test`. The last line sums them all, each
# formatting check counting as one test: "N passed, N skipped, N failed". A
# test that skipped any of its cases, or that a stage left out (the
# sanitizer stages list them, with the reason), counts as skipped, never as
# passed (tools/test_summary.py).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
passed=0
skipped=0
failed=0

# Adds the last "N passed, N skipped, N failed" line of a stage's log to the
# totals; a stage that printed none counts as one failure.
add_summary() {  # add_summary <log>
  local line p s f
  if line=$(grep -E '^[0-9]+ passed, [0-9]+ skipped, [0-9]+ failed$' "$1" | tail -n 1); then
    read -r p _ s _ f _ <<<"${line//,/}"
    passed=$((passed + p))
    skipped=$((skipped + s))
    failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
}

# The checks of tools/check_format.sh to run.
format_checks=(bazel cpp)
echo "==> formatting: tools/check_format.sh ${format_checks[*]}"
for check in "${format_checks[@]}"; do
  if tools/check_format.sh "$check"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    status=1
  fi
done

echo "==> bazel test //..."
bazel test //... "$@" 2>&1 | tee "$logs/bazel.log" || status=1
python3 tools/test_summary.py --testlogs "$(bazel info bazel-testlogs)" \
  "$logs/bazel.log" | tee "$logs/bazel.summary"
add_summary "$logs/bazel.summary"

echo "==> the suite under the sanitizers"
SUITES="asan tsan" tools/run_reliability.sh "$@" 2>&1 | tee "$logs/sanitizers.log" || status=1
add_summary "$logs/sanitizers.log"

echo "==> the CMake build"
tools/run_cmake_tests.sh 2>&1 | tee "$logs/cmake.log" || status=1
add_summary "$logs/cmake.log"

echo "==> a user's Bazel workspace"
tools/run_bazel_consumer_tests.sh 2>&1 | tee "$logs/bazel_consumer.log" || status=1
add_summary "$logs/bazel_consumer.log"

# A stage that builds from the archives in ../shared/third_party, and says
# that it skipped where that directory is absent (a user's clone).
third_party_stage() {  # third_party_stage <title> <script> <log> <what it lacks>
  echo "==> $1"
  if [[ -d ../shared/third_party ]]; then
    "$2" 2>&1 | tee "$logs/$3.log" || status=1
    add_summary "$logs/$3.log"
  else
    echo "skipped: no ../shared/third_party beside this repository, so no $4"
  fi
}

third_party_stage "Google Benchmark releases in ../shared/third_party" \
  tools/run_version_tests.sh versions \
  "Google Benchmark release archives to build and test against"
third_party_stage "clang 16, libc++ and LLD, from ../shared/third_party" \
  tools/run_libcxx_tests.sh libcxx \
  "Google Benchmark and Abseil archives to build with libc++"
third_party_stage "aarch64 under qemu-user, from ../shared/third_party" \
  tools/run_aarch64_tests.sh aarch64 \
  "Google Benchmark and Abseil archives to cross-build for aarch64"

echo "${passed} passed, ${skipped} skipped, ${failed} failed"
exit "$status"

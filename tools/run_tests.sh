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
#      that directory is absent.
# Arguments go to every `bazel test`. The last line sums them all, each
# formatting check counting as one test: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
passed=0
failed=0

# Adds the last "N passed, N failed" line of a stage's log to the totals; a
# stage that printed none counts as one failure.
add_summary() {  # add_summary <log>
  local line
  if line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1); then
    passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
    failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
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
passed=$((passed + $(grep -cE '^//\S+\s+(\(cached\) )?PASSED' "$logs/bazel.log" || true)))
failed=$((failed + $(grep -cE '^//\S+\s+.*(FAILED|TIMEOUT|NO STATUS|INCOMPLETE)' "$logs/bazel.log" || true)))

echo "==> the suite under the sanitizers"
SUITES="asan tsan" tools/run_reliability.sh "$@" 2>&1 | tee "$logs/sanitizers.log" || status=1
add_summary "$logs/sanitizers.log"

echo "==> the CMake build"
tools/run_cmake_tests.sh 2>&1 | tee "$logs/cmake.log" || status=1
if line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$logs/cmake.log" | tail -n 1); then
  total=$(echo "$line" | sed -E 's/.* out of ([0-9]+).*/\1/')
  cmake_failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed.*/\1/')
  passed=$((passed + total - cmake_failed))
  failed=$((failed + cmake_failed))
else
  failed=$((failed + 1))
fi

echo "==> a user's Bazel workspace"
tools/run_bazel_consumer_tests.sh 2>&1 | tee "$logs/bazel_consumer.log" || status=1
add_summary "$logs/bazel_consumer.log"

echo "==> Google Benchmark releases in ../shared/third_party"
if [[ -d ../shared/third_party ]]; then
  tools/run_version_tests.sh 2>&1 | tee "$logs/versions.log" || status=1
  add_summary "$logs/versions.log"
else
  echo "skipped: no ../shared/third_party beside this repository, so no" \
    "Google Benchmark release archives to build and test against"
fi

echo "${passed} passed, ${failed} failed"
exit "$status"

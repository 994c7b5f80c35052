#!/usr/bin/env bash
# Builds and runs tests/bazel_consumer, a user's Bazel workspace that gets
# alloc_counter from this checkout with local_repository() and everything
# else from alloc_counter_deps() (deps.bzl), installing any missing Debian
# package first:
#   1. copy the workspace out of this tree, its local_repository() pointed at
#      this checkout;
#   2. build its benchmark (alloc_counter beside benchmark_main) and check
#      its row: exact columns, with an alloc_counter flag read;
#   3. bazel test its GoogleTest test, linked as a cc_test is by default
#      (each library a shared object of its own);
#   4. bazel run @alloc_counter//tools:alloc_counter_compare on two runs of
#      the benchmark.
# The copy and its output base live under ~/.cache/alloc_counter_consumer,
# so a second run is incremental; the Bazel server is shut down at the end.
# Ends with one line, "N passed, 0 skipped, N failed", over steps 2 to 4.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

checkout=$(pwd -P)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/alloc_counter_consumer/$(echo "$checkout" | md5sum | cut -c1-12)"
workspace="$cache/workspace"
bazel=(bazel "--output_base=$cache/output_base")
# Debian's /etc/bazel/bazelrc turns on --sandbox_debug, which floods the log.
quiet=(--nosandbox_debug)
tmp=$(mktemp -d)
trap '"${bazel[@]}" shutdown 2>/dev/null || true; rm -rf "$tmp"' EXIT
passed=0
failed=0

step() {  # step <description> <command...>: runs a check and counts it
  local description=$1
  shift
  printf '\n==> %s\n' "$description"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "run_bazel_consumer_tests.sh: FAILED: $description" >&2
    failed=$((failed + 1))
  fi
}

echo "==> copy tests/bazel_consumer to $workspace"
rm -rf "$workspace"
mkdir -p "$workspace"
cp -r tests/bazel_consumer/. "$workspace"
sed -i "s|path = \"../..\",|path = \"$checkout\",|" "$workspace/WORKSPACE"
grep -q "path = \"$checkout\"," "$workspace/WORKSPACE"
cd "$workspace"

# Each check returns at its first failing command (errexit does not apply
# inside a function called as a condition).
benchmark_row() {
  "${bazel[@]}" build "${quiet[@]}" //:consumer_benchmark || return 1
  bazel-bin/consumer_benchmark --benchmark_min_time=0.01 \
    --benchmark_color=false --alloc_counter_paused=exclude \
    >"$tmp/console.txt" || return 1
  cat "$tmp/console.txt"
  # One std::string of 100 characters per iteration: 101 bytes.
  grep -Eq '^BM_String100 .* allocs/iter=1 bytes/iter=101 peak_bytes=101$' \
    "$tmp/console.txt" ||
    { echo "expected BM_String100 ... allocs/iter=1 bytes/iter=101 peak_bytes=101" >&2; return 1; }
}

dynamic_test() {
  "${bazel[@]}" test "${quiet[@]}" //:consumer_test --test_output=all
}

compare_two_runs() {
  local run
  for run in baseline contender; do
    bazel-bin/consumer_benchmark --benchmark_min_time=0.01 \
      --benchmark_out="$tmp/$run.json" --benchmark_out_format=json \
      >/dev/null || return 1
  done
  "${bazel[@]}" run "${quiet[@]}" @alloc_counter//tools:alloc_counter_compare -- \
    "$tmp/baseline.json" "$tmp/contender.json" >"$tmp/compare.txt" || return 1
  cat "$tmp/compare.txt"
  grep -Eq '^BM_String100 +1 +1 ' "$tmp/compare.txt" ||
    { echo "expected a row BM_String100 1 1 ..." >&2; return 1; }
}

step "2/4 the benchmark: alloc_counter beside benchmark_main" benchmark_row
step "3/4 a cc_test linked dynamically, with :testing and :scope" dynamic_test
step "4/4 bazel run @alloc_counter//tools:alloc_counter_compare" compare_two_runs

echo
echo "${passed} passed, 0 skipped, ${failed} failed"
((failed == 0))

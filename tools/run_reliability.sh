#!/usr/bin/env bash
# Runs alloc_counter's reliability checks (docs/reliability.md), installing
# any missing Debian package first:
#
#   reliability   tests/reliability in the plain build: jemalloc, tcmalloc and
#                 mimalloc underneath, thread stress, faults, fork, static
#                 initialisation and exit, heaptrack's independent count;
#   asan          the whole test suite under --config=asan (ASan + UBSan);
#   tsan          the whole test suite under --config=tsan.
#
# Each sanitizer suite builds in an output base of its own (under
# ~/.cache/alloc_counter_reliability), so the three builds do not evict one
# another and a second run is incremental; their bazel servers are shut down
# at the end. Arguments go to every `bazel test`. The last line is the usual
# "N passed, N failed" over the three suites.
#
#   tools/run_reliability.sh                      # all three suites
#   SUITES="asan" tools/run_reliability.sh        # some of them
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

suites=(${SUITES:-reliability asan tsan})
workspace_id=$(pwd -P | md5sum | cut -c1-12)
bases="${XDG_CACHE_HOME:-$HOME/.cache}/alloc_counter_reliability/${workspace_id}"

# The sanitizer builds use their own output base, in which Bazel 4 would
# descend into this workspace's bazel-* convenience symlinks if asked for
# //...: name the real top-level packages instead.
whole_suite=(//:all)
for dir in */; do
  dir=${dir%/}
  [[ -L "$dir" ]] && continue
  if [[ -n $(find "$dir" \( -name BUILD -o -name BUILD.bazel \) -print -quit) ]]; then
    whole_suite+=("//${dir}/...")
  fi
done

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
started=()

# The number of test targets docs/reliability.md gives for a suite.
documented_targets() {  # documented_targets <suite>
  local pattern
  case "$1" in
    reliability) pattern='.*in the plain build (\([0-9]*\) test targets).*' ;;
    asan) pattern='.*ASan + UBSan: [0-9]* of \([0-9]*\) test targets.*' ;;
    tsan) pattern='.*TSan: [0-9]* of \([0-9]*\) test targets.*' ;;
  esac
  sed -n "s/${pattern}/\1/p" docs/reliability.md | head -n 1
}

run_suite() {
  local suite=$1
  shift
  local start=$SECONDS
  local -a bazel_cmd=(bazel) test_args=()
  case "$suite" in
    reliability)
      test_args=(//tests/reliability/...)
      ;;
    asan | tsan)
      bazel_cmd+=("--output_base=${bases}/${suite}")
      started+=("${bases}/${suite}")
      test_args=(--config="$suite" --symlink_prefix=/ "${whole_suite[@]}")
      ;;
    *)
      echo "run_reliability.sh: unknown suite '$suite' (reliability, asan, tsan)" >&2
      return 2
      ;;
  esac
  echo "=== ${suite}: ${bazel_cmd[*]} test ${test_args[*]} $*"
  local rc=0
  "${bazel_cmd[@]}" test "${test_args[@]}" "$@" 2>&1 | tee "$logs/$suite.log" || rc=$?
  local passed failed
  passed=$(grep -cE '^//\S+\s+(\(cached\) )?PASSED' "$logs/$suite.log" || true)
  failed=$(grep -cE '^//\S+\s+.*(FAILED|TIMEOUT|NO STATUS|INCOMPLETE)' "$logs/$suite.log" || true)
  # The page that lists these suites says how many targets each has: a
  # target added or removed without it counts as one more failure.
  local documented
  documented=$(documented_targets "$suite")
  if [[ "$documented" != "$((passed + failed))" ]]; then
    echo "run_reliability.sh: docs/reliability.md gives ${documented:-no} test" \
      "targets for ${suite}; this run has $((passed + failed))" | tee -a "$logs/$suite.log" >&2
    failed=$((failed + 1))
    rc=1
  fi
  echo "${suite}: ${passed} passed, ${failed} failed ($((SECONDS - start)) s)" >> "$logs/summary"
  return "$rc"
}

for suite in "${suites[@]}"; do
  run_suite "$suite" "$@" || status=$?
done

for base in "${started[@]}"; do
  bazel --output_base="$base" shutdown 2>/dev/null || true
done

echo "=== summary"
cat "$logs/summary"
awk '{ passed += $2; failed += $4 } END { printf "%d passed, %d failed\n", passed, failed }' "$logs/summary"
exit "$status"

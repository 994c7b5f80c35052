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
# at the end. The sanitizer suites leave out the targets tagged in
# SANITIZER_TAGS below, and list them with the reason. Arguments go to every
# `bazel test`.
#
# Each suite's targets are counted by tools/test_summary.py: a target that
# skipped any case counts as skipped, not passed, and so does a target left
# out. The last line sums the suites: "N passed, N skipped, N failed".
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

# The tags that leave a target out of the sanitizer suites, and why
# (tests/reliability/BUILD.bazel tags them).
declare -A SANITIZER_TAGS=(
  [sanitizer_same_program]="under a sanitizer, the same test as one that runs: the sanitizer's allocator replaces jemalloc, tcmalloc and mimalloc, and //alloc_counter:malloc is compiled out"
  [sanitizer_no_c_allocator]="tests //alloc_counter:malloc alone, which is compiled out under a sanitizer"
  [sanitizer_no_heaptrack]="runs binaries under heaptrack, which cannot run a sanitized binary (both replace malloc)"
)

# The same, as a query expression.
suite_expression=${whole_suite[*]}
suite_expression=${suite_expression// / + }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0
started=()

# The number of test targets docs/reliability.md says a suite runs.
documented_targets() {  # documented_targets <suite>
  local pattern
  case "$1" in
    reliability) pattern='.*in the plain build (\([0-9]*\) test targets).*' ;;
    asan) pattern='.*ASan + UBSan: \([0-9]*\) test targets.*' ;;
    tsan) pattern='.*TSan: \([0-9]*\) test targets.*' ;;
  esac
  sed -n "s/${pattern}/\1/p" docs/reliability.md | head -n 1
}

run_suite() {
  local suite=$1
  shift
  local start=$SECONDS
  local -a bazel_cmd=(bazel) test_args=() config=()
  local left_out=0
  case "$suite" in
    reliability)
      test_args=(//tests/reliability/...)
      ;;
    asan | tsan)
      bazel_cmd+=("--output_base=${bases}/${suite}")
      started+=("${bases}/${suite}")
      config=(--config="$suite")
      local filters="" tag targets
      for tag in "${!SANITIZER_TAGS[@]}"; do
        filters+="${filters:+,}-${tag}"
        targets=$("${bazel_cmd[@]}" query --noshow_progress \
          "attr(tags, '${tag}', tests(${suite_expression}))" 2>/dev/null)
        if [[ -n "$targets" ]]; then
          local count
          count=$(echo "$targets" | wc -l)
          left_out=$((left_out + count))
          {
            echo "left out of ${suite}, ${count} target(s):" \
              "${SANITIZER_TAGS[$tag]}:"
            echo "$targets" | sed 's/^/  /'
          } >>"$logs/$suite.left_out"
        fi
      done
      test_args=("${config[@]}" --symlink_prefix=/ --test_tag_filters="$filters"
        "${whole_suite[@]}")
      ;;
    *)
      echo "run_reliability.sh: unknown suite '$suite' (reliability, asan, tsan)" >&2
      return 2
      ;;
  esac
  echo "=== ${suite}: ${bazel_cmd[*]} test ${test_args[*]} $*"
  local rc=0
  "${bazel_cmd[@]}" test "${test_args[@]}" "$@" 2>&1 | tee "$logs/$suite.log" || rc=$?
  local testlogs line passed skipped failed
  testlogs=$("${bazel_cmd[@]}" info "${config[@]}" bazel-testlogs 2>/dev/null)
  python3 tools/test_summary.py --testlogs "$testlogs" "$logs/$suite.log" \
    | tee "$logs/$suite.summary"
  [[ -f "$logs/$suite.left_out" ]] && cat "$logs/$suite.left_out"
  line=$(tail -n 1 "$logs/$suite.summary")
  read -r passed _ skipped _ failed _ <<<"${line//,/}"
  # The page that lists these suites says how many targets each runs: a
  # target added or removed without it counts as one more failure.
  local documented ran=$((passed + skipped + failed))
  documented=$(documented_targets "$suite")
  if [[ "$documented" != "$ran" ]]; then
    echo "run_reliability.sh: docs/reliability.md gives ${documented:-no} test" \
      "targets for ${suite}; this run has ${ran}" >&2
    failed=$((failed + 1))
    rc=1
  fi
  echo "${suite}: ${passed} passed, $((skipped + left_out)) skipped" \
    "(${left_out} left out), ${failed} failed ($((SECONDS - start)) s)" >>"$logs/summary"
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
awk '{ passed += $2; skipped += $4; failed += $9 }
  END { printf "%d passed, %d skipped, %d failed\n", passed, skipped, failed }' "$logs/summary"
exit "$status"

#!/usr/bin/env bash
# Runs alloc_counter's whole test suite, installing any missing Debian
# package first. Arguments go to `bazel test`.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
bazel test //... "$@" 2>&1 | tee "$log" || status=$?

# One plain summary line: "N passed, N failed".
passed=$(grep -cE '^//\S+\s+(\(cached\) )?PASSED' "$log" || true)
failed=$(grep -cE '^//\S+\s+.*(FAILED|TIMEOUT|NO STATUS|INCOMPLETE)' "$log" || true)
echo "${passed} passed, ${failed} failed"
exit "$status"

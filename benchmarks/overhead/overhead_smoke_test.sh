#!/usr/bin/env bash
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Smoke test of the overhead benchmarks: runs each binary given as an
# argument once, briefly, and checks that it exits 0 and prints every row it
# should. Timings are not checked; tools/perf_table.py measures them.
#
# overhead_* binaries must print the rows of overhead_benchmark.cc;
# overhead_alloc_counter is also run with --alloc_counter_mode=timed and must
# show its allocs/iter column both ways. Any other binary (the plain demo
# builds) must print at least one BM_ row.
set -euo pipefail

OVERHEAD_ROWS=(
  "BM_NewDelete/16"
  "BM_NewDelete/64"
  "BM_NewDelete/4096"
  "BM_NewDeleteArray/64"
  "BM_VectorGrowth/100"
  "BM_StringAppend"
  "BM_NewDeleteThreads/64/threads:1"
  "BM_NewDeleteThreads/64/threads:2"
)

failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# check_run BINARY EXPECT_COLUMNS [ARGS...]: runs BINARY and checks its rows.
check_run() {
  local binary=$1 expect_columns=$2
  shift 2
  local name out status=0
  name=$(basename "$binary")
  out=$("$binary" --benchmark_min_time=0.001 --benchmark_color=false "$@" 2>&1) ||
    status=$?
  if ((status != 0)); then
    fail "$name $* exited with status $status:"
    echo "$out" >&2
    return
  fi
  if [[ "$name" == overhead_* ]]; then
    local row line
    for row in "${OVERHEAD_ROWS[@]}"; do
      line=$(grep -E "^${row}[[:space:]]" <<<"$out" || true)
      if [[ -z "$line" ]]; then
        fail "$name $*: no row $row"
      elif [[ "$expect_columns" == yes && "$line" != *allocs/iter=* ]]; then
        fail "$name $*: row $row has no allocs/iter column: $line"
      fi
    done
  elif ! grep -qE '^BM_' <<<"$out"; then
    fail "$name $*: no benchmark row"
    echo "$out" >&2
  fi
  echo "ran $name $*"
}

if (($# == 0)); then
  echo "usage: $0 BINARY..." >&2
  exit 2
fi

for binary in "$@"; do
  case "$(basename "$binary")" in
    overhead_alloc_counter)
      check_run "$binary" yes
      check_run "$binary" yes --alloc_counter_mode=timed
      ;;
    *)
      check_run "$binary" no
      ;;
  esac
done

if ((failures > 0)); then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "PASS"

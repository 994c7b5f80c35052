#!/usr/bin/env bash
# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
#
# Smoke test of the overhead benchmarks: runs each binary given as an
# argument once, briefly, and checks that it exits 0 and prints every row it
# should. Timings are not checked; tools/perf_table.py measures them.
#
# overhead_* binaries must print the rows of overhead_benchmark.cc. Those
# linked with alloc_counter (overhead_alloc_counter, and
# overhead_alloc_counter_malloc with the C allocator counted) are also run
# with --alloc_counter_mode=timed and must show, both ways, the exact columns
# each row's loop implies (EXPECTED); the others must show none. Any other
# binary (the plain demo builds) must print at least one BM_ row.
set -euo pipefail

# Row -> "allocs/iter,bytes/iter,peak_bytes", as the loops of
# overhead_benchmark.cc imply: one block of the row's size; 100 push_backs
# growing capacity 1, 2, 4, ..., 128 ints (8 buffers, 4 x 255 bytes, 512 and
# 256 live at once at the last growth); 8 appends of 12 characters growing a
# string from its 15-character buffer to 30, 60 and 120 characters (31 + 61 +
# 121 bytes, the last two live at once).
declare -A EXPECTED=(
  ["BM_NewDelete/16"]="1,16,16"
  ["BM_NewDelete/64"]="1,64,64"
  ["BM_NewDelete/4096"]="1,4096,4096"
  ["BM_NewDeleteArray/64"]="1,64,64"
  ["BM_VectorGrowth/100"]="8,1020,768"
  ["BM_StringAppend"]="3,213,182"
  ["BM_NewDeleteThreads/64/threads:1"]="1,64,64"
  ["BM_NewDeleteThreads/64/threads:2"]="1,64,64"
)
# libc++'s string grows from its 22-character buffer to 47, 95 and 191
# characters instead (48 + 96 + 192 bytes, the last two live at once).
readonly STRING_APPEND_LIBCXX="3,336,288"

# The emulator of a cross build (qemu-user and its arguments, from CMake's
# CMAKE_CROSSCOMPILING_EMULATOR), which runs each binary; none natively.
read -r -a emulator <<<"${ALLOC_COUNTER_TEST_EMULATOR:-}"

failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# check_run BINARY EXPECT_COLUMNS [ARGS...]: runs BINARY and checks its rows,
# read from its CSV output (plain numbers, whatever Google Benchmark's
# console suffixes).
check_run() {
  local binary=$1 expect_columns=$2
  shift 2
  local name out err status=0
  name=$(basename "$binary")
  err=$(mktemp)
  # stdout alone: Google Benchmark 1.8+ warns on stderr, without a newline,
  # about --benchmark_min_time without a unit (which 1.7 requires).
  out=$("${emulator[@]+"${emulator[@]}"}" "$binary" --benchmark_min_time=0.001 --benchmark_format=csv "$@" \
    2>"$err") || status=$?
  if ((status != 0)); then
    fail "$name $* exited with status $status:"
    cat "$err" >&2
    rm -f "$err"
    return
  fi
  rm -f "$err"
  if [[ "$name" == overhead_* ]]; then
    local header row line columns
    header=$(grep -E '^name,' <<<"$out" || true)
    local -A expected=()
    for row in "${!EXPECTED[@]}"; do expected[$row]=${EXPECTED[$row]}; done
    if readelf -d "$binary" | grep -q '\[libc++\.so'; then
      expected["BM_StringAppend"]=$STRING_APPEND_LIBCXX
    fi
    for row in "${!EXPECTED[@]}"; do
      line=$(grep -F "\"${row}\"," <<<"$out" || true)
      if [[ -z "$line" ]]; then
        fail "$name $*: no row $row"
        continue
      fi
      if [[ "$expect_columns" == yes ]]; then
        # The last three fields: allocs/iter, bytes/iter, peak_bytes.
        columns=$(awk -F, '{ print $(NF-2) "," $(NF-1) "," $NF }' <<<"$line")
        if [[ "$header" != *'"allocs/iter","bytes/iter","peak_bytes"' ]]; then
          fail "$name $*: the CSV header ends without the three columns: $header"
        elif [[ "$columns" != "${expected[$row]}" ]]; then
          fail "$name $*: $row has allocs/iter,bytes/iter,peak_bytes $columns, not ${expected[$row]}"
        fi
      elif [[ "$header" == *allocs/iter* ]]; then
        fail "$name $*: columns where alloc_counter is not linked: $header"
      fi
    done
  elif ! grep -qE '^"?BM_' <<<"$out"; then
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
    overhead_alloc_counter | overhead_alloc_counter_malloc)
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

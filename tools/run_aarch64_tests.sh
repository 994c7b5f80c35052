#!/usr/bin/env bash
# Cross-builds alloc_counter for aarch64 (arm64) Linux with Debian's
# g++-aarch64-linux-gnu and runs its CTest suite under qemu-user, installing
# any missing Debian package first (tools/install_deps.sh aarch64):
#   1. check the sha256 of the release archives benchmark-1.9.5.tar.gz and
#      abseil-cpp-20220623.1.tar.gz in ../shared/third_party, beside this
#      repository, against the table in that directory's README.md;
#   2. cross-build them, and GoogleTest from /usr/src/googletest, as static
#      libraries into a prefix: cached in
#      ~/.cache/alloc_counter_toolchains/<key>, the key being a hash of the
#      archives' sha256, the GoogleTest package version and the cross
#      compiler's version, so that a later run skips this step; built afresh
#      into a temporary directory, then moved there, when absent;
#   3. configure alloc_counter with tools/toolchains/aarch64-linux-gnu.cmake
#      against that prefix (CMake must report Google Benchmark 1.9.5 from it)
#      and build it;
#   4. check that the test binaries are aarch64 executables, and that one of
#      them runs under qemu-aarch64 and reports Google Benchmark v1.9.5;
#   5. ctest: the whole CTest suite, every test binary run by
#      qemu-aarch64 (CMAKE_CROSSCOMPILING_EMULATOR; the Python and shell
#      tests run it themselves, tests/emulator.py).
# Threads, fork and the //alloc_counter:malloc start-up all run under
# qemu-user. What cannot, skips and says why, and counts as skipped: the
# heaptrack checks (heaptrack is a host program, which cannot trace an
# emulated one) and the one new_delete_test case that makes an allocation
# fail with an address-space limit (qemu-user ignores RLIMIT_AS). No test of
# the suite checks timings; the overhead benchmarks are run only for their
# columns (overhead_smoke_test).
# Ends with one line, "N passed, N skipped, N failed" (tools/test_summary.py
# --ctest), after the list of skipped tests with their reasons; a build or
# check that fails before ctest counts as one failure. Exits 0 when the
# third_party directory is absent (a user's clone): nothing to build from.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly jobs=2
readonly third_party=../shared/third_party
readonly toolchain=$PWD/tools/toolchains/aarch64-linux-gnu.cmake

if [[ ! -d "$third_party" ]]; then
  echo "run_aarch64_tests.sh: skipped: no ${third_party} beside this repository"
  exit 0
fi

tools/install_deps.sh aarch64

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

fail() {
  echo "run_aarch64_tests.sh: FAILED: $*" >&2
  echo "0 passed, 0 skipped, 1 failed"
  exit 1
}

# shellcheck source=tools/third_party.sh
source tools/third_party.sh

say "1/5 sha256 of the release archives"
check_archives

compiler=$(aarch64-linux-gnu-g++ --version | head -n 1)
gtest_version=$(dpkg-query -W -f='${Version}' googletest)
prefix=$(toolchain_prefix aarch64 "$compiler" "googletest $gtest_version")

say "2/5 Google Benchmark 1.9.5, Abseil 20220623.1 and GoogleTest for aarch64"
echo "${compiler}; prefix ${prefix/#"$HOME"/\~}"
if [[ -f "$prefix/.complete" ]]; then
  echo "cached"
else
  build_dependencies "$toolchain" "$prefix.partial"
  # jemalloc: the runtime of libjemalloc2:arm64 under the name -ljemalloc
  # looks for (libjemalloc-dev:arm64, which has that link, cannot be
  # installed beside the amd64 package; its headers are the same).
  ln -s /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
    "$prefix.partial/lib/libjemalloc.so"
  complete_prefix "$prefix"
fi

say "3/5 configure and build alloc_counter for aarch64"
build="$tmp/alloc_counter"
step_start=$SECONDS
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_EXE_LINKER_FLAGS="-L$prefix/lib" \
  -DCMAKE_SHARED_LINKER_FLAGS="-L$prefix/lib" >"$tmp/configure.log" 2>&1 ||
  { tail -n 50 "$tmp/configure.log" >&2; fail "configure for aarch64"; }
grep 'alloc_counter: Google Benchmark' "$tmp/configure.log" |
  sed "s|${HOME}|~|"
grep -q "alloc_counter: Google Benchmark 1.9.5 from ${prefix}/" \
  "$tmp/configure.log" ||
  fail "configure did not find Google Benchmark 1.9.5 in ${prefix}"
cmake --build "$build" -j "$jobs" >"$tmp/build.log" 2>&1 ||
  { tail -n 50 "$tmp/build.log" >&2; fail "build for aarch64"; }
echo "built in $((SECONDS - step_start)) s"

say "4/5 the test binaries are aarch64 and run under qemu-aarch64"
binary="$build/tests/output/output_benchmarks"
file_header=$(readelf -h "$binary")
grep -q 'Machine: *AArch64' <<<"$file_header" ||
  fail "output_benchmarks is not an aarch64 executable"
emulator=$(sed -n 's/^CMAKE_CROSSCOMPILING_EMULATOR:[A-Z]*=//p' \
  "$build/CMakeCache.txt" | tr ';' ' ')
[[ "$emulator" == *qemu-aarch64* ]] ||
  fail "CMAKE_CROSSCOMPILING_EMULATOR is not qemu-aarch64: '${emulator}'"
echo "emulator: ${emulator}"
# A benchmark with fixed iterations: no --benchmark_min_time needed.
# shellcheck disable=SC2086  # the emulator's words
$emulator "$binary" --benchmark_filter=BM_EveryOtherIteration \
  --benchmark_format=json >"$tmp/version.json" ||
  fail "output_benchmarks exited $? under ${emulator}"
ran=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["context"].get("library_version", ""))' \
  "$tmp/version.json")
echo "output_benchmarks: library_version ${ran}"
[[ "$ran" == v1.9.5 ]] || fail "output_benchmarks runs Google Benchmark '${ran}'"

say "5/5 ctest under qemu-aarch64"
step_start=$SECONDS
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" \
  2>&1 | tee "$tmp/ctest.log" || true
echo "ctest: $((SECONDS - step_start)) s"
# The reasons of the skipped tests (ctest lists them "(Skipped)"), from
# CTest's log of their output.
python3 - "$tmp/ctest.log" "$build/Testing/Temporary/LastTest.log" <<'EOF'
import re
import sys

skipped = set(re.findall(r"^\s*\d+ - (\S+) \(Skipped\)$",
                         open(sys.argv[1], errors="replace").read(),
                         re.MULTILINE))
text = open(sys.argv[2], errors="replace").read()
for block in re.split(r"\n(?=\d+/\d+ Testing: )", text):
    name = re.match(r"\d+/\d+ Testing: (\S+)", block)
    if name is None or name.group(1) not in skipped:
        continue
    reasons = sorted(set(
        re.findall(r" \.\.\. skipped '(.*)'$", block, re.MULTILINE) +
        re.findall(r"^\S+:\d+: Skipped\n(.+)$", block, re.MULTILINE) +
        re.findall(r"^skipped: (.+)$", block, re.MULTILINE)))
    for reason in reasons or ["(no reason printed)"]:
        print(f"skipped in {name.group(1)}: {reason}")
EOF
echo "run_aarch64_tests.sh: $((SECONDS - start)) s in all"
python3 tools/test_summary.py --ctest "$tmp/ctest.log" | tee "$tmp/summary"
line=$(tail -n 1 "$tmp/summary")
[[ "$line" == *" 0 failed" ]]

#!/usr/bin/env bash
# Builds and tests alloc_counter with clang 16, LLVM's libc++ and the LLD
# linker (Debian's clang-16, libc++-16-dev, libc++abi-16-dev and lld-16;
# cmake/toolchains/clang16-libcxx.cmake). Debian's Google Benchmark, Abseil
# and GoogleTest are built against libstdc++, whose std::string is another
# type, so all three are built here with the same toolchain:
#   1. check the sha256 of benchmark-1.9.5.tar.gz and
#      abseil-cpp-20220623.1.tar.gz in ../shared/third_party, beside this
#      repository, against the table in that directory's README.md;
#   2. build Google Benchmark 1.9.5, Abseil (-DABSL_PROPAGATE_CXX_STD=ON
#      -DBUILD_TESTING=OFF) and GoogleTest (Debian's sources in
#      /usr/src/googletest) into a prefix, or reuse the prefix an earlier run
#      left in ~/.cache/alloc_counter_toolchains/<key>, the key naming the
#      archives' sha256 and the compiler's version;
#   3. configure alloc_counter against that prefix, and build it;
#   4. check that the --wrap names the build read are libc++'s
#      (std::__1::basic_string), and that the linker was LLD;
#   5. ctest: the whole CTest suite.
# Ends with one line, "N passed, N skipped, N failed", over the CTest tests
# (tools/test_summary.py); a failure before ctest counts as one failure.
# Exits 0 when the third_party directory is absent (a user's clone): nothing
# to build against. ALLOC_COUNTER_TOOLCHAIN_CACHE=0 builds the prefix afresh
# in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

readonly jobs=2
readonly third_party=../shared/third_party
readonly llvm=/usr/lib/llvm-16/bin
readonly toolchain=$PWD/cmake/toolchains/clang16-libcxx.cmake

if [[ ! -d "$third_party" ]]; then
  echo "run_libcxx_tests.sh: skipped: no ${third_party} beside this repository"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS

fail() {
  echo "run_libcxx_tests.sh: FAILED: $*" >&2
  echo "run_libcxx_tests.sh: $((SECONDS - start)) s in all"
  echo "0 passed, 0 skipped, 1 failed"
  exit 1
}

# shellcheck source=tools/third_party.sh
source tools/third_party.sh

say "1/5 sha256 of the archives"
check_archives
[[ -x "$llvm/clang++" ]] || fail "no ${llvm}/clang++ (Debian's clang-16)"

# The prefix is keyed by the archives, the compiler, GoogleTest's sources
# and the toolchain file.
compiler=$("$llvm/clang++" --version | head -n 1)
gtest_version=$(dpkg-query -W -f='${Version}' googletest 2>/dev/null ||
  dpkg-query -W -f='${Version}' libgtest-dev)
prefix=$(toolchain_prefix clang16-libcxx "$compiler" "$gtest_version" \
  "$(sha256sum "$toolchain")")

say "2/5 Google Benchmark, Abseil and GoogleTest with clang 16 and libc++"
if [[ -f "$prefix/.complete" ]]; then
  echo "reusing the prefix built by an earlier run (${prefix/#"$HOME"/\~})"
else
  build_dependencies "$toolchain" "$prefix.partial"
  complete_prefix "$prefix"
fi

say "3/5 configure and build alloc_counter"
build="$tmp/alloc_counter"
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  >"$tmp/configure.log" 2>&1 ||
  { tail -n 50 "$tmp/configure.log" >&2; fail "configure"; }
grep 'alloc_counter: Google Benchmark' "$tmp/configure.log" | sed "s|${prefix}|<prefix>|"
grep -q "alloc_counter: Google Benchmark 1.9.5 from ${prefix}/" "$tmp/configure.log" ||
  fail "configure did not find Google Benchmark 1.9.5 in the prefix"
t0=$SECONDS
cmake --build "$build" -j "$jobs" >"$tmp/build.log" 2>&1 ||
  { grep -E 'error|FAILED' "$tmp/build.log" | head -n 30 >&2; fail "build"; }
echo "built in $((SECONDS - t0)) s"

say "4/5 the --wrap names are libc++'s, the linker LLD"
header="$build/alloc_counter/wrap_names/alloc_counter/wrap_names.h"
grep -F 'SKIP_WITH_ERROR_STRING' "$header" || fail "no SkipWithError(std::string) in wrap_names.h"
grep -q 'SKIP_WITH_ERROR_STRING "[^"]*NSt3__112basic_string' "$header" ||
  fail "wrap_names.h does not name libc++'s std::string"
binary="$build/tests/output/output_benchmarks"
linker=$(readelf -p .comment "$binary" | grep -o 'Linker: [A-Za-z ]*LLD [0-9.]*' || true)
[[ "$linker" == *"LLD 16."* ]] || fail "output_benchmarks was not linked by LLD 16"
echo "output_benchmarks: ${linker}"

say "5/5 ctest"
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" \
  2>&1 | tee "$tmp/ctest.log" || true
echo "run_libcxx_tests.sh: $((SECONDS - start)) s in all"
python3 tools/test_summary.py --ctest "$tmp/ctest.log" | tee "$tmp/summary"
[[ "$(tail -n 1 "$tmp/summary")" == *" 0 failed" ]]

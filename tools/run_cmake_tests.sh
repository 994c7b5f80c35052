#!/usr/bin/env bash
# Builds and tests alloc_counter with CMake, installing any missing Debian
# package first:
#   1. check that each BUILD.bazel and the CMakeLists.txt beside it name the
#      same source files (the two builds list them side by side), but for
#      tests/bazel_consumer, a Bazel workspace of its own;
#   2. configure build/cmake, check that every C++ target links the same
#      targets as its Bazel twin (tools/check_twins.py, with Bazel's query
#      of this workspace), and build everything;
#   3. ctest: the same tests as `bazel test //...`;
#   4. install into a temporary prefix, move the installed tree (the package
#      must be relocatable), then build tests/cmake_consumer against it with
#      find_package(alloc_counter) and check what its binaries print, and run
#      the installed bin/alloc_counter_compare;
#   5. build tests/cmake_consumer again with add_subdirectory() of this source
#      tree, and check the same.
# Ends with one line, "N passed, N skipped, N failed": the CTest tests
# (tools/test_summary.py), and each consumer build as one test.
# Arguments go to the configure step of build/cmake (-DCMAKE_BUILD_TYPE=Debug).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

readonly jobs=2
readonly build=build/cmake
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step=""
# What the last line counts: the CTest tests, then each consumer build as one
# test; a step that fails counts as one more failure.
passed=0
skipped=0
failed=0
trap 'echo "run_cmake_tests.sh: FAILED: ${step}" >&2
      echo "${passed} passed, ${skipped} skipped, $((failed + 1)) failed"' ERR

say() {
  step=$*
  printf '\n==> %s\n' "$*"
}

# Ninja when installed, CMake's default generator otherwise. A build
# directory that already exists keeps the generator it was made with.
configure() {  # configure <source dir> <build dir> [cmake arguments...]
  local src=$1 bin=$2
  shift 2
  local generator=()
  if [[ ! -f "$bin/CMakeCache.txt" ]] && command -v ninja >/dev/null; then
    generator=(-G Ninja)
  fi
  cmake -S "$src" -B "$bin" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
}

# Runs a benchmark binary with `args`, prints its console output, and checks
# that it has a line matching `row` (an extended regular expression).
expect_row() {  # expect_row <binary> <row> [args...]
  local binary=$1 row=$2
  shift 2
  "$binary" --benchmark_min_time=0.01 --benchmark_color=false "$@" \
    >"$tmp/console.txt" 2>"$tmp/stderr.txt" || { cat "$tmp/stderr.txt" >&2; return 1; }
  cat "$tmp/console.txt"
  if ! grep -Eq "$row" "$tmp/console.txt"; then
    echo "$(basename "$binary"): expected a row matching $row" >&2
    return 1
  fi
}

# Runs the binaries of a tests/cmake_consumer build and checks their output.
check_consumer() {  # check_consumer <build dir>
  local bin=$1
  # alloc_counter::alloc_counter beside benchmark::benchmark_main, and
  # alloc_counter::main: the columns, with the values the loop body implies
  # (one ::operator new(100) per iteration; the set-up allocation before the
  # loop is not counted), and the flags read.
  for binary in consumer_benchmark consumer_main_target; do
    expect_row "$bin/$binary" \
      '^BM_OneNew100 .* allocs/iter=1 bytes/iter=100 peak_bytes=100$' \
      --alloc_counter_paused=exclude
  done
  # alloc_counter::malloc: one calloc of 3 x 4 bytes per iteration.
  expect_row "$bin/consumer_malloc_benchmark" \
    '^BM_OneCalloc12 .* allocs/iter=1 bytes/iter=12 peak_bytes=12$'
  # alloc_counter::testing: EXPECT_ALLOCS in a GoogleTest test.
  "$bin/consumer_test" --gtest_brief=1
}

say "1/5 BUILD.bazel and CMakeLists.txt name the same files"
# The .cc, .h, .py and .sh files a file names literally outside comments
# (base names, one a line). A name built from a variable ("allocator_%s.cc",
# "allocator_${name}.cc") is left out on both sides.
named_files() {
  sed 's/#.*//' "$1" |
    grep -oP '(?<![%}A-Za-z0-9_.-])[A-Za-z0-9_.-]+\.(cc|h|py|sh)\b' |
    sort -u || true
}
checked=0
while read -r bazel_file; do
  checked=$((checked + 1))
  dir=$(dirname "$bazel_file")
  if [[ ! -f "$dir/CMakeLists.txt" ]]; then
    echo "$bazel_file has no CMakeLists.txt beside it" >&2
    false
  fi
  if ! diff <(named_files "$bazel_file") <(named_files "$dir/CMakeLists.txt") \
      >"$tmp/parity.diff"; then
    echo "$bazel_file (<) and $dir/CMakeLists.txt (>) name different files:" >&2
    cat "$tmp/parity.diff" >&2
    false
  fi
done < <(find alloc_counter benchmarks tests tools -path tests/bazel_consumer -prune \
  -o -name BUILD.bazel -print | sort)
echo "${checked} BUILD.bazel files, each matched by its CMakeLists.txt"

say "2/5 configure ${build}, compare its links with Bazel's, build"
configure . "$build" "$@"
# Every twin is part of the build (add_subdirectory makes its build directory).
while read -r bazel_file; do
  if [[ ! -d "$build/$(dirname "$bazel_file")" ]]; then
    echo "$(dirname "$bazel_file")/CMakeLists.txt is not add_subdirectory()'d" >&2
    false
  fi
done < <(find alloc_counter benchmarks tests tools -path tests/bazel_consumer -prune \
  -o -name BUILD.bazel -print)
# Every C++ target links what its Bazel twin links (tools/check_twins.py).
mkdir "$tmp/graph"
cmake --graphviz="$tmp/graph/targets.dot" "$build" >/dev/null
bazel query --noshow_progress 'kind("cc_(library|binary|test) rule", //...)' \
  --output=xml >"$tmp/bazel_rules.xml"
python3 tools/check_twins.py "$tmp/bazel_rules.xml" "$tmp/graph/targets.dot"
cmake --build "$build" -j "$jobs"

say "3/5 ctest (the tests of bazel test //...)"
ctest_status=0
ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" \
  2>&1 | tee "$tmp/ctest.log" || ctest_status=$?
python3 tools/test_summary.py --ctest "$tmp/ctest.log" | tee "$tmp/ctest.summary"
read -r passed _ skipped _ failed _ <<<"$(tail -n 1 "$tmp/ctest.summary" | tr -d ,)"
if ((ctest_status != 0)); then
  # Counted already: the ERR trap must not add one.
  failed=$((failed - 1))
  false
fi

say "4/5 install into a temporary prefix; consumer project with find_package()"
cmake --install "$build" --prefix "$tmp/staging"
mv "$tmp/staging" "$tmp/prefix"  # relocatable: nothing may point at staging/
configure tests/cmake_consumer "$tmp/consumer-installed" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix"
found=$(sed -n 's/^alloc_counter_DIR:PATH=//p' "$tmp/consumer-installed/CMakeCache.txt")
if [[ "$found" != "$tmp/prefix/"* ]]; then
  echo "find_package(alloc_counter) found '$found', not the installed package" >&2
  false
fi
cmake --build "$tmp/consumer-installed" -j "$jobs"
check_consumer "$tmp/consumer-installed"
passed=$((passed + 1))
# The installed program, run as a user runs it: two runs of the consumer's
# benchmark compared, with the HTML report, whose template, style and scripts
# come from the installed package.
for run in baseline contender; do
  "$tmp/consumer-installed/consumer_benchmark" --benchmark_min_time=0.01 \
    --benchmark_out="$tmp/$run.json" --benchmark_out_format=json >/dev/null
done
"$tmp/prefix/bin/alloc_counter_compare" "$tmp/baseline.json" \
  "$tmp/contender.json" --html="$tmp/report.html"
grep -q 'render-check: scripts did not run' "$tmp/report.html"
grep -q 'window.renderErrors' "$tmp/report.html"
echo "installed alloc_counter_compare: $(wc -c <"$tmp/report.html") bytes of HTML report"

say "5/5 consumer project with add_subdirectory() of this source tree"
configure tests/cmake_consumer "$tmp/consumer-subdirectory" \
  -DALLOC_COUNTER_SOURCE_DIR="$PWD"
cmake --build "$tmp/consumer-subdirectory" -j "$jobs"
check_consumer "$tmp/consumer-subdirectory"
passed=$((passed + 1))

tests=$(ctest --test-dir "$build" -N | sed -n 's/^Total Tests: //p')
echo
echo "run_cmake_tests.sh: ${tests} CTest tests, installed package, add_subdirectory"
echo "${passed} passed, ${skipped} skipped, ${failed} failed"

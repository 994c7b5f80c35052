#!/usr/bin/env bash
# Builds and tests alloc_counter against other Google Benchmark releases than
# Debian's 1.7.1: the upstream release archives benchmark-<version>.tar.gz in
# ../shared/third_party, beside this repository (or the archives given as
# arguments). For each archive:
#   1. check its sha256 against the table in that directory's README.md;
#   2. build it as a static library, without its own tests, and install it
#      into a temporary prefix;
#   3. configure alloc_counter against that prefix (CMake must report that
#      version from that prefix, not Debian's from /usr) and build it;
#   4. check that the test binaries run that version: the library is linked
#      statically (no libbenchmark.so), and the JSON report's
#      library_version names it;
#   5. ctest: the whole CTest suite.
# Prints each version's CTest result and ends with one line, "N passed,
# N skipped, N failed", over the CTest tests of every version
# (tools/test_summary.py); a version whose build or checks fail before ctest
# counts as one failure. Exits 0 when
# the third_party directory is absent (a user's clone): nothing to test.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh

readonly jobs=2
readonly third_party=../shared/third_party
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if (($# > 0)); then
  archives=("$@")
elif [[ -d "$third_party" ]]; then
  archives=("$third_party"/benchmark-*.tar.gz)
  [[ -e "${archives[0]}" ]] || archives=()
else
  echo "run_version_tests.sh: skipped: no ${third_party} beside this repository"
  exit 0
fi
if ((${#archives[@]} == 0)); then
  echo "run_version_tests.sh: no benchmark-*.tar.gz archive to test" >&2
  exit 1
fi

# shellcheck source=tools/third_party.sh
source tools/third_party.sh

# Ends build_and_check, which runs in a subshell.
fail() {
  echo "run_version_tests.sh: FAILED: $*" >&2
  exit 1
}

# Steps 1 to 4 for one archive, into $tmp/<version>.
build_and_check() {  # build_and_check <archive> <version>
  local archive=$1 version=$2
  local work="$tmp/$version"
  local prefix="$work/prefix" build="$work/alloc_counter"
  mkdir -p "$work"

  say "${version}: 1/5 sha256 of $(basename "$archive")"
  check_archive "$archive"

  say "${version}: 2/5 build Google Benchmark ${version} (static) into a temporary prefix"
  tar -xzf "$archive" -C "$work" || fail "cannot extract $(basename "$archive")"
  local src
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'benchmark-*')
  [[ -f "$src/CMakeLists.txt" ]] || fail "$(basename "$archive") holds no benchmark-*/CMakeLists.txt"
  # -Werror off: a newer compiler's new warning in a release is not ours.
  {
    cmake -S "$src" -B "$work/benchmark" "${generator[@]}" \
      -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
      -DBENCHMARK_ENABLE_TESTING=OFF -DBENCHMARK_ENABLE_GTEST_TESTS=OFF \
      -DBENCHMARK_ENABLE_WERROR=OFF -DCMAKE_INSTALL_PREFIX="$prefix" &&
      cmake --build "$work/benchmark" -j "$jobs" &&
      cmake --install "$work/benchmark"
  } >"$work/benchmark.log" 2>&1 ||
    { tail -n 50 "$work/benchmark.log" >&2; fail "build of Google Benchmark ${version}"; }
  echo "installed into the temporary prefix"

  say "${version}: 3/5 configure and build alloc_counter against it"
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" >"$work/configure.log" 2>&1 ||
    { tail -n 50 "$work/configure.log" >&2; fail "configure against ${version}"; }
  # The temporary prefix as configure printed it.
  grep 'alloc_counter: Google Benchmark' "$work/configure.log" |
    sed "s|${tmp}|<tmp>|"
  if ! grep -q "alloc_counter: Google Benchmark ${version} from ${prefix}/" \
      "$work/configure.log"; then
    fail "configure did not find Google Benchmark ${version} in the temporary prefix"
  fi
  cmake --build "$build" -j "$jobs" >"$work/build.log" 2>&1 ||
    { tail -n 50 "$work/build.log" >&2; fail "build against ${version}"; }

  say "${version}: 4/5 the test binaries run Google Benchmark ${version}"
  # Linked statically: no binary can load Debian's libbenchmark.so at run
  # time instead.
  local executables=0 file
  while IFS= read -r -d '' file; do
    executables=$((executables + 1))
    if readelf -d "$file" 2>/dev/null | grep 'NEEDED.*libbenchmark' >/dev/null; then
      fail "${file#"$build"/} links a shared libbenchmark"
    fi
  done < <(find "$build" -type f -perm -u+x -print0)
  echo "${executables} executables, none linked with a shared libbenchmark"
  local binary="$build/tests/output/output_benchmarks"
  # A benchmark with fixed iterations: no --benchmark_min_time needed.
  "$binary" --benchmark_filter=BM_EveryOtherIteration --benchmark_format=json \
    >"$work/version.json" || fail "output_benchmarks exited $?"
  local ran
  ran=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["context"].get("library_version", ""))' \
    "$work/version.json")
  echo "output_benchmarks: library_version ${ran}"
  [[ "$ran" == "v${version}" ]] || fail "output_benchmarks runs Google Benchmark '${ran}', not v${version}"
}

passed=0
skipped=0
failed=0
summary=()
start=$SECONDS
for archive in "${archives[@]}"; do
  name=$(basename "$archive")
  version=${name#benchmark-}
  version=${version%.tar.gz}
  version_start=$SECONDS
  set +e
  (set -e; build_and_check "$archive" "$version")
  status=$?
  set -e
  if ((status != 0)); then
    failed=$((failed + 1))
    summary+=("Google Benchmark ${version}: build or checks FAILED")
    continue
  fi
  say "${version}: 5/5 ctest"
  ctest --test-dir "$tmp/$version/alloc_counter" --output-on-failure \
    --no-tests=error -j "$jobs" 2>&1 | tee "$tmp/$version.ctest" || true
  python3 tools/test_summary.py --ctest "$tmp/$version.ctest" |
    tee "$tmp/$version.summary"
  line=$(tail -n 1 "$tmp/$version.summary")
  read -r version_passed _ version_skipped _ version_failed _ <<<"${line//,/}"
  passed=$((passed + version_passed))
  skipped=$((skipped + version_skipped))
  failed=$((failed + version_failed))
  summary+=("Google Benchmark ${version}: ${line} ($((SECONDS - version_start)) s)")
  rm -rf "${tmp:?}/$version"  # 30 MB per version
done

echo
printf 'run_version_tests.sh: %s\n' "${summary[@]}"
echo "run_version_tests.sh: $((SECONDS - start)) s in all"
echo "${passed} passed, ${skipped} skipped, ${failed} failed"
((failed == 0))

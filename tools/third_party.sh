# shellcheck shell=bash
# Sourced by the stages that build from the release archives in
# ../shared/third_party (tools/run_version_tests.sh, run_libcxx_tests.sh,
# run_aarch64_tests.sh): the archives' sha256 checked against that
# directory's README.md, and, for the stages that build alloc_counter with
# another toolchain than the host's, their own Google Benchmark, Abseil and
# GoogleTest (Debian's are built for the host's), built from the archives
# and Debian's GoogleTest sources into a prefix kept in
# ~/.cache/alloc_counter_toolchains/ for later runs.
#
# The sourcing script sets `tmp` and `jobs` (and `third_party` for the
# toolchain functions) and defines fail(), which prints its message and
# exits non-zero.

# Ninja where it is installed, else CMake's default generator.
generator=()
if command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi

readonly toolchain_archives=(benchmark-1.9.5.tar.gz abseil-cpp-20220623.1.tar.gz)

say() {
  printf '\n==> %s\n' "$*"
}

# The sha256 that the README.md beside `archive` lists for it.
expected_sha256() {  # expected_sha256 <archive>
  local dir name
  dir=$(dirname "$1")
  name=$(basename "$1")
  [[ -f "$dir/README.md" ]] || return 0
  awk -F'|' -v name="$name" '
    { gsub(/[ \t`]/, "", $2); gsub(/[ \t`]/, "", $4) }
    $2 == name { print $4 }' "$dir/README.md"
}

# Checks `archive`'s sha256 against the README.md beside it and prints it;
# sets `archive_sum`.
check_archive() {  # check_archive <archive>
  local name want
  name=$(basename "$1")
  [[ -f "$1" ]] || fail "no ${name} in $(dirname "$1")"
  want=$(expected_sha256 "$1")
  [[ -n "$want" ]] || fail "no sha256 for ${name} in $(dirname "$1")/README.md"
  archive_sum=$(sha256sum "$1" | cut -d' ' -f1)
  [[ "$archive_sum" == "$want" ]] ||
    fail "${name}: sha256 ${archive_sum}, README.md lists ${want}"
  echo "${archive_sum}  ${name}"
}

# Checks the sha256 of each archive the toolchain stages build; sets
# `archive_sums` to the sums, for the prefix's key.
check_archives() {
  local name
  archive_sums=""
  for name in "${toolchain_archives[@]}"; do
    check_archive "$third_party/$name"
    archive_sums+="$archive_sum "
  done
}

# The prefix of `label` whose key is the archives' sums and `inputs` (the
# compiler's version, say): in ~/.cache/alloc_counter_toolchains/, or in
# $tmp where ALLOC_COUNTER_TOOLCHAIN_CACHE=0.
toolchain_prefix() {  # toolchain_prefix <label> <input>...
  local label=$1 key
  shift
  key=$(printf '%s\n' "$archive_sums" "$@" | sha256sum | cut -c1-16)
  if [[ "${ALLOC_COUNTER_TOOLCHAIN_CACHE:-1}" == 0 ]]; then
    echo "$tmp/prefix"
  else
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/alloc_counter_toolchains/${label}-${key}"
  fi
}

# Configures, builds and installs one CMake project into `into`.
build_dependency() {  # build_dependency <toolchain> <into> <name> <source> <option>...
  local toolchain_file=$1 into=$2 name=$3 src=$4
  shift 4
  local dir="$tmp/build-$name" t0=$SECONDS
  {
    cmake -S "$src" -B "$dir" "${generator[@]}" \
      -DCMAKE_TOOLCHAIN_FILE="$toolchain_file" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$into" -DCMAKE_PREFIX_PATH="$into" "$@" &&
      cmake --build "$dir" -j "$jobs" &&
      cmake --install "$dir"
  } >"$tmp/$name.log" 2>&1 ||
    { tail -n 50 "$tmp/$name.log" >&2; fail "build of ${name}"; }
  echo "${name}: built in $((SECONDS - t0)) s"
}

# Builds Google Benchmark 1.9.5 (static, without its tests), GoogleTest and
# Abseil 20220623.1 with the CMake toolchain file `toolchain` into `into`.
build_dependencies() {  # build_dependencies <toolchain> <into>
  local toolchain_file=$1 into=$2 name
  rm -rf "$into"
  mkdir -p "$into"
  for name in "${toolchain_archives[@]}"; do
    tar -xzf "$third_party/$name" -C "$tmp" || fail "cannot extract ${name}"
  done
  # -Werror off: a newer compiler's new warning in a release is not ours.
  build_dependency "$toolchain_file" "$into" benchmark "$tmp/benchmark-1.9.5" \
    -DBUILD_SHARED_LIBS=OFF -DBENCHMARK_ENABLE_TESTING=OFF \
    -DBENCHMARK_ENABLE_GTEST_TESTS=OFF -DBENCHMARK_ENABLE_WERROR=OFF
  build_dependency "$toolchain_file" "$into" googletest /usr/src/googletest
  build_dependency "$toolchain_file" "$into" abseil "$tmp/abseil-cpp-20220623.1" \
    -DCMAKE_CXX_STANDARD=17 -DABSL_PROPAGATE_CXX_STD=ON -DBUILD_TESTING=OFF
}

# Marks the dependencies built into `<prefix>.partial` complete and moves
# them to `prefix`, for later runs.
complete_prefix() {  # complete_prefix <prefix>
  touch "$1.partial/.complete"
  rm -rf "$1"
  mv "$1.partial" "$1"
}

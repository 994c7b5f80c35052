#!/usr/bin/env bash
# Installs the Debian packages alloc_counter needs, and only those missing:
#
#   tools/install_deps.sh        what building and testing alloc_counter with
#                                Bazel and CMake needs (tools/run_tests.sh)
#   tools/install_deps.sh demo   what building and running the demo
#                                benchmarks needs (tools/run_demo.sh)
#   tools/install_deps.sh aarch64
#                                what cross-building alloc_counter for
#                                aarch64 and running its tests under
#                                qemu-user needs (tools/run_aarch64_tests.sh)
#
# The demo needs Bazel itself (which brings its JDK), the C++ compiler,
# Google Benchmark, Abseil, elfutils' libdw (which names the frames of
# --alloc_counter_sites) and zlib (benchmarks/c_api_benchmark.cc). The tests
# add CMake, GoogleTest and Python 3; jemalloc, tcmalloc, mimalloc and
# heaptrack for the reliability tests; Chromium for the test of
# alloc_counter_compare's HTML report; clang-format and npm (for buildifier)
# for tools/check_format.sh; and clang 16, libc++ and LLD for the libc++
# stage.
# The aarch64 profile adds the cross compiler and qemu-user, and the target's
# libraries through Debian's multiarch (the arm64 architecture is added to
# dpkg first): libdw and zlib, which bring libc6:arm64, the loader the tests
# run with; tcmalloc and mimalloc for the reliability tests; jemalloc's
# runtime only, as libjemalloc-dev is not co-installable across
# architectures and would replace the amd64 one (its headers, which are the
# same, serve both; tools/run_aarch64_tests.sh links the runtime). Google
# Benchmark, Abseil and GoogleTest are built from source by that script.
# Prints nothing and changes nothing when they are all installed.
set -euo pipefail

case "${1:-all}" in
  demo | all | aarch64) profile=${1:-all} ;;
  *)
    echo "install_deps.sh: unknown argument '$1'; accepted: demo, aarch64," \
      "or none" >&2
    exit 2
    ;;
esac

packages=(bazel-bootstrap g++ libbenchmark-dev libabsl-dev libdw-dev zlib1g-dev)
commands=()
foreign_architecture=""
if [[ "$profile" == aarch64 ]]; then
  foreign_architecture=arm64
  packages=(g++-aarch64-linux-gnu qemu-user cmake python3 googletest
    libjemalloc-dev libdw-dev:arm64 zlib1g-dev:arm64
    libgoogle-perftools-dev:arm64 libmimalloc-dev:arm64 libjemalloc2:arm64)
fi
if [[ "$profile" == all ]]; then
  packages+=(cmake libgtest-dev python3)
  # The reliability tests (tests/reliability, docs/reliability.md): the
  # allocators linked under alloc_counter, and heaptrack for the independent
  # count of allocation calls.
  packages+=(libjemalloc-dev libgoogle-perftools-dev libmimalloc-dev heaptrack)
  # The HTML report test of alloc_counter_compare (tests/compare/html_test.py)
  # renders the page in headless Chromium.
  packages+=(chromium)
  # The formatting checks (tools/check_format.sh).
  packages+=(clang-format)
  # The clang 16 + libc++ + LLD stage (tools/run_libcxx_tests.sh).
  # libc++-16-dev brings libunwind-16-dev, which provides libunwind-dev for
  # libgoogle-perftools-dev (and replaces it where installed).
  packages+=(clang-16 libc++-16-dev libc++abi-16-dev lld-16)
  # Tools needed as a command, whichever package provides it, and installed
  # from the Debian package of the same name when missing: npm (to install
  # buildifier) may come with a Node.js from outside Debian, whose package
  # conflicts with Debian's npm.
  commands+=(npm)
fi

# A package is installed for the architecture its name gives
# (libdw-dev:arm64), else for the machine's own or for all: once the arm64
# architecture is added, dpkg-query prints a line for each architecture a
# package is installed for.
native=$(dpkg --print-architecture)
missing=()
for pkg in "${packages[@]}"; do
  architectures="($native|all)"
  [[ "$pkg" == *:* ]] && architectures=${pkg##*:}
  if ! dpkg-query -W -f='${Status} ${Architecture}\n' "$pkg" 2>/dev/null |
    grep -qxE "install ok installed ${architectures}"; then
    missing+=("$pkg")
  fi
done
for cmd in "${commands[@]+"${commands[@]}"}"; do
  if ! command -v "$cmd" >/dev/null; then
    missing+=("$cmd")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if ((EUID != 0)); then
  echo "install_deps.sh: missing Debian packages: ${missing[*]}" >&2
  echo "install_deps.sh: run it as root, or run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install_deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [[ -n "$foreign_architecture" ]] &&
  ! dpkg --print-foreign-architectures | grep -qx "$foreign_architecture"; then
  dpkg --add-architecture "$foreign_architecture"
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

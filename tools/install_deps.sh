#!/usr/bin/env bash
# Installs the Debian packages that building and testing alloc_counter with
# Bazel needs: Bazel itself (which brings its JDK), the C++ compiler, Google
# Benchmark, Abseil, GoogleTest and Python 3 for the Python tests.
# Prints nothing and changes nothing when they are all installed.
set -euo pipefail

packages=(bazel-bootstrap g++ libbenchmark-dev libabsl-dev libgtest-dev python3)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
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
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Builds and runs alloc_counter's demo benchmarks (benchmarks/), installing
# any missing Debian package first. Arguments go to every benchmark binary,
# e.g. tools/run_demo.sh --benchmark_format=json.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh
bazel build //benchmarks:all
for demo in containers strings smart_pointers function; do
  "bazel-bin/benchmarks/${demo}_benchmark" --benchmark_min_time=0.1 "$@"
done

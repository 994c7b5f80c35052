#!/usr/bin/env bash
# Builds and runs alloc_counter's demo benchmarks (benchmarks/), installing
# first the Debian packages they need that are missing (and nothing that only
# the tests need). Arguments go to every benchmark binary, e.g.
# tools/run_demo.sh --benchmark_format=json.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install_deps.sh demo
bazel build //benchmarks:all
for demo in containers strings smart_pointers function split custom_reporter; do
  "bazel-bin/benchmarks/${demo}_benchmark" --benchmark_min_time=0.1 "$@"
done

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark program with a hand-written main, the one the README shows,
// linked with //alloc_counter.

#include "alloc_counter/alloc_counter.h"
#include "benchmark/benchmark.h"

int main(int argc, char** argv) {
  alloc_counter::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  alloc_counter::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}

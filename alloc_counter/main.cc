// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// `main` for benchmark programs linked with //alloc_counter:main, the
// drop-in replacement of Google Benchmark's benchmark_main.

#include "alloc_counter/alloc_counter.h"

int main(int argc, char** argv) {
  return alloc_counter::BenchmarkMain(argc, argv);
}

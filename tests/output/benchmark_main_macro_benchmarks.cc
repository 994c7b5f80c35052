// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Google Benchmark's own BENCHMARK_MAIN(), in a program linked with
// //alloc_counter and nothing else of alloc_counter's.

#include "benchmark/benchmark.h"

BENCHMARK_MAIN();

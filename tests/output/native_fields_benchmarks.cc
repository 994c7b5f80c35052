// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Google Benchmark's own BENCHMARK_MAIN(), linked with //alloc_counter alone:
// no columns, but the native JSON memory fields are filled.

#include "benchmark/benchmark.h"

BENCHMARK_MAIN();

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark program with its own main: ALLOC_COUNTER_BENCHMARK_MAIN() in
// place of BENCHMARK_MAIN(), linked with //alloc_counter.

#include "alloc_counter/alloc_counter.h"

ALLOC_COUNTER_BENCHMARK_MAIN();

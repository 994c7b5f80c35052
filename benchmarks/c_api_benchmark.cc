// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks of C APIs that allocate with malloc behind the caller's back:
// glibc's strdup and qsort, and zlib's compress. Built twice
// (BUILD.bazel): c_api_benchmark links //alloc_counter:malloc beside
// //alloc_counter:main and counts those allocations; c_api_benchmark_new_only
// links :main alone, which counts operator new only, and shows zeros.

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

const char* volatile g_text = "a C string of 31 characters....";

void BM_Strdup(benchmark::State& state) {
  for (auto _ : state) {
    char* copy = strdup(g_text);
    benchmark::DoNotOptimize(copy);
    free(copy);
  }
}
BENCHMARK(BM_Strdup);

int CompareInts(const void* a, const void* b) {
  const int x = *static_cast<const int*>(a);
  const int y = *static_cast<const int*>(b);
  return (x > y) - (x < y);
}

// glibc's qsort is a merge sort with a temporary copy of the array: on the
// stack up to 1024 bytes, from malloc above.
void BM_Qsort(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  std::vector<int> values(n);
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < n; ++i) {
      values[i] = static_cast<int>((i * 7919) % n);
    }
    state.ResumeTiming();
    qsort(values.data(), n, sizeof(int), &CompareInts);
    benchmark::DoNotOptimize(values.data());
  }
}
BENCHMARK(BM_Qsort)->Arg(100)->Arg(1000);

// zlib allocates its deflate state, window and buffers with malloc on every
// compress() call.
void BM_ZlibCompress(benchmark::State& state) {
  const std::string input(static_cast<size_t>(state.range(0)), 'x');
  std::vector<Bytef> output(compressBound(static_cast<uLong>(input.size())));
  for (auto _ : state) {
    uLongf size = static_cast<uLongf>(output.size());
    if (compress(output.data(), &size,
                 reinterpret_cast<const Bytef*>(input.data()),
                 static_cast<uLong>(input.size())) != Z_OK) {
      state.SkipWithError("compress failed");
      break;
    }
    benchmark::DoNotOptimize(output.data());
  }
}
BENCHMARK(BM_ZlibCompress)->Arg(4096);

// A std::string for comparison: operator new, counted by both builds.
void BM_StdString(benchmark::State& state) {
  for (auto _ : state) {
    std::string copy(g_text);
    benchmark::DoNotOptimize(copy.data());
  }
}
BENCHMARK(BM_StdString);

}  // namespace

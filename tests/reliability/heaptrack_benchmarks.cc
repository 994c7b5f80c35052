// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks whose allocs/iter heaptrack_test.py checks against an
// independent count: heaptrack's number of calls to allocation functions.
// Every benchmark runs a fixed number of iterations, ALLOC_COUNTER_ITERATIONS
// from the environment (default 100), so that two runs that differ only in
// it differ only in how often the loop body ran. Linked with
// //alloc_counter:main: the same process prints alloc_counter's columns.
//
// Each loop body allocates only through operator new (alloc_counter does not
// see malloc called directly; heaptrack sees both).

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "tests/util/allocate.h"
#include "tests/util/fixed_iterations.h"

namespace {

using test_util::g_escape;

const benchmark::IterationCount kIterations = test_util::IterationsOr(100);

void BM_NoAllocation(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) g_escape = &++x;
}
BENCHMARK(BM_NoAllocation)->Iterations(kIterations);

void BM_VectorPushBack1000(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<int> v;
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    g_escape = v.data();
  }
}
BENCHMARK(BM_VectorPushBack1000)->Iterations(kIterations);

void BM_VectorReserved1000(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<int> v;
    v.reserve(1000);
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    g_escape = v.data();
  }
}
BENCHMARK(BM_VectorReserved1000)->Iterations(kIterations);

void BM_MapInsert100(benchmark::State& state) {
  for (auto _ : state) {
    std::map<int, int> m;
    for (int i = 0; i < 100; ++i) m[i] = i;
    g_escape = &m;
  }
}
BENCHMARK(BM_MapInsert100)->Iterations(kIterations);

void BM_UnorderedMapInsert100(benchmark::State& state) {
  for (auto _ : state) {
    std::unordered_map<int, int> m;
    for (int i = 0; i < 100; ++i) m[i] = i;
    g_escape = &m;
  }
}
BENCHMARK(BM_UnorderedMapInsert100)->Iterations(kIterations);

void BM_StringLong(benchmark::State& state) {
  for (auto _ : state) {
    std::string s(32, 'x');
    g_escape = s.data();
  }
}
BENCHMARK(BM_StringLong)->Iterations(kIterations);

void BM_SharedPtrNew(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_ptr<int> p(new int(1));
    g_escape = p.get();
  }
}
BENCHMARK(BM_SharedPtrNew)->Iterations(kIterations);

void BM_FunctionLargeCapture(benchmark::State& state) {
  for (auto _ : state) {
    int a = 1, b = 2, c = 3;
    std::function<int()> f = [a, b, c, &state] {
      return a + b + c + static_cast<int>(state.iterations());
    };
    g_escape = &f;
  }
}
BENCHMARK(BM_FunctionLargeCapture)->Iterations(kIterations);

void BM_Ostringstream(benchmark::State& state) {
  for (auto _ : state) {
    std::ostringstream out;
    out << "a number: " << 12345 << ", and a string longer than fifteen";
    std::string s = out.str();
    g_escape = s.data();
  }
}
BENCHMARK(BM_Ostringstream)->Iterations(kIterations);

// The Abseil rows of the demo benchmarks (benchmarks/containers_benchmark.cc
// and strings_benchmark.cc), with fixed iterations: a second opinion on them.

// (7, 2344, 1744): one allocation per capacity growth, 1 to 127.
void BM_FlatHashMapInsert100(benchmark::State& state) {
  for (auto _ : state) {
    absl::flat_hash_map<int, int> m;
    for (int i = 0; i < 100; ++i) m.emplace(i, i);
    g_escape = &m;
  }
}
BENCHMARK(BM_FlatHashMapInsert100)->Iterations(kIterations);

// (1, 64, 64): the 9th element moves all to the heap, capacity 16.
void BM_InlinedVector9(benchmark::State& state) {
  for (auto _ : state) {
    absl::InlinedVector<int, 8> v;
    v.reserve(9);
    for (int i = 0; i < 9; ++i) v.push_back(i);
    g_escape = v.data();
  }
}
BENCHMARK(BM_InlinedVector9)->Iterations(kIterations);

// (1, 31, 31): "key=12345,value=67890", sized first, allocated once.
void BM_StrCat(benchmark::State& state) {
  volatile int key = 12345;
  volatile int value = 67890;
  for (auto _ : state) {
    std::string s = absl::StrCat("key=", key, ",value=", value);
    g_escape = s.data();
  }
}
BENCHMARK(BM_StrCat)->Iterations(kIterations);

}  // namespace

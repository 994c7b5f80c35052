// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Allocation-heavy microbenchmarks that measure what alloc_counter's
// operator new/delete hooks cost. This one source is built four ways
// (benchmarks/overhead/BUILD.bazel):
//
//   overhead_plain          plain Google Benchmark (benchmark_main), the
//                           libstdc++ operator new/delete: the baseline;
//   overhead_alloc_counter  linked with //alloc_counter:main. Run as is, the
//                           timed runs are idle (only Google Benchmark's
//                           extra memory run counts); run with
//                           --alloc_counter_mode=timed, every allocation of
//                           the timed runs is counted;
//   overhead_alloc_counter_malloc
//                           the same with //alloc_counter:malloc, whose
//                           malloc and free then sit under operator new;
//   overhead_naive_atomic   a naive replacement of operator new/delete that
//                           adds to global std::atomic counters on every
//                           call (naive_atomic_new_delete.cc), for comparison.
//
// Every loop body allocates and frees the same blocks on every iteration, so
// the difference between two builds divided by the allocations per iteration
// is the cost of one allocation + free pair. tools/perf_table.py runs the
// builds side by side and writes docs/performance.md.
//
// ALLOC_COUNTER_ITERATIONS=N in the environment (tests/util/fixed_iterations.h)
// gives every benchmark a fixed N iterations (one timed run, no iteration
// estimate), so that two runs under `valgrind --tool=callgrind` with
// different N differ by exactly the instructions of the extra iterations.

#include <cstddef>
#include <cstdlib>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "tests/util/fixed_iterations.h"

namespace {

// A block of `kBytes` bytes. `new Block<N>` default-initialises it (no
// memset) and `delete` calls the sized `operator delete(void*, size_t)`, as
// deleting any complete type does with g++ in C++14 and later.
template <std::size_t kBytes>
struct Block {
  unsigned char bytes[kBytes];
};

// One `operator new(kBytes)` and one sized `operator delete` per iteration.
template <std::size_t kBytes>
void BM_NewDelete(benchmark::State& state) {
  for (auto _ : state) {
    auto* block = new Block<kBytes>;
    benchmark::DoNotOptimize(block);
    delete block;
  }
}

// One `operator new[](kBytes)` and one unsized `operator delete[](void*)`
// per iteration: an array of a trivially destructible type carries no
// length, so its delete[] cannot pass a size.
template <std::size_t kBytes>
void BM_NewDeleteArray(benchmark::State& state) {
  for (auto _ : state) {
    char* block = new char[kBytes];
    benchmark::DoNotOptimize(block);
    delete[] block;
  }
}

// Fills a vector from empty: one allocation per capacity doubling (8 for 100
// ints: capacities 1, 2, 4, ..., 128), each freeing the previous buffer.
void BM_VectorGrowth(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::vector<int> v;
    for (int i = 0; i < n; ++i) v.push_back(i);
    benchmark::DoNotOptimize(v.data());
    benchmark::ClobberMemory();
  }
}

// Appends eight 12-character words to a string: it outgrows the 15-character
// small-string buffer and then its capacity twice (30, 60, 120 characters),
// so 3 allocations per iteration, with the copying of a real string workload
// around them.
void BM_StringAppend(benchmark::State& state) {
  const char* word = "twelve chars";
  benchmark::DoNotOptimize(word);
  for (auto _ : state) {
    std::string s;
    for (int i = 0; i < 8; ++i) s.append(word, 12);
    benchmark::DoNotOptimize(s.data());
    benchmark::ClobberMemory();
  }
}

// The registered benchmark: a benchmark::internal::Benchmark in Google
// Benchmark 1.7 and 1.8, a benchmark::Benchmark (the old name deprecated) in
// 1.9.5.
auto* Register(const char* name, void (*fn)(benchmark::State&)) {
  auto* b = benchmark::RegisterBenchmark(name, fn);
  test_util::FixedIterations(b);
  return b;
}

// Registered at static initialisation, like BENCHMARK(), so that either
// main() (Google Benchmark's or alloc_counter's) runs them.
const bool kRegistered = [] {
  Register("BM_NewDelete/16", BM_NewDelete<16>);
  Register("BM_NewDelete/64", BM_NewDelete<64>);
  Register("BM_NewDelete/4096", BM_NewDelete<4096>);
  Register("BM_NewDeleteArray/64", BM_NewDeleteArray<64>);
  Register("BM_VectorGrowth", BM_VectorGrowth)->Arg(100);
  Register("BM_StringAppend", BM_StringAppend);
  // The 64 B loop on 1 and on 2 threads at once; each thread frees what it
  // allocates.
  Register("BM_NewDeleteThreads/64", BM_NewDelete<64>)->Threads(1)->Threads(2);
  return true;
}();

}  // namespace

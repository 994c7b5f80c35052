// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks whose allocation sites are known line by line, for
// sites_test.py. Built with -g (debug information, for file:line). The lines
// that allocate carry a `// site:NAME` comment, which the test looks up to
// know their numbers.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

// Out of line: a frame of its own on the stack. (Had it ended with the call
// that allocates, `return std::string(100, 'x');`, the compiler would make
// that a tail call, which leaves no frame of MakeLongString to unwind: the
// site would be the caller's line.)
__attribute__((noinline)) std::string MakeLongString() {
  std::string s(100, 'x');  // site:string
  s.back() = '!';
  return s;
}

// Inlined into its caller: a frame of its own only in the debug information.
inline __attribute__((always_inline)) std::unique_ptr<long> MakeInlined() {
  return std::make_unique<long>(7);  // site:inlined
}

// One std::string of 100 characters (101 bytes) built in a helper, and three
// `new int` in the loop body.
void BM_TwoSites(benchmark::State& state) {
  for (auto _ : state) {
    std::string s = MakeLongString();  // site:string_caller
    benchmark::DoNotOptimize(s);
    int* ints[3];
    for (int i = 0; i < 3; ++i) ints[i] = new int(i);  // site:ints
    benchmark::DoNotOptimize(ints);
    for (int* p : ints) delete p;
  }
}
BENCHMARK(BM_TwoSites);

// 100 push_backs into an empty vector: 8 allocations as it doubles from 1 to
// 128 elements, all made by the user's push_back line.
void BM_VectorGrowth(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<int> v;
    for (int i = 0; i < 100; ++i) v.push_back(i);  // site:push_back
    benchmark::DoNotOptimize(v.data());
  }
}
BENCHMARK(BM_VectorGrowth);

void BM_InlinedHelper(benchmark::State& state) {
  for (auto _ : state) {
    std::unique_ptr<long> p = MakeInlined();  // site:inlined_caller
    benchmark::DoNotOptimize(p.get());
  }
}
BENCHMARK(BM_InlinedHelper);

// Five lines that allocate 5, 4, 3, 2 and 1 times; with
// --alloc_counter_sites=2 the last three are one "other" line.
void BM_FiveSites(benchmark::State& state) {
  for (auto _ : state) {
    std::vector<std::unique_ptr<char[]>> keep;
    keep.reserve(15);
    for (int i = 0; i < 5; ++i) keep.emplace_back(new char[10]);  // site:five
    for (int i = 0; i < 4; ++i) keep.emplace_back(new char[20]);  // site:four
    for (int i = 0; i < 3; ++i) keep.emplace_back(new char[30]);  // site:three
    for (int i = 0; i < 2; ++i) keep.emplace_back(new char[40]);  // site:two
    keep.emplace_back(new char[50]);                              // site:one
    benchmark::DoNotOptimize(keep.data());
  }
}
BENCHMARK(BM_FiveSites);

// An allocation on a helper thread the loop starts and joins: the thread's
// own stack, whose innermost frame of the program is the lambda.
void BM_HelperThread(benchmark::State& state) {
  for (auto _ : state) {
    auto work = [] {
      auto* p = new double(1.0);  // site:helper
      benchmark::DoNotOptimize(p);
      delete p;
    };
    std::thread helper(work);  // site:thread_start
    helper.join();
  }
}
BENCHMARK(BM_HelperThread)->UseRealTime();

// Two threads: the memory run runs thread 0 only.
void BM_Threads(benchmark::State& state) {
  for (auto _ : state) {
    auto p = std::make_unique<int[]>(6);  // site:threads
    benchmark::DoNotOptimize(p.get());
  }
}
BENCHMARK(BM_Threads)->Threads(2);

// Repetitions: every repetition row has its own sites.
void BM_Repeated(benchmark::State& state) {
  for (auto _ : state) {
    auto p = std::make_shared<int>(1);  // site:repeated
    benchmark::DoNotOptimize(p.get());
  }
}
BENCHMARK(BM_Repeated)->Repetitions(2);

// No allocation: an empty list of sites.
void BM_NoAllocation(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) benchmark::DoNotOptimize(++x);
}
BENCHMARK(BM_NoAllocation);

}  // namespace

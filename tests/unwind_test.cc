// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of Backtrace(): on stacks of many shapes, it gives the frames
// that _Unwind_Backtrace gives (SlowBacktrace()), the first time an address
// is seen and once its rule is kept. (Its speed is measured by
// benchmarks/sites_cost_benchmark.cc, not here.)

#include "alloc_counter/unwind.h"

#include <alloca.h>
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr int kMax = 128;

using ::testing::ElementsAreArray;

// The stack of the caller of Capture(), twice: by Backtrace() and by
// SlowBacktrace(). Their first frames are two different calls of this
// function; the rest must be the same.
struct Stacks {
  std::vector<uintptr_t> fast;
  std::vector<uintptr_t> slow;
};

std::vector<Stacks>* g_captured = nullptr;

__attribute__((noinline)) void Capture() {
  Stacks stacks;
  uintptr_t pcs[kMax];
  stacks.fast.assign(pcs, pcs + Backtrace(pcs, kMax));
  stacks.slow.assign(pcs, pcs + SlowBacktrace(pcs, kMax));
  g_captured->push_back(stacks);
  asm volatile("" ::: "memory");
}

// Checks every capture made by `body`: the same frames both ways (after
// the first, which is Capture()'s own call), more than a few of them.
void ExpectSameStacks(const std::function<void()>& body) {
  std::vector<Stacks> captured;
  g_captured = &captured;
  for (int round = 0; round < 2; ++round) {  // the rules are kept by round 2
    ForgetUnwindRules();
    body();
    body();
  }
  g_captured = nullptr;
  ASSERT_FALSE(captured.empty());
  for (const Stacks& s : captured) {
    ASSERT_GT(s.slow.size(), 3u);
    ASSERT_EQ(s.fast.size(), s.slow.size());
    EXPECT_THAT(std::vector<uintptr_t>(s.fast.begin() + 1, s.fast.end()),
                ElementsAreArray(s.slow.begin() + 1, s.slow.end()));
  }
}

__attribute__((noinline)) int Recurse(int depth) {
  if (depth == 0) {
    Capture();
    return 0;
  }
  const int n = Recurse(depth - 1);
  asm volatile("" ::: "memory");
  return n + 1;
}

// A frame whose size is known only at run time: its CFA is rbp-based.
__attribute__((noinline)) void WithAlloca(int bytes) {
  char* buffer = static_cast<char*>(alloca(static_cast<size_t>(bytes)));
  buffer[0] = 1;
  asm volatile("" : : "r"(buffer) : "memory");
  Capture();
  asm volatile("" : : "r"(buffer) : "memory");
}

// A frame realigned for an over-aligned local.
__attribute__((noinline)) void Realigned() {
  alignas(128) char buffer[128];
  buffer[0] = 1;
  asm volatile("" : : "r"(buffer) : "memory");
  Capture();
  asm volatile("" : : "r"(buffer) : "memory");
}

__attribute__((noinline)) void Throwing() { throw std::runtime_error("x"); }

int CompareCapturing(const void* a, const void* b) {
  Capture();
  return *static_cast<const int*>(a) - *static_cast<const int*>(b);
}

void OnSignal(int) { Capture(); }

TEST(BacktraceTest, DeepRecursionMatches) {
  ExpectSameStacks([] { Recurse(40); });
}

TEST(BacktraceTest, StacksDeeperThanTheMaximumAreCutTheSame) {
  ExpectSameStacks([] { Recurse(200); });
}

TEST(BacktraceTest, AllocaFramesMatch) {
  ExpectSameStacks([] { WithAlloca(1000); });
  ExpectSameStacks([] { WithAlloca(100000); });
}

TEST(BacktraceTest, RealignedFramesMatch) {
  ExpectSameStacks([] { Realigned(); });
}

TEST(BacktraceTest, LibraryCallbacksMatch) {
  // qsort is the C library's code; std::sort and std::function inline the
  // standard library's templates.
  ExpectSameStacks([] {
    int values[] = {3, 1, 2};
    qsort(values, 3, sizeof(int), &CompareCapturing);
  });
  ExpectSameStacks([] {
    std::vector<int> values = {3, 1, 2};
    std::sort(values.begin(), values.end(), [](int a, int b) {
      Capture();
      return a < b;
    });
  });
}

TEST(BacktraceTest, CatchBlocksMatch) {
  ExpectSameStacks([] {
    try {
      Throwing();
    } catch (const std::exception&) {
      Capture();
    }
  });
}

TEST(BacktraceTest, OtherThreadsMatch) {
  ExpectSameStacks([] {
    std::thread thread([] { Recurse(5); });
    thread.join();
  });
}

TEST(BacktraceTest, SignalHandlersMatch) {
  struct sigaction action = {};
  struct sigaction old = {};
  action.sa_handler = &OnSignal;
  ASSERT_EQ(sigaction(SIGUSR1, &action, &old), 0);
  ExpectSameStacks([] { raise(SIGUSR1); });
  ASSERT_EQ(sigaction(SIGUSR1, &old, nullptr), 0);
}

TEST(BacktraceTest, CutsAtMax) {
  uintptr_t pcs[4];
  EXPECT_EQ(Backtrace(pcs, 4), 4);
  EXPECT_EQ(Backtrace(pcs, 0), 0);
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

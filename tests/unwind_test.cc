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
#include <atomic>
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
// function; the rest must be the same. Kept in static storage: Capture()
// also runs in a signal handler, where nothing may allocate.
struct Stacks {
  uintptr_t fast[kMax];
  int fast_depth;
  uintptr_t slow[kMax];
  int slow_depth;
};

constexpr int kMaxCaptures = 64;
Stacks g_captured[kMaxCaptures];
std::atomic<int> g_capture_count{0};

__attribute__((noinline)) void Capture() {
  const int index = g_capture_count.fetch_add(1);
  if (index >= kMaxCaptures) return;
  Stacks& stacks = g_captured[index];
  stacks.fast_depth = Backtrace(stacks.fast, kMax);
  stacks.slow_depth = SlowBacktrace(stacks.slow, kMax);
  asm volatile("" ::: "memory");
}

// Checks every capture made by `body`: the same frames both ways (after
// the first, which is Capture()'s own call), more than a few of them.
void ExpectSameStacks(const std::function<void()>& body) {
  g_capture_count = 0;
  for (int round = 0; round < 2; ++round) {  // the rules are kept by round 2
    ForgetUnwindRules();
    body();
    body();
  }
  const int count = g_capture_count.load();
  ASSERT_GT(count, 0);
  ASSERT_LE(count, kMaxCaptures);
  for (int i = 0; i < count; ++i) {
    const Stacks& s = g_captured[i];
    ASSERT_GT(s.slow_depth, 3);
    ASSERT_EQ(s.fast_depth, s.slow_depth);
    EXPECT_THAT(std::vector<uintptr_t>(s.fast + 1, s.fast + s.fast_depth),
                ElementsAreArray(s.slow + 1, s.slow + s.slow_depth));
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

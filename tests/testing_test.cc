// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Tests of the GoogleTest assertions of alloc_counter/testing.h: that they
// pass on the right counts, fail with a message giving the counts and bytes
// seen, and count the calling thread unless told otherwise.

#include "alloc_counter/testing.h"

#include <atomic>
#include <cstddef>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "tests/util/allocate.h"
#include "tests/util/std_library.h"

namespace {

void Allocate(std::size_t size) {
  void* p = ::operator new(size);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  ::operator delete(p, size);
}

int Sum(const std::vector<int>& v) {
  int sum = 0;
  for (int x : v) sum += x;
  return sum;
}

TEST(ExpectNoAllocs, PassesForCodeThatDoesNotAllocate) {
  const std::vector<int> v = {1, 2, 3};
  int sum = 0;
  EXPECT_NO_ALLOCS(sum = Sum(v));
  EXPECT_EQ(sum, 6);
}

TEST(ExpectNoAllocs, FailsWithTheCountAndBytesSeen) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_NO_ALLOCS(Allocate(100)),
      "Expected: Allocate(100) makes 0 allocations (counting the calling "
      "thread)\n  Actual: 1 allocation of 100 bytes in total; 1 free of 100 "
      "bytes; peak 100 live bytes");
}

TEST(ExpectAllocs, PassesOnTheExactCount) {
  // Escaped: clang deletes the paired new and delete of an unused vector.
  EXPECT_ALLOCS(
      {
        std::vector<int> v(10);
        test_util::Escape(v.data());
      },
      1);
  EXPECT_ALLOCS(Allocate(1); Allocate(2); Allocate(3), 3);
}

TEST(ExpectAllocs, FailsOnAnyOtherCount) {
  EXPECT_NONFATAL_FAILURE(EXPECT_ALLOCS(Allocate(8), 2),
                          "makes 2 allocations (counting the calling thread)"
                          "\n  Actual: 1 allocation of 8 bytes");
}

TEST(ExpectAllocs, AcceptsAStreamedMessage) {
  EXPECT_NONFATAL_FAILURE(EXPECT_ALLOCS(Allocate(8), 0) << "while parsing",
                          "while parsing");
}

void AssertNoAllocsThenMarkReached(bool* reached) {
  ASSERT_NO_ALLOCS(Allocate(16));
  *reached = true;
}

TEST(AssertNoAllocs, EndsTheTestOnFailure) {
  static bool reached = false;
  EXPECT_FATAL_FAILURE(AssertNoAllocsThenMarkReached(&reached),
                       "Actual: 1 allocation of 16 bytes");
  EXPECT_FALSE(reached);
}

void AssertOneAlloc() { ASSERT_ALLOCS(Allocate(16), 1); }

TEST(AssertAllocs, PassesOnTheExactCount) { AssertOneAlloc(); }

void AllocateOnAnotherThread() {
  std::thread t([] { Allocate(32); });
  t.join();
}

TEST(ExpectAllocs, CountsOnlyTheCallingThreadByDefault) {
  // The calling thread allocates std::thread's state; the thread's own
  // allocation is not counted.
  EXPECT_ALLOCS(AllocateOnAnotherThread(), test_util::kThreadStartAllocs);
}

TEST(ExpectAllocsAllThreads, CountsEveryThread) {
  // std::thread's state and the thread's own allocation.
  constexpr int kAllocs = test_util::kThreadStartAllocs + 1;
  EXPECT_ALLOCS_ALL_THREADS(AllocateOnAnotherThread(), kAllocs);
  const std::string message =
      "makes 0 allocations (counting all threads)\n  Actual: " +
      std::to_string(kAllocs) + " allocations";
  EXPECT_NONFATAL_FAILURE(
      EXPECT_NO_ALLOCS_ALL_THREADS(AllocateOnAnotherThread()), message);
}

TEST(AllocsPerRun, AveragesAfterOneWarmUpCall) {
  int calls = 0;
  // Allocates on the first call only (a one-time cache), then on every other
  // call.
  auto fn = [&calls] {
    if (calls == 0 || calls % 2 == 0) Allocate(64);
    ++calls;
  };
  EXPECT_EQ(alloc_counter::AllocsPerRun(10, fn), 0.5);
  EXPECT_EQ(calls, 11);
}

TEST(AllocsPerRun, IsZeroForAnAllocationFreeFunction) {
  const std::vector<int> v = {4, 5};
  EXPECT_EQ(alloc_counter::AllocsPerRun(100, [&] { (void)Sum(v); }), 0.0);
}

TEST(AllocsPerRun, FailsOnFewerThanOneRun) {
  int calls = 0;
  double result = -1;
  EXPECT_NONFATAL_FAILURE(
      result = alloc_counter::AllocsPerRun(0, [&] { ++calls; }),
      "AllocsPerRun: runs must be at least 1, not 0");
  EXPECT_EQ(result, 0);
  EXPECT_EQ(calls, 0);
}

}  // namespace

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Tests of alloc_counter::Scope: what a scope of the calling thread and a
// scope of the process count, nesting, peaks, and threads. Links
// //alloc_counter:scope alone: no Google Benchmark.
//
// GoogleTest's assertions allocate, so counts are read before asserting.

#include "alloc_counter/scope.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/util/allocate.h"
#include "tests/util/std_library.h"

namespace alloc_counter {
namespace {

using test_util::Allocate;
using test_util::Escape;

TEST(Scope, CountsAllocationsFreesAndBytesOfTheCallingThread) {
  Scope scope;
  void* a = Allocate(100);
  void* b = Allocate(28);
  ::operator delete(a, 100);
  const AllocationCounts c = scope.Counts();
  ::operator delete(b, 28);
  EXPECT_EQ(c.allocs, 2);
  EXPECT_EQ(c.bytes, 128);
  EXPECT_EQ(c.frees, 1);
  EXPECT_EQ(c.freed_bytes, 100);
  EXPECT_EQ(c.net_bytes, 28);
  EXPECT_EQ(c.peak_bytes, 128);
}

TEST(Scope, CountsNothingWhenNothingAllocates) {
  Scope scope;
  const AllocationCounts c = scope.Counts();
  EXPECT_EQ(c.allocs, 0);
  EXPECT_EQ(c.bytes, 0);
  EXPECT_EQ(c.frees, 0);
  EXPECT_EQ(c.peak_bytes, 0);
}

TEST(Scope, UnsizedDeleteReleasesTheRequestedBytes) {
  Scope scope;
  // delete[] of a trivially destructible array is an unsized delete.
  char* p = new char[1];
  Escape(p);
  delete[] p;
  const AllocationCounts c = scope.Counts();
  EXPECT_EQ(c.allocs, 1);
  EXPECT_EQ(c.bytes, 1);
  EXPECT_EQ(c.freed_bytes, 1);
  EXPECT_EQ(c.net_bytes, 0);
  EXPECT_EQ(c.peak_bytes, 1);
}

TEST(Scope, PeakIsTheLargestGrowthSinceConstruction) {
  void* before = Allocate(5000);  // live before the scope: not its growth
  Scope scope;
  void* a = Allocate(1000);
  void* b = Allocate(2000);
  ::operator delete(b, 2000);
  ::operator delete(a, 1000);
  void* c = Allocate(500);
  ::operator delete(c, 500);
  ::operator delete(before, 5000);  // below the starting level
  const AllocationCounts counts = scope.Counts();
  EXPECT_EQ(counts.peak_bytes, 3000);
  EXPECT_EQ(counts.net_bytes, -5000);
}

TEST(Scope, NestedScopesEachCountFromTheirOwnStart) {
  Scope outer;
  void* a = Allocate(400);
  AllocationCounts inner_counts;
  {
    Scope inner;
    void* b = Allocate(100);
    ::operator delete(b, 100);
    inner_counts = inner.Counts();
  }
  ::operator delete(a, 400);
  const AllocationCounts outer_counts = outer.Counts();
  EXPECT_EQ(inner_counts.allocs, 1);
  EXPECT_EQ(inner_counts.peak_bytes, 100);
  EXPECT_EQ(outer_counts.allocs, 2);
  EXPECT_EQ(outer_counts.bytes, 500);
  // The inner scope's peak (400 + 100 live) is the outer scope's too.
  EXPECT_EQ(outer_counts.peak_bytes, 500);
  EXPECT_EQ(outer_counts.net_bytes, 0);
}

TEST(Scope, ThreadScopeIgnoresOtherThreads) {
  Scope scope;
  std::atomic<bool> go{false};
  std::thread other([&] {
    while (!go.load()) std::this_thread::yield();
    ::operator delete(Allocate(64), 64);
  });
  go.store(true);
  other.join();
  const AllocationCounts c = scope.Counts();
  // std::thread allocates its state on this thread.
  EXPECT_EQ(c.allocs, test_util::kThreadStartAllocs);
  EXPECT_EQ(c.frees, 0);  // the new thread frees that state
}

TEST(Scope, ProcessScopeCountsEveryThread) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      for (int j = 0; j < kPerThread; ++j) {
        ::operator delete(Allocate(16), 16);
      }
    });
  }
  AllocationCounts c;
  {
    Scope scope(Threads::kAll);
    go.store(true);
    for (std::thread& t : threads) t.join();
    c = scope.Counts();
  }
  // Each exiting thread frees its std::thread state (unsized delete of
  // blocks allocated before the scope) inside the scope.
  EXPECT_EQ(c.allocs, kThreads * kPerThread);
  EXPECT_EQ(c.bytes, kThreads * kPerThread * 16);
  EXPECT_EQ(c.frees,
            kThreads * kPerThread + kThreads * test_util::kThreadStartAllocs);
}

TEST(Scope, ProcessScopeBalancesCrossThreadFrees) {
  constexpr int kBlocks = 500;
  std::vector<void*> blocks(kBlocks);
  AllocationCounts c;
  {
    std::thread producer;
    std::thread consumer;
    Scope scope(Threads::kAll);
    producer = std::thread([&] {
      for (void*& p : blocks) p = Allocate(48);
    });
    producer.join();
    consumer = std::thread([&] {
      for (void* p : blocks) ::operator delete(p, 48);
    });
    consumer.join();
    c = scope.Counts();
  }
  // The two std::thread states are counted too (the lambda holds one
  // reference), and a thread frees its own before it ends: the peak is every
  // block with the consumer's state live.
  EXPECT_EQ(c.allocs, kBlocks + 2 * test_util::kThreadStartAllocs);
  EXPECT_EQ(c.frees, kBlocks + 2 * test_util::kThreadStartAllocs);
  EXPECT_EQ(c.net_bytes, 0);
  EXPECT_EQ(c.peak_bytes,
            kBlocks * 48 + test_util::ThreadStartBytes(sizeof(void*)));
}

}  // namespace
}  // namespace alloc_counter

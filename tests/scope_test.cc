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
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/util/allocate.h"
#include "tests/util/std_library.h"

namespace alloc_counter {
namespace {

using test_util::Allocate;
using test_util::Escape;

// Every count of `c`, named as its fields are, to check a whole result in one
// assertion whose failure shows all of them:
// "allocs=1 bytes=50 frees=1 freed_bytes=50 net_bytes=0 peak_bytes=50".
std::string Described(const AllocationCounts& c) {
  return "allocs=" + std::to_string(c.allocs) +
         " bytes=" + std::to_string(c.bytes) +
         " frees=" + std::to_string(c.frees) +
         " freed_bytes=" + std::to_string(c.freed_bytes) +
         " net_bytes=" + std::to_string(c.net_bytes) +
         " peak_bytes=" + std::to_string(c.peak_bytes);
}

TEST(Scope, CountsAllocationsFreesAndBytesOfTheCallingThread) {
  Scope scope;
  void* a = Allocate(100);
  void* b = Allocate(28);
  ::operator delete(a, 100);
  const AllocationCounts c = scope.Counts();
  ::operator delete(b, 28);
  EXPECT_EQ(Described(c),
            "allocs=2 bytes=128 frees=1 freed_bytes=100 net_bytes=28 "
            "peak_bytes=128");
}

TEST(Scope, CountsNothingWhenNothingAllocates) {
  Scope scope;
  const AllocationCounts c = scope.Counts();
  EXPECT_EQ(Described(c), Described(AllocationCounts{}));
}

TEST(Scope, UnsizedDeleteReleasesTheRequestedBytes) {
  Scope scope;
  // delete[] of a trivially destructible array is an unsized delete.
  char* p = new char[1];
  Escape(p);
  delete[] p;
  const AllocationCounts c = scope.Counts();
  EXPECT_EQ(Described(c),
            "allocs=1 bytes=1 frees=1 freed_bytes=1 net_bytes=0 peak_bytes=1");
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
  // Three blocks allocated (1000 + 2000 + 500 bytes) and four freed, the
  // 5000 bytes from before the scope among them; the peak is a and b live.
  EXPECT_EQ(Described(counts),
            "allocs=3 bytes=3500 frees=4 freed_bytes=8500 net_bytes=-5000 "
            "peak_bytes=3000");
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
  EXPECT_EQ(Described(inner_counts),
            "allocs=1 bytes=100 frees=1 freed_bytes=100 net_bytes=0 "
            "peak_bytes=100");
  // The inner scope's peak (400 + 100 live) is the outer scope's too.
  EXPECT_EQ(Described(outer_counts),
            "allocs=2 bytes=500 frees=2 freed_bytes=500 net_bytes=0 "
            "peak_bytes=500");
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
  // The two std::thread states are counted too (test_util::ThreadStartBytes:
  // the lambda holds one reference), and a thread frees its own before it
  // ends: the peak is every block with one thread's state still live.
  AllocationCounts expected;
  expected.allocs = expected.frees =
      kBlocks + 2 * test_util::kThreadStartAllocs;
  expected.bytes = expected.freed_bytes =
      kBlocks * 48 + 2 * test_util::ThreadStartBytes(sizeof(void*));
  expected.peak_bytes =
      kBlocks * 48 + test_util::ThreadStartBytes(sizeof(void*));
  EXPECT_EQ(Described(c), Described(expected));
}

}  // namespace
}  // namespace alloc_counter

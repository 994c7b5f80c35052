// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// fork() inside the measured window. The child gets a copy of the counters
// and may allocate and free before it calls _exit(); what it counts stays in
// its copy, and the parent's totals are exactly the parent's own. A child
// forked while other threads were allocating must not deadlock in the hooks.
// Built once per allocator (BUILD.bazel).

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/util/measure.h"

namespace reliability {
namespace {

using test_util::Allocate;
using test_util::Bytes;
using test_util::Free;
using test_util::MeasureLoop;

constexpr int kChildBlocks = 10;
constexpr std::size_t kChildBlock = 100;

// Exit status of a child whose own counters saw its allocations exactly.
constexpr int kChildCountedExactly = 0;
constexpr int kChildMiscounted = 3;

// In the child (still inside the inherited window): allocates and frees
// kChildBlocks blocks, sized and unsized, checks its own copy of the
// counters, and leaves with _exit (no atexit handlers, no gtest).
[[noreturn]] void ChildAllocatesThenExits() {
  const auto before = alloc_counter::internal::TotalsNow();
  for (int i = 0; i < kChildBlocks; ++i) {
    void* p = Allocate(kChildBlock);
    if (i % 2 == 0) {
      Free(p, kChildBlock);
    } else {
      ::operator delete(p);
    }
  }
  const auto after = alloc_counter::internal::TotalsNow();
  const bool exact = after.allocs - before.allocs == kChildBlocks &&
                     after.frees - before.frees == kChildBlocks &&
                     after.alloc_bytes - before.alloc_bytes ==
                         kChildBlocks * Bytes(kChildBlock);
  _exit(exact ? kChildCountedExactly : kChildMiscounted);
}

// Waits up to `seconds` for `child`; kills it and returns -1 if it is still
// running then (a deadlock), otherwise returns its wait status.
int WaitWithTimeout(pid_t child, int seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t r = waitpid(child, &status, WNOHANG);
    if (r == child) return status;
    if (r < 0) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  return -1;
}

TEST(Fork, ChildAllocationsAreNotInTheParentsCounts) {
  int status = -1;
  const auto t = MeasureLoop([&] {
    void* before_fork = Allocate(32);
    const pid_t child = fork();
    if (child == 0) ChildAllocatesThenExits();
    status = WaitWithTimeout(child, 30);
    Free(before_fork, 32);
    Free(Allocate(64), 64);
  });
  ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
  EXPECT_EQ(WEXITSTATUS(status), kChildCountedExactly);
  // The parent's two allocations and frees only.
  EXPECT_EQ(t.allocs, 2);
  EXPECT_EQ(t.alloc_bytes, 96);
  EXPECT_EQ(t.frees, 2);
  EXPECT_EQ(t.freed_bytes, 96);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(t.peak_bytes, 64);  // The 32 bytes are freed first.
}

TEST(Fork, ChildForkedWhileOtherThreadsAllocateCanAllocate) {
  // Three threads allocate and free without pause while the main thread
  // forks 20 children inside the window; a lock held by the hooks at the
  // moment of fork() would deadlock the child's first allocation. The
  // threads are started before the window and exit after it, so their
  // std::thread state is not counted.
  constexpr int kAllocators = 3;
  constexpr int kForks = 20;
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::atomic<int> stopped{0};
  std::atomic<bool> finish{false};
  int64_t made[kAllocators] = {};
  std::vector<std::thread> threads;
  for (int i = 0; i < kAllocators; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      while (!stop.load(std::memory_order_acquire)) {
        void* p = Allocate(24);
        if (made[i] % 2 == 0) {
          Free(p, 24);
        } else {
          ::operator delete(p);  // Unsized.
        }
        ++made[i];
      }
      stopped.fetch_add(1, std::memory_order_acq_rel);
      while (!finish.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
    });
  }
  std::vector<int> statuses;
  statuses.reserve(kForks);  // Before the window: no allocation inside.
  const auto t = MeasureLoop([&] {
    go.store(true, std::memory_order_release);
    for (int i = 0; i < kForks; ++i) {
      const pid_t child = fork();
      if (child == 0) ChildAllocatesThenExits();
      statuses.push_back(WaitWithTimeout(child, 10));
      if (statuses.back() == -1) break;  // Deadlocked: no use going on.
    }
    stop.store(true, std::memory_order_release);
    while (stopped.load(std::memory_order_acquire) < kAllocators) {
      std::this_thread::yield();
    }
  });
  finish.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();

  ASSERT_EQ(statuses.size(), std::size_t{kForks})
      << "a child did not exit within 10 s: it deadlocked";
  for (const int status : statuses) {
    ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
    EXPECT_EQ(WEXITSTATUS(status), kChildCountedExactly);
  }
  int64_t allocations_made = 0;
  for (const int64_t m : made) allocations_made += m;
  // Every allocation and free of the threads, nothing of the children's.
  EXPECT_EQ(t.allocs, allocations_made);
  EXPECT_EQ(t.alloc_bytes, allocations_made * 24);
  EXPECT_EQ(t.frees, allocations_made);
  EXPECT_EQ(t.freed_bytes, allocations_made * 24);
  EXPECT_EQ(t.net_bytes, 0);
}

}  // namespace
}  // namespace reliability

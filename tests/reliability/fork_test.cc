// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// fork() inside the measured window. The child gets a copy of the counters
// and may allocate and free before it calls _exit(); what it counts stays in
// its copy, and the parent's totals are exactly the parent's own. A child
// forked while other threads were allocating must not deadlock in the hooks.
// Built once per allocator (BUILD.bazel).

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/util/measure.h"

namespace reliability {
namespace {

constexpr int kChildBlocks = 10;
constexpr std::size_t kChildBlock = 100;

// Exit status of a child whose own counters saw its allocations exactly.
constexpr int kChildCountedExactly = 0;
constexpr int kChildMiscounted = 3;

// In the child (still inside the inherited window): allocates and frees
// kChildBlocks blocks, sized and unsized, checks its own copy of the
// counters, and leaves with _exit (no atexit handlers, no gtest).
[[noreturn]] void ChildAllocatesThenExits() {
  const auto before = test_util::TotalsNow();
  for (int i = 0; i < kChildBlocks; ++i) {
    void* p = test_util::Allocate(kChildBlock);
    if (i % 2 == 0) {
      test_util::Free(p, kChildBlock);
    } else {
      ::operator delete(p);
    }
  }
  const auto after = test_util::TotalsNow();
  const bool exact = after.allocs - before.allocs == kChildBlocks &&
                     after.frees - before.frees == kChildBlocks &&
                     after.alloc_bytes - before.alloc_bytes ==
                         kChildBlocks * test_util::Bytes(kChildBlock);
  _exit(exact ? kChildCountedExactly : kChildMiscounted);
}

// The CPU time `pid` has used, user and system, in clock ticks (fields 14
// and 15 of /proc/<pid>/stat), or -1 if it cannot be read. Allocates nothing:
// it runs inside the window.
long CpuTicks(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/stat", static_cast<int>(pid));
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char stat[1024];
  const ssize_t n = read(fd, stat, sizeof(stat) - 1);
  close(fd);
  if (n <= 0) return -1;
  stat[n] = '\0';
  // Field 2, the command, is in parentheses and may hold spaces: count the
  // fields from its end. Field 3 follows ") ".
  const char* field = std::strrchr(stat, ')');
  if (field == nullptr) return -1;
  field += 2;
  for (int i = 3; i < 14; ++i) {
    field = std::strchr(field, ' ');
    if (field == nullptr) return -1;
    ++field;
  }
  char* end = nullptr;
  const long user = std::strtol(field, &end, 10);
  const long system = std::strtol(end, nullptr, 10);
  return user + system;
}

// A child that has used this much CPU time without exiting is stuck: it
// needs well under a millisecond. Counted in the child's own CPU time, not
// in wall-clock time, a slow or loaded machine cannot make a healthy child
// look stuck. A child stuck asleep (a deadlock on a blocking lock) uses none;
// the test's own timeout ends that case.
constexpr int kStuckCpuSeconds = 5;

// Waits for `child`; kills it and returns -1 if it spins, stuck, for
// kStuckCpuSeconds of its CPU time, otherwise returns its wait status.
int WaitForChild(pid_t child) {
  const long stuck = kStuckCpuSeconds * sysconf(_SC_CLK_TCK);
  int status = 0;
  while (true) {
    const pid_t r = waitpid(child, &status, WNOHANG);
    if (r == child) return status;
    if (r < 0) return -2;
    if (CpuTicks(child) >= stuck) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  return -1;
}

TEST(Fork, ChildAllocationsAreNotInTheParentsCounts) {
  int status = -1;
  const auto t = test_util::MeasureLoop([&] {
    void* before_fork = test_util::Allocate(32);
    const pid_t child = fork();
    if (child == 0) ChildAllocatesThenExits();
    status = WaitForChild(child);
    test_util::Free(before_fork, 32);
    test_util::Free(test_util::Allocate(64), 64);
  });
  ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
  EXPECT_EQ(WEXITSTATUS(status), kChildCountedExactly);
  // The parent's two allocations and frees only; the 32 bytes are freed
  // before the 64 are allocated.
  EXPECT_EQ(test_util::Described(t),
            "allocs=2 alloc_bytes=96 frees=2 freed_bytes=96 net_bytes=0 "
            "peak_bytes=64");
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
        void* p = test_util::Allocate(24);
        if (made[i] % 2 == 0) {
          test_util::Free(p, 24);
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
  const auto t = test_util::MeasureLoop([&] {
    go.store(true, std::memory_order_release);
    for (int i = 0; i < kForks; ++i) {
      const pid_t child = fork();
      if (child == 0) ChildAllocatesThenExits();
      statuses.push_back(WaitForChild(child));
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
      << "a child spun for " << kStuckCpuSeconds
      << " s of CPU time without exiting: it deadlocked";
  for (const int status : statuses) {
    ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
    EXPECT_EQ(WEXITSTATUS(status), kChildCountedExactly);
  }
  int64_t allocations_made = 0;
  for (const int64_t m : made) allocations_made += m;
  // Every allocation and free of the threads, nothing of the children's.
  EXPECT_EQ(test_util::DescribedCounts(t),
            test_util::AllFreedCounts(allocations_made, allocations_made * 24));
  EXPECT_EQ(t.net_bytes, 0);
}

}  // namespace
}  // namespace reliability

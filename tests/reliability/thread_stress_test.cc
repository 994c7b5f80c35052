// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Thread stress: many threads allocating and freeing inside one measured
// window, with blocks freed by threads other than the one that allocated
// them, threads that start and exit inside the window, a thread pool, and
// allocations in thread-exit destructors. Every total is exact: allocations
// counted = allocations made (each thread counts what it makes in a local
// variable), frees balance, net bytes return to zero, and TotalsNow() moves
// by what the windows counted, so nothing is lost when threads exit. Built
// once per allocator (BUILD.bazel) and run under TSan by --config=tsan.
//
// The figures of docs/reliability.md come from the constants below.

#include <pthread.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "alloc_counter/thread_counters.h"
#include "gtest/gtest.h"
#include "tests/util/measure.h"
#include "tests/util/std_library.h"

namespace reliability {
namespace {

using alloc_counter::internal::CountsSince;
using alloc_counter::internal::Totals;

// A size from 8 to 1024 bytes that varies with the thread and the block.
std::size_t SizeFor(int thread, int block) {
  return 8 + 8 * static_cast<std::size_t>((thread * 131 + block * 31) % 128);
}

// The counts TotalsNow() gained since `before`: those of the test's windows,
// threads that have exited included.
Totals GainedSince(const Totals& before) {
  return CountsSince(test_util::TotalsNow(), before);
}

// -----------------------------------------------------------------------------
// N threads x M allocations, every block freed by another thread.

constexpr int kThreads = 8;
constexpr int kPerThread = 25000;

TEST(ThreadStress, CrossThreadFreesBalance) {
  std::vector<void*> blocks(std::size_t{kThreads} * kPerThread);
  std::array<int64_t, kThreads> made{};
  test_util::SpinBarrier all_allocated(kThreads);
  const auto before = test_util::TotalsNow();
  const auto t = test_util::MeasureOnThreads(kThreads, [&](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      blocks[static_cast<std::size_t>(i * kPerThread + j)] =
          test_util::Allocate(SizeFor(i, j));
      ++made[static_cast<std::size_t>(i)];
    }
    all_allocated.Wait();
    // Free the blocks of the next thread.
    const int owner = (i + 1) % kThreads;
    for (int j = 0; j < kPerThread; ++j) {
      test_util::Free(blocks[static_cast<std::size_t>(owner * kPerThread + j)],
                      SizeFor(owner, j));
    }
  });
  const Totals gained = GainedSince(before);

  int64_t allocations_made = 0;
  for (const int64_t m : made) allocations_made += m;
  int64_t bytes = 0;
  for (int i = 0; i < kThreads; ++i) {
    for (int j = 0; j < kPerThread; ++j) {
      bytes += test_util::Bytes(SizeFor(i, j));
    }
  }
  EXPECT_EQ(allocations_made, int64_t{kThreads} * kPerThread);
  // Every thread allocates all of its blocks before any is freed: the peak
  // is every block.
  EXPECT_EQ(test_util::Described(t),
            test_util::AllFreed(allocations_made, bytes, bytes));
  EXPECT_EQ(test_util::DescribedCounts(gained), test_util::DescribedCounts(t));
}

// A single-producer single-consumer ring of block pointers that never
// allocates.
class Ring {
 public:
  bool Push(void* p) {
    const uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == kCapacity) return false;
    slots_[tail % kCapacity] = p;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }
  void* Pop() {
    const uint64_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return nullptr;
    void* p = slots_[head % kCapacity];
    head_.store(head + 1, std::memory_order_release);
    return p;
  }

 private:
  static constexpr uint64_t kCapacity = 256;
  std::array<void*, kCapacity> slots_{};
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
};

TEST(ThreadStress, ConcurrentProducersAndConsumersBalance) {
  // Producers 0..3 allocate while consumers 4..7 free what the producer of
  // the same ring made, at the same time: frees of blocks allocated by
  // another thread interleave with allocations on other threads.
  constexpr int kPairs = kThreads / 2;
  std::array<Ring, kPairs> rings;
  std::array<int64_t, kThreads> done_ops{};
  const auto before = test_util::TotalsNow();
  const auto t = test_util::MeasureOnThreads(kThreads, [&](int i) {
    int64_t ops = 0;
    if (i < kPairs) {
      for (int j = 0; j < kPerThread; ++j) {
        void* p = test_util::Allocate(SizeFor(i, j));
        while (!rings[static_cast<std::size_t>(i)].Push(p)) {
          std::this_thread::yield();
        }
        ++ops;
      }
    } else {
      const int producer = i - kPairs;
      for (int j = 0; j < kPerThread; ++j) {
        void* p;
        while ((p = rings[static_cast<std::size_t>(producer)].Pop()) ==
               nullptr) {
          std::this_thread::yield();
        }
        test_util::Free(p, SizeFor(producer, j));
        ++ops;
      }
    }
    done_ops[static_cast<std::size_t>(i)] = ops;
  });
  const Totals gained = GainedSince(before);

  int64_t made = 0;
  int64_t freed = 0;
  int64_t bytes = 0;
  for (int i = 0; i < kPairs; ++i) {
    made += done_ops[static_cast<std::size_t>(i)];
    freed += done_ops[static_cast<std::size_t>(i + kPairs)];
    for (int j = 0; j < kPerThread; ++j) {
      bytes += test_util::Bytes(SizeFor(i, j));
    }
  }
  EXPECT_EQ(made, int64_t{kPairs} * kPerThread);
  EXPECT_EQ(test_util::DescribedCounts(t),
            absl::StrFormat("allocs=%d alloc_bytes=%d frees=%d freed_bytes=%d",
                            made, bytes, freed, bytes));
  EXPECT_EQ(t.net_bytes, 0);
  // How far the producers ran ahead varies; the peak lies between one block
  // and everything.
  EXPECT_GE(t.peak_bytes, 8);
  EXPECT_LE(t.peak_bytes, bytes);
  EXPECT_EQ(test_util::DescribedCounts(gained), test_util::DescribedCounts(t));
}

// -----------------------------------------------------------------------------
// Threads that start and exit inside the window.

constexpr int kRounds = 64;
constexpr int kPerRound = 8;
constexpr int kShortThreadBlocks = 100;
constexpr std::size_t kShortThreadBlock = 40;

// Starts kRounds rounds of kPerRound threads inside one window; each thread
// allocates `blocks` blocks, frees the first half itself and leaves the rest
// to the main thread, which frees them after the thread has exited. Only
// std::thread's own state (1 allocation in the creating thread, freed by
// the new thread, of a size fixed by the lambda's type) is counted besides.
auto StartAndExitThreads(int blocks) {
  std::vector<void*> left(std::size_t{kPerRound} * kShortThreadBlocks);
  return test_util::MeasureLoop([&] {
    for (int round = 0; round < kRounds; ++round) {
      std::array<std::thread, kPerRound> threads;
      for (int i = 0; i < kPerRound; ++i) {
        void** mine = &left[static_cast<std::size_t>(i * kShortThreadBlocks)];
        threads[static_cast<std::size_t>(i)] = std::thread([mine, blocks] {
          for (int j = 0; j < blocks; ++j)
            mine[j] = test_util::Allocate(kShortThreadBlock);
          for (int j = 0; j < blocks / 2; ++j)
            test_util::Free(mine[j], kShortThreadBlock);
        });
      }
      for (std::thread& thread : threads) thread.join();
      // Blocks whose allocating thread has exited.
      for (int i = 0; i < kPerRound; ++i) {
        for (int j = blocks / 2; j < blocks; ++j) {
          test_util::Free(
              left[static_cast<std::size_t>(i * kShortThreadBlocks + j)],
              kShortThreadBlock);
        }
      }
    }
  });
}

TEST(ThreadStress, ThreadsStartedAndExitedInsideTheWindowLoseNothing) {
  const auto overhead = StartAndExitThreads(0);
  const auto before = test_util::TotalsNow();
  const auto t = StartAndExitThreads(kShortThreadBlocks);
  const Totals gained = GainedSince(before);

  constexpr int64_t kStarted = int64_t{kRounds} * kPerRound;
  // The thread's state, allocated and freed once per thread.
  EXPECT_EQ(overhead.allocs, kStarted * test_util::kThreadStartAllocs);
  EXPECT_EQ(overhead.frees, kStarted * test_util::kThreadStartAllocs);
  EXPECT_EQ(overhead.net_bytes, 0);

  // Beyond that overhead, the threads' blocks, every one freed.
  const int64_t blocks = kStarted * kShortThreadBlocks;
  EXPECT_EQ(test_util::DescribedCounts(CountsSince(t, overhead)),
            test_util::AllFreedCounts(
                blocks, blocks * test_util::Bytes(kShortThreadBlock)));
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(test_util::DescribedCounts(gained), test_util::DescribedCounts(t));
}

// -----------------------------------------------------------------------------
// A thread pool started before the window, fed tasks inside it.

class ThreadPool {
 public:
  struct Task {
    void (*run)(Task*);
    void* result = nullptr;  // Set by `run`, read by the submitter.
  };

  explicit ThreadPool(int workers) {
    for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  // Queues `task` (a fixed ring: submitting never allocates).
  void Submit(Task* task) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      space_.wait(lock, [&] { return tail_ - head_ < queue_.size(); });
      queue_[tail_++ % queue_.size()] = task;
    }
    ready_.notify_one();
  }

  // Waits until `n` tasks in all have run.
  void WaitForCompleted(int64_t n) {
    while (completed_.load(std::memory_order_acquire) < n) {
      std::this_thread::yield();
    }
  }

 private:
  void Work() {
    for (;;) {
      Task* task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return stop_ || head_ != tail_; });
        if (head_ == tail_) return;
        task = queue_[head_++ % queue_.size()];
      }
      space_.notify_one();
      task->run(task);
      completed_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable space_;
  std::array<Task*, 64> queue_{};
  uint64_t head_ = 0;
  uint64_t tail_ = 0;
  bool stop_ = false;
  std::atomic<int64_t> completed_{0};
  std::vector<std::thread> workers_;
};

constexpr int kPoolWorkers = 4;
constexpr int kTasks = 10000;

// Each task allocates 16, 200 and 3000 bytes, frees the first two on the
// worker and hands the third back to the submitter, which frees it.
void PoolTask(ThreadPool::Task* task) {
  void* small = test_util::Allocate(16);
  void* medium = test_util::Allocate(200);
  task->result = test_util::Allocate(3000);
  test_util::Free(medium, 200);
  test_util::Free(small, 16);
}

TEST(ThreadStress, ThreadPoolTasksAreAllCounted) {
  std::vector<ThreadPool::Task> tasks(kTasks, ThreadPool::Task{&PoolTask});
  const auto before = test_util::TotalsNow();
  Totals t;
  {
    ThreadPool pool(kPoolWorkers);
    t = test_util::MeasureLoop([&] {
      for (ThreadPool::Task& task : tasks) pool.Submit(&task);
      pool.WaitForCompleted(kTasks);
      for (ThreadPool::Task& task : tasks) test_util::Free(task.result, 3000);
    });
  }
  const Totals gained = GainedSince(before);
  // 3 blocks of 16 + 200 + 3000 bytes a task; the peak depends on how far
  // the workers ran ahead of the submitter.
  EXPECT_EQ(test_util::DescribedCounts(t),
            test_util::AllFreedCounts(3 * kTasks, 3216 * kTasks));
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(test_util::DescribedCounts(gained), test_util::DescribedCounts(t));
}

// -----------------------------------------------------------------------------
// Allocations made while a thread exits.

// A thread_local whose destructor allocates and frees one 64-byte block.
struct AllocatesOnDestruction {
  bool armed = false;
  ~AllocatesOnDestruction() {
    if (armed) test_util::Free(test_util::Allocate(64), 64);
  }
};
thread_local AllocatesOnDestruction tls_allocates_on_exit;

// A pthread key destructor that allocates and frees one 96-byte block. The
// key is created after alloc_counter's own (made by the first window), so it
// runs after alloc_counter has released the thread's slot.
void KeyDestructor(void*) { test_util::Free(test_util::Allocate(96), 96); }

auto StartThreadsThatAllocateAtExit(pthread_key_t key, bool at_exit) {
  constexpr int kExiting = 16;
  return test_util::MeasureLoop([&] {
    std::array<std::thread, kExiting> threads;
    for (std::thread& thread : threads) {
      thread = std::thread([key, at_exit] {
        if (!at_exit) return;
        tls_allocates_on_exit.armed = true;
        pthread_setspecific(key, &tls_allocates_on_exit);
      });
    }
    for (std::thread& thread : threads) thread.join();
  });
}

TEST(ThreadStress, AllocationsInThreadExitDestructorsAreCounted) {
  test_util::MeasureLoop([] {
    test_util::Free(test_util::Allocate(8), 8);
  });  // alloc_counter's key first.
  pthread_key_t key;
  ASSERT_EQ(pthread_key_create(&key, &KeyDestructor), 0);
  const auto overhead = StartThreadsThatAllocateAtExit(key, false);
  const auto t = StartThreadsThatAllocateAtExit(key, true);
  pthread_key_delete(key);
  // Beyond the threads' own overhead, per thread: the thread_local's 64
  // bytes and the key destructor's 96, each freed.
  EXPECT_EQ(test_util::DescribedCounts(CountsSince(t, overhead)),
            test_util::AllFreedCounts(16 * 2, 16 * (64 + 96)));
  EXPECT_EQ(t.net_bytes, 0);
}

}  // namespace
}  // namespace reliability

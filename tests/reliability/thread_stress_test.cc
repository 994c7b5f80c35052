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

#include "gtest/gtest.h"
#include "tests/util/measure.h"
#include "tests/util/std_library.h"

namespace reliability {
namespace {

using test_util::Allocate;
using test_util::Bytes;
using test_util::Free;
using test_util::MeasureLoop;
using test_util::MeasureOnThreads;
using test_util::SpinBarrier;

using alloc_counter::internal::BeginMeasurement;
using alloc_counter::internal::EndMeasurement;
using alloc_counter::internal::EnterLoop;
using alloc_counter::internal::ExitLoop;
using test_util::TotalsNow;

// A size from 8 to 1024 bytes that varies with the thread and the block.
std::size_t SizeFor(int thread, int block) {
  return 8 + 8 * static_cast<std::size_t>((thread * 131 + block * 31) % 128);
}

// The counts TotalsNow() gained over a test.
struct Gained {
  int64_t allocs, alloc_bytes, frees, freed_bytes;
};

template <typename Totals>
Gained Since(const Totals& before) {
  const auto now = TotalsNow();
  return {now.allocs - before.allocs, now.alloc_bytes - before.alloc_bytes,
          now.frees - before.frees, now.freed_bytes - before.freed_bytes};
}

// -----------------------------------------------------------------------------
// N threads x M allocations, every block freed by another thread.

constexpr int kThreads = 8;
constexpr int kPerThread = 25000;

TEST(ThreadStress, CrossThreadFreesBalance) {
  std::vector<void*> blocks(std::size_t{kThreads} * kPerThread);
  std::array<int64_t, kThreads> made{};
  SpinBarrier all_allocated(kThreads);
  const auto before = TotalsNow();
  const auto t = MeasureOnThreads(kThreads, [&](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      blocks[static_cast<std::size_t>(i * kPerThread + j)] =
          Allocate(SizeFor(i, j));
      ++made[static_cast<std::size_t>(i)];
    }
    all_allocated.Wait();
    // Free the blocks of the next thread.
    const int owner = (i + 1) % kThreads;
    for (int j = 0; j < kPerThread; ++j) {
      Free(blocks[static_cast<std::size_t>(owner * kPerThread + j)],
           SizeFor(owner, j));
    }
  });
  const Gained gained = Since(before);

  int64_t allocations_made = 0;
  for (const int64_t m : made) allocations_made += m;
  int64_t bytes = 0;
  for (int i = 0; i < kThreads; ++i) {
    for (int j = 0; j < kPerThread; ++j) bytes += Bytes(SizeFor(i, j));
  }
  EXPECT_EQ(allocations_made, int64_t{kThreads} * kPerThread);
  EXPECT_EQ(t.allocs, allocations_made);
  EXPECT_EQ(t.alloc_bytes, bytes);
  EXPECT_EQ(t.frees, allocations_made);
  EXPECT_EQ(t.freed_bytes, bytes);
  EXPECT_EQ(t.net_bytes, 0);
  // Every thread allocates all of its blocks before any is freed.
  EXPECT_EQ(t.peak_bytes, bytes);
  EXPECT_EQ(gained.allocs, t.allocs);
  EXPECT_EQ(gained.alloc_bytes, t.alloc_bytes);
  EXPECT_EQ(gained.frees, t.frees);
  EXPECT_EQ(gained.freed_bytes, t.freed_bytes);
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
  const auto before = TotalsNow();
  const auto t = MeasureOnThreads(kThreads, [&](int i) {
    int64_t ops = 0;
    if (i < kPairs) {
      for (int j = 0; j < kPerThread; ++j) {
        void* p = Allocate(SizeFor(i, j));
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
        Free(p, SizeFor(producer, j));
        ++ops;
      }
    }
    done_ops[static_cast<std::size_t>(i)] = ops;
  });
  const Gained gained = Since(before);

  int64_t made = 0;
  int64_t freed = 0;
  int64_t bytes = 0;
  for (int i = 0; i < kPairs; ++i) {
    made += done_ops[static_cast<std::size_t>(i)];
    freed += done_ops[static_cast<std::size_t>(i + kPairs)];
    for (int j = 0; j < kPerThread; ++j) bytes += Bytes(SizeFor(i, j));
  }
  EXPECT_EQ(made, int64_t{kPairs} * kPerThread);
  EXPECT_EQ(t.allocs, made);
  EXPECT_EQ(t.alloc_bytes, bytes);
  EXPECT_EQ(t.frees, freed);
  EXPECT_EQ(t.freed_bytes, bytes);
  EXPECT_EQ(t.net_bytes, 0);
  // How far the producers ran ahead varies; the peak lies between one block
  // and everything.
  EXPECT_GE(t.peak_bytes, 8);
  EXPECT_LE(t.peak_bytes, bytes);
  EXPECT_EQ(gained.allocs, t.allocs);
  EXPECT_EQ(gained.frees, t.frees);
  EXPECT_EQ(gained.alloc_bytes - gained.freed_bytes, 0);
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
  return MeasureLoop([&] {
    for (int round = 0; round < kRounds; ++round) {
      std::array<std::thread, kPerRound> threads;
      for (int i = 0; i < kPerRound; ++i) {
        void** mine = &left[static_cast<std::size_t>(i * kShortThreadBlocks)];
        threads[static_cast<std::size_t>(i)] = std::thread([mine, blocks] {
          for (int j = 0; j < blocks; ++j)
            mine[j] = Allocate(kShortThreadBlock);
          for (int j = 0; j < blocks / 2; ++j) Free(mine[j], kShortThreadBlock);
        });
      }
      for (std::thread& thread : threads) thread.join();
      // Blocks whose allocating thread has exited.
      for (int i = 0; i < kPerRound; ++i) {
        for (int j = blocks / 2; j < blocks; ++j) {
          Free(left[static_cast<std::size_t>(i * kShortThreadBlocks + j)],
               kShortThreadBlock);
        }
      }
    }
  });
}

TEST(ThreadStress, ThreadsStartedAndExitedInsideTheWindowLoseNothing) {
  const auto overhead = StartAndExitThreads(0);
  const auto before = TotalsNow();
  const auto t = StartAndExitThreads(kShortThreadBlocks);
  const Gained gained = Since(before);

  constexpr int64_t kStarted = int64_t{kRounds} * kPerRound;
  // The thread's state, allocated and freed once per thread.
  EXPECT_EQ(overhead.allocs, kStarted * test_util::kThreadStartAllocs);
  EXPECT_EQ(overhead.frees, kStarted * test_util::kThreadStartAllocs);
  EXPECT_EQ(overhead.net_bytes, 0);

  const int64_t blocks = kStarted * kShortThreadBlocks;
  EXPECT_EQ(t.allocs, overhead.allocs + blocks);
  EXPECT_EQ(t.alloc_bytes,
            overhead.alloc_bytes + blocks * Bytes(kShortThreadBlock));
  EXPECT_EQ(t.frees, overhead.frees + blocks);
  EXPECT_EQ(t.freed_bytes,
            overhead.freed_bytes + blocks * Bytes(kShortThreadBlock));
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(gained.allocs, t.allocs);
  EXPECT_EQ(gained.alloc_bytes, t.alloc_bytes);
  EXPECT_EQ(gained.frees, t.frees);
  EXPECT_EQ(gained.freed_bytes, t.freed_bytes);
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
  void* small = Allocate(16);
  void* medium = Allocate(200);
  task->result = Allocate(3000);
  Free(medium, 200);
  Free(small, 16);
}

TEST(ThreadStress, ThreadPoolTasksAreAllCounted) {
  std::vector<ThreadPool::Task> tasks(kTasks, ThreadPool::Task{&PoolTask});
  const auto before = TotalsNow();
  decltype(alloc_counter::internal::EndMeasurement()) t;
  {
    ThreadPool pool(kPoolWorkers);
    t = MeasureLoop([&] {
      for (ThreadPool::Task& task : tasks) pool.Submit(&task);
      pool.WaitForCompleted(kTasks);
      for (ThreadPool::Task& task : tasks) Free(task.result, 3000);
    });
  }
  const Gained gained = Since(before);
  EXPECT_EQ(t.allocs, 3 * kTasks);
  EXPECT_EQ(t.alloc_bytes, int64_t{3216} * kTasks);
  EXPECT_EQ(t.frees, 3 * kTasks);
  EXPECT_EQ(t.freed_bytes, int64_t{3216} * kTasks);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(gained.allocs, t.allocs);
  EXPECT_EQ(gained.frees, t.frees);
}

// -----------------------------------------------------------------------------
// Allocations made while a thread exits.

// A thread_local whose destructor allocates and frees one 64-byte block.
struct AllocatesOnDestruction {
  bool armed = false;
  ~AllocatesOnDestruction() {
    if (armed) Free(Allocate(64), 64);
  }
};
thread_local AllocatesOnDestruction tls_allocates_on_exit;

// A pthread key destructor that allocates and frees one 96-byte block. The
// key is created after alloc_counter's own (made by the first window), so it
// runs after alloc_counter has released the thread's slot.
void KeyDestructor(void*) { Free(Allocate(96), 96); }

auto StartThreadsThatAllocateAtExit(pthread_key_t key, bool at_exit) {
  constexpr int kExiting = 16;
  return MeasureLoop([&] {
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
  MeasureLoop([] { Free(Allocate(8), 8); });  // alloc_counter's key first.
  pthread_key_t key;
  ASSERT_EQ(pthread_key_create(&key, &KeyDestructor), 0);
  const auto overhead = StartThreadsThatAllocateAtExit(key, false);
  const auto t = StartThreadsThatAllocateAtExit(key, true);
  pthread_key_delete(key);
  // Per thread: the thread_local's 64 bytes and the key destructor's 96.
  EXPECT_EQ(t.allocs, overhead.allocs + 16 * 2);
  EXPECT_EQ(t.alloc_bytes, overhead.alloc_bytes + 16 * (64 + 96));
  EXPECT_EQ(t.frees, overhead.frees + 16 * 2);
  EXPECT_EQ(t.freed_bytes, overhead.freed_bytes + 16 * (64 + 96));
  EXPECT_EQ(t.net_bytes, 0);
}

}  // namespace
}  // namespace reliability

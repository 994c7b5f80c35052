// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: measure.h
// -----------------------------------------------------------------------------
//
// Test helpers that measure a loop body through alloc_counter's internal
// window API, exactly as the state wrappers do in Google Benchmark's memory
// run: on the calling thread (`MeasureLoop()`) or on several threads at once
// (`MeasureOnThreads()`), and describe what was counted in one line
// (`Described()`), to check a whole result in one assertion. The allocation
// helpers are allocate.h's.
//
// The window calls are thread-compatible: one test thread drives them.
// `SpinBarrier` is thread-safe. GoogleTest's assertions allocate: keep them
// out of the measured bodies.

#ifndef TESTS_UTIL_MEASURE_H_
#define TESTS_UTIL_MEASURE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "alloc_counter/thread_counters.h"
#include "alloc_counter/window.h"
#include "tests/util/allocate.h"

namespace test_util {

using alloc_counter::internal::Totals;

// TotalsNow()
//
// What every thread counted so far, those that have exited included, with
// `net_bytes` the bytes allocated minus the bytes freed: to check that
// nothing is lost when threads exit.
inline Totals TotalsNow() {
  Totals t = alloc_counter::internal::AllThreadsTotals();
  t.net_bytes = t.alloc_bytes - t.freed_bytes;
  return t;
}

// Described()
//
// Every count of `t`, named as its fields are:
//
//   EXPECT_EQ(Described(t), "allocs=1 alloc_bytes=50 frees=1 freed_bytes=50 "
//                           "net_bytes=0 peak_bytes=50");
//
// A failure shows all of them, expected and counted. Where an expected count
// is an expression, build the expected line with absl::StrFormat().
inline std::string Described(const Totals& t) {
  return absl::StrFormat(
      "allocs=%d alloc_bytes=%d frees=%d freed_bytes=%d net_bytes=%d "
      "peak_bytes=%d",
      t.allocs, t.alloc_bytes, t.frees, t.freed_bytes, t.net_bytes,
      t.peak_bytes);
}

// DescribedCounts()
//
// The four counts of `t`, "allocs=1 alloc_bytes=50 frees=1 freed_bytes=50",
// without `net_bytes` and `peak_bytes`: for what AllThreadsTotals() and
// CountsSince() return (they leave those at 0), and for a window whose peak
// depends on how its threads interleave.
inline std::string DescribedCounts(const Totals& t) {
  return absl::StrFormat("allocs=%d alloc_bytes=%d frees=%d freed_bytes=%d",
                         t.allocs, t.alloc_bytes, t.frees, t.freed_bytes);
}

// AllFreedCounts()
//
// What DescribedCounts() gives for `allocs` allocations of `bytes` bytes in
// all, every one of them freed:
//
//   EXPECT_EQ(DescribedCounts(t), AllFreedCounts(blocks, blocks * 40));
inline std::string AllFreedCounts(int64_t allocs, int64_t bytes) {
  return absl::StrFormat("allocs=%d alloc_bytes=%d frees=%d freed_bytes=%d",
                         allocs, bytes, allocs, bytes);
}

// AllFreed()
//
// What Described() gives for `allocs` allocations of `bytes` bytes in all,
// every one of them freed, live bytes having grown by `peak_bytes` at most:
//
//   EXPECT_EQ(Described(t), AllFreed(/*allocs=*/2, /*bytes=*/96,
//                                    /*peak_bytes=*/64));
inline std::string AllFreed(int64_t allocs, int64_t bytes, int64_t peak_bytes) {
  return absl::StrFormat(
      "allocs=%d alloc_bytes=%d frees=%d freed_bytes=%d net_bytes=0 "
      "peak_bytes=%d",
      allocs, bytes, allocs, bytes, peak_bytes);
}

// MeasureLoop()
//
// Runs `body` as the loop body of one measured window and returns what
// alloc_counter counted:
//
//   BeginMeasurement(); EnterLoop(); body(); ExitLoop(); EndMeasurement();
template <typename Body>
Totals MeasureLoop(Body&& body) {
  alloc_counter::internal::BeginMeasurement();
  alloc_counter::internal::EnterLoop();
  body();
  alloc_counter::internal::ExitLoop();
  return alloc_counter::internal::EndMeasurement();
}

// MeasureOnThreads()
//
// Runs `work(i)` for i in [0, n) on n threads at once, as the loop body of
// one window. std::thread allocates its state object when it is created and
// the new thread frees it when its function returns, so the threads are
// created between BeginMeasurement() and EnterLoop() (set-up, not counted),
// the loop is entered once all of them are running, they are released
// together, and kept alive until the window is closed: only `work` is
// counted.
template <typename Work>
Totals MeasureOnThreads(int n, Work work) {
  std::atomic<int> started{0};
  std::atomic<bool> go{false};
  std::atomic<bool> finish{false};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  alloc_counter::internal::BeginMeasurement();
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      started.fetch_add(1, std::memory_order_acq_rel);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      work(i);
      done.fetch_add(1, std::memory_order_acq_rel);
      while (!finish.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
    });
  }
  // What a thread's start allocates (glibc, with the C allocator counted)
  // stays out of the loop.
  while (started.load(std::memory_order_acquire) < n) std::this_thread::yield();
  alloc_counter::internal::EnterLoop();
  go.store(true, std::memory_order_release);
  while (done.load(std::memory_order_acquire) < n) std::this_thread::yield();
  alloc_counter::internal::ExitLoop();
  const Totals totals = alloc_counter::internal::EndMeasurement();
  finish.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();
  return totals;
}

// SpinBarrier
//
// A reusable barrier for a fixed number of threads, built on two atomics so
// that waiting never allocates (std::barrier is C++20, and a condition
// variable may allocate in some implementations).
class SpinBarrier {
 public:
  explicit SpinBarrier(int threads) : threads_(threads) {}

  // Blocks until `threads` threads have called Wait() in this round.
  void Wait() {
    const int64_t round = round_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
      arrived_.store(0, std::memory_order_relaxed);
      round_.store(round + 1, std::memory_order_release);
      return;
    }
    while (round_.load(std::memory_order_acquire) == round) {
      std::this_thread::yield();
    }
  }

 private:
  const int threads_;
  std::atomic<int> arrived_{0};
  std::atomic<int64_t> round_{0};
};

// Bytes(n): a size as the counters' signed type.
inline int64_t Bytes(std::size_t n) { return static_cast<int64_t>(n); }

}  // namespace test_util

#endif  // TESTS_UTIL_MEASURE_H_

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: window.h
// -----------------------------------------------------------------------------
//
// Test helpers shared by the reliability tests: driving alloc_counter's
// measured window through its internal API, as the loop-window wrappers do
// in Google Benchmark's memory run, and a barrier that never allocates.
//
// The window calls are thread-compatible: one test thread drives them. The
// barrier is thread-safe.

#ifndef TESTS_RELIABILITY_WINDOW_H_
#define TESTS_RELIABILITY_WINDOW_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <thread>

#include "alloc_counter/window.h"

namespace reliability {

// MeasureLoop()
//
// Runs `body` as the loop body of one measured window and returns what
// alloc_counter counted (alloc_counter::internal's totals: allocs,
// alloc_bytes, frees, freed_bytes, net_bytes, peak_bytes):
//
//   BeginMeasurement(); EnterLoop(); body(); ExitLoop(); EndMeasurement();
//
// GoogleTest's assertions allocate: keep them out of `body`.
template <typename Body>
auto MeasureLoop(Body&& body) {
  alloc_counter::internal::BeginMeasurement();
  alloc_counter::internal::EnterLoop();
  body();
  alloc_counter::internal::ExitLoop();
  return alloc_counter::internal::EndMeasurement();
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

// One allocation of `size` bytes the compiler cannot elide, and its sized
// free.
// Allocate() stores every block here, a volatile store the compiler must keep,
// so the allocation escapes and is never elided. Per thread: the stress
// tests' threads do not race on it.
inline thread_local void* volatile g_escape = nullptr;

inline void* Allocate(std::size_t size) {
  void* p = ::operator new(size);
  g_escape = p;
  return p;
}

inline void Free(void* p, std::size_t size) { ::operator delete(p, size); }

}  // namespace reliability

#endif  // TESTS_RELIABILITY_WINDOW_H_

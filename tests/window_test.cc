// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the benchmark window (window.cc) and of the per-thread
// counters under it (thread_counters.cc): what is counted before, during and
// after the loop body, paused regions, `peak_bytes`, and threads that
// allocate, free each other's blocks, start and exit inside the window.
//
// Each test drives the window through the internal API, exactly as the state
// wrappers do in a benchmark's memory run (tests/util/measure.h):
//
//   BeginMeasurement(); EnterLoop(); <body>; ExitLoop(); EndMeasurement();
//
// GoogleTest's assertions allocate, so every EXPECT/ASSERT sits outside the
// window.

#include "alloc_counter/window.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "alloc_counter/thread_counters.h"
#include "benchmark/benchmark.h"
#include "gtest/gtest.h"
#include "tests/util/measure.h"
#include "tests/util/std_library.h"

namespace alloc_counter {
namespace internal {
namespace {

// -----------------------------------------------------------------------------
// The window: only the loop body counts.

TEST(Window, AllocationsBeforeBeginMeasurementAreNotCounted) {
  void* p = ::operator new(1000);
  const Totals t = test_util::MeasureLoop([] {});
  EXPECT_EQ(test_util::Described(t), test_util::Described(Totals{}));
  ::operator delete(p, 1000);
}

TEST(Window, SetUpBetweenBeginMeasurementAndEnterLoopIsNotCounted) {
  BeginMeasurement();
  void* setup = ::operator new(1000);
  ::operator delete(::operator new(300), 300);
  EnterLoop();
  void* body = ::operator new(10);
  ExitLoop();
  const Totals t = EndMeasurement();
  EXPECT_EQ(test_util::Described(t),
            "allocs=1 alloc_bytes=10 frees=0 freed_bytes=0 net_bytes=10 "
            "peak_bytes=10");
  ::operator delete(setup, 1000);
  ::operator delete(body, 10);
}

TEST(Window, AllocationsAfterExitLoopAreNotCounted) {
  BeginMeasurement();
  EnterLoop();
  void* body = ::operator new(10);
  ExitLoop();
  void* teardown = ::operator new(1000);
  ::operator delete(body, 10);
  const Totals t = EndMeasurement();
  EXPECT_EQ(test_util::Described(t),
            "allocs=1 alloc_bytes=10 frees=0 freed_bytes=0 net_bytes=10 "
            "peak_bytes=10");
  ::operator delete(teardown, 1000);
}

TEST(Window, EnterLoopWithoutBeginMeasurementCountsNothing) {
  const Totals before = test_util::TotalsNow();
  EnterLoop();
  void* p = ::operator new(100);
  ::operator delete(p, 100);
  ExitLoop();
  const Totals after = test_util::TotalsNow();
  EXPECT_EQ(test_util::DescribedCounts(after),
            test_util::DescribedCounts(before));
}

TEST(Window, AllocationsAfterEndMeasurementAreNotCounted) {
  const Totals first = test_util::MeasureLoop(
      [] { ::operator delete(::operator new(100), 100); });
  const Totals before = test_util::TotalsNow();
  void* p = ::operator new(100);
  ::operator delete(p, 100);
  const Totals after = test_util::TotalsNow();
  EXPECT_EQ(test_util::Described(first),
            "allocs=1 alloc_bytes=100 frees=1 freed_bytes=100 net_bytes=0 "
            "peak_bytes=100");
  EXPECT_EQ(test_util::DescribedCounts(after),
            test_util::DescribedCounts(before));
}

TEST(Window, EachWindowCountsOnlyItsOwnLoopBody) {
  const Totals first = test_util::MeasureLoop([] {
    ::operator delete(::operator new(100), 100);
    ::operator delete(::operator new(200), 200);
  });
  const Totals second =
      test_util::MeasureLoop([] { ::operator delete(::operator new(50), 50); });
  EXPECT_EQ(test_util::Described(first),
            "allocs=2 alloc_bytes=300 frees=2 freed_bytes=300 net_bytes=0 "
            "peak_bytes=200");
  EXPECT_EQ(test_util::Described(second),
            "allocs=1 alloc_bytes=50 frees=1 freed_bytes=50 net_bytes=0 "
            "peak_bytes=50");
}

// -----------------------------------------------------------------------------
// Paused regions (state.PauseTiming() ... state.ResumeTiming()).

// Measures a loop body that allocates 100 bytes in a paused region, then 50
// outside it, with paused regions counted or not; frees both blocks after the
// window.
Totals MeasureBlocksInAndOutOfAPausedRegion(bool count_paused) {
  void* paused = nullptr;
  void* counted = nullptr;
  SetCountPaused(count_paused);
  const Totals t = test_util::MeasureLoop([&] {
    PauseLoop();
    paused = ::operator new(100);
    ResumeLoop();
    counted = ::operator new(50);
  });
  SetCountPaused(false);
  ::operator delete(paused, 100);
  ::operator delete(counted, 50);
  return t;
}

TEST(PausedRegion, AllocationsAreExcludedByDefaultButRaiseLiveBytes) {
  EXPECT_EQ(test_util::Described(MeasureBlocksInAndOutOfAPausedRegion(
                /*count_paused=*/false)),
            "allocs=1 alloc_bytes=50 frees=0 freed_bytes=0 net_bytes=150 "
            "peak_bytes=150");
}

TEST(PausedRegion, FreesAreExcludedByDefaultButLowerLiveBytes) {
  const Totals t = test_util::MeasureLoop([] {
    void* p = ::operator new(100);
    PauseLoop();
    ::operator delete(p, 100);
    void* q = ::operator new(300);
    ::operator delete(q, 300);
    ResumeLoop();
  });
  // The peak: 100 live, freed, then 300 live while paused.
  EXPECT_EQ(test_util::Described(t),
            "allocs=1 alloc_bytes=100 frees=0 freed_bytes=0 net_bytes=0 "
            "peak_bytes=300");
}

TEST(PausedRegion, AllocationsAreCountedWhenCountPausedIsSet) {
  EXPECT_EQ(test_util::Described(MeasureBlocksInAndOutOfAPausedRegion(
                /*count_paused=*/true)),
            "allocs=2 alloc_bytes=150 frees=0 freed_bytes=0 net_bytes=150 "
            "peak_bytes=150");
}

TEST(PausedRegion, EnterLoopStartsUnpaused) {
  BeginMeasurement();
  PauseLoop();  // Before the loop: must not carry into it.
  EnterLoop();
  void* p = ::operator new(10);
  ExitLoop();
  const Totals t = EndMeasurement();
  EXPECT_EQ(test_util::Described(t),
            "allocs=1 alloc_bytes=10 frees=0 freed_bytes=0 net_bytes=10 "
            "peak_bytes=10");
  ::operator delete(p, 10);
}

// -----------------------------------------------------------------------------
// peak_bytes.

TEST(PeakBytes, TwoBlocksHeldTogetherPeakAtTheirSum) {
  const Totals t = test_util::MeasureLoop([] {
    void* a = ::operator new(1000);
    void* b = ::operator new(2000);
    ::operator delete(a, 1000);
    ::operator delete(b, 2000);
  });
  EXPECT_EQ(test_util::Described(t),
            "allocs=2 alloc_bytes=3000 frees=2 freed_bytes=3000 net_bytes=0 "
            "peak_bytes=3000");
}

TEST(PeakBytes, BlockFreedBeforeTheNextPeaksAtTheLargerBlock) {
  void* b = nullptr;
  const Totals t = test_util::MeasureLoop([&] {
    void* a = ::operator new(1000);
    ::operator delete(a, 1000);
    b = ::operator new(500);
  });
  EXPECT_EQ(test_util::Described(t),
            "allocs=2 alloc_bytes=1500 frees=1 freed_bytes=1000 net_bytes=500 "
            "peak_bytes=1000");
  ::operator delete(b, 500);
}

// -----------------------------------------------------------------------------
// Threads.

// A size that varies with the thread and the allocation.
std::size_t SizeFor(int thread, int j) {
  return 16 + 8 * static_cast<std::size_t>((thread * 7 + j) % 50);
}

TEST(Threads, ConcurrentAllocationsOnFourThreadsAreAllCounted) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  std::vector<void*> blocks(kThreads * kPerThread);
  const Totals t = test_util::MeasureOnThreads(kThreads, [&](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      blocks[static_cast<std::size_t>(i * kPerThread + j)] =
          ::operator new(SizeFor(i, j));
    }
  });
  int64_t bytes = 0;
  for (int i = 0; i < kThreads; ++i) {
    for (int j = 0; j < kPerThread; ++j) {
      bytes += test_util::Bytes(SizeFor(i, j));
      ::operator delete(blocks[static_cast<std::size_t>(i * kPerThread + j)],
                        SizeFor(i, j));
    }
  }
  // Nothing is freed inside the window, so live bytes only grow: the peak is
  // every block.
  EXPECT_EQ(test_util::Described(t),
            absl::StrFormat("allocs=%d alloc_bytes=%d frees=0 freed_bytes=0 "
                            "net_bytes=%d peak_bytes=%d",
                            kThreads * kPerThread, bytes, bytes, bytes));
}

TEST(Threads, ConcurrentAllocationsAndFreesOnFourThreadsAreAllCounted) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  const Totals t = test_util::MeasureOnThreads(kThreads, [](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      void* p = ::operator new(SizeFor(i, j));
      ::operator delete(p, SizeFor(i, j));
    }
  });
  int64_t bytes = 0;
  for (int i = 0; i < kThreads; ++i) {
    for (int j = 0; j < kPerThread; ++j)
      bytes += test_util::Bytes(SizeFor(i, j));
  }
  // The peak depends on how the threads interleave.
  EXPECT_EQ(test_util::DescribedCounts(t),
            test_util::AllFreedCounts(kThreads * kPerThread, bytes));
  EXPECT_EQ(t.net_bytes, 0);
}

TEST(Threads, FreeOnAnotherThreadIsCountedExactly) {
  constexpr int kBlocks = 1000;
  std::vector<void*> blocks(kBlocks);
  std::atomic<bool> allocated{false};
  const Totals t = test_util::MeasureOnThreads(2, [&](int i) {
    if (i == 0) {  // Thread A allocates...
      for (int j = 0; j < kBlocks; ++j) {
        blocks[static_cast<std::size_t>(j)] = ::operator new(SizeFor(0, j));
      }
      allocated.store(true, std::memory_order_release);
    } else {  // ...thread B frees.
      while (!allocated.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
      for (int j = 0; j < kBlocks; ++j) {
        ::operator delete(blocks[static_cast<std::size_t>(j)], SizeFor(0, j));
      }
    }
  });
  int64_t bytes = 0;
  for (int j = 0; j < kBlocks; ++j) bytes += test_util::Bytes(SizeFor(0, j));
  // B starts freeing only once A holds every block: the peak is all of them.
  EXPECT_EQ(test_util::Described(t),
            test_util::AllFreed(kBlocks, bytes, bytes));
}

constexpr int kShortThreads = 8;
constexpr std::size_t kShortThreadBlock = 40;

// Starts kShortThreads threads inside the loop body, one after another or all
// at once, each allocating and freeing `k` blocks of kShortThreadBlock bytes,
// and joins them before the loop ends: every thread starts and exits inside
// the window.
//
// Here std::thread's own state is inside the window too: allocated in the
// creating thread and freed by the new thread before it ends,
// test_util::kThreadStartAllocs allocations and as many frees per thread.
// Callers measure that overhead with k = 0, with the same lambda type and so
// the same state size, and subtract it.
Totals StartShortThreads(bool concurrently, int k) {
  std::thread threads[kShortThreads];
  const auto work = [k] {
    void* blocks[64];
    for (int j = 0; j < k; ++j) blocks[j] = ::operator new(kShortThreadBlock);
    for (int j = 0; j < k; ++j) ::operator delete(blocks[j], kShortThreadBlock);
  };
  return test_util::MeasureLoop([&] {
    for (std::thread& thread : threads) {
      thread = std::thread(work);
      if (!concurrently) thread.join();
    }
    if (concurrently) {
      for (std::thread& thread : threads) thread.join();
    }
  });
}

void ExpectShortThreadsLoseNothing(bool concurrently) {
  constexpr int kPerThread = 50;
  const Totals overhead = StartShortThreads(concurrently, 0);
  const Totals t = StartShortThreads(concurrently, kPerThread);
  // What starting the threads allocates (test_util::kThreadStartAllocs per
  // std::thread), every block freed.
  EXPECT_EQ(
      test_util::DescribedCounts(overhead),
      test_util::AllFreedCounts(kShortThreads * test_util::kThreadStartAllocs,
                                overhead.alloc_bytes));
  EXPECT_EQ(overhead.net_bytes, 0);

  // Beyond that overhead, the threads' blocks, every one freed. The peak
  // depends on how the threads interleave.
  const int64_t blocks = kShortThreads * kPerThread;
  EXPECT_EQ(test_util::DescribedCounts(CountsSince(t, overhead)),
            test_util::AllFreedCounts(
                blocks, blocks * test_util::Bytes(kShortThreadBlock)));
  EXPECT_EQ(t.net_bytes, 0);
}

TEST(Threads,
     ThreadsStartedAndExitedOneAfterAnotherInsideTheWindowLoseNothing) {
  ExpectShortThreadsLoseNothing(/*concurrently=*/false);
}

TEST(Threads, ThreadsStartedAndExitedTogetherInsideTheWindowLoseNothing) {
  ExpectShortThreadsLoseNothing(/*concurrently=*/true);
}

TEST(Threads, TotalsNowStillIncludesThreadsThatHaveExited) {
  const Totals before = test_util::TotalsNow();
  const Totals t = StartShortThreads(/*concurrently=*/true, 20);
  // Every thread has been joined: their slots were released at exit.
  const Totals after = test_util::TotalsNow();
  EXPECT_EQ(t.allocs, kShortThreads * (20 + test_util::kThreadStartAllocs));
  EXPECT_EQ(test_util::DescribedCounts(CountsSince(after, before)),
            test_util::DescribedCounts(t));
  EXPECT_EQ(after.net_bytes - before.net_bytes, 0);
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

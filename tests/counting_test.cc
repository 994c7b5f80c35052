// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the counting: every replaced `operator new`/`operator delete`
// form, the measured window (before, set-up, loop body, paused regions,
// after), `peak_bytes`, threads, failed allocations and one real container.
//
// Each test drives the window through the internal API, exactly as the
// loop-window wrappers do in a benchmark's memory run:
//
//   BeginMeasurement(); EnterLoop(); <body>; ExitLoop(); EndMeasurement();
//
// GoogleTest's assertions allocate, so every EXPECT/ASSERT sits outside the
// window, and the body contains only the code under test. The body calls the
// allocation functions directly (`::operator new(n)`), which the compiler
// never elides, or passes the result through `benchmark::DoNotOptimize`.

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "alloc_counter/thread_counters.h"
#include "alloc_counter/window.h"
#include "benchmark/benchmark.h"
#include "gtest/gtest.h"

#ifdef __SANITIZE_THREAD__
// The failure tests ask for impossible sizes, which ThreadSanitizer's
// allocator treats as fatal unless told to return null like glibc does.
extern "C" const char* __tsan_default_options() {
  return "allocator_may_return_null=1";
}
#endif

namespace alloc_counter {
namespace internal {
namespace {

// Runs `body` as the loop body of one measured window and returns what was
// counted.
template <typename Body>
Totals MeasureLoop(Body body) {
  BeginMeasurement();
  EnterLoop();
  body();
  ExitLoop();
  return EndMeasurement();
}

int64_t Bytes(std::size_t n) { return static_cast<int64_t>(n); }

bool IsAligned(const void* p, std::size_t alignment) {
  return reinterpret_cast<std::uintptr_t>(p) % alignment == 0;
}

// A size no allocator can satisfy.
constexpr std::size_t kImpossibleSize = SIZE_MAX / 2;

// Sizes tried for every form: tiny, malloc size classes, a page, and one
// above glibc's mmap threshold (128 KiB).
constexpr std::size_t kSizes[] = {1, 8, 24, 100, 1000, 4096, 1 << 20};

// Alignments tried for every aligned form: the default new alignment and
// above, up to a page.
constexpr std::size_t kAlignments[] = {16, 32, 64, 256, 4096};

// -----------------------------------------------------------------------------
// The 8 `operator new` forms and the 12 `operator delete` forms, each behind
// one function-pointer signature so one loop can try every form.

struct NewForm {
  const char* name;
  bool aligned;  // Takes std::align_val_t.
  bool array;    // operator new[].
  void* (*allocate)(std::size_t size, std::size_t alignment);
};

std::align_val_t Al(std::size_t alignment) {
  return static_cast<std::align_val_t>(alignment);
}

const NewForm kNewForms[] = {
    {"new(size)", false, false,
     [](std::size_t n, std::size_t) { return ::operator new(n); }},
    {"new(size, nothrow)", false, false,
     [](std::size_t n, std::size_t) { return ::operator new(n, std::nothrow); }},
    {"new(size, align)", true, false,
     [](std::size_t n, std::size_t a) { return ::operator new(n, Al(a)); }},
    {"new(size, align, nothrow)", true, false,
     [](std::size_t n, std::size_t a) {
       return ::operator new(n, Al(a), std::nothrow);
     }},
    {"new[](size)", false, true,
     [](std::size_t n, std::size_t) { return ::operator new[](n); }},
    {"new[](size, nothrow)", false, true,
     [](std::size_t n, std::size_t) {
       return ::operator new[](n, std::nothrow);
     }},
    {"new[](size, align)", true, true,
     [](std::size_t n, std::size_t a) { return ::operator new[](n, Al(a)); }},
    {"new[](size, align, nothrow)", true, true,
     [](std::size_t n, std::size_t a) {
       return ::operator new[](n, Al(a), std::nothrow);
     }},
};

struct DeleteForm {
  const char* name;
  bool aligned;  // Takes std::align_val_t: frees memory of an aligned new.
  bool array;    // operator delete[].
  bool sized;    // Takes the size.
  void (*deallocate)(void* p, std::size_t size, std::size_t alignment);
};

const DeleteForm kDeleteForms[] = {
    {"delete(p)", false, false, false,
     [](void* p, std::size_t, std::size_t) { ::operator delete(p); }},
    {"delete(p, size)", false, false, true,
     [](void* p, std::size_t n, std::size_t) { ::operator delete(p, n); }},
    {"delete(p, align)", true, false, false,
     [](void* p, std::size_t, std::size_t a) { ::operator delete(p, Al(a)); }},
    {"delete(p, size, align)", true, false, true,
     [](void* p, std::size_t n, std::size_t a) {
       ::operator delete(p, n, Al(a));
     }},
    {"delete(p, nothrow)", false, false, false,
     [](void* p, std::size_t, std::size_t) {
       ::operator delete(p, std::nothrow);
     }},
    {"delete(p, align, nothrow)", true, false, false,
     [](void* p, std::size_t, std::size_t a) {
       ::operator delete(p, Al(a), std::nothrow);
     }},
    {"delete[](p)", false, true, false,
     [](void* p, std::size_t, std::size_t) { ::operator delete[](p); }},
    {"delete[](p, size)", false, true, true,
     [](void* p, std::size_t n, std::size_t) { ::operator delete[](p, n); }},
    {"delete[](p, align)", true, true, false,
     [](void* p, std::size_t, std::size_t a) {
       ::operator delete[](p, Al(a));
     }},
    {"delete[](p, size, align)", true, true, true,
     [](void* p, std::size_t n, std::size_t a) {
       ::operator delete[](p, n, Al(a));
     }},
    {"delete[](p, nothrow)", false, true, false,
     [](void* p, std::size_t, std::size_t) {
       ::operator delete[](p, std::nothrow);
     }},
    {"delete[](p, align, nothrow)", true, true, false,
     [](void* p, std::size_t, std::size_t a) {
       ::operator delete[](p, Al(a), std::nothrow);
     }},
};

// Allocates `size` bytes with the plain or aligned, single or array new that
// matches `form`, outside any window.
void* NewFor(const DeleteForm& form, std::size_t size, std::size_t alignment) {
  if (form.aligned) {
    return form.array ? ::operator new[](size, Al(alignment))
                      : ::operator new(size, Al(alignment));
  }
  return form.array ? ::operator new[](size) : ::operator new(size);
}

// Frees what `form` allocated, with the matching sized delete, outside any
// window.
void DeleteFor(const NewForm& form, void* p, std::size_t size,
               std::size_t alignment) {
  if (form.aligned) {
    if (form.array) {
      ::operator delete[](p, size, Al(alignment));
    } else {
      ::operator delete(p, size, Al(alignment));
    }
  } else if (form.array) {
    ::operator delete[](p, size);
  } else {
    ::operator delete(p, size);
  }
}

// The alignments to try with `aligned` forms; others get one pass, checked
// against the default new alignment.
std::vector<std::size_t> AlignmentsFor(bool aligned) {
  if (!aligned) return {__STDCPP_DEFAULT_NEW_ALIGNMENT__};
  return std::vector<std::size_t>(std::begin(kAlignments),
                                  std::end(kAlignments));
}

// -----------------------------------------------------------------------------
// Every form of new and delete.

TEST(OperatorNew, EveryFormCountsOneAllocationOfTheRequestedSize) {
  for (const NewForm& form : kNewForms) {
    for (const std::size_t alignment : AlignmentsFor(form.aligned)) {
      for (const std::size_t size : kSizes) {
        SCOPED_TRACE(std::string(form.name) + " size=" + std::to_string(size) +
                     " alignment=" + std::to_string(alignment));
        void* p = nullptr;
        const Totals t = MeasureLoop([&] {
          p = form.allocate(size, alignment);
          benchmark::DoNotOptimize(p);
        });
        ASSERT_NE(p, nullptr);
        EXPECT_TRUE(IsAligned(p, alignment)) << p;
        EXPECT_EQ(t.allocs, 1);
        EXPECT_EQ(t.alloc_bytes, Bytes(size));
        EXPECT_EQ(t.frees, 0);
        EXPECT_EQ(t.freed_bytes, 0);
        EXPECT_EQ(t.net_bytes, Bytes(size));
        EXPECT_EQ(t.peak_bytes, Bytes(size));
        DeleteFor(form, p, size, alignment);
      }
    }
  }
}

TEST(OperatorDelete, EveryFormCountsOneFree) {
  for (const DeleteForm& form : kDeleteForms) {
    for (const std::size_t alignment : AlignmentsFor(form.aligned)) {
      for (const std::size_t size : kSizes) {
        SCOPED_TRACE(std::string(form.name) + " size=" + std::to_string(size) +
                     " alignment=" + std::to_string(alignment));
        void* p = NewFor(form, size, alignment);
        const std::size_t usable = malloc_usable_size(p);
        const Totals t =
            MeasureLoop([&] { form.deallocate(p, size, alignment); });
        // A sized delete counts the size it is given; an unsized one the size
        // the backend reports for the block.
        const int64_t freed = form.sized ? Bytes(size) : Bytes(usable);
        EXPECT_EQ(t.allocs, 0);
        EXPECT_EQ(t.alloc_bytes, 0);
        EXPECT_EQ(t.frees, 1);
        EXPECT_EQ(t.freed_bytes, freed);
        // Freeing what was allocated before the window lowers live bytes
        // below the level at its start; the peak stays at that level.
        EXPECT_EQ(t.net_bytes, -freed);
        EXPECT_EQ(t.peak_bytes, 0);
      }
    }
  }
}

// Every delete of a block allocated inside the window releases exactly the
// bytes its allocation requested, so live bytes return to where they started.
// A sized delete passes that size; an unsized one finds it in the table of
// recorded block sizes (not `malloc_usable_size`, which glibc rounds up: 24
// for 1 byte).
TEST(OperatorNewAndDelete, FreeOfAnAllocationLeavesNetZeroAndPeakAtSize) {
  for (const DeleteForm& form : kDeleteForms) {
    for (const std::size_t alignment : AlignmentsFor(form.aligned)) {
      for (const std::size_t size : kSizes) {
        SCOPED_TRACE(std::string(form.name) + " size=" + std::to_string(size) +
                     " alignment=" + std::to_string(alignment));
        const Totals t = MeasureLoop([&] {
          void* p = NewFor(form, size, alignment);
          benchmark::DoNotOptimize(p);
          form.deallocate(p, size, alignment);
        });
        EXPECT_EQ(t.allocs, 1);
        EXPECT_EQ(t.alloc_bytes, Bytes(size));
        EXPECT_EQ(t.frees, 1);
        EXPECT_EQ(t.freed_bytes, Bytes(size));
        EXPECT_EQ(t.net_bytes, 0);
        EXPECT_EQ(t.peak_bytes, Bytes(size));
      }
    }
  }
}

TEST(OperatorNew, ZeroSizeReturnsUniqueNonNullPointerCountedAsZeroBytes) {
  void* p = nullptr;
  const Totals t = MeasureLoop([&] {
    p = ::operator new(0);
    benchmark::DoNotOptimize(p);
  });
  void* q = ::operator new(0);
  EXPECT_NE(p, nullptr);
  EXPECT_NE(q, nullptr);
  EXPECT_NE(p, q);
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, 0);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(t.peak_bytes, 0);
  ::operator delete(p, std::size_t{0});
  ::operator delete(q, std::size_t{0});
}

TEST(OperatorNew, ZeroSizeArrayAndAlignedFormsReturnUniqueNonNullPointers) {
  void* a = nullptr;
  void* b = nullptr;
  const Totals t = MeasureLoop([&] {
    a = ::operator new[](0);
    b = ::operator new(0, Al(64));
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
  });
  EXPECT_NE(a, nullptr);
  EXPECT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_TRUE(IsAligned(b, 64)) << b;
  EXPECT_EQ(t.allocs, 2);
  EXPECT_EQ(t.alloc_bytes, 0);
  ::operator delete[](a, std::size_t{0});
  ::operator delete(b, std::size_t{0}, Al(64));
}

TEST(OperatorDelete, NullPointerIsNotCounted) {
  const Totals t = MeasureLoop([] {
    // A null the compiler cannot see, read afresh for each call.
    void* volatile null = nullptr;
    ::operator delete(null);
    ::operator delete[](null, std::size_t{8});
    ::operator delete(null, Al(64));
  });
  EXPECT_EQ(t.frees, 0);
  EXPECT_EQ(t.freed_bytes, 0);
  EXPECT_EQ(t.net_bytes, 0);
}

// -----------------------------------------------------------------------------
// The window: only the loop body counts.

TEST(Window, AllocationsBeforeBeginMeasurementAreNotCounted) {
  void* p = ::operator new(1000);
  const Totals t = MeasureLoop([] {});
  EXPECT_EQ(t.allocs, 0);
  EXPECT_EQ(t.alloc_bytes, 0);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(t.peak_bytes, 0);
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
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, 10);
  EXPECT_EQ(t.frees, 0);
  EXPECT_EQ(t.net_bytes, 10);
  EXPECT_EQ(t.peak_bytes, 10);
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
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, 10);
  EXPECT_EQ(t.frees, 0);
  EXPECT_EQ(t.freed_bytes, 0);
  EXPECT_EQ(t.net_bytes, 10);
  EXPECT_EQ(t.peak_bytes, 10);
  ::operator delete(teardown, 1000);
}

TEST(Window, EnterLoopWithoutBeginMeasurementCountsNothing) {
  const Totals before = TotalsNow();
  EnterLoop();
  void* p = ::operator new(100);
  ::operator delete(p, 100);
  ExitLoop();
  const Totals after = TotalsNow();
  EXPECT_EQ(after.allocs, before.allocs);
  EXPECT_EQ(after.alloc_bytes, before.alloc_bytes);
  EXPECT_EQ(after.frees, before.frees);
  EXPECT_EQ(after.freed_bytes, before.freed_bytes);
}

TEST(Window, AllocationsAfterEndMeasurementAreNotCounted) {
  const Totals first = MeasureLoop([] {
    ::operator delete(::operator new(100), 100);
  });
  const Totals before = TotalsNow();
  void* p = ::operator new(100);
  ::operator delete(p, 100);
  const Totals after = TotalsNow();
  EXPECT_EQ(first.allocs, 1);
  EXPECT_EQ(after.allocs, before.allocs);
  EXPECT_EQ(after.alloc_bytes, before.alloc_bytes);
  EXPECT_EQ(after.frees, before.frees);
  EXPECT_EQ(after.freed_bytes, before.freed_bytes);
}

TEST(Window, EachWindowCountsOnlyItsOwnLoopBody) {
  const Totals first = MeasureLoop([] {
    ::operator delete(::operator new(100), 100);
    ::operator delete(::operator new(200), 200);
  });
  const Totals second = MeasureLoop([] {
    ::operator delete(::operator new(50), 50);
  });
  EXPECT_EQ(first.allocs, 2);
  EXPECT_EQ(first.alloc_bytes, 300);
  EXPECT_EQ(first.peak_bytes, 200);
  EXPECT_EQ(second.allocs, 1);
  EXPECT_EQ(second.alloc_bytes, 50);
  EXPECT_EQ(second.frees, 1);
  EXPECT_EQ(second.freed_bytes, 50);
  EXPECT_EQ(second.peak_bytes, 50);
}

// -----------------------------------------------------------------------------
// Paused regions (state.PauseTiming() ... state.ResumeTiming()).

TEST(PausedRegion, AllocationsAreExcludedByDefaultButRaiseLiveBytes) {
  void* paused = nullptr;
  void* counted = nullptr;
  const Totals t = MeasureLoop([&] {
    PauseLoop();
    paused = ::operator new(100);
    ResumeLoop();
    counted = ::operator new(50);
  });
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, 50);
  EXPECT_EQ(t.net_bytes, 150);
  EXPECT_EQ(t.peak_bytes, 150);
  ::operator delete(paused, 100);
  ::operator delete(counted, 50);
}

TEST(PausedRegion, FreesAreExcludedByDefaultButLowerLiveBytes) {
  const Totals t = MeasureLoop([] {
    void* p = ::operator new(100);
    PauseLoop();
    ::operator delete(p, 100);
    void* q = ::operator new(300);
    ::operator delete(q, 300);
    ResumeLoop();
  });
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, 100);
  EXPECT_EQ(t.frees, 0);
  EXPECT_EQ(t.freed_bytes, 0);
  EXPECT_EQ(t.net_bytes, 0);
  // 100 live, freed, then 300 live while paused.
  EXPECT_EQ(t.peak_bytes, 300);
}

TEST(PausedRegion, AllocationsAreCountedWhenCountPausedIsSet) {
  void* paused = nullptr;
  void* counted = nullptr;
  SetCountPaused(true);
  const Totals t = MeasureLoop([&] {
    PauseLoop();
    paused = ::operator new(100);
    ResumeLoop();
    counted = ::operator new(50);
  });
  SetCountPaused(false);
  EXPECT_EQ(t.allocs, 2);
  EXPECT_EQ(t.alloc_bytes, 150);
  EXPECT_EQ(t.net_bytes, 150);
  EXPECT_EQ(t.peak_bytes, 150);
  ::operator delete(paused, 100);
  ::operator delete(counted, 50);
}

TEST(PausedRegion, EnterLoopStartsUnpaused) {
  BeginMeasurement();
  PauseLoop();  // Before the loop: must not carry into it.
  EnterLoop();
  void* p = ::operator new(10);
  ExitLoop();
  const Totals t = EndMeasurement();
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, 10);
  ::operator delete(p, 10);
}

// -----------------------------------------------------------------------------
// peak_bytes.

TEST(PeakBytes, TwoBlocksHeldTogetherPeakAtTheirSum) {
  const Totals t = MeasureLoop([] {
    void* a = ::operator new(1000);
    void* b = ::operator new(2000);
    ::operator delete(a, 1000);
    ::operator delete(b, 2000);
  });
  EXPECT_EQ(t.allocs, 2);
  EXPECT_EQ(t.alloc_bytes, 3000);
  EXPECT_EQ(t.frees, 2);
  EXPECT_EQ(t.freed_bytes, 3000);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(t.peak_bytes, 3000);
}

TEST(PeakBytes, BlockFreedBeforeTheNextPeaksAtTheLargerBlock) {
  void* b = nullptr;
  const Totals t = MeasureLoop([&] {
    void* a = ::operator new(1000);
    ::operator delete(a, 1000);
    b = ::operator new(500);
  });
  EXPECT_EQ(t.allocs, 2);
  EXPECT_EQ(t.alloc_bytes, 1500);
  EXPECT_EQ(t.net_bytes, 500);
  EXPECT_EQ(t.peak_bytes, 1000);
  ::operator delete(b, 500);
}

// -----------------------------------------------------------------------------
// Threads.

constexpr int kMaxThreads = 8;

// Runs `work(i)` for i in [0, n) on n threads at once, as the loop body of one
// window. std::thread allocates its state object when it is created and the
// new thread frees it when its function returns, so the threads are created
// between BeginMeasurement() and EnterLoop() (set-up, not counted), released
// by `go` once the loop is entered, and kept alive by `finish` until the
// window is closed: only `work` is counted.
template <typename Work>
Totals MeasureOnThreads(int n, Work work) {
  std::atomic<bool> go{false};
  std::atomic<bool> finish{false};
  std::atomic<int> done{0};
  std::thread threads[kMaxThreads];
  BeginMeasurement();
  for (int i = 0; i < n; ++i) {
    threads[i] = std::thread([&, i] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      work(i);
      done.fetch_add(1, std::memory_order_release);
      while (!finish.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
    });
  }
  EnterLoop();
  go.store(true, std::memory_order_release);
  while (done.load(std::memory_order_acquire) < n) std::this_thread::yield();
  ExitLoop();
  const Totals t = EndMeasurement();
  finish.store(true, std::memory_order_release);
  for (int i = 0; i < n; ++i) threads[i].join();
  return t;
}

// A size that varies with the thread and the allocation.
std::size_t SizeFor(int thread, int j) {
  return 16 + 8 * static_cast<std::size_t>((thread * 7 + j) % 50);
}

TEST(Threads, ConcurrentAllocationsOnFourThreadsAreAllCounted) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  std::vector<void*> blocks(kThreads * kPerThread);
  const Totals t = MeasureOnThreads(kThreads, [&](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      blocks[static_cast<std::size_t>(i * kPerThread + j)] =
          ::operator new(SizeFor(i, j));
    }
  });
  int64_t bytes = 0;
  for (int i = 0; i < kThreads; ++i) {
    for (int j = 0; j < kPerThread; ++j) {
      bytes += Bytes(SizeFor(i, j));
      ::operator delete(blocks[static_cast<std::size_t>(i * kPerThread + j)],
                        SizeFor(i, j));
    }
  }
  EXPECT_EQ(t.allocs, kThreads * kPerThread);
  EXPECT_EQ(t.alloc_bytes, bytes);
  EXPECT_EQ(t.frees, 0);
  EXPECT_EQ(t.net_bytes, bytes);
  // Nothing is freed inside the window, so live bytes only grow.
  EXPECT_EQ(t.peak_bytes, bytes);
}

TEST(Threads, ConcurrentAllocationsAndFreesOnFourThreadsAreAllCounted) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 1000;
  const Totals t = MeasureOnThreads(kThreads, [](int i) {
    for (int j = 0; j < kPerThread; ++j) {
      void* p = ::operator new(SizeFor(i, j));
      ::operator delete(p, SizeFor(i, j));
    }
  });
  int64_t bytes = 0;
  for (int i = 0; i < kThreads; ++i) {
    for (int j = 0; j < kPerThread; ++j) bytes += Bytes(SizeFor(i, j));
  }
  EXPECT_EQ(t.allocs, kThreads * kPerThread);
  EXPECT_EQ(t.alloc_bytes, bytes);
  EXPECT_EQ(t.frees, kThreads * kPerThread);
  EXPECT_EQ(t.freed_bytes, bytes);
  EXPECT_EQ(t.net_bytes, 0);
}

TEST(Threads, FreeOnAnotherThreadIsCountedExactly) {
  constexpr int kBlocks = 1000;
  std::vector<void*> blocks(kBlocks);
  std::atomic<bool> allocated{false};
  const Totals t = MeasureOnThreads(2, [&](int i) {
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
  for (int j = 0; j < kBlocks; ++j) bytes += Bytes(SizeFor(0, j));
  EXPECT_EQ(t.allocs, kBlocks);
  EXPECT_EQ(t.alloc_bytes, bytes);
  EXPECT_EQ(t.frees, kBlocks);
  EXPECT_EQ(t.freed_bytes, bytes);
  EXPECT_EQ(t.net_bytes, 0);
  // B starts freeing only once A holds every block.
  EXPECT_EQ(t.peak_bytes, bytes);
}

constexpr int kShortThreads = 8;
constexpr std::size_t kShortThreadBlock = 40;

// Starts kShortThreads threads inside the loop body, one after another or all
// at once, each allocating and freeing `k` blocks of kShortThreadBlock bytes,
// and joins them before the loop ends: every thread starts and exits inside
// the window.
//
// Here std::thread's own state object is inside the window too: libstdc++
// allocates it with `new` in the creating thread and the new thread deletes
// it (sized) when its function returns, 1 allocation and 1 free per thread of
// sizeof(the state). Callers measure that overhead with k = 0, with the same
// lambda type and so the same state size, and subtract it.
Totals StartShortThreads(bool concurrently, int k) {
  std::thread threads[kShortThreads];
  const auto work = [k] {
    void* blocks[64];
    for (int j = 0; j < k; ++j) blocks[j] = ::operator new(kShortThreadBlock);
    for (int j = 0; j < k; ++j) ::operator delete(blocks[j], kShortThreadBlock);
  };
  return MeasureLoop([&] {
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
  // libstdc++: exactly one allocation and one free (of the same size) per
  // std::thread.
  EXPECT_EQ(overhead.allocs, kShortThreads);
  EXPECT_EQ(overhead.frees, kShortThreads);
  EXPECT_EQ(overhead.freed_bytes, overhead.alloc_bytes);
  EXPECT_EQ(overhead.net_bytes, 0);

  const int64_t blocks = kShortThreads * kPerThread;
  EXPECT_EQ(t.allocs, overhead.allocs + blocks);
  EXPECT_EQ(t.alloc_bytes,
            overhead.alloc_bytes + blocks * Bytes(kShortThreadBlock));
  EXPECT_EQ(t.frees, overhead.frees + blocks);
  EXPECT_EQ(t.freed_bytes,
            overhead.freed_bytes + blocks * Bytes(kShortThreadBlock));
  EXPECT_EQ(t.net_bytes, 0);
}

TEST(Threads, ThreadsStartedAndExitedOneAfterAnotherInsideTheWindowLoseNothing) {
  ExpectShortThreadsLoseNothing(/*concurrently=*/false);
}

TEST(Threads, ThreadsStartedAndExitedTogetherInsideTheWindowLoseNothing) {
  ExpectShortThreadsLoseNothing(/*concurrently=*/true);
}

TEST(Threads, TotalsNowStillIncludesThreadsThatHaveExited) {
  const Totals before = TotalsNow();
  const Totals t = StartShortThreads(/*concurrently=*/true, 20);
  // Every thread has been joined: their slots were released at exit.
  const Totals after = TotalsNow();
  EXPECT_EQ(t.allocs, kShortThreads * (20 + 1));
  EXPECT_EQ(after.allocs - before.allocs, t.allocs);
  EXPECT_EQ(after.alloc_bytes - before.alloc_bytes, t.alloc_bytes);
  EXPECT_EQ(after.frees - before.frees, t.frees);
  EXPECT_EQ(after.freed_bytes - before.freed_bytes, t.freed_bytes);
  EXPECT_EQ(after.net_bytes - before.net_bytes, 0);
}

// -----------------------------------------------------------------------------
// Failed allocations.

int g_handler_calls = 0;

// A new_handler that gives up after its first call by uninstalling itself.
void UninstallingHandler() {
  ++g_handler_calls;
  std::set_new_handler(nullptr);
}

// A new_handler that reports failure by throwing, as the standard allows.
void ThrowingHandler() {
  ++g_handler_calls;
  throw std::bad_alloc();
}

TEST(AllocationFailure, ThrowingFormsThrowBadAllocAndAreNotCounted) {
  volatile std::size_t huge = kImpossibleSize;
  int thrown = 0;
  const Totals t = MeasureLoop([&] {
    try {
      benchmark::DoNotOptimize(::operator new(huge));
    } catch (const std::bad_alloc&) {
      ++thrown;
    }
    try {
      benchmark::DoNotOptimize(::operator new[](huge));
    } catch (const std::bad_alloc&) {
      ++thrown;
    }
    try {
      benchmark::DoNotOptimize(::operator new(huge, Al(64)));
    } catch (const std::bad_alloc&) {
      ++thrown;
    }
    try {
      benchmark::DoNotOptimize(::operator new[](huge, Al(4096)));
    } catch (const std::bad_alloc&) {
      ++thrown;
    }
  });
  EXPECT_EQ(thrown, 4);
  EXPECT_EQ(t.allocs, 0);
  EXPECT_EQ(t.alloc_bytes, 0);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(t.peak_bytes, 0);
}

TEST(AllocationFailure, NothrowFormsReturnNullAndAreNotCounted) {
  volatile std::size_t huge = kImpossibleSize;
  void* results[4] = {&results, &results, &results, &results};
  const Totals t = MeasureLoop([&] {
    results[0] = ::operator new(huge, std::nothrow);
    results[1] = ::operator new[](huge, std::nothrow);
    results[2] = ::operator new(huge, Al(64), std::nothrow);
    results[3] = ::operator new[](huge, Al(4096), std::nothrow);
  });
  for (void* p : results) EXPECT_EQ(p, nullptr);
  EXPECT_EQ(t.allocs, 0);
  EXPECT_EQ(t.alloc_bytes, 0);
  EXPECT_EQ(t.net_bytes, 0);
  EXPECT_EQ(t.peak_bytes, 0);
}

TEST(AllocationFailure, NewHandlerIsCalledUntilItUninstallsThenBadAllocIsThrown) {
  volatile std::size_t huge = kImpossibleSize;
  g_handler_calls = 0;
  bool thrown = false;
  std::set_new_handler(&UninstallingHandler);
  const Totals t = MeasureLoop([&] {
    try {
      benchmark::DoNotOptimize(::operator new(huge));
    } catch (const std::bad_alloc&) {
      thrown = true;
    }
  });
  const std::new_handler left = std::set_new_handler(nullptr);
  EXPECT_TRUE(thrown);
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(left, nullptr);
  EXPECT_EQ(t.allocs, 0);
  EXPECT_EQ(t.alloc_bytes, 0);
}

TEST(AllocationFailure, NothrowFormReturnsNullWhenTheNewHandlerUninstalls) {
  volatile std::size_t huge = kImpossibleSize;
  g_handler_calls = 0;
  void* p = &p;
  std::set_new_handler(&UninstallingHandler);
  const Totals t =
      MeasureLoop([&] { p = ::operator new(huge, Al(64), std::nothrow); });
  std::set_new_handler(nullptr);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(t.allocs, 0);
}

TEST(AllocationFailure, NothrowFormReturnsNullWhenTheNewHandlerThrows) {
  volatile std::size_t huge = kImpossibleSize;
  g_handler_calls = 0;
  void* single = &single;
  void* array = &array;
  std::set_new_handler(&ThrowingHandler);
  const Totals t = MeasureLoop([&] {
    single = ::operator new(huge, std::nothrow);
    array = ::operator new[](huge, std::nothrow);
  });
  std::set_new_handler(nullptr);
  EXPECT_EQ(single, nullptr);
  EXPECT_EQ(array, nullptr);
  EXPECT_EQ(g_handler_calls, 2);
  EXPECT_EQ(t.allocs, 0);
  EXPECT_EQ(t.alloc_bytes, 0);
}

TEST(AllocationFailure, ThrowingFormPropagatesTheNewHandlersBadAlloc) {
  volatile std::size_t huge = kImpossibleSize;
  g_handler_calls = 0;
  bool thrown = false;
  std::set_new_handler(&ThrowingHandler);
  const Totals t = MeasureLoop([&] {
    try {
      benchmark::DoNotOptimize(::operator new(huge, Al(256)));
    } catch (const std::bad_alloc&) {
      thrown = true;
    }
  });
  std::set_new_handler(nullptr);
  EXPECT_TRUE(thrown);
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(t.allocs, 0);
}

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

rlimit g_saved_address_space;

// A new_handler that makes memory available, as one that frees a reserve
// block would: it lifts the address-space limit the test set.
void ReleasingHandler() {
  ++g_handler_calls;
  setrlimit(RLIMIT_AS, &g_saved_address_space);
}

// The process's current address-space size, from /proc/self/statm.
std::size_t AddressSpaceBytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  unsigned long pages = 0;  // NOLINT(runtime/int): the fscanf format.
  const bool read = statm != nullptr && std::fscanf(statm, "%lu", &pages) == 1;
  if (statm != nullptr) std::fclose(statm);
  return read ? pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

TEST(AllocationFailure, RetryAfterTheNewHandlerReleasesMemoryIsCountedOnce) {
  if (kSanitized) {
    GTEST_SKIP() << "sanitizer allocators reserve their memory up front";
  }
  // Forces the first attempt to fail: an address-space limit 16 MiB above
  // what the process uses, and a request of 256 MiB (which glibc maps on its
  // own). The handler lifts the limit, and the retry succeeds.
  constexpr std::size_t kSize = std::size_t{256} << 20;
  const std::size_t in_use = AddressSpaceBytes();
  ASSERT_GT(in_use, 0u);
  ASSERT_EQ(getrlimit(RLIMIT_AS, &g_saved_address_space), 0);
  rlimit tight = g_saved_address_space;
  tight.rlim_cur = in_use + (std::size_t{16} << 20);
  if (g_saved_address_space.rlim_cur != RLIM_INFINITY) {
    ASSERT_LT(tight.rlim_cur, g_saved_address_space.rlim_cur);
  }
  g_handler_calls = 0;
  std::set_new_handler(&ReleasingHandler);
  ASSERT_EQ(setrlimit(RLIMIT_AS, &tight), 0);
  void* p = nullptr;
  const Totals t = MeasureLoop([&] {
    p = ::operator new(kSize, Al(64));
    benchmark::DoNotOptimize(p);
  });
  setrlimit(RLIMIT_AS, &g_saved_address_space);
  std::set_new_handler(nullptr);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(IsAligned(p, 64)) << p;
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(t.allocs, 1);
  EXPECT_EQ(t.alloc_bytes, Bytes(kSize));
  EXPECT_EQ(t.net_bytes, Bytes(kSize));
  EXPECT_EQ(t.peak_bytes, Bytes(kSize));
  ::operator delete(p, kSize, Al(64));
}

// -----------------------------------------------------------------------------
// A real container.

TEST(StdVector, PushBackOf1000IntsWithoutReserveMakes11AllocationsOf8188Bytes) {
  const Totals t = MeasureLoop([] {
    std::vector<int> v;
    for (int i = 0; i < 1000; ++i) {
      v.push_back(i);
      benchmark::DoNotOptimize(v.data());
    }
    benchmark::ClobberMemory();
  });
  // libstdc++ doubles the capacity: 1, 2, 4, ..., 1024 ints, 2047 ints in
  // all. Each growth frees the old buffer (sized), and the vector frees the
  // last one when it goes out of scope.
  EXPECT_EQ(t.allocs, 11);
  EXPECT_EQ(t.alloc_bytes, 2047 * 4);
  EXPECT_EQ(t.frees, 11);
  EXPECT_EQ(t.freed_bytes, 2047 * 4);
  EXPECT_EQ(t.net_bytes, 0);
  // Growing from 512 to 1024 ints holds both buffers at once.
  EXPECT_EQ(t.peak_bytes, (512 + 1024) * 4);
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

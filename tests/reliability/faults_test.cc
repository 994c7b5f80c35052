// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Faults: allocations that fail, a new_handler that makes memory available,
// impossible sizes, and exceptions thrown by the loop body. Failed
// allocations are never counted: `allocs` counts the `operator new` calls
// that returned memory. Built once per allocator (BUILD.bazel).
//
// Failures are injected between alloc_counter's hooks and the allocator: the
// test binary is linked with `-Wl,--wrap=malloc,--wrap=posix_memalign`, which
// sends the calls of `malloc` and `posix_memalign` made by the objects linked
// into this binary (alloc_counter's Backend() among them) to the wrappers
// below; `__real_malloc` reaches the allocator. Shared libraries (libstdc++,
// the allocator itself) are not affected. Impossible sizes are real: the
// allocator refuses them.
//
// The *_malloc variants link //alloc_counter:malloc too (BUILD.bazel defines
// RELIABILITY_COUNTS_MALLOC): there the exception objects that the C++ runtime
// takes from malloc count as well (ExceptionAllocs() below).

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "alloc_counter/thread_counters.h"
#include "gtest/gtest.h"
#include "tests/reliability/allocator.h"
#include "tests/util/forms.h"
#include "tests/util/measure.h"
#include "tests/util/sanitizer.h"
#include "tests/util/std_library.h"

// -----------------------------------------------------------------------------
// The fault injector.

// Impossible sizes return null, as malloc must, instead of aborting.
TEST_UTIL_ALLOCATOR_MAY_RETURN_NULL();

namespace reliability {
namespace {

using alloc_counter::internal::Totals;
using test_util::AlignmentsFor;
using test_util::Allocate;
using test_util::Bytes;
using test_util::Described;
using test_util::Free;
using test_util::MeasureLoop;
using test_util::NewForm;
using test_util::NewForms;

// With the C allocator counted, each throw of a `T` adds one allocation of
// sizeof(T) plus the exception header (__cxa_allocate_exception calls
// malloc; test_util::ExceptionObjectBytes()), freed when its handler ends.
// (Under a sanitizer, //alloc_counter:malloc counts nothing.) libc++abi's
// allocation at a thread's first throw is kept out of the windows by
// ThrowOnceOnThisThread().
#if defined(RELIABILITY_COUNTS_MALLOC)
constexpr bool kCountsMalloc = !test_util::kSanitized;
#else
constexpr bool kCountsMalloc = false;
#endif

template <typename T>
constexpr int64_t ExceptionAllocs(int64_t throws) {
  return kCountsMalloc ? throws : 0;
}
template <typename T>
constexpr int64_t ExceptionBytes(int64_t throws) {
  return kCountsMalloc ? throws * test_util::ExceptionObjectBytes(sizeof(T))
                       : 0;
}

// Throws and catches once, so that what the C++ runtime allocates for a
// thread's first exception (libc++abi: the thread's exception globals,
// test_util::kFirstThrowAllocs) is allocated before a window.
void ThrowOnceOnThisThread() {
  try {
    throw 0;
  } catch (int) {
  }
}

// Failing is decided per allocation attempt, not per backend call: a failed
// attempt reaches the backend more than once (operator new retries after
// the new_handler), and how often is alloc_counter's business.
//
// g_exhausted: every backend call fails, on every thread, while it is set,
// as if memory were exhausted (until a new_handler frees a reserve).
// t_fail_now: every backend call of this thread fails while it is set.
std::atomic<bool> g_exhausted{false};
thread_local bool t_fail_now = false;

bool InjectFailure() {
  return t_fail_now || g_exhausted.load(std::memory_order_acquire);
}

// Makes the calling thread's allocations fail while it lives.
class FailOnThisThread {
 public:
  FailOnThisThread() { t_fail_now = true; }
  ~FailOnThisThread() { t_fail_now = false; }
  FailOnThisThread(const FailOnThisThread&) = delete;
  FailOnThisThread& operator=(const FailOnThisThread&) = delete;
};

}  // namespace
}  // namespace reliability

extern "C" {
void* __real_malloc(std::size_t size);
int __real_posix_memalign(void** p, std::size_t alignment, std::size_t size);

void* __wrap_malloc(std::size_t size) {
  if (reliability::InjectFailure()) {
    errno = ENOMEM;
    return nullptr;
  }
  return __real_malloc(size);
}

int __wrap_posix_memalign(void** p, std::size_t alignment, std::size_t size) {
  if (reliability::InjectFailure()) return ENOMEM;
  return __real_posix_memalign(p, alignment, size);
}
}  // extern "C"

namespace reliability {
namespace {

constexpr std::size_t kSize = 4096;

// alloc_counter takes a thread's counter slot from the C allocator on the
// thread's first counted operation, and aborts if it cannot; the tests that
// exhaust memory count once first, so that the slot exists.
void CountOnceOnThisThread() {
  MeasureLoop([] { Free(Allocate(1), 1); });
}

std::string Trace(const NewForm& form, std::size_t alignment) {
  return std::string(form.name) + " alignment=" + std::to_string(alignment) +
         " allocator=" + AllocatorName();
}

// Calls `form` and returns the block, or null if it threw std::bad_alloc.
void* TryAllocate(const NewForm& form, std::size_t size, std::size_t alignment,
                  bool* threw) {
  *threw = false;
  try {
    return form.allocate(size, alignment);
  } catch (const std::bad_alloc&) {
    *threw = true;
    return nullptr;
  }
}

// -----------------------------------------------------------------------------
// A new_handler that frees a reserve.

constexpr std::size_t kReserve = std::size_t{1} << 20;
void* g_reserve = nullptr;
int g_handler_calls = 0;

// The classic handler: give back the reserve kept for this moment, so that
// operator new's retry succeeds, and uninstall itself.
void ReleaseReserve() {
  ++g_handler_calls;
  ::operator delete(g_reserve, kReserve);
  g_reserve = nullptr;
  g_exhausted.store(false, std::memory_order_release);
  std::set_new_handler(nullptr);
}

TEST(Faults, NewHandlerThatFreesAReserveLetsTheRetrySucceed) {
  CountOnceOnThisThread();
  for (const NewForm& form : NewForms()) {
    for (const std::size_t alignment : AlignmentsFor(form)) {
      SCOPED_TRACE(Trace(form, alignment));
      g_reserve = ::operator new(kReserve);
      g_handler_calls = 0;
      void* p = nullptr;
      bool threw = false;
      g_exhausted.store(true, std::memory_order_release);
      std::set_new_handler(&ReleaseReserve);
      const auto t =
          MeasureLoop([&] { p = TryAllocate(form, kSize, alignment, &threw); });
      g_exhausted.store(false, std::memory_order_release);
      std::set_new_handler(nullptr);
      ASSERT_NE(p, nullptr);
      EXPECT_FALSE(threw);
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % alignment, 0u);
      EXPECT_EQ(g_handler_calls, 1);
      EXPECT_EQ(g_reserve, nullptr);
      // The retry's allocation counts once; the handler's free of the
      // reserve, made inside the loop body, counts as a free of a block
      // allocated before the window: live bytes end below their start.
      EXPECT_EQ(
          Described(t),
          absl::StrFormat("allocs=1 alloc_bytes=%d frees=1 "
                          "freed_bytes=%d net_bytes=%d peak_bytes=0",
                          kSize, kReserve, Bytes(kSize) - Bytes(kReserve)));
      form.deallocate(p, kSize, alignment);
    }
  }
}

TEST(Faults, WithoutANewHandlerTheThrowingFormsThrowAndNothrowFormsReturnNull) {
  CountOnceOnThisThread();
  ThrowOnceOnThisThread();
  for (const NewForm& form : NewForms()) {
    for (const std::size_t alignment : AlignmentsFor(form)) {
      SCOPED_TRACE(Trace(form, alignment));
      void* p = &p;
      bool threw = false;
      g_exhausted.store(true, std::memory_order_release);
      const auto t =
          MeasureLoop([&] { p = TryAllocate(form, kSize, alignment, &threw); });
      g_exhausted.store(false, std::memory_order_release);
      EXPECT_EQ(p, nullptr);
      EXPECT_EQ(threw, !form.nothrow);
      // With the C allocator counted, the exception object of a throwing
      // form, freed when its handler ends.
      const int64_t throws = form.nothrow ? 0 : 1;
      const int64_t allocs = ExceptionAllocs<std::bad_alloc>(throws);
      const int64_t bytes = ExceptionBytes<std::bad_alloc>(throws);
      EXPECT_EQ(Described(t), test_util::AllFreed(allocs, bytes, bytes));
    }
  }
}

// -----------------------------------------------------------------------------
// Many injected failures: exactly the successful calls are counted.

// Every third attempt fails. The 8 forms alternate throwing and nothrow, so
// over whole periods of 24 attempts (also per thread: 24000 / 4) half the
// failures throw and half return null.
constexpr int kAttempts = 24000;
constexpr int kFailEvery = 3;

// What the attempts of one run came to.
struct Outcomes {
  int64_t attempts = 0;
  // Failures the allocator was made to report (every kFailEvery-th attempt).
  int64_t failures_injected = 0;
  // Allocations that returned a block, and the bytes they asked for: what
  // alloc_counter must count.
  int64_t succeeded = 0;
  int64_t succeeded_bytes = 0;
  // Failures seen as std::bad_alloc (the throwing forms) and as null (the
  // nothrow forms).
  int64_t threw = 0;
  int64_t returned_null = 0;
};

// Tries `attempts` allocations cycling through every form and a few sizes,
// failing every kFailEvery-th, frees each success at once, and records what
// happened.
void AttemptAllocations(int attempts, int seed, Outcomes* out) {
  const std::vector<NewForm>& forms = NewForms();
  for (int i = 0; i < attempts; ++i) {
    const NewForm& form = forms[static_cast<std::size_t>(i) % forms.size()];
    const std::size_t alignment = form.aligned ? 64 : 16;
    const std::size_t size =
        8 + static_cast<std::size_t>((i * 37 + seed) % 500);
    const bool fail = i % kFailEvery == kFailEvery - 1;
    bool threw = false;
    void* p;
    if (fail) {
      FailOnThisThread failing;
      p = TryAllocate(form, size, alignment, &threw);
    } else {
      p = TryAllocate(form, size, alignment, &threw);
    }
    ++out->attempts;
    out->failures_injected += fail;
    if (p != nullptr) {
      ++out->succeeded;
      out->succeeded_bytes += Bytes(size);
      form.deallocate(p, size, alignment);
    } else if (threw) {
      ++out->threw;
    } else {
      ++out->returned_null;
    }
  }
}

// Checks `t`, the window of the attempts `out`. Its peak depends on the
// sizes tried and, on several threads, on how they interleave.
void ExpectOnlySuccessesCounted(const Outcomes& out, const Totals& t) {
  EXPECT_EQ(out.attempts, kAttempts);
  EXPECT_EQ(out.failures_injected, kAttempts / kFailEvery);
  EXPECT_EQ(out.succeeded, out.attempts - out.failures_injected);
  // Every injected failure surfaced, as std::bad_alloc from the throwing
  // forms and as null from the nothrow forms (the two kinds alternate).
  EXPECT_EQ(out.threw + out.returned_null, out.failures_injected);
  EXPECT_EQ(out.threw, out.failures_injected / 2);
  const int64_t allocs =
      out.succeeded + ExceptionAllocs<std::bad_alloc>(out.threw);
  const int64_t bytes =
      out.succeeded_bytes + ExceptionBytes<std::bad_alloc>(out.threw);
  EXPECT_EQ(test_util::DescribedCounts(t),
            test_util::AllFreedCounts(allocs, bytes));
  EXPECT_EQ(t.net_bytes, 0);
}

TEST(Faults, InjectedFailuresAreNeverCounted) {
  ThrowOnceOnThisThread();
  Outcomes out;
  const Totals t = MeasureLoop([&] { AttemptAllocations(kAttempts, 0, &out); });
  ExpectOnlySuccessesCounted(out, t);
}

TEST(Faults, InjectedFailuresOnFourThreadsAreNeverCounted) {
  // The threads exist before the window, are released inside it and exit
  // after it, so only their attempts are in the loop body.
  constexpr int kThreads = 4;
  Outcomes out[kThreads];
  NewForms();  // Built before the window.
  std::atomic<int> started{0};
  std::atomic<bool> go{false};
  std::atomic<int> done{0};
  std::atomic<bool> finish{false};
  std::thread threads[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    threads[i] = std::thread([&, i] {
      ThrowOnceOnThisThread();
      started.fetch_add(1, std::memory_order_acq_rel);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      AttemptAllocations(kAttempts / kThreads, i, &out[i]);
      done.fetch_add(1, std::memory_order_acq_rel);
      while (!finish.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
    });
  }
  // What a thread's start allocates (glibc, with the C allocator counted)
  // stays out of the window.
  while (started.load(std::memory_order_acquire) < kThreads) {
    std::this_thread::yield();
  }
  const auto t = MeasureLoop([&] {
    go.store(true, std::memory_order_release);
    while (done.load(std::memory_order_acquire) < kThreads) {
      std::this_thread::yield();
    }
  });
  finish.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();
  Outcomes sum;
  for (const Outcomes& o : out) {
    sum.attempts += o.attempts;
    sum.failures_injected += o.failures_injected;
    sum.succeeded += o.succeeded;
    sum.succeeded_bytes += o.succeeded_bytes;
    sum.threw += o.threw;
    sum.returned_null += o.returned_null;
  }
  ExpectOnlySuccessesCounted(sum, t);
}

// -----------------------------------------------------------------------------
// Impossible sizes, refused by the allocator itself.

constexpr std::size_t kImpossibleSizes[] = {SIZE_MAX, SIZE_MAX / 2 + 1,
                                            SIZE_MAX / 2, std::size_t{1} << 62};

TEST(Faults, ImpossibleSizesThrowBadAllocOrReturnNullAndAreNotCounted) {
  ThrowOnceOnThisThread();
  int64_t threw = 0;
  int64_t returned_null = 0;
  int64_t attempts = 0;
  std::vector<std::vector<std::size_t>> alignments;  // Built outside.
  for (const NewForm& form : NewForms())
    alignments.push_back(AlignmentsFor(form));
  const auto t = MeasureLoop([&] {
    for (std::size_t f = 0; f < NewForms().size(); ++f) {
      const NewForm& form = NewForms()[f];
      for (const std::size_t alignment : alignments[f]) {
        for (const std::size_t size : kImpossibleSizes) {
          bool thrown = false;
          void* p = TryAllocate(form, size, alignment, &thrown);
          ++attempts;
          if (p != nullptr) std::abort();  // No allocator can.
          thrown ? ++threw : ++returned_null;
        }
      }
    }
  });
  // 4 unaligned forms x 1 alignment + 4 aligned forms x 4 alignments, each
  // with 4 sizes; half the forms throw.
  EXPECT_EQ(attempts, (4 + 16) * 4);
  EXPECT_EQ(threw, attempts / 2);
  EXPECT_EQ(returned_null, attempts / 2);
  // One exception object at a time.
  const int64_t allocs = ExceptionAllocs<std::bad_alloc>(threw);
  const int64_t bytes = ExceptionBytes<std::bad_alloc>(threw);
  EXPECT_EQ(
      Described(t),
      test_util::AllFreed(allocs, bytes, ExceptionBytes<std::bad_alloc>(1)));
}

TEST(Faults, ArrayLengthOverflowThrowsAndIsNotCounted) {
  ThrowOnceOnThisThread();
  // `new T[n]` whose size in bytes overflows: GCC's own check throws
  // std::bad_array_new_length before operator new is called; clang 16 calls
  // operator new with SIZE_MAX, which fails with std::bad_alloc. Either way
  // nothing is allocated, so there is nothing to count but the exception.
  std::size_t volatile n = SIZE_MAX / 4;
  int thrown = 0;
  bool length_error = false;
  const auto t = MeasureLoop([&] {
    try {
      auto* p = new int64_t[n];
      test_util::Escape(p);  // else clang deletes the new and delete
      delete[] p;
    } catch (const std::bad_alloc& e) {
      ++thrown;
      length_error = dynamic_cast<const std::bad_array_new_length*>(&e);
    }
  });
  EXPECT_EQ(thrown, 1);
  const int64_t allocs = length_error
                             ? ExceptionAllocs<std::bad_array_new_length>(1)
                             : ExceptionAllocs<std::bad_alloc>(1);
  const int64_t bytes = length_error
                            ? ExceptionBytes<std::bad_array_new_length>(1)
                            : ExceptionBytes<std::bad_alloc>(1);
  EXPECT_EQ(Described(t), test_util::AllFreed(allocs, bytes, bytes));
}

// -----------------------------------------------------------------------------
// Exceptions and the loop body.

TEST(Exceptions, TheExceptionObjectCountsOnlyWithTheCAllocator) {
  ThrowOnceOnThisThread();
  // The C++ runtime allocates exception objects with __cxa_allocate_exception,
  // which calls malloc, not operator new: `throw 42` allocates nothing that
  // alloc_counter counts, unless //alloc_counter:malloc is linked.
  int caught = 0;
  const auto t = MeasureLoop([&] {
    for (int i = 0; i < 100; ++i) {
      try {
        throw i;
      } catch (int) {
        ++caught;
      }
    }
  });
  EXPECT_EQ(caught, 100);
  // One exception object at a time.
  const int64_t allocs = ExceptionAllocs<int>(100);
  const int64_t bytes = ExceptionBytes<int>(100);
  EXPECT_EQ(Described(t),
            test_util::AllFreed(allocs, bytes, ExceptionBytes<int>(1)));
}

TEST(Exceptions, AnExceptionsOwnAllocationsAreCounted) {
  ThrowOnceOnThisThread();
  // std::runtime_error keeps its message in a reference-counted string
  // allocated with operator new: 24 bytes of header, the text and its NUL.
  const std::string message(40, 'x');
  int caught = 0;
  const auto t = MeasureLoop([&] {
    try {
      throw std::runtime_error(message);
    } catch (const std::runtime_error&) {
      ++caught;
    }
  });
  EXPECT_EQ(caught, 1);
  // With the C allocator counted, the exception object too (allocated
  // first, alive with the string).
  // libstdc++.so frees that string with an unsized delete, sized exactly
  // since the block was allocated inside the loop.
  const int64_t allocs = 1 + ExceptionAllocs<std::runtime_error>(1);
  const int64_t bytes = 24 + 40 + 1 + ExceptionBytes<std::runtime_error>(1);
  EXPECT_EQ(Described(t), test_util::AllFreed(allocs, bytes, bytes));
}

TEST(Exceptions, AWindowLeftByAnExceptionDoesNotDisturbTheNextOne) {
  ThrowOnceOnThisThread();
  // An exception thrown out of the loop body skips ExitLoop() and
  // EndMeasurement() (Google Benchmark 1.7.1 does not catch it, and the
  // program terminates: benchmarks_test.py). A program that catches it
  // itself and measures again gets an exact next window.
  try {
    alloc_counter::internal::BeginMeasurement();
    alloc_counter::internal::EnterLoop();
    void* leaked = Allocate(100);
    Free(leaked, 100);
    throw std::runtime_error("out of the loop body");
  } catch (const std::runtime_error&) {
  }
  const auto t = MeasureLoop([] { Free(Allocate(30), 30); });
  EXPECT_EQ(Described(t),
            "allocs=1 alloc_bytes=30 frees=1 freed_bytes=30 net_bytes=0 "
            "peak_bytes=30");
}

}  // namespace
}  // namespace reliability

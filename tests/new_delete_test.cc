// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of the replaced allocation functions (new_delete.cc): every
// `operator new` and `operator delete` form, zero sizes, null pointers,
// failed allocations and the new_handler, and one real container, each
// measured in one window of the internal API (tests/util/measure.h).
//
// GoogleTest's assertions allocate, so every EXPECT/ASSERT sits outside the
// window, and the body contains only the code under test. The body calls the
// allocation functions directly (`::operator new(n)`), which the compiler
// never elides, or passes the result through `benchmark::DoNotOptimize`.

#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "alloc_counter/thread_counters.h"
#include "alloc_counter/window.h"
#include "benchmark/benchmark.h"
#include "gtest/gtest.h"
#include "tests/util/forms.h"
#include "tests/util/measure.h"
#include "tests/util/sanitizer.h"

// The failure tests ask for impossible sizes, which a sanitizer's allocator
// treats as fatal unless told to return null like glibc does.
TEST_UTIL_ALLOCATOR_MAY_RETURN_NULL();

namespace {

using alloc_counter::internal::Totals;
using test_util::Al;
using test_util::AlignmentsFor;
using test_util::Bytes;
using test_util::DeleteForm;
using test_util::DeleteForms;
using test_util::IsAligned;
using test_util::kSizes;
using test_util::MeasureLoop;
using test_util::NewFor;
using test_util::NewForm;
using test_util::NewForms;

// A size no allocator can satisfy.
constexpr std::size_t kImpossibleSize = SIZE_MAX / 2;

// -----------------------------------------------------------------------------
// Every form of new and delete.

TEST(OperatorNew, EveryFormCountsOneAllocationOfTheRequestedSize) {
  for (const NewForm& form : NewForms()) {
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
        form.deallocate(p, size, alignment);
      }
    }
  }
}

TEST(OperatorDelete, EveryFormCountsOneFree) {
  for (const DeleteForm& form : DeleteForms()) {
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
  for (const DeleteForm& form : DeleteForms()) {
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
  ::operator delete (p, std::size_t{0});
  ::operator delete (q, std::size_t{0});
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
  ::operator delete (b, std::size_t{0}, Al(64));
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

TEST(AllocationFailure,
     NewHandlerIsCalledUntilItUninstallsThenBadAllocIsThrown) {
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

// Whether the address-space limit just set refuses a mapping of `size`
// bytes, as the kernel does; qemu-user, which runs the aarch64 tests, accepts
// the limit but never applies it.
bool AddressSpaceLimitHolds(std::size_t size) {
  void* probe =
      mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (probe == MAP_FAILED) return true;
  munmap(probe, size);
  return false;
}

TEST(AllocationFailure, RetryAfterTheNewHandlerReleasesMemoryIsCountedOnce) {
  if (test_util::kSanitized) {
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
  if (!AddressSpaceLimitHolds(kSize)) {
    setrlimit(RLIMIT_AS, &g_saved_address_space);
    std::set_new_handler(nullptr);
    GTEST_SKIP() << "the address-space limit is not enforced here (qemu-user "
                    "accepts setrlimit(RLIMIT_AS) but ignores it), so no "
                    "allocation can be made to fail";
  }
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

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

#include "absl/strings/str_format.h"
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
using test_util::AllFreed;
using test_util::Bytes;
using test_util::Cases;
using test_util::DeleteForm;
using test_util::DeleteForms;
using test_util::Described;
using test_util::FormCase;
using test_util::IsAligned;
using test_util::kSizes;
using test_util::MeasureLoop;
using test_util::NewFor;
using test_util::NewForm;
using test_util::NewForms;

// A size no allocator can satisfy.
constexpr std::size_t kImpossibleSize = SIZE_MAX / 2;

// Described() of a window that counted nothing.
constexpr char kNothing[] =
    "allocs=0 alloc_bytes=0 frees=0 freed_bytes=0 net_bytes=0 peak_bytes=0";

// -----------------------------------------------------------------------------
// Every form of new and delete.

TEST(OperatorNew, EveryFormCountsOneAllocationOfTheRequestedSize) {
  for (const FormCase<NewForm>& c : Cases(NewForms(), kSizes)) {
    SCOPED_TRACE(c.Name());
    void* p = nullptr;
    const Totals t = MeasureLoop([&] {
      p = c.form.allocate(c.size, c.alignment);
      benchmark::DoNotOptimize(p);
    });
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(IsAligned(p, c.alignment)) << p;
    EXPECT_EQ(Described(t),
              absl::StrFormat("allocs=1 alloc_bytes=%d frees=0 freed_bytes=0 "
                              "net_bytes=%d peak_bytes=%d",
                              c.size, c.size, c.size));
    c.form.deallocate(p, c.size, c.alignment);
  }
}

TEST(OperatorDelete, EveryFormCountsOneFree) {
  for (const FormCase<DeleteForm>& c : Cases(DeleteForms(), kSizes)) {
    SCOPED_TRACE(c.Name());
    void* p = NewFor(c.form, c.size, c.alignment);
    const std::size_t usable = malloc_usable_size(p);
    const Totals t =
        MeasureLoop([&] { c.form.deallocate(p, c.size, c.alignment); });
    // A sized delete counts the size it is given; an unsized one the size the
    // backend reports for the block. Freeing what was allocated before the
    // window lowers live bytes below the level at its start; the peak stays
    // at that level.
    const int64_t freed = c.form.sized ? Bytes(c.size) : Bytes(usable);
    EXPECT_EQ(Described(t),
              absl::StrFormat("allocs=0 alloc_bytes=0 frees=1 freed_bytes=%d "
                              "net_bytes=%d peak_bytes=0",
                              freed, -freed));
  }
}

// Every delete of a block allocated inside the window releases exactly the
// bytes its allocation requested, so live bytes return to where they started.
// A sized delete passes that size; an unsized one finds it in the table of
// recorded block sizes (not `malloc_usable_size`, which glibc rounds up: 24
// for 1 byte).
TEST(OperatorNewAndDelete, FreeOfAnAllocationLeavesNetZeroAndPeakAtSize) {
  for (const FormCase<DeleteForm>& c : Cases(DeleteForms(), kSizes)) {
    SCOPED_TRACE(c.Name());
    const Totals t = MeasureLoop([&] {
      void* p = NewFor(c.form, c.size, c.alignment);
      benchmark::DoNotOptimize(p);
      c.form.deallocate(p, c.size, c.alignment);
    });
    EXPECT_EQ(Described(t), AllFreed(1, Bytes(c.size), Bytes(c.size)));
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
  EXPECT_EQ(Described(t),
            "allocs=1 alloc_bytes=0 frees=0 freed_bytes=0 net_bytes=0 "
            "peak_bytes=0");
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
  EXPECT_EQ(Described(t),
            "allocs=2 alloc_bytes=0 frees=0 freed_bytes=0 net_bytes=0 "
            "peak_bytes=0");
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
  EXPECT_EQ(Described(t), kNothing);
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

// Measures `body` with `handler` installed as the new_handler, and
// g_handler_calls counting its calls from 0. The handler still installed at
// the end (null if it uninstalled itself) goes to `*left`, and is removed.
template <typename Body>
Totals MeasureWithNewHandler(std::new_handler handler, Body&& body,
                             std::new_handler* left = nullptr) {
  g_handler_calls = 0;
  std::set_new_handler(handler);
  const Totals t = MeasureLoop(body);
  const std::new_handler installed = std::set_new_handler(nullptr);
  if (left != nullptr) *left = installed;
  return t;
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
  EXPECT_EQ(Described(t), kNothing);
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
  EXPECT_EQ(Described(t), kNothing);
}

TEST(AllocationFailure,
     NewHandlerIsCalledUntilItUninstallsThenBadAllocIsThrown) {
  volatile std::size_t huge = kImpossibleSize;
  bool thrown = false;
  std::new_handler left = nullptr;
  const Totals t = MeasureWithNewHandler(
      &UninstallingHandler,
      [&] {
        try {
          benchmark::DoNotOptimize(::operator new(huge));
        } catch (const std::bad_alloc&) {
          thrown = true;
        }
      },
      &left);
  EXPECT_TRUE(thrown);
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(left, nullptr);
  EXPECT_EQ(Described(t), kNothing);
}

TEST(AllocationFailure, NothrowFormReturnsNullWhenTheNewHandlerUninstalls) {
  volatile std::size_t huge = kImpossibleSize;
  void* p = &p;
  const Totals t = MeasureWithNewHandler(&UninstallingHandler, [&] {
    p = ::operator new(huge, Al(64), std::nothrow);
  });
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(Described(t), kNothing);
}

TEST(AllocationFailure, NothrowFormReturnsNullWhenTheNewHandlerThrows) {
  volatile std::size_t huge = kImpossibleSize;
  void* single = &single;
  void* array = &array;
  const Totals t = MeasureWithNewHandler(&ThrowingHandler, [&] {
    single = ::operator new(huge, std::nothrow);
    array = ::operator new[](huge, std::nothrow);
  });
  EXPECT_EQ(single, nullptr);
  EXPECT_EQ(array, nullptr);
  EXPECT_EQ(g_handler_calls, 2);
  EXPECT_EQ(Described(t), kNothing);
}

TEST(AllocationFailure, ThrowingFormPropagatesTheNewHandlersBadAlloc) {
  volatile std::size_t huge = kImpossibleSize;
  bool thrown = false;
  const Totals t = MeasureWithNewHandler(&ThrowingHandler, [&] {
    try {
      benchmark::DoNotOptimize(::operator new(huge, Al(256)));
    } catch (const std::bad_alloc&) {
      thrown = true;
    }
  });
  EXPECT_TRUE(thrown);
  EXPECT_EQ(g_handler_calls, 1);
  EXPECT_EQ(Described(t), kNothing);
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
  EXPECT_EQ(Described(t),
            absl::StrFormat("allocs=1 alloc_bytes=%d frees=0 freed_bytes=0 "
                            "net_bytes=%d peak_bytes=%d",
                            kSize, kSize, kSize));
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
  // last one when it goes out of scope. Growing from 512 to 1024 ints holds
  // both buffers at once: the peak is (512 + 1024) * 4 bytes.
  EXPECT_EQ(Described(t),
            "allocs=11 alloc_bytes=8188 frees=11 freed_bytes=8188 net_bytes=0 "
            "peak_bytes=6144");
}

}  // namespace

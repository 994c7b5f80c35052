// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// alloc_counter over a real allocator: this file is built once per allocator
// (allocator_test_glibc, _jemalloc, _tcmalloc, _mimalloc in BUILD.bazel),
// linked with alloc_counter's hooks and with that allocator replacing
// `malloc`. It checks that
//
//   - `malloc` really is the allocator's (the dynamic linker resolves it to
//     the allocator's library), and every form of `operator new` returns a
//     block of the allocator's heap, by the allocator's own API;
//   - the counts are exactly those of the glibc build: the same constants
//     are asserted in every build.
//
// Under ASan and TSan the sanitizer's allocator replaces `malloc` whatever is
// linked: the identity checks are skipped there, the counts are not.

#include "tests/reliability/allocator.h"

#include <dlfcn.h>
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "gtest/gtest.h"
#include "tests/util/forms.h"
#include "tests/util/measure.h"
#include "tests/util/module.h"

namespace reliability {
namespace {

using test_util::Bytes;
using test_util::Cases;
using test_util::Described;
using test_util::FormCase;
using test_util::MeasureLoop;
using test_util::NewForm;
using test_util::NewForms;

// Sizes from the smallest class to above every allocator's small/large
// boundary (jemalloc 14 KiB, tcmalloc 256 KiB, mimalloc 512 KiB) and glibc's
// mmap threshold (128 KiB).
constexpr std::size_t kSizes[] = {1,    24,     100,     1000,
                                  4096, 100000, 1 << 20, 8 << 20};

std::string Trace(const FormCase<NewForm>& c) {
  return c.Name() + " allocator=" + AllocatorName();
}

// The alignment the standard requires of `form`'s block of `size` bytes:
// for the aligned forms, the alignment asked for, whatever the size; for the
// others, the fundamental alignment of the largest object that fits in
// `size` bytes (jemalloc, tcmalloc and mimalloc give 1..8-byte requests an
// 8-byte size class aligned to 8, as C17's malloc and their own operator new
// may).
std::size_t RequiredAlignment(const NewForm& form, std::size_t size,
                              std::size_t alignment) {
  if (form.aligned) return alignment;
  std::size_t fundamental = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  while (fundamental > size && fundamental > 1) fundamental /= 2;
  return fundamental;
}

#define SKIP_UNDER_SANITIZER()                                           \
  if (test_util::kSanitized) {                                           \
    GTEST_SKIP() << "the sanitizer's allocator replaces malloc in this " \
                    "build; the plain build checks "                     \
                 << AllocatorName();                                     \
  }

// -----------------------------------------------------------------------------
// The allocator underneath is the one linked.

TEST(AllocatorUnderneath, MallocFreeAndPosixMemalignComeFromTheLinkedLibrary) {
  SKIP_UNDER_SANITIZER();
  for (const char* symbol :
       {"malloc", "free", "posix_memalign", "malloc_usable_size"}) {
    // The file name of the shared object that defines `symbol`.
    EXPECT_EQ(test_util::ModuleOf(dlsym(RTLD_DEFAULT, symbol)),
              AllocatorLibrary())
        << symbol;
  }
}

TEST(AllocatorUnderneath, EveryOperatorNewFormReturnsABlockOfTheAllocator) {
  SKIP_UNDER_SANITIZER();
  for (const FormCase<NewForm>& c : Cases(NewForms(), kSizes)) {
    SCOPED_TRACE(Trace(c));
    // Everything is read before anything is asserted: a failing assertion
    // allocates its message.
    const std::optional<int64_t> before = AllocatorBytesInUse();
    void* p = c.form.allocate(c.size, c.alignment);
    const std::optional<int64_t> allocated = AllocatorBytesInUse();
    const int64_t block = p != nullptr ? AllocatorBlockBytes(p) : 0;
    const int64_t usable = p != nullptr ? Bytes(malloc_usable_size(p)) : 0;
    const std::optional<bool> owns =
        p != nullptr ? AllocatorOwns(p) : std::nullopt;
    const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(p);
    if (p != nullptr) c.form.deallocate(p, c.size, c.alignment);
    const std::optional<int64_t> freed = AllocatorBytesInUse();

    ASSERT_NE(p, nullptr);
    EXPECT_GE(block, Bytes(c.size));
    EXPECT_EQ(address % RequiredAlignment(c.form, c.size, c.alignment), 0u);
    // The allocator's own usable size is what malloc_usable_size (which
    // alloc_counter calls for unsized deletes) reports.
    EXPECT_EQ(usable, block);
    if (owns.has_value()) {
      EXPECT_TRUE(*owns);
    }
    if (before.has_value()) {
      // The allocator accounted the block, at its size class, to this
      // thread, and took it back on delete.
      EXPECT_EQ(*allocated - *before, block);
      EXPECT_EQ(*freed, *before);
    }
  }
}

// Regression test (docs/reliability.md, library bug 2): alloc_counter sent
// aligned requests of 16 bytes' alignment or less to plain malloc, and these
// allocators give 1..8-byte requests 8-byte aligned blocks.
TEST(AllocatorUnderneath, AlignedFormsHonourSmallAlignmentsForTinySizes) {
  constexpr int kBlocks = 16;
  for (const NewForm& form : NewForms()) {
    if (!form.aligned) continue;
    for (const std::size_t alignment : {std::size_t{8}, std::size_t{16}}) {
      for (const std::size_t size :
           {std::size_t{1}, std::size_t{2}, std::size_t{4}, std::size_t{8},
            std::size_t{12}, std::size_t{16}}) {
        void* blocks[kBlocks];
        int misaligned = 0;
        for (void*& p : blocks) {
          p = form.allocate(size, alignment);
          misaligned += reinterpret_cast<std::uintptr_t>(p) % alignment != 0;
        }
        for (void* p : blocks) form.deallocate(p, size, alignment);
        EXPECT_EQ(misaligned, 0) << Trace({form, size, alignment});
      }
    }
  }
}

// -----------------------------------------------------------------------------
// Counting over the allocator: the same exact figures as the glibc build.

TEST(CountingOverAllocator, EveryFormCountsItsRequestedSizeExactly) {
  for (const FormCase<NewForm>& c : Cases(NewForms(), kSizes)) {
    SCOPED_TRACE(Trace(c));
    const auto t = MeasureLoop([&] {
      void* p = c.form.allocate(c.size, c.alignment);
      c.form.deallocate(p, c.size, c.alignment);
    });
    EXPECT_EQ(Described(t),
              test_util::AllFreed(1, Bytes(c.size), Bytes(c.size)));
  }
}

TEST(CountingOverAllocator, UnsizedDeletesOfBlocksFromTheLoopAreExact) {
  // An unsized delete of a block allocated inside the loop releases its
  // requested size, whatever the allocator's size classes (README, "Unsized
  // deletes").
  const auto t = MeasureLoop([] {
    for (const std::size_t size : kSizes) {
      char* p = new char[size];
      *static_cast<char volatile*>(p) = 1;
      delete[] p;  // Trivially destructible array: unsized delete[].
    }
  });
  int64_t bytes = 0;
  for (const std::size_t size : kSizes) bytes += Bytes(size);
  // One block live at a time: the peak is the largest, 8 MiB.
  EXPECT_EQ(Described(t), test_util::AllFreed(8, bytes, Bytes(8 << 20)));
}

// A fixed workload of standard containers: the totals are constants, the
// same in every allocator's build, so equal to the glibc reference. Every
// free here is sized (std::allocator passes the size), so the bytes balance
// whatever the allocator's size classes.
TEST(CountingOverAllocator, StandardContainersGiveTheGlibcFigures) {
  const auto t = MeasureLoop([] {
    std::vector<int> v;
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    std::map<int, int> m;
    for (int i = 0; i < 100; ++i) m[i] = i;
    std::unordered_map<int, int> u;
    for (int i = 0; i < 100; ++i) u[i] = i;
    std::string s(100, 'x');
    auto shared = std::make_shared<std::string>(s);
    std::vector<int> array(250);
    array[0] = v.back() + m.at(99) + u.at(99) + s[0] + (*shared)[0];
    *static_cast<int volatile*>(array.data()) = array[0];
  });
#ifdef _LIBCPP_VERSION
  // libc++: the vector's 11 buffers of 1, 2, ..., 1024 ints (8188 bytes);
  // the map's 100 nodes of 40 bytes; the unordered_map's 100 nodes of 24
  // bytes and bucket arrays of 2, 5, 11, 23, 47, 97 and 197 pointers (3056
  // bytes); the string's 112 bytes; make_shared's 48-byte block and the
  // copy's 112 bytes; the vector of 250 ints' 1000 bytes.
  constexpr int kAllocs = 11 + 100 + 100 + 7 + 1 + 2 + 1;
  constexpr int kBytes = 8188 + 4000 + 2400 + 3056 + 112 + 160 + 1000;
#else
  // libstdc++: the vector's 11 buffers of 1, 2, ..., 1024 ints (8188
  // bytes); the map's 100 nodes of 40 bytes; the unordered_map's 100 nodes
  // of 16 bytes and bucket arrays of 13, 29, 59 and 127 pointers (1824
  // bytes); the string's 101 bytes; make_shared's 48-byte block and the
  // copy's 101 bytes; the vector of 250 ints' 1000 bytes.
  constexpr int kAllocs = 11 + 100 + 100 + 4 + 1 + 2 + 1;
  constexpr int kBytes = 8188 + 4000 + 1600 + 1824 + 101 + 149 + 1000;
#endif
  EXPECT_EQ(test_util::DescribedCounts(t),
            test_util::AllFreedCounts(kAllocs, kBytes));
  EXPECT_EQ(t.net_bytes, 0);
}

}  // namespace
}  // namespace reliability

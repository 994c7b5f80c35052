// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// //alloc_counter:malloc over a real allocator: the C functions the test
// binary defines forward to the linked allocator (not to glibc's malloc
// behind it), and count exactly across threads, fork, failures, blocks
// allocated before the window and allocations before main. Built once per
// allocator (BUILD.bazel); the columns of every function are checked by
// c_alloc_test.py.

#include <dlfcn.h>
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/reliability/allocator.h"
#include "tests/util/measure.h"
#include "tests/util/module.h"
#include "tests/util/sanitizer.h"

TEST_UTIL_ALLOCATOR_MAY_RETURN_NULL();

namespace reliability {
namespace {

using test_util::Described;
using test_util::Free;
using test_util::g_escape;
using test_util::MeasureLoop;
using test_util::SpinBarrier;

// Allocated by a static initialiser, before main (and perhaps before the
// real allocator was looked up): must be usable and freeable.
char* g_before_main = strdup("allocated before main");

// Calls through volatile pointers, so that the compiler keeps every call.
void* (*volatile g_malloc)(size_t) = &malloc;
void* (*volatile g_realloc)(void*, size_t) = &realloc;
void (*volatile g_free)(void*) = &free;

#define SKIP_UNDER_SANITIZER()                                       \
  if (test_util::kSanitized) {                                       \
    GTEST_SKIP() << "//alloc_counter:malloc counts nothing under a " \
                    "sanitizer (README); the plain build checks "    \
                 << AllocatorName();                                 \
  }

// -----------------------------------------------------------------------------
// The allocator underneath.

TEST(CAllocator, TheNextMallocAfterTheExecutableIsTheLinkedAllocators) {
  SKIP_UNDER_SANITIZER();
  // This binary defines malloc; the one it forwards to comes next.
  for (const char* symbol :
       {"malloc", "free", "calloc", "realloc", "posix_memalign"}) {
    EXPECT_EQ(test_util::ModuleOf(dlsym(RTLD_NEXT, symbol)), AllocatorLibrary())
        << symbol;
  }
}

// Checks that `p`, just returned by a replaced C function, is a live block
// of the linked allocator, aligned to `alignment`, then frees it.
void ExpectBlockOfTheAllocator(const char* what, void* p,
                               std::size_t alignment) {
  SCOPED_TRACE(what);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u);
  if (const auto owns = AllocatorOwns(p)) {
    EXPECT_TRUE(*owns);
  }
  const auto in_use = AllocatorBytesInUse();
  const int64_t block = AllocatorBlockBytes(p);
  EXPECT_GT(block, 0);
  free(p);
  if (in_use) {
    EXPECT_EQ(*AllocatorBytesInUse(), *in_use - block);
  }
}

TEST(CAllocator, EveryFunctionReturnsABlockOfTheAllocator) {
  SKIP_UNDER_SANITIZER();
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  ExpectBlockOfTheAllocator("malloc", g_malloc(100), 16);
  char* zeroed = static_cast<char*>(calloc(10, 100));
  ASSERT_NE(zeroed, nullptr);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(zeroed[i], 0);
  ExpectBlockOfTheAllocator("calloc", zeroed, 16);
  ExpectBlockOfTheAllocator("realloc", g_realloc(g_malloc(16), 5000), 16);
  ExpectBlockOfTheAllocator("reallocarray", reallocarray(nullptr, 10, 30), 16);
  void* p = nullptr;
  ASSERT_EQ(posix_memalign(&p, 256, 100), 0);
  ExpectBlockOfTheAllocator("posix_memalign", p, 256);
  ExpectBlockOfTheAllocator("aligned_alloc", aligned_alloc(128, 256), 128);
  ExpectBlockOfTheAllocator("memalign", memalign(64, 100), 64);
  ExpectBlockOfTheAllocator("valloc", valloc(100), page);
  ExpectBlockOfTheAllocator("pvalloc", pvalloc(100), page);
  ExpectBlockOfTheAllocator("strdup", strdup("abc"), 8);
}

TEST(CAllocator, ABlockAllocatedBeforeMainIsUsableAndFreeable) {
  ASSERT_NE(g_before_main, nullptr);
  EXPECT_STREQ(g_before_main, "allocated before main");
  g_escape = g_before_main = static_cast<char*>(g_realloc(g_before_main, 100));
  ASSERT_NE(g_before_main, nullptr);
  EXPECT_STREQ(g_before_main, "allocated before main");
  g_free(g_before_main);
  g_before_main = nullptr;
}

// -----------------------------------------------------------------------------
// Counting.

TEST(CAllocator, ReallocOfABlockFromBeforeTheWindowFreesItsAllocatorSize) {
  SKIP_UNDER_SANITIZER();
  void* p = g_malloc(64);
  const int64_t old_block = AllocatorBlockBytes(p);  // no recorded size
  void* q = nullptr;
  const auto t = MeasureLoop([&] { q = g_realloc(p, 128); });
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(test_util::DescribedCounts(t),
            absl::StrFormat("allocs=1 alloc_bytes=128 frees=1 freed_bytes=%d",
                            old_block));
  EXPECT_EQ(t.net_bytes, 128 - old_block);
  g_free(q);
}

TEST(CAllocator, AFailedReallocCountsNothingAndKeepsTheBlocksSize) {
  SKIP_UNDER_SANITIZER();
  const auto t = MeasureLoop([&] {
    void* p = g_malloc(100);
    void* volatile q = g_realloc(p, SIZE_MAX / 2);
    if (q != nullptr) std::abort();  // no allocator can
    g_free(p);  // the size recorded at the malloc, still known
  });
  EXPECT_EQ(Described(t),
            "allocs=1 alloc_bytes=100 frees=1 freed_bytes=100 net_bytes=0 "
            "peak_bytes=100");
}

TEST(CAllocator, MallocAndFreeOnFourThreadsBalance) {
  SKIP_UNDER_SANITIZER();
  // The threads exist before the window and exit after it (glibc's own
  // allocations for a thread's start and exit would count too); each
  // allocates its blocks, then frees the next thread's.
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<void*> blocks(std::size_t{kThreads} * kPerThread);
  SpinBarrier start(kThreads + 1), allocated(kThreads), done(kThreads + 1);
  std::atomic<bool> finish{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.Wait();
      for (int j = 0; j < kPerThread; ++j) {
        const std::size_t size = 1 + static_cast<std::size_t>(j % 300);
        void* p = (j % 3 == 0) ? calloc(1, size) : g_malloc(size);
        if (j % 5 == 0) p = g_realloc(p, size);  // same size
        blocks[static_cast<std::size_t>(i * kPerThread + j)] = p;
      }
      allocated.Wait();
      const int next = (i + 1) % kThreads;
      for (int j = 0; j < kPerThread; ++j) {
        g_free(blocks[static_cast<std::size_t>(next * kPerThread + j)]);
      }
      done.Wait();
      while (!finish.load(std::memory_order_acquire)) {
        std::this_thread::yield();
      }
    });
  }
  const auto t = MeasureLoop([&] {
    start.Wait();
    done.Wait();
  });
  finish.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();
  int64_t allocs = 0;
  int64_t bytes = 0;
  for (int j = 0; j < kPerThread; ++j) {
    const int64_t size = 1 + j % 300;
    allocs += (j % 5 == 0) ? 2 : 1;
    bytes += (j % 5 == 0) ? 2 * size : size;
  }
  // The peak depends on how the threads interleave.
  EXPECT_EQ(test_util::DescribedCounts(t),
            test_util::AllFreedCounts(kThreads * allocs, kThreads * bytes));
  EXPECT_EQ(t.net_bytes, 0);
}

TEST(CAllocator, AChildForkedInTheWindowMallocsAndItsCountsStayItsOwn) {
  SKIP_UNDER_SANITIZER();
  int status = -1;
  const auto t = MeasureLoop([&] {
    void* before_fork = g_malloc(32);
    const pid_t child = fork();
    if (child == 0) {
      // glibc's own allocations and ours, in the child.
      for (int i = 0; i < 100; ++i) {
        char* s = strdup("in the child");
        void* p = g_realloc(g_malloc(10), 1000);
        if (s == nullptr || p == nullptr) _exit(3);
        g_free(p);
        free(s);
      }
      _exit(0);
    }
    int wait_status = 0;
    waitpid(child, &wait_status, 0);
    status = wait_status;
    g_free(before_fork);
  });
  ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(Described(t),
            "allocs=1 alloc_bytes=32 frees=1 freed_bytes=32 net_bytes=0 "
            "peak_bytes=32");
}

TEST(CAllocator, OperatorNewCountsOnceNotAgainForItsMalloc) {
  const auto t = MeasureLoop([] {
    void* p = ::operator new(100);
    Free(p, 100);
    void* q = ::operator new (100, std::align_val_t{64});
    ::operator delete (q, std::align_val_t{64});
  });
  // One block live at a time.
  EXPECT_EQ(Described(t),
            "allocs=2 alloc_bytes=200 frees=2 freed_bytes=200 net_bytes=0 "
            "peak_bytes=100");
}

}  // namespace
}  // namespace reliability

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The replaced C allocator of `//alloc_counter:malloc`: `malloc`, `calloc`,
// `realloc`, `reallocarray`, `free`, `posix_memalign`, `aligned_alloc`,
// `memalign`, `valloc`, `pvalloc` and `malloc_usable_size`, defined in the
// executable, so that they come first in symbol resolution: the program's
// own calls, and those of every shared library (glibc's `strdup`,
// `asprintf`, `qsort`, ... call `malloc` through the PLT), arrive here.
// Each forwards to the real allocator and, while something is counted,
// records what it did with the calls operator new uses (thread_counters.h).
//
// The real allocator, and the bootstrap buffer that serves `dlsym` while it
// is looked up, are real_allocator.h's.
//
// Cost when nothing is counted: the relaxed load of the hook state with one
// branch predicted not taken, the load of the real function's pointer and an
// indirect tail call; `free` and `realloc` also test whether the block is a
// bootstrap block (a subtraction and a compare). Instruction budget
// (x86-64, g++ -O2): 4 for `malloc`, 8 for `free`, where the PLT jump they
// replace was 1 each; callgrind measures 13 more per malloc + free pair
// (docs/performance.md).
//
// What is counted is stated in the README ("Counting the C allocator"):
// each successful call that returns new memory counts one allocation of the
// bytes requested; `realloc` counts the free of the old block then the
// allocation of the new one, in place or not, as heaptrack does. While only
// the timed loops count (--alloc_counter_mode=timed), C calls are not
// counted: operator new's own `malloc` cannot be told apart from the
// program's on that path.
//
// Under AddressSanitizer or ThreadSanitizer this file defines nothing but a
// one-line notice at start-up: the sanitizer's runtime owns malloc, and
// intercepts strdup and friends without calling it, so counts would be
// partial. C calls are then not counted (operator new still is).
//
// Nothing here allocates through `operator new` or writes through iostreams.

#include "alloc_counter/real_allocator.h"

#if defined(ALLOC_COUNTER_UNDER_SANITIZER)

#include <unistd.h>

namespace {

const bool kNoticePrinted = [] {
  const char notice[] =
      "alloc_counter: //alloc_counter:malloc does nothing under a sanitizer: "
      "malloc, calloc, realloc, free and friends are not counted\n";
  return write(STDERR_FILENO, notice, sizeof(notice) - 1) >= 0;
}();

}  // namespace

#else  // !defined(ALLOC_COUNTER_UNDER_SANITIZER)

#include <malloc.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "alloc_counter/backend_guard.h"
#include "alloc_counter/block_sizes.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/thread_counters.h"

// Tells alloc_counter.cc, which declares it weak, that this program counts
// the C allocator: the run's JSON context says so.
extern "C" const int alloc_counter_c_allocator_linked = 1;

namespace {

using alloc_counter::internal::BootstrapAllocate;
using alloc_counter::internal::BootstrapSize;
using alloc_counter::internal::EnterBackend;
using alloc_counter::internal::g_real;
using alloc_counter::internal::HookState;
using alloc_counter::internal::InBootstrap;
using alloc_counter::internal::kRelaxed;
using alloc_counter::internal::LeaveBackend;
using alloc_counter::internal::OnlyTimedLoops;
using alloc_counter::internal::RealAlignedAlloc;
using alloc_counter::internal::RealFree;
using alloc_counter::internal::RealMalloc;
using alloc_counter::internal::RealMemalign;
using alloc_counter::internal::RealPvalloc;
using alloc_counter::internal::RealRealloc;
using alloc_counter::internal::RealUsableSize;
using alloc_counter::internal::RealValloc;
using alloc_counter::internal::tls_in_backend;

// --- Counting ----------------------------------------------------------------

// True when a C call must be counted: something other than the timed loops
// is counted. (Under the timed loops alone, operator new's own malloc would
// be counted twice.)
inline bool Counting() {
  const uint64_t state = HookState();
  return ABSL_PREDICT_FALSE(state != 0) && !OnlyTimedLoops(state);
}

// Records the allocation of `size` bytes at `p` (null: none) that
// CountAllocation() made inside the backend, and leaves it.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void* RecordCounted(
    void* p, size_t size) {
  if (p != nullptr) alloc_counter::internal::RecordAllocation(p, size);
  LeaveBackend(false);
  return p;
}

// Calls `allocate` (which returns the new block or null) and records an
// allocation of `size` bytes if it succeeds, unless the calling thread is
// already inside the C allocator for a counted call (operator new's own
// malloc, or what heaptrack allocates inside malloc). What the record path
// allocates is not counted either. Always inlined into the C entry point, in
// the hook section: GCC leaves a template's instantiations out of the
// section its attribute names, so the counting path of a template may not
// be a function of its own.
template <typename Allocate>
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void* CountAllocation(size_t size,
                                                          Allocate allocate) {
  if (!Counting() || tls_in_backend) return allocate();
  EnterBackend();
  return RecordCounted(allocate(), size);
}

ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void FreeCounted(void* p) {
  if (p == nullptr || tls_in_backend) {
    RealFree(p);
    return;
  }
  EnterBackend();
  alloc_counter::internal::RecordDeallocation(
      p, alloc_counter::internal::kUnknownSize);
  RealFree(p);
  LeaveBackend(false);
}

// realloc of a live, non-bootstrap block `p`, while counting: the free of the
// old block, then the allocation of `size` bytes, whether the block moved or
// not (heaptrack counts the same). A failed realloc counts nothing; a
// realloc(p, 0) that frees and returns null counts the free only.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void* ReallocCounted(
    void* p, size_t size) {
  using alloc_counter::internal::ForgetBlockSize;
  using alloc_counter::internal::kNoBlockSize;
  using alloc_counter::internal::RecordAllocation;
  using alloc_counter::internal::RecordDeallocation;
  using alloc_counter::internal::RememberBlockSize;
  if (tls_in_backend) return RealRealloc(p, size);
  EnterBackend();
  // The old block's requested size, as operator delete would find it (the
  // size table, else the allocator's size for the block), read while the
  // block is still ours.
  const size_t recorded = ForgetBlockSize(p);
  const size_t old_size =
      recorded != kNoBlockSize ? recorded : RealUsableSize(p);
  void* q = RealRealloc(p, size);
  if (q == nullptr && size != 0) {
    // Failed: the old block stays as it was.
    if (recorded != kNoBlockSize) RememberBlockSize(p, recorded);
  } else {
    // After a move, `p` may already be another thread's new block, with its
    // own entry in the size table: the free is recorded under the key of the
    // new block, which has none yet (the pointer is only that key here).
    void* key = q != nullptr ? q : p;
    RecordDeallocation(key, old_size);
    if (q != nullptr) RecordAllocation(q, size);
  }
  LeaveBackend(false);
  return q;
}

// realloc of a bootstrap block: a new block from the real allocator (counted
// as a malloc), with the old contents; bootstrap blocks are never freed.
ALLOC_COUNTER_HOOK_SECTION void* ReallocBootstrap(void* p, size_t size) {
  void* q = CountAllocation(size, [size] { return RealMalloc(size); });
  if (q != nullptr) {
    const size_t old_size = BootstrapSize(p);
    std::memcpy(q, p, old_size < size ? old_size : size);
  }
  return q;
}

}  // namespace

// --- The C entry points ----------------------------------------------------

extern "C" {

ALLOC_COUNTER_HOOK_SECTION void* malloc(size_t size) noexcept {
  return CountAllocation(size, [size] { return RealMalloc(size); });
}

ALLOC_COUNTER_HOOK_SECTION void* calloc(size_t count, size_t size) noexcept {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return CountAllocation(bytes, [count, size] {
    return g_real.calloc.load(kRelaxed)(count, size);
  });
}

ALLOC_COUNTER_HOOK_SECTION void free(void* p) noexcept {
  if (ABSL_PREDICT_FALSE(InBootstrap(p))) return;
  if (Counting()) {
    FreeCounted(p);
    return;
  }
  RealFree(p);
}

ALLOC_COUNTER_HOOK_SECTION void* realloc(void* p, size_t size) noexcept {
  if (ABSL_PREDICT_FALSE(InBootstrap(p))) return ReallocBootstrap(p, size);
  if (p == nullptr) return malloc(size);
  if (Counting()) return ReallocCounted(p, size);
  return RealRealloc(p, size);
}

ALLOC_COUNTER_HOOK_SECTION void* reallocarray(void* p, size_t count,
                                              size_t size) noexcept {
  size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, bytes);
}

ALLOC_COUNTER_HOOK_SECTION int posix_memalign(void** out, size_t alignment,
                                              size_t size) noexcept {
  void* p = nullptr;
  int error = 0;
  CountAllocation(size, [&] {
    error = g_real.posix_memalign.load(kRelaxed)(&p, alignment, size);
    return error == 0 ? p : nullptr;
  });
  if (error == 0) *out = p;
  return error;
}

ALLOC_COUNTER_HOOK_SECTION void* aligned_alloc(size_t alignment,
                                               size_t size) noexcept {
  return CountAllocation(
      size, [alignment, size] { return RealAlignedAlloc(alignment, size); });
}

ALLOC_COUNTER_HOOK_SECTION void* memalign(size_t alignment,
                                          size_t size) noexcept {
  return CountAllocation(
      size, [alignment, size] { return RealMemalign(alignment, size); });
}

ALLOC_COUNTER_HOOK_SECTION void* valloc(size_t size) noexcept {
  return CountAllocation(size, [size] { return RealValloc(size); });
}

ALLOC_COUNTER_HOOK_SECTION void* pvalloc(size_t size) noexcept {
  return CountAllocation(size, [size] { return RealPvalloc(size); });
}

ALLOC_COUNTER_HOOK_SECTION size_t malloc_usable_size(void* p) noexcept {
  if (ABSL_PREDICT_FALSE(InBootstrap(p))) return BootstrapSize(p);
  return RealUsableSize(p);
}

}  // extern "C"

#endif  // defined(ALLOC_COUNTER_UNDER_SANITIZER)

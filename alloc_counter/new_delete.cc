// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The replaced global allocation functions: all 20 replaceable forms of C++17
// (8 `operator new`, 12 `operator delete`) route into `Allocate()` and
// `Deallocate()` below, which is the whole allocation hot path of
// alloc_counter.
//
// Memory comes from the C allocator the program is linked with (`malloc`,
// `posix_memalign`, `free`: glibc, or jemalloc, tcmalloc, mimalloc when they
// replace `malloc`), so every `new` pairs with a `free` of the same backend.
//
// Cost when nothing is being counted (the timed runs, by default): one
// relaxed load of `g_hook_state` and one branch predicted not taken, on top of
// the C allocator call. When something is counted, the out-of-line
// `RecordAllocation()` / `RecordDeallocation()` (thread_counters.cc) do the
// rest.
//
// Nothing here allocates through `operator new` or writes through iostreams.
// Every function here is in the section of the allocation path
// (hook_section.h), so that a stack's frames of it are known by address.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "alloc_counter/backend_guard.h"
#include "alloc_counter/hook_section.h"
#include "alloc_counter/hook_state.h"
#include "alloc_counter/thread_counters.h"

namespace {

using alloc_counter::internal::EnterBackend;
using alloc_counter::internal::HookState;
using alloc_counter::internal::kUnknownSize;
using alloc_counter::internal::LeaveBackend;
using alloc_counter::internal::OnlyTimedLoops;
using alloc_counter::internal::tls_in_backend;

// The alignment argument of the forms without `std::align_val_t`: plain
// `malloc`, whose alignment libstdc++'s own operator new relies on too.
constexpr std::size_t kPlain = 0;

ALLOC_COUNTER_HOOK_SECTION inline void* Backend(std::size_t size,
                                                std::size_t alignment) {
  // `new(0)` must return a unique pointer: ask the backend for one byte.
  if (size == 0) size = 1;
  if (alignment == kPlain) return std::malloc(size);
  // An explicit alignment always goes to posix_memalign: `malloc` may align a
  // block of 8 bytes or less to 8 only (jemalloc, tcmalloc and mimalloc do),
  // which is less than align_val_t{16} asks for.
  void* p = nullptr;
  if (alignment < sizeof(void*)) alignment = sizeof(void*);
  return posix_memalign(&p, alignment, size) == 0 ? p : nullptr;
}

// The standard's loop ([new.delete.single]): call the new_handler until the
// backend succeeds, or throw / return nullptr when there is none.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void* AllocateSlow(
    std::size_t size, std::size_t alignment, bool nothrow) {
  for (;;) {
    // The retry's malloc is this operator new's, not a C call to count again
    // (//alloc_counter:malloc); the new_handler below is the program's.
    const bool nested = EnterBackend();
    void* p = Backend(size, alignment);
    LeaveBackend(nested);
    if (p != nullptr) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) {
      if (nothrow) return nullptr;
      throw std::bad_alloc();
    }
    if (nothrow) {
      try {
        handler();
      } catch (...) {
        return nullptr;
      }
    } else {
      handler();
    }
  }
}

// The counting path of operator new, taken while something is counted.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void* AllocateCounted(
    std::size_t size, std::size_t alignment, bool nothrow) {
  const bool nested = EnterBackend();
  void* p = Backend(size, alignment);
  LeaveBackend(nested);
  if (ABSL_PREDICT_FALSE(p == nullptr)) {
    // The new_handler is the program's code: what it allocates counts.
    p = AllocateSlow(size, alignment, nothrow);
  }
  if (p != nullptr && !nested) {
    alloc_counter::internal::RecordAllocation(p, size);
  }
  return p;
}

// The counting path of operator delete.
ABSL_ATTRIBUTE_NOINLINE ALLOC_COUNTER_HOOK_SECTION void DeallocateCounted(
    void* p, std::size_t size) {
  if (!tls_in_backend) alloc_counter::internal::RecordDeallocation(p, size);
  const bool nested = EnterBackend();
  std::free(p);
  LeaveBackend(nested);
}

// Fast path: one predicted-not-taken branch, then the backend call. A failed
// allocation is not counted.
//
// Instruction budget beside malloc, when nothing is counted (x86-64, g++ -O2):
// the relaxed load of g_hook_state with its test and branch, the size-0
// fix-up (test + cmov) and the null test of malloc's result: the same shape
// as libstdc++'s own operator new plus one load and one branch. operator
// delete adds the load of g_hook_state, one test against a mask and its
// branch, before a tail call to free.
//
// While only the timed loops count (--alloc_counter_mode=timed), operator
// new adds the test of the state against the mask and the inline
// CountTimedAllocation() after malloc (8 instructions on a thread-local
// block, thread_counters.h); operator delete adds nothing: the mask it tests
// leaves the timed loops out. On aarch64 (g++ 12) the same path adds 16: a
// load, an add and a store per field, and four to form the thread-local
// block's address (docs/performance.md lists them).
ALLOC_COUNTER_HOOK_SECTION inline void* Allocate(std::size_t size,
                                                 std::size_t alignment,
                                                 bool nothrow) {
  const uint64_t state = HookState();
  if (ABSL_PREDICT_FALSE(state != 0)) {
    if (!OnlyTimedLoops(state))
      return AllocateCounted(size, alignment, nothrow);
    void* p = Backend(size, alignment);
    if (ABSL_PREDICT_FALSE(p == nullptr)) {
      p = AllocateSlow(size, alignment, nothrow);
      if (p == nullptr) return nullptr;
    }
    return alloc_counter::internal::CountTimedAllocation(p, size);
  }
  void* p = Backend(size, alignment);
  if (ABSL_PREDICT_FALSE(p == nullptr)) {
    p = AllocateSlow(size, alignment, nothrow);
  }
  return p;
}

// `size` is the size passed to a sized delete, or kUnknownSize; the record
// path finds the size an unsized delete releases.
ALLOC_COUNTER_HOOK_SECTION inline void Deallocate(void* p, std::size_t size) {
  if (p == nullptr) return;
  if (ABSL_PREDICT_FALSE(!OnlyTimedLoops(HookState()))) {
    DeallocateCounted(p, size);
    return;
  }
  std::free(p);
}

inline std::size_t Align(std::align_val_t alignment) {
  return static_cast<std::size_t>(alignment);
}

}  // namespace

// Throwing forms.
ALLOC_COUNTER_HOOK_SECTION void* operator new(std::size_t size) {
  return Allocate(size, kPlain, false);
}
ALLOC_COUNTER_HOOK_SECTION void* operator new[](std::size_t size) {
  return Allocate(size, kPlain, false);
}
ALLOC_COUNTER_HOOK_SECTION void* operator new(std::size_t size,
                                              std::align_val_t alignment) {
  return Allocate(size, Align(alignment), false);
}
ALLOC_COUNTER_HOOK_SECTION void* operator new[](std::size_t size,
                                                std::align_val_t alignment) {
  return Allocate(size, Align(alignment), false);
}

// Non-throwing forms.
ALLOC_COUNTER_HOOK_SECTION void* operator new(std::size_t size,
                                              const std::nothrow_t&) noexcept {
  return Allocate(size, kPlain, true);
}
ALLOC_COUNTER_HOOK_SECTION void* operator new[](
    std::size_t size, const std::nothrow_t&) noexcept {
  return Allocate(size, kPlain, true);
}
ALLOC_COUNTER_HOOK_SECTION void* operator new(std::size_t size,
                                              std::align_val_t alignment,
                                              const std::nothrow_t&) noexcept {
  return Allocate(size, Align(alignment), true);
}
ALLOC_COUNTER_HOOK_SECTION void* operator new[](
    std::size_t size, std::align_val_t alignment,
    const std::nothrow_t&) noexcept {
  return Allocate(size, Align(alignment), true);
}

// Unsized deletes.
ALLOC_COUNTER_HOOK_SECTION void operator delete(void* p) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete[](void* p) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete(void* p,
                                                std::align_val_t) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete[](void* p,
                                                  std::align_val_t) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete(
    void* p, const std::nothrow_t&) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete[](
    void* p, const std::nothrow_t&) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete(
    void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  Deallocate(p, kUnknownSize);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete[](
    void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  Deallocate(p, kUnknownSize);
}

// Sized deletes.
ALLOC_COUNTER_HOOK_SECTION void operator delete(void* p,
                                                std::size_t size) noexcept {
  Deallocate(p, size);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete[](void* p,
                                                  std::size_t size) noexcept {
  Deallocate(p, size);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete(void* p, std::size_t size,
                                                std::align_val_t) noexcept {
  Deallocate(p, size);
}
ALLOC_COUNTER_HOOK_SECTION void operator delete[](void* p, std::size_t size,
                                                  std::align_val_t) noexcept {
  Deallocate(p, size);
}

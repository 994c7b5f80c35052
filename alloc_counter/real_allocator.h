// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: real_allocator.h
// -----------------------------------------------------------------------------
//
// The C allocator under //alloc_counter:malloc's replaced functions
// (c_alloc.cc): found on first use, and the calls that reach it. This is
// internal to alloc_counter.
//
// The real allocator is the next definition in load order after the
// executable, found with `dlsym(RTLD_NEXT, ...)`: jemalloc, tcmalloc or
// mimalloc when linked (they come before libc), heaptrack's when preloaded,
// glibc's otherwise. A function that library lacks (jemalloc has no
// `pvalloc`; heaptrack has no `memalign`) would come from another library,
// whose heap `free` does not know: those are built on the real
// `posix_memalign` instead. `dlsym` itself allocates while it looks them up:
// those allocations come from a static bootstrap buffer, whose blocks are
// never given to the real allocator.
//
// Thread-safe: any thread may make the first call, which resolves every
// function (a race stores the same values twice).

#ifndef ALLOC_COUNTER_REAL_ALLOCATOR_H_
#define ALLOC_COUNTER_REAL_ALLOCATOR_H_

// ALLOC_COUNTER_UNDER_SANITIZER: built under AddressSanitizer or
// ThreadSanitizer, whose runtime owns malloc; //alloc_counter:malloc then
// replaces nothing.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ALLOC_COUNTER_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ALLOC_COUNTER_UNDER_SANITIZER 1
#endif

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/base/attributes.h"

namespace alloc_counter {
namespace internal {

// noexcept, as the C functions are: a call of a function that may throw
// from our noexcept entry points would need a landing pad, and could not be
// a tail call.
using MallocFn = void* (*)(size_t) noexcept;
using CallocFn = void* (*)(size_t, size_t) noexcept;
using ReallocFn = void* (*)(void*, size_t) noexcept;
using FreeFn = void (*)(void*) noexcept;
using PosixMemalignFn = int (*)(void**, size_t, size_t) noexcept;
using AlignedFn = void* (*)(size_t, size_t) noexcept;
using UsableSizeFn = size_t (*)(void*) noexcept;

// The stubs the real functions start as: the first call resolves them all.
void* ResolvingMalloc(size_t size) noexcept;
void* ResolvingCalloc(size_t count, size_t size) noexcept;
void* ResolvingRealloc(void* p, size_t size) noexcept;
void ResolvingFree(void* p) noexcept;
int ResolvingPosixMemalign(void** out, size_t alignment, size_t size) noexcept;
void* ResolvingAlignedAlloc(size_t alignment, size_t size) noexcept;
void* ResolvingMemalign(size_t alignment, size_t size) noexcept;
size_t ResolvingUsableSize(void* p) noexcept;

// The real allocator. `aligned_alloc` and `memalign` are null when the next
// library does not define them beside its `malloc`.
struct RealAllocator {
  std::atomic<MallocFn> malloc{&ResolvingMalloc};
  std::atomic<CallocFn> calloc{&ResolvingCalloc};
  std::atomic<ReallocFn> realloc{&ResolvingRealloc};
  std::atomic<FreeFn> free{&ResolvingFree};
  std::atomic<PosixMemalignFn> posix_memalign{&ResolvingPosixMemalign};
  std::atomic<AlignedFn> aligned_alloc{&ResolvingAlignedAlloc};
  std::atomic<AlignedFn> memalign{&ResolvingMemalign};
  std::atomic<UsableSizeFn> usable_size{&ResolvingUsableSize};
};
ABSL_CONST_INIT extern RealAllocator g_real;

// --- The bootstrap buffer --------------------------------------------------

// glibc's dlsym allocates a few dozen bytes (its error state); 64 KiB leaves
// room for a preloaded library's start-up too.
constexpr size_t kBootstrapBytes = 64 * 1024;
constexpr size_t kBootstrapHeader = 16;  // the block's size, keeping 16 bytes
                                         // of alignment
ABSL_CONST_INIT extern unsigned char g_bootstrap[kBootstrapBytes];

// Whether `p` is a block of the bootstrap buffer.
inline bool InBootstrap(const void* p) {
  return reinterpret_cast<uintptr_t>(p) -
             reinterpret_cast<uintptr_t>(&g_bootstrap[0]) <
         kBootstrapBytes;
}

// A zeroed block of `size` bytes aligned to `alignment` (a power of two, at
// least 16) from the bootstrap buffer, or null when it is full.
void* BootstrapAllocate(size_t size, size_t alignment);

// The size a bootstrap block was allocated with.
size_t BootstrapSize(const void* p);

// --- The real calls ----------------------------------------------------------

constexpr std::memory_order kRelaxed = std::memory_order_relaxed;

inline void* RealMalloc(size_t size) {
  return g_real.malloc.load(kRelaxed)(size);
}
inline void RealFree(void* p) { g_real.free.load(kRelaxed)(p); }
inline void* RealRealloc(void* p, size_t size) {
  return g_real.realloc.load(kRelaxed)(p, size);
}

// aligned_alloc and memalign, valloc and pvalloc: the allocator's own where
// it has them beside its malloc, built on its posix_memalign otherwise,
// with glibc's semantics. Each returns the block or null (errno set).
void* RealAlignedAlloc(size_t alignment, size_t size);
void* RealMemalign(size_t alignment, size_t size);
void* RealValloc(size_t size);
void* RealPvalloc(size_t size);

// The usable size of a block of the real allocator; 0 where it has no
// malloc_usable_size.
size_t RealUsableSize(void* p);

}  // namespace internal
}  // namespace alloc_counter

#endif  // ALLOC_COUNTER_REAL_ALLOCATOR_H_

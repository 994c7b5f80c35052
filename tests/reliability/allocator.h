// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: allocator.h
// -----------------------------------------------------------------------------
//
// The C allocator underneath alloc_counter's `operator new` in one test
// binary, queried through that allocator's own API. alloc_counter's hooks
// take their memory from `malloc`/`posix_memalign` and return it with `free`;
// linking jemalloc, tcmalloc or mimalloc replaces those, and each test binary
// of this package is built once per allocator (BUILD.bazel), with one of
// allocator_{glibc,jemalloc,tcmalloc,mimalloc}.cc providing the calls below.
//
// Under ASan or TSan the sanitizer's own allocator replaces `malloc` whatever
// is linked; `test_util::kSanitized` (tests/util/sanitizer.h) says so, and
// the checks of the allocator's identity are then skipped (the counts are still
// checked).
//
// Thread-compatible: call from one thread at a time. Nothing here allocates
// through `operator new`.

#ifndef TESTS_RELIABILITY_ALLOCATOR_H_
#define TESTS_RELIABILITY_ALLOCATOR_H_

#include <cstdint>
#include <optional>

#include "tests/util/sanitizer.h"

namespace reliability {

// AllocatorName()
//
// "glibc", "jemalloc", "tcmalloc" or "mimalloc".
const char* AllocatorName();

// AllocatorLibrary()
//
// The file name of the shared library that must define `malloc` in this
// binary, e.g. "libjemalloc.so.2".
const char* AllocatorLibrary();

// AllocatorOwns()
//
// Whether the allocator's own API says that `p` (returned by `operator new`,
// not yet freed) is a block of its heap: `mi_is_in_heap_region` and
// `mi_check_owned` for mimalloc, `MallocExtension::GetOwnership` for tcmalloc,
// the per-thread allocation counters for jemalloc (see below). `nullopt` for
// glibc, which has no such query: its run is the reference.
std::optional<bool> AllocatorOwns(const void* p);

// AllocatorBytesInUse()
//
// A byte count that the allocator itself keeps and that moves by exactly
// `AllocatorBlockBytes(p)` when the calling thread allocates or frees `p`
// (and nothing else allocates meanwhile): jemalloc's `thread.allocated` minus
// `thread.deallocated`, tcmalloc's `generic.current_allocated_bytes`.
// `nullopt` for allocators without one (glibc's mallinfo2 counts its
// per-thread cache as in use; mimalloc 2.0 has no numeric statistics call).
std::optional<int64_t> AllocatorBytesInUse();

// AllocatorBlockBytes()
//
// The size the allocator gives the block at `p`: its size class, by the
// allocator's own call (`sallocx`, `GetAllocatedSize`, `mi_usable_size`,
// `malloc_usable_size`).
int64_t AllocatorBlockBytes(const void* p);

}  // namespace reliability

#endif  // TESTS_RELIABILITY_ALLOCATOR_H_

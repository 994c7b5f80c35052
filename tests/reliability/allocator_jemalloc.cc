// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// allocator.h for jemalloc (libjemalloc-dev, linked with -ljemalloc).
//
// jemalloc keeps two exact per-thread counters, `thread.allocated` and
// `thread.deallocated`, which every allocation and free of the calling thread
// moves by the block's size class (`sallocx`). A block whose allocation moved
// `thread.allocated` by its size class came from jemalloc.

#include <jemalloc/jemalloc.h>

#include <cstdint>
#include <cstdlib>
#include <optional>

#include "tests/reliability/allocator.h"

namespace reliability {
namespace {

uint64_t ThreadCounter(const char* name) {
  uint64_t value = 0;
  size_t size = sizeof(value);
  if (mallctl(name, &value, &size, nullptr, 0) != 0) std::abort();
  return value;
}

}  // namespace

const char* AllocatorName() { return "jemalloc"; }
const char* AllocatorLibrary() { return "libjemalloc.so.2"; }

// jemalloc has no safe query for a foreign pointer; ownership is shown by
// AllocatorBytesInUse() moving by the block's size class.
std::optional<bool> AllocatorOwns(const void*) { return std::nullopt; }

std::optional<int64_t> AllocatorBytesInUse() {
  return static_cast<int64_t>(ThreadCounter("thread.allocated") -
                              ThreadCounter("thread.deallocated"));
}

int64_t AllocatorBlockBytes(const void* p) {
  return static_cast<int64_t>(sallocx(const_cast<void*>(p), 0));
}

}  // namespace reliability

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// allocator.h for mimalloc (libmimalloc-dev, linked with -lmimalloc).

#include <mimalloc.h>

#include <cstdint>
#include <optional>

#include "tests/reliability/allocator.h"

namespace reliability {

const char* AllocatorName() { return "mimalloc"; }
const char* AllocatorLibrary() { return "libmimalloc.so.2"; }

std::optional<bool> AllocatorOwns(const void* p) {
  return mi_is_in_heap_region(p) && mi_check_owned(p);
}

// mimalloc 2.0 reports its statistics only as printed text.
std::optional<int64_t> AllocatorBytesInUse() { return std::nullopt; }

int64_t AllocatorBlockBytes(const void* p) {
  return static_cast<int64_t>(mi_usable_size(p));
}

}  // namespace reliability

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// allocator.h for glibc's malloc, the reference build: no ownership query and
// no exact byte counter, only the library that defines malloc.

#include <malloc.h>

#include <cstdint>
#include <optional>

#include "tests/reliability/allocator.h"

namespace reliability {

const char* AllocatorName() { return "glibc"; }
const char* AllocatorLibrary() { return "libc.so.6"; }
std::optional<bool> AllocatorOwns(const void*) { return std::nullopt; }
std::optional<int64_t> AllocatorBytesInUse() { return std::nullopt; }

int64_t AllocatorBlockBytes(const void* p) {
  return static_cast<int64_t>(malloc_usable_size(const_cast<void*>(p)));
}

}  // namespace reliability

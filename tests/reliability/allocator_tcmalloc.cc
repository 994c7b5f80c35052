// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// allocator.h for gperftools' tcmalloc (libgoogle-perftools-dev, linked with
// -ltcmalloc_minimal).

#include <gperftools/malloc_extension.h>

#include <cstdint>
#include <cstdlib>
#include <optional>

#include "tests/reliability/allocator.h"

#if defined(TEST_UTIL_ADDRESS_SANITIZER)
// LeakSanitizer: tcmalloc's own static initialiser registers its
// MallocExtension in a block it keeps for the life of the process, allocated
// with operator new (alloc_counter's, then ASan's malloc). An intentional
// leak inside libtcmalloc_minimal, not in alloc_counter or the tests.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:MallocExtension::Register\n";
}
// Without the "Suppressions used" table on stderr: a clean run prints none.
extern "C" const char* __lsan_default_options() {
  return "print_suppressions=0";
}
#endif

namespace reliability {

const char* AllocatorName() { return "tcmalloc"; }
const char* AllocatorLibrary() { return "libtcmalloc_minimal.so.4"; }

std::optional<bool> AllocatorOwns(const void* p) {
  return MallocExtension::instance()->GetOwnership(p) ==
         MallocExtension::kOwned;
}

std::optional<int64_t> AllocatorBytesInUse() {
  size_t value = 0;
  if (!MallocExtension::instance()->GetNumericProperty(
          "generic.current_allocated_bytes", &value)) {
    std::abort();
  }
  return static_cast<int64_t>(value);
}

int64_t AllocatorBlockBytes(const void* p) {
  return static_cast<int64_t>(MallocExtension::instance()->GetAllocatedSize(p));
}

}  // namespace reliability

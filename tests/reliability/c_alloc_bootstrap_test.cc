// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// //alloc_counter:malloc looks up the real allocator with dlsym on the first
// allocation; allocations that dlsym makes meanwhile come from a static
// start-up buffer. glibc 2.36's dlsym makes none, so this test preloads
// dlsym_allocates_preload.so, whose dlsym does (calloc, malloc, realloc,
// free), and checks that the program starts, that those blocks are usable,
// sized exactly (a real allocator rounds 32 bytes up), zeroed where they
// come from calloc, and that freeing them later is harmless.
//
// A plain main() (this runs before and around everything a test framework
// would set up): it re-executes itself with LD_PRELOAD set, then checks.
// Argument: the preload library (default: beside the executable).

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/util/sanitizer.h"

namespace {

int failures = 0;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

void* Block(const char* symbol) {
  auto* slot = static_cast<void**>(dlsym(RTLD_DEFAULT, symbol));
  return slot != nullptr ? *slot : nullptr;
}

std::string BesideThisExecutable(const char* file) {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return file;
  path[n] = '\0';
  std::string dir(path);
  return dir.substr(0, dir.rfind('/') + 1) + file;
}

}  // namespace

int main(int argc, char** argv) {
  if (test_util::kSanitized) {
    // //alloc_counter:malloc is a no-op under a sanitizer, and ASan refuses
    // a preloaded library before its runtime.
    std::printf(
        "skipped: //alloc_counter:malloc counts nothing under a "
        "sanitizer\n");
    return 0;
  }
  const char* preloaded = std::getenv("LD_PRELOAD");
  if (preloaded == nullptr ||
      std::strstr(preloaded, "dlsym_allocates") == nullptr) {
    const std::string library =
        argc > 1 ? argv[1] : BesideThisExecutable("dlsym_allocates_preload.so");
    setenv("LD_PRELOAD", library.c_str(), 1);
    execv("/proc/self/exe", argv);
    std::perror("execv");
    return 2;
  }

  // The first allocation of the process looks up the real allocator, and
  // so makes the preloaded dlsym's first call. libstdc++ allocates before
  // main (its emergency pool for exceptions); libc++ does not, and Block()
  // below would then make that first call itself, outside the lookup. So
  // allocate once first.
  void* volatile first = std::malloc(1);
  std::free(first);

  auto* zeroed = static_cast<unsigned char*>(Block("g_dlsym_calloc_block"));
  auto* moved = static_cast<char*>(Block("g_dlsym_realloc_block"));
  Check(zeroed != nullptr, "dlsym's calloc returned a block");
  Check(moved != nullptr, "dlsym's realloc returned a block");
  if (failures != 0) return 1;
  Check(reinterpret_cast<uintptr_t>(zeroed) % 16 == 0, "aligned to 16");
  bool all_zero = true;
  for (int i = 0; i < 32; ++i) all_zero = all_zero && zeroed[i] == 0;
  Check(all_zero, "the calloc block is zeroed");
  // Start-up blocks are sized exactly; a real allocator's 32-byte block is
  // larger (glibc 40, jemalloc/tcmalloc/mimalloc 32 only by size class).
  Check(malloc_usable_size(zeroed) == 32, "calloc block: usable size 32");
  Check(malloc_usable_size(moved) == 100, "realloc block: usable size 100");
  Check(std::strcmp(moved, "bootstrap") == 0, "realloc kept the contents");
  // realloc of a start-up block moves it to the real allocator.
  char* grown = static_cast<char*>(realloc(moved, 5000));
  Check(grown != nullptr && std::strcmp(grown, "bootstrap") == 0,
        "realloc out of the start-up buffer kept the contents");
  free(grown);
  free(zeroed);  // ignored: never handed to the real allocator
  void* p = malloc(64);
  Check(p != nullptr, "the real allocator serves later calls");
  free(p);
  std::printf("%s\n", failures == 0 ? "PASSED" : "FAILED");
  return failures == 0 ? 0 : 1;
}

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A library for LD_PRELOAD whose `dlsym` allocates before it looks the
// symbol up, as glibc's did for its error state before 2.34 (and other C
// libraries still may): calloc, malloc, realloc and free, on its first
// call. Preloaded into a binary linked with //alloc_counter:malloc, that
// first call is the one that looks up the real allocator, so these
// allocations must come from alloc_counter's start-up buffer
// (c_alloc_bootstrap_test.cc checks them).

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

extern "C" {

// What the first call allocated, for the test to inspect.
void* g_dlsym_calloc_block = nullptr;
void* g_dlsym_realloc_block = nullptr;

void* dlsym(void* handle, const char* name) noexcept {
  using DlsymFn = void* (*)(void*, const char*);
  static int calls = 0;
  if (calls++ == 0) {
    g_dlsym_calloc_block = calloc(4, 8);
    void* p = malloc(10);
    if (p != nullptr) std::memcpy(p, "bootstrap", 10);
    g_dlsym_realloc_block = realloc(p, 100);
    free(malloc(20));
  }
  // glibc's own dlsym (GLIBC_2.34: in libc since 2.34). RTLD_NEXT from
  // here is the object after this one: the allocator linked into the test,
  // or libc.
  static const auto real =
      reinterpret_cast<DlsymFn>(dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34"));
  return real(handle, name);
}

}  // extern "C"

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: module.h
// -----------------------------------------------------------------------------
//
// Which module (the executable or a shared library) holds an address, as the
// dynamic linker records it: for the tests that check which allocator a
// function was resolved to. Thread-safe.

#ifndef TESTS_UTIL_MODULE_H_
#define TESTS_UTIL_MODULE_H_

#include <dlfcn.h>

#include <cstring>
#include <string>

namespace test_util {

// ModuleOf()
//
// Returns the file name, without its directory, of the module that holds
// `address` ("libjemalloc.so.2"), or "<unresolved>" if `address` is null or
// no module holds it:
//
//   EXPECT_EQ(ModuleOf(dlsym(RTLD_DEFAULT, "malloc")), "libc.so.6");
inline std::string ModuleOf(const void* address) {
  Dl_info info;
  if (address == nullptr || dladdr(address, &info) == 0 ||
      info.dli_fname == nullptr) {
    return "<unresolved>";
  }
  const char* slash = std::strrchr(info.dli_fname, '/');
  return slash != nullptr ? slash + 1 : info.dli_fname;
}

}  // namespace test_util

#endif  // TESTS_UTIL_MODULE_H_

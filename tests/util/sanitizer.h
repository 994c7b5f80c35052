// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: sanitizer.h
// -----------------------------------------------------------------------------
//
// Whether the test is built with AddressSanitizer or ThreadSanitizer, for GCC
// (__SANITIZE_ADDRESS__, __SANITIZE_THREAD__) and Clang (__has_feature): in
// such a build the sanitizer's runtime replaces malloc, so allocator checks
// and //alloc_counter:malloc's counts do not apply. Compile-time constants
// only; nothing here runs.

#ifndef TESTS_UTIL_SANITIZER_H_
#define TESTS_UTIL_SANITIZER_H_

#if defined(__SANITIZE_ADDRESS__)
#define TEST_UTIL_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_UTIL_ADDRESS_SANITIZER 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define TEST_UTIL_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TEST_UTIL_THREAD_SANITIZER 1
#endif
#endif

// TEST_UTIL_ALLOCATOR_MAY_RETURN_NULL()
//
// At namespace scope in a test that asks for impossible sizes: the
// sanitizer's allocator then returns null, as malloc must, instead of
// ending the program (.bazelrc sets the same for `bazel test`; this covers
// direct runs). Expands to nothing but a declaration without a sanitizer.
#if defined(TEST_UTIL_ADDRESS_SANITIZER)
#define TEST_UTIL_SANITIZER_DEFAULT_OPTIONS __asan_default_options
#elif defined(TEST_UTIL_THREAD_SANITIZER)
#define TEST_UTIL_SANITIZER_DEFAULT_OPTIONS __tsan_default_options
#endif

#if defined(TEST_UTIL_SANITIZER_DEFAULT_OPTIONS)
#define TEST_UTIL_ALLOCATOR_MAY_RETURN_NULL()                    \
  extern "C" const char* TEST_UTIL_SANITIZER_DEFAULT_OPTIONS() { \
    return "allocator_may_return_null=1";                        \
  }                                                              \
  static_assert(true, "a semicolon follows the macro")
#else
#define TEST_UTIL_ALLOCATOR_MAY_RETURN_NULL() \
  static_assert(true, "a semicolon follows the macro")
#endif

namespace test_util {

// kSanitized
//
// True in ASan and TSan builds, whose runtime replaces malloc underneath
// alloc_counter.
#if defined(TEST_UTIL_ADDRESS_SANITIZER) || defined(TEST_UTIL_THREAD_SANITIZER)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace test_util

#endif  // TESTS_UTIL_SANITIZER_H_

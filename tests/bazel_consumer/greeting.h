// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A user's library, built on Abseil.

#ifndef BAZEL_CONSUMER_GREETING_H_
#define BAZEL_CONSUMER_GREETING_H_

#include <string>

#include "absl/strings/string_view.h"

// Returns "Hello, NAME!", built with one allocation at most.
std::string Greeting(absl::string_view name);

#endif  // BAZEL_CONSUMER_GREETING_H_

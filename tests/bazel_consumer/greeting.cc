// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "greeting.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

std::string Greeting(absl::string_view name) {
  return absl::StrCat("Hello, ", name, "!");
}

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/flags.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr absl::string_view kPrefix = "--alloc_counter_";

// Parses `value` as one of two spellings; returns false if it is neither.
bool ParseChoice(absl::string_view value, absl::string_view if_true,
                 absl::string_view if_false, bool* out) {
  if (value == if_true) {
    *out = true;
    return true;
  }
  if (value == if_false) {
    *out = false;
    return true;
  }
  return false;
}

// Parses one `--alloc_counter_NAME[=VALUE]` argument (prefix already removed).
bool ParseOne(absl::string_view arg, Flags* flags, std::string* error) {
  absl::string_view name = arg;
  absl::string_view value;
  bool has_value = false;
  if (const auto eq = arg.find('='); eq != absl::string_view::npos) {
    name = arg.substr(0, eq);
    value = arg.substr(eq + 1);
    has_value = true;
  }
  if (name == "columns") {
    // Like Google Benchmark's boolean flags, the bare flag means true.
    if (!has_value) value = "true";
    if (ParseChoice(value, "true", "false", &flags->columns)) return true;
    *error = absl::StrCat("invalid value '", value,
                          "' for --alloc_counter_columns; accepted values: "
                          "true, false");
    return false;
  }
  if (name == "paused") {
    if (ParseChoice(value, "include", "exclude", &flags->count_paused)) {
      return true;
    }
    *error = absl::StrCat("invalid value '", value,
                          "' for --alloc_counter_paused; accepted values: "
                          "exclude, include");
    return false;
  }
  if (name == "mode") {
    if (ParseChoice(value, "timed", "memory_run", &flags->timed)) return true;
    *error = absl::StrCat("invalid value '", value,
                          "' for --alloc_counter_mode; accepted values: "
                          "memory_run, timed");
    return false;
  }
  *error = absl::StrCat("unknown flag --alloc_counter_", name,
                        "; known flags: --alloc_counter_columns=true|false, "
                        "--alloc_counter_paused=exclude|include, "
                        "--alloc_counter_mode=memory_run|timed");
  return false;
}

}  // namespace

bool ParseFlags(int* argc, char** argv, Flags* flags, std::string* error) {
  Flags parsed = *flags;
  for (int i = 1; i < *argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, kPrefix) &&
        !ParseOne(arg, &parsed, error)) {
      return false;
    }
  }
  // Every argument is valid: drop ours, keep the rest in order.
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    if (!absl::StartsWith(argv[i], kPrefix)) argv[kept++] = argv[i];
  }
  if (kept < *argc) argv[kept] = nullptr;
  *argc = kept;
  *flags = parsed;
  return true;
}

}  // namespace internal
}  // namespace alloc_counter

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/flags.h"

#include <algorithm>
#include <cstddef>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr absl::string_view kPrefix = "--alloc_counter_";

// One accepted value of a flag and the setting it selects.
struct Choice {
  absl::string_view value;
  bool setting;
};

// One `--alloc_counter_NAME=VALUE` flag. A flag chooses one of two values,
// which sets a bool member of Flags; or takes a whole number from 0 to
// `max_number`, which sets the int member `number`; or takes a file's path,
// which sets the string member `path`.
struct FlagSpec {
  absl::string_view name;  // NAME, without the prefix
  bool Flags::*member;
  Choice choices[2];       // in the order help and error messages list them
  absl::string_view bare;  // what the bare flag (no `=`) means; empty: error
  absl::string_view help;  // what the flag does, for --help
  int Flags::*number = nullptr;  // set instead of `member` if not null
  int max_number = 0;
  std::string Flags::*path = nullptr;  // set instead of `member` if not null
};

// Every flag alloc_counter accepts. The parser, its error messages and
// FlagsHelp() read this table alone; the defaults are Flags' initialisers.
constexpr FlagSpec kFlags[] = {
    {"columns",
     &Flags::columns,
     {{"true", true}, {"false", false}},
     // Like Google Benchmark's boolean flags, the bare flag means true.
     "true",
     "add the allocs/iter, bytes/iter and peak_bytes columns"},
    {"paused",
     &Flags::count_paused,
     {{"exclude", false}, {"include", true}},
     "",
     "count allocations made while timing is paused"},
    {"mode",
     &Flags::timed,
     {{"memory_run", false}, {"timed", true}},
     "",
     "count in the memory run, or in the timed run on all its threads"},
    {"sites",
     nullptr,
     {},
     "",
     "show the N call stacks that allocate most per iteration, 0 for none",
     &Flags::sites,
     1000},
    {"site_names",
     &Flags::full_site_names,
     {{"short", false}, {"full", true}},
     "",
     "show sites' names with template arguments and parameters elided, or "
     "in full"},
    {"folded",
     nullptr,
     {},
     "",
     "write each benchmark's allocation stacks to FILE, folded, with counts",
     nullptr,
     0,
     &Flags::folded},
    {"folded_bytes",
     nullptr,
     {},
     "",
     "write each benchmark's allocation stacks to FILE, folded, with bytes",
     nullptr,
     0,
     &Flags::folded_bytes},
    {"histogram",
     &Flags::histogram,
     {{"false", false}, {"true", true}},
     "true",
     "show the requested sizes of the loop's allocations"},
};

// The accepted values of `flag`, joined by `separator`.
std::string Values(const FlagSpec& flag, absl::string_view separator) {
  if (flag.path != nullptr) return "a file's path";
  if (flag.number != nullptr) {
    return absl::StrCat("a whole number from 0 to ", flag.max_number);
  }
  std::string values;
  for (const Choice& choice : flag.choices) {
    if (!values.empty()) absl::StrAppend(&values, separator);
    absl::StrAppend(&values, choice.value);
  }
  return values;
}

// The value that selects `flag`'s default setting.
std::string Default(const FlagSpec& flag) {
  const Flags defaults;
  if (flag.path != nullptr) {
    return (defaults.*flag.path).empty() ? "none" : defaults.*flag.path;
  }
  if (flag.number != nullptr) return absl::StrCat(defaults.*flag.number);
  for (const Choice& choice : flag.choices) {
    if (choice.setting == defaults.*flag.member) {
      return std::string(choice.value);
    }
  }
  return "";
}

// `--alloc_counter_NAME={VALUE|VALUE}`, as --help shows `flag`.
std::string Usage(const FlagSpec& flag) {
  if (flag.path != nullptr) return absl::StrCat(kPrefix, flag.name, "=<FILE>");
  if (flag.number != nullptr) {
    return absl::StrCat(kPrefix, flag.name, "=<N>");
  }
  return absl::StrCat(kPrefix, flag.name, "={", Values(flag, "|"), "}");
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
  for (const FlagSpec& flag : kFlags) {
    if (name != flag.name) continue;
    if (!has_value) value = flag.bare;
    if (flag.path != nullptr && !value.empty()) {
      flags->*flag.path = std::string(value);
      return true;
    }
    int number = 0;
    if (flag.number != nullptr && has_value &&
        absl::SimpleAtoi(value, &number) && number >= 0 &&
        number <= flag.max_number &&
        value.find_first_not_of("0123456789") == absl::string_view::npos) {
      flags->*flag.number = number;
      return true;
    }
    for (const Choice& choice : flag.choices) {
      if (flag.number != nullptr || flag.path != nullptr) break;
      if (value == choice.value) {
        flags->*flag.member = choice.setting;
        return true;
      }
    }
    *error = has_value && !(flag.path != nullptr && value.empty())
                 ? absl::StrCat("invalid value '", value, "' for ")
                 : std::string("missing value for ");
    absl::StrAppend(error, kPrefix, flag.name,
                    "; accepted values: ", Values(flag, ", "));
    return false;
  }
  *error = absl::StrCat("unknown flag ", kPrefix, name, "; known flags:");
  absl::string_view separator = " ";
  for (const FlagSpec& flag : kFlags) {
    absl::StrAppend(error, separator, kPrefix, flag.name, "=",
                    flag.path != nullptr     ? "<FILE>"
                    : flag.number != nullptr ? "<N>"
                                             : Values(flag, "|"));
    separator = ", ";
  }
  return false;
}

}  // namespace

bool ParseFlags(int* argc, char** argv, Flags* flags, std::string* error) {
  Flags parsed = *flags;
  for (int i = 1; i < *argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, kPrefix) && !ParseOne(arg, &parsed, error)) {
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

std::string FlagsHelp() {
  std::size_t width = 0;
  for (const FlagSpec& flag : kFlags) {
    width = std::max(width, Usage(flag).size());
  }
  std::string help = "\nalloc_counter flags:\n";
  for (const FlagSpec& flag : kFlags) {
    const std::string usage = Usage(flag);
    absl::StrAppend(&help, "  ", usage,
                    std::string(width + 2 - usage.size(), ' '), flag.help,
                    " (default: ", Default(flag), ")\n");
  }
  return help;
}

}  // namespace internal
}  // namespace alloc_counter

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/site_output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "alloc_counter/site_names.h"
#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {

std::string PerIteration(int64_t total, int64_t iterations, int digits) {
  if (iterations <= 0) return "0";
  if (total % iterations == 0) return absl::StrCat(total / iterations);
  return absl::StrFormat(
      "%.*g", digits,
      static_cast<double>(total) / static_cast<double>(iterations));
}

namespace {

absl::string_view BaseName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

// The columns before a site's first frame, and before a caller's.
constexpr size_t kSiteIndent = 27;    // "  %11s %11s  "
constexpr size_t kCallerIndent = 41;  // "  %11s %11s    called from "
// Below this many columns for a name, the whole text is cut instead.
constexpr size_t kMinNameWidth = 12;

// `×N` for a frame that stands for N calls, `×N–M` for from N to M calls,
// `+` after it where the stack was cut deeper.
std::string Repeats(const SiteFrame& f) {
  if (f.repeated_max <= 1) return "";
  const char* more = f.repeated_cut ? "+" : "";
  if (f.repeated_min == f.repeated_max) {
    return absl::StrCat(" \xC3\x97", f.repeated_max, more);
  }
  return absl::StrCat(" \xC3\x97", f.repeated_min, "\xE2\x80\x93",
                      f.repeated_max, more);
}

// A frame as one line shows it, in at most `width` columns unless
// `full_names`: its name, its repeats, and `at file:line`.
std::string Where(const SiteFrame& f, size_t width, bool full_names) {
  std::string suffix = Repeats(f);
  if (!f.file.empty()) {
    absl::StrAppend(&suffix, " at ", BaseName(f.file), ":", f.line);
  }
  if (full_names) return absl::StrCat(f.function, suffix);
  const std::string& name = f.short_function;
  const size_t suffix_width = DisplayWidth(suffix);
  if (DisplayWidth(name) + suffix_width <= width) {
    return absl::StrCat(name, suffix);
  }
  if (width >= suffix_width + kMinNameWidth) {
    return absl::StrCat(FitName(name, width - suffix_width), suffix);
  }
  return FitName(absl::StrCat(name, suffix), width);
}

// The width left of `width` after `used` columns.
size_t Left(size_t width, size_t used) {
  return width > used ? width - used : 0;
}

std::string BucketLabel(const SizeBucket& b) {
  if (b.min_bytes == b.max_bytes) return absl::StrCat(b.min_bytes, " B");
  return absl::StrCat(b.min_bytes, "-", b.max_bytes, " B");
}

}  // namespace

size_t ConsoleWidth() {
  constexpr size_t kDefault = 120;
  constexpr size_t kNarrowest = 60;
  size_t width = 0;
  const char* columns = std::getenv("COLUMNS");
  int value = 0;
  if (columns != nullptr && absl::SimpleAtoi(columns, &value) && value > 0) {
    width = static_cast<size_t>(value);
  } else if (winsize size{}; isatty(STDOUT_FILENO) &&
                             ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
                             size.ws_col > 0) {
    width = size.ws_col;
  } else {
    width = kDefault;
  }
  return std::max(width, kNarrowest);
}

std::string ConsoleSiteBlock(const SiteReport& r,
                             const ConsoleSiteOptions& options) {
  std::string out;
  const int64_t n = r.iterations;
  const size_t width = options.width;
  const bool full = options.full_names;
  if (r.has_sites) {
    if (r.sites.empty() && r.other_allocs == 0) {
      out += "  allocation sites: none\n";
    } else {
      absl::StrAppendFormat(&out, "  %11s %11s  %s\n", "allocs/iter",
                            "bytes/iter", "allocation site");
      for (const AllocationSite& s : r.sites) {
        absl::StrAppendFormat(
            &out, "  %11s %11s  %s\n", PerIteration(s.allocs, n, 6),
            PerIteration(s.bytes, n, 6),
            s.frames.empty()
                ? std::string("(no frames)")
                : Where(s.frames[0], Left(width, kSiteIndent), full));
        for (size_t i = 1; i < s.frames.size(); ++i) {
          absl::StrAppendFormat(
              &out, "  %11s %11s    called from %s\n", "", "",
              Where(s.frames[i], Left(width, kCallerIndent), full));
        }
      }
      if (r.other_allocs != 0 || r.other_sites != 0) {
        absl::StrAppendFormat(&out, "  %11s %11s  other (%d %s)\n",
                              PerIteration(r.other_allocs, n, 6),
                              PerIteration(r.other_bytes, n, 6), r.other_sites,
                              r.other_sites == 1 ? "site" : "sites");
      }
      if (options.line_info_hint && !r.has_line_info) {
        out += "  (file:line needs debug information: build with -g)\n";
      }
    }
  }
  if (r.has_histogram) {
    // As many buckets a line as fit, the lines after the first indented.
    std::string line = "  sizes (allocs/iter):";
    if (r.histogram.empty()) line += " none";
    const char* separator = " ";
    for (const SizeBucket& b : r.histogram) {
      const std::string bucket =
          absl::StrCat(BucketLabel(b), ": ", PerIteration(b.allocs, n, 6));
      if (*separator == ',' && line.size() + 2 + bucket.size() + 1 > width) {
        absl::StrAppend(&out, line, ",\n");
        line = "    ";
        separator = "";
      }
      absl::StrAppend(&line, separator, bucket);
      separator = ", ";
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string FoldedStacks(const SiteReport& r, absl::string_view root,
                         bool bytes, bool full_names) {
  if (!r.has_stacks) return "";
  const std::string root_frame = absl::StrReplaceAll(root, {{";", ":"}});
  std::vector<std::string> names;
  names.reserve(r.stack_frames.size());
  for (const SiteFrame& f : r.stack_frames) {
    names.push_back(absl::StrReplaceAll(
        full_names ? f.function : f.short_function, {{";", ":"}}));
  }
  // Stacks that read the same (frames that differ only by line) are one
  // line.
  std::map<std::string, int64_t> lines;
  for (const AllocationStack& s : r.stacks) {
    std::string line = root_frame;
    if (s.truncated) absl::StrAppend(&line, ";[deeper frames]");
    for (const int index : s.frames) {
      absl::StrAppend(&line, ";", names[static_cast<size_t>(index)]);
    }
    lines[line] += bytes ? s.bytes : s.allocs;
  }
  if (r.overflow_allocs != 0) {
    lines[absl::StrCat(root_frame, ";[other stacks]")] +=
        bytes ? r.overflow_bytes : r.overflow_allocs;
  }
  std::string out;
  for (const auto& [line, count] : lines) {
    if (count != 0) absl::StrAppend(&out, line, " ", count, "\n");
  }
  return out;
}

}  // namespace internal
}  // namespace alloc_counter

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
namespace {

// A per-iteration figure: an integer as an integer, a fraction with up to
// `digits` significant digits.
std::string PerIteration(int64_t total, int64_t iterations, int digits) {
  if (iterations <= 0) return "0";
  if (total % iterations == 0) return absl::StrCat(total / iterations);
  return absl::StrFormat(
      "%.*g", digits,
      static_cast<double>(total) / static_cast<double>(iterations));
}

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

// A JSON value, built up, then written out: a number or a boolean (its exact
// text), a string, an array or an object. An array or object of scalars is
// written on one line; any other, one element a line, indented two more spaces
// than the line that opens it.
class Json {
 public:
  static Json Number(std::string text) {
    return Json(kNumber, std::move(text));
  }
  static Json String(absl::string_view text) {
    return Json(kString, std::string(text));
  }
  static Json Bool(bool value) {
    return Json(kNumber, value ? "true" : "false");
  }
  static Json Array() { return Json(kArray, ""); }
  static Json Object() { return Json(kObject, ""); }

  // Appends an element to an array.
  Json& Add(Json value) { return Add("", std::move(value)); }
  // Appends a member to an object.
  Json& Add(absl::string_view key, Json value) {
    items_.emplace_back(std::string(key), std::move(value));
    return *this;
  }

  // Writes the value, its first line continuing the current one and every
  // other line starting with `indent`.
  void Write(const std::string& indent, std::string* out) const {
    if (type_ == kNumber) {
      *out += text_;
      return;
    }
    if (type_ == kString) {
      WriteString(text_, out);
      return;
    }
    const char* brackets = type_ == kArray ? "[]" : "{}";
    *out += brackets[0];
    if (IsFlat()) {
      WriteItems("", ", ", out);
    } else {
      *out += "\n";
      WriteItems(indent + "  ", ",\n", out);
      absl::StrAppend(out, "\n", indent);
    }
    *out += brackets[1];
  }

  // Writes an object's members alone, each on a line starting with
  // `indent`, separated by ",\n".
  void WriteMembers(const std::string& indent, std::string* out) const {
    WriteItems(indent, ",\n", out);
  }

 private:
  enum Type { kNumber, kString, kArray, kObject };

  Json(Type type, std::string text) : type_(type), text_(std::move(text)) {}

  bool IsFlat() const {
    for (const auto& item : items_) {
      if (item.second.type_ == kArray || item.second.type_ == kObject) {
        return false;
      }
    }
    return true;
  }

  // Each item on a line that starts with `indent`, `separator` between them.
  void WriteItems(const std::string& indent, absl::string_view separator,
                  std::string* out) const {
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i > 0) absl::StrAppend(out, separator);
      *out += indent;
      if (type_ == kObject) {
        WriteString(items_[i].first, out);
        *out += ": ";
      }
      items_[i].second.Write(indent, out);
    }
  }

  static void WriteString(absl::string_view s, std::string* out) {
    *out += '"';
    for (const char c : s) {
      switch (c) {
        case '"':
          *out += "\\\"";
          break;
        case '\\':
          *out += "\\\\";
          break;
        case '\n':
          *out += "\\n";
          break;
        case '\t':
          *out += "\\t";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            absl::StrAppendFormat(out, "\\u%04x", static_cast<int>(c));
          } else {
            *out += c;
          }
      }
    }
    *out += '"';
  }

  Type type_;
  std::string text_;
  std::vector<std::pair<std::string, Json>> items_;
};

Json PerIterationJson(int64_t total, int64_t iterations) {
  return Json::Number(PerIteration(total, iterations, 17));
}

Json Integer(int64_t value) { return Json::Number(absl::StrCat(value)); }

Json FrameJson(const SiteFrame& f) {
  Json frame = Json::Object();
  frame.Add("function", Json::String(f.function));
  frame.Add("short", Json::String(f.short_function));
  if (!f.file.empty()) {
    frame.Add("file", Json::String(f.file));
    frame.Add("line", Integer(f.line));
  }
  if (f.repeated_max > 1) frame.Add("repeated", Integer(f.repeated_max));
  if (f.repeated_cut) frame.Add("repeated_cut", Json::Bool(true));
  return frame;
}

// The report's stacks: `alloc_stacks`.
Json StacksJson(const SiteReport& r) {
  Json frames = Json::Array();
  for (const SiteFrame& f : r.stack_frames) frames.Add(FrameJson(f));
  Json stacks = Json::Array();
  for (const AllocationStack& s : r.stacks) {
    Json indexes = Json::Array();
    for (const int index : s.frames) indexes.Add(Integer(index));
    Json stack = Json::Object();
    stack.Add("frames", std::move(indexes))
        .Add("allocs", Integer(s.allocs))
        .Add("bytes", Integer(s.bytes));
    if (s.truncated) stack.Add("truncated", Json::Bool(true));
    stacks.Add(std::move(stack));
  }
  if (r.overflow_allocs != 0) {
    stacks.Add(Json::Object()
                   .Add("frames", Json::Array())
                   .Add("allocs", Integer(r.overflow_allocs))
                   .Add("bytes", Integer(r.overflow_bytes))
                   .Add("overflow", Json::Bool(true)));
  }
  return Json::Object()
      .Add("iterations", Integer(r.iterations))
      .Add("frames", std::move(frames))
      .Add("stacks", std::move(stacks));
}

// The report's members: alloc_sites and size_histogram.
Json SiteFields(const SiteReport& r) {
  const int64_t n = r.iterations;
  Json fields = Json::Object();
  if (r.has_sites) {
    Json sites = Json::Array();
    for (const AllocationSite& s : r.sites) {
      Json frames = Json::Array();
      for (const SiteFrame& f : s.frames) frames.Add(FrameJson(f));
      sites.Add(Json::Object()
                    .Add("allocs_per_iter", PerIterationJson(s.allocs, n))
                    .Add("bytes_per_iter", PerIterationJson(s.bytes, n))
                    .Add("frames", std::move(frames)));
    }
    if (r.other_allocs != 0 || r.other_sites != 0) {
      sites.Add(
          Json::Object()
              .Add("other_sites", Json::Number(absl::StrCat(r.other_sites)))
              .Add("allocs_per_iter", PerIterationJson(r.other_allocs, n))
              .Add("bytes_per_iter", PerIterationJson(r.other_bytes, n))
              .Add("frames", Json::Array()));
    }
    fields.Add("alloc_sites", std::move(sites));
  }
  if (r.has_stacks) fields.Add("alloc_stacks", StacksJson(r));
  if (r.has_histogram) {
    Json buckets = Json::Array();
    for (const SizeBucket& b : r.histogram) {
      buckets.Add(Json::Object()
                      .Add("min_bytes", Json::Number(absl::StrCat(b.min_bytes)))
                      .Add("max_bytes", Json::Number(absl::StrCat(b.max_bytes)))
                      .Add("allocs_per_iter", PerIterationJson(b.allocs, n))
                      .Add("bytes_per_iter", PerIterationJson(b.bytes, n)));
    }
    fields.Add("size_histogram", std::move(buckets));
  }
  return fields;
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

bool AddJsonSiteFields(const SiteReport& report, const std::string& indent,
                       std::string* json) {
  std::string fields;
  SiteFields(report).WriteMembers(indent, &fields);
  if (fields.empty()) return true;
  const size_t close = json->rfind('}');
  if (close == std::string::npos) return false;
  for (size_t i = close + 1; i < json->size(); ++i) {
    if ((*json)[i] != ' ' && (*json)[i] != '\n') return false;
  }
  const size_t last = json->find_last_not_of(" \n", close - 1);
  if (last == std::string::npos) return false;
  const bool empty_object = (*json)[last] == '{';
  json->insert(last + 1, absl::StrCat(empty_object ? "\n" : ",\n", fields));
  return true;
}

}  // namespace internal
}  // namespace alloc_counter

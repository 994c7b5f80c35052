// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/site_json.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/site_report.h"

namespace alloc_counter {
namespace internal {
namespace {

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

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/site_names.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr absl::string_view kEllipsis = "\xE2\x80\xA6";  // …
constexpr absl::string_view kOperator = "operator";
constexpr absl::string_view kAnonymous = "(anonymous namespace)";

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// True if the word `operator` starts at `s[i]`.
bool OperatorAt(absl::string_view s, size_t i) {
  return absl::StartsWith(s.substr(i), kOperator) &&
         (i == 0 || !IsIdentifierChar(s[i - 1])) &&
         (i + kOperator.size() == s.size() ||
          !IsIdentifierChar(s[i + kOperator.size()]));
}

// The length of the operator symbol at the start of `s` (what follows the
// word `operator`), 0 if none: `operator new` and conversion operators have
// a word there instead.
size_t OperatorSymbolLength(absl::string_view s) {
  // Longest first, so that `<<=` is not read as `<`.
  static constexpr absl::string_view kSymbols[] = {
      "->*", "<=>", "<<=", ">>=", "()", "[]", "->", "<<", ">>", "<=",
      ">=",  "==",  "!=",  "&&",  "||", "++", "--", "+=", "-=", "*=",
      "/=",  "%=",  "&=",  "|=",  "^=", "<",  ">",  "+",  "-",  "*",
      "/",   "%",   "&",   "|",   "^",  "~",  "!",  "=",  ","};
  for (absl::string_view symbol : kSymbols) {
    if (absl::StartsWith(s, symbol)) return symbol.size();
  }
  return 0;
}

char CloserOf(char open) {
  switch (open) {
    case '<':
      return '>';
    case '(':
      return ')';
    case '{':
      return '}';
    default:
      return ']';
  }
}

// The index of the bracket that closes the one at `s[open]`, or the last
// index of `s` if none does. Brackets of every kind nest; a closer that does
// not match the innermost open bracket (the `>` of `a->b` in parentheses)
// is text, and so is an operator's symbol.
size_t MatchingClose(absl::string_view s, size_t open) {
  std::vector<char> open_brackets = {s[open]};
  for (size_t i = open + 1; i < s.size(); ++i) {
    if (OperatorAt(s, i)) {
      i += kOperator.size();
      i += OperatorSymbolLength(s.substr(i));
      --i;
      continue;
    }
    const char c = s[i];
    if (c == '<' || c == '(' || c == '{' || c == '[') {
      open_brackets.push_back(c);
    } else if (c == CloserOf(open_brackets.back())) {
      open_brackets.pop_back();
      if (open_brackets.empty()) return i;
    }
  }
  return s.size() - 1;
}

// Removes a trailing space from `out`.
void TrimSpace(std::string* out) {
  if (!out->empty() && out->back() == ' ') out->pop_back();
}

// `s` with template arguments and, unless `keep_parameters`, parameters
// elided; `[clone …]` and `[abi:…]` dropped.
std::string Elide(absl::string_view s, bool keep_parameters) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (OperatorAt(s, i)) {
      i += kOperator.size();
      const size_t length = OperatorSymbolLength(s.substr(i));
      absl::StrAppend(&out, kOperator, s.substr(i, length));
      i += length;
      continue;
    }
    const char c = s[i];
    if (c == '<') {
      absl::StrAppend(&out, "<", kEllipsis, ">");
      i = MatchingClose(s, i) + 1;
    } else if (c == '(' && absl::StartsWith(s.substr(i), kAnonymous)) {
      absl::StrAppend(&out, kAnonymous);
      i += kAnonymous.size();
    } else if (c == '(' || c == '{') {
      const size_t close = MatchingClose(s, i);
      const absl::string_view inside = s.substr(i + 1, close - i - 1);
      if (c == '{') {
        // A lambda or an unnamed type: `{lambda(int)#1}`.
        absl::StrAppend(&out, "{", Elide(inside, keep_parameters), "}");
      } else if (inside.empty()) {
        out += "()";
      } else if (keep_parameters) {
        absl::StrAppend(&out, "(", Elide(inside, true), ")");
      } else {
        absl::StrAppend(&out, "(", kEllipsis, ")");
      }
      i = close + 1;
    } else if (c == '[' && (absl::StartsWith(s.substr(i), "[clone ") ||
                            absl::StartsWith(s.substr(i), "[abi:"))) {
      TrimSpace(&out);
      i = MatchingClose(s, i) + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// Where the parts of `name` (already elided) begin: the name itself, after
// the return type that GCC's demangler puts before a function template's
// name (the last space, outside brackets, before the parameter list), and
// the parameter list (the size of `name` if it has none).
struct NameParts {
  size_t name = 0;
  size_t parameters = 0;
};

NameParts PartsOf(absl::string_view name) {
  NameParts parts;
  parts.parameters = name.size();
  int depth = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    if (OperatorAt(name, i)) {
      // Past its symbol and the space after it (`operator<< <…>`), or past
      // the space of `operator new`: those spaces are the name's own.
      i += kOperator.size();
      i += OperatorSymbolLength(name.substr(i));
      if (i < name.size() && name[i] == ' ') ++i;
      --i;
      continue;
    }
    const char c = name[i];
    if (c == '(' && depth == 0 &&
        !absl::StartsWith(name.substr(i), kAnonymous)) {
      parts.parameters = i;
      break;
    }
    if (c == '(' || c == '<' || c == '{') {
      ++depth;
    } else if (c == ')' || c == '>' || c == '}') {
      --depth;
    } else if (c == ' ' && depth == 0) {
      parts.name = i + 1;
    }
  }
  return parts;
}

}  // namespace

std::string ShortName(absl::string_view name, bool keep_parameters) {
  std::string elided = Elide(name, keep_parameters);
  absl::StrReplaceAll({{"std::__cxx11::", "std::"}}, &elided);
  return elided.substr(PartsOf(elided).name);
}

std::string UnqualifiedName(absl::string_view name) {
  const std::string short_name = ShortName(name, false);
  const absl::string_view qualified =
      absl::string_view(short_name).substr(0, PartsOf(short_name).parameters);
  const size_t colons = qualified.rfind("::");
  return std::string(colons == absl::string_view::npos
                         ? qualified
                         : qualified.substr(colons + 2));
}

absl::string_view WithoutCloneSuffixes(absl::string_view name) {
  while (absl::EndsWith(name, "]")) {
    const size_t clone = name.rfind(" [clone ");
    if (clone == absl::string_view::npos) break;
    name = name.substr(0, clone);
  }
  return name;
}

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string FitName(absl::string_view name, size_t width) {
  if (DisplayWidth(name) <= width) return std::string(name);
  if (width == 0) return "";
  // Drop outer qualifiers, at a `::` outside brackets.
  int depth = 0;
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    const char c = name[i];
    if (c == '(' || c == '<' || c == '{') {
      ++depth;
    } else if (c == ')' || c == '>' || c == '}') {
      --depth;
    } else if (depth == 0 && c == ':' && name[i + 1] == ':') {
      const absl::string_view rest = name.substr(i + 2);
      if (DisplayWidth(rest) + 1 <= width) return absl::StrCat(kEllipsis, rest);
      ++i;
    }
  }
  // Still too long: keep what fits of its start.
  std::string out;
  size_t columns = 0;
  for (const char c : name) {
    const bool starts_code_point =
        (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts_code_point && ++columns > width - 1) break;
    out += c;
  }
  absl::StrAppend(&out, kEllipsis);
  return out;
}

}  // namespace internal
}  // namespace alloc_counter

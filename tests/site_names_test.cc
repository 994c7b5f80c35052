// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of ShortName() and FitName(): the short forms of demangled
// names that the console's site blocks and the folded stacks show, on names
// as GCC's demangler writes them for template-heavy code.

#include "alloc_counter/site_names.h"

#include <string>

#include "gtest/gtest.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr char kSerializerDump[] =
    "nlohmann::json_abi_v3_11_2::detail::serializer<nlohmann::json_abi_v3_11_"
    "2::basic_json<std::map, std::vector, std::__cxx11::basic_string<char, "
    "std::char_traits<char>, std::allocator<char> >, bool, long, unsigned "
    "long, double, std::allocator, nlohmann::json_abi_v3_11_2::adl_serializer,"
    " std::vector<unsigned char, std::allocator<unsigned char> >, void> "
    ">::dump(nlohmann::json_abi_v3_11_2::basic_json<std::map, std::vector, "
    "std::__cxx11::basic_string<char, std::char_traits<char>, "
    "std::allocator<char> >, bool, long, unsigned long, double, "
    "std::allocator, nlohmann::json_abi_v3_11_2::adl_serializer, "
    "std::vector<unsigned char, std::allocator<unsigned char> >, void> "
    "const&, bool, bool, unsigned int, unsigned int) [clone .constprop.1]";

TEST(ShortNameTest, ElidesTemplateArgumentsAndParametersAndDropsClones) {
  EXPECT_EQ(ShortName(kSerializerDump, false),
            "nlohmann::json_abi_v3_11_2::detail::serializer<…>::dump(…)");
}

TEST(ShortNameTest, KeepsParametersWithTheirTemplatesElidedWhenAsked) {
  EXPECT_EQ(ShortName(kSerializerDump, true),
            "nlohmann::json_abi_v3_11_2::detail::serializer<…>::dump("
            "nlohmann::json_abi_v3_11_2::basic_json<…> const&, bool, bool, "
            "unsigned int, unsigned int)");
}

TEST(ShortNameTest, DropsTheReturnTypeOfAFunctionTemplate) {
  EXPECT_EQ(ShortName("bool ns::parser<ns::json<std::map> >::sax_parse_"
                      "internal<ns::sax<ns::json<std::map> > >(ns::sax<ns::"
                      "json<std::map> >*)",
                      false),
            "ns::parser<…>::sax_parse_internal<…>(…)");
  EXPECT_EQ(ShortName("void* (anonymous namespace)::AllocateCounted<malloc::"
                      "{lambda()#1}>(unsigned long, malloc::{lambda()#1})",
                      false),
            "(anonymous namespace)::AllocateCounted<…>(…)");
  EXPECT_EQ(ShortName("unsigned long Count<int>(int)", false), "Count<…>(…)");
}

TEST(ShortNameTest, KeepsAnonymousNamespacesLambdasAndQualifiers) {
  EXPECT_EQ(
      ShortName("(anonymous namespace)::BM_Dump(benchmark::State&)", false),
      "(anonymous namespace)::BM_Dump(…)");
  EXPECT_EQ(ShortName("BM_Sort(benchmark::State&)::{lambda(int, int)#1}::"
                      "operator()(int, int) const",
                      false),
            "BM_Sort(…)::{lambda(…)#1}::operator()(…) const");
  EXPECT_EQ(
      ShortName("shop::Catalog<std::map<int, int> >::Size() const", false),
      "shop::Catalog<…>::Size() const");
}

TEST(ShortNameTest, KeepsOperatorNames) {
  EXPECT_EQ(ShortName("std::basic_ostream<char, std::char_traits<char> >& "
                      "std::operator<< <std::char_traits<char> >(std::basic_"
                      "ostream<char, std::char_traits<char> >&, char const*)",
                      false),
            "std::operator<< <…>(…)");
  EXPECT_EQ(ShortName("bool operator< <int>(Box<int> const&, Box<int> "
                      "const&)",
                      false),
            "operator< <…>(…)");
  EXPECT_EQ(ShortName("operator new(unsigned long)", false), "operator new(…)");
  EXPECT_EQ(ShortName("Foo<int>::operator->() const", false),
            "Foo<…>::operator->() const");
  EXPECT_EQ(ShortName("Foo::operator std::vector<int, std::allocator<int> >"
                      "() const",
                      false),
            "Foo::operator std::vector<…>() const");
}

TEST(ShortNameTest, DropsAbiTagsAndTheCxx11InlineNamespace) {
  EXPECT_EQ(ShortName("std::__cxx11::basic_string<char, std::char_traits<"
                      "char>, std::allocator<char> >::_M_mutate(unsigned "
                      "long, unsigned long, char const*, unsigned long)",
                      false),
            "std::basic_string<…>::_M_mutate(…)");
  EXPECT_EQ(ShortName("MakeName[abi:cxx11](int)", false), "MakeName(…)");
}

TEST(ShortNameTest, LeavesNamesThatAreNotCxxAlone) {
  EXPECT_EQ(ShortName("strdup", false), "strdup");
  EXPECT_EQ(ShortName("libfoo.so+0x1f2e", false), "libfoo.so+0x1f2e");
  EXPECT_EQ(ShortName("main", false), "main");
}

TEST(UnqualifiedNameTest, IsTheFunctionsOwnName) {
  EXPECT_EQ(UnqualifiedName("std::allocator_traits<std::allocator<int> >::"
                            "allocate(std::allocator<int>&, unsigned long)"),
            "allocate");
  EXPECT_EQ(UnqualifiedName("operator new(unsigned long)"), "operator new");
  EXPECT_EQ(UnqualifiedName("(anonymous namespace)::Make(int)"), "Make");
  EXPECT_EQ(UnqualifiedName("strdup"), "strdup");
}

TEST(WithoutCloneSuffixesTest, DropsEveryTrailingCloneSuffix) {
  EXPECT_EQ(WithoutCloneSuffixes("int Nest<int>(int) [clone .constprop.4]"),
            "int Nest<int>(int)");
  EXPECT_EQ(WithoutCloneSuffixes("f(int) [clone .isra.0] [clone .cold]"),
            "f(int)");
  EXPECT_EQ(WithoutCloneSuffixes("f(int)"), "f(int)");
  EXPECT_EQ(WithoutCloneSuffixes("g[abi:cxx11]()"), "g[abi:cxx11]()");
}

TEST(DisplayWidthTest, CountsCodePoints) {
  EXPECT_EQ(DisplayWidth("a<…>"), 4u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

TEST(FitNameTest, DropsOuterQualifiersFirst) {
  const std::string name =
      "nlohmann::json_abi_v3_11_2::detail::serializer<…>::dump(…)";
  EXPECT_EQ(FitName(name, 100), name);
  EXPECT_EQ(FitName(name, DisplayWidth(name)), name);
  EXPECT_EQ(FitName(name, 40), "…detail::serializer<…>::dump(…)");
  EXPECT_EQ(FitName(name, 20), "…dump(…)");
}

TEST(FitNameTest, CutsTheEndOfANameWithNoQualifierThatFits) {
  EXPECT_EQ(FitName("a_very_long_function_name(…)", 10), "a_very_lo…");
  EXPECT_EQ(DisplayWidth(FitName("a_very_long_function_name(…)", 10)), 10u);
  EXPECT_EQ(FitName("abc", 0), "");
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

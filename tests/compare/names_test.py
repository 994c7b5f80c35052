# Copyright 2026 The alloc_counter Authors.
# SPDX-License-Identifier: Apache-2.0
"""Checks the short function names of alloc_counter_compare's reports
(tools/compare/names.py): the form made from a full demangled name when the
JSON has no "short" of its own, exactly as a reader sees it, and the same as
alloc_counter's console prints (tests/site_names_test.cc)."""

import unittest

from tools.compare.names import frame_short
from tools.compare.names import short_name
from tools.compare.names import short_names

NLOHMANN = "nlohmann::json_abi_v3_11_2"
STRING = ("std::__cxx11::basic_string<char, std::char_traits<char>, "
          "std::allocator<char> >")
BASIC_JSON = (
    f"{NLOHMANN}::basic_json<std::map, std::vector, {STRING}, bool, long, "
    f"unsigned long, double, std::allocator, {NLOHMANN}::adl_serializer, "
    "std::vector<unsigned char, std::allocator<unsigned char> >, void>")


class ShortNameTest(unittest.TestCase):

    def assert_short(self, cases):
        for full, short in cases:
            with self.subTest(full=full):
                self.assertEqual(short_name(full), short)

    def test_template_and_parameter_lists_are_elided(self):
        self.assert_short([
            (f"{NLOHMANN}::detail::serializer<{BASIC_JSON} >::dump("
             f"{NLOHMANN}::basic_json<...> const&, bool, bool, unsigned int, "
             "unsigned int) [clone .constprop.1]",
             f"{NLOHMANN}::detail::serializer<…>::dump(…)"),
            (f"{STRING}::_M_create(unsigned long&, unsigned long)",
             "std::basic_string<…>::_M_create(…)"),
            ("std::vector<Token, std::allocator<Token> >::_M_realloc_insert"
             "<Token const&>(__gnu_cxx::__normal_iterator<Token*, "
             "std::vector<Token, std::allocator<Token> > >, Token const&)",
             "std::vector<…>::_M_realloc_insert<…>(…)"),
            ("std::vector<Token>::_M_realloc_insert",
             "std::vector<…>::_M_realloc_insert"),
            ("std::_Function_handler<void (), Server::Start()::{lambda()#1}>"
             "::_M_invoke(std::_Any_data const&)",
             "std::_Function_handler<…>::_M_invoke(…)"),
        ])

    def test_empty_lists_and_plain_names_are_kept(self):
        self.assert_short([
            ("Parser::Tokenize()", "Parser::Tokenize()"),
            ("Box<>::Make()", "Box<>::Make()"),
            ("main", "main"),
            ("strdup", "strdup"),
            ("libfoo.so+0x1f2e", "libfoo.so+0x1f2e"),
            ("0x4011a3", "0x4011a3"),
            ("Parser::Parse(std::string_view)", "Parser::Parse(…)"),
        ])

    def test_return_types_are_dropped(self):
        self.assert_short([
            ("bool shop::Catalog<std::string, std::less<void> >::Add("
             "Item const&)", "shop::Catalog<…>::Add(…)"),
            ("void* Arena<Block, 64ul>::Grow(unsigned long)",
             "Arena<…>::Grow(…)"),
            ("unsigned long Hash<int>(int const&)", "Hash<…>(…)"),
            ("std::enable_if<true, void>::type Fill<int>(int*)",
             "Fill<…>(…)"),
            (f"std::shared_ptr<Adapter> std::make_shared<Adapter, {STRING}&>"
             f"({STRING}&)", "std::make_shared<…>(…)"),
        ])

    def test_clone_suffixes_and_abi_tags_are_dropped(self):
        self.assert_short([
            ("Cache::Fill(int) [clone .isra.0] [clone .cold]",
             "Cache::Fill(…)"),
            ("Widget::Name[abi:cxx11]() const", "Widget::Name() const"),
            ("Json::operator std::__cxx11::basic_string<char, "
             "std::char_traits<char>, std::allocator<char> >[abi:cxx11]() "
             "const", "Json::operator std::basic_string<…>() const"),
            ("MakeName[abi:cxx11](int)", "MakeName(…)"),
        ])

    def test_operators(self):
        self.assert_short([
            ("Money::operator<(Money const&) const",
             "Money::operator<(…) const"),
            ("std::ostream& operator<<(std::ostream&, Point const&)",
             "operator<<(…)"),
            ("std::basic_ostream<char, std::char_traits<char> >& "
             "std::operator<< <std::char_traits<char> >(std::basic_ostream<"
             "char, std::char_traits<char> >&, char const*)",
             "std::operator<< <…>(…)"),
            ("bool operator< <int>(Box<int> const&, Box<int> const&)",
             "operator< <…>(…)"),
            ("Handle<Node>::operator->() const",
             "Handle<…>::operator->() const"),
            ("Iter::operator->*(int)", "Iter::operator->*(…)"),
            ("Visitor::operator()(Node&) const",
             "Visitor::operator()(…) const"),
            ("Row::operator[](unsigned long)", "Row::operator[](…)"),
            ("bool operator==<int>(Box<int> const&, Box<int> const&)",
             "operator==<…>(…)"),
            ("auto operator<=>(Version const&, Version const&)",
             "operator<=>(…)"),
            ("Less<&Money::operator<>::Call()", "Less<…>::Call()"),
            ("operator new(unsigned long)", "operator new(…)"),
            ("Buffer::operator new[](unsigned long)",
             "Buffer::operator new[](…)"),
            ("operator delete[](void*, unsigned long)",
             "operator delete[](…)"),
            ("Flag::operator bool() const", "Flag::operator bool() const"),
            ("Table::operator unsigned long() const",
             "Table::operator unsigned long() const"),
            ("Ptr::operator=(Ptr&&) &", "Ptr::operator=(…) &"),
        ])

    def test_lambdas_local_names_and_anonymous_namespaces(self):
        self.assert_short([
            ("main::{lambda(int, char const*)#1}::operator()(int, char const*)"
             " const", "main::{lambda(…)#1}::operator()(…) const"),
            ("(anonymous namespace)::Pool::Refill(unsigned long)",
             "(anonymous namespace)::Pool::Refill(…)"),
            ("void* (anonymous namespace)::AllocateCounted<malloc::{lambda()"
             "#1}>(unsigned long, malloc::{lambda()#1})",
             "(anonymous namespace)::AllocateCounted<…>(…)"),
            ("Parser::Parse(std::string_view)::Local::Visit()",
             "Parser::Parse(…)::Local::Visit()"),
            ("{unnamed type#1}::Get()", "{unnamed type#1}::Get()"),
        ])

    def test_unbalanced_names_are_kept(self):
        self.assert_short([
            ("Broken<int( [clone .cold]", "Broken<int("),
        ])

    def test_parameters_tell_overloads_apart(self):
        # As alloc_counter names the frames of one benchmark's report.
        self.assertEqual(short_names([
            "(anonymous namespace)::Make(int) [clone .constprop.0]",
            "(anonymous namespace)::Make(long) [clone .constprop.0]",
            "std::__detail::_MakeUniq<int>::__single_object "
            "std::make_unique<int, int&>(int&)",
            "std::__detail::_MakeUniq<long>::__single_object "
            "std::make_unique<long, long&>(long&)",
            "Box<int>::Fill(std::vector<int, std::allocator<int> > const&)",
            "Box<long>::Fill(std::vector<long, std::allocator<long> > const&)",
            "Parse(std::string_view)",
        ]), {
            "(anonymous namespace)::Make(int) [clone .constprop.0]":
                "(anonymous namespace)::Make(int)",
            "(anonymous namespace)::Make(long) [clone .constprop.0]":
                "(anonymous namespace)::Make(long)",
            "std::__detail::_MakeUniq<int>::__single_object "
            "std::make_unique<int, int&>(int&)": "std::make_unique<…>(int&)",
            "std::__detail::_MakeUniq<long>::__single_object "
            "std::make_unique<long, long&>(long&)":
                "std::make_unique<…>(long&)",
            # Instances of one template read the same either way.
            "Box<int>::Fill(std::vector<int, std::allocator<int> > const&)":
                "Box<…>::Fill(…)",
            "Box<long>::Fill(std::vector<long, std::allocator<long> > const&)":
                "Box<…>::Fill(…)",
            "Parse(std::string_view)": "Parse(…)",
        })
        self.assertEqual(
            short_name("bool ns::parser<ns::json<std::map> >::sax_parse_"
                       "internal<ns::sax<ns::json<std::map> > >(ns::sax<ns::"
                       "json<std::map> >*, (anonymous namespace)::Mode)", True),
            "ns::parser<…>::sax_parse_internal<…>(ns::sax<…>*, "
            "(anonymous namespace)::Mode)")

    def test_frame_short_prefers_the_json_short(self):
        self.assertEqual(
            frame_short({"function": "void f<int>(int)", "short": "f<…>(…)"}),
            "f<…>(…)")
        self.assertEqual(frame_short({"function": "void f<int>(int)"}),
                         "f<…>(…)")
        self.assertEqual(frame_short({}), "?")
        self.assertEqual(frame_short({"function": "Make(int)"},
                                     {"Make(int)": "Make(int)"}), "Make(int)")


if __name__ == "__main__":
    unittest.main()

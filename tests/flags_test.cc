// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Unit tests of ParseFlags(): the --alloc_counter_* flags it accepts, what it
// leaves in argv for Google Benchmark, and what it rejects; and of
// FlagsHelp(), the flags' lines of --help.

#include "alloc_counter/flags.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace alloc_counter {
namespace internal {
namespace {

using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A mutable argc/argv pair, as main() receives it: argv[argc] is null.
class Args {
 public:
  Args(std::initializer_list<const char*> args)
      : strings_(args.begin(), args.end()) {
    for (std::string& s : strings_) argv_.push_back(s.data());
    argv_.push_back(nullptr);
    argc_ = static_cast<int>(strings_.size());
    original_ = argv_;
  }
  Args(const Args&) = delete;
  Args& operator=(const Args&) = delete;

  int* argc() { return &argc_; }
  char** argv() { return argv_.data(); }

  // argv[0..argc), as strings.
  std::vector<std::string> Remaining() const {
    return std::vector<std::string>(argv_.begin(), argv_.begin() + argc_);
  }

  // The argv array as it was before parsing (the same pointers).
  const std::vector<char*>& original() const { return original_; }
  const std::vector<char*>& current() const { return argv_; }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> argv_;
  std::vector<char*> original_;
  int argc_ = 0;
};

TEST(ParseFlags, ColumnsFalseTurnsTheColumnsOff) {
  Args args = {"prog", "--alloc_counter_columns=false"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_FALSE(flags.columns);
  EXPECT_FALSE(flags.count_paused);
}

TEST(ParseFlags, ColumnsTrueTurnsTheColumnsOn) {
  Args args = {"prog", "--alloc_counter_columns=true"};
  Flags flags;
  flags.columns = false;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.columns);
}

TEST(ParseFlags, BareColumnsFlagMeansTrue) {
  Args args = {"prog", "--alloc_counter_columns"};
  Flags flags;
  flags.columns = false;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.columns);
  EXPECT_THAT(args.Remaining(), ElementsAre("prog"));
}

TEST(ParseFlags, PausedIncludeCountsPausedAllocations) {
  Args args = {"prog", "--alloc_counter_paused=include"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.count_paused);
  EXPECT_TRUE(flags.columns);
}

TEST(ParseFlags, PausedExcludeLeavesPausedAllocationsOut) {
  Args args = {"prog", "--alloc_counter_paused=exclude"};
  Flags flags;
  flags.count_paused = true;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_FALSE(flags.count_paused);
}

TEST(ParseFlags, ModeTimedCountsInTheTimedRun) {
  Args args = {"prog", "--alloc_counter_mode=timed"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.timed);
  EXPECT_TRUE(flags.columns);
  EXPECT_FALSE(flags.count_paused);
}

TEST(ParseFlags, ModeMemoryRunCountsInTheMemoryRun) {
  Args args = {"prog", "--alloc_counter_mode=memory_run"};
  Flags flags;
  flags.timed = true;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_FALSE(flags.timed);
}

TEST(ParseFlags, SitesTakesAWholeNumber) {
  Args args = {"prog", "--alloc_counter_sites=12", "--alloc_counter_histogram"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_EQ(flags.sites, 12);
  EXPECT_TRUE(flags.histogram);
  EXPECT_EQ(*args.argc(), 1);
}

TEST(ParseFlags, SitesAndHistogramAreOffByDefault) {
  const Flags flags;
  EXPECT_EQ(flags.sites, 0);
  EXPECT_FALSE(flags.histogram);
}

TEST(ParseFlags, SiteNamesAndFoldedFilesAreParsed) {
  Args args = {"prog", "--alloc_counter_site_names=full",
               "--alloc_counter_folded=out/stacks.folded",
               "--alloc_counter_folded_bytes=bytes.folded", "--other"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.full_site_names);
  EXPECT_EQ(flags.folded, "out/stacks.folded");
  EXPECT_EQ(flags.folded_bytes, "bytes.folded");
  EXPECT_THAT(args.Remaining(), ElementsAre("prog", "--other"));
}

TEST(ParseFlags, SiteNamesAreShortAndNoFoldedFileByDefault) {
  const Flags flags;
  EXPECT_FALSE(flags.full_site_names);
  EXPECT_EQ(flags.folded, "");
  EXPECT_EQ(flags.folded_bytes, "");
}

TEST(ParseFlags, RejectsAFoldedFlagWithoutAPath) {
  for (const char* arg :
       {"--alloc_counter_folded", "--alloc_counter_folded="}) {
    Args args = {"prog", arg};
    Flags flags;
    std::string error;
    EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << arg;
    EXPECT_EQ(error,
              "missing value for --alloc_counter_folded; accepted values: a "
              "file's path");
  }
  Args args = {"prog", "--alloc_counter_site_names=long"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_EQ(error,
            "invalid value 'long' for --alloc_counter_site_names; accepted "
            "values: short, full");
}

TEST(ParseFlags, RejectsASitesValueThatIsNotAWholeNumberUpTo1000) {
  for (const char* value : {"-1", "x", "1001", "", "+1", " 1", "1.5"}) {
    const std::string arg = std::string("--alloc_counter_sites=") + value;
    Args args = {"prog", arg.c_str()};
    Flags flags;
    std::string error;
    EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << value;
    EXPECT_EQ(error, std::string("invalid value '") + value +
                         "' for --alloc_counter_sites; accepted values: a "
                         "whole number from 0 to 1000");
    EXPECT_EQ(flags.sites, 0);
  }
  Args bare = {"prog", "--alloc_counter_sites"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(bare.argc(), bare.argv(), &flags, &error));
  EXPECT_EQ(error,
            "missing value for --alloc_counter_sites; accepted values: a "
            "whole number from 0 to 1000");
}

TEST(ParseFlags, WithoutItsFlagsKeepsTheDefaultsAndEveryArgument) {
  Args args = {"prog", "--benchmark_filter=x", "foo"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.columns);
  EXPECT_FALSE(flags.count_paused);
  EXPECT_EQ(*args.argc(), 3);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
}

TEST(ParseFlags, RemovesItsFlagsAndKeepsOtherArgumentsInOrder) {
  Args args = {
      "prog", "--benchmark_filter=x",           "--alloc_counter_columns=false",
      "foo",  "--alloc_counter_paused=include", "bar"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_FALSE(flags.columns);
  EXPECT_TRUE(flags.count_paused);
  EXPECT_EQ(*args.argc(), 4);
  EXPECT_THAT(args.Remaining(),
              ElementsAre("prog", "--benchmark_filter=x", "foo", "bar"));
  EXPECT_EQ(args.argv()[4], nullptr);
}

TEST(ParseFlags, RemovingEveryArgumentLeavesOnlyTheProgramName) {
  Args args = {"prog", "--alloc_counter_paused=include",
               "--alloc_counter_columns"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_EQ(*args.argc(), 1);
  EXPECT_THAT(args.Remaining(), ElementsAre("prog"));
  EXPECT_EQ(args.argv()[1], nullptr);
}

TEST(ParseFlags, LastOccurrenceOfAFlagWins) {
  Args args = {"prog", "--alloc_counter_columns=false",
               "--alloc_counter_columns=true"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.columns);
}

TEST(ParseFlags, ArgumentsThatOnlyResembleItsFlagsArePassedThrough) {
  Args args = {"prog", "--alloc_counter", "-alloc_counter_columns=false",
               "alloc_counter_columns=false"};
  Flags flags;
  std::string error;
  ASSERT_TRUE(ParseFlags(args.argc(), args.argv(), &flags, &error)) << error;
  EXPECT_TRUE(flags.columns);
  EXPECT_EQ(*args.argc(), 4);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
}

TEST(ParseFlags, RejectsAnUnknownPausedValueNamingTheFlagAndAcceptedValues) {
  Args args = {"prog", "--benchmark_filter=x", "--alloc_counter_paused=maybe",
               "foo"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_THAT(error, HasSubstr("--alloc_counter_paused"));
  EXPECT_THAT(error, HasSubstr("maybe"));
  EXPECT_THAT(error, HasSubstr("exclude, include"));
  EXPECT_EQ(*args.argc(), 4);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
}

TEST(ParseFlags, RejectsPausedWithoutAValue) {
  Args args = {"prog", "--alloc_counter_paused"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_EQ(error,
            "missing value for --alloc_counter_paused; accepted values: "
            "exclude, include");
  EXPECT_EQ(*args.argc(), 2);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
}

TEST(ParseFlags, RejectsColumnsYesNamingTheFlagAndAcceptedValues) {
  Args args = {"prog", "--alloc_counter_columns=yes"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_THAT(error, HasSubstr("--alloc_counter_columns"));
  EXPECT_THAT(error, HasSubstr("yes"));
  EXPECT_THAT(error, HasSubstr("true, false"));
  EXPECT_EQ(*args.argc(), 2);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
}

TEST(ParseFlags, RejectsAnUnknownModeNamingTheFlagAndAcceptedValues) {
  Args args = {"prog", "--alloc_counter_mode=fast"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_EQ(error,
            "invalid value 'fast' for --alloc_counter_mode; accepted values: "
            "memory_run, timed");
  EXPECT_FALSE(flags.timed);
}

TEST(ParseFlags, RejectsAnUnknownFlagNamingItAndEveryKnownFlag) {
  Args args = {"prog", "--alloc_counter_bogus=1"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_EQ(error,
            "unknown flag --alloc_counter_bogus; known flags: "
            "--alloc_counter_columns=true|false, "
            "--alloc_counter_paused=exclude|include, "
            "--alloc_counter_mode=memory_run|timed, "
            "--alloc_counter_sites=<N>, "
            "--alloc_counter_site_names=short|full, "
            "--alloc_counter_folded=<FILE>, "
            "--alloc_counter_folded_bytes=<FILE>, "
            "--alloc_counter_histogram=false|true");
  EXPECT_EQ(*args.argc(), 2);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
}

TEST(ParseFlags, ErrorAfterAValidFlagLeavesArgvUnchanged) {
  Args args = {"prog", "--alloc_counter_columns=false", "foo",
               "--alloc_counter_bogus=1", "bar"};
  Flags flags;
  std::string error;
  EXPECT_FALSE(ParseFlags(args.argc(), args.argv(), &flags, &error));
  EXPECT_THAT(error, HasSubstr("--alloc_counter_bogus"));
  EXPECT_EQ(*args.argc(), 5);
  EXPECT_THAT(args.current(), ElementsAreArray(args.original()));
  EXPECT_THAT(args.Remaining(),
              ElementsAre("prog", "--alloc_counter_columns=false", "foo",
                          "--alloc_counter_bogus=1", "bar"));
}

// Every flag ParseFlags() accepts is in the help, one line each, with its
// values and the default of Flags.
TEST(FlagsHelp, ListsEveryFlagOnOneLineWithItsValuesAndDefault) {
  const std::string help = FlagsHelp();
  EXPECT_THAT(help, StartsWith("\nalloc_counter flags:\n"));
  EXPECT_THAT(help,
              ContainsRegex("\n  --alloc_counter_columns=\\{true\\|false\\}"
                            " +[^\n]+ \\(default: true\\)\n"));
  EXPECT_THAT(help,
              ContainsRegex("\n  --alloc_counter_paused=\\{exclude\\|include\\}"
                            " +[^\n]+ \\(default: exclude\\)\n"));
  EXPECT_THAT(help,
              ContainsRegex("\n  --alloc_counter_mode=\\{memory_run\\|timed\\}"
                            " +[^\n]+ \\(default: memory_run\\)\n"));
  EXPECT_THAT(help, ContainsRegex("\n  --alloc_counter_sites=<N>"
                                  " +[^\n]+ \\(default: 0\\)\n"));
  EXPECT_THAT(help,
              ContainsRegex("\n  --alloc_counter_site_names=\\{short\\|full\\}"
                            " +[^\n]+ \\(default: short\\)\n"));
  EXPECT_THAT(help, ContainsRegex("\n  --alloc_counter_folded=<FILE>"
                                  " +[^\n]+ \\(default: none\\)\n"));
  EXPECT_THAT(help, ContainsRegex("\n  --alloc_counter_folded_bytes=<FILE>"
                                  " +[^\n]+ \\(default: none\\)\n"));
  EXPECT_THAT(help,
              ContainsRegex("\n  --alloc_counter_histogram=\\{false\\|true\\}"
                            " +[^\n]+ \\(default: false\\)\n"));
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

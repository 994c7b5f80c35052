// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// A benchmark program's main written by hand, in each form Google Benchmark's
// API allows, linked with //alloc_counter and nothing else of alloc_counter's
// (none of these calls names it). The environment variable MAIN_FORM picks
// the form, so that one binary stands for a program of each; MAIN_SPEC is the
// spec string of the forms that take one.
//
//   MAIN_FORM                RunSpecifiedBenchmarks(...)
//   report_unrecognized      ()  after ReportUnrecognizedArguments()
//   no_unrecognized_check    ()  with no check of the arguments left
//   spec                     (spec)
//   display                  (&list), a BenchmarkReporter of this file's
//   display_spec             (&list, spec)
//   display_file             (&list, &json), json a JSONReporter
//   display_file_spec        (&list, &json, spec)
//   console_subclass         (&marked), a ConsoleReporter subclass

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

// Prints one line per row: `row NAME` and each of its counters, in name
// order, as `NAME=VALUE`.
class ListReporterBase : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    std::ostream& out = GetOutputStream();
    out.precision(15);
    for (const Run& run : runs) {
      out << "row " << run.benchmark_name();
      const std::map<std::string, benchmark::Counter> counters(
          run.counters.begin(), run.counters.end());
      for (const auto& [name, counter] : counters) {
        out << " " << name << "=" << counter.value;
      }
      out << "\n";
    }
  }
};

// From Google Benchmark 1.8 a reporter is also told each benchmark's run
// configuration: ListReporter then prints `config` before each benchmark's
// rows. (The template argument keeps the override out of sight of versions
// without it.)
template <typename Base, typename = void>
class PrintsRunsConfig : public Base {};

template <typename Base>
class PrintsRunsConfig<Base, std::void_t<decltype(&Base::ReportRunsConfig)>>
    : public Base {
 public:
  void ReportRunsConfig(double, bool, benchmark::IterationCount) override {
    this->GetOutputStream() << "config\n";
  }
};

using ListReporter = PrintsRunsConfig<ListReporterBase>;

// Google Benchmark's console table, each row marked at its start.
class MarkedConsoleReporter : public benchmark::ConsoleReporter {
 public:
  MarkedConsoleReporter() : ConsoleReporter(OO_None) {}
  void PrintRunData(const Run& run) override {
    GetOutputStream() << "[marked] ";
    ConsoleReporter::PrintRunData(run);
  }
};

std::string Spec() {
  const char* spec = std::getenv("MAIN_SPEC");
  if (spec == nullptr) {
    std::fputs("MAIN_SPEC is not set\n", stderr);
    std::exit(64);
  }
  return spec;
}

}  // namespace

int main(int argc, char** argv) {
  const char* form_env = std::getenv("MAIN_FORM");
  const std::string form = form_env == nullptr ? "" : form_env;
  benchmark::Initialize(&argc, argv);
  if (form != "no_unrecognized_check" &&
      benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  ListReporter list;
  benchmark::JSONReporter json;
  MarkedConsoleReporter marked;
  if (form == "report_unrecognized" || form == "no_unrecognized_check") {
    benchmark::RunSpecifiedBenchmarks();
  } else if (form == "spec") {
    benchmark::RunSpecifiedBenchmarks(Spec());
  } else if (form == "display") {
    benchmark::RunSpecifiedBenchmarks(&list);
  } else if (form == "display_spec") {
    benchmark::RunSpecifiedBenchmarks(&list, Spec());
  } else if (form == "display_file") {
    benchmark::RunSpecifiedBenchmarks(&list, &json);
  } else if (form == "display_file_spec") {
    benchmark::RunSpecifiedBenchmarks(&list, &json, Spec());
  } else if (form == "console_subclass") {
    benchmark::RunSpecifiedBenchmarks(&marked);
  } else {
    std::fprintf(stderr, "unknown MAIN_FORM '%s'\n", form.c_str());
    return 64;
  }
  benchmark::Shutdown();
  return 0;
}

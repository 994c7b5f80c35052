// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Runs the registered benchmarks with alloc_counter's columns: the display
// and file reporters Google Benchmark would create from its flags, each
// wrapped in a ColumnReporter.

#include "alloc_counter/alloc_counter.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "alloc_counter/column_reporter.h"
#include "alloc_counter/flags.h"
#include "alloc_counter/sites.h"
#include "alloc_counter/timed_run.h"
#include "alloc_counter/window.h"
#include "benchmark/benchmark.h"

namespace benchmark {
// Google Benchmark's own flags, defined in its library but not declared in
// its public header: the file reporter is created here from them, exactly as
// Google Benchmark creates its default one.
extern std::string FLAGS_benchmark_out;
extern std::string FLAGS_benchmark_out_format;
extern bool FLAGS_benchmark_enable_random_interleaving;
}  // namespace benchmark

namespace alloc_counter {
namespace {

internal::Flags& TheFlags() {
  static internal::Flags flags;
  return flags;
}

std::unique_ptr<benchmark::BenchmarkReporter> CreateFileReporter() {
  const std::string& format = benchmark::FLAGS_benchmark_out_format;
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  if (format == "csv") return std::make_unique<benchmark::CSVReporter>();
  BENCHMARK_RESTORE_DEPRECATED_WARNING
  if (format == "console") {
    return std::make_unique<benchmark::ConsoleReporter>(
        benchmark::ConsoleReporter::OO_None);
  }
  std::fprintf(stderr,
               "invalid value '%s' for --benchmark_out_format; accepted "
               "values: console, json, csv\n",
               format.c_str());
  std::exit(1);
}

// What `--help` prints: Google Benchmark's usage, then alloc_counter's flags.
// Google Benchmark calls it from benchmark::Initialize() on `--help` (and on
// a bad --benchmark_format or --benchmark_color) and then exits with status 0.
// Initialize()'s third parameter and PrintDefaultHelp() are the same in 1.7.1,
// 1.8.x and 1.9.x.
void PrintUsage() {
  benchmark::PrintDefaultHelp();
  std::fputs(internal::FlagsHelp().c_str(), stdout);
}

}  // namespace

void Initialize(int* argc, char** argv) {
  std::string error;
  if (!internal::ParseFlags(argc, argv, &TheFlags(), &error)) {
    std::fprintf(stderr, "alloc_counter: %s\n", error.c_str());
    std::exit(2);
  }
  internal::SetCountPaused(TheFlags().count_paused);
  internal::SetTimedMode(TheFlags().timed);
  // Sites and sizes are printed by the columns' reporter only: without it
  // they are not gathered.
  const bool columns = TheFlags().columns;
  internal::SetSiteOptions(columns ? TheFlags().sites : 0,
                           columns && TheFlags().histogram);
  benchmark::Initialize(argc, argv, &PrintUsage);
}

size_t RunSpecifiedBenchmarks() {
  if (!TheFlags().columns) return benchmark::RunSpecifiedBenchmarks();
  auto history = std::make_shared<ColumnHistory>(
      benchmark::FLAGS_benchmark_enable_random_interleaving);
  // CreateDefaultDisplayReporter() hands over a reporter built from
  // --benchmark_format, --benchmark_color and --benchmark_counters_tabular.
  ColumnReporter display(std::unique_ptr<benchmark::BenchmarkReporter>(
                             benchmark::CreateDefaultDisplayReporter()),
                         history);
  if (benchmark::FLAGS_benchmark_out.empty()) {
    return benchmark::RunSpecifiedBenchmarks(&display);
  }
  ColumnReporter file(CreateFileReporter(), history);
  return benchmark::RunSpecifiedBenchmarks(&display, &file);
}

int BenchmarkMain(int argc, char** argv) {
  Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace alloc_counter

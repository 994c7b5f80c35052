// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Google Benchmark's entry points, with alloc_counter's flags and columns.
//
// The linker's `--wrap` (the link options travel with the `//alloc_counter`
// target) redirects the program's calls of
//
//   benchmark::Initialize()              to InitializeWithFlags(): our flags
//                                        are read and taken out of argv
//                                        first, and `--help` lists them;
//   benchmark::RunSpecifiedBenchmarks()  (each of its six overloads) to
//                                        RunWithColumns(): the display and
//                                        file reporters, the caller's or the
//                                        ones Google Benchmark's flags select,
//                                        are each wrapped in a ColumnReporter
//
// and `__real_SYMBOL` reaches Google Benchmark's own. BENCHMARK_MAIN(),
// Google Benchmark's benchmark_main library and a hand-written main all make
// these calls from the program's own code, so every one of them gets the
// columns with no change to its source. A call made inside a shared library
// is not redirected; measurements.cc then says so once.
//
// Google Benchmark's own forms call each other inside its benchmark.cc. GNU
// ld's `--wrap` does not reach calls inside the object file that defines the
// symbol, LLD's does: RunWithColumns() passes a nested call straight on, so
// that the reporters are wrapped once either way. alloc_counter's own
// Initialize() and RunSpecifiedBenchmarks() call the functions below
// directly. The wrapped names are read at build time (wrap_names.h).
//
// State owned by this file, set by Initialize() on the main thread before
// benchmarks run, read by the functions below on that thread:
//
//   TheFlags()  the parsed --alloc_counter_* flags.
//   g_help      the help printer the program gave benchmark::Initialize().
//   g_running   whether the benchmarks are running, set and cleared by
//               RunWithColumns().

#include "alloc_counter/alloc_counter.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/column_reporter.h"
#include "alloc_counter/flags.h"
#include "alloc_counter/measurements.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/sites.h"
#include "alloc_counter/stack_files.h"
#include "alloc_counter/timed_run.h"
#include "alloc_counter/version.h"
#include "alloc_counter/window.h"
#include "alloc_counter/wrap_names.h"
#include "benchmark/benchmark.h"

// Defined by c_alloc.cc where `//alloc_counter:malloc` counts the C
// allocator (not under a sanitizer); absent, its address is null.
extern "C" const int alloc_counter_c_allocator_linked __attribute__((weak));

namespace alloc_counter {
namespace internal {

// Google Benchmark's own entry points, reached through `--wrap` (mangled names
// from wrap_names.h).
void RealInitialize(int* argc, char** argv, void (*help)()) __asm__(
    "__real_" ALLOC_COUNTER_WRAP_ENTRY_INITIALIZE);
size_t RealRunSpecifiedBenchmarks(
    benchmark::BenchmarkReporter* display,
    benchmark::BenchmarkReporter*
        file) __asm__("__real_" ALLOC_COUNTER_WRAP_ENTRY_RUN_DISPLAY_FILE);
size_t RealRunSpecifiedBenchmarks(
    benchmark::BenchmarkReporter* display, benchmark::BenchmarkReporter* file,
    std::string
        spec) __asm__("__real_" ALLOC_COUNTER_WRAP_ENTRY_RUN_DISPLAY_FILE_SPEC);

namespace {

using benchmark::BenchmarkReporter;

Flags& TheFlags() {
  static Flags flags;
  return flags;
}

void (*g_help)() = nullptr;

// Whether RunWithColumns() is running the benchmarks.
bool g_running = false;

// What `--help` prints: the program's help (Google Benchmark's usage, unless
// the program gave its own), then alloc_counter's flags. Google Benchmark
// calls it from benchmark::Initialize() on `--help` (and on a bad
// --benchmark_format or --benchmark_color) and then exits with status 0.
void PrintUsage() {
  if (g_help != nullptr) g_help();
  std::fputs(FlagsHelp().c_str(), stdout);
}

// The file reporter Google Benchmark creates when the program gives none
// (benchmark.cc, RunSpecifiedBenchmarks()). benchmark::Initialize() has
// already rejected any other format.
std::unique_ptr<BenchmarkReporter> CreateFileReporter() {
  const std::string& format = benchmark::FLAGS_benchmark_out_format;
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  if (format == "csv") return std::make_unique<benchmark::CSVReporter>();
  BENCHMARK_RESTORE_DEPRECATED_WARNING
  if (format == "console") {
    return std::make_unique<benchmark::ConsoleReporter>(
        benchmark::FLAGS_benchmark_counters_tabular
            ? benchmark::ConsoleReporter::OO_Tabular
            : benchmark::ConsoleReporter::OO_None);
  }
  std::fprintf(stderr,
               "invalid value '%s' for --benchmark_out_format; accepted "
               "values: console, json, csv\n",
               format.c_str());
  std::exit(1);
}

// Sets the audience of the measurements for one run of the benchmarks, and
// back to "nobody said" after it.
class AudienceScope {
 public:
  explicit AudienceScope(Audience audience) { SetAudience(audience); }
  ~AudienceScope() { SetAudience(Audience::kUnknown); }
  AudienceScope(const AudienceScope&) = delete;
  AudienceScope& operator=(const AudienceScope&) = delete;
};

// Parses and removes alloc_counter's flags, then calls Google Benchmark's
// Initialize() with `help` followed by our flags as its help printer.
void InitializeWithFlags(int* argc, char** argv, void (*help)()) {
  std::string error;
  if (!ParseFlags(argc, argv, &TheFlags(), &error)) {
    std::fprintf(stderr, "alloc_counter: %s\n", error.c_str());
    std::exit(2);
  }
  SetCountPaused(TheFlags().count_paused);
  SetTimedMode(TheFlags().timed);
  // Sites and sizes are printed by the columns' reporter only: without it
  // they are not gathered.
  const Flags& flags = TheFlags();
  const bool columns = flags.columns;
  const bool folded = !flags.folded.empty() || !flags.folded_bytes.empty();
  if (folded && !columns) {
    std::fprintf(stderr,
                 "alloc_counter: --alloc_counter_folded and "
                 "--alloc_counter_folded_bytes need the columns; drop "
                 "--alloc_counter_columns=false\n");
    std::exit(2);
  }
  SetSiteOptions(columns ? flags.sites : 0, columns && folded,
                 columns && flags.histogram);
  g_help = help;
  RealInitialize(argc, argv, &PrintUsage);
}

// Adds to Google Benchmark's context (the header of the console, `context`
// in JSON) how this run counts, so that runs counted differently are not
// compared as if they were alike: alloc_counter's version, the mode, the
// paused policy, whether C allocations are counted (with
// `//alloc_counter:malloc`, in the memory run: in timed mode the C calls are
// not counted), and the sites asked for. Once per process.
void AddCountingContext() {
  static bool added = false;
  if (added) return;
  added = true;
  const Flags& flags = TheFlags();
  const bool c_counted =
      &alloc_counter_c_allocator_linked != nullptr && !flags.timed;
  benchmark::AddCustomContext("alloc_counter_version", ALLOC_COUNTER_VERSION);
  benchmark::AddCustomContext("alloc_counter_mode",
                              flags.timed ? "timed" : "memory_run");
  benchmark::AddCustomContext("alloc_counter_paused",
                              flags.count_paused ? "include" : "exclude");
  benchmark::AddCustomContext("alloc_counter_c_allocator",
                              c_counted ? "counted" : "not counted");
  benchmark::AddCustomContext("alloc_counter_sites",
                              std::to_string(flags.sites));
}

// Runs the benchmarks with `display` and `file` (either may be null, as in
// Google Benchmark's own overloads) each wrapped in a ColumnReporter; `run`
// calls Google Benchmark's RunSpecifiedBenchmarks() with the two reporters.
// A null `display` is the one --benchmark_format selects, and a null `file`
// with --benchmark_out the one --benchmark_out_format selects, created here
// as Google Benchmark would. With --alloc_counter_columns=false, `run` gets
// the caller's reporters unchanged.
//
// Google Benchmark's overloads call each other inside its benchmark.cc. GNU
// ld leaves those calls alone; LLD's `--wrap` redirects them to the wrappers
// below too, and so a run already under way passes the reporters it was given
// (already wrapped) straight on.
template <typename RunFn>
size_t RunWithColumns(BenchmarkReporter* display, BenchmarkReporter* file,
                      RunFn run) {
  if (g_running) return run(display, file);
  g_running = true;
  struct Done {
    ~Done() { g_running = false; }
  } done;
  if (!TheFlags().columns) {
    AudienceScope audience(Audience::kNobody);
    return run(display, file);
  }
  AddCountingContext();
  std::unique_ptr<BenchmarkReporter> default_display;
  if (display == nullptr) {
    // Built from --benchmark_format, --benchmark_color and
    // --benchmark_counters_tabular.
    default_display.reset(benchmark::CreateDefaultDisplayReporter());
    display = default_display.get();
  }
  std::unique_ptr<BenchmarkReporter> default_file;
  if (file == nullptr && !benchmark::FLAGS_benchmark_out.empty()) {
    default_file = CreateFileReporter();
    file = default_file.get();
  }
  auto matcher = std::make_shared<MeasurementMatcher>(
      benchmark::FLAGS_benchmark_enable_random_interleaving);
  const Flags& flags = TheFlags();
  ConsoleSiteOptions console;
  console.width = ConsoleWidth();
  console.full_names = flags.full_site_names;
  // The stacks go to the files once: through the display reporter, which
  // every run has.
  const std::unique_ptr<StackFiles> stack_files =
      StackFiles::Open(flags.folded, flags.folded_bytes, flags.full_site_names);
  ColumnReporter display_columns(display, matcher, console, stack_files.get());
  std::unique_ptr<ColumnReporter> file_columns;
  if (file != nullptr) {
    file_columns = std::make_unique<ColumnReporter>(file, matcher, console);
  }
  AudienceScope audience(Audience::kColumns);
  return run(&display_columns, file_columns.get());
}

size_t RunWithColumns(BenchmarkReporter* display, BenchmarkReporter* file) {
  return RunWithColumns(display, file,
                        [](BenchmarkReporter* d, BenchmarkReporter* f) {
                          return RealRunSpecifiedBenchmarks(d, f);
                        });
}

size_t RunWithColumns(BenchmarkReporter* display, BenchmarkReporter* file,
                      std::string spec) {
  return RunWithColumns(
      display, file, [&spec](BenchmarkReporter* d, BenchmarkReporter* f) {
        return RealRunSpecifiedBenchmarks(d, f, std::move(spec));
      });
}

}  // namespace
}  // namespace internal

void Initialize(int* argc, char** argv) {
  internal::InitializeWithFlags(argc, argv, &benchmark::PrintDefaultHelp);
}

size_t RunSpecifiedBenchmarks() {
  return internal::RunWithColumns(nullptr, nullptr);
}

int BenchmarkMain(int argc, char** argv) {
  Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace alloc_counter

// The wrappers, each defined under `__wrap_` and the mangled name of the
// overload it wraps (wrap_names.h).

namespace alloc_counter {
namespace internal {

using benchmark::BenchmarkReporter;

void WrapInitialize(int* argc, char** argv, void (*help)()) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_ENTRY_INITIALIZE);
size_t WrapRun() __asm__("__wrap_" ALLOC_COUNTER_WRAP_ENTRY_RUN);
size_t WrapRunSpec(std::string spec) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_ENTRY_RUN_SPEC);
size_t WrapRunDisplay(BenchmarkReporter* display) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_ENTRY_RUN_DISPLAY);
size_t WrapRunDisplaySpec(BenchmarkReporter* display, std::string spec) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_ENTRY_RUN_DISPLAY_SPEC);
size_t
WrapRunDisplayFile(BenchmarkReporter* display, BenchmarkReporter* file) __asm__(
    "__wrap_" ALLOC_COUNTER_WRAP_ENTRY_RUN_DISPLAY_FILE);
size_t WrapRunDisplayFileSpec(
    BenchmarkReporter* display, BenchmarkReporter* file,
    std::string
        spec) __asm__("__wrap_" ALLOC_COUNTER_WRAP_ENTRY_RUN_DISPLAY_FILE_SPEC);

// benchmark::Initialize(int*, char**, void (*)())
void WrapInitialize(int* argc, char** argv, void (*help)()) {
  InitializeWithFlags(argc, argv, help);
}

// benchmark::RunSpecifiedBenchmarks()
size_t WrapRun() { return RunWithColumns(nullptr, nullptr); }

// benchmark::RunSpecifiedBenchmarks(std::string)
size_t WrapRunSpec(std::string spec) {
  return RunWithColumns(nullptr, nullptr, std::move(spec));
}

// benchmark::RunSpecifiedBenchmarks(BenchmarkReporter*)
size_t WrapRunDisplay(BenchmarkReporter* display) {
  return RunWithColumns(display, nullptr);
}

// benchmark::RunSpecifiedBenchmarks(BenchmarkReporter*, std::string)
size_t WrapRunDisplaySpec(BenchmarkReporter* display, std::string spec) {
  return RunWithColumns(display, nullptr, std::move(spec));
}

// benchmark::RunSpecifiedBenchmarks(BenchmarkReporter*, BenchmarkReporter*)
size_t WrapRunDisplayFile(BenchmarkReporter* display, BenchmarkReporter* file) {
  return RunWithColumns(display, file);
}

// benchmark::RunSpecifiedBenchmarks(BenchmarkReporter*, BenchmarkReporter*,
//                                   std::string)
size_t WrapRunDisplayFileSpec(BenchmarkReporter* display,
                              BenchmarkReporter* file, std::string spec) {
  return RunWithColumns(display, file, std::move(spec));
}

}  // namespace internal
}  // namespace alloc_counter

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: alloc_counter.h
// -----------------------------------------------------------------------------
//
// alloc_counter reports the heap allocations of every Google Benchmark
// benchmark's loop body, per iteration, next to its timings. Linking the
// `//alloc_counter` target replaces the global `operator new`/`operator
// delete` and registers a `benchmark::MemoryManager`; Google Benchmark then
// fills its native JSON fields (`allocs_per_iter`, `max_bytes_used`,
// `total_allocated_bytes`, `net_heap_growth`). The calls below add the
// columns `allocs/iter`, `bytes/iter` and `peak_bytes` to the console, CSV and
// JSON output.
//
// What is counted: the allocations made by the `for (auto _ : state)` loop
// body during Google Benchmark's memory run, on any thread, divided by the
// iterations of that run. Set-up code before the loop, Google Benchmark's own
// allocations, and (by default) allocations made while timing is paused with
// `state.PauseTiming()` are not counted. Allocations that fail
// (`std::bad_alloc`, nullptr from nothrow forms) are not counted.
//
// The simplest use is to link `//alloc_counter:main` instead of
// `@com_google_benchmark//:benchmark_main`. A file with its own `main` uses
// `ALLOC_COUNTER_BENCHMARK_MAIN()` instead of `BENCHMARK_MAIN()`, or calls
// `Initialize()` and `RunSpecifiedBenchmarks()` below.
//
// Thread-compatibility: these calls are made once, from `main`, before and
// while benchmarks run; they are not thread-safe. The allocation hooks behind
// them are thread-safe.

#ifndef ALLOC_COUNTER_ALLOC_COUNTER_H_
#define ALLOC_COUNTER_ALLOC_COUNTER_H_

#include <cstddef>

namespace alloc_counter {

// Initialize()
//
// Parses and removes alloc_counter's flags (`--alloc_counter_*`, see
// flags.h) from `argv`, then calls `benchmark::Initialize(argc, argv)`. A bad
// flag or value prints a message naming it and the accepted values, and exits
// with status 2 before any benchmark runs. `--help` prints Google Benchmark's
// usage followed by alloc_counter's flags, and exits with status 0.
void Initialize(int* argc, char** argv);

// RunSpecifiedBenchmarks()
//
// Runs the benchmarks selected by `--benchmark_filter`, like
// `benchmark::RunSpecifiedBenchmarks()`, with alloc_counter's columns added
// to the display reporter (`--benchmark_format`) and to the file reporter
// (`--benchmark_out`, `--benchmark_out_format`). Returns the number of
// benchmarks run. Call `Initialize()` first.
size_t RunSpecifiedBenchmarks();

// BenchmarkMain()
//
// The whole of a benchmark program's `main`: `Initialize()`, a check for
// unrecognised arguments, `RunSpecifiedBenchmarks()` and
// `benchmark::Shutdown()`. Returns the exit status.
int BenchmarkMain(int argc, char** argv);

}  // namespace alloc_counter

// ALLOC_COUNTER_BENCHMARK_MAIN()
//
// Defines `main` for a benchmark program, as `BENCHMARK_MAIN()` does, with
// alloc_counter's columns. Use it in place of `BENCHMARK_MAIN()`.
#define ALLOC_COUNTER_BENCHMARK_MAIN()                 \
  int main(int argc, char** argv) {                    \
    return ::alloc_counter::BenchmarkMain(argc, argv); \
  }                                                    \
  int main(int, char**)

#endif  // ALLOC_COUNTER_ALLOC_COUNTER_H_

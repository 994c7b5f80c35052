// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// File: alloc_counter.h
// -----------------------------------------------------------------------------
//
// alloc_counter reports the heap allocations of every Google Benchmark
// benchmark's loop body, per iteration, next to its timings. Linking the
// `//alloc_counter` target is all a program needs: it replaces the global
// `operator new`/`operator delete`, registers a `benchmark::MemoryManager`,
// and redirects the program's calls of `benchmark::Initialize()` and
// `benchmark::RunSpecifiedBenchmarks()` (the linker's `--wrap`). Whatever the
// program's `main` (`BENCHMARK_MAIN()`, Google Benchmark's `benchmark_main`
// library, or a hand-written one with reporters of its own), the console,
// CSV and JSON output then have the columns `allocs/iter`, `bytes/iter` and
// `peak_bytes`, every reporter receives them as counters of each row, and
// `benchmark::Initialize()` reads alloc_counter's flags (flags.h). A `main`
// inside a shared library (a shared `benchmark_main`) cannot be redirected:
// its output has Google Benchmark's native JSON memory fields only, and the
// program says why on stderr.
//
// What is counted: the allocations made by the `for (auto _ : state)` loop
// body during Google Benchmark's memory run, on any thread, divided by the
// iterations of that run. Set-up code before the loop, Google Benchmark's own
// allocations, and (by default) allocations made while timing is paused with
// `state.PauseTiming()` are not counted. Allocations that fail
// (`std::bad_alloc`, nullptr from nothrow forms) are not counted.
//
// The calls below are what Google Benchmark's own calls become; they are kept
// for programs written against them, and never count or add a column twice
// when mixed with Google Benchmark's.
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
// What `benchmark::Initialize(argc, argv)` does in a program linked with
// alloc_counter: parses and removes alloc_counter's flags
// (`--alloc_counter_*`, see flags.h) from `argv`, then runs Google
// Benchmark's own. A bad flag or value prints a message naming it and the
// accepted values, and exits with status 2 before any benchmark runs.
// `--help` prints Google Benchmark's usage followed by alloc_counter's flags,
// and exits with status 0.
void Initialize(int* argc, char** argv);

// RunSpecifiedBenchmarks()
//
// What `benchmark::RunSpecifiedBenchmarks()` does in a program linked with
// alloc_counter: runs the benchmarks selected by `--benchmark_filter`, with
// alloc_counter's columns added to the display reporter
// (`--benchmark_format`) and to the file reporter (`--benchmark_out`,
// `--benchmark_out_format`). Returns the number of benchmarks run. Call
// `Initialize()` first.
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
// Defines `main` for a benchmark program, as `BENCHMARK_MAIN()` does, which
// has the columns too in a program linked with alloc_counter.
#define ALLOC_COUNTER_BENCHMARK_MAIN()                 \
  int main(int argc, char** argv) {                    \
    return ::alloc_counter::BenchmarkMain(argc, argv); \
  }                                                    \
  int main(int, char**)

#endif  // ALLOC_COUNTER_ALLOC_COUNTER_H_

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// Reports exactly when a benchmark's loop body starts, pauses, resumes and
// ends, using GNU ld's `--wrap` (the link options travel with the
// `//alloc_counter` target).
//
// Google Benchmark's memory run starts the MemoryManager before it creates
// its own ThreadManager, copies the benchmark's arguments into a State and
// runs the benchmark's set-up code. None of that is the loop body. The loop
// itself is inlined into the user's code, but it enters and leaves through
// out-of-line members of `benchmark::State`:
//
//   for (auto _ : state)     ->  State::StartKeepRunning()  ... loop ...
//                                State::FinishKeepRunning()
//   state.PauseTiming()      ->  State::PauseTiming()
//   state.ResumeTiming()     ->  State::ResumeTiming()
//
// `-Wl,--wrap=SYMBOL` redirects the program's calls of SYMBOL to
// `__wrap_SYMBOL`, and `__real_SYMBOL` reaches the original. Each wrapper
// below keeps Google Benchmark's own code outside the loop: the loop starts
// after StartKeepRunning returns and ends before FinishKeepRunning begins.
// The events go to counters.cc, which counts them in the memory run (or, in
// timed mode, in the timed runs) and ignores them otherwise.
//
// The mangled names are those of the Itanium C++ ABI; a member function
// taking no argument is called with `this` as its one parameter.

#include <cstdint>
#include <type_traits>
#include <utility>

#include "alloc_counter/counters.h"
#include "benchmark/benchmark.h"

namespace {

// Whether the benchmark skipped its loop: `skipped()` from Google Benchmark
// 1.8 (an error or `SkipWithMessage()`), `error_occurred()` before.
template <typename S, typename = void>
struct HasSkipped : std::false_type {};
template <typename S>
struct HasSkipped<S, std::void_t<decltype(std::declval<const S&>().skipped())>>
    : std::true_type {};

template <typename S>
bool Skipped(const S& state) {
  if constexpr (HasSkipped<S>::value) {
    return state.skipped();
  } else {
    return state.error_occurred();
  }
}

}  // namespace

extern "C" {

void __real__ZN9benchmark5State16StartKeepRunningEv(benchmark::State* state);
void __real__ZN9benchmark5State17FinishKeepRunningEv(benchmark::State* state);
void __real__ZN9benchmark5State11PauseTimingEv(benchmark::State* state);
void __real__ZN9benchmark5State12ResumeTimingEv(benchmark::State* state);

// benchmark::State::StartKeepRunning()
void __wrap__ZN9benchmark5State16StartKeepRunningEv(benchmark::State* state) {
  __real__ZN9benchmark5State16StartKeepRunningEv(state);
  alloc_counter::internal::OnLoopStart();
}

// benchmark::State::FinishKeepRunning()
//
// The iterations the loop ran are settled by FinishKeepRunning itself (a
// range-for loop counts down a copy), so they are read after it.
void __wrap__ZN9benchmark5State17FinishKeepRunningEv(benchmark::State* state) {
  alloc_counter::internal::OnLoopExit();
  __real__ZN9benchmark5State17FinishKeepRunningEv(state);
  alloc_counter::internal::LoopEnd end;
  end.iterations = static_cast<int64_t>(state->iterations());
  end.skipped = Skipped(*state);
  alloc_counter::internal::OnLoopEnd(end, state->threads());
}

// benchmark::State::PauseTiming()
void __wrap__ZN9benchmark5State11PauseTimingEv(benchmark::State* state) {
  alloc_counter::internal::OnLoopPause();
  __real__ZN9benchmark5State11PauseTimingEv(state);
}

// benchmark::State::ResumeTiming()
void __wrap__ZN9benchmark5State12ResumeTimingEv(benchmark::State* state) {
  __real__ZN9benchmark5State12ResumeTimingEv(state);
  alloc_counter::internal::OnLoopResume();
}

}  // extern "C"

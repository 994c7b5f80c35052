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
//   state.SkipWithError(m)   ->  State::SkipWithError()  (and, from 1.8,
//                                State::SkipWithMessage()): the loop ends
//                                there, even if `break` skips
//                                FinishKeepRunning()
//
// `-Wl,--wrap=SYMBOL` redirects the program's calls of SYMBOL to
// `__wrap_SYMBOL`, and `__real_SYMBOL` reaches the original. Each wrapper
// below keeps Google Benchmark's own code outside the loop: the loop starts
// after StartKeepRunning returns and ends before FinishKeepRunning begins.
// The router below sends the events to the memory run's window (window.h)
// or, in timed mode, to the timed loops (timed_run.h), and ignores them
// otherwise.
//
// The mangled names are those of the Itanium C++ ABI; a member function
// taking no argument is called with `this` as its one parameter.

#include <cstdint>
#include <string>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/timed_run.h"
#include "alloc_counter/window.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {
namespace {

// The loop-event router: each event goes to the benchmark window while it is
// armed (the memory run), otherwise to the timed loops when timed mode is on,
// otherwise nowhere. A loop's end comes in two steps: OnLoopExit() as its
// body ends, before Google Benchmark's own code runs, and OnLoopEnd() once
// Google Benchmark has settled the iterations.

void OnLoopStart() {
  if (WindowArmed()) {
    EnterLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopStarted();
  }
}

void OnLoopPause() {
  if (WindowArmed()) {
    PauseLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopPaused();
  }
}

void OnLoopResume() {
  if (WindowArmed()) {
    ResumeLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopResumed();
  }
}

void OnLoopExit() {
  if (WindowArmed()) {
    ExitLoop();
  } else if (TimedModeEnabled()) {
    TimedLoopPaused();
  }
}

template <typename S>
void OnLoopEnd(const S& state) {
  if (WindowArmed()) {
    LoopEnd end;
    end.iterations = static_cast<int64_t>(state.iterations());
    end.skipped = Skipped(state);
    SetWindowLoopEnd(end);
  } else if (TimedModeEnabled()) {
    TimedLoopFinished(static_cast<int64_t>(state.iterations()),
                      state.threads());
  }
}

// The benchmark skips its loop (SkipWithError, SkipWithMessage), perhaps to
// leave it with `break`, which never reaches FinishKeepRunning(): the loop
// ends here for alloc_counter, and a later FinishKeepRunning() finds it
// ended.
void OnLoopSkip(const benchmark::State& state) {
  if (WindowArmed()) {
    ExitLoop();
    LoopEnd end;
    end.iterations = static_cast<int64_t>(state.iterations());
    end.skipped = true;
    SetWindowLoopEnd(end);
  } else if (TimedModeEnabled()) {
    TimedLoopFinished(static_cast<int64_t>(state.iterations()),
                      state.threads());
  }
}

}  // namespace
}  // namespace internal
}  // namespace alloc_counter

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
  alloc_counter::internal::OnLoopEnd(*state);
}

// benchmark::State::SkipWithError(const char*), up to Google Benchmark 1.7.x;
// benchmark::State::SkipWithError(const std::string&) and
// SkipWithMessage(const std::string&) from 1.8. The three are wrapped in
// every version; their weak `__real_` names are benchmark_compat.h's.
void __wrap__ZN9benchmark5State13SkipWithErrorEPKc(benchmark::State* state,
                                                   const char* message) {
  alloc_counter::internal::OnLoopSkip(*state);
  __real__ZN9benchmark5State13SkipWithErrorEPKc(state, message);
}

void __wrap__ZN9benchmark5State13SkipWithErrorERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE(
    benchmark::State* state, const std::string& message) {
  alloc_counter::internal::OnLoopSkip(*state);
  __real__ZN9benchmark5State13SkipWithErrorERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE(
      state, message);
}

void __wrap__ZN9benchmark5State15SkipWithMessageERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE(
    benchmark::State* state, const std::string& message) {
  alloc_counter::internal::OnLoopSkip(*state);
  __real__ZN9benchmark5State15SkipWithMessageERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE(
      state, message);
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

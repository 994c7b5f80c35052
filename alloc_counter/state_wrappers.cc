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
// The router below sends the events to the memory run's window (window.h)
// or, in timed mode, to the timed loops (timed_run.h), and ignores them
// otherwise.
//
// The mangled names are those of the Itanium C++ ABI; a member function
// taking no argument is called with `this` as its one parameter.

#include <cstdint>

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

// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0
//
// The functions of Google Benchmark that alloc_counter wraps with `--wrap`,
// named once, for the build to read their mangled names from the object this
// file compiles to (wrap_names.sh writes wrap_names.h and the link options).
// Their names depend on the standard library: a `std::string` parameter is
// `NSt7__cxx1112basic_string...` with libstdc++ and `NSt3__112basic_string...`
// with libc++. Read from an object compiled with the build's own compiler,
// flags and headers, they cannot disagree with the library they wrap.
//
// Each probe is a function template in the global namespace whose template
// argument is the wrapped function's address: the probe's mangled name
// carries the wrapped function's, and its body refers to that function, so
// that the object also lists the name as undefined. wrap_names.sh takes the
// name from the first and checks it against the second. A probe's name, in
// upper case after ALLOC_COUNTER_WRAP_, is the macro wrap_names.h defines;
// `state_` probes are the loop events (state_wrappers.cc), `entry_` probes
// the entry points (alloc_counter.cc).
//
// StartKeepRunning() and FinishKeepRunning() are private members of
// benchmark::State: an explicit instantiation may name them ([temp.spec]).
// The skips differ between versions (see benchmark_compat.h), so a probe is
// instantiated only for those the version declares, and a macro is defined
// only for those.
//
// This object is never linked into anything.

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "benchmark/benchmark.h"

// Take the address of a constant that holds a wrapped function's address,
// so that the object refers to the function, and of a probe, so that the
// object holds the probe even where its calls would be inlined. Declared
// only.
void alloc_counter_wrap_probe_keep(const void* address);
void alloc_counter_wrap_probe_keep_probe(void (*probe)());

#define ALLOC_COUNTER_WRAP_PROBE(name)        \
  template <auto F>                           \
  void name() {                               \
    static constexpr auto kAddress = F;       \
    alloc_counter_wrap_probe_keep(&kAddress); \
  }

ALLOC_COUNTER_WRAP_PROBE(state_start_keep_running)
ALLOC_COUNTER_WRAP_PROBE(state_finish_keep_running)
ALLOC_COUNTER_WRAP_PROBE(state_pause_timing)
ALLOC_COUNTER_WRAP_PROBE(state_resume_timing)
ALLOC_COUNTER_WRAP_PROBE(state_skip_with_error_c_str)
ALLOC_COUNTER_WRAP_PROBE(state_skip_with_error_string)
ALLOC_COUNTER_WRAP_PROBE(state_skip_with_message_string)
ALLOC_COUNTER_WRAP_PROBE(entry_initialize)
ALLOC_COUNTER_WRAP_PROBE(entry_run)
ALLOC_COUNTER_WRAP_PROBE(entry_run_spec)
ALLOC_COUNTER_WRAP_PROBE(entry_run_display)
ALLOC_COUNTER_WRAP_PROBE(entry_run_display_spec)
ALLOC_COUNTER_WRAP_PROBE(entry_run_display_file)
ALLOC_COUNTER_WRAP_PROBE(entry_run_display_file_spec)

#undef ALLOC_COUNTER_WRAP_PROBE

namespace {

using benchmark::BenchmarkReporter;
using benchmark::State;
using StateEvent = void (State::*)();
using StateSkip = void (State::*)(const std::string&);
using StateSkipCStr = void (State::*)(const char*);

// Whether State declares SkipWithError(const char*) (up to 1.7.x),
// SkipWithError(const std::string&) and SkipWithMessage(const std::string&)
// (from 1.8).
template <typename S, typename = void>
struct HasSkipCStr : std::false_type {};
template <typename S>
struct HasSkipCStr<S,
                   std::void_t<decltype(static_cast<void (S::*)(const char*)>(
                       &S::SkipWithError))>> : std::true_type {};
template <typename S, typename = void>
struct HasSkipString : std::false_type {};
template <typename S>
struct HasSkipString<
    S, std::void_t<decltype(static_cast<void (S::*)(const std::string&)>(
           &S::SkipWithError))>> : std::true_type {};
template <typename S, typename = void>
struct HasSkipMessage : std::false_type {};
template <typename S>
struct HasSkipMessage<
    S, std::void_t<decltype(static_cast<void (S::*)(const std::string&)>(
           &S::SkipWithMessage))>> : std::true_type {};

}  // namespace

// The private members, by explicit instantiation.
template void state_start_keep_running<&State::StartKeepRunning>();
template void state_finish_keep_running<&State::FinishKeepRunning>();

// The public ones, each instantiated where this version declares it.
template <typename S>
void InstantiateStateProbes() {
  alloc_counter_wrap_probe_keep_probe(
      &state_pause_timing<static_cast<StateEvent>(&S::PauseTiming)>);
  alloc_counter_wrap_probe_keep_probe(
      &state_resume_timing<static_cast<StateEvent>(&S::ResumeTiming)>);
  if constexpr (HasSkipCStr<S>::value) {
    alloc_counter_wrap_probe_keep_probe(
        &state_skip_with_error_c_str<static_cast<StateSkipCStr>(
            &S::SkipWithError)>);
  }
  if constexpr (HasSkipString<S>::value) {
    alloc_counter_wrap_probe_keep_probe(
        &state_skip_with_error_string<static_cast<StateSkip>(
            &S::SkipWithError)>);
  }
  if constexpr (HasSkipMessage<S>::value) {
    alloc_counter_wrap_probe_keep_probe(
        &state_skip_with_message_string<static_cast<StateSkip>(
            &S::SkipWithMessage)>);
  }
}
template void InstantiateStateProbes<State>();

void InstantiateEntryPointProbes() {
  alloc_counter_wrap_probe_keep_probe(
      &entry_initialize<static_cast<void (*)(int*, char**, void (*)())>(
          &benchmark::Initialize)>);
  alloc_counter_wrap_probe_keep_probe(&entry_run<static_cast<size_t (*)()>(
                                          &benchmark::RunSpecifiedBenchmarks)>);
  alloc_counter_wrap_probe_keep_probe(
      &entry_run_spec<static_cast<size_t (*)(std::string)>(
          &benchmark::RunSpecifiedBenchmarks)>);
  alloc_counter_wrap_probe_keep_probe(
      &entry_run_display<static_cast<size_t (*)(BenchmarkReporter*)>(
          &benchmark::RunSpecifiedBenchmarks)>);
  alloc_counter_wrap_probe_keep_probe(
      &entry_run_display_spec<
          static_cast<size_t (*)(BenchmarkReporter*, std::string)>(
              &benchmark::RunSpecifiedBenchmarks)>);
  alloc_counter_wrap_probe_keep_probe(
      &entry_run_display_file<
          static_cast<size_t (*)(BenchmarkReporter*, BenchmarkReporter*)>(
              &benchmark::RunSpecifiedBenchmarks)>);
  alloc_counter_wrap_probe_keep_probe(
      &entry_run_display_file_spec<static_cast<size_t (*)(
          BenchmarkReporter*, BenchmarkReporter*, std::string)>(
          &benchmark::RunSpecifiedBenchmarks)>);
}

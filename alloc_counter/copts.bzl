"""Compiler options shared by alloc_counter's own code, tests and benchmarks."""

# Google Benchmark's strict warning set, as errors for our own code.
ALLOC_COUNTER_COPTS = [
    "-Wall",
    "-Wextra",
    "-Wshadow",
    "-Wconversion",
    "-Wold-style-cast",
    "-pedantic-errors",
    "-Werror",
]

# The loop-event wrappers (state_wrappers.cc): GNU ld redirects calls of these
# out-of-line members of benchmark::State to alloc_counter's wrappers.
ALLOC_COUNTER_LINKOPTS = [
    "-Wl,--wrap=_ZN9benchmark5State16StartKeepRunningEv",
    "-Wl,--wrap=_ZN9benchmark5State17FinishKeepRunningEv",
    "-Wl,--wrap=_ZN9benchmark5State11PauseTimingEv",
    "-Wl,--wrap=_ZN9benchmark5State12ResumeTimingEv",
    "-Wl,--wrap=_ZN9benchmark5State13SkipWithErrorEPKc",
    "-Wl,--wrap=_ZN9benchmark5State13SkipWithErrorERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
    "-Wl,--wrap=_ZN9benchmark5State15SkipWithMessageERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
]

# Google Benchmark's entry points (alloc_counter.cc): GNU ld redirects the
# program's calls of benchmark::Initialize() and of every overload of
# benchmark::RunSpecifiedBenchmarks() to alloc_counter's wrappers, which add
# its flags and columns.
ALLOC_COUNTER_ENTRY_POINT_LINKOPTS = [
    "-Wl,--wrap=_ZN9benchmark10InitializeEPiPPcPFvvE",
    "-Wl,--wrap=_ZN9benchmark22RunSpecifiedBenchmarksEv",
    "-Wl,--wrap=_ZN9benchmark22RunSpecifiedBenchmarksENSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
    "-Wl,--wrap=_ZN9benchmark22RunSpecifiedBenchmarksEPNS_17BenchmarkReporterE",
    "-Wl,--wrap=_ZN9benchmark22RunSpecifiedBenchmarksEPNS_17BenchmarkReporterENSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
    "-Wl,--wrap=_ZN9benchmark22RunSpecifiedBenchmarksEPNS_17BenchmarkReporterES1_",
    "-Wl,--wrap=_ZN9benchmark22RunSpecifiedBenchmarksEPNS_17BenchmarkReporterES1_NSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE",
]

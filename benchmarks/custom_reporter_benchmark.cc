// Lesson: copying a std::vector allocates its whole buffer at once (one
// allocation of exactly size() elements), and copying an empty one allocates
// nothing.
//
// This file has a hand-written main, as many real suites do: it registers its
// benchmarks at run time, one per size, and prints them with a reporter of
// its own, a Markdown table. Linked with //alloc_counter, the reporter finds
// alloc_counter's columns among each row's counters, with no other change;
// --alloc_counter_* flags are read by benchmark::Initialize().

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace {

// A Markdown table: one line per benchmark, with alloc_counter's columns.
class AllocationTable : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override {
    GetOutputStream() << "| benchmark | allocs/iter | bytes/iter | "
                         "peak_bytes |\n|---|---:|---:|---:|\n";
    return true;
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      GetOutputStream() << "| " << run.benchmark_name() << " | "
                        << Column(run, "allocs/iter") << " | "
                        << Column(run, "bytes/iter") << " | "
                        << Column(run, "peak_bytes") << " |\n";
    }
  }

 private:
  // A column as the table prints it; "n/a" where the row has none (with
  // --alloc_counter_columns=false, say).
  static std::string Column(const Run& run, const char* name) {
    const auto it = run.counters.find(name);
    if (it == run.counters.end()) return "n/a";
    char text[32];
    std::snprintf(text, sizeof(text), "%g", it->second.value);
    return text;
  }
};

void CopyVector(benchmark::State& state, int size) {
  const std::vector<int> original(static_cast<size_t>(size), 7);
  for (auto _ : state) {
    std::vector<int> copy = original;
    benchmark::DoNotOptimize(copy.data());
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  for (int size : {0, 16, 1024}) {
    benchmark::RegisterBenchmark(
        ("BM_CopyVector/" + std::to_string(size)).c_str(),
        [size](benchmark::State& state) { CopyVector(state, size); });
  }
  AllocationTable table;
  benchmark::RunSpecifiedBenchmarks(&table);
  benchmark::Shutdown();
  return 0;
}

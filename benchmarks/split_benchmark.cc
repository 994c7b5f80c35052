// Lesson: splitting a line into std::string pieces copies every piece that
// outgrows the small-string buffer onto the heap, while absl::string_view
// pieces point into the line and cost only the vector that holds them.
//
// This file ends with Google Benchmark's own BENCHMARK_MAIN(), as most
// benchmark files do: linked with //alloc_counter, it shows alloc_counter's
// columns and reads its flags with no other change.

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"

namespace {

// Four pieces of 19 characters: none fits libstdc++'s 15-character buffer.
constexpr absl::string_view kLine =
    "lorem-ipsum-dolor-1,lorem-ipsum-dolor-2,lorem-ipsum-dolor-3,"
    "lorem-ipsum-dolor-4";

// The vector, and one heap buffer per piece.
void BM_SplitToStrings(benchmark::State& state) {
  absl::string_view line = kLine;
  benchmark::DoNotOptimize(line);
  for (auto _ : state) {
    std::vector<std::string> pieces = absl::StrSplit(line, ',');
    benchmark::DoNotOptimize(pieces.data());
  }
}
BENCHMARK(BM_SplitToStrings);

// The vector alone.
void BM_SplitToViews(benchmark::State& state) {
  absl::string_view line = kLine;
  benchmark::DoNotOptimize(line);
  for (auto _ : state) {
    std::vector<absl::string_view> pieces = absl::StrSplit(line, ',');
    benchmark::DoNotOptimize(pieces.data());
  }
}
BENCHMARK(BM_SplitToViews);

}  // namespace

BENCHMARK_MAIN();

// Lesson: std::string only touches the heap when its contents outgrow the
// small-string buffer (15 characters on libstdc++), so a 15-character string
// costs 0 allocations and a 32-character one costs 1 (33 bytes, including the
// terminating NUL). How a string is built matters as much as how long it is:
// absl::StrCat computes the final length first and allocates once, whereas
// std::ostringstream grows an internal buffer (libstdc++ jumps straight to
// 512 characters) and then copies the result out with str(), paying twice.

#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"

namespace {

constexpr char kShortText[] = "fifteen_chars!!";
static_assert(sizeof(kShortText) - 1 == 15, "must fit the SSO buffer");

constexpr char kLongText[] = "thirty-two characters long text!";
static_assert(sizeof(kLongText) - 1 == 32, "must not fit the SSO buffer");

// Both benchmarks below produce "key=12345,value=67890" (21 characters).
constexpr int kKey = 12345;
constexpr int kValue = 67890;

// Fits the small-string buffer: no allocation.
void BM_StringShort(benchmark::State& state) {
  const char* text = kShortText;
  benchmark::DoNotOptimize(text);
  for (auto _ : state) {
    std::string s(text);
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_StringShort);

// Does not fit: one heap buffer of exactly length + 1 bytes.
void BM_StringLong(benchmark::State& state) {
  const char* text = kLongText;
  benchmark::DoNotOptimize(text);
  for (auto _ : state) {
    std::string s(text);
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_StringLong);

// Sizes all pieces first, then allocates the result once.
void BM_StrCat(benchmark::State& state) {
  int key = kKey;
  int value = kValue;
  benchmark::DoNotOptimize(key);
  benchmark::DoNotOptimize(value);
  for (auto _ : state) {
    std::string s = absl::StrCat("key=", key, ",value=", value);
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_StrCat);

// Grows the stream's buffer while writing, then copies it out with str().
void BM_Ostringstream(benchmark::State& state) {
  int key = kKey;
  int value = kValue;
  benchmark::DoNotOptimize(key);
  benchmark::DoNotOptimize(value);
  for (auto _ : state) {
    std::ostringstream os;
    os << "key=" << key << ",value=" << value;
    std::string s = os.str();
    benchmark::DoNotOptimize(s);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Ostringstream);

}  // namespace

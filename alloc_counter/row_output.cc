// Copyright 2026 The alloc_counter Authors.
// SPDX-License-Identifier: Apache-2.0

#include "alloc_counter/row_output.h"

#include <cstddef>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "alloc_counter/benchmark_compat.h"
#include "alloc_counter/site_json.h"
#include "alloc_counter/site_output.h"
#include "alloc_counter/site_report.h"
#include "benchmark/benchmark.h"

namespace alloc_counter {
namespace internal {
namespace {

constexpr char kAllocsColumn[] = "allocs/iter";
constexpr char kBytesColumn[] = "bytes/iter";
constexpr char kPeakColumn[] = "peak_bytes";

bool AnySites(const std::vector<const SiteReport*>& row_sites) {
  for (const SiteReport* sites : row_sites) {
    if (sites != nullptr) return true;
  }
  return false;
}

// A format that shows sites: a batch without any goes to the wrapped
// reporter whole, as it would without alloc_counter; otherwise one row at a
// time, each with its sites (the console prints rows one by one, and JSON
// writes each as an object of its own, so this is what they would print for
// the whole batch).
class RowsWithSites : public RowOutput {
 public:
  void Write(benchmark::BenchmarkReporter* inner, std::ostream& out,
             std::vector<Run> rows,
             const std::vector<const SiteReport*>& row_sites) final {
    if (!AnySites(row_sites)) {
      inner->ReportRuns(rows);
      return;
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      WriteRow(inner, out, rows[i], row_sites[i]);
    }
  }

 private:
  // Writes `row` and `sites` (null where it has none).
  virtual void WriteRow(benchmark::BenchmarkReporter* inner, std::ostream& out,
                        const Run& row, const SiteReport* sites) = 0;
};

// Each row, then its sites and sizes under it.
class ConsoleRows : public RowsWithSites {
 public:
  explicit ConsoleRows(const ConsoleSiteOptions& options) : options_(options) {
    options_.line_info_hint = true;
  }

 private:
  void WriteRow(benchmark::BenchmarkReporter* inner, std::ostream& out,
                const Run& row, const SiteReport* sites) override {
    inner->ReportRuns({row});
    if (sites == nullptr) return;
    out << ConsoleSiteBlock(*sites, options_) << std::flush;
    // The hint goes under the first block of sites only.
    if (sites->has_sites && !sites->sites.empty()) {
      options_.line_info_hint = false;
    }
  }

  ConsoleSiteOptions options_;
};

// Each row, its sites and sizes as its object's last members: the row is
// written into a buffer, its members added, and the whole goes to the real
// stream.
class JsonRows : public RowsWithSites {
  void WriteRow(benchmark::BenchmarkReporter* inner, std::ostream& out,
                const Run& row, const SiteReport* sites) override {
    std::ostringstream buffer;
    buffer.copyfmt(out);
    inner->SetOutputStream(&buffer);
    inner->ReportRuns({row});
    inner->SetOutputStream(&out);
    std::string json = buffer.str();
    if (sites != nullptr) AddJsonSiteFields(*sites, std::string(6, ' '), &json);
    out << json;
  }
};

// The rows with their columns; the header is fixed by the first batch.
class CsvRows : public RowOutput {
 public:
  // CSV prints counters with the stream's precision (6 significant digits by
  // default); 15 keeps byte counts and fractions such as 1.0625 exact.
  void Prepare(std::ostream& out) override { out.precision(15); }

  void Write(benchmark::BenchmarkReporter* inner, std::ostream&,
             std::vector<Run> rows,
             const std::vector<const SiteReport*>&) override {
    if (!header_done_) {
      // CSV takes its columns from its first batch of rows. If no row of it
      // has ours, an error row carries them into the header: it prints no
      // counters of its own.
      header_done_ = true;
      has_columns_ = HasColumns(rows);
      if (!has_columns_) {
        for (Run& row : rows) {
          if (!IsSkipped(row)) continue;
          AddColumns(ColumnValues(), &row.counters);
          has_columns_ = true;
        }
      }
    } else if (!has_columns_) {
      // Not in the header: counters it does not have would be reported.
      for (Run& row : rows) {
        row.counters.erase(kAllocsColumn);
        row.counters.erase(kBytesColumn);
        row.counters.erase(kPeakColumn);
      }
    }
    inner->ReportRuns(rows);
  }

 private:
  static bool HasColumns(const std::vector<Run>& rows) {
    for (const Run& row : rows) {
      if (row.counters.count(kAllocsColumn) != 0) return true;
    }
    return false;
  }

  bool header_done_ = false;
  bool has_columns_ = false;
};

}  // namespace

void AddColumns(const ColumnValues& values, benchmark::UserCounters* counters) {
  (*counters)[kAllocsColumn] = benchmark::Counter(values.allocs_per_iter);
  (*counters)[kBytesColumn] = benchmark::Counter(values.bytes_per_iter);
  (*counters)[kPeakColumn] = benchmark::Counter(values.peak_bytes);
}

void RowOutput::Prepare(std::ostream&) {}

void RowOutput::Write(benchmark::BenchmarkReporter* inner, std::ostream&,
                      std::vector<Run> rows,
                      const std::vector<const SiteReport*>&) {
  inner->ReportRuns(rows);
}

std::unique_ptr<RowOutput> RowOutputFor(benchmark::BenchmarkReporter* inner,
                                        const ConsoleSiteOptions& console) {
  BENCHMARK_DISABLE_DEPRECATED_WARNING
  if (dynamic_cast<benchmark::CSVReporter*>(inner) != nullptr) {
    return std::make_unique<CsvRows>();
  }
  BENCHMARK_RESTORE_DEPRECATED_WARNING
  if (dynamic_cast<benchmark::JSONReporter*>(inner) != nullptr) {
    return std::make_unique<JsonRows>();
  }
  if (dynamic_cast<benchmark::ConsoleReporter*>(inner) != nullptr) {
    return std::make_unique<ConsoleRows>(console);
  }
  return std::make_unique<RowOutput>();
}

}  // namespace internal
}  // namespace alloc_counter

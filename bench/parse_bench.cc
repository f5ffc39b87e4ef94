// In-process throughput of the letter reader, without process start-up, file I/O or JSON output
// (scripts/bench-parse.sh measures `imr parse` end to end against wc and pdftotext).
//
// Workloads, each over every letter of the bench directory, one letter at a time on one thread:
//   text/read_letter_bytes       the whole text path: checks, Document, template, record (MB/s)
//   text/document_from_text      only text -> lines (how much of the above is line splitting)
//   pdf/document_from_pdf        only poppler: PDF -> lines with font information (letters/s)
//   pdf/document_from_pdf+read   the whole PDF path (letters/s)
//   record/to_json_line          writing the records read from the text letters (MB/s of JSON)
//
// The letters come from $IMR_BENCH_DIR (default ../shared/corpus/dev): its text/ and pdf/
// subdirectories when present, else every .txt and .pdf below it. Absent: prints why and exits 0.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "imr/base/files.h"
#include "imr/letter/document.h"
#include "imr/letter/json.h"
#include "imr/letter/reader.h"

namespace fs = std::filesystem;

namespace {

struct Input {
  std::string path;
  std::string bytes;
};

std::vector<Input> load(const fs::path& dir, const std::string& ext) {
  std::vector<Input> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ext) continue;
    auto bytes = imr::files::read_file(it->path().string());
    if (bytes.ok()) out.push_back({it->path().string(), std::move(*bytes)});
  }
  std::sort(out.begin(), out.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
  return out;
}

std::size_t total_bytes(const std::vector<Input>& v) {
  std::size_t n = 0;
  for (const auto& i : v) n += i.bytes.size();
  return n;
}

void text_read_letter_bytes(benchmark::State& state, const std::vector<Input>* letters) {
  std::size_t failed = 0;
  for (auto _ : state) {
    failed = 0;
    for (const auto& in : *letters) {
      auto r = imr::letter::read_letter_bytes(in.bytes, in.path);
      failed += !r.ok();
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(*letters)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * letters->size()));
  state.counters["failed"] = static_cast<double>(failed);
}

void text_document_from_text(benchmark::State& state, const std::vector<Input>* letters) {
  for (auto _ : state) {
    for (const auto& in : *letters) {
      auto d = imr::letter::document_from_text(in.bytes, in.path);
      benchmark::DoNotOptimize(d);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(*letters)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * letters->size()));
}

void pdf_document(benchmark::State& state, const std::vector<Input>* letters, bool read) {
  std::size_t failed = 0;
  for (auto _ : state) {
    failed = 0;
    for (const auto& in : *letters) {
      auto doc = imr::letter::document_from_pdf(in.bytes, in.path);
      if (!doc.ok()) { ++failed; continue; }
      if (read) {
        auto r = imr::letter::read_letter(*doc);
        failed += !r.ok();
        benchmark::DoNotOptimize(r);
      }
      benchmark::DoNotOptimize(doc);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes(*letters)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * letters->size()));
  state.counters["failed"] = static_cast<double>(failed);
}

void record_to_json(benchmark::State& state, const std::vector<imr::letter::Letter>* records) {
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    for (const auto& r : *records) {
      std::string line = imr::letter::to_json_line(r);
      bytes += line.size();
      benchmark::DoNotOptimize(line);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records->size()));
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = std::getenv("IMR_BENCH_DIR");
  fs::path dir = env && *env ? fs::path(env) : fs::path(IMR_SHARED_DIR) / "corpus/dev";
  static std::vector<Input> text, pdf;
  static std::vector<imr::letter::Letter> records;
  text = load(fs::is_directory(dir / "text") ? dir / "text" : dir, ".txt");
  pdf = load(fs::is_directory(dir / "pdf") ? dir / "pdf" : dir, ".pdf");
  if (text.empty() && pdf.empty()) {
    std::fprintf(stderr, "parse_bench: SKIP: no .txt or .pdf letters under %s (set IMR_BENCH_DIR)\n", dir.c_str());
    return 0;
  }
  std::fprintf(stderr, "parse_bench: %zu text letters (%.1f MB), %zu PDF letters (%.1f MB) from %s\n", text.size(),
               total_bytes(text) / 1e6, pdf.size(), total_bytes(pdf) / 1e6, dir.c_str());
  for (const auto& in : text)
    if (auto r = imr::letter::read_letter_bytes(in.bytes, in.path); r.ok()) records.push_back(std::move(*r));

  if (!text.empty()) {
    benchmark::RegisterBenchmark("text/read_letter_bytes", text_read_letter_bytes, &text)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("text/document_from_text", text_document_from_text, &text)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("record/to_json_line", record_to_json, &records)->Unit(benchmark::kMillisecond);
  }
  if (!pdf.empty()) {
    benchmark::RegisterBenchmark("pdf/document_from_pdf", pdf_document, &pdf, false)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("pdf/document_from_pdf+read", pdf_document, &pdf, true)->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

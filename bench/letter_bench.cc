// Throughput of issuing letters: writing records as text and PDF, and redacting them.
//
// Workloads, one letter at a time on one thread, over 200 generated records (synth seed 1, header
// shape; generated so the benchmark needs no shared data):
//   write/render_letter          record -> text letter (letters/s, MB/s of text)
//   write/render_letter_pdf      record -> PDF letter with Cairo + Pango (letters/s, MB/s of PDF)
//   write/render_letter_pdf+read record -> PDF -> poppler -> record: the issue-and-verify loop
//   redact/redact_letter         record with five parties named in its text -> public record
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "imr/letter/document.h"
#include "imr/letter/pdf_writer.h"
#include "imr/letter/reader.h"
#include "imr/letter/redact.h"
#include "imr/letter/synth.h"
#include "imr/letter/writer.h"

namespace {

using namespace imr::letter;

const std::vector<Letter>& records() {
  static const std::vector<Letter> r = [] {
    std::vector<Letter> out;
    SynthOptions o;
    o.shape = SynthShape::kHeader;
    auto synth = LetterSynthesizer::create(o);
    if (!synth.ok()) return out;
    SyntheticLetter g;
    for (std::uint64_t i = 0; i < 200; ++i) {
      synth->generate(i, g);
      out.push_back(g.expected);
    }
    return out;
  }();
  return r;
}

void write_render_letter(benchmark::State& state) {
  const auto& rs = records();
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const Letter& l : rs) {
      std::string t = render_letter(l);
      bytes += t.size();
      benchmark::DoNotOptimize(t);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rs.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["letters/s"] = benchmark::Counter(static_cast<double>(state.iterations() * rs.size()), benchmark::Counter::kIsRate);
}

void write_render_letter_pdf(benchmark::State& state) {
  const auto& rs = records();
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const Letter& l : rs) {
      auto pdf = render_letter_pdf(l);
      if (!pdf.ok()) state.SkipWithError(pdf.status().to_string().c_str());
      bytes += pdf->size();
      benchmark::DoNotOptimize(pdf);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["letters/s"] = benchmark::Counter(static_cast<double>(state.iterations() * rs.size()), benchmark::Counter::kIsRate);
}

void write_render_letter_pdf_read(benchmark::State& state) {
  const auto& rs = records();
  std::size_t failed = 0;
  for (auto _ : state) {
    for (const Letter& l : rs) {
      auto pdf = render_letter_pdf(l);
      auto doc = document_from_pdf(*pdf, "bench.pdf");
      auto back = doc.ok() ? read_letter(*doc) : imr::Result<Letter>(doc.status());
      if (!back.ok() || back->items.size() != l.items.size()) ++failed;
      benchmark::DoNotOptimize(back);
    }
  }
  state.counters["letters/s"] = benchmark::Counter(static_cast<double>(state.iterations() * rs.size()), benchmark::Counter::kIsRate);
  state.counters["failed"] = static_cast<double>(failed);
}

void redact_redact_letter(benchmark::State& state) {
  const std::vector<Party> parties = {{"Zorabel Quintanex", PartyRole::kWorker},
                                      {"Dr. Maribel Okonkwo-Vance, M.D.", PartyRole::kPhysician},
                                      {"Tevlin, Arlo", PartyRole::kPhysician},
                                      {"Brightwater Freight Lines, Inc.", PartyRole::kEmployer},
                                      {"Odessa Prandtl", PartyRole::kAttorney}};
  std::vector<Letter> rs = records();
  for (Letter& l : rs) {
    l.clinical_summary = "Zorabel Quintanex was seen by Dr. Okonkwo-Vance. " + l.clinical_summary.value_or("") +
                         " Per Tevlin, A. the employer, Brightwater Freight Lines, has modified duty; Ms. Prandtl "
                         "requested review.";
    for (DisputedItem& item : l.items)
      if (item.rationale) *item.rationale += " Mr. Quintanex's function has not improved.";
  }
  std::size_t mentions = 0;
  for (auto _ : state) {
    for (const Letter& l : rs) {
      RedactStats st;
      auto r = redact_letter(l, parties, {}, &st);
      mentions += st.mentions;
      benchmark::DoNotOptimize(r);
    }
  }
  state.counters["letters/s"] = benchmark::Counter(static_cast<double>(state.iterations() * rs.size()), benchmark::Counter::kIsRate);
  state.counters["mentions/letter"] = static_cast<double>(mentions) / static_cast<double>(state.iterations() * rs.size());
}

}  // namespace

BENCHMARK(write_render_letter)->Name("write/render_letter")->Unit(benchmark::kMillisecond);
BENCHMARK(write_render_letter_pdf)->Name("write/render_letter_pdf")->Unit(benchmark::kMillisecond);
BENCHMARK(write_render_letter_pdf_read)->Name("write/render_letter_pdf+read")->Unit(benchmark::kMillisecond);
BENCHMARK(redact_redact_letter)->Name("redact/redact_letter")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

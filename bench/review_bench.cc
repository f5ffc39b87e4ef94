// Review engine benchmarks (synthetic letters; no shared data needed):
//   BM_ReviewItem/N      one disputed item reviewed (facts, guideline, criteria, precedents, model,
//                        draft) with a corpus of N synthetic letters loaded; target < 10 ms
//   BM_ExtractFacts      facts of one clinical summary
//   BM_Train/N           training examples + liblinear + calibration on N letters (items/s)
// Run: build/bench/review_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include <map>
#include <memory>

#include "imr/corpus/store.h"
#include "imr/letter/synth.h"
#include "imr/review/engine.h"
#include "imr/review/model.h"

namespace {

using namespace imr;

const review::Engine& engine() {
  static const review::Engine* e = [] {
    auto r = review::Engine::load();
    if (!r.ok()) {
      std::fprintf(stderr, "review_bench: %s\n", r.status().to_string().c_str());
      std::exit(1);
    }
    return new review::Engine(std::move(r).value());
  }();
  return *e;
}

const std::vector<corpus::StoredLetter>& letters(std::size_t n) {
  static std::map<std::size_t, std::vector<corpus::StoredLetter>> cache;
  auto& v = cache[n];
  if (v.empty()) {
    letter::SynthOptions opts;
    opts.seed = 11;
    auto synth = letter::LetterSynthesizer::create(opts);
    if (!synth.ok()) std::exit(1);
    letter::SyntheticLetter s;
    for (std::size_t i = 0; i < n; ++i) {
      synth->generate(i, s);
      auto sl = corpus::prepare_letter(s.expected, engine().normalizer());
      sl.id = static_cast<std::int64_t>(i + 1);
      v.push_back(std::move(sl));
    }
  }
  return v;
}

void BM_ReviewItem(benchmark::State& state) {
  const auto& ls = letters(static_cast<std::size_t>(state.range(0)));
  review::CorpusIndex ix = review::CorpusIndex::build(ls, engine());
  auto model = review::OutcomeModel::train(review::training_examples(engine(), letters(300), &ix));
  review::CaseFile c = review::case_from_letter(ls[0].letter);
  c.items.resize(1);
  for (auto _ : state) {
    auto r = engine().review(c, &ix, model.ok() ? &*model : nullptr);
    benchmark::DoNotOptimize(r);
  }
  state.counters["corpus_items"] = static_cast<double>(ix.size());
}
BENCHMARK(BM_ReviewItem)->Arg(1000)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_ExtractFacts(benchmark::State& state) {
  review::CaseFile c = review::case_from_letter(letters(10)[3].letter);
  for (auto _ : state) benchmark::DoNotOptimize(engine().extractor().extract(c));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * c.clinical_summary.size()));
}
BENCHMARK(BM_ExtractFacts)->Unit(benchmark::kMicrosecond);

void BM_Train(benchmark::State& state) {
  const auto& ls = letters(static_cast<std::size_t>(state.range(0)));
  std::int64_t items = 0;
  for (auto _ : state) {
    review::CorpusIndex ix = review::CorpusIndex::build(ls, engine());
    auto ex = review::training_examples(engine(), ls, &ix);
    auto m = review::OutcomeModel::train(ex);
    benchmark::DoNotOptimize(m);
    items += static_cast<std::int64_t>(ex.size());
  }
  state.SetItemsProcessed(items);
}
BENCHMARK(BM_Train)->Arg(2000)->Arg(10000)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();

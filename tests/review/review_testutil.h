// Shared by the review tests: the engine over the test fixtures (tests/review/data/guidelines),
// and invented letters from the synthesiser stored in memory.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "imr/corpus/store.h"
#include "imr/letter/synth.h"
#include "imr/review/engine.h"

namespace imr::review::testing {

inline std::string fixture_dir() { return std::string(IMR_SOURCE_DIR) + "/tests/review/data"; }

inline const Engine& test_engine() {
  static const Engine* e = [] {
    auto r = Engine::load("", fixture_dir() + "/guidelines");
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return new Engine(std::move(r).value());
  }();
  return *e;
}

// `n` synthetic letters, prepared as the store would keep them, ids 1..n.
inline std::vector<corpus::StoredLetter> synthetic_letters(int n, std::uint64_t seed = 7) {
  std::vector<corpus::StoredLetter> out;
  letter::SynthOptions opts;
  opts.seed = seed;
  auto synth = letter::LetterSynthesizer::create(opts);
  EXPECT_TRUE(synth.ok()) << synth.status().to_string();
  if (!synth.ok()) return out;
  const auto& norm = test_engine().normalizer();
  letter::SyntheticLetter s;
  for (int i = 0; i < n; ++i) {
    synth->generate(static_cast<std::uint64_t>(i), s);
    auto sl = corpus::prepare_letter(s.expected, norm);
    sl.id = i + 1;
    out.push_back(std::move(sl));
  }
  return out;
}

}  // namespace imr::review::testing

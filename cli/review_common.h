// Shared by the review verbs: loading the engine and the stored corpus, printing why not.
#pragma once

#include <iostream>
#include <optional>

#include "corpus_flags.h"
#include "imr/review/engine.h"

namespace imr::cli {

inline std::optional<review::Engine> load_engine(const char* verb, int& rc) {
  auto e = review::Engine::load();
  if (!e.ok()) {
    std::cerr << "imr " << verb << ": " << e.status().message() << "\n";
    rc = exit_code(e.status());
    return std::nullopt;
  }
  return std::move(*e);
}

// Every stored letter and the precedent index over them.
inline std::optional<review::CorpusIndex> load_corpus(const char* verb, const CorpusFlags& flags, const review::Engine& engine,
                                                      std::vector<corpus::StoredLetter>* letters, int& rc) {
  auto store = open_store(verb, flags, corpus::OpenMode::kExisting, rc);
  if (!store) return std::nullopt;
  auto ix = review::CorpusIndex::load(*store, engine, letters);
  if (!ix.ok()) {
    std::cerr << "imr " << verb << ": " << ix.status().message() << "\n";
    rc = exit_code(ix.status());
    return std::nullopt;
  }
  return std::move(*ix);
}

}  // namespace imr::cli

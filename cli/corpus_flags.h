// Flags shared by the corpus verbs (ingest, search, stats, export): --db and the filters.
#pragma once

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "imr/corpus/store.h"
#include "imr/letter/record.h"
#include "verbs.h"

namespace imr::cli {

struct CorpusFlags {
  std::string db;
  std::string decision, category, guideline, specialty, from, to;
};

inline void add_db_flag(CLI::App* cmd, CorpusFlags& f) {
  cmd->add_option("--db", f.db, "Database URL: sqlite:PATH, a path, or postgresql://... (default: $IMR_DB, else imr.db)");
}

inline void add_filter_flags(CLI::App* cmd, CorpusFlags& f) {
  cmd->add_option("--decision", f.decision, "Only items upheld or overturned")->check(CLI::IsMember({"upheld", "overturned"}, CLI::ignore_case));
  cmd->add_option("--category", f.category, "Only items of this category or subcategory (e.g. Injections, Opioids)");
  cmd->add_option("--guideline", f.guideline, "Only items whose reviewer cited this guideline (catalog key or prefix: MTUS, ODG, MTUS/...)");
  cmd->add_option("--specialty", f.specialty, "Only letters whose reviewer has this specialty");
  cmd->add_option("--from", f.from, "Only letters decided on or after this date (YYYY-MM-DD)");
  cmd->add_option("--to", f.to, "Only letters decided on or before this date (YYYY-MM-DD)");
}

inline corpus::Filters to_filters(const CorpusFlags& f) {
  corpus::Filters out;
  if (!f.decision.empty()) out.decision = letter::parse_decision(f.decision);
  if (!f.category.empty()) out.category = f.category;
  if (!f.guideline.empty()) out.guideline = f.guideline;
  if (!f.specialty.empty()) out.specialty = f.specialty;
  if (!f.from.empty()) out.from = f.from;
  if (!f.to.empty()) out.to = f.to;
  return out;
}

// Opens the store or prints why not ("imr VERB: reason") and sets `rc`.
inline std::unique_ptr<corpus::Store> open_store(const char* verb, const CorpusFlags& f, corpus::OpenMode mode, int& rc) {
  auto store = corpus::Store::open(corpus::resolve_db_url(f.db), mode);
  if (!store.ok()) {
    std::cerr << "imr " << verb << ": " << store.status().message() << "\n";
    rc = exit_code(store.status());
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace imr::cli

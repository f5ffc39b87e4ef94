// imr search QUERY [filters] [--limit N] [--json]: ranked full-text search over the corpus.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "corpus_flags.h"

namespace imr::cli {

void add_search(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("search", "Full-text search over requests, rationales and clinical summaries (best first)");
  static CorpusFlags flags;
  static std::vector<std::string> words;
  static int limit = 20;
  static bool json = false;
  add_db_flag(cmd, flags);
  cmd->add_option("query", words, "Words to find (all must occur; quotes and operators are plain text)")->required();
  add_filter_flags(cmd, flags);
  cmd->add_option("--limit", limit, "Most hits to show (default 20)")->check(CLI::Range(1, 10000));
  cmd->add_flag("--json", json, "One JSON object per hit per line");
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto store = open_store("search", flags, corpus::OpenMode::kExisting, rc);
      if (!store) return rc;
      corpus::SearchQuery q;
      for (const auto& w : words) q.text += (q.text.empty() ? "" : " ") + w;
      q.filters = to_filters(flags);
      q.limit = limit;
      auto hits = store->search(q);
      if (!hits.ok()) {
        std::cerr << "imr search: " << hits.status().message() << "\n";
        return exit_code(hits.status());
      }
      int rank = 0;
      for (const auto& h : *hits) {
        if (json) {
          nlohmann::ordered_json j;
          j["case_number"] = h.case_number ? nlohmann::ordered_json(*h.case_number) : nlohmann::ordered_json(nullptr);
          j["item"] = h.item;
          j["request"] = h.request;
          j["decision"] = letter::to_string(h.decision);
          j["category"] = h.category;
          j["score"] = h.score;
          j["snippet"] = h.snippet;
          std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
        } else {
          std::cout << ++rank << ". " << h.case_number.value_or(h.letter_key) << " item " << h.item << "  "
                    << letter::to_string(h.decision) << "  " << h.category << "  (score " << h.score << ")\n"
                    << "   " << h.request << "\n   " << h.snippet << "\n";
        }
      }
      if (hits->empty() && !json) std::cerr << "imr search: no matches\n";
      return 0;
    };
  });
}

}  // namespace imr::cli

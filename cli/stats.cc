// imr stats [--by KEY] [filters] [--json|--csv]: counts and uphold/overturn rates.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "corpus_flags.h"
#include "imr/corpus/export.h"
#include "imr/corpus/stats_index.h"

namespace imr::cli {
namespace {

std::string percent(std::int64_t part, std::int64_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

}  // namespace

void add_stats(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("stats", "Counts of letters and items, upheld and overturned, grouped");
  static CorpusFlags flags;
  static std::string by = "category";
  static bool json = false, csv = false;
  add_db_flag(cmd, flags);
  cmd->add_option("--by", by, "Group by category|subcategory|body-region|guideline|specialty|month|decision|none")
      ->check(CLI::IsMember({"category", "subcategory", "body-region", "guideline", "specialty", "month", "decision", "none"}));
  add_filter_flags(cmd, flags);
  auto* j = cmd->add_flag("--json", json, "One JSON object");
  cmd->add_flag("--csv", csv, "CSV: key,items,upheld,overturned,overturned_rate")->excludes(j);
  cmd->callback([&action] {
    action = [] {
      int rc = 0;
      auto store = open_store("stats", flags, corpus::OpenMode::kExisting, rc);
      if (!store) return rc;
      corpus::GroupBy group = by == "none" ? corpus::GroupBy::kNone : *corpus::parse_group_by(by);
      corpus::Filters filters = to_filters(flags);
      // The store answers from its rollup at once; any other filter is answered from the saved
      // statistics index (a scan of the tables takes seconds at a million letters).
      auto st = [&]() -> Result<corpus::Stats> {
        if (corpus::answered_from_rollup(filters)) return store->stats(group, filters);
        corpus::StatsIndex index;
        auto malformed = index.stats(group, filters);  // empty: checks the filters before loading
        if (!malformed.ok()) return malformed.status();
        Status saved;
        IMR_RETURN_IF_ERROR(index.load(*store, &saved));
        if (!saved.ok())
          std::cerr << "imr stats: warning: the statistics index was not saved: " << saved.message() << "\n";
        return index.stats(group, filters);
      }();
      if (!st.ok()) {
        std::cerr << "imr stats: " << st.status().message() << "\n";
        return exit_code(st.status());
      }
      if (json) {
        nlohmann::ordered_json out;
        out["letters"] = st->letters;
        out["items"] = st->items;
        out["upheld"] = st->upheld;
        out["overturned"] = st->overturned;
        out["groups"] = nlohmann::ordered_json::array();
        for (const auto& g : st->groups)
          out["groups"].push_back({{"key", g.key}, {"items", g.items}, {"upheld", g.upheld}, {"overturned", g.overturned}});
        std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
      } else if (csv) {
        std::cout << "key,items,upheld,overturned,overturned_rate\r\n";
        for (const auto& g : st->groups) {
          char rate[16];
          std::snprintf(rate, sizeof rate, "%.4f", g.items > 0 ? double(g.overturned) / g.items : 0.0);
          std::cout << corpus::csv_field(g.key) << "," << g.items << "," << g.upheld << "," << g.overturned << ","
                    << rate << "\r\n";
        }
      } else {
        std::cout << st->letters << " letters, " << st->items << " items: " << st->upheld << " upheld, "
                  << st->overturned << " overturned (" << percent(st->overturned, st->items) << ")\n";
        if (!st->groups.empty()) {
          std::size_t width = by.size();
          for (const auto& g : st->groups) width = std::max(width, g.key.size());
          std::printf("\n%-*s %9s %9s %11s %11s\n", static_cast<int>(width), by.c_str(), "items", "upheld",
                      "overturned", "overturned%");
          for (const auto& g : st->groups)
            std::printf("%-*s %9lld %9lld %11lld %11s\n", static_cast<int>(width), g.key.c_str(),
                        static_cast<long long>(g.items), static_cast<long long>(g.upheld),
                        static_cast<long long>(g.overturned), percent(g.overturned, g.items).c_str());
        }
      }
      return 0;
    };
  });
}

}  // namespace imr::cli

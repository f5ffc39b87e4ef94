// imr reviewer add|list|show: the reviewer registry. Output never carries a reviewer's name,
// except `show --internal` (the organisation's own use).
#include <nlohmann/json.hpp>

#include "casework_flags.h"

namespace imr::cli {

void add_reviewer(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("reviewer", "The expert reviewer registry");
  cmd->require_subcommand(1);
  static CaseworkFlags flags;
  static std::string input;
  static std::int64_t id = 0;
  static bool internal = false;

  auto* add = cmd->add_subcommand("add", "Register a reviewer (JSON from FILE or stdin); prints the record without the name");
  add_casework_flags(add, flags, true);
  add->add_option("input", input, "Reviewer JSON file, or - for stdin (default)");
  add->callback([&action] {
    action = [] {
      auto actor = actor_of(flags);
      if (!actor.ok()) return fail("reviewer add", actor.status());
      auto text = read_input(input);
      if (!text.ok()) return fail("reviewer add", text.status());
      auto reg = casework::reviewer_from_json(*text);
      if (!reg.ok()) return fail("reviewer add", reg.status());
      auto book = open_casebook(flags);
      if (!book.ok()) return fail("reviewer add", book.status());
      auto r = (*book)->add_reviewer(*reg, *actor);
      if (!r.ok()) return fail("reviewer add", r.status());
      std::cout << casework::to_json(*r, true) << "\n";
      return 0;
    };
  });

  auto* list = cmd->add_subcommand("list", "Every reviewer as JSON lines (credentials, capacity, load; no names)");
  add_casework_flags(list, flags, false);
  list->callback([&action] {
    action = [] {
      auto book = open_casebook(flags);
      if (!book.ok()) return fail("reviewer list", book.status());
      auto all = (*book)->reviewers();
      if (!all.ok()) return fail("reviewer list", all.status());
      for (const auto& r : *all) std::cout << casework::to_json(r, true) << "\n";
      return 0;
    };
  });

  auto* show = cmd->add_subcommand("show", "One reviewer as JSON");
  add_casework_flags(show, flags, false);
  show->add_option("id", id, "Reviewer id")->required();
  show->add_flag("--internal", internal, "Include the name (organisation-internal use only)");
  show->callback([&action] {
    action = [] {
      auto book = open_casebook(flags);
      if (!book.ok()) return fail("reviewer show", book.status());
      auto r = (*book)->reviewer(id);
      if (!r.ok()) return fail("reviewer show", r.status());
      if (!internal) {
        std::cout << casework::to_json(*r, true) << "\n";
        return 0;
      }
      auto name = (*book)->reviewer_name(id);
      if (!name.ok()) return fail("reviewer show", name.status());
      auto j = nlohmann::ordered_json::parse(casework::to_json(*r, true));
      j["name"] = *name;
      std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
      return 0;
    };
  });
}

}  // namespace imr::cli

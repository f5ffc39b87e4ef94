// imr token create --role R --name N [--subject ID] [--db URL]: creates an API token and prints
// it once (only its SHA-256 is stored; a lost token is revoked and replaced, never recovered).
#include <cstdlib>
#include <iostream>

#include "corpus_flags.h"
#include "imr/server/server.h"

namespace imr::cli {

void add_token(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("token", "API tokens for imr serve");
  cmd->require_subcommand(1);
  auto* create = cmd->add_subcommand("create", "Create a token and print it once");
  static CorpusFlags flags;
  static std::string role, name, subject;
  add_db_flag(create, flags);
  create->add_option("--role", role, "intake, reviewer or admin")->required()->check(CLI::IsMember({"intake", "reviewer", "admin"}));
  create->add_option("--name", name, "Who holds the token (shown in the audit log)")->required();
  create->add_option("--subject", subject, "The casework identity the token acts as (a reviewer's id)");
  create->callback([&action] {
    action = [] {
      const char* user = std::getenv("USER");
      std::string actor = std::string("cli:") + (user && *user ? user : "unknown");
      auto t = server::create_token(corpus::resolve_db_url(flags.db), *server::parse_role(role), name, actor,
                                    subject.empty() ? std::nullopt : std::optional<std::string>(subject));
      if (!t.ok()) {
        std::cerr << "imr token create: " << t.status().message() << "\n";
        return exit_code(t.status());
      }
      std::cerr << "imr token create: token " << t->id << " for " << t->name << " (" << server::to_string(t->role)
                << "); it is shown only now\n";
      std::cout << t->token << "\n";
      return 0;
    };
  });
}

}  // namespace imr::cli

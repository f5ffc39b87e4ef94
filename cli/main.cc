// imr: the command-line interface. main only wires verbs; each verb lives in cli/<verb>.cc.
#include <CLI/CLI.hpp>
#include <iostream>

#include "verbs.h"

int main(int argc, char** argv) {
  CLI::App app{"imr — California workers' compensation Independent Medical Review"};
  app.require_subcommand(1);
  imr::cli::Action action;
  imr::cli::add_parse(app, action);
  imr::cli::add_render(app, action);
  imr::cli::add_synth(app, action);
  imr::cli::add_ingest(app, action);
  imr::cli::add_search(app, action);
  imr::cli::add_stats(app, action);
  imr::cli::add_export(app, action);
  imr::cli::add_case(app, action);
  imr::cli::add_cases(app, action);
  imr::cli::add_reviewer(app, action);
  imr::cli::add_simulate(app, action);
  imr::cli::add_serve(app, action);
  imr::cli::add_token(app, action);
  imr::cli::add_case_from_letter(app, action);
  imr::cli::add_train(app, action);
  imr::cli::add_eval(app, action);
  imr::cli::add_review(app, action);
  imr::cli::add_audit(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // usage errors are exit status 2 everywhere
  }
  return action ? action() : 2;
}

// imr serve [--db URL] [--port 8080] [--host 127.0.0.1] [--threads N] [--cache-mb N] [--model FILE]
// [--web DIR]: the HTTP API and web UI. Prints the URL once listening; stops cleanly on SIGINT/SIGTERM.
#include <csignal>
#include <iostream>
#include <thread>

#include "corpus_flags.h"
#include "imr/server/server.h"

namespace imr::cli {

void add_serve(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP/JSON API and the web UI over the corpus");
  static CorpusFlags flags;
  static server::ServerOptions opts;
  add_db_flag(cmd, flags);
  cmd->add_option("--port", opts.port, "TCP port (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--host", opts.host, "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)");
  cmd->add_option("--threads", opts.threads, "Worker threads, each serving one client connection at a time (default 64)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--db-connections", opts.db_connections, "Database connections at most (default: 2 x cores)")
      ->check(CLI::Range(0, 1024));
  static std::size_t cache_mb = opts.cache_bytes >> 20;
  cmd->add_option("--cache-mb", cache_mb,
                  "MiB of search and statistics answers kept for repeated questions, each valid until the "
                  "corpus changes (default 64; 0 turns the cache off)")
      ->check(CLI::Range(0, 65536));
  cmd->add_option("--model", opts.model_path,
                  "Outcome model from `imr train` for the review routes (default: the guideline rule's estimate)");
  cmd->add_option("--web", opts.web_dir, "Directory of the web UI (default: $IMR_WEB_DIR, else web/ beside the data directory)");
  cmd->callback([&action] {
    action = [] {
      opts.db_url = corpus::resolve_db_url(flags.db);
      opts.cache_bytes = cache_mb << 20;
      // Signals are taken by a waiting thread (sigwait), which stops the server from outside
      // any handler's constraints. Blocked before any thread starts so every thread inherits it.
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGINT);
      sigaddset(&set, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &set, nullptr);
      auto srv = server::Server::start(opts);
      if (!srv.ok()) {
        std::cerr << "imr serve: " << srv.status().message() << "\n";
        return exit_code(srv.status());
      }
      server::Server* s = srv->get();
      std::thread waiter([set, s] {
        int sig = 0;
        sigwait(&set, &sig);
        s->stop();
      });
      waiter.detach();
      std::cout << "imr serve: listening on " << s->url() << std::endl;
      Status st = s->run();
      if (!st.ok()) {
        std::cerr << "imr serve: " << st.message() << "\n";
        return exit_code(st);
      }
      std::cerr << "imr serve: stopped\n";
      return 0;
    };
  });
}

}  // namespace imr::cli

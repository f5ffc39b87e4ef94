// What every handler may read about the running server. Internal to server/.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "imr/corpus/stats_index.h"
#include "imr/review/model.h"
#include "imr/server/server.h"
#include "generation.h"
#include "pool.h"
#include "response_cache.h"

namespace imr::server::internal {

struct ServerContext {
  explicit ServerContext(const ServerOptions& o)
      : options(o), pool(o.db_url, o.db_connections), answers(o.cache_bytes), generation(pool, GenerationClockOptions{}) {}
  ServerOptions options;
  mutable ConnectionPool pool;  // thread-safe
  // Search and statistics answers, by role class and request (corpus_api.cc).
  mutable ResponseCache answers;
  // The store generation the answers are checked against, read every 200 ms in the background
  // while requests come: an answer outlives a change by another process by about that long.
  mutable GenerationClock generation;
  // Statistics with filters the store's rollup cannot answer, from memory (stats_index.h);
  // loaded in the background at start and brought up to the store's generation on use.
  mutable corpus::StatsIndex stats_index;
  // The trained outcome model for the review routes (ServerOptions::model_path), if any.
  std::optional<review::OutcomeModel> model;
  std::string web_dir;  // resolved; empty when the UI is not served

  // Per letter key, the name words the public must not see in search snippets (redact.h
  // name_words). Letters are immutable once stored, so entries never go stale; the map is
  // dropped whole when it grows past a bound.
  mutable std::mutex names_mu;
  mutable std::unordered_map<std::string, std::vector<std::string>> names;
};

}  // namespace imr::server::internal

// Review routes: a case file in, the engine's review (facts, criteria, precedents, probability,
// draft rationale) or the draft Final Determination Letter out. Reviewers and admins only.
#include <memory>
#include <mutex>

#include "call.h"
#include "imr/letter/json.h"
#include "imr/letter/writer.h"
#include "imr/review/case.h"
#include "imr/review/engine.h"
#include "imr/review/model.h"
#include "server_context.h"

namespace imr::server::internal {
namespace {

// The engine is loaded once, on the first review; the corpus index of precedents is built then
// and again whenever the store has grown since (corpus::Store::generation), so precedents include
// letters ingested while the server runs. Both are immutable once built and shared by every
// thread: a rebuild swaps in a new index while requests still holding the old one finish with it.
// A failed load is retried by the next request.
struct ReviewKit {
  std::mutex mu;
  std::optional<review::Engine> engine;
  std::shared_ptr<const review::CorpusIndex> index;
  std::int64_t index_generation = -1;
};
ReviewKit& kit() {
  static ReviewKit k;
  return k;
}

Result<std::shared_ptr<const review::CorpusIndex>> current_index(Call& c) {
  auto generation = c.conn->store->generation();
  if (!generation.ok()) return generation.status();
  ReviewKit& k = kit();
  std::lock_guard lock(k.mu);
  if (!k.engine) {
    auto e = review::Engine::load();
    if (!e.ok()) return e.status();
    k.engine.emplace(std::move(*e));
  }
  if (k.index && k.index_generation == *generation) return k.index;
  auto idx = review::CorpusIndex::load(*c.conn->store, *k.engine);
  if (!idx.ok()) return idx.status();
  k.index = std::make_shared<const review::CorpusIndex>(std::move(*idx));
  k.index_generation = *generation;
  return k.index;
}

Result<review::CaseReview> review_body(Call& c) {
  if (c.req.body.empty()) return c.field_error("body", "the request body must be a case file (JSON)");
  auto cf = review::case_from_json(c.req.body);
  if (!cf.ok()) {
    // The engine's message starts with the field path ("items[2].request: ...").
    const std::string m = cf.status().message();
    return c.field_error(m.find(':') == std::string::npos ? "body" : m.substr(0, m.find(':')), m);
  }
  auto index = current_index(c);
  if (!index.ok()) return index.status();
  const review::OutcomeModel* model = c.server.model ? &*c.server.model : nullptr;
  return kit().engine->review(*cf, index->get(), model);
}

}  // namespace

// POST /api/review: the engine's review of a case file (review::review_to_json).
Status post_review(Call& c) {
  auto r = review_body(c);
  if (!r.ok()) return r.status();
  c.reply(Json::parse(review::review_to_json(*r)));
  return {};
}

// POST /api/review/letter: the draft letter (record and rendered text) for a case file.
Status post_review_letter(Call& c) {
  auto r = review_body(c);
  if (!r.ok()) return r.status();
  letter::Letter l = review::review_to_letter(*r);
  c.reply({{"record", Json::parse(letter::to_json_line(l))}, {"text", letter::render_letter(l)}});
  return {};
}

}  // namespace imr::server::internal

// Corpus routes: search, statistics, letters and their items, export. Public callers get the
// redacted letter (redact.h) everywhere a letter's content leaves the server.
#include <cctype>
#include <streambuf>

#include "call.h"
#include "imr/base/files.h"
#include "imr/base/text.h"
#include "imr/corpus/export.h"
#include "imr/letter/document.h"
#include "imr/letter/json.h"
#include "imr/letter/writer.h"
#include "redact.h"
#include "server_context.h"

namespace imr::server::internal {
namespace {

bool is_iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int k : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
  int month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Reads the filter parameters shared by search and stats, naming the field that is wrong.
Result<corpus::Filters> read_filters(Call& c) {
  corpus::Filters f;
  if (auto d = c.query("decision")) {
    f.decision = letter::parse_decision(*d);
    if (!f.decision) return c.field_error("decision", "decision must be 'upheld' or 'overturned', not '" + *d + "'");
  }
  for (auto [name, slot] : {std::pair{"category", &f.category}, {"guideline", &f.guideline}, {"specialty", &f.specialty}})
    if (auto v = c.query(name)) {
      if (v->size() > 200) return c.field_error(name, std::string(name) + " must be at most 200 characters");
      *slot = *v;
    }
  for (auto [name, slot] : {std::pair{"from", &f.from}, {"to", &f.to}})
    if (auto v = c.query(name)) {
      if (!is_iso_date(*v)) return c.field_error(name, std::string(name) + " must be a date YYYY-MM-DD, not '" + *v + "'");
      *slot = *v;
    }
  return f;
}

// The key of a cacheable GET: who may see what (public callers get redacted answers), the path
// and every query parameter, in the order httplib keeps them (sorted by name).
std::string answer_key(const Call& c, bool redacted) {
  std::string key = std::string(redacted ? "public " : "staff ") + c.req.path;
  for (const auto& [name, value] : c.req.params) {
    key += '\x1f';
    key += name;
    key += '=';
    key += value;
  }
  return key;
}

// A claim on computing an answer (ResponseCache::get_or_claim), given up if the handler fails
// before storing the answer.
struct AnswerClaim {
  ResponseCache& cache;
  std::string key;
  std::int64_t generation = 0;
  bool claimed = false;
  bool served = false;  // a cached answer was sent: nothing to compute
  ~AnswerClaim() {
    if (claimed) cache.release(key);
  }
  void store(const std::string& body) {
    cache.put(key, generation, body);
    claimed = false;
  }
};

// Serves a cached answer when the store has not changed since it was computed (claim.served);
// otherwise the caller computes the answer and gives it to claim.store.
Status reply_from_cache(Call& c, AnswerClaim& claim) {
  auto generation = c.server.generation.now();
  if (!generation.ok()) return generation.status();
  claim.generation = *generation;
  if (auto body = claim.cache.get_or_claim(claim.key, *generation, claim.claimed)) {
    c.res.status = 200;
    c.res.set_header("X-Imr-Cache", "hit");
    c.res.set_content(std::move(*body), "application/json");
    claim.served = true;
    return {};
  }
  c.res.set_header("X-Imr-Cache", "miss");
  return {};
}

Result<int> read_int(Call& c, const char* name, int fallback, int lo, int hi) {
  auto v = c.query(name);
  if (!v) return fallback;
  int n = 0;
  bool digits = !v->empty() && v->size() <= 9;
  for (char ch : *v) digits = digits && std::isdigit(static_cast<unsigned char>(ch));
  if (digits) n = std::stoi(*v);
  if (!digits || n < lo || n > hi)
    return c.field_error(name, std::string(name) + " must be a whole number from " + std::to_string(lo) + " to " +
                                   std::to_string(hi) + ", not '" + *v + "'");
  return n;
}

bool is_public(const Call& c) { return c.who.role == Role::kPublic; }

Json opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

// The normalised fields of item k, which the record itself does not carry.
Json item_fields(const corpus::StoredLetter& l, std::size_t k) {
  Json j;
  j["index"] = k;
  if (k < l.items.size()) {
    const auto& n = l.items[k].normalized;
    j["category"] = n.category;
    j["subcategory"] = n.subcategory;
    j["body_region"] = n.body_region;
    Json g = Json::array();
    for (const auto& cite : l.items[k].reviewer_catalog)
      if (std::find(g.begin(), g.end(), Json(cite.key)) == g.end()) g.push_back(cite.key);
    j["guidelines"] = std::move(g);
  }
  return j;
}

// The letter's text: the source document when staff ask and it is still readable, else the
// record rendered in the 2016 layout. The public always gets the rendering of the redacted
// record: the original text holds the reviewer block, and masking it in arbitrary layouts is not
// something to trust.
std::pair<std::string, const char*> letter_text(const letter::Letter& shown, bool redacted) {
  if (!redacted && !shown.source.empty()) {
    auto bytes = files::read_file(shown.source, 8u << 20);
    if (bytes.ok()) {
      if (text::ends_with_icase(shown.source, ".pdf")) {
        auto doc = letter::document_from_pdf(*bytes, shown.source);
        if (doc.ok()) {
          std::string out;
          for (const auto& line : doc->lines) out += (line.blank_before && !out.empty() ? "\n" : "") + line.text + "\n";
          return {out, "source"};
        }
      } else if (text::valid_utf8(*bytes)) {
        return {*bytes, "source"};
      } else {
        return {text::sanitize_utf8(*bytes), "source"};
      }
    }
  }
  return {letter::render_letter(shown), "rendered"};
}

Result<corpus::StoredLetter> load_letter(Call& c) {
  const std::string& key = c.path_params.at(0);
  if (key.size() > 200) return c.field_error("key", "letter key must be at most 200 characters");
  return c.conn->store->get_letter(key);
}

// The name words of a letter for masking public snippets, cached (see ServerContext::names).
Result<std::vector<std::string>> public_name_words(Call& c, const std::string& key) {
  {
    std::lock_guard lock(c.server.names_mu);
    auto it = c.server.names.find(key);
    if (it != c.server.names.end()) return it->second;
  }
  auto l = c.conn->store->get_letter(key);
  if (!l.ok()) return l.status();
  std::vector<std::string> words = name_words(l->letter);
  std::lock_guard lock(c.server.names_mu);
  if (c.server.names.size() > 50000) c.server.names.clear();
  c.server.names.emplace(key, words);
  return words;
}

}  // namespace

Status get_search(Call& c) {
  corpus::SearchQuery q;
  auto text = c.query("q");
  if (!text) return c.field_error("q", "q (the words to search for) is required");
  if (text->size() > 500) return c.field_error("q", "q must be at most 500 characters");
  bool has_word = false;
  for (char ch : *text) has_word = has_word || std::isalnum(static_cast<unsigned char>(ch)) || (ch & 0x80);
  if (!has_word) return c.field_error("q", "q must contain at least one word");
  q.text = *text;
  auto f = read_filters(c);
  if (!f.ok()) return f.status();
  q.filters = *f;
  auto limit = read_int(c, "limit", 20, 1, 100);
  if (!limit.ok()) return limit.status();
  q.limit = *limit;
  AnswerClaim claim{c.server.answers, answer_key(c, is_public(c))};
  IMR_RETURN_IF_ERROR(reply_from_cache(c, claim));
  if (claim.served) return {};
  auto hits = c.conn->store->search(q);
  if (!hits.ok()) return hits.status();
  Json out;
  out["hits"] = Json::array();
  for (const auto& h : *hits) {
    std::vector<std::string> names;
    if (is_public(c)) {
      auto got = public_name_words(c, h.letter_key);
      if (!got.ok()) return got.status();
      names = std::move(*got);
    }
    Json j;
    j["letter_key"] = h.letter_key;
    j["case_number"] = opt(h.case_number);
    j["item"] = h.item;
    j["request"] = is_public(c) ? redact_fragment(h.request, names) : h.request;
    j["decision"] = letter::to_string(h.decision);
    j["category"] = h.category;
    j["score"] = h.score;
    j["snippet"] = is_public(c) ? redact_fragment(h.snippet, names) : h.snippet;
    out["hits"].push_back(std::move(j));
  }
  c.reply(out);
  claim.store(c.res.body);
  return {};
}

Status get_stats(Call& c) {
  corpus::GroupBy by = corpus::GroupBy::kNone;
  if (auto b = c.query("by"); b && *b != "none") {
    auto g = corpus::parse_group_by(*b);
    if (!g)
      return c.field_error("by", "by must be one of category, subcategory, body-region, guideline, specialty, month, "
                                 "decision, none; not '" + *b + "'");
    by = *g;
  }
  auto f = read_filters(c);
  if (!f.ok()) return f.status();
  // Statistics carry no names: one answer for everyone.
  AnswerClaim claim{c.server.answers, answer_key(c, false)};
  IMR_RETURN_IF_ERROR(reply_from_cache(c, claim));
  if (claim.served) return {};
  // The store answers unfiltered statistics, or those filtered by decision alone, from its
  // rollup at once; any other filter makes it scan, so those come from the in-memory index,
  // brought up to the generation this answer is for.
  Result<corpus::Stats> st = internal_error("statistics not computed");
  if (!corpus::answered_from_rollup(*f)) {
    if (c.server.stats_index.loaded_through() < claim.generation) {
      // The start-up load may be under way (a minute at a million letters): wait for it without
      // holding a database connection other requests need, then load what it did not.
      c.conn.release();
      c.server.stats_index.wait_for_refresh();
      if (c.server.stats_index.loaded_through() < claim.generation)
        IMR_RETURN_IF_ERROR(c.server.stats_index.refresh(*c.conn->store));
    }
    st = c.server.stats_index.stats(by, *f);
  } else {
    st = c.conn->store->stats(by, *f);
  }
  if (!st.ok()) return st.status();
  Json out;
  out["by"] = c.query("by").value_or("none");
  out["letters"] = st->letters;
  out["items"] = st->items;
  out["upheld"] = st->upheld;
  out["overturned"] = st->overturned;
  out["groups"] = Json::array();
  for (const auto& g : st->groups)
    out["groups"].push_back({{"key", g.key}, {"items", g.items}, {"upheld", g.upheld}, {"overturned", g.overturned}});
  c.reply(out);
  claim.store(c.res.body);
  return {};
}

Status get_letter(Call& c) {
  auto l = load_letter(c);
  if (!l.ok()) return l.status();
  bool redacted = is_public(c);
  letter::Letter shown = redacted ? redact_letter(l->letter) : l->letter;
  Json out;
  out["key"] = l->key;
  out["id"] = l->id;
  out["redacted"] = redacted;
  out["record"] = Json::parse(letter::to_json_line(shown));
  out["items"] = Json::array();
  for (std::size_t k = 0; k < l->letter.items.size(); ++k) out["items"].push_back(item_fields(*l, k));
  auto [text, origin] = letter_text(shown, redacted);
  out["text"] = std::move(text);
  out["text_origin"] = origin;
  c.reply(out);
  return {};
}

Status get_letter_item(Call& c) {
  const std::string& index = c.path_params.at(1);
  bool digits = !index.empty() && index.size() <= 6;
  for (char ch : index) digits = digits && std::isdigit(static_cast<unsigned char>(ch));
  if (!digits) return c.field_error("i", "item index must be a whole number from 0, not '" + index + "'");
  auto l = load_letter(c);
  if (!l.ok()) return l.status();
  std::size_t k = std::stoul(index);
  if (k >= l->letter.items.size())
    return Status(Code::kNotFound, "letter " + l->key + " has " + std::to_string(l->letter.items.size()) +
                                       " items; item " + index + " does not exist");
  bool redacted = is_public(c);
  letter::Letter shown = redacted ? redact_letter(l->letter) : l->letter;
  Json record = Json::parse(letter::to_json_line(shown));
  Json out;
  out["key"] = l->key;
  out["case_number"] = opt(shown.case_number);
  out["decision_date"] = opt(shown.decision_date);
  out["redacted"] = redacted;
  out["item"] = record["items"][k];
  out["normalized"] = item_fields(*l, k);
  c.reply(out);
  return {};
}

namespace {

// Buffers the export and hands it to httplib's chunk writer; reports a closed connection.
class SinkBuf : public std::streambuf {
 public:
  explicit SinkBuf(httplib::DataSink& sink) : sink_(sink) { setp(buf_, buf_ + sizeof buf_); }
  bool ok() const { return ok_; }
  int sync() override { return flush() ? 0 : -1; }

 protected:
  int_type overflow(int_type ch) override {
    if (!flush()) return traits_type::eof();
    if (ch != traits_type::eof()) {
      *pptr() = static_cast<char>(ch);
      pbump(1);
    }
    return ch == traits_type::eof() ? 0 : ch;
  }

 private:
  bool flush() {
    std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    if (n > 0 && ok_) ok_ = sink_.is_writable() && sink_.write(pbase(), n);
    setp(buf_, buf_ + sizeof buf_);
    return ok_;
  }
  httplib::DataSink& sink_;
  char buf_[64 * 1024];
  bool ok_ = true;
};

}  // namespace

Status get_export(Call& c) {
  std::string word = c.query("format").value_or("csv");
  auto format = corpus::parse_export_format(word);
  if (!format) return c.field_error("format", "format must be 'csv' or 'jsonl', not '" + word + "'");
  // The connection stays borrowed until the stream ends; httplib calls the provider on this
  // worker thread after the handler returns.
  std::shared_ptr<Connection> conn = c.conn.share();
  corpus::ExportFormat fmt = *format;
  c.res.set_header("Content-Disposition", std::string("attachment; filename=\"imr-export.") + word + "\"");
  c.res.set_chunked_content_provider(
      fmt == corpus::ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson",
      [conn, fmt](std::size_t, httplib::DataSink& sink) {
        SinkBuf buf(sink);
        std::ostream out(&buf);
        Status s = corpus::export_corpus(*conn->store, fmt, out);
        out.flush();
        if (!s.ok() || !buf.ok()) return false;  // the client sees a truncated chunked stream
        sink.done();
        return true;
      });
  return {};
}

}  // namespace imr::server::internal

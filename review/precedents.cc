// Precedent index: buckets by treatment and subcategory, tf-idf cosine over request terms.
#include "imr/review/precedents.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <re2/re2.h>
#include <unordered_set>

#include "imr/base/text.h"
#include "imr/review/engine.h"
#include "parallel.h"

namespace imr::review {

namespace {

std::uint32_t fnv1a(std::string_view s, std::uint32_t h = 2166136261u) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// The rationale's sentences that apply the guideline to the case: reviewers first quote the
// guideline, then say what the records show; the latter are the reasons.
std::vector<std::string> rationale_reasons(const std::string& rationale) {
  static const RE2 cue(
      R"((?i)\b(?:in this case|this (?:patient|worker|claimant)|the (?:injured worker|patient|claimant|employee)|documentation|records?|there (?:is|was|are|were) no|no (?:evidence|indication)|lack of|exceed|red flags?|functional improvement|failed|not recommended)\b)");
  std::vector<std::string> out;
  std::size_t start = 0;
  const std::string& t = rationale;
  for (std::size_t i = 0; i <= t.size() && out.size() < 3; ++i) {
    bool end = i == t.size() || (t[i] == '.' && (i + 1 == t.size() || t[i + 1] == ' '));
    if (!end) continue;
    std::string s(text::trim(std::string_view(t).substr(start, i - start)));
    start = i + 1;
    if (s.size() < 20) continue;
    if (RE2::PartialMatch(s, cue) && !text::starts_with_icase(s, "therefore") && !text::starts_with_icase(s, "given") &&
        s.find("medically necessary") == std::string::npos) {
      if (s.size() > 240) s = s.substr(0, 237) + "...";
      out.push_back(s + ".");
    }
  }
  return out;
}

}  // namespace

std::vector<std::uint32_t> hashed_terms(const std::string& text, bool bigrams) {
  std::vector<std::uint32_t> out;
  std::string word, prev;
  auto flush = [&] {
    if (word.empty()) return;
    out.push_back(fnv1a(word));
    if (bigrams && !prev.empty()) out.push_back(fnv1a(word, fnv1a(" ", fnv1a(prev))));
    prev = std::move(word);
    word.clear();
  };
  for (unsigned char c : text) {
    if (std::isalnum(c)) word.push_back(static_cast<char>(std::tolower(c)));
    else flush();
  }
  flush();
  return out;
}

std::vector<std::pair<std::uint32_t, float>> CorpusIndex::vectorize(const std::string& text) const {
  std::map<std::uint32_t, float> tf;
  for (auto h : hashed_terms(text, true)) tf[h] += 1;
  std::vector<std::pair<std::uint32_t, float>> v;
  double norm = 0;
  for (auto& [h, n] : tf) {
    auto it = idf_.find(h);
    float w = n * (it == idf_.end() ? 3.0f : it->second);
    v.emplace_back(h, w);
    norm += static_cast<double>(w) * w;
  }
  norm = std::sqrt(norm);
  if (norm > 0)
    for (auto& p : v) p.second = static_cast<float>(p.second / norm);
  return v;
}

std::string request_signature(const std::string& request) {
  std::vector<std::string> words;
  std::string w;
  auto flush = [&] {
    // Words of letters only: doses, quantities and units ("10/325mg", "#60", "x6") are dropped.
    bool alpha = w.size() >= 2;
    for (char ch : w) alpha = alpha && std::isalpha(static_cast<unsigned char>(ch));
    if (alpha && w != "mg" && w != "mcg" && w != "ml") words.push_back(w);
    w.clear();
  };
  for (unsigned char ch : request) {
    if (std::isalnum(ch)) w.push_back(static_cast<char>(std::tolower(ch)));
    else flush();
  }
  flush();
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::string out;
  for (const auto& x : words) out += (out.empty() ? "" : " ") + x;
  return out;
}

namespace {

std::string treatment_key(const std::string& treatment_id, const std::string& subcategory) {
  return treatment_id.empty() ? "s:" + subcategory : "t:" + treatment_id;
}

}  // namespace

int CorpusIndex::stat_fold(std::int64_t letter_id) {
  return static_cast<int>((static_cast<std::uint64_t>(letter_id) * 0x9E3779B97F4A7C15ull >> 32) % kStatFolds);
}

CorpusIndex CorpusIndex::build(const std::vector<corpus::StoredLetter>& letters, const Engine& engine) {
  CorpusIndex ix;
  // Items classified in parallel (the knowledge-base match and the rationale's reasons are RE2
  // work), each into its own slot; everything order-dependent happens after, in letter order.
  std::vector<std::size_t> first(letters.size() + 1, 0);
  for (std::size_t l = 0; l < letters.size(); ++l) first[l + 1] = first[l] + letters[l].letter.items.size();
  ix.items_.resize(first.back());
  std::vector<std::string> signature(first.back());
  parallel_for(letters.size(), 0, [&](std::size_t l) {
    const auto& sl = letters[l];
    for (std::size_t i = 0; i < sl.letter.items.size(); ++i) {
      const auto& it = sl.letter.items[i];
      auto ci = std::make_unique<CorpusItem>();
      ci->letter_id = sl.id;
      ci->letter_key = sl.key;
      ci->item = static_cast<int>(i);
      ci->request = it.request;
      ci->decision = it.decision;
      corpus::NormalizedItem n = i < sl.items.size() ? sl.items[i].normalized : engine.normalize(it.request);
      ci->subcategory = n.subcategory;
      ci->body_region = n.body_region;
      ci->treatment_id = engine.treatment_id(it.request, n);
      if (i < sl.items.size() && !sl.items[i].reviewer_catalog.empty()) {
        ci->cited_key = sl.items[i].reviewer_catalog.front().key;
        const auto& cat = sl.items[i].reviewer_catalog.front();
        ci->cited_name = cat.source == "MTUS" || cat.source == "ODG" || cat.source == "ACOEM"
                             ? cat.source + " " + cat.guideline
                             : cat.guideline;
        if (cat.topic) ci->cited_name += ", " + *cat.topic;
      }
      if (it.rationale) ci->reasons = rationale_reasons(*it.rationale);
      signature[first[l] + i] = request_signature(it.request);
      ix.items_[first[l] + i] = std::move(ci);
    }
  });
  std::unordered_map<std::uint32_t, int> df;
  std::size_t upheld = 0;
  for (std::size_t k = 0; k < ix.items_.size(); ++k) {
    const CorpusItem& ci = *ix.items_[k];
    const bool over = ci.decision == letter::Decision::kOverturned;
    upheld += !over;
    std::unordered_set<std::uint32_t> seen;
    for (auto h : hashed_terms(ci.request, true))
      if (seen.insert(h).second) ++df[h];
    const int fold = stat_fold(ci.letter_id);
    const std::string t = treatment_key(ci.treatment_id, ci.subcategory);
    for (const std::string& key : {std::string(), t, "r:" + t + "|" + ci.body_region, "q:" + t + "|" + signature[k]}) {
      Counts& c = ix.counts_[key];
      ++c.n[fold];
      c.over[fold] += over;
    }
  }
  const double n = std::max<std::size_t>(ix.items_.size(), 1);
  for (auto& [h, d] : df) ix.idf_[h] = static_cast<float>(std::log((n + 1) / (d + 1)) + 1);
  if (!ix.items_.empty()) ix.prior_ = static_cast<double>(upheld) / ix.items_.size();
  parallel_for(ix.items_.size(), 0, [&](std::size_t k) { ix.items_[k]->terms = ix.vectorize(ix.items_[k]->request); });
  for (const auto& ci : ix.items_) {
    if (!ci->treatment_id.empty()) ix.by_bucket_["t:" + ci->treatment_id].push_back(ci.get());
    ix.by_bucket_["s:" + ci->subcategory].push_back(ci.get());
  }
  return ix;
}

PrecedentStats CorpusIndex::stats(const std::string& treatment_id, const std::string& subcategory,
                                  const std::string& body_region, const std::string& request, int exclude_fold) const {
  auto count = [&](const std::string& key, int& n) -> int {
    n = 0;
    auto it = counts_.find(key);
    if (it == counts_.end()) return 0;
    int over = 0;
    for (int f = 0; f < kStatFolds; ++f)
      if (f != exclude_fold) n += it->second.n[f], over += it->second.over[f];
    return over;
  };
  auto smooth = [](int over, int n, double parent) { return (over + kPrecedentPrior * parent) / (n + kPrecedentPrior); };
  PrecedentStats s;
  int all = 0;
  const int all_over = count("", all);
  // The corpus rate itself smoothed toward the share IMR overturns (about 12%, imr-domain.md §5).
  s.corpus_rate = (all_over + 20 * 0.12) / (all + 20.0);
  const std::string t = treatment_key(treatment_id, subcategory);
  int o = count(t, s.treatment_n);
  s.treatment_rate = smooth(o, s.treatment_n, s.corpus_rate);
  o = count("r:" + t + "|" + body_region, s.region_n);
  s.region_rate = smooth(o, s.region_n, s.treatment_rate);
  o = count("q:" + t + "|" + request_signature(request), s.request_n);
  s.request_rate = smooth(o, s.request_n, s.region_rate);
  return s;
}

Result<CorpusIndex> CorpusIndex::load(corpus::Store& store, const Engine& engine,
                                      std::vector<corpus::StoredLetter>* letters_out) {
  std::vector<corpus::StoredLetter> letters;
  std::int64_t last = -1;
  Status st = store.export_items([&](const corpus::ExportRow& row) -> Status {
    if (row.letter.id != last) {
      letters.push_back(row.letter);
      last = row.letter.id;
    }
    return {};
  });
  if (!st.ok()) return st;
  CorpusIndex ix = build(letters, engine);
  if (letters_out) *letters_out = std::move(letters);
  return ix;
}

PrecedentSummary CorpusIndex::find(const std::string& request, const std::string& treatment_id,
                                   const std::string& subcategory, const std::string& body_region, int k,
                                   std::int64_t exclude_letter_id) const {
  PrecedentSummary out;
  const std::vector<const CorpusItem*>* bucket = nullptr;
  if (!treatment_id.empty()) {
    auto it = by_bucket_.find("t:" + treatment_id);
    if (it != by_bucket_.end()) bucket = &it->second;
  }
  if (!bucket) {
    auto it = by_bucket_.find("s:" + subcategory);
    if (it != by_bucket_.end()) bucket = &it->second;
  }
  out.uphold_rate = prior_;
  if (!bucket) return out;
  auto q = vectorize(request);
  // Large buckets: the most recently stored items are scanned (bounded latency at millions of items).
  constexpr std::size_t kMaxScan = 20000;
  std::size_t from = bucket->size() > kMaxScan ? bucket->size() - kMaxScan : 0;
  std::vector<Precedent> scored;
  scored.reserve(bucket->size() - from);
  for (std::size_t i = from; i < bucket->size(); ++i) {
    const CorpusItem* ci = (*bucket)[i];
    if (ci->letter_id == exclude_letter_id) continue;
    double dot = 0;
    auto a = q.begin();
    auto b = ci->terms.begin();
    while (a != q.end() && b != ci->terms.end()) {
      if (a->first < b->first) ++a;
      else if (b->first < a->first) ++b;
      else dot += static_cast<double>(a->second) * b->second, ++a, ++b;
    }
    double sim = dot + (ci->body_region == body_region ? 0.2 : 0) +
                 (!treatment_id.empty() && ci->treatment_id == treatment_id ? 0.1 : 0);
    scored.push_back({ci, sim});
  }
  if (scored.empty()) return out;
  std::size_t keep = std::min<std::size_t>(std::max(k, 1), scored.size());
  std::size_t rate_n = std::min<std::size_t>(std::max<std::size_t>(keep, 15), scored.size());
  std::partial_sort(scored.begin(), scored.begin() + rate_n, scored.end(),
                    [](const Precedent& x, const Precedent& y) { return x.similarity > y.similarity; });
  // The rate counts close precedents: those at least 0.5 similar, else the top `k`.
  int close = 0, upheld = 0;
  for (std::size_t i = 0; i < rate_n; ++i) {
    if (i >= keep && scored[i].similarity < 0.5) break;
    ++close;
    upheld += scored[i].item->decision == letter::Decision::kUpheld;
  }
  out.close = close;
  out.upheld = upheld;
  out.uphold_rate = (upheld + 2 * prior_) / (close + 2);
  std::map<std::string, double> votes;
  for (std::size_t i = 0; i < keep; ++i)
    if (!scored[i].item->cited_key.empty()) votes[scored[i].item->cited_key] += 1 + scored[i].similarity;
  double best = 0;
  for (auto& [key, v] : votes)
    if (v > best) best = v, out.cited_key = key;
  out.top.assign(scored.begin(), scored.begin() + keep);
  return out;
}

}  // namespace imr::review

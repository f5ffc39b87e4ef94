// Cases in memory, for simulation and tests: the same contract as the SQL store, no durability.
// Transactions are emulated by a snapshot of what a rollback must restore (cases written and
// reviewers' loads), so a failed operation changes nothing here either.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "case_store.h"
#include "imr/base/text.h"

namespace imr::casework::internal {
namespace {

class MemoryCaseStore final : public CaseStore {
 public:
  Status begin() override {
    in_tx_ = true;
    saved_cases_.clear();
    saved_loads_.clear();
    saved_case_count_ = cases_.size();
    saved_audit_ = audit_.size();
    return {};
  }
  Status commit() override {
    in_tx_ = false;
    return {};
  }
  void rollback() override {
    if (!in_tx_) return;
    for (auto& [id, c] : saved_cases_) {
      unindex(cases_[id - 1]);
      cases_[id - 1] = std::move(c);
      index(cases_[id - 1]);
    }
    for (auto& [id, load] : saved_loads_) reviewers_[id - 1].active_cases = load;
    while (cases_.size() > saved_case_count_) unindex(cases_.back()), forget(cases_.back()), cases_.pop_back();
    audit_.resize(saved_audit_);
    in_tx_ = false;
  }

  Result<CaseRecord> load(const std::string& ref, bool) override {
    std::string r(text::trim(ref));
    const CaseRecord* found = nullptr;
    if (r.rfind("claim:", 0) == 0) {
      auto it = by_claim_.find(r.substr(6));
      if (it != by_claim_.end()) found = &cases_[it->second - 1];
    } else if (!r.empty() && r.size() < 18 && std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::int64_t id = std::stoll(r);
      if (id >= 1 && id <= static_cast<std::int64_t>(cases_.size())) found = &cases_[id - 1];
    } else {
      std::string upper = r;
      for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      auto it = by_number_.find(upper);
      if (it != by_number_.end()) found = &cases_[it->second - 1];
    }
    if (!found) return not_found("no case " + r);
    return *found;
  }

  Status insert(CaseRecord& c) override {
    c.id = static_cast<std::int64_t>(cases_.size()) + 1;
    c.case_number = case_number_for(c);
    cases_.push_back(c);
    index(c);
    by_number_[c.case_number] = c.id;
    by_claim_.emplace(c.application.claim_number, c.id);
    duplicates_.emplace(duplicate_key(c.application), c.id);
    std::string w = worker_key(c.application);
    for (const auto& t : treatment_keys(c.application)) treatments_[w + "\x1f" + t].push_back(c.id);
    return {};
  }

  Status update(const CaseRecord& c, std::int64_t expected_revision) override {
    if (c.id < 1 || c.id > static_cast<std::int64_t>(cases_.size())) return not_found("no case " + c.case_number);
    CaseRecord& stored = cases_[c.id - 1];
    if (stored.revision != expected_revision) return conflict("case " + c.case_number + " was changed meanwhile");
    if (in_tx_) saved_cases_.emplace(c.id, stored);
    unindex(stored);
    stored = c;
    index(stored);
    return {};
  }

  Status append_audit(std::int64_t case_id, const AuditEntry& e) override {
    audit_.push_back({case_id, e.at, intern(e.actor), intern(e.event), intern(e.from_state), intern(e.to_state), e.detail});
    return {};
  }

  Result<std::vector<AuditEntry>> audit(std::int64_t case_id) override {
    std::vector<AuditEntry> out;
    for (std::size_t k = 0; k < audit_.size(); ++k) {
      const Audit& a = audit_[k];
      if (a.case_id != case_id) continue;
      out.push_back({static_cast<std::int64_t>(k + 1), cases_[a.case_id - 1].case_number, a.at, words_[a.actor],
                     words_[a.event], words_[a.from], words_[a.to], a.detail});
    }
    return out;
  }

  Result<std::vector<CaseRecord>> query(const CaseQuery& q) override {
    std::vector<CaseRecord> out;
    for (const auto& c : cases_) {
      if (q.state && c.state != *q.state) continue;
      if (q.due_by) {
        auto due = c.next_due();
        if (!due || *due > *q.due_by) continue;
      }
      out.push_back(c);
    }
    if (q.due_by)
      std::stable_sort(out.begin(), out.end(), [](const CaseRecord& a, const CaseRecord& b) { return *a.next_due() < *b.next_due(); });
    if (q.limit > 0 && static_cast<int>(out.size()) > q.limit) out.resize(q.limit);
    return out;
  }

  Result<std::string> duplicate_of(const std::string& key, std::int64_t not_id) override {
    auto [lo, hi] = duplicates_.equal_range(key);
    for (auto it = lo; it != hi; ++it)
      if (it->second != not_id && cases_[it->second - 1].state != State::kMerged) return cases_[it->second - 1].case_number;
    return std::string();
  }

  Result<std::string> earlier_imr(const std::string& worker, const std::vector<std::string>& treatments,
                                  std::int64_t not_id) override {
    for (const auto& t : treatments) {
      auto it = treatments_.find(worker + "\x1f" + t);
      if (it == treatments_.end()) continue;
      for (std::int64_t id : it->second)
        if (id != not_id && cases_[id - 1].determination) return cases_[id - 1].case_number;
    }
    return std::string();
  }

  Result<std::vector<std::string>> eligible_by_deadline(int limit) override {
    std::vector<std::string> out;
    for (const auto& [due, id] : eligible_) {
      if (limit > 0 && static_cast<int>(out.size()) >= limit) break;
      out.push_back(cases_[id - 1].case_number);
    }
    return out;
  }

  Result<std::int64_t> insert_reviewer(const Reviewer& r, const std::string& name) override {
    reviewers_.push_back(r);
    reviewers_.back().id = static_cast<std::int64_t>(reviewers_.size());
    reviewers_.back().active_cases = 0;
    names_.push_back(name);
    ++version_;
    return reviewers_.back().id;
  }
  Result<std::vector<Reviewer>> load_reviewers() override { return reviewers_; }
  Result<std::int64_t> registry_version() override { return version_; }
  Status adjust_load(std::int64_t id, int delta) override {
    if (id < 1 || id > static_cast<std::int64_t>(reviewers_.size())) return not_found("no reviewer " + std::to_string(id));
    Reviewer& r = reviewers_[id - 1];
    if (delta > 0 && r.active_cases >= r.capacity) return conflict("reviewer " + std::to_string(id) + " is at capacity");
    if (in_tx_) saved_loads_.emplace(id, r.active_cases);
    r.active_cases = std::max(0, r.active_cases + delta);
    ++version_;
    return {};
  }
  Result<std::string> reviewer_name(std::int64_t id) override {
    if (id < 1 || id > static_cast<std::int64_t>(names_.size())) return not_found("no reviewer " + std::to_string(id));
    return names_[id - 1];
  }

  Result<int> progress(const std::string& key) override {
    auto it = progress_.find(key);
    return it == progress_.end() ? -1 : it->second;
  }
  Status set_progress(const std::string& key, int step) override {
    progress_[key] = step;
    return {};
  }

 private:
  // Audit rows are many (several per case): the repeated words are interned to keep a simulated
  // year's log small.
  struct Audit {
    std::int64_t case_id;
    Time at;
    std::uint32_t actor, event, from, to;
    std::string detail;
  };
  std::uint32_t intern(const std::string& w) {
    auto [it, added] = word_ids_.emplace(w, static_cast<std::uint32_t>(words_.size()));
    if (added) words_.push_back(w);
    return it->second;
  }

  // The eligible cases by deadline, so that assignment never scans every case.
  void index(const CaseRecord& c) {
    if (c.state == State::kEligible) eligible_.emplace(c.next_due().value_or(0), c.id);
  }
  void unindex(const CaseRecord& c) {
    if (c.state == State::kEligible) eligible_.erase({c.next_due().value_or(0), c.id});
  }
  void forget(const CaseRecord& c) {
    by_number_.erase(c.case_number);
    auto [lo, hi] = by_claim_.equal_range(c.application.claim_number);
    for (auto it = lo; it != hi; ++it)
      if (it->second == c.id) {
        by_claim_.erase(it);
        break;
      }
    auto [dlo, dhi] = duplicates_.equal_range(duplicate_key(c.application));
    for (auto it = dlo; it != dhi; ++it)
      if (it->second == c.id) {
        duplicates_.erase(it);
        break;
      }
    std::string w = worker_key(c.application);
    for (const auto& t : treatment_keys(c.application)) {
      auto& v = treatments_[w + "\x1f" + t];
      v.erase(std::remove(v.begin(), v.end(), c.id), v.end());
    }
  }

  std::vector<CaseRecord> cases_;  // id - 1
  std::unordered_map<std::string, std::int64_t> by_number_;
  std::unordered_multimap<std::string, std::int64_t> by_claim_, duplicates_;
  std::unordered_map<std::string, std::vector<std::int64_t>> treatments_;
  std::vector<Audit> audit_;
  std::unordered_map<std::string, std::uint32_t> word_ids_;
  std::vector<std::string> words_;
  std::vector<Reviewer> reviewers_;
  std::vector<std::string> names_;
  std::int64_t version_ = 0;
  std::map<std::string, int> progress_;
  std::set<std::pair<Time, std::int64_t>> eligible_;
  bool in_tx_ = false;
  std::map<std::int64_t, CaseRecord> saved_cases_;
  std::map<std::int64_t, int> saved_loads_;
  std::size_t saved_case_count_ = 0, saved_audit_ = 0;
};

}  // namespace

std::unique_ptr<CaseStore> open_memory_case_store() { return std::make_unique<MemoryCaseStore>(); }

}  // namespace imr::casework::internal

#include "imr/corpus/stats_index.h"

#include <algorithm>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "imr/base/text.h"
#include "sql_store.h"

namespace imr::corpus {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

struct Counts {
  std::int64_t items = 0, upheld = 0, overturned = 0;
  void add(bool overturned_item) {
    ++items;
    ++(overturned_item ? overturned : upheld);
  }
};

// Letters are buffered and appended this many at a time, so that a query waits for at most one
// short append while the index loads.
constexpr std::size_t kAppendBatch = 2000;

}  // namespace

// Columns of small integers. A letter's items, specialties and subspecialties are the ranges
// ending at its entries of the *_end arrays (starting at the previous letter's); an item's
// guidelines likewise. Text values are ids into `names`. Only the first `visible_letters`
// letters (and their items) are answered from: a refresh appends beyond them and makes them
// visible when it has loaded everything.
struct StatsIndex::Data {
  mutable std::shared_mutex mu;  // arrays and names
  mutable std::mutex refresh_mu;  // one refresh at a time

  std::vector<std::string> names;
  std::vector<std::string> lower;  // names[id] lower-cased, for filters
  std::unordered_map<std::string, std::uint32_t> ids;

  std::vector<std::uint32_t> letter_date, letter_month, item_end, specialty_end, subspecialty_end;
  std::vector<std::uint32_t> specialties, subspecialties;
  std::vector<std::uint32_t> category, subcategory, subgroup, region, guideline_end, guidelines;
  std::vector<std::uint8_t> overturned;
  std::size_t visible_letters = 0;
  std::int64_t loaded_through = 0;
  std::uint32_t upheld_name = 0, overturned_name = 0;

  std::uint32_t intern(const std::string& s) {
    auto it = ids.find(s);
    if (it != ids.end()) return it->second;
    auto id = static_cast<std::uint32_t>(names.size());
    names.push_back(s);
    lower.push_back(text::to_lower(s));
    ids.emplace(s, id);
    return id;
  }

  void append(const StatsFacts& f) {
    letter_date.push_back(f.decision_date ? intern(*f.decision_date) : kNone);
    // The month group is the date's first 7 characters (SQL substr(decision_date, 1, 7)).
    letter_month.push_back(f.decision_date ? intern(f.decision_date->substr(0, 7)) : kNone);
    for (const auto& s : f.specialties) specialties.push_back(intern(s));
    specialty_end.push_back(static_cast<std::uint32_t>(specialties.size()));
    for (const auto& s : f.subspecialties) subspecialties.push_back(intern(s));
    subspecialty_end.push_back(static_cast<std::uint32_t>(subspecialties.size()));
    for (const auto& it : f.items) {
      category.push_back(intern(it.category));
      subcategory.push_back(intern(it.subcategory));
      subgroup.push_back(it.subcategory.empty() ? category.back() : intern(it.category + " / " + it.subcategory));
      region.push_back(intern(it.body_region));
      overturned.push_back(it.decision == letter::Decision::kOverturned ? 1 : 0);
      for (const auto& g : it.guidelines) guidelines.push_back(intern(g));
      guideline_end.push_back(static_cast<std::uint32_t>(guidelines.size()));
    }
    item_end.push_back(static_cast<std::uint32_t>(category.size()));
  }

  // Drops letters (and their items) beyond the first `letters`.
  void truncate(std::size_t letters) {
    std::size_t items = letters ? item_end[letters - 1] : 0;
    std::size_t specs = letters ? specialty_end[letters - 1] : 0;
    std::size_t subs = letters ? subspecialty_end[letters - 1] : 0;
    std::size_t guides = items ? guideline_end[items - 1] : 0;
    for (auto* v : {&letter_date, &letter_month, &item_end, &specialty_end, &subspecialty_end}) v->resize(letters);
    for (auto* v : {&category, &subcategory, &subgroup, &region, &guideline_end}) v->resize(items);
    overturned.resize(items);
    specialties.resize(specs);
    subspecialties.resize(subs);
    guidelines.resize(guides);
  }
};

StatsIndex::StatsIndex() : data_(std::make_unique<Data>()) {
  data_->upheld_name = data_->intern(std::string(letter::to_string(letter::Decision::kUpheld)));
  data_->overturned_name = data_->intern(std::string(letter::to_string(letter::Decision::kOverturned)));
}

StatsIndex::~StatsIndex() = default;

Status StatsIndex::refresh(Store& store, const std::atomic<bool>* stop) {
  Data& d = *data_;
  std::lock_guard refreshing(d.refresh_mu);
  std::int64_t after = 0;
  {
    std::shared_lock lock(d.mu);
    after = d.loaded_through;
  }
  std::vector<StatsFacts> pending;
  std::int64_t newest = after;
  auto flush = [&] {
    std::unique_lock lock(d.mu);
    for (const auto& f : pending) d.append(f);
    pending.clear();
  };
  Status s = store.visit_stats_facts(after, [&](const StatsFacts& f) {
    if (stop && stop->load()) return failed_precondition("statistics index: loading stopped");
    pending.push_back(f);
    newest = f.letter_id;
    if (pending.size() >= kAppendBatch) flush();
    return Status();
  });
  std::unique_lock lock(d.mu);
  if (!s.ok()) {
    d.truncate(d.visible_letters);
    return s;
  }
  for (const auto& f : pending) d.append(f);
  d.visible_letters = d.letter_date.size();
  d.loaded_through = newest;
  return {};
}

void StatsIndex::wait_for_refresh() const { std::lock_guard wait(data_->refresh_mu); }

std::int64_t StatsIndex::loaded_through() const {
  std::shared_lock lock(data_->mu);
  return data_->loaded_through;
}

std::size_t StatsIndex::memory_bytes() const {
  const Data& d = *data_;
  std::shared_lock lock(d.mu);
  std::size_t bytes = 0;
  for (const auto* v : {&d.letter_date, &d.letter_month, &d.item_end, &d.specialty_end, &d.subspecialty_end,
                        &d.specialties, &d.subspecialties, &d.category, &d.subcategory, &d.subgroup, &d.region,
                        &d.guideline_end, &d.guidelines})
    bytes += v->capacity() * sizeof(std::uint32_t);
  bytes += d.overturned.capacity();
  for (std::size_t k = 0; k < d.names.size(); ++k) bytes += 2 * (sizeof(std::string) + d.names[k].capacity()) + 32;
  return bytes;
}

Result<Stats> StatsIndex::stats(GroupBy by, const Filters& filters) const {
  IMR_RETURN_IF_ERROR(internal::check_filters(filters));  // the store's checks and messages
  const Data& d = *data_;
  std::shared_lock lock(d.mu);

  // Each filter as a yes/no per name (a few thousand names), so the pass over the items only
  // indexes arrays.
  auto per_name = [&](auto&& ok) {
    std::vector<std::uint8_t> v(d.names.size());
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = ok(k) ? 1 : 0;
    return v;
  };
  std::vector<std::uint8_t> category_ok, guideline_ok, specialty_ok, date_ok;
  if (filters.category) {
    std::string want = text::to_lower(text::trim(*filters.category));
    category_ok = per_name([&](std::size_t k) { return d.lower[k] == want; });
  }
  if (filters.guideline) {
    std::string prefix = text::to_lower(text::trim(*filters.guideline));
    guideline_ok = per_name([&](std::size_t k) { return d.lower[k].compare(0, prefix.size(), prefix) == 0; });
  }
  if (filters.specialty) {
    std::string want = text::to_lower(text::trim(*filters.specialty));
    specialty_ok = per_name([&](std::size_t k) { return d.lower[k] == want; });
  }
  bool dated = filters.from || filters.to;
  if (dated)
    date_ok = per_name([&](std::size_t k) {
      return (!filters.from || d.names[k] >= *filters.from) && (!filters.to || d.names[k] <= *filters.to);
    });
  std::optional<bool> want_overturned;
  if (filters.decision) want_overturned = *filters.decision == letter::Decision::kOverturned;
  bool any_filter = filters.decision || filters.category || filters.guideline || filters.specialty || dated;

  Stats st;
  std::vector<Counts> groups(by == GroupBy::kNone ? 0 : d.names.size() + 1);  // last: "(none)"
  const std::size_t none = d.names.size();
  std::uint32_t item = 0, specialty = 0, subspecialty = 0;
  for (std::size_t l = 0; l < d.visible_letters; ++l) {
    std::uint32_t item_begin = item, spec_begin = specialty, sub_begin = subspecialty;
    item = d.item_end[l];
    specialty = d.specialty_end[l];
    subspecialty = d.subspecialty_end[l];
    if (dated && (d.letter_date[l] == kNone || !date_ok[d.letter_date[l]])) continue;
    if (filters.specialty) {
      bool ok = false;
      for (auto k = spec_begin; k < specialty && !ok; ++k) ok = specialty_ok[d.specialties[k]];
      for (auto k = sub_begin; k < subspecialty && !ok; ++k) ok = specialty_ok[d.subspecialties[k]];
      if (!ok) continue;
    }
    bool letter_counted = false;
    for (std::uint32_t i = item_begin; i < item; ++i) {
      bool over = d.overturned[i] != 0;
      if (want_overturned && over != *want_overturned) continue;
      if (filters.category && !category_ok[d.category[i]] && !category_ok[d.subcategory[i]]) continue;
      std::uint32_t guide_begin = i ? d.guideline_end[i - 1] : 0, guide_end = d.guideline_end[i];
      if (filters.guideline) {
        bool ok = false;
        for (auto k = guide_begin; k < guide_end && !ok; ++k) ok = guideline_ok[d.guidelines[k]];
        if (!ok) continue;
      }
      ++st.items;
      ++(over ? st.overturned : st.upheld);
      letter_counted = true;
      switch (by) {
        case GroupBy::kNone: break;
        case GroupBy::kCategory: groups[d.category[i]].add(over); break;
        case GroupBy::kSubcategory: groups[d.subgroup[i]].add(over); break;
        case GroupBy::kBodyRegion: groups[d.region[i]].add(over); break;
        case GroupBy::kDecision: groups[over ? d.overturned_name : d.upheld_name].add(over); break;
        case GroupBy::kMonth: groups[d.letter_month[l] == kNone ? none : d.letter_month[l]].add(over); break;
        case GroupBy::kSpecialty:
          if (spec_begin == specialty) groups[none].add(over);
          for (auto k = spec_begin; k < specialty; ++k) groups[d.specialties[k]].add(over);
          break;
        case GroupBy::kGuideline:
          if (guide_begin == guide_end) groups[none].add(over);
          for (auto k = guide_begin; k < guide_end; ++k) groups[d.guidelines[k]].add(over);
          break;
      }
    }
    if (letter_counted) ++st.letters;
  }
  // Unfiltered, every letter counts, also one without items (the store counts the letters table).
  if (!any_filter) st.letters = static_cast<std::int64_t>(d.visible_letters);
  for (std::size_t k = 0; k < groups.size(); ++k)
    if (groups[k].items > 0)
      st.groups.push_back({k == none ? std::string("(none)") : d.names[k], groups[k].items, groups[k].upheld,
                           groups[k].overturned});
  // The store's order: most items first, then by key.
  std::sort(st.groups.begin(), st.groups.end(), [](const StatsGroup& a, const StatsGroup& b) {
    return a.items != b.items ? a.items > b.items : a.key < b.key;
  });
  return st;
}

}  // namespace imr::corpus

#include "imr/corpus/stats_index.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "imr/base/text.h"
#include "sql_store.h"
#include "stats_chunk.h"

namespace imr::corpus {

namespace {

using internal::kNoName;
using internal::StatsChunk;
constexpr std::uint32_t kNone = kNoName;

struct Counts {
  std::int64_t items = 0, upheld = 0, overturned = 0;
  void add(bool overturned_item) {
    ++items;
    ++(overturned_item ? overturned : upheld);
  }
};

// Asks for huge pages under a large array about to be filled. Filling 100 MB of 4 KB pages took
// 36,000 page faults, more than half of loading a million letters from saved chunks (faults
// are dear in a virtual machine); with 2 MB pages a few hundred. Only a hint: where the kernel
// gives no huge pages (or for the ends of the range not 2 MB-aligned) nothing changes.
void prefer_huge_pages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  auto begin = reinterpret_cast<std::uintptr_t>(data);
  std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1), last = (begin + bytes) & ~(kHuge - 1);
  if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

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
  mutable std::mutex refresh_mu;  // one refresh, load_saved or save at a time; guards `chunks`

  std::vector<std::string> names;
  std::vector<std::string> lower;  // names[id] lower-cased, for filters
  std::unordered_map<std::string, std::uint32_t> ids;
  std::unordered_map<std::uint32_t, std::uint32_t> month_of;  // date name -> its month's name
  std::unordered_map<std::uint64_t, std::uint32_t> subgroup_of;  // (category, subcategory) -> name

  std::vector<std::uint32_t> letter_date, letter_month, item_end, specialty_end, subspecialty_end;
  std::vector<std::uint32_t> specialties, subspecialties;
  std::vector<std::uint32_t> category, subcategory, subgroup, region, guideline_end, guidelines;
  std::vector<std::uint8_t> overturned;
  std::size_t visible_letters = 0;
  std::int64_t loaded_through = 0;
  std::uint32_t upheld_name = 0, overturned_name = 0;

  // The visible letters as saved chunks: consecutive ranges of letters, in order.
  struct Chunk {
    std::int64_t after = 0, through = 0;  // letter ids: after < id <= through
    std::size_t first_letter = 0, letters = 0;  // positions in the arrays
    bool saved = false;  // the store holds exactly this chunk
  };
  std::vector<Chunk> chunks;
  std::size_t chunk_letters = 0;

  std::uint32_t intern(const std::string& s) {
    auto it = ids.find(s);
    if (it != ids.end()) return it->second;
    auto id = static_cast<std::uint32_t>(names.size());
    names.push_back(s);
    lower.push_back(text::to_lower(s));
    ids.emplace(s, id);
    return id;
  }
  // The month group is the date's first 7 characters (SQL substr(decision_date, 1, 7)).
  std::uint32_t month(std::uint32_t date) {
    if (date == kNone) return kNone;
    auto it = month_of.find(date);
    if (it != month_of.end()) return it->second;
    std::uint32_t m = intern(names[date].substr(0, 7));
    month_of.emplace(date, m);
    return m;
  }
  // The subcategory group: "Category / Subcategory", or the category when there is none.
  std::uint32_t subgroup_name(std::uint32_t cat, std::uint32_t sub) {
    if (names[sub].empty()) return cat;
    std::uint64_t key = (std::uint64_t{cat} << 32) | sub;
    auto it = subgroup_of.find(key);
    if (it != subgroup_of.end()) return it->second;
    std::uint32_t g = intern(names[cat] + " / " + names[sub]);
    subgroup_of.emplace(key, g);
    return g;
  }

  void append(const StatsFacts& f) {
    std::uint32_t date = f.decision_date ? intern(*f.decision_date) : kNone;
    letter_date.push_back(date);
    letter_month.push_back(month(date));
    for (const auto& s : f.specialties) specialties.push_back(intern(s));
    specialty_end.push_back(static_cast<std::uint32_t>(specialties.size()));
    for (const auto& s : f.subspecialties) subspecialties.push_back(intern(s));
    subspecialty_end.push_back(static_cast<std::uint32_t>(subspecialties.size()));
    for (const auto& it : f.items) {
      category.push_back(intern(it.category));
      subcategory.push_back(intern(it.subcategory));
      subgroup.push_back(subgroup_name(category.back(), subcategory.back()));
      region.push_back(intern(it.body_region));
      overturned.push_back(it.decision == letter::Decision::kOverturned ? 1 : 0);
      for (const auto& g : it.guidelines) guidelines.push_back(intern(g));
      guideline_end.push_back(static_cast<std::uint32_t>(guidelines.size()));
    }
    item_end.push_back(static_cast<std::uint32_t>(category.size()));
  }

  // Appends a decoded chunk's letters. REQUIRES: `c` as decode_stats_chunk returns it (counts add
  // up, ids in range).
  void append(const StatsChunk& c) {
    std::vector<std::uint32_t> id(c.names.size());
    for (std::size_t k = 0; k < c.names.size(); ++k) id[k] = intern(c.names[k]);
    std::size_t item = 0, spec = 0, sub = 0, guide = 0;
    for (std::size_t l = 0; l < c.date.size(); ++l) {
      std::uint32_t date = c.date[l] == kNoName ? kNone : id[c.date[l]];
      letter_date.push_back(date);
      letter_month.push_back(month(date));
      for (std::uint32_t k = 0; k < c.specialty_count[l]; ++k) specialties.push_back(id[c.specialties[spec++]]);
      specialty_end.push_back(static_cast<std::uint32_t>(specialties.size()));
      for (std::uint32_t k = 0; k < c.subspecialty_count[l]; ++k) subspecialties.push_back(id[c.subspecialties[sub++]]);
      subspecialty_end.push_back(static_cast<std::uint32_t>(subspecialties.size()));
      for (std::uint32_t n = 0; n < c.item_count[l]; ++n, ++item) {
        category.push_back(id[c.category[item]]);
        subcategory.push_back(id[c.subcategory[item]]);
        subgroup.push_back(subgroup_name(category.back(), subcategory.back()));
        region.push_back(id[c.region[item]]);
        overturned.push_back(c.overturned[item]);
        for (std::uint32_t k = 0; k < c.guideline_count[item]; ++k) guidelines.push_back(id[c.guidelines[guide++]]);
        guideline_end.push_back(static_cast<std::uint32_t>(guidelines.size()));
      }
      item_end.push_back(static_cast<std::uint32_t>(category.size()));
    }
  }

  // Makes room for `c` and, estimated from it, `chunks_left` - 1 more like it: loading grows the
  // arrays once instead of doubling them (copies and page faults were half of a load's time).
  void reserve_for(const StatsChunk& c, double chunks_left) {
    auto room = [&](auto& v, std::size_t n) {
      if (v.capacity() >= v.size() + n) return;
      v.reserve(v.size() + static_cast<std::size_t>(static_cast<double>(n) * std::max(1.0, chunks_left) * 1.05) + 16);
      prefer_huge_pages(v.data() + v.size(), (v.capacity() - v.size()) * sizeof(v[0]));
    };
    for (auto* v : {&letter_date, &letter_month, &item_end, &specialty_end, &subspecialty_end}) room(*v, c.date.size());
    for (auto* v : {&category, &subcategory, &subgroup, &region, &guideline_end}) room(*v, c.category.size());
    room(overturned, c.category.size());
    room(specialties, c.specialties.size());
    room(subspecialties, c.subspecialties.size());
    room(guidelines, c.guidelines.size());
  }

  // The letters of `chunk` in the saved form, with a dictionary of the names they use.
  StatsChunk saved_form(const Chunk& chunk) const {
    StatsChunk c;
    c.after_letter_id = chunk.after;
    c.through_letter_id = chunk.through;
    std::unordered_map<std::uint32_t, std::uint32_t> local;
    auto name = [&](std::uint32_t global) {
      auto [it, added] = local.emplace(global, static_cast<std::uint32_t>(c.names.size()));
      if (added) c.names.push_back(names[global]);
      return it->second;
    };
    for (std::size_t l = chunk.first_letter; l < chunk.first_letter + chunk.letters; ++l) {
      c.date.push_back(letter_date[l] == kNone ? kNoName : name(letter_date[l]));
      std::uint32_t item_begin = l ? item_end[l - 1] : 0, spec_begin = l ? specialty_end[l - 1] : 0,
                    sub_begin = l ? subspecialty_end[l - 1] : 0;
      c.item_count.push_back(item_end[l] - item_begin);
      c.specialty_count.push_back(specialty_end[l] - spec_begin);
      c.subspecialty_count.push_back(subspecialty_end[l] - sub_begin);
      for (auto k = spec_begin; k < specialty_end[l]; ++k) c.specialties.push_back(name(specialties[k]));
      for (auto k = sub_begin; k < subspecialty_end[l]; ++k) c.subspecialties.push_back(name(subspecialties[k]));
      for (auto i = item_begin; i < item_end[l]; ++i) {
        c.category.push_back(name(category[i]));
        c.subcategory.push_back(name(subcategory[i]));
        c.region.push_back(name(region[i]));
        c.overturned.push_back(overturned[i]);
        std::uint32_t guide_begin = i ? guideline_end[i - 1] : 0;
        c.guideline_count.push_back(guideline_end[i] - guide_begin);
        for (auto k = guide_begin; k < guideline_end[i]; ++k) c.guidelines.push_back(name(guidelines[k]));
      }
    }
    return c;
  }

  // Records letters appended (beyond the visible ones) in chunks: the last chunk grows until it
  // holds chunk_letters, then a new one starts. `ids` are the letters' ids, in order.
  void add_to_chunks(const std::vector<std::int64_t>& letter_ids) {
    std::int64_t after = loaded_through;
    std::size_t position = visible_letters;
    for (std::int64_t id : letter_ids) {
      if (chunks.empty() || chunks.back().letters >= chunk_letters) chunks.push_back({after, id, position, 0, false});
      Chunk& c = chunks.back();
      c.through = id;
      ++c.letters;
      c.saved = false;
      after = id;
      ++position;
    }
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

StatsIndex::StatsIndex(const StatsIndexOptions& options) : data_(std::make_unique<Data>()) {
  data_->chunk_letters = static_cast<std::size_t>(std::max(1, options.chunk_letters));
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
  std::vector<std::int64_t> letter_ids;
  auto flush = [&] {
    std::unique_lock lock(d.mu);
    for (const auto& f : pending) d.append(f);
    pending.clear();
  };
  Status s = store.visit_stats_facts(after, [&](const StatsFacts& f) {
    if (stop && stop->load()) return failed_precondition("statistics index: loading stopped");
    pending.push_back(f);
    letter_ids.push_back(f.letter_id);
    if (pending.size() >= kAppendBatch) flush();
    return Status();
  });
  std::unique_lock lock(d.mu);
  if (!s.ok()) {
    d.truncate(d.visible_letters);
    return s;
  }
  for (const auto& f : pending) d.append(f);
  d.add_to_chunks(letter_ids);
  d.visible_letters = d.letter_date.size();
  if (!letter_ids.empty()) d.loaded_through = letter_ids.back();
  return {};
}

Status StatsIndex::load_saved(Store& store, const std::atomic<bool>* stop) {
  Data& d = *data_;
  std::lock_guard loading(d.refresh_mu);
  auto newest = store.generation();
  if (!newest.ok()) return newest.status();
  std::int64_t from = 0;
  {
    std::shared_lock lock(d.mu);
    from = d.loaded_through;
  }
  const std::size_t chunks_before = d.chunks.size();
  std::size_t position = d.visible_letters;  // where the next chunk's letters go
  std::int64_t through = from;
  StatsChunk decoded;  // one chunk at a time, its memory reused
  Status s;
  // Each pass follows the chain of readable chunks from `through`; an unreadable one ends the
  // pass, its letters are read from the tables, and the next pass starts after it.
  for (bool more = true; more && s.ok();) {
    more = false;
    bool chain_ended = false;
    std::optional<Data::Chunk> unreadable;
    s = store.visit_stats_index_chunks(through, true, [&](const StatsIndexChunk& saved) {
      if (stop && stop->load()) return failed_precondition("statistics index: loading stopped");
      // A gap, or a chunk beyond the newest letter (letters lost with the last commits of a
      // crash), ends what can be loaded: refresh reads the rest.
      if (saved.after_letter_id != through || saved.through_letter_id <= through ||
          saved.through_letter_id > *newest) {
        chain_ended = true;
        return failed_precondition("end of the chain");
      }
      Status read = saved.format == internal::kStatsChunkFormat
                        ? internal::decode_stats_chunk(saved.data, decoded)
                        : unrecognized("statistics index chunk: unknown format");
      if (read.ok() &&
          (decoded.after_letter_id != saved.after_letter_id || decoded.through_letter_id != saved.through_letter_id))
        read = unrecognized("statistics index chunk: letter ids differ from its key");
      if (!read.ok()) {
        unreadable = Data::Chunk{saved.after_letter_id, saved.through_letter_id, position, 0, false};
        chain_ended = true;
        return failed_precondition("unreadable chunk");
      }
      {
        std::unique_lock lock(d.mu);
        d.reserve_for(decoded, static_cast<double>(*newest - saved.after_letter_id) /
                                   static_cast<double>(saved.through_letter_id - saved.after_letter_id));
        d.append(decoded);
      }
      d.chunks.push_back({saved.after_letter_id, saved.through_letter_id, position, decoded.date.size(), true});
      position += decoded.date.size();
      through = saved.through_letter_id;
      return Status();
    });
    if (chain_ended) s = {};
    if (s.ok() && unreadable) {
      // Its letters from the tables; the visit ends at the first letter beyond the chunk.
      std::vector<StatsFacts> pending;
      bool past = false;
      s = store.visit_stats_facts(unreadable->after, [&](const StatsFacts& f) {
        if (f.letter_id > unreadable->through) {
          past = true;
          return failed_precondition("past the chunk");
        }
        pending.push_back(f);
        return Status();
      });
      if (past) s = {};
      if (s.ok() && !pending.empty()) {
        {
          std::unique_lock lock(d.mu);
          for (const auto& f : pending) d.append(f);
        }
        unreadable->letters = pending.size();
        d.chunks.push_back(*unreadable);  // saved = false: save() writes it again
        position += pending.size();
        through = unreadable->through;
        more = true;
      }
    }
  }
  std::unique_lock lock(d.mu);
  if (!s.ok()) {
    d.truncate(d.visible_letters);
    d.chunks.resize(chunks_before);
    return s;
  }
  d.visible_letters = d.letter_date.size();
  d.loaded_through = through;
  return {};
}

Status StatsIndex::save(Store& store) {
  Data& d = *data_;
  // Under refresh_mu nothing changes the arrays or the chunks; queries only read.
  std::lock_guard saving(d.refresh_mu);
  for (Data::Chunk& chunk : d.chunks) {
    if (chunk.saved) continue;
    StatsIndexChunk out;
    out.after_letter_id = chunk.after;
    out.through_letter_id = chunk.through;
    out.format = internal::kStatsChunkFormat;
    out.data = internal::encode_stats_chunk(d.saved_form(chunk));
    IMR_RETURN_IF_ERROR(store.put_stats_index_chunk(out));
    chunk.saved = true;
  }
  return {};
}

std::int64_t StatsIndex::unsaved_letters() const {
  std::lock_guard guard(data_->refresh_mu);
  std::int64_t n = 0;
  for (const auto& c : data_->chunks)
    if (!c.saved) n += static_cast<std::int64_t>(c.letters);
  return n;
}

Status StatsIndex::load(Store& store, Status* save_status, const std::atomic<bool>* stop) {
  IMR_RETURN_IF_ERROR(load_saved(store, stop));
  IMR_RETURN_IF_ERROR(refresh(store, stop));
  Status saved;
  if (unsaved_letters() > static_cast<std::int64_t>(data_->chunk_letters)) saved = save(store);
  if (save_status) *save_status = saved;
  return {};
}

Status StatsIndex::add_stored(Store& store, const std::vector<StatsFacts>& facts) {
  if (facts.empty()) return {};
  Data& d = *data_;
  std::unique_lock refreshing(d.refresh_mu);
  bool continues = true;
  {
    std::shared_lock lock(d.mu);
    std::int64_t expected = d.loaded_through + 1;
    for (const StatsFacts& f : facts) continues = continues && f.letter_id == expected++;
  }
  if (!continues) {
    // Another writer's letters (or a gap) lie between: the tables have them all, ours included.
    refreshing.unlock();
    return refresh(store);
  }
  std::vector<std::int64_t> letter_ids;
  letter_ids.reserve(facts.size());
  std::unique_lock lock(d.mu);
  for (const StatsFacts& f : facts) {
    d.append(f);
    letter_ids.push_back(f.letter_id);
  }
  d.add_to_chunks(letter_ids);
  d.visible_letters = d.letter_date.size();
  d.loaded_through = letter_ids.back();
  return {};
}

Result<std::unique_ptr<StatsIndex>> StatsIndex::open_tail(Store& store, std::int64_t max_letters_read,
                                                          const StatsIndexOptions& options) {
  // The chain of saved chunks by their ids alone, to find the last one.
  std::map<std::int64_t, std::int64_t> through_of;
  IMR_RETURN_IF_ERROR(store.visit_stats_index_chunks(0, false, [&](const StatsIndexChunk& c) {
    through_of[c.after_letter_id] = c.through_letter_id;
    return Status();
  }));
  std::int64_t last = 0, end = 0;
  for (auto it = through_of.find(0); it != through_of.end() && it->second > it->first; it = through_of.find(end)) {
    last = it->first;
    end = it->second;
  }
  auto newest = store.generation();
  if (!newest.ok()) return newest.status();
  if (*newest - end > max_letters_read) return std::unique_ptr<StatsIndex>();
  // An index of the tail alone: the last chunk (partial, or full and then a new one starts),
  // then the letters beyond it. Its answers would be wrong; it only saves.
  auto tail = std::make_unique<StatsIndex>(options);
  tail->data_->loaded_through = last;
  IMR_RETURN_IF_ERROR(tail->load_saved(store));
  IMR_RETURN_IF_ERROR(tail->refresh(store));
  return tail;
}

Status StatsIndex::update_saved(Store& store, std::int64_t max_letters_read, const StatsIndexOptions& options) {
  auto tail = open_tail(store, max_letters_read, options);
  if (!tail.ok()) return tail.status();
  if (!*tail || (*tail)->unsaved_letters() == 0) return {};
  return (*tail)->save(store);
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

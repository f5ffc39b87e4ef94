#include "imr/casework/assign.h"

#include <algorithm>

#include "imr/base/data.h"
#include "imr/base/text.h"
#include "tsv.h"

namespace imr::casework {

using internal::name_key;

Result<SpecialtyMap> SpecialtyMap::load(const std::string& path) {
  SpecialtyMap m;
  std::vector<std::vector<std::string>> lines;
  IMR_RETURN_IF_ERROR(internal::read_tsv(path.empty() ? data_path("casework/specialty_map.tsv") : path,
                                         [&](const std::vector<std::string>& f, int) -> Status {
                                           if (f[0] == "nonphysician" || f[0] == "general") {
                                             if (f.size() != 2) return unrecognized(f[0] + ": expected one list");
                                           } else if (f.size() != 3) {
                                             return unrecognized("expected kind, key, specialties");
                                           }
                                           if (f[0] != "alias" && f[0] != "nonphysician" && f[0] != "general" &&
                                               f[0] != "category" && f[0] != "body_region")
                                             return unrecognized("unknown kind '" + f[0] + "'");
                                           lines.push_back(f);
                                           return Status();
                                         }));
  // Aliases first, so every list below is stored in canonical form.
  for (const auto& f : lines)
    if (f[0] == "alias") m.alias_[name_key(f[1])] = name_key(f[2]), m.display_[name_key(f[2])] = f[2];
  auto list = [&](const std::string& s) {
    std::vector<std::string> out;
    for (const auto& name : text::split_list(s, '|')) {
      std::string k = m.canonical(name);
      m.display_.emplace(k, name);
      out.push_back(k);
    }
    return out;
  };
  for (const auto& f : lines) {
    if (f[0] == "nonphysician") for (auto& k : list(f[1])) m.nonphysician_.insert(k);
    if (f[0] == "general") m.general_ = list(f[1]);
    if (f[0] == "category") m.by_category_[text::to_lower(f[1])] = list(f[2]);
    if (f[0] == "body_region") m.by_region_[text::to_lower(f[1])] = list(f[2]);
  }
  return m;
}

const SpecialtyMap& SpecialtyMap::standard() { return internal::load_once<SpecialtyMap>().first; }
const std::string& SpecialtyMap::load_error() { return internal::load_once<SpecialtyMap>().second; }

std::string SpecialtyMap::canonical(std::string_view specialty) const {
  std::string k = name_key(specialty);
  auto it = alias_.find(k);
  return it == alias_.end() ? k : it->second;
}

std::string SpecialtyMap::display(const std::string& key) const {
  auto it = display_.find(key);
  return it == display_.end() ? key : it->second;
}

std::set<std::string> SpecialtyMap::relevant(const Application& a) const {
  std::set<std::string> out(general_.begin(), general_.end());
  if (!text::trim(a.physician_specialty).empty()) out.insert(canonical(a.physician_specialty));
  for (const auto& it : a.items) {
    std::string cat = text::to_lower(it.category);
    auto c = by_category_.find(cat + "/" + text::to_lower(it.subcategory));
    if (c == by_category_.end()) c = by_category_.find(cat);
    if (c != by_category_.end()) out.insert(c->second.begin(), c->second.end());
    auto r = by_region_.find(text::to_lower(it.body_region));
    if (r != by_region_.end()) out.insert(r->second.begin(), r->second.end());
  }
  return out;
}

const char* to_string(ExclusionKind k) {
  static const char* const kNames[] = {"unavailable", "licence",       "experience", "hours",
                                       "specialty",   "certification", "conflict",   "capacity"};
  return kNames[static_cast<int>(k)];
}

std::string Exclusion::reason() const {
  switch (kind) {
    case ExclusionKind::kUnavailable: return "not available";
    case ExclusionKind::kLicence: return "no unrestricted licence";
    case ExclusionKind::kExperience:
      return std::to_string(value) + " years of active practice (more than " + std::to_string(limit) + " required)";
    case ExclusionKind::kHours:
      return std::to_string(value) + " hours a week of active practice (at least " + std::to_string(limit) + " required)";
    case ExclusionKind::kSpecialty: return "no same or similar specialty";
    case ExclusionKind::kCertification: return "no board certification relevant to the condition";
    case ExclusionKind::kConflict:
      return std::string("conflict: ") + to_string(affiliation) + " affiliation with a party of the case (" +
             to_string(party) + ")";
    case ExclusionKind::kCapacity:
      return "at capacity (" + std::to_string(value) + " of " + std::to_string(limit) + " open cases)";
  }
  return "excluded";
}

Assigner::Assigner(const SpecialtyMap& map, AssignmentPolicy policy) : map_(map), policy_(policy) {}

int Assigner::specialty_id(const std::string& key) {
  auto [it, added] = specialty_ids_.emplace(key, static_cast<int>(specialty_keys_.size()));
  if (added) specialty_keys_.push_back(key), index_.emplace_back();
  return it->second;
}

int Assigner::name_id(const std::string& key) {
  return name_ids_.emplace(key, static_cast<int>(name_ids_.size())).first->second;
}

void Assigner::add(const Reviewer& r) {
  Entry e;
  e.r = r;
  bool all_nonphysician = true;
  auto push_unique = [](std::vector<int>& v, int id) {
    if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
  };
  for (const auto& s : r.credentials.specialties) {
    std::string k = map_.canonical(s);
    all_nonphysician = all_nonphysician && map_.nonphysician(k);
    push_unique(e.specialties, specialty_id(k));
  }
  for (const auto& s : r.credentials.subspecialties) push_unique(e.specialties, specialty_id(map_.canonical(s)));
  for (const auto& s : r.credentials.board_certifications) push_unique(e.certifications, specialty_id(map_.canonical(s)));
  for (const auto& a : r.affiliations) e.affiliations.emplace_back(name_id(name_key(a.name)), a.kind);
  e.physician = !(all_nonphysician && !r.credentials.specialties.empty());
  auto existing = by_id_.find(r.id);
  std::size_t slot;
  if (existing != by_id_.end()) {
    slot = existing->second;
    for (int k : reviewers_[slot].specialties) {
      auto& v = index_[k];
      v.erase(std::remove(v.begin(), v.end(), slot), v.end());
    }
    reviewers_[slot] = std::move(e);
  } else {
    slot = reviewers_.size();
    reviewers_.push_back(std::move(e));
    by_id_[r.id] = slot;
    seen_.push_back(0);
  }
  for (int k : reviewers_[slot].specialties) index_[k].push_back(slot);
}

const Reviewer* Assigner::find(std::int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &reviewers_[it->second].r;
}

void Assigner::adjust_load(std::int64_t id, int delta) {
  auto it = by_id_.find(id);
  if (it != by_id_.end()) reviewers_[it->second].r.active_cases = std::max(0, reviewers_[it->second].r.active_cases + delta);
}

bool Assigner::qualifies(const Entry& e, const std::vector<char>& relevant,
                         const std::vector<std::pair<int, PartyKind>>& parties, Exclusion& why) const {
  const Reviewer& r = e.r;
  const Credentials& c = r.credentials;
  why.reviewer_id = r.id;
  auto fail = [&](ExclusionKind k, int value = 0, int limit = 0) {
    why.kind = k, why.value = value, why.limit = limit;
    return false;
  };
  if (!r.available) return fail(ExclusionKind::kUnavailable);
  if (c.licence_states.empty()) return fail(ExclusionKind::kLicence);
  if (c.years_active_practice <= policy_.min_years_exclusive)
    return fail(ExclusionKind::kExperience, c.years_active_practice, policy_.min_years_exclusive);
  if (c.weekly_practice_hours < policy_.min_weekly_hours)
    return fail(ExclusionKind::kHours, c.weekly_practice_hours, policy_.min_weekly_hours);
  auto any_relevant = [&](const std::vector<int>& ids) {
    for (int k : ids)
      if (relevant[k]) return true;
    return false;
  };
  if (!any_relevant(e.specialties)) return fail(ExclusionKind::kSpecialty);
  if (e.physician && !any_relevant(e.certifications)) return fail(ExclusionKind::kCertification);
  for (const auto& [name, kind] : e.affiliations)
    for (const auto& [party_name, party_kind] : parties)
      if (name == party_name) {
        why.affiliation = kind, why.party = party_kind;
        return fail(ExclusionKind::kConflict);
      }
  if (r.active_cases >= r.capacity) return fail(ExclusionKind::kCapacity, r.active_cases, r.capacity);
  return true;
}

AssignmentExplanation Assigner::choose(const Application& a, bool explain_all) const {
  AssignmentExplanation out;
  std::set<std::string> relevant_keys = map_.relevant(a);
  std::vector<char> relevant(specialty_keys_.size(), 0);
  std::vector<int> relevant_ids;
  for (const auto& k : relevant_keys) {
    out.relevant_specialties.push_back(map_.display(k));
    auto it = specialty_ids_.find(k);
    if (it != specialty_ids_.end()) relevant[it->second] = 1, relevant_ids.push_back(it->second);
  }
  // A party whose name no reviewer is tied to cannot conflict: only known names are kept.
  std::vector<std::pair<int, PartyKind>> parties;
  for (const auto& p : a.parties) {
    auto it = name_ids_.find(name_key(p.name));
    if (it != name_ids_.end()) parties.emplace_back(it->second, p.kind);
  }
  int physician = -1;
  if (!a.physician_specialty.empty()) {
    auto it = specialty_ids_.find(map_.canonical(a.physician_specialty));
    if (it != specialty_ids_.end()) physician = it->second;
  }

  const Entry* best = nullptr;
  bool best_same = false;
  std::int64_t conflict_counter = 0;
  auto consider = [&](const Entry& e) {
    ++out.considered;
    Exclusion why;
    if (!qualifies(e, relevant, parties, why)) {
      ++out.excluded_by_kind[to_string(why.kind)];
      if (why.kind == ExclusionKind::kConflict) ++conflict_counter;
      out.excluded.push_back(why);
      return;
    }
    ++out.qualified;
    bool same = physician >= 0 && std::find(e.specialties.begin(), e.specialties.end(), physician) != e.specialties.end();
    if (!best) {
      best = &e, best_same = same;
      return;
    }
    // Least loaded first (open cases over capacity, compared exactly), then the physician's own
    // specialty, then the lower id for a deterministic choice.
    std::int64_t lhs = std::int64_t{e.r.active_cases} * best->r.capacity;
    std::int64_t rhs = std::int64_t{best->r.active_cases} * e.r.capacity;
    if (lhs < rhs || (lhs == rhs && (same > best_same || (same == best_same && e.r.id < best->r.id))))
      best = &e, best_same = same;
  };
  if (explain_all) {
    for (const auto& e : reviewers_) consider(e);
  } else {
    ++generation_;
    for (int k : relevant_ids)
      for (std::size_t slot : index_[k]) {
        if (seen_[slot] == generation_) continue;
        seen_[slot] = generation_;
        consider(reviewers_[slot]);
      }
    int outside = static_cast<int>(reviewers_.size()) - out.considered;
    if (outside > 0) out.excluded_by_kind[to_string(ExclusionKind::kSpecialty)] += outside;
  }
  out.conflicts_avoided = static_cast<int>(conflict_counter);
  if (best) {
    out.reviewer_id = best->r.id;
    std::string spec;
    for (int k : best->specialties)
      if (relevant[k]) spec += (spec.empty() ? "" : ", ") + map_.display(specialty_keys_[k]);
    out.why = "reviewer " + std::to_string(best->r.id) + ": " + spec +
              (best_same ? " (the requesting physician's specialty)" : "") + "; " +
              (best->physician ? "board certified in a relevant specialty; " : "non-physician specialty; ") +
              std::to_string(best->r.credentials.years_active_practice) + " years and " +
              std::to_string(best->r.credentials.weekly_practice_hours) +
              " h/week of active practice; no tie to any party; least loaded of " + std::to_string(out.qualified) +
              " qualified (" + std::to_string(best->r.active_cases) + " of " + std::to_string(best->r.capacity) +
              " open cases)";
  } else {
    std::string kinds, specialties;
    for (const auto& [k, n] : out.excluded_by_kind) kinds += (kinds.empty() ? "" : ", ") + k + " " + std::to_string(n);
    for (const auto& s : out.relevant_specialties) specialties += (specialties.empty() ? "" : ", ") + s;
    out.why = "no reviewer qualifies among " + std::to_string(reviewers_.size()) + " (excluded: " +
              (kinds.empty() ? "registry empty" : kinds) + "); relevant specialties: " + specialties;
  }
  return out;
}

}  // namespace imr::casework

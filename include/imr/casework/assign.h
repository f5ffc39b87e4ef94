// Choosing the expert reviewer for a case (LC 139.5(d)(4), 8 CCR 9768.2 by analogy): no tie to
// any party, an unrestricted licence, a board certification relevant to the condition (MDs/DOs),
// the same or a similar specialty as those that treat the condition and the disputed items
// (data/casework/specialty_map.tsv), more than five years and at least 24 hours a week of active
// practice, and room in their caseload. Among the qualified, the least loaded (open cases over
// capacity) is chosen. Every choice is explained by reviewer id, never by name.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "imr/base/result.h"
#include "imr/casework/application.h"
#include "imr/casework/reviewer.h"

namespace imr::casework {

class SpecialtyMap {
 public:
  static Result<SpecialtyMap> load(const std::string& path = "");
  static const SpecialtyMap& standard();  // loaded once; empty on failure (nobody qualifies)
  static const std::string& load_error();

  // The canonical form of a specialty name (aliases resolved), as a comparison key.
  std::string canonical(std::string_view specialty) const;
  // Canonical keys of the specialties relevant to the application (see the data file).
  std::set<std::string> relevant(const Application& a) const;
  bool nonphysician(const std::string& canonical_key) const { return nonphysician_.count(canonical_key) > 0; }
  // The display name of a canonical key (as first written in the data file).
  std::string display(const std::string& canonical_key) const;

 private:
  std::unordered_map<std::string, std::string> alias_;           // key -> canonical key
  std::map<std::string, std::vector<std::string>> by_category_;  // lower-cased "cat" / "cat/sub"
  std::map<std::string, std::vector<std::string>> by_region_;
  std::vector<std::string> general_;
  std::set<std::string> nonphysician_;
  std::map<std::string, std::string> display_;
};

// The rules a reviewer must meet, with their defaults from LC 139.5 and the FDL boilerplate.
struct AssignmentPolicy {
  int min_years_exclusive = 5;  // "more than five years" of active practice
  int min_weekly_hours = 24;    // "at least 24 hours a week"
};

// Why a reviewer was not chosen. Kept compact (no strings) so that explaining every exclusion
// stays cheap at thousands of reviewers; reason() words it.
enum class ExclusionKind { kUnavailable, kLicence, kExperience, kHours, kSpecialty, kCertification, kConflict, kCapacity };
const char* to_string(ExclusionKind k);  // "unavailable", "licence", "experience", "hours", "specialty", ...

struct Exclusion {
  std::int64_t reviewer_id = 0;
  ExclusionKind kind = ExclusionKind::kSpecialty;
  int value = 0, limit = 0;  // years, hours or open cases, and the rule's limit
  AffiliationKind affiliation = AffiliationKind::kEmployer;  // kConflict: the reviewer's tie
  PartyKind party = PartyKind::kWorker;                     // kConflict: the party it meets
  // "conflict: insurer affiliation with a party of the case (claims_administrator)"; never names.
  std::string reason() const;
};

struct AssignmentExplanation {
  std::optional<std::int64_t> reviewer_id;  // nullopt when nobody qualifies
  std::string why;                          // why this reviewer, or why nobody
  std::vector<std::string> relevant_specialties;  // display names
  std::vector<Exclusion> excluded;          // every excluded reviewer when explain_all, else those considered
  int considered = 0;                       // reviewers examined (specialty index hits, or all)
  int qualified = 0;
  int conflicts_avoided = 0;                // qualified but for a conflict with a party
  // Counts of exclusion reasons by kind (to_string(ExclusionKind)).
  std::map<std::string, int> excluded_by_kind;
};

// The registry in memory, indexed by canonical specialty, with each reviewer's load. Not
// thread-safe; one Assigner per thread or a lock around it.
class Assigner {
 public:
  Assigner(const SpecialtyMap& map, AssignmentPolicy policy = {});
  void add(const Reviewer& r);  // replaces a reviewer of the same id
  std::size_t size() const { return reviewers_.size(); }
  const Reviewer* find(std::int64_t id) const;
  // Changes a reviewer's open-case count by `delta` (assignment +1, decision -1).
  void adjust_load(std::int64_t id, int delta);

  // Chooses a reviewer (does not change loads). With explain_all every reviewer of the registry is
  // examined and each excluded one gets its reason (slower: O(registry)); without it only the
  // specialty index's candidates are examined, and those outside the index are counted under
  // "specialty". REQUIRES: the application has at least one item.
  AssignmentExplanation choose(const Application& a, bool explain_all = false) const;

 private:
  // Specialties and party names are interned as small integers so that the checks of a
  // candidate are integer compares.
  struct Entry {
    Reviewer r;
    std::vector<int> specialties;     // canonical specialties and subspecialties
    std::vector<int> certifications;
    std::vector<std::pair<int, AffiliationKind>> affiliations;  // name id, kind
    bool physician = true;
  };
  int specialty_id(const std::string& canonical_key);
  int name_id(const std::string& key);
  // True when qualified; else fills `why`.
  bool qualifies(const Entry& e, const std::vector<char>& relevant, const std::vector<std::pair<int, PartyKind>>& parties,
                 Exclusion& why) const;

  const SpecialtyMap& map_;
  AssignmentPolicy policy_;
  std::vector<Entry> reviewers_;
  std::unordered_map<std::int64_t, std::size_t> by_id_;
  std::unordered_map<std::string, int> specialty_ids_, name_ids_;
  std::vector<std::string> specialty_keys_;
  std::vector<std::vector<std::size_t>> index_;  // specialty id -> reviewers
  mutable std::vector<std::uint32_t> seen_;  // generation stamps for de-duplicating candidates
  mutable std::uint32_t generation_ = 0;
};

}  // namespace imr::casework

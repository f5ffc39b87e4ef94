// Where a Casebook keeps its cases, audit log, reviewers and simulation progress: SQL (SQLite or
// PostgreSQL) or memory. The Casebook holds the rules; a CaseStore only stores and finds.
// Internal to the casework module.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "imr/casework/casebook.h"

namespace imr::casework::internal {

// Identity keys of an application, compared across cases (lower-cased, white space folded).
std::string worker_key(const Application& a);     // worker + date of injury
std::string merge_key(const Application& a);      // worker + physician + date of injury (9792.10.4)
std::string duplicate_key(const Application& a);  // worker + UR decision date + the requests
std::vector<std::string> treatment_keys(const Application& a);  // one per distinct request
std::string case_number_for(const CaseRecord& c);  // "CM" + two-digit year of receipt + "-" + 7-digit id

// The case's full record as stored (JSON), and back.
std::string record_to_json(const CaseRecord& c);
Result<CaseRecord> record_from_json(std::string_view json);

class CaseStore {
 public:
  virtual ~CaseStore() = default;
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;

  // By case number, numeric id or "claim:NUMBER"; `for_update` locks the row until commit.
  virtual Result<CaseRecord> load(const std::string& ref, bool for_update) = 0;
  // Inserts a new case (c.id == 0): sets c.id and c.case_number.
  virtual Status insert(CaseRecord& c) = 0;
  // Writes the case when its stored revision is `expected_revision` (kConflict otherwise).
  virtual Status update(const CaseRecord& c, std::int64_t expected_revision) = 0;
  virtual Status append_audit(std::int64_t case_id, const AuditEntry& e) = 0;
  virtual Result<std::vector<AuditEntry>> audit(std::int64_t case_id) = 0;
  virtual Result<std::vector<CaseRecord>> query(const CaseQuery& q) = 0;
  // Another case (not `not_id`, not merged) with the same duplicate key: its case number or "".
  virtual Result<std::string> duplicate_of(const std::string& key, std::int64_t not_id) = 0;
  // A decided case of the same worker on one of the treatments: its case number or "".
  virtual Result<std::string> earlier_imr(const std::string& worker, const std::vector<std::string>& treatments,
                                          std::int64_t not_id) = 0;
  // Eligible case numbers, earliest deadline first; rows other transactions hold are skipped.
  virtual Result<std::vector<std::string>> eligible_by_deadline(int limit) = 0;

  virtual Result<std::int64_t> insert_reviewer(const Reviewer& r, const std::string& name) = 0;
  virtual Result<std::vector<Reviewer>> load_reviewers() = 0;
  // Bumps on every change to the registry or a load, so a cached registry knows when to reload.
  virtual Result<std::int64_t> registry_version() = 0;
  // +1 only while active_cases < capacity (kConflict otherwise), -1 never below 0.
  virtual Status adjust_load(std::int64_t reviewer_id, int delta) = 0;
  virtual Result<std::string> reviewer_name(std::int64_t id) = 0;

  virtual Result<int> progress(const std::string& key) = 0;
  virtual Status set_progress(const std::string& key, int step) = 0;
};

Result<std::unique_ptr<CaseStore>> open_sql_case_store(const std::string& url);
std::unique_ptr<CaseStore> open_memory_case_store();

}  // namespace imr::casework::internal

// What the corpus store tests share: a fresh real database per test on each backend, raw SQL
// for checks the Store interface does not offer, and synthetic letters (never real ones).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imr/corpus/store.h"
#include "imr/letter/record.h"

namespace imr::corpus::testing {

// "sqlite" and "postgres": the backends every store test runs against.
const std::vector<std::string>& backends();

// A fresh, empty database for one test, dropped when this goes away. For "postgres" it is a
// schema of its own on $IMR_TEST_PG_URL (available() is false when that is unset).
class TestDb {
 public:
  explicit TestDb(const std::string& backend);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  bool available() const { return available_; }
  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }  // a scratch directory for the test's files
  // Runs SQL against the database directly and returns the first column of the first row ("" when
  // none), for checks and for tampering (e.g. a newer schema_version).
  std::string sql(const std::string& statement) const;
  std::int64_t sql_int(const std::string& statement) const;

 private:
  std::string backend_, url_, dir_, schema_;
  bool available_ = false;
};

inline constexpr const char* kSkipNoPostgres =
    "SKIP: no PostgreSQL (set IMR_TEST_PG_URL; scripts/pg-test-cluster.sh starts one)";

// A letter with every field set; `n` varies the case number, dates, texts and decisions.
letter::Letter sample_letter(int n);
// A stored form of sample_letter(n) with hand-made normalised fields (independent of the
// normalisation rules): categories cycle through a fixed list.
StoredLetter sample_stored(int n);
// sample_letter(n) as a text letter in the 2016 header layout, which the reader understands.
std::string sample_letter_text(int n);

}  // namespace imr::corpus::testing

// What the SQLite and PostgreSQL stores share: the relational schema's use (inserting letters,
// loading them back, filters, statistics, export). Each backend supplies statement execution,
// transactions, its migrations and its full-text search. Internal to the corpus module.
//
// The tables (same names and columns in both backends; DDL lives with each backend). Long texts
// live in *_texts tables so that the narrow tables statistics scan stay small at millions of rows:
//   letters(id, letter_key UNIQUE, case_number, source, template, date_assigned, decision_date,
//           date_of_injury, ur_denial_date, application_received, priority, board_certified,
//           patient_age, patient_sex, warnings JSON, item_count)
//   letter_texts(letter_id, clinical_summary)
//   reviewer_credentials(letter_id, kind licensure_state|specialty|subspecialty, position, value)
//   items(id, letter_id, position, request, decision, category, subcategory, body_region,
//         drug_name, drug_strength, drug_quantity, retrospective, sessions)
//   item_texts(item_id, original_request, authorized_portion, claims_administrator_basis,
//              reviewer_basis, rationale); in PostgreSQL also `request`, a copy of items.request
//              that its search trigger reads (item_texts_request; NULL in rows stored before
//              schema 7)
//   citations(item_id, basis claims_administrator|reviewer, position, source, title, edition,
//             sections JSON, pages JSON, catalog_key, catalog_source, catalog_guideline, catalog_topic)
//   item_guidelines(item_id, catalog_key): distinct catalog keys the reviewer cited, for filters
//             and statistics by guideline.
//   stats_rollup(dimension, group_key, upheld, overturned): item counts per statistics group,
//             kept current by put_letters in the same transaction, so that unfiltered `stats`
//             reads a few hundred rows instead of scanning millions (issue 3: stats < 1 s at 1M).
//             Dimensions are the GroupBy words ("category", ..., "month"); dimension "letters"
//             holds letter counts in its `upheld` column: keys "all", "upheld" (letters with an
//             upheld item), "overturned".
//   stats_index_chunks(after_letter_id PRIMARY KEY, through_letter_id, format, data BLOB/bytea):
//             the statistics index's saved chunks (Store::visit_stats_index_chunks), a cache
//             that any process may rebuild from the tables above.
// letters.item_count lets anyone check that a letter has all its items. Each backend keeps its
// full-text index current with a trigger on item_texts (inserted last for each item), so every
// insert path is searchable.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "imr/corpus/store.h"

namespace imr::corpus::internal {

// A statement parameter: NULL, an integer, text, or bytes (a BLOB / bytea column; for run(), not
// insert_rows).
struct Param {
  enum Kind { kNull, kInt, kText, kBlob } kind = kNull;
  std::int64_t i = 0;
  std::string s;
  static Param null() { return {}; }
  static Param of(std::int64_t v) { return {kInt, v, {}}; }
  static Param of(std::string v) { return {kText, 0, std::move(v)}; }
  static Param of(const std::optional<std::string>& v) { return v ? of(*v) : null(); }
  static Param of(const std::optional<int>& v) { return v ? of(std::int64_t{*v}) : null(); }
  static Param blob(std::string bytes) { return {kBlob, 0, std::move(bytes)}; }
};

// A result row, every column as text (NULL as nullopt); a BLOB / bytea column as its bytes.
using Row = std::vector<std::optional<std::string>>;
using RowFn = std::function<Status(const Row&)>;

class SqlStore : public Store {
 public:
  Result<std::vector<bool>> put_letters(const std::vector<StoredLetter>& batch,
                                        std::vector<StatsFacts>* added_facts = nullptr) override;
  Result<StoredLetter> get_letter(const std::string& key_or_id) override;
  Result<Stats> stats(GroupBy by, const Filters& filters) override;
  Status export_items(const std::function<Status(const ExportRow&)>& visit) override;
  Status visit_stats_facts(std::int64_t after_id, const std::function<Status(const StatsFacts&)>& visit) override;
  Status visit_stats_index_chunks(std::int64_t from, bool with_data,
                                  const std::function<Status(const StatsIndexChunk&)>& visit) override;
  Status put_stats_index_chunk(const StatsIndexChunk& chunk) override;
  // The newest letter id: letters are never updated or deleted, so the store changes exactly
  // when it grows (a rolled-back batch leaves the same id behind, with the same content).
  Result<std::int64_t> generation() override;

 protected:
  // Runs one statement whose parameters are written `?`; calls `on_row` for each result row
  // (`on_row` may be empty). Errors name the database.
  virtual Status run(const std::string& sql, const std::vector<Param>& params, const RowFn& on_row) = 0;
  // Opens a write transaction that holds the store's write lock: no other writer (thread or
  // process) writes letters until commit or rollback. put_letters relies on it to give ids.
  virtual Status begin_write() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;

  // Rows for one table, columns in the order given.
  struct RowBatch {
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::vector<Param>> rows;
  };
  // Inserts `b.rows` into `b.table` inside the open write transaction. The default runs one
  // INSERT per row; PostgreSQL sends the batch as one COPY (a round trip per row made its ingest
  // four times slower than parsing).
  virtual Status insert_rows(const RowBatch& b);
  // Adds `b`'s (dimension, group_key, upheld, overturned) rows to stats_rollup's counts, inside
  // the open write transaction. The default runs one upsert per row.
  virtual Status add_to_rollup(const RowBatch& b);
  // Whether put_letters writes item_texts.request (items.request again): PostgreSQL's search
  // trigger computes an item's vector from its item_texts row alone (its migration 7).
  virtual bool item_texts_request() const { return false; }

  // Runs `sql` and returns the first column of the first row, if any.
  Result<std::optional<std::string>> scalar(const std::string& sql, const std::vector<Param>& params);

 private:
  // A new letter's rows in every table, one RowBatch per table.
  struct LetterRows {
    explicit LetterRows(bool item_texts_request);
    RowBatch letters, letter_texts, credentials, items, item_texts, citations, item_guidelines;
    bool item_texts_request;
  };
  // Appends `letter`'s rows to `rows` with id `letter_id`; its items take ids from `next_item_id` on.
  static Status add_rows(const StoredLetter& letter, std::int64_t letter_id, std::int64_t& next_item_id,
                         LetterRows& rows);
  // Adds a stored letter's counts to `deltas` ((dimension, key) -> (upheld, overturned)).
  static void count_rollup(const StoredLetter& letter,
                           std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>>& deltas);
  // Statistics from stats_rollup: unfiltered, or filtered by decision alone.
  Result<Stats> rollup_stats(GroupBy by, std::optional<letter::Decision> decision);
  // Loads the letters with lo <= id <= hi, ordered by id.
  Result<std::vector<StoredLetter>> load_range(std::int64_t lo, std::int64_t hi);
};

// Migration 3 of both backends (standard SQL): creates stats_rollup and fills it from the
// stored items with the same grouping stats() uses.
extern const char* const kStatsRollupMigration;

// kInvalidArgument for a malformed filter (bad date, empty name), with the message every
// statistics and search answer gives.
Status check_filters(const Filters& filters);
// " AND ..." clauses over aliases l (letters) and i (items) for `filters`, appending their
// parameters. Errors as check_filters.
Result<std::string> filter_sql(const Filters& filters, std::vector<Param>& params);
// Whether the filters need the letters table (alias l) joined.
bool filters_use_letters(const Filters& filters);

// Replaces each `?` outside quoted literals with $1, $2, ... (PostgreSQL's parameter syntax).
std::string numbered_placeholders(const std::string& sql);

// The words of a user's query: runs of ASCII letters and digits or non-ASCII bytes. Everything
// else (quotes, operators, parentheses, '*', ':') only separates words. Function words ("and",
// "of", "the", ...) are dropped unless nothing else is left.
std::vector<std::string> query_words(const std::string& text);

std::int64_t to_int(const std::optional<std::string>& v);

// A search hit from a row whose first six columns are l.case_number, l.letter_key, i.position,
// i.request, i.decision, i.category (both backends' search queries select them so); the caller
// sets score and snippet.
SearchHit search_hit_from_row(const Row& r);

}  // namespace imr::corpus::internal

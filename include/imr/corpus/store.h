// The corpus store: letters, their disputed items, citations and reviewer credentials, with the
// normalised fields that make the corpus answerable (category, body region, drug, guideline).
//
// One interface, two backends with the same behaviour: SQLite (embedded; one file, WAL, FTS5) and
// PostgreSQL (libpq; tsvector + GIN). A Store is opened by URL:
//   "sqlite:PATH" or a bare PATH        SQLite file (created when missing, unless told otherwise)
//   "postgresql://..." / "postgres://..." a PostgreSQL database (libpq connection URI)
// The schema is versioned; missing migrations are applied in one transaction when a store opens,
// and a database written by a newer imr is refused (kFailedPrecondition) rather than misread.
//
// Thread safety: a Store is used by one thread at a time. prepare_letter() is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/normalize.h"
#include "imr/letter/record.h"

namespace imr::corpus {

// One disputed item with what the normaliser derived from it.
struct StoredItem {
  NormalizedItem normalized;
  // One entry per citation of the item's basis paragraphs, in the same order.
  std::vector<CatalogCitation> claims_administrator_catalog;
  std::vector<CatalogCitation> reviewer_catalog;
};

// A letter as the store keeps it. `items[i]` belongs to `letter.items[i]`.
struct StoredLetter {
  std::int64_t id = 0;  // assigned by the store; 0 before the letter is stored
  std::string key;      // identity: the case number, else "fp:" + content_fingerprint(letter)
  letter::Letter letter;
  std::vector<StoredItem> items;
};

// A stable fingerprint of what a letter says, independent of its form (PDF, text, seed shape):
// 32 hex digits of SHA-256 over the clinical summary, item requests and decisions, lower-cased
// with everything but letters and digits removed.
std::string content_fingerprint(const letter::Letter& letter);

// Normalises every item, maps every citation into the catalog and computes the key. Strings are
// made valid UTF-8 without NUL bytes so that any letter the reader returns can be stored.
StoredLetter prepare_letter(letter::Letter letter, const Normalizer& normalizer);

// What to restrict search and stats to. Every set field must hold (AND). Text comparisons are
// case-insensitive.
struct Filters {
  std::optional<letter::Decision> decision;
  std::optional<std::string> category;   // category or subcategory name ("Injections", "Opioids")
  std::optional<std::string> guideline;  // reviewer-cited catalog key or key prefix ("MTUS", "ODG/Low Back")
  std::optional<std::string> specialty;  // a reviewer specialty or subspecialty
  std::optional<std::string> from;       // decision date >= from (YYYY-MM-DD)
  std::optional<std::string> to;         // decision date <= to (YYYY-MM-DD)
};

// Whether Store::stats answers `filters` from its rollup table at once (no filter, or the
// decision alone); any other filter makes it join and scan (see stats_index.h).
inline bool answered_from_rollup(const Filters& f) {
  return !f.category && !f.guideline && !f.specialty && !f.from && !f.to;
}

struct SearchQuery {
  std::string text;  // plain words; quotes and operators are not syntax, only word separators
  Filters filters;
  int limit = 20;
  // Ranking every match of a common word is what makes search slow at millions of items. When
  // more items match (query and filters) than this, only the most recently stored `max_ranked`
  // of them are ranked (on each of the two texts: own text, letter summary). 0 ranks every match.
  int max_ranked = 2000;
};

struct SearchHit {
  std::optional<std::string> case_number;
  std::string letter_key;
  int item = 0;  // 0-based index in the letter
  std::string request;
  letter::Decision decision = letter::Decision::kUpheld;
  std::string category;
  double score = 0;      // higher is more relevant; comparable within one result list only
  std::string snippet;   // matched terms marked as [term]
};

enum class GroupBy { kNone, kCategory, kSubcategory, kBodyRegion, kGuideline, kSpecialty, kMonth, kDecision };
// "category", "subcategory", "body-region", "guideline", "specialty", "month", "decision".
std::optional<GroupBy> parse_group_by(const std::string& word);

struct StatsGroup {
  std::string key;  // "(none)" for items without a value (no date, no reviewer citation, ...)
  std::int64_t items = 0, upheld = 0, overturned = 0;
};

// Totals over the items the filters select (letters: those with at least one such item), and
// the same counts per group, most items first. An item counts once in each group it belongs to
// (an item citing two guidelines is in both; so group sums may exceed the totals).
struct Stats {
  std::int64_t letters = 0, items = 0, upheld = 0, overturned = 0;
  std::vector<StatsGroup> groups;
};

// What statistics group and filter a letter's items by (StatsIndex loads these).
struct StatsFacts {
  std::int64_t letter_id = 0;
  std::optional<std::string> decision_date;
  std::vector<std::string> specialties, subspecialties;  // the reviewer's, in letter order
  struct Item {
    std::string category, subcategory, body_region;
    letter::Decision decision = letter::Decision::kUpheld;
    std::vector<std::string> guidelines;  // distinct catalog keys the reviewer cited
  };
  std::vector<Item> items;  // in letter order
};

// A saved piece of the statistics index (stats_index.h), which the store keeps as opaque bytes:
// what the letters with after_letter_id < id <= through_letter_id say, in a format only the
// index reads. Letters are never updated or deleted, so a chunk stays true once written.
struct StatsIndexChunk {
  std::int64_t after_letter_id = 0;    // the key
  std::int64_t through_letter_id = 0;
  int format = 0;    // the writer's version of `data`
  std::string data;  // empty when visited without data
};

// One disputed item with its letter, as export() hands it out.
struct ExportRow {
  const StoredLetter& letter;  // the whole letter; valid only during the visit
  int item;                    // 0-based index of the item in letter.letter.items
};

enum class OpenMode { kCreate, kExisting };

class Store {
 public:
  virtual ~Store() = default;

  // Opens (and migrates) the store named by `url`. kInvalidArgument for a malformed URL,
  // kNotFound when mode is kExisting and the SQLite file does not exist, kIoError when the file
  // or server cannot be reached, kUnrecognized when the file is not an imr database,
  // kFailedPrecondition when the schema is newer than this binary.
  static Result<std::unique_ptr<Store>> open(const std::string& url, OpenMode mode = OpenMode::kCreate);

  // Latest schema version this binary knows, and the version of the open database.
  static int latest_schema_version();
  virtual int schema_version() = 0;

  // A number that changes whenever letters are added (by this or any other process) and stays
  // the same while nothing is: what a cache of search or statistics answers keys on. One cheap
  // indexed read.
  virtual Result<std::int64_t> generation() = 0;

  // Stores a batch in one transaction: either every new letter of the batch (with all its
  // items, citations and credentials) is stored, or none is. A letter whose key is already
  // stored (or earlier in the batch) is left as it is. Returns, per letter in order, true when
  // added and false when already present. On failure nothing of the batch is stored.
  // When `added_facts` is given it receives, once the batch is committed, the statistics facts
  // of the letters added, ids ascending, exactly as visit_stats_facts would read them back: what
  // `imr ingest` builds the saved statistics index from without reading the tables again.
  virtual Result<std::vector<bool>> put_letters(const std::vector<StoredLetter>& batch,
                                                std::vector<StatsFacts>* added_facts = nullptr) = 0;

  // By key (case number or "fp:..."), or by numeric id. kNotFound when absent.
  virtual Result<StoredLetter> get_letter(const std::string& key_or_id) = 0;

  // Ranked full-text search (BM25-like) over requests, rationales and clinical summaries; best
  // first. An item matches when every word of the query is in its own request and rationale, or
  // every word is in its letter's clinical summary; its score adds the two, its own text weighing
  // more (request most), so items about the words come before items of letters that mention
  // them. kInvalidArgument when the text has no words or a filter is malformed.
  virtual Result<std::vector<SearchHit>> search(const SearchQuery& query) = 0;

  // Counts over the selected items, grouped `by` (no groups for kNone). One GROUP BY query.
  virtual Result<Stats> stats(GroupBy by, const Filters& filters) = 0;

  // Visits the letters whose id is greater than `after_id`, in id order, with the fields
  // statistics use; streaming, a page of letters at a time. Stops at and returns the first
  // non-OK Status the visitor returns.
  virtual Status visit_stats_facts(std::int64_t after_id, const std::function<Status(const StatsFacts&)>& visit) = 0;

  // The statistics index's saved chunks, a cache: what a chunk says can always be read from the
  // letters again, so a missing or unreadable one costs time, never an answer. Visits the
  // chunks whose after_letter_id >= `from`, in that order, a few at a time (memory does not grow
  // with their number); `with_data` false leaves `data` empty (a cheap listing). Stops at and
  // returns the first non-OK Status the visitor returns.
  virtual Status visit_stats_index_chunks(std::int64_t from, bool with_data,
                                          const std::function<Status(const StatsIndexChunk&)>& visit) = 0;

  // Inserts `chunk`, or replaces the saved one with the same after_letter_id unless that one
  // reaches further (a larger through_letter_id: another process saved more meanwhile). One
  // statement in its own transaction: a process killed while saving leaves each chunk whole, old
  // or new. kInvalidArgument when through_letter_id <= after_letter_id.
  virtual Status put_stats_index_chunk(const StatsIndexChunk& chunk) = 0;

  // Visits every item in letter-id then item order, streaming: memory does not grow with the
  // corpus. Stops at and returns the first non-OK Status the visitor returns.
  virtual Status export_items(const std::function<Status(const ExportRow&)>& visit) = 0;
};

// The database URL a verb uses: `flag` when given, else $IMR_DB, else "imr.db".
std::string resolve_db_url(const std::string& flag);

}  // namespace imr::corpus

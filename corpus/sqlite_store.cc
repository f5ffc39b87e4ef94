// The embedded backend: one SQLite file in WAL mode, FTS5 for search.
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "backends.h"
#include "sql_store.h"
#include "sqlite_rank.h"

namespace imr::corpus::internal {
namespace {

// Ordered migrations; entry k takes the schema from version k to k + 1. Never edit a shipped
// entry: add a new one.
const char* const kMigrations[] = {
    // 1: the relational schema. Indexes serve the filters and the GROUP BYs of stats; the
    // (category, subcategory, decision) and (body_region, decision) ones cover their statistics.
    R"sql(
CREATE TABLE letters (
  id INTEGER PRIMARY KEY,
  letter_key TEXT NOT NULL UNIQUE,
  case_number TEXT,
  source TEXT NOT NULL,
  template TEXT NOT NULL,
  date_assigned TEXT,
  decision_date TEXT,
  date_of_injury TEXT,
  ur_denial_date TEXT,
  application_received TEXT,
  priority TEXT,
  board_certified INTEGER,
  patient_age INTEGER,
  patient_sex TEXT,
  warnings TEXT NOT NULL,
  item_count INTEGER NOT NULL
);
CREATE INDEX letters_decision_date ON letters (decision_date);
CREATE TABLE letter_texts (
  letter_id INTEGER PRIMARY KEY REFERENCES letters (id) ON DELETE CASCADE,
  clinical_summary TEXT
);
CREATE TABLE reviewer_credentials (
  letter_id INTEGER NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  position INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (letter_id, kind, position)
) WITHOUT ROWID;
CREATE INDEX reviewer_credentials_value ON reviewer_credentials (kind, value);
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  letter_id INTEGER NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  request TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('upheld', 'overturned')),
  category TEXT NOT NULL,
  subcategory TEXT NOT NULL,
  body_region TEXT NOT NULL,
  drug_name TEXT,
  drug_strength TEXT,
  drug_quantity INTEGER,
  retrospective INTEGER NOT NULL,
  sessions INTEGER,
  UNIQUE (letter_id, position)
);
CREATE INDEX items_category ON items (category, subcategory, decision);
CREATE INDEX items_body_region ON items (body_region, decision);
CREATE TABLE item_texts (
  item_id INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
  original_request TEXT,
  authorized_portion TEXT,
  claims_administrator_basis TEXT,
  reviewer_basis TEXT,
  rationale TEXT
);
CREATE TABLE citations (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  basis TEXT NOT NULL,
  position INTEGER NOT NULL,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  edition TEXT,
  sections TEXT NOT NULL,
  pages TEXT NOT NULL,
  catalog_key TEXT NOT NULL,
  catalog_source TEXT NOT NULL,
  catalog_guideline TEXT NOT NULL,
  catalog_topic TEXT,
  PRIMARY KEY (item_id, basis, position)
) WITHOUT ROWID;
CREATE TABLE item_guidelines (
  item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  catalog_key TEXT NOT NULL,
  PRIMARY KEY (item_id, catalog_key)
) WITHOUT ROWID;
CREATE INDEX item_guidelines_key ON item_guidelines (catalog_key, item_id);
)sql",
    // 2: full-text search. External content: the index stores no copy of the text, the view
    // supplies it to snippet(). The summary is the letter's, indexed with each of its items so
    // that bm25 ranks items. Rows are never deleted, so there is no delete trigger.
    R"sql(
CREATE VIEW items_search AS
  SELECT i.id AS id, i.request AS request, t.rationale AS rationale, s.clinical_summary AS clinical_summary
  FROM items i JOIN item_texts t ON t.item_id = i.id JOIN letter_texts s ON s.letter_id = i.letter_id;
CREATE VIRTUAL TABLE items_fts USING fts5 (
  request, rationale, clinical_summary,
  content = 'items_search', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO items_fts (items_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
CREATE TRIGGER items_fts_insert AFTER INSERT ON item_texts BEGIN
  INSERT INTO items_fts (rowid, request, rationale, clinical_summary)
  SELECT i.id, i.request, new.rationale, s.clinical_summary
  FROM items i JOIN letter_texts s ON s.letter_id = i.letter_id WHERE i.id = new.item_id;
END;
INSERT INTO items_fts (items_fts) VALUES ('rebuild');
)sql",
    // 3: statistics rollup (sql_store.h).
    kStatsRollupMigration,
    // 4: the summary is indexed once per letter, not once per item. Indexing it with each item
    // made ingest pay for the summary 2.5 times over and put common summary words in most item
    // rows; now items_fts holds each item's own request and rationale, summaries_fts each
    // letter's clinical summary, and search combines the two (SqliteStore::search).
    R"sql(
DROP TRIGGER IF EXISTS items_fts_insert;
DROP TABLE IF EXISTS items_fts;
DROP VIEW IF EXISTS items_search;
DROP VIEW IF EXISTS item_search_texts;
DROP TRIGGER IF EXISTS summaries_fts_insert;
DROP TABLE IF EXISTS summaries_fts;
CREATE VIEW item_search_texts AS
  SELECT i.id AS id, i.request AS request, t.rationale AS rationale
  FROM items i JOIN item_texts t ON t.item_id = i.id;
CREATE VIRTUAL TABLE items_fts USING fts5 (
  request, rationale,
  content = 'item_search_texts', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_fts_insert AFTER INSERT ON item_texts BEGIN
  INSERT INTO items_fts (rowid, request, rationale)
  SELECT i.id, i.request, new.rationale FROM items i WHERE i.id = new.item_id;
END;
INSERT INTO items_fts (items_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE summaries_fts USING fts5 (
  clinical_summary,
  content = 'letter_texts', content_rowid = 'letter_id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER summaries_fts_insert AFTER INSERT ON letter_texts BEGIN
  INSERT INTO summaries_fts (rowid, clinical_summary) VALUES (new.letter_id, new.clinical_summary);
END;
INSERT INTO summaries_fts (summaries_fts) VALUES ('rebuild');
)sql",
    // 5: PostgreSQL drops its child tables' foreign keys (see its migration 5); SQLite keeps them.
    "SELECT 1",
    // 6: the statistics index's saved chunks (sql_store.h, stats_index.h).
    R"sql(
CREATE TABLE IF NOT EXISTS stats_index_chunks (
  after_letter_id INTEGER PRIMARY KEY,
  through_letter_id INTEGER NOT NULL,
  format INTEGER NOT NULL,
  data BLOB NOT NULL
);
)sql",
    // 7: PostgreSQL copies each item's request into item_texts for its search trigger (see its
    // migration 7); SQLite's full-text index reads the request from items.
    "SELECT 1",
    // 8: PostgreSQL keeps planner statistics on lower-cased filter columns (see its migration 8);
    // SQLite keeps statistics only for indexes (ANALYZE), and the filters need none here.
    "SELECT 1",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion);

Code code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return Code::kUnrecognized;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Code::kConflict;
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_NOMEM: return Code::kIoError;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH: return Code::kInvalidArgument;
    default: return Code::kInternal;
  }
}

class SqliteStore final : public SqlStore {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Status init() {
    IMR_RETURN_IF_ERROR(exec("PRAGMA busy_timeout = 30000"));
    IMR_RETURN_IF_ERROR(exec("PRAGMA journal_mode = WAL"));
    // NORMAL with WAL: every commit is atomic and survives a killed process; only a power loss
    // may drop the last commits (never corrupt). The ingest re-run completes what was lost.
    IMR_RETURN_IF_ERROR(exec("PRAGMA synchronous = NORMAL"));
    IMR_RETURN_IF_ERROR(exec("PRAGMA foreign_keys = ON"));
    IMR_RETURN_IF_ERROR(exec("PRAGMA cache_size = -65536"));
    // A checkpoint every 64 MB of WAL instead of every 4 MB: each one costs the committing
    // thread two fsyncs, and at the default an ingest of 100,000 letters made 600 of them (6 s
    // of a 50 s run spent waiting on the disk). The WAL file grows to about 64 MB.
    IMR_RETURN_IF_ERROR(exec("PRAGMA wal_autocheckpoint = 16384"));
    if (int rc = register_imr_bm25(db_); rc != SQLITE_OK)
      return internal_error(path_ + ": cannot register the imr_bm25 ranking function (SQLite without FTS5?)");
    return migrate();
  }

  int schema_version() override { return version_; }

  Result<std::vector<SearchHit>> search(const SearchQuery& q) override {
    auto words = query_words(q.text);
    if (words.empty()) return invalid_argument("search query '" + q.text + "' has no words");
    if (q.limit <= 0) return invalid_argument("search limit must be positive");
    // Each word is quoted so FTS5 reads it as a string, never as syntax (AND, NEAR, *, ^, ...).
    std::vector<std::string> phrases;
    std::string match;
    for (const auto& w : words) {
      phrases.push_back("\"" + w + "\"");
      match += (match.empty() ? "" : " ") + phrases.back();
    }
    // Two passes, one per full-text table: the items' own texts (request weighs 10, rationale
    // 4), then the letters' summaries (weight 1) joined out to their items. Each pass ranks the
    // newest max_ranked matches that pass the filters (FTS5 walks a doclist in rowid order
    // cheaply; ranking is the cost), with imr_bm25 fed estimated document frequencies (see
    // sqlite_rank.h). Ranking first, snippets after: only the shown hits need one.
    struct Candidate {
      double score = 0;
      bool own_text = false;  // matched in its own request/rationale (else only in the summary)
      std::int64_t letter_id = 0;
    };
    std::unordered_map<std::int64_t, Candidate> candidates;
    bool letters_join = filters_use_letters(q.filters);
    struct Pass {
      const char* table;
      const char* weights;
      const char* join;  // from the FTS table (outer loop, rowid order) to items i
      const char* span;  // min and max rowid of the FTS table's content
      bool own_text;
    };
    const Pass passes[] = {
        {"items_fts", "10.0, 4.0", " CROSS JOIN items i ON i.id = items_fts.rowid", "SELECT (SELECT min(id) FROM items), (SELECT max(id) FROM items)",
         true},
        {"summaries_fts", "1.0", " CROSS JOIN items i ON i.letter_id = summaries_fts.rowid",
         "SELECT (SELECT min(letter_id) FROM letter_texts), (SELECT max(letter_id) FROM letter_texts)", false},
    };
    for (const Pass& pass : passes) {
      std::vector<Param> params;
      std::string sql = std::string("SELECT i.id, i.letter_id, imr_bm25(") + pass.table + ", " + pass.weights;
      for (const auto& phrase : phrases) {
        auto df = document_frequency(pass.table, pass.span, phrase);
        if (!df.ok()) return df.status();
        sql += ", ?";
        params.push_back(Param::of(static_cast<std::int64_t>(*df)));
      }
      sql += std::string(") FROM ") + pass.table + pass.join +
             (letters_join ? " JOIN letters l ON l.id = i.letter_id" : "") + " WHERE " + pass.table + " MATCH ?";
      params.push_back(Param::of(match));
      auto where = filter_sql(q.filters, params);
      if (!where.ok()) return where.status();
      sql += *where;
      if (q.max_ranked > 0) {
        sql += std::string(" ORDER BY ") + pass.table + ".rowid DESC LIMIT ?";
        params.push_back(Param::of(std::int64_t{q.max_ranked}));
      }
      IMR_RETURN_IF_ERROR(run(sql, params, [&](const Row& r) {
        Candidate& c = candidates[to_int(r[0])];
        c.letter_id = to_int(r[1]);
        c.score += r[2] ? std::strtod(r[2]->c_str(), nullptr) : 0.0;
        c.own_text = c.own_text || pass.own_text;
        return Status();
      }));
    }
    std::vector<std::pair<std::int64_t, Candidate>> ranked(candidates.begin(), candidates.end());
    // Best score first; equal scores newest first, so the order is deterministic.
    auto better = [](const auto& a, const auto& b) {
      return a.second.score != b.second.score ? a.second.score > b.second.score : a.first > b.first;
    };
    std::size_t keep = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(q.limit));
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(), better);
    ranked.resize(keep);
    std::vector<SearchHit> hits;
    for (const auto& ranked_hit : ranked) {
      // Named copies, not a structured binding: the lambda below captures them (clang 14).
      std::int64_t item_id = ranked_hit.first;
      const Candidate& c = ranked_hit.second;
      // The snippet comes from the text the item matched in: its own, else its letter's summary.
      std::string sql = c.own_text
                            ? "SELECT l.case_number, l.letter_key, i.position, i.request, i.decision, i.category,"
                              " snippet(items_fts, -1, '[', ']', '…', 24) FROM items_fts CROSS JOIN items i"
                              " ON i.id = items_fts.rowid JOIN letters l ON l.id = i.letter_id"
                              " WHERE items_fts MATCH ? AND items_fts.rowid = ? AND i.id = ?"
                            : "SELECT l.case_number, l.letter_key, i.position, i.request, i.decision, i.category,"
                              " snippet(summaries_fts, 0, '[', ']', '…', 24) FROM summaries_fts CROSS JOIN items i"
                              " ON i.letter_id = summaries_fts.rowid JOIN letters l ON l.id = i.letter_id"
                              " WHERE summaries_fts MATCH ? AND summaries_fts.rowid = ? AND i.id = ?";
      IMR_RETURN_IF_ERROR(run(sql, {Param::of(match), Param::of(c.own_text ? item_id : c.letter_id), Param::of(item_id)},
                              [&](const Row& r) {
                                SearchHit h = search_hit_from_row(r);
                                h.score = c.score;
                                h.snippet = r[6].value_or("");
                                hits.push_back(std::move(h));
                                return Status();
                              }));
    }
    return hits;
  }

 protected:
  Status run(const std::string& sql, const std::vector<Param>& params, const RowFn& on_row) override {
    sqlite3_stmt* stmt = nullptr;
    auto cached = cache_.find(sql);
    if (cached != cache_.end()) {
      stmt = cached->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                  nullptr);
      if (rc != SQLITE_OK) return error(rc);
      cache_.emplace(sql, stmt);
    }
    for (std::size_t k = 0; k < params.size(); ++k) {
      const Param& p = params[k];
      int idx = static_cast<int>(k + 1);
      int rc = p.kind == Param::kNull   ? sqlite3_bind_null(stmt, idx)
               : p.kind == Param::kInt  ? sqlite3_bind_int64(stmt, idx, p.i)
               : p.kind == Param::kBlob ? sqlite3_bind_blob64(stmt, idx, p.s.data(), p.s.size(), SQLITE_STATIC)
                                        : sqlite3_bind_text(stmt, idx, p.s.data(), static_cast<int>(p.s.size()),
                                                            SQLITE_STATIC);
      if (rc != SQLITE_OK) {
        sqlite3_reset(stmt);
        return error(rc);
      }
    }
    Status status;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        status = error(rc);
        break;
      }
      if (!on_row) continue;
      int n = sqlite3_column_count(stmt);
      Row row(n);
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) continue;
        // A BLOB comes back as its bytes (no conversion in a UTF-8 database); an empty one as NULL.
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row[c] = t ? std::string(t, sqlite3_column_bytes(stmt, c)) : std::string();
      }
      status = on_row(row);
      if (!status.ok()) break;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return status;
  }

  // IMMEDIATE takes the write lock up front, so a concurrent writer waits (busy_timeout) instead
  // of failing half-way through a batch.
  Status begin_write() override { return exec("BEGIN IMMEDIATE"); }
  Status commit() override { return exec("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)exec("ROLLBACK");
  }

 private:
  // How many rows of FTS `table` contain `phrase`, for imr_bm25's idf. Exact when at most
  // kExactDf rows match (rare words: a short walk); otherwise estimated from how densely the
  // newest kExactDf matches sit in the newest rowids (`span` gives the content's rowid range;
  // ids are dense because rows are never deleted). Bounded work whatever the corpus size; an
  // estimate moves idf only a little, and idf only weighs the words of one query against each
  // other.
  Result<double> document_frequency(const std::string& table, const char* span, const std::string& phrase) {
    constexpr std::int64_t kExactDf = 1000;
    std::int64_t count = 0, oldest = 0;
    IMR_RETURN_IF_ERROR(run("SELECT rowid FROM " + table + " WHERE " + table + " MATCH ? ORDER BY rowid DESC LIMIT ?",
                            {Param::of(phrase), Param::of(kExactDf)}, [&](const Row& r) {
                              ++count;
                              oldest = to_int(r[0]);
                              return Status();
                            }));
    if (count < kExactDf) return static_cast<double>(count);
    std::int64_t lo = 0, hi = 0;
    IMR_RETURN_IF_ERROR(run(span, {}, [&](const Row& r) {
      lo = to_int(r[0]);
      hi = to_int(r[1]);
      return Status();
    }));
    if (hi < oldest) return static_cast<double>(count);
    return static_cast<double>(count) * static_cast<double>(hi - lo + 1) / static_cast<double>(hi - oldest + 1);
  }

  Status error(int rc) const {
    return Status(code_for(rc), path_ + ": " + sqlite3_errmsg(db_));
  }

  Status exec(const char* sql) {
    char* msg = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
    if (rc == SQLITE_OK) return {};
    std::string m = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    if ((rc & 0xff) == SQLITE_NOTADB) return unrecognized(path_ + ": not an imr database (" + m + ")");
    return Status(code_for(rc), path_ + ": " + m);
  }

  Result<int> read_version() {
    auto has = scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", {});
    if (!has.ok()) return has.status();
    if (to_int(*has) == 0) {
      auto tables = scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'", {});
      if (!tables.ok()) return tables.status();
      // A database with tables of its own but no schema_version is someone else's: refuse to
      // write into it.
      if (to_int(*tables) > 0) return unrecognized(path_ + ": not an imr database (it has no schema_version table)");
      return 0;
    }
    auto v = scalar("SELECT max(version) FROM schema_version", {});
    if (!v.ok()) return v.status();
    return static_cast<int>(to_int(*v));
  }

  Status migrate() {
    auto v = read_version();
    if (!v.ok()) return v.status();
    if (*v > kSchemaVersion)
      return failed_precondition(path_ + ": database schema version " + std::to_string(*v) +
                                 " is newer than this imr supports (" + std::to_string(kSchemaVersion) +
                                 "); use a newer imr");
    if (*v == kSchemaVersion) {
      version_ = *v;
      return {};
    }
    IMR_RETURN_IF_ERROR(begin_write());
    v = read_version();  // another process may have migrated while we waited for the lock
    Status s = v.ok() ? Status() : v.status();
    if (s.ok()) s = exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    for (int k = v.ok() ? *v : 0; s.ok() && k < kSchemaVersion; ++k) {
      s = exec(kMigrations[k]);
      if (s.ok())
        s = run("INSERT INTO schema_version (version, applied_at) VALUES (?, datetime('now'))",
                {Param::of(std::int64_t{k + 1})}, {});
      if (!s.ok()) s = s.with_context("migration " + std::to_string(k + 1));
    }
    if (s.ok()) s = commit();
    if (!s.ok()) {
      rollback();
      return s;
    }
    version_ = kSchemaVersion;
    return {};
  }

  sqlite3* db_;
  std::string path_;
  int version_ = 0;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, OpenMode mode) {
  if (path.empty()) return invalid_argument("empty SQLite database path");
  std::error_code ec;
  if (mode == OpenMode::kExisting && !std::filesystem::exists(path, ec))
    return not_found(path + ": no such database (run `imr ingest` first, or give --db)");
  if (std::filesystem::is_directory(path, ec)) return invalid_argument(path + ": is a directory, not a database file");
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (mode == OpenMode::kCreate ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return io_error(path + ": cannot open database: " + m);
  }
  sqlite3_extended_result_codes(db, 0);
  auto store = std::make_unique<SqliteStore>(db, path);
  IMR_RETURN_IF_ERROR(store->init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace imr::corpus::internal

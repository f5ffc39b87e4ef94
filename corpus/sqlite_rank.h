// BM25 for FTS5 without FTS5's per-query scan of every match. Internal to the corpus module.
//
// FTS5's built-in bm25() learns each phrase's document frequency by walking the phrase's whole
// doclist on every query, so even a query that ranks only the newest 2,000 matches costs time in
// proportion to the corpus (5 ms per common word at 100k items, ten times that at 1M). imr_bm25
// takes the document frequencies as arguments instead; the store estimates them with a bounded
// walk (see SqliteStore::document_frequency) and the per-row work is the same as bm25()'s.
#pragma once

#include <sqlite3.h>

namespace imr::corpus::internal {

// Registers the auxiliary function
//   imr_bm25(fts_table, w_1, ..., w_C, df_1, ..., df_P)
// on `db`: C column weights (the table's column count) then P document frequencies (the query's
// phrase count, in query order). It returns the Okapi BM25 score (k1 = 1.2, b = 0.75, as FTS5's
// bm25()) as a positive number, higher is better: for each phrase, idf * f * (k1 + 1) /
// (f + k1 * (1 - b + b * len / avglen)), where f is the weighted count of the phrase's
// instances in the row, len the row's token count, idf = ln((N - df + 0.5) / (df + 0.5)) floored
// at 1e-6 and N the table's row count. Wrong argument counts raise an SQL error naming the
// function. Returns an SQLite result code.
int register_imr_bm25(sqlite3* db);

}  // namespace imr::corpus::internal

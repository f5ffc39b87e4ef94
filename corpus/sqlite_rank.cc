#include "sqlite_rank.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace imr::corpus::internal {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// Per-query constants, computed on the first row and kept with xSetAuxdata.
struct QueryConstants {
  double avg_len = 1.0;
  std::vector<double> idf;
};

void fail(sqlite3_context* ctx, const std::string& message) {
  sqlite3_result_error(ctx, message.c_str(), static_cast<int>(message.size()));
}

void imr_bm25(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args, sqlite3_value** args) {
  int n_cols = api->xColumnCount(fts);
  int n_phrases = api->xPhraseCount(fts);
  if (n_args != n_cols + n_phrases) {
    fail(ctx, "imr_bm25: expected " + std::to_string(n_cols) + " column weights and " + std::to_string(n_phrases) +
                  " document frequencies, got " + std::to_string(n_args) + " arguments");
    return;
  }
  auto* constants = static_cast<QueryConstants*>(api->xGetAuxdata(fts, 0));
  if (constants == nullptr) {
    auto fresh = new QueryConstants();
    sqlite3_int64 rows = 0;
    int rc = api->xRowCount(fts, &rows);
    sqlite3_int64 tokens = 0;
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc != SQLITE_OK) {
      delete fresh;
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    fresh->avg_len = rows > 0 ? std::max(1.0, static_cast<double>(tokens) / static_cast<double>(rows)) : 1.0;
    for (int p = 0; p < n_phrases; ++p) {
      double df = std::max(0.0, sqlite3_value_double(args[n_cols + p]));
      double n = static_cast<double>(rows);
      double idf = std::log((n - df + 0.5) / (df + 0.5));
      fresh->idf.push_back(idf > 1e-6 ? idf : 1e-6);
    }
    rc = api->xSetAuxdata(fts, fresh, [](void* p) { delete static_cast<QueryConstants*>(p); });
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);  // xSetAuxdata has already freed `fresh`
      return;
    }
    constants = fresh;
  }

  int row_len = 0;
  int rc = api->xColumnSize(fts, -1, &row_len);
  int n_inst = 0;
  if (rc == SQLITE_OK) rc = api->xInstCount(fts, &n_inst);
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  // Weighted frequency of each phrase in this row: each instance counts its column's weight.
  double freq_small[8] = {0};
  std::vector<double> freq_large;
  double* freq = freq_small;
  if (n_phrases > 8) {
    freq_large.assign(static_cast<std::size_t>(n_phrases), 0.0);
    freq = freq_large.data();
  }
  for (int k = 0; k < n_inst; ++k) {
    int phrase = 0, col = 0, offset = 0;
    rc = api->xInst(fts, k, &phrase, &col, &offset);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    freq[phrase] += sqlite3_value_double(args[col]);
  }
  double norm = kK1 * (1.0 - kB + kB * static_cast<double>(row_len) / constants->avg_len);
  double score = 0.0;
  for (int p = 0; p < n_phrases; ++p)
    score += constants->idf[static_cast<std::size_t>(p)] * freq[p] * (kK1 + 1.0) / (freq[p] + norm);
  sqlite3_result_double(ctx, score);
}

fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return api;
}

}  // namespace

int register_imr_bm25(sqlite3* db) {
  fts5_api* api = fts5_of(db);
  if (api == nullptr || api->iVersion < 2) return SQLITE_ERROR;
  return api->xCreateFunction(api, "imr_bm25", nullptr, imr_bm25, nullptr);
}

}  // namespace imr::corpus::internal

// Exporting the corpus for spreadsheets and notebooks: one row per disputed item with its
// letter's fields and its normalised fields.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/corpus/store.h"

namespace imr::corpus {

enum class ExportFormat { kCsv, kJsonl };
// "csv" / "jsonl"; nullopt otherwise.
std::optional<ExportFormat> parse_export_format(const std::string& word);

// The columns, in order (the CSV header; the JSONL keys). Lists are "; "-joined in CSV and
// arrays in JSONL; absent values are empty cells in CSV and null in JSONL.
const std::vector<std::string>& export_columns();

// Streams every item of `store` to `out` (bounded memory). CSV follows RFC 4180: fields with a
// comma, quote, line break or edge space are quoted, quotes doubled; lines end in CRLF.
// kIoError when `out` fails.
Status export_corpus(Store& store, ExportFormat format, std::ostream& out);

// One CSV field, quoted when it needs to be.
std::string csv_field(const std::string& value);

}  // namespace imr::corpus

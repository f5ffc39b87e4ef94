// The statistics index's saved form: a chunk of consecutive letters' statistics facts with its own
// dictionary of names, as bytes (Store::put_stats_index_chunk keeps them). Internal to the corpus
// module; fuzz/stats_chunk_fuzz.cc reads it too, since the bytes come from a database that any
// process (or a bad disk) may have written.
//
// Format 1, every integer an unsigned LEB128 varint unless said otherwise:
//   "imrS", format (1 byte)
//   after_letter_id, through_letter_id
//   letters, items, specialties, subspecialties, guidelines, names   (the counts below)
//   names: byte length, bytes; each in turn
//   per letter: date (name id + 1; 0 for none), items, specialties, subspecialties
//   specialty name ids, then subspecialty name ids (each letter's in turn)
//   per item: category, subcategory, body region (name ids), guidelines * 2 + overturned
//   guideline name ids (each item's in turn)
//   FNV-1a 64 of all the bytes before it (8 bytes, little-endian)
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"

namespace imr::corpus::internal {

constexpr int kStatsChunkFormat = 1;
constexpr std::uint32_t kNoName = std::numeric_limits<std::uint32_t>::max();

// Letters with after_letter_id < id <= through_letter_id, in id order. Text values are ids into
// `names`. The *_count arrays say how many entries of the next array each letter (or item) has.
struct StatsChunk {
  std::int64_t after_letter_id = 0, through_letter_id = 0;
  std::vector<std::string> names;
  // Per letter.
  std::vector<std::uint32_t> date;  // kNoName for a letter without a decision date
  std::vector<std::uint32_t> item_count, specialty_count, subspecialty_count;
  std::vector<std::uint32_t> specialties, subspecialties;
  // Per item, the letters' in turn.
  std::vector<std::uint32_t> category, subcategory, region, guideline_count;
  std::vector<std::uint8_t> overturned;  // 0 or 1
  std::vector<std::uint32_t> guidelines;

  bool operator==(const StatsChunk&) const = default;
};

// The bytes of `chunk`. REQUIRES: the chunk is consistent (as decode_stats_chunk checks).
std::string encode_stats_chunk(const StatsChunk& chunk);

// The chunk in `bytes`. kUnrecognized for anything but a whole, consistent chunk of format
// kStatsChunkFormat (wrong checksum, truncated, counts that do not add up, a name id out of
// range, trailing bytes). What it returns satisfies every REQUIRES above: counts add up to the
// arrays' sizes and every id is in range. Never allocates much more than `bytes` holds.
Result<StatsChunk> decode_stats_chunk(std::string_view bytes);
// The same into `chunk`, reusing its arrays' memory (a load decodes dozens of chunks). On
// failure `chunk` holds a part of the bytes: use it only after success.
Status decode_stats_chunk(std::string_view bytes, StatsChunk& chunk);

// FNV-1a 64 of `bytes` (the trailer), for the fuzz target to make inputs that reach the parser.
std::uint64_t stats_chunk_checksum(std::string_view bytes);

}  // namespace imr::corpus::internal

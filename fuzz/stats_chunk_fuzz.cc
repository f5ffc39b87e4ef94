// libFuzzer target for the statistics index's chunk decoder (corpus/stats_chunk.h), which reads
// bytes saved in a database that another process, another version of imr or a bad disk may have
// written: any bytes must come back as a consistent chunk or a Status, without a crash, a leak or
// a hang. Each input is also tried with its right checksum appended, so that inputs get past the
// checksum into the parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "stats_chunk.h"

namespace {

void check(std::string_view bytes) {
  using namespace imr::corpus::internal;
  imr::Result<StatsChunk> chunk = decode_stats_chunk(bytes);
  if (!chunk.ok()) {
    if (chunk.status().message().empty()) __builtin_trap();
    return;
  }
  // What was read writes back, and the written form reads back to the same chunk.
  imr::Result<StatsChunk> again = decode_stats_chunk(encode_stats_chunk(*chunk));
  if (!again.ok() || !(*again == *chunk)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  check(raw);
  std::string sealed(raw);
  std::uint64_t sum = imr::corpus::internal::stats_chunk_checksum(raw);
  for (int k = 0; k < 8; ++k) sealed.push_back(static_cast<char>((sum >> (8 * k)) & 0xff));
  check(sealed);
  return 0;
}

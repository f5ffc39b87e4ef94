// libFuzzer target for the record JSON reader (letter_from_json), which reads records written by
// other tools (`imr render`, ingest): any bytes must come back as a Letter or a Status, without a
// crash, an exception escaping, a leak or a hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "imr/letter/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  imr::Result<imr::letter::Letter> letter = imr::letter::letter_from_json(bytes);
  if (!letter.ok()) {
    if (letter.status().message().empty()) __builtin_trap();
    return 0;
  }
  // What was read writes back, and the written form reads back to the same record.
  std::string line = imr::letter::to_json_line(*letter);
  imr::Result<imr::letter::Letter> again = imr::letter::letter_from_json(line);
  if (!again.ok()) __builtin_trap();
  return 0;
}

// libFuzzer target for the text path of the letter reader: any bytes read as a ".txt" file must
// come back as a Letter or as a Status naming the source, without a crash, a leak, a hang or time
// that grows faster than the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "imr/letter/json.h"
#include "imr/letter/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  imr::Result<imr::letter::Letter> letter = imr::letter::read_letter_bytes(bytes, "fuzz.txt");
  if (!letter.ok()) {
    // Every error names the file it is about.
    if (letter.status().message().rfind("fuzz.txt: ", 0) != 0) __builtin_trap();
    return 0;
  }
  // A record the reader produced always serialises, and its JSON reads back.
  std::string line = imr::letter::to_json_line(*letter);
  if (!imr::letter::letter_from_json(line).ok()) __builtin_trap();
  return 0;
}

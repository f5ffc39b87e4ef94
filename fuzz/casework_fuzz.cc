// libFuzzer target for the casework JSON readers, which read what scripts and people send
// (`imr case new`, `imr reviewer add`, `imr case decide`): any bytes must come back as a value or a
// Status with a message, without a crash, an exception escaping, a leak or a hang. What was read
// writes back and reads back to the same value; a reviewer's JSON never carries the name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "imr/casework/application.h"
#include "imr/casework/casebook.h"
#include "imr/casework/reviewer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto app = imr::casework::application_from_json(bytes);
  if (app.ok()) {
    auto again = imr::casework::application_from_json(imr::casework::to_json(*app));
    if (!again.ok() || !(*again == *app)) __builtin_trap();
  } else if (app.status().message().empty()) {
    __builtin_trap();
  }
  auto reg = imr::casework::reviewer_from_json(bytes);
  if (reg.ok()) {
    std::string out = imr::casework::to_json(reg->reviewer, true);
    if (reg->name.size() > 3 && out.find("\"name\":\"" + reg->name + "\"") != std::string::npos) __builtin_trap();
  } else if (reg.status().message().empty()) {
    __builtin_trap();
  }
  auto det = imr::casework::determination_from_json(bytes);
  if (!det.ok() && det.status().message().empty()) __builtin_trap();
  return 0;
}

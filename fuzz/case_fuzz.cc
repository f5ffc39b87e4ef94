// libFuzzer target for the case-file reader (review::case_from_json), which reads files outside
// tools write, and for the fact extractor that then reads its free-text summary: any bytes must
// give a CaseFile or a Status naming a field, facts with spans inside the summary, and a case file
// that writes back and reads back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "imr/review/case.h"
#include "imr/review/facts.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const imr::review::FactExtractor* extractor = [] {
    auto e = imr::review::FactExtractor::load();
    if (!e.ok()) __builtin_trap();  // the data files are part of the build
    return new imr::review::FactExtractor(std::move(e).value());
  }();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto c = imr::review::case_from_json(bytes);
  if (!c.ok()) {
    if (c.status().message().empty()) __builtin_trap();
    return 0;
  }
  auto again = imr::review::case_from_json(imr::review::case_to_json(*c));
  if (!again.ok() || again->items.size() != c->items.size()) __builtin_trap();
  auto facts = extractor->extract(*c);
  for (const auto& [name, f] : facts.facts)
    if (f.span.begin > f.span.end || f.span.end > c->clinical_summary.size()) __builtin_trap();
  return 0;
}

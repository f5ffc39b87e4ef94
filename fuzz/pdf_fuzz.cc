// libFuzzer target for the PDF path of the letter reader: any bytes must come back as a Document
// or a Status naming the source, without a crash, a leak or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "imr/letter/document.h"

// fontconfig, which poppler consults once per process for fonts a PDF does not embed, keeps its
// configuration for the life of the process and never frees it. That one allocation is not a leak
// of the reader; leaks per input are still reported.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  imr::Result<imr::letter::Document> doc = imr::letter::document_from_pdf(bytes, "fuzz.pdf");
  if (!doc.ok() && doc.status().message().rfind("fuzz.pdf: ", 0) != 0) __builtin_trap();
  return 0;
}

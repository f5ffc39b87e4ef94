// The call site of the letter module's writers: text (render_letter), PDF (render_letter_pdf),
// and the redacted public version of both (redact_letter), which is what gets published.
#include "imr/casework/letters.h"

#include <filesystem>
#include <fstream>

#include "imr/letter/pdf_writer.h"
#include "imr/letter/redact.h"
#include "imr/letter/writer.h"

namespace imr::casework {
namespace {

Status write_file(const std::string& path, const std::string& bytes) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) return io_error(path + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return io_error(path + ": cannot write: " + ec.message());
  return {};
}

// The case's parties as the redaction knows them: every name the public version must not carry.
std::vector<letter::Party> redaction_parties(const Application& a) {
  std::vector<letter::Party> out;
  for (const auto& p : a.parties) {
    if (p.name.find_first_not_of(" \t") == std::string::npos) continue;
    letter::PartyRole role = p.kind == PartyKind::kWorker      ? letter::PartyRole::kWorker
                             : p.kind == PartyKind::kPhysician ? letter::PartyRole::kPhysician
                             : p.kind == PartyKind::kEmployer  ? letter::PartyRole::kEmployer
                             : p.kind == PartyKind::kAttorney  ? letter::PartyRole::kAttorney
                                                               : letter::PartyRole::kOther;
    out.push_back({p.name, role});
  }
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> write_letter_files(const letter::Letter& letter, const Application& application,
                                                              const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error(dir + ": cannot create directory: " + ec.message());
  auto redacted = letter::redact_letter(letter, redaction_parties(application));
  if (!redacted.ok()) return redacted.status();
  auto pdf = letter::render_letter_pdf(letter);
  if (!pdf.ok()) return pdf.status();
  auto public_pdf = letter::render_letter_pdf(*redacted);
  if (!public_pdf.ok()) return public_pdf.status();
  std::string base = dir + "/" + letter.case_number.value_or("letter");
  const std::pair<const char*, std::pair<std::string, std::string>> outputs[] = {
      {"text", {base + ".txt", letter::render_letter(letter)}},
      {"pdf", {base + ".pdf", *pdf}},
      {"public_text", {base + ".public.txt", letter::render_letter(*redacted)}},
      {"public_pdf", {base + ".public.pdf", *public_pdf}},
  };
  std::map<std::string, std::string> files;
  for (const auto& [kind, file] : outputs) {
    Status s = write_file(file.first, file.second);
    if (!s.ok()) {
      for (const auto& [k, path] : files) std::filesystem::remove(path, ec);
      return s;
    }
    files[kind] = file.first;
  }
  return files;
}

}  // namespace imr::casework

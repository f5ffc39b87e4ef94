// Turning a letter record into what the store keeps: identity key, normalised items, catalog.
#include <algorithm>
#include <cctype>

#include "imr/base/text.h"
#include "imr/corpus/store.h"
#include "sha256.h"

namespace imr::corpus {
namespace {

// Both databases reject NUL bytes in text and PostgreSQL rejects invalid UTF-8; a reader may
// hand over either from a damaged file, and one odd byte must not cost the whole letter.
void clean(std::string& s) {
  if (s.find('\0') != std::string::npos) s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
  if (!text::valid_utf8(s)) s = text::sanitize_utf8(s);
}
void clean(std::optional<std::string>& s) {
  if (s) clean(*s);
}
void clean(std::vector<std::string>& v) {
  for (auto& s : v) clean(s);
}
void clean(std::optional<letter::GuidelineBasis>& b) {
  if (!b) return;
  clean(b->text);
  for (auto& c : b->citations) {
    clean(c.source);
    clean(c.title);
    clean(c.edition);
    clean(c.sections);
    clean(c.pages);
  }
}
void clean(letter::Letter& l) {
  clean(l.source);
  clean(l.template_name);
  for (auto* s : {&l.case_number, &l.date_assigned, &l.decision_date, &l.date_of_injury, &l.ur_denial_date,
                  &l.application_received, &l.clinical_summary})
    clean(*s);
  clean(l.reviewer.licensure_states);
  clean(l.reviewer.specialties);
  clean(l.reviewer.subspecialties);
  clean(l.warnings);
  for (auto& item : l.items) {
    clean(item.request);
    clean(item.original_request);
    clean(item.authorized_portion);
    clean(item.rationale);
    clean(item.claims_administrator_basis);
    clean(item.reviewer_basis);
  }
}

// Keeps ASCII letters and digits, lower-cased: what survives every form a letter comes in
// (line breaks, hyphenation, curly quotes, ligatures and spacing differ between PDF and text).
void append_folded(std::string& out, std::string_view s) {
  for (char c : text::ascii_punctuation(s)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  out.push_back('\x1f');  // field separator: "ab"+"c" and "a"+"bc" must differ
}

}  // namespace

std::string content_fingerprint(const letter::Letter& letter) {
  std::string folded;
  append_folded(folded, letter.clinical_summary.value_or(""));
  for (const auto& item : letter.items) {
    append_folded(folded, item.request);
    append_folded(folded, letter::to_string(item.decision));
  }
  return sha256_hex(folded).substr(0, 32);
}

StoredLetter prepare_letter(letter::Letter letter, const Normalizer& normalizer) {
  clean(letter);
  StoredLetter out;
  std::string case_number = letter.case_number ? std::string(text::trim(*letter.case_number)) : "";
  std::transform(case_number.begin(), case_number.end(), case_number.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  out.key = case_number.empty() ? "fp:" + content_fingerprint(letter) : case_number;
  out.items.reserve(letter.items.size());
  for (const auto& item : letter.items) {
    StoredItem si;
    si.normalized = normalizer.normalize(item);
    if (item.claims_administrator_basis)
      for (const auto& c : item.claims_administrator_basis->citations)
        si.claims_administrator_catalog.push_back(normalizer.catalog(c));
    if (item.reviewer_basis)
      for (const auto& c : item.reviewer_basis->citations) si.reviewer_catalog.push_back(normalizer.catalog(c));
    out.items.push_back(std::move(si));
  }
  out.letter = std::move(letter);
  return out;
}

}  // namespace imr::corpus

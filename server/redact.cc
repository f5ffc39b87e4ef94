#include "redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace imr::server::internal {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_name_char(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '\'' || c == '-'; }

// A word as the scanner sees it: [begin, end) in the text.
struct Word {
  std::size_t begin, end;
};

std::vector<Word> words_of(std::string_view t) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
    std::size_t b = i;
    while (i < t.size() && !std::isspace(static_cast<unsigned char>(t[i]))) ++i;
    if (i > b) out.push_back({b, i});
  }
  return out;
}

// "Roe", "O'Neil", "Smith-Jones", "J." (an initial), with trailing , ; : . ) allowed.
// A word as the search snippet marks it ("[Roe]," → "Roe").
std::string_view unmark(std::string_view w) {
  if (!w.empty() && w.front() == '[') w.remove_prefix(1);
  std::size_t close = w.find(']');
  if (close != std::string_view::npos) w = w.substr(0, close);
  return w;
}

bool looks_like_name(std::string_view w) {
  w = unmark(w);
  while (!w.empty() && (w.back() == ',' || w.back() == ';' || w.back() == ':' || w.back() == ')')) w.remove_suffix(1);
  if (w.size() == 2 && is_upper(w[0]) && w[1] == '.') return true;
  if (!w.empty() && w.back() == '.') w.remove_suffix(1);
  if (w.size() < 2 || !is_upper(w[0])) return false;
  for (char c : w)
    if (!is_name_char(c)) return false;
  // ALL-CAPS words are headings and acronyms (MRI, MTUS), not names.
  for (char c : w.substr(1))
    if (std::islower(static_cast<unsigned char>(c))) return true;
  return false;
}

std::string_view strip_punct(std::string_view w) {
  while (!w.empty() && (w.back() == ',' || w.back() == '.' || w.back() == ';' || w.back() == ':')) w.remove_suffix(1);
  return w;
}

bool is_title(std::string_view w) {
  static const std::array<std::string_view, 7> kTitles = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Doctor", "Mx"};
  w = strip_punct(unmark(strip_punct(w)));
  for (auto t : kTitles)
    if (w == t) return true;
  return false;
}

bool is_suffix(std::string_view w) {
  static const std::array<std::string_view, 12> kSuffixes = {"M.D", "MD", "D.O", "DO", "D.C", "DC", "PA-C", "NP", "Ph.D", "PhD", "DPM", "LCSW"};
  w = strip_punct(w);
  for (auto s : kSuffixes)
    if (w == s) return true;
  return false;
}

}  // namespace

std::string redact_names(std::string_view t) {
  std::vector<Word> ws = words_of(t);
  // Mark the word ranges to replace, then rebuild the text once.
  std::vector<bool> masked(ws.size(), false);
  for (std::size_t k = 0; k < ws.size(); ++k) {
    std::string_view w = t.substr(ws[k].begin, ws[k].end - ws[k].begin);
    if (is_title(w)) {
      // The title stays (it tells the reader a person was named); up to three name words go.
      for (std::size_t j = k + 1; j < ws.size() && j <= k + 3; ++j) {
        std::string_view n = t.substr(ws[j].begin, ws[j].end - ws[j].begin);
        if (!looks_like_name(n)) break;
        masked[j] = true;
        if (n.back() == ',' || n.back() == ';') break;
      }
    } else if (is_suffix(w) && k > 0) {
      std::string_view prev = t.substr(ws[k - 1].begin, ws[k - 1].end - ws[k - 1].begin);
      if (prev.back() != ',') continue;  // "Smith, M.D." but not "the MD reviewed"
      for (std::size_t j = k; j-- > 0 && j + 3 >= k;) {
        std::string_view n = t.substr(ws[j].begin, ws[j].end - ws[j].begin);
        // Only the name's last word carries the comma; a title before the name stays.
        if (is_title(n) || (j + 1 != k && (n.back() == ',' || n.back() == ';' || n.back() == ':'))) break;
        if (!looks_like_name(n)) break;
        masked[j] = true;
      }
    }
  }
  std::string out;
  out.reserve(t.size());
  std::size_t at = 0;
  for (std::size_t k = 0; k < ws.size(); ++k) {
    if (!masked[k]) continue;
    // A run of masked words becomes one "[name]", keeping the run's trailing punctuation.
    std::size_t j = k;
    while (j + 1 < ws.size() && masked[j + 1]) ++j;
    std::string_view last = t.substr(ws[j].begin, ws[j].end - ws[j].begin);
    std::size_t keep = 0;
    while (keep < last.size() && (last[last.size() - 1 - keep] == ',' || last[last.size() - 1 - keep] == ';' ||
                                  last[last.size() - 1 - keep] == ':' || last[last.size() - 1 - keep] == ')' ||
                                  last[last.size() - 1 - keep] == '.'))
      ++keep;
    out.append(t.substr(at, ws[k].begin - at));
    out += "[name]";
    out.append(last.substr(last.size() - keep));
    at = ws[j].end;
    k = j;
  }
  out.append(t.substr(at));
  return out;
}

namespace {

// Every free-text field of a letter that redact_letter() scrubs.
std::vector<std::string> free_texts(const letter::Letter& l) {
  std::vector<std::string> out;
  if (l.clinical_summary) out.push_back(*l.clinical_summary);
  for (const auto& it : l.items) {
    out.push_back(it.request);
    for (const auto* s : {&it.original_request, &it.authorized_portion, &it.rationale})
      if (*s) out.push_back(**s);
    for (const auto* b : {&it.claims_administrator_basis, &it.reviewer_basis})
      if (*b) out.push_back((*b)->text);
  }
  return out;
}

std::string bare(std::string_view w) {
  while (!w.empty() && !std::isalnum(static_cast<unsigned char>(w.front()))) w.remove_prefix(1);
  while (!w.empty() && !std::isalnum(static_cast<unsigned char>(w.back()))) w.remove_suffix(1);
  return std::string(w);
}

}  // namespace

std::vector<std::string> name_words(const letter::Letter& l) {
  std::vector<std::string> out;
  for (const std::string& t : free_texts(l)) {
    std::string r = redact_names(t);
    if (r == t) continue;
    // Words of the original that are absent from the redacted text are the masked ones.
    std::vector<Word> kept = words_of(r), all = words_of(t);
    std::vector<std::string> kept_bare;
    for (const auto& w : kept) kept_bare.push_back(bare(r.substr(w.begin, w.end - w.begin)));
    for (const auto& w : all) {
      std::string b = bare(t.substr(w.begin, w.end - w.begin));
      if (b.size() < 2 || std::find(kept_bare.begin(), kept_bare.end(), b) != kept_bare.end()) continue;
      if (std::find(out.begin(), out.end(), b) == out.end()) out.push_back(b);
    }
  }
  return out;
}

std::string redact_fragment(std::string_view text, const std::vector<std::string>& words) {
  std::string r = redact_names(text);
  if (words.empty()) return r;
  std::string out;
  std::size_t at = 0;
  for (const auto& w : words_of(r)) {
    std::string_view raw = std::string_view(r).substr(w.begin, w.end - w.begin);
    std::string b = bare(raw);
    if (std::find(words.begin(), words.end(), b) == words.end()) continue;
    std::size_t pos = raw.find(b), end = pos + b.size();
    // A marked word "[Roe]" becomes "[name]", not "[[name]]".
    if (pos > 0 && raw[pos - 1] == '[' && end < raw.size() && raw[end] == ']') --pos, ++end;
    out.append(r, at, w.begin + pos - at);
    out += "[name]";
    at = w.begin + end;
  }
  out.append(r, at, std::string::npos);
  return out;
}

letter::Letter redact_letter(const letter::Letter& in) {
  letter::Letter l = in;
  l.reviewer = {};
  l.source.clear();
  l.warnings.clear();
  auto scrub = [](std::optional<std::string>& s) {
    if (s) s = redact_names(*s);
  };
  scrub(l.clinical_summary);
  for (auto& it : l.items) {
    it.request = redact_names(it.request);
    scrub(it.original_request);
    scrub(it.authorized_portion);
    scrub(it.rationale);
    for (auto* basis : {&it.claims_administrator_basis, &it.reviewer_basis})
      if (*basis) (*basis)->text = redact_names((*basis)->text);
  }
  return l;
}

}  // namespace imr::server::internal

// Renders a record as a Final Determination Letter in the 2016 layout.
//
// Two shapes of text, both of which the reader must accept:
//   kHeader: what pdftotext (default mode) makes of a published 2016 letter, except that the
//            header block is one "Label: value" line per field. Body lines carry no blank lines
//            between paragraphs (the PDF's paragraph spacing does not survive pdftotext); a page
//            break is "\n\f" every kLinesPerPage lines, wherever it falls, as in the corpus.
//   kSeed:   the shape the seed letters came in: no header block, every line followed by a blank
//            line, a trailing space on every line, " " lines between paragraphs.
// Everything the record leaves absent is left out, so the reader reads it back as absent.
#include "imr/letter/writer.h"

#include <array>
#include <cstdint>
#include <string_view>

#include "wording.h"

namespace imr::letter {
namespace {

// pdftotext pages of the published letters hold about this many body lines.
constexpr int kLinesPerPage = 52;

using namespace wording;  // the fixed headings and formulas (wording.h)

// Small boilerplate differences the real letters show. Which one a letter gets is a pure function
// of the record (a hash of its case number and summary), so rendering stays deterministic while a
// rendered corpus exercises every wording the reader must accept.
struct Wording {
  bool physician_noun = false;     // "a physician reviewer" instead of "an expert reviewer" (board form)
  bool singular_service = false;   // "disputed items/Service" instead of "disputed items/services"
  int rationale_lead = 0;          // 0 none, 1 "The Physician Reviewer's ...", 2 "The Expert Reviewer's ..."
};

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

Wording pick_wording(const Letter& letter) {
  std::uint64_t h = 14695981039346656037ull;
  if (letter.case_number) h = fnv1a(h, *letter.case_number);
  if (letter.clinical_summary) h = fnv1a(h, *letter.clinical_summary);
  h ^= h >> 29;
  Wording w;
  w.physician_noun = (h & 1) != 0;
  w.singular_service = ((h >> 1) & 3) == 0;  // about a quarter of the letters
  unsigned lead = (h >> 3) % 8;              // most rationales carry no lead-in
  w.rationale_lead = lead == 0 ? 1 : lead == 1 ? 2 : 0;
  return w;
}

// "2016-11-09" -> "11/09/2016". A value that is not ISO is written as it is: the writer does not
// invent dates, and the reader's date parser accepts what it can.
std::string letter_date(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-')
    return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "/" + iso.substr(0, 4);
  return iso;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// A table rather than comparisons: the wrap loop tests every character of every letter.
constexpr auto kSpaceTable = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'}) t[c] = true;
  return t;
}();
bool is_space(char c) { return kSpaceTable[static_cast<unsigned char>(c)]; }

// True when `s` holds white space other than ' ' (\t \n \v \f \r). Branch-free so it vectorises.
bool has_other_space(std::string_view s) {
  bool any = false;
  for (char c : s) any |= static_cast<unsigned char>(c - '\t') <= static_cast<unsigned char>('\r' - '\t');
  return any;
}

// Accumulates the letter's lines in the chosen shape.
class LetterText {
 public:
  LetterText(const RenderOptions& options, std::string& out)
      : seed_(options.shape == TextShape::kSeed), width_(options.width < 20 ? 20 : options.width), out_(out) {}

  // One line as given (headings, header fields, fixed formulas): never wrapped; white space that
  // would break the line (a newline in a header value) becomes a space.
  void line(std::string_view s) {
    if (has_other_space(s)) {
      normalized_.assign(s);
      for (char& c : normalized_)
        if (is_space(c)) c = ' ';
      s = normalized_;
    }
    emit(s, " ");
  }

  // A paragraph wrapped greedily at the width. Every white-space character counts as a space, so
  // no text can smuggle a line break into the layout; runs of spaces (redaction gaps) are kept
  // inside a line. A run where a line breaks is dropped in the header shape and kept as the
  // line's trailing spaces in the seed shape, which is how the seed letters show them.
  // Rendering a million synthetic letters spends its time here, so the break is found per line
  // (look at the width, back up to a space) rather than per word.
  void paragraph(std::string_view s) {
    if (has_other_space(s)) {
      normalized_.assign(s);
      for (char& c : normalized_)
        if (is_space(c)) c = ' ';
      s = normalized_;
    }
    std::size_t pos = s.find_first_not_of(' ');
    if (pos == std::string_view::npos) return;
    std::size_t end = s.find_last_not_of(' ') + 1;
    const std::size_t width = static_cast<std::size_t>(width_);
    while (pos < end) {
      std::size_t content_end;  // the line is s[pos, content_end)
      if (end - pos <= width) {
        content_end = end;
      } else if (s[pos + width] == ' ') {
        content_end = pos + width;
      } else {
        // The last space at or before the width, or, for a word longer than the width, the next one.
        std::size_t space = s.rfind(' ', pos + width);
        if (space == std::string_view::npos || space < pos) space = s.find(' ', pos + width);
        content_end = space == std::string_view::npos ? end : space;
      }
      while (content_end > pos && s[content_end - 1] == ' ') --content_end;  // a run before the break
      std::size_t next = content_end;
      while (next < end && s[next] == ' ') ++next;
      begin_line();
      out_.append(s.data() + pos, content_end - pos);
      end_line(next < end ? next - content_end : 1);
      pos = next;
    }
  }
  // The same for a labelled paragraph ("Decision rationale: " + text), without a temporary.
  void paragraph(std::string_view lead, std::string_view body) {
    scratch_.assign(lead);
    scratch_.append(body);
    paragraph(scratch_);
  }

  // The break between paragraphs: a line holding one space in the seed shape; nothing in the
  // header shape (pdftotext does not keep paragraph spacing).
  void gap() {
    if (seed_) out_ += " \n\n";
  }
  // The seed letters' extra empty line before a rationale and at the end.
  void empty() {
    if (seed_) out_ += "\n\n";
  }
  // Blank line after the header block (the header shape only).
  void header_end() {
    if (!seed_) {
      out_ += '\n';
      ++page_lines_;
    }
  }
  void finish() {
    if (seed_) out_ += " \n\n\n";
  }

 private:
  // One line exactly as given. `trailing` is the seed shape's trailing spaces; the header shape has none.
  void emit(std::string_view content, std::string_view trailing) {
    begin_line();
    out_ += content;
    if (seed_) out_ += trailing;
    close_line();
  }
  // Before a line's first word: the header shape's page break falls here.
  void begin_line() {
    if (!seed_ && page_lines_ >= kLinesPerPage) {
      out_ += "\n\f";
      page_lines_ = 0;
    }
  }
  // After a wrapped line's last word; `run` is the spaces at the break (kept in the seed shape).
  void end_line(std::size_t run) {
    if (seed_) out_.append(run, ' ');
    close_line();
  }
  void close_line() {
    if (seed_) {
      out_ += "\n\n";
    } else {
      out_ += '\n';
      ++page_lines_;
    }
  }

  bool seed_;
  int width_;
  std::string& out_;
  int page_lines_ = 0;
  std::string scratch_;     // a labelled paragraph's lead and body
  std::string normalized_;  // a paragraph with its other white space made spaces
};

// The reviewer paragraph. In the board-certified form the credentials are a sentence inside it;
// otherwise they follow as the list form (see write_credentials_list).
std::string how_made_paragraph(const Reviewer& r, const Wording& w) {
  bool board_form = r.board_certified.value_or(false);
  std::string noun = board_form && w.physician_noun ? "physician reviewer" : "expert reviewer";
  std::string p = "MAXIMUS Federal Services sent the complete case file to ";
  p += noun[0] == 'e' ? "an " : "a ";
  p += noun;
  p += ". He/she has no affiliation with the employer, the employee, the providers or the claims "
       "administrator.";
  if (board_form) {
    std::string sentence;
    if (!r.specialties.empty()) {
      sentence += " is Board Certified in " + join(r.specialties, ", ");
      if (!r.subspecialties.empty()) sentence += ", has a subspecialty in " + join(r.subspecialties, ", ");
    }
    if (!r.licensure_states.empty()) {
      sentence += sentence.empty() ? " is" : " and is";
      sentence += " licensed to practice in " + join(r.licensure_states, ", ");
    }
    if (!sentence.empty()) p += " The " + noun + sentence + ".";
  }
  p += " He/she has practiced clinically for more than five years and currently works at least 24 hours "
       "a week in active practice. The ";
  p += noun;
  p += " was chosen for his/her clinical experience, education, background and expertise in the same or "
       "similar specialties that evaluate and/or treat the medical condition and the disputed ";
  p += w.singular_service ? "items/Service." : "items/services.";
  p += " He/she knows the governing laws and regulations, including the strength of evidence hierarchy "
       "that applies to Independent Medical Review determinations.";
  return p;
}

void write_credentials_list(const Reviewer& r, bool seed, LetterText& t) {
  if (r.licensure_states.empty() && r.specialties.empty()) return;
  t.gap();
  t.line(kCredentialsIntro);
  // The published letters join states without a space ("California,Texas"); the seeds with one.
  if (!r.licensure_states.empty())
    t.paragraph("State(s) of Licensure: " + join(r.licensure_states, seed ? ", " : ","));
  if (!r.specialties.empty()) t.paragraph("Certification(s)/Specialty: " + join(r.specialties, ", "));
}

// "<request>: Upheld", or the partial-authorisation sentence. The seed letters put two spaces
// after the colon.
std::string item_heading(const DisputedItem& item, bool seed) {
  std::string h;
  const char* word = item.decision == Decision::kUpheld ? "Upheld" : "Overturned";
  std::string_view colon = seed ? ":  " : ": ";
  if (item.original_request) {
    h += *item.original_request + " was the original request. ";
    if (item.authorized_portion) h += *item.authorized_portion + " was authorized by the Claims Administrator. ";
    h += "The remaining IMR eligible portion of the original request, " + item.request + " is";
  } else {
    h += item.request;
  }
  h += colon;
  h += word;
  return h;
}

}  // namespace

std::string qualifications_paragraph(const Reviewer& reviewer) {
  std::string p = how_made_paragraph(reviewer, Wording{});
  if (reviewer.board_certified.value_or(false)) return p;
  if (reviewer.licensure_states.empty() && reviewer.specialties.empty()) return p;
  p += '\n';
  p += kCredentialsIntro;
  if (!reviewer.licensure_states.empty()) p += "\nState(s) of Licensure: " + join(reviewer.licensure_states, ", ");
  if (!reviewer.specialties.empty()) p += "\nCertification(s)/Specialty: " + join(reviewer.specialties, ", ");
  return p;
}

std::string render_letter(const Letter& letter, const RenderOptions& options) {
  std::string out;
  std::size_t estimate = 3000 + (letter.clinical_summary ? letter.clinical_summary->size() : 0);
  for (const auto& item : letter.items)
    estimate += 200 + item.request.size() + (item.rationale ? item.rationale->size() : 0) +
                (item.claims_administrator_basis ? item.claims_administrator_basis->text.size() : 0) +
                (item.reviewer_basis ? item.reviewer_basis->text.size() : 0);
  out.reserve(estimate + estimate / 8);  // line breaks and the seed shape's blank lines
  const bool seed = options.shape == TextShape::kSeed;
  const Wording w = pick_wording(letter);
  LetterText t(options, out);

  if (!seed) {
    bool any = false;
    auto field = [&](std::string_view label, const std::optional<std::string>& v, bool is_date) {
      if (!v) return;
      t.line(std::string(label) + ": " + (is_date ? letter_date(*v) : *v));
      any = true;
    };
    field("Case Number", letter.case_number, false);
    field("Date Assigned", letter.date_assigned, true);
    field("Decision Date", letter.decision_date, true);
    if (letter.priority) {
      t.line(letter.priority == Priority::kStandard ? "Priority: Standard" : "Priority: Expedited");
      any = true;
    }
    field("Date of Injury", letter.date_of_injury, true);
    field("UR Denial Date", letter.ur_denial_date, true);
    field("Application Received", letter.application_received, true);
    if (any) t.header_end();
  }

  // The seed letters begin with a space before the first heading.
  t.line(seed ? " " + std::string(kHowMadeHeading) : std::string(kHowMadeHeading));
  t.paragraph(how_made_paragraph(letter.reviewer, w));
  if (!letter.reviewer.board_certified.value_or(false)) write_credentials_list(letter.reviewer, seed, t);
  t.gap();

  if (letter.clinical_summary) {
    t.line(kSummaryHeading);
    t.paragraph(kSummaryIntro);
    t.gap();
    t.paragraph(*letter.clinical_summary);
    t.gap();
  }

  t.line(kIssuesHeading);
  t.line(kIssuesIntro);
  for (const DisputedItem& item : letter.items) {
    t.gap();
    t.paragraph(item_heading(item, seed));
    if (item.claims_administrator_basis) {
      t.gap();
      t.paragraph("Claims Administrator guideline: ", item.claims_administrator_basis->text);
    }
    if (item.reviewer_basis) {
      t.gap();
      t.paragraph("MAXIMUS guideline: ", item.reviewer_basis->text);
    }
    if (item.rationale) {
      t.gap();
      t.empty();
      t.paragraph(w.rationale_lead == 1   ? "Decision rationale: The Physician Reviewer's decision rationale: "
                  : w.rationale_lead == 2 ? "Decision rationale: The Expert Reviewer's decision rationale: "
                                          : "Decision rationale: ",
                  *item.rationale);
    }
  }
  t.finish();
  return out;
}

}  // namespace imr::letter

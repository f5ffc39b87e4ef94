// Parsing pieces shared by the letter templates (internal to the letter module).
//
// Each function takes already-located text (lines or a paragraph) and never fails: what it
// cannot make sense of is left absent and, where a person should know, reported in `warnings`.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/letter/document.h"
#include "imr/letter/record.h"

namespace re2 {
class RE2;
}

namespace imr::letter::sections {

// Index of the first line in [from, doc.lines.size()) whose text satisfies `pred`, or npos.
std::size_t find_line(const Document& doc, std::size_t from, const std::function<bool(std::string_view)>& pred);
// Appends a line to running text: a space between, none after a hyphen that broke a word.
void append_line(std::string& out, std::string_view line);
// Lines [begin, end) joined with append_line.
std::string join(const Document& doc, std::size_t begin, std::size_t end);
// Like join, but keeps paragraph breaks (Line::blank_before) as "\n\n".
std::string join_paragraphs(const Document& doc, std::size_t begin, std::size_t end);

// The header block ("Case Number:", "Date Assigned:", ... in one or two columns, or as
// "Label: value" lines) in lines [begin, end). Fills the letter's header fields.
void parse_header(const Document& doc, std::size_t begin, std::size_t end, Letter& letter);

// The letter's own year, from its decision date / date assigned / case number (CM16- -> 2016).
std::optional<int> letter_year(const Letter& letter);

// Reviewer credentials from the qualifications text, either form:
//   "State(s) of Licensure: A,B" / "Certification(s)/Specialty: X, Y" (lines, possibly wrapped)
//   "... is Board Certified in X, has a subspecialty in Y and is licensed to practice in Z."
Reviewer parse_reviewer(std::string_view qualifications);

// Age and sex of the injured worker from the clinical case summary.
Patient parse_patient(std::string_view summary);

// The injury date stated in the summary ("sustained an industrial injury on 10-13-16",
// "date of injury of 09/23/2005", "reported an injury on 04/05/2013").
std::optional<std::string> injury_date_from_summary(std::string_view summary, std::optional<int> year);

// Splits an item heading ("... is: Upheld" already stripped of its decision) into request,
// original request and authorised portion (partial authorisations, both wordings).
void split_request(std::string heading, DisputedItem& item);

// Removes "The Expert Reviewer's decision rationale:" style lead-ins from a rationale.
std::string strip_rationale_leadin(std::string rationale);

// Parses a guideline basis paragraph into its citations (letter/citations.cc). Reads the
// "Decision based on ..." clauses of the 2014-2017 letters and, where a paragraph has none, the
// older prose ("The Claims Administrator based its decision on the Chronic Pain Medical Treatment
// Guidelines (2009), Lidoderm, page 56-57, which is part of the MTUS.").
GuidelineBasis parse_basis(std::string_view paragraph);

// ---------------------------------------------------------------------------------------------
// Pieces for the older layouts (2013-2014: notice-2013, maximus-imr, medical-professional-review).
// Their headings come in any case, numbered or not, with or without a colon, wrapped over lines;
// their per-item paragraphs carry several wordings of each label.

// Like parse_header, but skips the free-text lines older letters mix into their header block
// (names, addresses, "Treatment(s) in Dispute Listed on IMR Application: ...", which would
// otherwise read as an "Application" date label).
void parse_header_lines(const Document& doc, std::size_t begin, std::size_t end, Letter& letter);

// Where a heading was found: lines [first, last]; `rest` is the text after it on its last line
// ("Case Summary: The patient is ..." -> "The patient is ...").
struct HeadingMatch {
  std::size_t first = 0, last = 0;
  std::string rest;
};

// A heading: an RE2 pattern written with spaces between words, matched case-insensitively
// against a line and up to two following lines with all white space removed (so a wrap may fall
// anywhere), after a leading enumerator ("1.", "2)", "(3)", "IV.", "A.") is dropped. A match must
// end its line or be followed by ':', '-' or '.'. Immutable and thread-safe once built.
class HeadingPattern {
 public:
  explicit HeadingPattern(std::string_view pattern);
  ~HeadingPattern();
  HeadingPattern(const HeadingPattern&) = delete;
  HeadingPattern& operator=(const HeadingPattern&) = delete;
  std::optional<HeadingMatch> match(const Document& doc, std::size_t line) const;
  // The first match starting at a line in [from, end).
  std::optional<HeadingMatch> find(const Document& doc, std::size_t from,
                                   std::size_t end = std::string::npos) const;

 private:
  std::unique_ptr<re2::RE2> re_;
};

// True when the line starts with an enumerator ("1.", "12)", "(3)"), numbers 1-99 only.
bool starts_with_number(std::string_view line);
// The line without its leading enumerator (numbers, roman numerals, single letters).
std::string strip_enumerator(std::string_view line);

// The per-item paragraphs and the label wordings each has:
//   claims administrator basis: "Claims Administrator guideline:", "Medical Treatment
//     Guideline(s) Relied Upon by the Claims Administrator:"
//   reviewer basis: "MAXIMUS guideline:", "Medical Treatment Guideline(s) Relied Upon by the
//     Expert Reviewer:", "(Medical Treatment) Guideline(s) Relied Upon:", "... Relied Upon by
//     Professional Reviewer and Why:"
//   rationale: "Decision rationale:", "Rationale for the Decision:", "Expert Reviewer's Decision
//     and Rationale:", "Rationale for Why the Requested Treatment/Service Is/Was Not Medically
//     Necessary:"
enum class ItemField { kClaimsAdministratorBasis, kReviewerBasis, kRationale };
struct ItemFieldLabel {
  ItemField field;
  HeadingMatch where;
  // Set when the label itself states the decision ("... Is Not Medically Necessary" -> upheld;
  // "... Is/Was Not ..." too; "... Is Medically Necessary" -> overturned).
  std::optional<Decision> decision;
};
std::optional<ItemFieldLabel> match_item_field(const Document& doc, std::size_t line);

// One disputed item's part of an older letter.
struct ItemBlock {
  std::size_t heading_first = 0, heading_end = 0;  // heading lines [first, end); empty if none found
  std::size_t first_label = 0;                     // line of the block's first label
  std::size_t end = 0;                             // one past the block's last line
  std::optional<std::string> claims_administrator_basis, reviewer_basis, rationale;  // folded text
  std::optional<Decision> label_decision;          // what the rationale label states, if anything
};

// Splits lines [begin, end) into disputed items by their labelled paragraphs. An item starts at a
// claims administrator label, or at another label when the current item already has that
// paragraph or a later one. Its heading runs from the nearest line i (at most 6 lines before its
// first label, never into the previous item's labels) for which heading_start(i, first_label)
// holds; the previous item's last paragraph ends there. Lines before the first label that belong
// to no heading are not part of any block.
std::vector<ItemBlock> item_blocks(const Document& doc, std::size_t begin, std::size_t end,
                                   const std::function<bool(std::size_t, std::size_t)>& heading_start);

// The decision a heading or sentence ends with ("...: Upheld", "UPHOLD", "... is not medically
// necessary and appropriate.") and the text before it (trailing "is"/":" removed).
std::optional<std::pair<Decision, std::string>> trailing_decision(std::string_view text);
// The decision a rationale concludes with: its last statement that something is (not)
// medically necessary.
std::optional<Decision> concluding_decision(std::string_view rationale);

// Every "MAXIMUS Federal Services, Inc. has determined the request for X is (not) medically
// necessary (and appropriate)" sentence in `text`, in order, as request text and decision.
std::vector<std::pair<std::string, Decision>> determination_sentences(std::string_view text);

// Removes a "The expert reviewer developed the following (clinical) case summary ...:" lead-in.
std::string strip_summary_leadin(std::string summary);

}  // namespace imr::letter::sections

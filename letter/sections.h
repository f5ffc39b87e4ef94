// Parsing pieces shared by the letter templates (internal to the letter module).
//
// Each function takes already-located text (lines or a paragraph) and never fails: what it
// cannot make sense of is left absent and, where a person should know, reported in `warnings`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/letter/document.h"
#include "imr/letter/record.h"

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

// Parses a guideline basis paragraph into its citations (letter/citations.cc).
GuidelineBasis parse_basis(std::string_view paragraph);

}  // namespace imr::letter::sections

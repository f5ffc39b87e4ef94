// The public version of a Final Determination Letter: the same letter without the names of the
// people and organisations in the case.
//
// How the published letters look. The letters DWC publishes name nobody. The worker is "the
// injured worker", "the patient" or "the claimant"; doctors are "the treating physician", "the
// provider", "the requesting physician"; the employer and the claims administrator are named by
// their role; the reviewer is "the expert reviewer" and is never named at all (LC 4610.6(f)).
// Earlier published letters instead cut the name out and left its surroundings ("Dr.  did not
// document...", "evaluated by , M.D."), a gap the reader and the synthetic letters know.
// redact_letter reproduces either convention: by default (RedactStyle::kRole) every mention of a
// party, with its title, initials and degree ("Dr. John A. Smith, M.D.", "Smith, John", "J.
// Smith", "SMITH"), becomes the party's role phrase ("the physician"), capitalised at the start of
// a sentence, with a possessive kept ("Smith's" -> "the physician's"); kGap removes only the name
// words and keeps title and degree, as the earlier letters did; kMarker writes "[REDACTED]".
//
// What counts as a mention (all case-insensitive on ASCII letters, whole words only):
//   people (worker, physician, attorney): the full name in any order ("John Smith", "Smith,
//     John"), with or without middle names and initials; the surname alone, with an optional
//     title (Dr., Mr., Mrs., Ms., Miss, Prof., Doctor) and degree (M.D., D.O., PhD, Esq., ...);
//     each part of a hyphenated or multi-word surname of three letters or more; the given name
//     alone. A lone surname or given name written entirely in lower case is taken to be the
//     ordinary word it may also be ("back", "hand", "may") and kept; any other spelling of it is
//     redacted. Over-redaction is the safe direction: a capitalised word that equals a name is
//     removed even when it was meant as a word.
//   organisations (employer, and any name of a person party that carries a company word such as
//     Inc., LLC, LLP, Corp., Company, Group, Law, Hospital): the whole name, and the name without
//     its legal suffix ("Acme Logistics" for "Acme Logistics, Inc."), never its single words.
//   other strings (claim numbers, addresses, anything): the string itself, its words separated by
//     any run of spaces and punctuation.
// Every text field of the record is redacted: the clinical summary, each item's request, original
// request, authorised portion, guideline texts and citation fields, rationale, the warnings and
// the source. Decisions, dates, priority, patient age and sex and reviewer credentials are not
// text about a party and are kept as they are.
//
// What it cannot promise: a name that is also a word of the letter's fixed wording ("Review",
// "Federal") is still printed by the boilerplate; a name misspelt in the record is not found.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imr/base/result.h"
#include "imr/letter/record.h"

namespace imr::letter {

enum class PartyRole { kWorker, kPhysician, kEmployer, kAttorney, kOther };

// "worker", "physician", "employer", "attorney", "other"; parse returns nullopt for anything else
// (case-insensitive; "employee" and "doctor" are accepted too).
const char* to_string(PartyRole role);
std::optional<PartyRole> parse_party_role(std::string_view word);

struct Party {
  std::string name;  // as the case file spells it: "John A. Smith", "Smith, John", "Acme, Inc."
  PartyRole role = PartyRole::kOther;
};

enum class RedactStyle {
  kRole,    // "the injured worker", "the physician", "the employer", "the attorney", "[REDACTED]"
  kGap,     // the name words removed, titles and degrees kept: "Dr.  did not document"
  kMarker,  // "[REDACTED]" for every party
};

struct RedactOptions {
  RedactStyle style = RedactStyle::kRole;
};

struct RedactStats {
  std::size_t mentions = 0;  // spans replaced, all fields
};

// Returns the public version of `letter`. Fails with kInvalidArgument when a party's name has no
// word of two characters or more (a one-letter name would erase every initial in the letter);
// parties with an empty name are an error too, so a missing name is noticed rather than ignored.
// `stats`, when given, receives what was done.
Result<Letter> redact_letter(const Letter& letter, const std::vector<Party>& parties,
                             const RedactOptions& options = {}, RedactStats* stats = nullptr);

// The same rules on one piece of text (what redact_letter applies to every field).
Result<std::string> redact_text(std::string_view text, const std::vector<Party>& parties,
                                const RedactOptions& options = {}, RedactStats* stats = nullptr);

// Parties from JSON, for the command line and the casework module: either an array of
// {"name": "...", "role": "worker"} objects / plain strings (role other), or an object mapping
// roles to a name or a list of names: {"worker": "John Smith", "physicians": ["Dr. Lee"], ...}
// (role keys singular or plural). kInvalidArgument naming what is wrong.
Result<std::vector<Party>> parties_from_json(std::string_view json);

}  // namespace imr::letter

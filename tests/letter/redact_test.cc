// redact_letter: every spelling of a party's name goes, in every text field; what is not a name
// stays; decisions never change; the rendered text and PDF of the redacted letter carry no name
// (property-tested over generated letters with random names inserted).
#include "imr/letter/redact.h"

#include <gtest/gtest.h>

#include <cctype>
#include <random>
#include <string>
#include <vector>

#include "imr/base/text.h"
#include "imr/letter/document.h"
#include "imr/letter/pdf_writer.h"
#include "imr/letter/reader.h"
#include "imr/letter/synth.h"
#include "imr/letter/writer.h"

namespace imr::letter {
namespace {

std::string redact(std::string_view text, const std::vector<Party>& parties, RedactStyle style = RedactStyle::kRole) {
  RedactOptions o;
  o.style = style;
  auto r = redact_text(text, parties, o);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : "";
}

const std::vector<Party> kParties = {
    {"John A. Smith", PartyRole::kWorker},
    {"Dr. Maria de la Cruz, M.D.", PartyRole::kPhysician},
    {"Lee, Robert", PartyRole::kPhysician},
    {"Acme Logistics, Inc.", PartyRole::kEmployer},
    {"Karen Whitfield-Ostrow", PartyRole::kAttorney},
    {"ADJ9876543", PartyRole::kOther},
};

TEST(Redact, PeopleByRoleInEverySpelling) {
  EXPECT_EQ(redact("John Smith reported pain.", kParties), "The injured worker reported pain.");
  EXPECT_EQ(redact("Mr. Smith's pain was 7/10.", kParties), "The injured worker's pain was 7/10.");
  EXPECT_EQ(redact("Seen by Dr. Lee on 1/2/16.", kParties), "Seen by the physician on 1/2/16.");
  EXPECT_EQ(redact("Seen by Robert Lee, MD, who", kParties), "Seen by the physician, who");
  EXPECT_EQ(redact("Seen by R. Lee, M.D., who", kParties), "Seen by the physician, who");
  EXPECT_EQ(redact("Per LEE, ROBERT the pain", kParties), "Per the physician the pain");
  EXPECT_EQ(redact("Per Lee, R. the pain", kParties), "Per the physician the pain");
  EXPECT_EQ(redact("A report by Maria De La Cruz, M.D. Her plan", kParties), "A report by the physician. Her plan");
  EXPECT_EQ(redact("Dr. Cruz recommended rest.", kParties), "The physician recommended rest.");
  EXPECT_EQ(redact("Worker: SMITH, JOHN A., DOB withheld", kParties), "Worker: the injured worker, DOB withheld");
  // A dot that may end the sentence is left to end it.
  EXPECT_EQ(redact("Seen by Lee, R. The plan", kParties), "Seen by the physician. The plan");
  EXPECT_EQ(redact("J. A. Smith and J.A. Smith", kParties), "The injured worker and the injured worker");
  EXPECT_EQ(redact("John was seen.", kParties), "The injured worker was seen.");
  EXPECT_EQ(redact("Ms. Whitfield-Ostrow wrote; Whitfield replied.", kParties), "The attorney wrote; the attorney replied.");
}

TEST(Redact, OrganisationsAndOtherStrings) {
  EXPECT_EQ(redact("He works for Acme Logistics, Inc. as a driver.", kParties), "He works for the employer as a driver.");
  EXPECT_EQ(redact("The ACME LOGISTICS warehouse", kParties), "The employer warehouse");
  EXPECT_EQ(redact("claim ADJ9876543 filed", kParties), "claim [REDACTED] filed");
  // Single words of an organisation's name are not the organisation.
  EXPECT_EQ(redact("logistics of care", kParties), "logistics of care");
}

TEST(Redact, OrdinaryWordsThatAreAlsoNamesStayWhenLowerCase) {
  std::vector<Party> p = {{"Mark Back", PartyRole::kPhysician}, {"May Hand", PartyRole::kWorker}};
  EXPECT_EQ(redact("low back pain; right hand; may mark", p), "low back pain; right hand; may mark");
  EXPECT_EQ(redact("Dr. Back examined the back. Back said so.", p),
            "The physician examined the back. The physician said so.");
  EXPECT_EQ(redact("Then Dr. back noted", p), "Then the physician noted");
}

TEST(Redact, NoPartOfAWordIsTouched) {
  std::vector<Party> p = {{"Ann Lee", PartyRole::kWorker}};
  EXPECT_EQ(redact("Annual sleep and Leeway", p), "Annual sleep and Leeway");
}

TEST(Redact, GapAndMarkerStyles) {
  EXPECT_EQ(redact("Dr. Lee did not document.", kParties, RedactStyle::kGap), "Dr.  did not document.");
  EXPECT_EQ(redact("evaluated by Robert Lee, M.D., who", kParties, RedactStyle::kGap), "evaluated by , M.D., who");
  EXPECT_EQ(redact("Dr. Lee saw John Smith.", kParties, RedactStyle::kMarker), "[REDACTED] saw [REDACTED].");
}

TEST(Redact, BadPartiesAreRefused) {
  EXPECT_EQ(redact_text("x", {{"", PartyRole::kWorker}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(redact_text("x", {{"J.", PartyRole::kWorker}}).status().code(), Code::kInvalidArgument);
}

TEST(Redact, PartiesFromJson) {
  auto a = parties_from_json(R"({"worker": "John Smith", "physicians": ["Dr. Lee", "Ann Wu"], "employer": "Acme"})");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_EQ(a->size(), 4u);
  EXPECT_EQ((*a)[1].role, PartyRole::kPhysician);
  auto b = parties_from_json(R"(["ADJ1", {"name": "Jo Park", "role": "attorney"}])");
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ((*b)[0].role, PartyRole::kOther);
  EXPECT_EQ((*b)[1].role, PartyRole::kAttorney);
  EXPECT_FALSE(parties_from_json("{").ok());
  EXPECT_FALSE(parties_from_json(R"({"judge": "X Y"})").ok());
  EXPECT_FALSE(parties_from_json(R"([{"name": 3}])").ok());
  EXPECT_FALSE(parties_from_json(R"(["J"])").ok());
}

// ---------------------------------------------------------------------------------------------
// Property: random names written into generated letters, in random spellings and places, never
// survive redaction in the record, its text rendering or its PDF; decisions are unchanged and
// the redacted PDF reads back to the redacted record's items.

// A name-like word that is no English word: consonant-vowel syllables with a rare letter.
std::string random_word(std::mt19937_64& rng) {
  static const char* kC[] = {"b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"};
  static const char* kV[] = {"a", "e", "i", "o", "u"};
  std::string w = (rng() % 2) ? "Zo" : "Qu";
  int syl = 2 + static_cast<int>(rng() % 2);
  for (int i = 0; i < syl; ++i) {
    w += kC[rng() % 13];
    w += kV[rng() % 5];
  }
  if (rng() % 2) w += "x";
  return w;
}

// Every spelling a letter might use for a person called `given` `surname`.
std::vector<std::string> spellings(const std::string& given, const std::string& surname, std::mt19937_64& rng) {
  std::string upper = surname;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {given + " " + surname, "Dr. " + surname, surname + ", " + given, surname + "'s", given.substr(0, 1) + ". " + surname,
          upper, "Mr. " + given + " " + surname, given, surname + ", " + given.substr(0, 1) + ".", "Ms. " + surname + ", M.D."};
}

bool contains_word_icase(const std::string& hay, const std::string& word) {
  std::string h = text::to_lower(hay), w = text::to_lower(word);
  for (std::size_t p = h.find(w); p != std::string::npos; p = h.find(w, p + 1)) {
    bool left = p == 0 || !std::isalnum(static_cast<unsigned char>(h[p - 1]));
    bool right = p + w.size() >= h.size() || !std::isalnum(static_cast<unsigned char>(h[p + w.size()]));
    if (left && right) return true;
  }
  return false;
}

TEST(RedactProperty, NoNameSurvivesInRecordTextOrPdf) {
  SynthOptions so;
  so.shape = SynthShape::kHeader;
  auto synth = LetterSynthesizer::create(so);
  ASSERT_TRUE(synth.ok()) << synth.status().to_string();
  std::mt19937_64 rng(20161209);
  SyntheticLetter g;
  const int n = 60;
  int leaks = 0, pdf_checked = 0;
  std::vector<std::string> examples;
  for (int i = 0; i < n; ++i) {
    synth->generate(static_cast<std::uint64_t>(i), g);
    Letter l = g.expected;
    // Parties: a worker, two physicians, an employer, an attorney.
    struct P { std::string given, surname; PartyRole role; };
    std::vector<P> people = {{random_word(rng), random_word(rng), PartyRole::kWorker},
                             {random_word(rng), random_word(rng), PartyRole::kPhysician},
                             {random_word(rng), random_word(rng), PartyRole::kPhysician},
                             {random_word(rng), random_word(rng), PartyRole::kAttorney}};
    std::string employer = random_word(rng) + " " + random_word(rng) + " Inc.";
    std::vector<Party> parties;
    std::vector<std::string> must_go;
    for (const P& p : people) {
      parties.push_back({p.given + " " + p.surname, p.role});
      must_go.insert(must_go.end(), {p.given, p.surname});
    }
    parties.push_back({employer, PartyRole::kEmployer});
    must_go.push_back(employer.substr(0, employer.rfind(' ')));
    // Mentions in the summary, rationales and one request, in random spellings.
    auto mention = [&] {
      const P& p = people[rng() % people.size()];
      auto s = spellings(p.given, p.surname, rng);
      if (rng() % 6 == 0) return std::string("the ") + employer;
      return s[rng() % s.size()];
    };
    if (!l.clinical_summary) l.clinical_summary = "";
    for (int k = 0; k < 4; ++k) *l.clinical_summary += " Per " + mention() + " the pain is unchanged.";
    *l.clinical_summary = mention() + " was seen. " + *l.clinical_summary;
    for (DisputedItem& item : l.items)
      if (item.rationale) *item.rationale += " " + mention() + " did not document improvement.";
    l.items[0].request += " with " + mention();

    // The check below means something: the names are in the letter before redaction.
    {
      std::string before = render_letter(l);
      int present = 0;
      for (const std::string& name : must_go) present += contains_word_icase(before, name) ? 1 : 0;
      EXPECT_GT(present, 0);
    }
    RedactStats stats;
    auto red = redact_letter(l, parties, {}, &stats);
    EXPECT_GE(stats.mentions, 5u);
    ASSERT_TRUE(red.ok()) << red.status().to_string();
    ASSERT_EQ(red->items.size(), l.items.size());
    for (std::size_t k = 0; k < l.items.size(); ++k) EXPECT_EQ(red->items[k].decision, l.items[k].decision);
    EXPECT_EQ(red->reviewer, l.reviewer);
    EXPECT_EQ(red->case_number, l.case_number);

    std::string text = render_letter(*red);
    std::string pdf_text;
    if (i % 3 == 0) {  // PDFs are slower: every third letter
      auto pdf = render_letter_pdf(*red);
      ASSERT_TRUE(pdf.ok());
      auto doc = document_from_pdf(*pdf, "red.pdf");
      ASSERT_TRUE(doc.ok());
      for (const Line& line : doc->lines) pdf_text += line.text + "\n";
      ++pdf_checked;
      for (const std::string& name : must_go) EXPECT_EQ(pdf->find(name), std::string::npos) << name << " in the PDF bytes";
      auto back = read_letter(*doc);
      ASSERT_TRUE(back.ok()) << back.status().to_string();
      ASSERT_EQ(back->items.size(), red->items.size());
      for (std::size_t k = 0; k < red->items.size(); ++k) {
        EXPECT_EQ(back->items[k].decision, l.items[k].decision);
        EXPECT_EQ(back->items[k].request, red->items[k].request);
      }
    }
    for (const std::string& name : must_go) {
      for (const std::string* where : {&text, &pdf_text}) {
        if (contains_word_icase(*where, name)) {
          ++leaks;
          if (examples.size() < 5) {
            std::size_t p = text::to_lower(*where).find(text::to_lower(name));
            examples.push_back(g.case_number + ": \"" + name + "\" in ..." + where->substr(p > 60 ? p - 60 : 0, 140));
          }
        }
      }
    }
  }
  std::string all;
  for (const auto& e : examples) all += "\n  " + e;
  EXPECT_EQ(leaks, 0) << all;
  EXPECT_GT(pdf_checked, 10);
}

}  // namespace
}  // namespace imr::letter

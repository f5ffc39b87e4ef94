// The letter writer: layout details of both shapes, and the round-trip contract
// read_letter(document_from_text(render_letter(r))) == r over handmade records, generated records
// and (when ../shared is present) every dev letter's record.
#include "imr/letter/writer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "imr/base/files.h"
#include "imr/base/text.h"
#include "imr/letter/document.h"
#include "imr/letter/json.h"
#include "imr/letter/reader.h"
#include "imr/letter/synth.h"

namespace fs = std::filesystem;

namespace imr::letter {
namespace {

Letter sample() {
  Letter l;
  l.template_name = "dwc-2016";
  l.case_number = "CM16-0213037";
  l.date_assigned = "2016-11-09";
  l.decision_date = "2016-12-09";
  l.date_of_injury = "2016-10-13";
  l.ur_denial_date = "2016-11-03";
  l.application_received = "2016-11-04";
  l.priority = Priority::kStandard;
  l.reviewer.licensure_states = {"California", "North Carolina"};
  l.reviewer.specialties = {"Physical Medicine & Rehabilitation", "Pain Management"};
  l.patient.age = 48;
  l.patient.sex = Sex::kMale;
  l.clinical_summary =
      "The injured worker is a 48 year old male who sustained an industrial injury on 10-13-16. He reported "
      "neck and right shoulder pain after lifting boxes. Examination showed tenderness of the right trapezius "
      "and limited shoulder abduction. On 11-3-16, utilization review non-certified the requests below.";
  DisputedItem a;
  a.request = "MRI of the right shoulder without contrast";
  a.decision = Decision::kUpheld;
  a.claims_administrator_basis =
      GuidelineBasis{"Decision based on MTUS Shoulder Complaints 2004.", {Citation{"MTUS", "Shoulder Complaints", "2004", {}, {}}}};
  a.reviewer_basis = GuidelineBasis{
      "Decision based on MTUS Shoulder Complaints 2004, Section(s): Special Studies.",
      {Citation{"MTUS", "Shoulder Complaints", "2004", {"Special Studies"}, {}}}};
  a.rationale = "Imaging is supported when red flags are present. None are documented. The request is not medically necessary.";
  DisputedItem b;
  b.request = "Norco 10/325mg #35";
  b.original_request = "Norco 10/325mg #60";
  b.authorized_portion = "Norco 10/325mg #25";
  b.decision = Decision::kOverturned;
  b.claims_administrator_basis = GuidelineBasis{"The Claims Administrator did not cite any medical evidence for its decision.", {}};
  b.reviewer_basis = GuidelineBasis{
      "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use.",
      {Citation{"MTUS", "Chronic Pain Medical Treatment", "2016", {"Opioids, criteria for use"}, {}}}};
  b.rationale = "Pain and function improved with the medication. Therefore, the request is medically necessary.";
  l.items = {a, b};
  return l;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The fields of two records that differ, ignoring source, template and warnings; each with a short
// excerpt so a failure names what to look at.
std::vector<std::string> differences(const Letter& want, const Letter& got, bool header_fields = true) {
  std::vector<std::string> d;
  auto opt = [](const std::optional<std::string>& s) { return s ? "\"" + s->substr(0, 120) + "\"" : std::string("null"); };
  auto field = [&](const char* name, const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (a != b) d.push_back(std::string(name) + ": want " + opt(a) + " got " + opt(b));
  };
  if (header_fields) {
    field("case_number", want.case_number, got.case_number);
    field("date_assigned", want.date_assigned, got.date_assigned);
    field("decision_date", want.decision_date, got.decision_date);
    field("date_of_injury", want.date_of_injury, got.date_of_injury);
    field("ur_denial_date", want.ur_denial_date, got.ur_denial_date);
    field("application_received", want.application_received, got.application_received);
    if (want.priority != got.priority) d.push_back("priority");
  }
  if (!(want.reviewer == got.reviewer)) d.push_back("reviewer");
  if (!(want.patient == got.patient)) d.push_back("patient");
  field("clinical_summary", want.clinical_summary, got.clinical_summary);
  if (want.items.size() != got.items.size()) {
    d.push_back("items: want " + std::to_string(want.items.size()) + " got " + std::to_string(got.items.size()));
    return d;
  }
  for (std::size_t i = 0; i < want.items.size(); ++i) {
    const DisputedItem& a = want.items[i];
    const DisputedItem& b = got.items[i];
    std::string p = "items[" + std::to_string(i) + "].";
    if (a.request != b.request) d.push_back(p + "request: want \"" + a.request + "\" got \"" + b.request + "\"");
    field((p + "original_request").c_str(), a.original_request, b.original_request);
    field((p + "authorized_portion").c_str(), a.authorized_portion, b.authorized_portion);
    if (a.decision != b.decision) d.push_back(p + "decision");
    for (auto [name, x, y] : {std::tuple{"claims_administrator_basis", &a.claims_administrator_basis, &b.claims_administrator_basis},
                              std::tuple{"reviewer_basis", &a.reviewer_basis, &b.reviewer_basis}}) {
      if (*x == *y) continue;
      if (x->has_value() && y->has_value() && (*x)->text == (*y)->text) {
        std::string detail;
        for (std::size_t k = 0; k < std::max((*x)->citations.size(), (*y)->citations.size()); ++k) {
          auto show = [&](const std::optional<GuidelineBasis>& g) {
            if (k >= g->citations.size()) return std::string("-");
            const Citation& c = g->citations[k];
            std::string s = c.source + " \"" + c.title + "\"";
            for (const auto& sec : c.sections) s += " [" + sec + "]";
            return s;
          };
          detail += " want " + show(*x) + " got " + show(*y) + ";";
        }
        d.push_back(p + name + ".citations:" + detail + " text: " + (*x)->text.substr(0, 160));
      } else {
        d.push_back(p + name + ": want " + (x->has_value() ? (*x)->text.substr(0, 120) : "null") + " got " +
                    (y->has_value() ? (*y)->text.substr(0, 120) : "null"));
      }
    }
    field((p + "rationale").c_str(), a.rationale, b.rationale);
  }
  return d;
}

Result<Letter> read_back(const Letter& r, TextShape shape, int width = 95) {
  RenderOptions o;
  o.shape = shape;
  o.width = width;
  return read_letter(document_from_text(render_letter(r, o), "rendered.txt"));
}

// ---------------------------------------------------------------------------------------------
// Layout

TEST(Writer, HeaderShapeStartsWithOneLabelPerLine) {
  auto lines = lines_of(render_letter(sample()));
  ASSERT_GE(lines.size(), 9u);
  EXPECT_EQ(lines[0], "Case Number: CM16-0213037");
  EXPECT_EQ(lines[1], "Date Assigned: 11/09/2016");
  EXPECT_EQ(lines[2], "Decision Date: 12/09/2016");
  EXPECT_EQ(lines[3], "Priority: Standard");
  EXPECT_EQ(lines[4], "Date of Injury: 10/13/2016");
  EXPECT_EQ(lines[5], "UR Denial Date: 11/03/2016");
  EXPECT_EQ(lines[6], "Application Received: 11/04/2016");
  EXPECT_EQ(lines[7], "");
  EXPECT_EQ(lines[8], "HOW THE IMR FINAL DETERMINATION WAS MADE");
}

TEST(Writer, AbsentHeaderFieldsAreLeftOut) {
  Letter l = sample();
  l.decision_date.reset();
  l.priority.reset();
  l.application_received.reset();
  std::string text = render_letter(l);
  EXPECT_EQ(text.find("Decision Date"), std::string::npos);
  EXPECT_EQ(text.find("Priority"), std::string::npos);
  EXPECT_EQ(text.find("Application Received"), std::string::npos);
  EXPECT_NE(text.find("Date of Injury: 10/13/2016\n"), std::string::npos);
  auto back = read_letter(document_from_text(text, "x.txt"));
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_FALSE(back->decision_date);
  EXPECT_FALSE(back->priority);
  EXPECT_FALSE(back->application_received);
}

TEST(Writer, SectionsInTheLettersOrder) {
  std::string text = render_letter(sample());
  std::size_t how = text.find("HOW THE IMR FINAL DETERMINATION WAS MADE");
  std::size_t cred = text.find("The Expert Reviewer has the following credentials:");
  std::size_t summary = text.find("CLINICAL CASE SUMMARY");
  std::size_t issues = text.find("IMR ISSUES, DECISIONS AND RATIONALES");
  std::size_t intro = text.find("The Final Determination was based on decisions for the disputed items/services set forth below:");
  std::size_t ca = text.find("Claims Administrator guideline: ");
  std::size_t mx = text.find("MAXIMUS guideline: ");
  std::size_t rationale = text.find("Decision rationale: ");
  EXPECT_LT(how, cred);
  EXPECT_LT(cred, summary);
  EXPECT_LT(summary, issues);
  EXPECT_LT(issues, intro);
  EXPECT_LT(intro, ca);
  EXPECT_LT(ca, mx);
  EXPECT_LT(mx, rationale);
  EXPECT_NE(text.find("State(s) of Licensure: California,North Carolina\n"), std::string::npos);
  EXPECT_NE(text.find("Certification(s)/Specialty: Physical Medicine & Rehabilitation, Pain Management\n"), std::string::npos);
  EXPECT_NE(text.find("MRI of the right shoulder without contrast: Upheld\n"), std::string::npos);
  // The boilerplate says what the statute requires of a reviewer.
  std::string flat = text::fold_space(text);
  for (const char* must : {"no affiliation", "more than five years", "at least 24 hours a week",
                           "same or similar specialties", "strength of evidence hierarchy"})
    EXPECT_NE(flat.find(must), std::string::npos) << must;
}

TEST(Writer, PartialAuthorisationSentence) {
  RenderOptions wide;
  wide.width = 400;
  std::string text = render_letter(sample(), wide);
  EXPECT_NE(text.find("Norco 10/325mg #60 was the original request. Norco 10/325mg #25 was authorized by the Claims "
                      "Administrator. The remaining IMR eligible portion of the original request, Norco 10/325mg #35 "
                      "is: Overturned\n"),
            std::string::npos)
      << text;
}

TEST(Writer, BoardCertifiedSentenceForm) {
  Letter l = sample();
  l.reviewer = Reviewer{{"California"}, {"Physical Medicine & Rehabilitation"}, {"Interventional Spine"}, true};
  std::string flat = text::fold_space(render_letter(l));
  EXPECT_NE(flat.find("reviewer is Board Certified in Physical Medicine & Rehabilitation, has a subspecialty in "
                      "Interventional Spine and is licensed to practice in California."),
            std::string::npos)
      << flat;
  EXPECT_EQ(flat.find("has the following credentials"), std::string::npos);
  auto back = read_back(l, TextShape::kHeader);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->reviewer, l.reviewer);
}

TEST(Writer, WrapsAtTheWidth) {
  for (int width : {60, 80, 95}) {
    RenderOptions o;
    o.width = width;
    for (const auto& line : lines_of(render_letter(sample(), o))) {
      std::string_view t = line;
      if (!t.empty() && t[0] == '\f') t.remove_prefix(1);
      // The fixed one-line formulas are never wrapped; everything else is.
      if (t.starts_with("The Final Determination was based")) continue;
      EXPECT_LE(t.size(), static_cast<std::size_t>(width)) << t;
    }
  }
}

TEST(Writer, SeedShapeHasABlankLineAfterEveryLineAndTrailingSpaces) {
  RenderOptions o;
  o.shape = TextShape::kSeed;
  std::string text = render_letter(sample(), o);
  EXPECT_TRUE(text.starts_with(" HOW THE IMR FINAL DETERMINATION WAS MADE \n\n")) << text.substr(0, 80);
  EXPECT_EQ(text.find("Case Number"), std::string::npos);  // no header block
  auto lines = lines_of(text);
  std::size_t content = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    ++content;
    EXPECT_EQ(lines[i].back(), ' ') << "line " << i << " has no trailing space: " << lines[i];
    ASSERT_LT(i + 1, lines.size());
    EXPECT_EQ(lines[i + 1], "") << "line " << i << " is not followed by a blank line";
  }
  EXPECT_GT(content, 20u);
  // Paragraphs are separated by a line holding one space; the rationale has an extra empty line.
  EXPECT_NE(text.find("\n\n \n\nCLINICAL CASE SUMMARY \n\n"), std::string::npos);
  EXPECT_NE(text.find(" \n\n\n\nDecision rationale: "), std::string::npos);
  EXPECT_NE(text.find("MRI of the right shoulder without contrast:  Upheld \n\n"), std::string::npos);
}

TEST(Writer, RedactionGapsStayInsideLinesAndAtSeedLineEnds) {
  Letter l = sample();
  l.clinical_summary = *l.clinical_summary + " According to a report by Dr.  the pain is unchanged.";
  std::string header = render_letter(l);
  EXPECT_NE(header.find("Dr.  the"), std::string::npos);
  // Break exactly at the gap: the seed shape keeps both spaces at the end of the line.
  RenderOptions o;
  o.shape = TextShape::kSeed;
  o.width = 20;
  Letter m;
  m.clinical_summary = "aaaaaaaaaa bbbbbbbb  cccccccccc";
  std::string seed = render_letter(m, o);
  EXPECT_NE(seed.find("aaaaaaaaaa bbbbbbbb  \n\ncccccccccc \n\n"), std::string::npos) << seed;
  o.shape = TextShape::kHeader;
  std::string head = render_letter(m, o);
  EXPECT_NE(head.find("aaaaaaaaaa bbbbbbbb\ncccccccccc\n"), std::string::npos) << head;
}

TEST(Writer, NoTextCanBreakTheLayout) {
  Letter l = sample();
  l.items[0].request = "MRI of the\nright shoulder";
  l.items[0].rationale = "First line.\fSecond\tline.\r\nThird. The request is not medically necessary.";
  std::string text = render_letter(l);
  EXPECT_NE(text.find("MRI of the right shoulder: Upheld"), std::string::npos);
  EXPECT_EQ(text.find('\t'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(Writer, LongLettersBreakPagesLikePdftotext) {
  Letter l = sample();
  for (int i = 0; i < 12; ++i) l.items.push_back(l.items[0]);
  std::string text = render_letter(l);
  EXPECT_NE(text.find("\n\n\f"), std::string::npos);
  auto back = read_letter(document_from_text(text, "long.txt"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(differences(l, *back), std::vector<std::string>{});
}

// ---------------------------------------------------------------------------------------------
// Round trip: parse(render(r)) == r

TEST(WriterRoundTrip, HandmadeRecordBothShapes) {
  Letter l = sample();
  auto h = read_back(l, TextShape::kHeader);
  ASSERT_TRUE(h.ok()) << h.status().to_string();
  EXPECT_EQ(differences(l, *h), std::vector<std::string>{});
  auto s = read_back(l, TextShape::kSeed);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(differences(l, *s, /*header_fields=*/false), std::vector<std::string>{});
  EXPECT_EQ(s->date_of_injury, l.date_of_injury);  // from the summary when there is no header
}

// Generated records in both shapes and several widths. Reports every disagreement, grouped.
TEST(WriterRoundTrip, GeneratedRecords) {
  auto synth = LetterSynthesizer::create(SynthOptions{});
  ASSERT_TRUE(synth.ok()) << synth.status().to_string();
  SyntheticLetter g;
  std::map<std::string, int> by_field;
  std::vector<std::string> examples;
  int failed = 0;
  const int n = 600;
  for (int i = 0; i < n; ++i) {
    synth->generate(static_cast<std::uint64_t>(i), g);
    // Render the expected record itself (not the generator's raw record) in the other shape too.
    for (TextShape shape : {TextShape::kHeader, TextShape::kSeed}) {
      auto back = read_back(g.expected, shape, 80 + i % 30);
      std::vector<std::string> d = back.ok() ? differences(g.expected, *back, shape == TextShape::kHeader)
                                             : std::vector<std::string>{"unreadable: " + back.status().to_string()};
      if (d.empty()) continue;
      ++failed;
      for (const auto& x : d) {
        std::string key = x.substr(0, x.find(':'));  // "items[2].reviewer_basis.citations" -> "items[].reviewer_basis.citations"
        if (auto open = key.find('['); open != std::string::npos) key.erase(open + 1, key.find(']') - open - 1);
        ++by_field[key];
        if (examples.size() < 6) examples.push_back(g.case_number + ": " + x);
      }
    }
  }
  std::string summary;
  for (const auto& [f, c] : by_field) summary += "\n  " + f + ": " + std::to_string(c);
  for (const auto& e : examples) summary += "\n  e.g. " + e;
  EXPECT_EQ(failed, 0) << failed << " of " << 2 * n << " renderings did not read back" << summary;
}

// Every dev letter's record, rendered in both shapes, reads back to itself. In the seed shape the
// header fields are not written, and the injury date comes from the summary instead.
TEST(WriterRoundTrip, DevCorpusRecords) {
  const fs::path dir = fs::path(IMR_SHARED_DIR) / "corpus" / "dev" / "text";
  if (!fs::exists(dir)) GTEST_SKIP() << "SKIP: " << dir << " not found (the shared corpus is not beside the checkout)";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  int failed = 0;
  std::vector<std::string> examples;
  for (const auto& f : files) {
    auto r = read_letter_file(f.string());
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    for (TextShape shape : {TextShape::kHeader, TextShape::kSeed}) {
      auto back = read_back(*r, shape);
      std::vector<std::string> d = back.ok() ? differences(*r, *back, shape == TextShape::kHeader)
                                             : std::vector<std::string>{"unreadable: " + back.status().to_string()};
      if (d.empty()) continue;
      ++failed;
      if (examples.size() < 8) examples.push_back(f.filename().string() + (shape == TextShape::kSeed ? " (seed): " : ": ") + d[0]);
    }
  }
  std::string all;
  for (const auto& e : examples) all += "\n  " + e;
  EXPECT_EQ(failed, 0) << failed << " of " << 2 * files.size() << " renderings differ" << all;
}

// ---------------------------------------------------------------------------------------------
// imr render

#ifdef IMR_BINARY
int run(const std::string& cmd) {
  int rc = std::system((cmd + " 2>" + (fs::temp_directory_path() / "imr_render_err.txt").string()).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(RenderCommand, BadLineIsReportedAndTheOthersRender) {
  if (!fs::exists(IMR_BINARY)) GTEST_SKIP() << "SKIP: " << IMR_BINARY << " not built";
  fs::path dir = fs::temp_directory_path() / ("imr_render_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Letter a = sample();
  Letter b = sample();
  b.case_number = "CM16-0000002";
  {
    std::ofstream in(dir / "in.jsonl");
    in << to_json_line(a) << "\n{\"items\": 3}\n\n" << to_json_line(b) << "\n";
  }
  std::string bin = IMR_BINARY;
  EXPECT_EQ(run(bin + " render " + (dir / "in.jsonl").string() + " > " + (dir / "out.txt").string()), 1);
  auto err = files::read_file((fs::temp_directory_path() / "imr_render_err.txt").string());
  ASSERT_TRUE(err.ok());
  EXPECT_NE(err->find("in.jsonl:2:"), std::string::npos) << *err;
  EXPECT_NE(err->find("items"), std::string::npos) << *err;
  auto out = files::read_file((dir / "out.txt").string());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, render_letter(a) + "\f\n" + render_letter(b));

  EXPECT_EQ(run(bin + " render --shape seed --out " + (dir / "letters").string() + " " + (dir / "in.jsonl").string()), 1);
  EXPECT_TRUE(fs::exists(dir / "letters" / "CM16-0213037.txt"));
  EXPECT_TRUE(fs::exists(dir / "letters" / "CM16-0000002.txt"));
  RenderOptions seed;
  seed.shape = TextShape::kSeed;
  EXPECT_EQ(*files::read_file((dir / "letters" / "CM16-0213037.txt").string()), render_letter(a, seed));
  fs::remove_all(dir);
}
#endif

}  // namespace
}  // namespace imr::letter

// render_letter_pdf: the PDF reads back through the PDF reader (poppler) to the record's case
// number, header fields, items, decisions, requests and reviewer credentials — for handmade
// records, generated letters and (when ../shared is present) every dev letter's record; headings
// are seen as bold; long letters run onto several pages; page numbers are not in the text layer.
#include "imr/letter/pdf_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "imr/base/files.h"
#include "imr/base/text.h"
#include "imr/letter/document.h"
#include "imr/letter/reader.h"
#include "imr/letter/synth.h"
#include "imr/letter/writer.h"

namespace fs = std::filesystem;

namespace imr::letter {
namespace {

Letter sample() {
  Letter l;
  l.template_name = "dwc-2016";
  l.case_number = "CM16-0999001";
  l.date_assigned = "2016-11-09";
  l.decision_date = "2016-12-09";
  l.date_of_injury = "2016-10-13";
  l.ur_denial_date = "2016-11-03";
  l.application_received = "2016-11-04";
  l.priority = Priority::kStandard;
  l.reviewer.licensure_states = {"California", "North Carolina"};
  l.reviewer.specialties = {"Physical Medicine & Rehabilitation", "Pain Management"};
  l.patient.age = 51;
  l.patient.sex = Sex::kFemale;
  l.clinical_summary =
      "The injured worker is a 51 year old female who sustained an industrial injury on 10-13-16. She reported "
      "low back pain after lifting a crate. Examination showed lumbar tenderness and reduced flexion. On 11-3-16, "
      "utilization review non-certified the requests below.";
  DisputedItem a;
  a.request = "Lumbar epidural steroid injection at L4-L5";
  a.decision = Decision::kUpheld;
  a.claims_administrator_basis =
      GuidelineBasis{"Decision based on MTUS Low Back Complaints 2004.", {Citation{"MTUS", "Low Back Complaints", "2004", {}, {}}}};
  a.reviewer_basis = GuidelineBasis{
      "Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Epidural steroid injections (ESIs).",
      {Citation{"MTUS", "Chronic Pain Medical Treatment", "2009", {"Epidural steroid injections (ESIs)"}, {}}}};
  a.rationale = "Radiculopathy must be documented by examination and corroborated by imaging. It is not. The request "
                "is not medically necessary.";
  DisputedItem b;
  b.request = "Tramadol 50mg #60";
  b.original_request = "Tramadol 50mg #90";
  b.authorized_portion = "Tramadol 50mg #30";
  b.decision = Decision::kOverturned;
  b.claims_administrator_basis = GuidelineBasis{"The Claims Administrator did not cite any medical evidence for its decision.", {}};
  b.rationale = "Function improved with the medication. Therefore, the request is medically necessary.";
  l.items = {a, b};
  return l;
}

// What the PDF must carry back (pdf_writer.h): case number, header dates, priority, items and
// reviewer credentials. Returns the fields that differ.
std::vector<std::string> contract_differences(const Letter& want, const Letter& got) {
  std::vector<std::string> d;
  auto opt = [](const std::optional<std::string>& s) { return s ? "\"" + *s + "\"" : std::string("null"); };
  auto field = [&](const std::string& name, const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (a != b) d.push_back(name + ": want " + opt(a) + " got " + opt(b));
  };
  field("case_number", want.case_number, got.case_number);
  field("date_assigned", want.date_assigned, got.date_assigned);
  field("decision_date", want.decision_date, got.decision_date);
  field("date_of_injury", want.date_of_injury, got.date_of_injury);
  field("ur_denial_date", want.ur_denial_date, got.ur_denial_date);
  field("application_received", want.application_received, got.application_received);
  if (want.priority != got.priority) d.push_back("priority");
  if (!(want.reviewer == got.reviewer)) d.push_back("reviewer");
  if (want.items.size() != got.items.size()) {
    d.push_back("items: want " + std::to_string(want.items.size()) + " got " + std::to_string(got.items.size()));
    return d;
  }
  for (std::size_t i = 0; i < want.items.size(); ++i) {
    const std::string p = "items[" + std::to_string(i) + "].";
    if (want.items[i].request != got.items[i].request)
      d.push_back(p + "request: want \"" + want.items[i].request + "\" got \"" + got.items[i].request + "\"");
    field(p + "original_request", want.items[i].original_request, got.items[i].original_request);
    field(p + "authorized_portion", want.items[i].authorized_portion, got.items[i].authorized_portion);
    if (want.items[i].decision != got.items[i].decision) d.push_back(p + "decision");
  }
  return d;
}

Result<Document> pdf_document(const Letter& l) {
  auto pdf = render_letter_pdf(l);
  if (!pdf.ok()) return pdf.status();
  return document_from_pdf(*pdf, "rendered.pdf");
}

TEST(PdfWriter, IsAPdfThatReadsBack) {
  auto pdf = render_letter_pdf(sample());
  ASSERT_TRUE(pdf.ok()) << pdf.status().to_string();
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  auto doc = document_from_pdf(*pdf, "x.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  auto back = read_letter(*doc);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->template_name, "dwc-2016");
  EXPECT_EQ(contract_differences(sample(), *back), std::vector<std::string>{});
  // The prose comes back too, and the summary gives the patient.
  EXPECT_EQ(back->clinical_summary, sample().clinical_summary);
  EXPECT_EQ(back->items[0].rationale, sample().items[0].rationale);
  EXPECT_EQ(back->items[0].reviewer_basis, sample().items[0].reviewer_basis);
  EXPECT_EQ(back->patient, sample().patient);
}

TEST(PdfWriter, HeadingsAreBoldAndProseIsNot) {
  auto doc = pdf_document(sample());
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  ASSERT_TRUE(doc->has_font_info);
  std::map<std::string, bool> bold;
  for (const Line& l : doc->lines) bold[l.text] = l.bold.value_or(false);
  EXPECT_TRUE(bold["HOW THE IMR FINAL DETERMINATION WAS MADE"]);
  EXPECT_TRUE(bold["CLINICAL CASE SUMMARY"]);
  EXPECT_TRUE(bold["IMR ISSUES, DECISIONS AND RATIONALES"]);
  EXPECT_TRUE(bold["Lumbar epidural steroid injection at L4-L5: Upheld"]);  // bold question, plain answer
  // The header table comes back a row at a time, label and value side by side.
  EXPECT_TRUE(std::any_of(doc->lines.begin(), doc->lines.end(),
                          [](const Line& l) { return l.text.starts_with("Case Number: CM16-0999001"); }));
  EXPECT_FALSE(bold["The Final Determination was based on decisions for the disputed items/services set forth below:"]);
  for (const Line& l : doc->lines)
    if (l.text.starts_with("Decision rationale:")) {
      EXPECT_FALSE(*l.bold) << l.text;
    }
}

TEST(PdfWriter, QualificationsParagraphCarriesCredentialsAndNoName) {
  Reviewer r{{"California"}, {"Orthopedic Surgery"}, {"Spine Surgery"}, true};
  std::string q = qualifications_paragraph(r);
  EXPECT_NE(q.find("is Board Certified in Orthopedic Surgery, has a subspecialty in Spine Surgery and is licensed "
                   "to practice in California."),
            std::string::npos)
      << q;
  EXPECT_NE(q.find("more than five years"), std::string::npos);
  EXPECT_NE(q.find("at least 24 hours a week"), std::string::npos);
  Letter l = sample();
  l.reviewer = r;
  auto doc = pdf_document(l);
  ASSERT_TRUE(doc.ok());
  auto back = read_letter(*doc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->reviewer, r);
  // The list form (not board certified) reads back as well.
  Reviewer list{{"California", "Oregon"}, {"Internal Medicine"}, {}, std::nullopt};
  std::string lq = qualifications_paragraph(list);
  EXPECT_NE(lq.find("\nThe Expert Reviewer has the following credentials:\nState(s) of Licensure: California, Oregon\n"
                    "Certification(s)/Specialty: Internal Medicine"),
            std::string::npos)
      << lq;
  l.reviewer = list;
  auto back2 = read_letter(*pdf_document(l));
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(back2->reviewer, list);
  // The text rendering writes the same qualifications.
  auto t = read_letter(document_from_text(render_letter(l), "x.txt"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->reviewer, list);
}

TEST(PdfWriter, LongLettersRunOntoSeveralPagesWithoutPageNumbersInTheText) {
  Letter l = sample();
  for (int i = 0; i < 14; ++i) {
    DisputedItem it = l.items[i % 2];
    it.request += " (" + std::to_string(i) + ")";
    if (it.original_request) it.original_request = *it.original_request + " (" + std::to_string(i) + ")";
    l.items.push_back(it);
  }
  auto doc = pdf_document(l);
  ASSERT_TRUE(doc.ok());
  int pages = doc->lines.back().page + 1;
  EXPECT_GE(pages, 3);
  for (const Line& line : doc->lines) EXPECT_FALSE(line.text.starts_with("Page ")) << line.text;
  auto back = read_letter(*doc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(contract_differences(l, *back), std::vector<std::string>{});
  for (std::size_t i = 0; i < l.items.size(); ++i) EXPECT_EQ(back->items[i].rationale, l.items[i].rationale) << i;
}

TEST(PdfWriter, OddTextStillRenders) {
  Letter l = sample();
  l.clinical_summary = std::string("Bad bytes \xff\xfe here,\ttabs\nand\fbreaks, <markup> & \"quotes\", redaction gap Dr.  did.");
  l.items[0].request = "MRI <left> & right knee";
  auto pdf = render_letter_pdf(l);
  ASSERT_TRUE(pdf.ok());
  auto back = read_letter(*document_from_pdf(*pdf, "x.pdf"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->items[0].request, "MRI <left> & right knee");
  // A record with nothing but one item still makes a letter.
  Letter bare;
  bare.items.push_back(sample().items[0]);
  auto b = read_letter(*pdf_document(bare));
  ASSERT_TRUE(b.ok()) << b.status().to_string();
  EXPECT_EQ(contract_differences(bare, *b), std::vector<std::string>{});
}

TEST(PdfWriter, WritesAFile) {
  fs::path p = fs::temp_directory_path() / ("imr_pdf_writer_" + std::to_string(::getpid()) + ".pdf");
  ASSERT_TRUE(write_letter_pdf(sample(), p.string()).ok());
  auto r = read_letter_file(p.string());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->case_number, sample().case_number);
  fs::remove(p);
  EXPECT_EQ(write_letter_pdf(sample(), "/nonexistent-dir/x.pdf").code(), Code::kIoError);
}

// Generated letters (header shape: the record carries the header fields).
TEST(PdfWriterRoundTrip, GeneratedRecords) {
  SynthOptions o;
  o.shape = SynthShape::kHeader;
  auto synth = LetterSynthesizer::create(o);
  ASSERT_TRUE(synth.ok()) << synth.status().to_string();
  SyntheticLetter g;
  int failed = 0;
  std::vector<std::string> examples;
  const int n = 150;
  for (int i = 0; i < n; ++i) {
    synth->generate(static_cast<std::uint64_t>(i), g);
    auto doc = pdf_document(g.expected);
    Result<Letter> back = doc.ok() ? read_letter(*doc) : Result<Letter>(doc.status());
    std::vector<std::string> d = back.ok() ? contract_differences(g.expected, *back)
                                           : std::vector<std::string>{"unreadable: " + back.status().to_string()};
    if (d.empty()) continue;
    ++failed;
    if (examples.size() < 6) examples.push_back(g.case_number + ": " + d[0]);
  }
  std::string all;
  for (const auto& e : examples) all += "\n  " + e;
  EXPECT_EQ(failed, 0) << failed << " of " << n << " PDFs did not read back" << all;
}

// Every dev letter's record (read from its pdftotext text), rendered as PDF, reads back.
TEST(PdfWriterRoundTrip, DevCorpusRecords) {
  const fs::path dir = fs::path(IMR_SHARED_DIR) / "corpus" / "dev" / "text";
  if (!fs::exists(dir)) GTEST_SKIP() << "SKIP: " << dir << " not found (the shared corpus is not beside the checkout)";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  int failed = 0, identical = 0;
  std::vector<std::string> examples;
  for (const auto& f : files) {
    auto r = read_letter_file(f.string());
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    auto doc = pdf_document(*r);
    Result<Letter> back = doc.ok() ? read_letter(*doc) : Result<Letter>(doc.status());
    std::vector<std::string> d = back.ok() ? contract_differences(*r, *back)
                                           : std::vector<std::string>{"unreadable: " + back.status().to_string()};
    // Beyond the contract: is the whole prose (summary, guideline paragraphs, rationales) back too?
    if (back.ok()) {
      Letter a = *r, b = *back;
      a.source = b.source = "";
      a.template_name = b.template_name = "";
      a.warnings.clear();
      b.warnings.clear();
      if (a == b) ++identical;
    }
    if (d.empty()) continue;
    ++failed;
    if (examples.size() < 8) examples.push_back(f.filename().string() + ": " + d[0]);
  }
  std::string all;
  for (const auto& e : examples) all += "\n  " + e;
  EXPECT_EQ(failed, 0) << failed << " of " << files.size() << " dev records did not read back from PDF" << all;
  std::printf("dev records rendered as PDF and read back: %zu/%zu (contract), %d/%zu identical in every field\n",
              files.size() - failed, files.size(), identical, files.size());
}

}  // namespace
}  // namespace imr::letter

namespace imr::letter {
namespace {

// Same record, same bytes (the creation date is the decision date), on any thread.
TEST(PdfWriter, DeterministicAndThreadSafe) {
  auto one = render_letter_pdf(sample());
  ASSERT_TRUE(one.ok());
  auto two = render_letter_pdf(sample());
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*one, *two);
  std::vector<std::string> out(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&out, t] {
      for (int k = 0; k < 5; ++k) {
        auto p = render_letter_pdf(sample());
        if (p.ok() && (k == 0 || *p == out[static_cast<std::size_t>(t)])) out[static_cast<std::size_t>(t)] = *p;
        else out[static_cast<std::size_t>(t)] = "differs";
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& o : out) EXPECT_TRUE(o == *one);
}

}  // namespace
}  // namespace imr::letter

// ---------------------------------------------------------------------------------------------
// imr render --pdf --redact-name: PDF files named after the case, names gone, decisions kept.
#ifdef IMR_BINARY
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

#include "imr/letter/json.h"

namespace imr::letter {
namespace {

TEST(RenderCommandPdf, WritesRedactedPdfs) {
  if (!fs::exists(IMR_BINARY)) GTEST_SKIP() << "SKIP: " << IMR_BINARY << " not built";
  fs::path dir = fs::temp_directory_path() / ("imr_render_pdf_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Letter l = sample();
  *l.clinical_summary += " Zorbax Quillet was seen by Dr. Vantreska on 11-1-16.";
  {
    std::ofstream in(dir / "in.jsonl");
    in << to_json_line(l) << "\n";
    std::ofstream names(dir / "names.json");
    names << R"({"worker": "Zorbax Quillet"})";
  }
  const std::string bin = IMR_BINARY;
  auto run = [](const std::string& cmd) {
    int rc = std::system((cmd + " 2>/dev/null").c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  };
  EXPECT_EQ(run(bin + " render --pdf --out " + (dir / "out").string() + " --redact " + (dir / "names.json").string() +
                " --redact-name physician:Vantreska " + (dir / "in.jsonl").string()),
            0);
  auto back = read_letter_file((dir / "out" / "CM16-0999001.pdf").string());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(contract_differences(l, *back), std::vector<std::string>{});
  ASSERT_TRUE(back->clinical_summary);
  EXPECT_NE(back->clinical_summary->find("The injured worker was seen by the physician on 11-1-16."), std::string::npos)
      << *back->clinical_summary;
  // Usage errors: --pdf without --out, a name too short to redact.
  EXPECT_EQ(run(bin + " render --pdf " + (dir / "in.jsonl").string()), 2);
  EXPECT_EQ(run(bin + " render --redact-name J " + (dir / "in.jsonl").string()), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace imr::letter
#endif

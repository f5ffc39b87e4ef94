// document_from_pdf: bad input is refused with kUnrecognized and a message naming the file; PDFs
// built here check the layout rules; every letter of the dev corpus reads in pdftotext's reading
// order with its disputed-item headings bold.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "imr/base/files.h"
#include "imr/base/text.h"
#include "imr/letter/document.h"

namespace imr::letter {
namespace {

namespace fs = std::filesystem;

// A one-page PDF whose page draws `content` (a content stream) with Helvetica as /F1 and
// Helvetica-Bold as /F2, with a correct cross-reference table.
std::string make_pdf(std::string_view content) {
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + std::string(content) + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// One text object: `text` in font /F1 (plain) or /F2 (bold), 11 pt, at (x, y) from the bottom left.
std::string show(bool bold, double x, double y, std::string_view text) {
  char head[96];
  std::snprintf(head, sizeof head, "BT /F%d 11 Tf %.2f %.2f Td (", bold ? 2 : 1, x, y);
  return std::string(head) + std::string(text) + ") Tj ET\n";
}

// A small letter: the header table as the DWC letters set it (labels in one column, values in the
// next, "Application" / "Received:" over two lines), a section heading, a paragraph, an item
// heading with its plain answer, and a bold lead-in followed by prose.
std::string letter_content() {
  std::string c;
  const char* left[][2] = {{"Case Number:", "CM16-0000001"}, {"Date Assigned:", "11/09/2016"},
                           {"Decision Date:", "12/09/2016"}, {"Priority:", "Standard"}};
  for (int i = 0; i < 4; ++i) c += show(true, 72, 690 - 13 * i, left[i][0]);
  for (int i = 0; i < 4; ++i) c += show(false, 180, 690 - 13 * i, left[i][1]);
  const char* right[][2] = {{"Date of Injury:", "10/13/2016"}, {"UR Denial Date:", "11/03/2016"},
                            {"Application", "11/02/2016"}};
  for (int i = 0; i < 3; ++i) c += show(true, 330, 677 - 13 * i, right[i][0]);
  c += show(true, 330, 638, "Received:");
  for (int i = 0; i < 3; ++i) c += show(false, 430, 677 - 13 * i, right[i][1]);
  c += show(true, 200, 600, "CLINICAL CASE SUMMARY");
  c += show(false, 72, 575, "The injured worker is a 48 year old male who sustained an");
  c += show(false, 72, 562, "industrial injury on 10-13-16.");
  c += show(true, 72, 530, "MRI of the right shoulder without contrast:");
  c += show(false, 300, 530, "Upheld");
  c += show(true, 72, 505, "Claims Administrator guideline:");
  c += show(false, 240, 505, "Decision based on MTUS Shoulder Complaints 2004.");
  return c;
}

void expect_unrecognized(std::string_view bytes, std::string_view reason) {
  Result<Document> doc = document_from_pdf(bytes, "letters/x.pdf");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), Code::kUnrecognized);
  EXPECT_NE(doc.status().message().find("letters/x.pdf: "), std::string::npos) << doc.status().message();
  EXPECT_NE(doc.status().message().find(reason), std::string::npos) << doc.status().message();
}

TEST(DocumentFromPdf, RefusesEmptyBytes) { expect_unrecognized("", "not a PDF file"); }

TEST(DocumentFromPdf, RefusesRandomBytes) {
  std::mt19937 rng(7);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  expect_unrecognized(bytes, "not a PDF file");
}

TEST(DocumentFromPdf, RefusesHeaderFollowedByGarbage) {
  std::mt19937 rng(11);
  std::string bytes = "%PDF-1.4\n";
  for (int i = 0; i < 4096; ++i) bytes.push_back(static_cast<char>(rng()));
  expect_unrecognized(bytes, "damaged");
  expect_unrecognized(bytes + "\n%%EOF\n", "damaged");  // a plausible ending does not make it a PDF
}

TEST(DocumentFromPdf, RefusesTruncatedPdf) {
  const std::string pdf = make_pdf(letter_content());
  ASSERT_TRUE(document_from_pdf(pdf, "whole.pdf").ok());
  for (std::size_t keep : {pdf.size() / 4, pdf.size() / 2, pdf.size() - 8})
    expect_unrecognized(std::string_view(pdf).substr(0, keep), "damaged or truncated");
}

TEST(DocumentFromPdf, RefusesPdfWithoutTextLayer) {
  // A page that only strokes a line, as a scan is only an image.
  expect_unrecognized(make_pdf("0 0 m 300 300 l S"), "no text layer");
}

// Runs qpdf (when installed) on `pdf` with `args`; returns the output, or "" when qpdf is absent.
std::string run_qpdf(const std::string& pdf, const std::string& args) {
  if (std::system("command -v qpdf >/dev/null 2>&1") != 0) return "";
  const fs::path dir = fs::temp_directory_path() / ("imr_pdf_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string in = (dir / "in.pdf").string(), out = (dir / "out.pdf").string();
  std::string result;
  if (files::write_file(in, pdf).ok() &&
      std::system(("qpdf " + args + " -- '" + in + "' '" + out + "' >/dev/null 2>&1").c_str()) == 0) {
    if (Result<std::string> bytes = files::read_file(out); bytes.ok()) result = *bytes;
  }
  fs::remove_all(dir);
  return result;
}

TEST(DocumentFromPdf, RefusesPdfThatNeedsAPassword) {
  const std::string encrypted = run_qpdf(make_pdf(letter_content()), "--encrypt secret owner 256");
  if (encrypted.empty()) GTEST_SKIP() << "SKIP: qpdf not installed";
  expect_unrecognized(encrypted, "password-protected");
}

TEST(DocumentFromPdf, ReadsCopyProtectedPdf) {
  // The published letters forbid copying with an owner password; they are public records.
  const std::string protected_pdf =
      run_qpdf(make_pdf(letter_content()), "--encrypt '' owner 256 --extract=n --modify=none");
  if (protected_pdf.empty()) GTEST_SKIP() << "SKIP: qpdf not installed";
  Result<Document> doc = document_from_pdf(protected_pdf, "protected.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  ASSERT_FALSE(doc->lines.empty());
  EXPECT_EQ(doc->lines.front().text, "Case Number: CM16-0000001");
}

std::vector<std::string> texts(const Document& doc) {
  std::vector<std::string> out;
  for (const Line& line : doc.lines) out.push_back(line.text);
  return out;
}

TEST(DocumentFromPdf, PutsHeaderValuesBesideTheirLabels) {
  Result<Document> doc = document_from_pdf(make_pdf(letter_content()), "built.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  EXPECT_EQ(doc->source, "built.pdf");
  EXPECT_EQ(doc->shape, "pdf");
  EXPECT_TRUE(doc->has_font_info);
  const std::vector<std::string> want = {
      "Case Number: CM16-0000001", "Date Assigned: 11/09/2016", "Decision Date: 12/09/2016",
      "Priority: Standard", "Date of Injury: 10/13/2016", "UR Denial Date: 11/03/2016",
      "Application Received: 11/02/2016", "CLINICAL CASE SUMMARY",
      "The injured worker is a 48 year old male who sustained an", "industrial injury on 10-13-16.",
      "MRI of the right shoulder without contrast: Upheld",
      "Claims Administrator guideline: Decision based on MTUS Shoulder Complaints 2004."};
  EXPECT_EQ(texts(*doc), want);
}

TEST(DocumentFromPdf, MarksBoldLinesAndParagraphBreaks) {
  Result<Document> doc = document_from_pdf(make_pdf(letter_content()), "built.pdf");
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  std::unordered_map<std::string, const Line*> by_text;
  for (const Line& line : doc->lines) by_text[line.text] = &line;
  auto line = [&](const std::string& text) -> const Line& {
    static const Line kMissing{"<missing>", false, -1, false};
    auto it = by_text.find(text);
    return it == by_text.end() ? kMissing : *it->second;
  };
  EXPECT_EQ(line("CLINICAL CASE SUMMARY").bold, true);
  EXPECT_TRUE(line("CLINICAL CASE SUMMARY").blank_before);
  // The item heading is bold but for its one-word answer: a bold line.
  EXPECT_EQ(line("MRI of the right shoulder without contrast: Upheld").bold, true);
  // A bold lead-in followed by prose is not.
  EXPECT_EQ(line("Claims Administrator guideline: Decision based on MTUS Shoulder Complaints 2004.").bold, false);
  EXPECT_EQ(line("industrial injury on 10-13-16.").bold, false);
  EXPECT_FALSE(line("industrial injury on 10-13-16.").blank_before);
  EXPECT_TRUE(line("MRI of the right shoulder without contrast: Upheld").blank_before);
  for (const Line& l : doc->lines) EXPECT_EQ(l.page, 0);
}

// ---- The dev corpus: each PDF against pdftotext's default output of it (text/<name>.txt) ----

// The words of `doc` as pdftotext prints them: pdftotext joins a word hyphenated at the end of a
// line with its continuation, dropping the hyphen ("10-30-" / "2016" becomes "10-302016"), and
// the comparison follows it so that only real differences count.
std::vector<std::string> pdftotext_words(const Document& doc) {
  std::vector<std::string> words;
  bool join = false;
  int page = 0;
  for (const Line& line : doc.lines) {
    std::size_t start = 0;
    const std::string& t = line.text;
    bool first = true;
    while (start < t.size()) {
      std::size_t end = t.find(' ', start);
      if (end == std::string::npos) end = t.size();
      std::string word = t.substr(start, end - start);
      if (first && join && !line.blank_before && line.page == page) {
        words.back().pop_back();
        words.back() += word;
      } else {
        words.push_back(std::move(word));
      }
      first = false;
      start = end + 1;
    }
    join = t.size() > 1 && t.back() == '-';
    page = line.page;
  }
  return words;
}

std::vector<std::string> text_words(std::string_view text) {
  std::vector<std::string> words;
  const std::string ascii = text::ascii_punctuation(text);
  std::size_t i = 0;
  while (i < ascii.size()) {
    while (i < ascii.size() && std::isspace(static_cast<unsigned char>(ascii[i]))) ++i;
    std::size_t start = i;
    while (i < ascii.size() && !std::isspace(static_cast<unsigned char>(ascii[i]))) ++i;
    if (i > start) words.push_back(ascii.substr(start, i - start));
  }
  return words;
}

// Share of words the two sequences have in common, in order: the longest common subsequence over
// the longer length. The header table is the one place where the reader deliberately departs from
// pdftotext's order (values beside labels rather than after all of them), so words that are
// unmatched on both sides within the opening `header_words` are counted as moved, not lost.
double word_match(const std::vector<std::string>& a, const std::vector<std::string>& b,
                  std::size_t header_words = 30) {
  const std::size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return n == m ? 1.0 : 0.0;
  std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  std::size_t matched = at(0, 0);
  std::unordered_map<std::string, int> head_a, head_b;  // unmatched words within the header
  for (std::size_t i = 0, j = 0; i < n || j < m;) {
    if (i < n && j < m && a[i] == b[j]) {
      ++i, ++j;
    } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
      if (i < header_words) ++head_a[a[i]];
      ++i;
    } else {
      if (j < header_words) ++head_b[b[j]];
      ++j;
    }
  }
  for (const auto& [word, count] : head_a) {
    auto it = head_b.find(word);
    if (it != head_b.end()) matched += static_cast<std::size_t>(std::min(count, it->second));
  }
  return static_cast<double>(matched) / static_cast<double>(std::max(n, m));
}

TEST(DocumentFromPdf, ReadsEveryDevCorpusLetter) {
  const fs::path dev = fs::path(IMR_SHARED_DIR) / "corpus" / "dev";
  if (!fs::is_directory(dev / "pdf")) GTEST_SKIP() << "SKIP: ../shared/corpus/dev not present";
  std::vector<fs::path> pdfs;
  for (const auto& entry : fs::directory_iterator(dev / "pdf"))
    if (entry.path().extension() == ".pdf") pdfs.push_back(entry.path());
  std::sort(pdfs.begin(), pdfs.end());
  ASSERT_FALSE(pdfs.empty());

  std::vector<std::pair<double, std::string>> matches, raw_matches;
  for (const fs::path& pdf : pdfs) {
    const std::string name = pdf.stem().string();  // the case number, e.g. CM16-0213037
    SCOPED_TRACE(name);
    Result<std::string> bytes = files::read_file(pdf.string());
    ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
    Result<Document> doc = document_from_pdf(*bytes, pdf.string());
    ASSERT_TRUE(doc.ok()) << doc.status().to_string();

    bool has_case_number = false, has_bold_decision = false;
    for (const Line& line : doc->lines) {
      has_case_number |= line.text.find(name) != std::string::npos;
      has_bold_decision |= line.bold.value_or(false) &&
                           (text::ends_with_icase(line.text, "Upheld") || text::ends_with_icase(line.text, "Overturned"));
    }
    EXPECT_TRUE(has_case_number);
    EXPECT_TRUE(has_bold_decision) << "no bold line ends with Upheld or Overturned";

    Result<std::string> txt = files::read_file((dev / "text" / (name + ".txt")).string());
    if (!txt.ok()) continue;
    const double match = word_match(pdftotext_words(*doc), text_words(*txt));
    EXPECT_GE(match, 0.99);
    matches.emplace_back(match, name);
    // For the record only: the same without following pdftotext's hyphen joining, its typographic
    // punctuation or the header order.
    std::vector<std::string> raw_words;
    for (const Line& line : doc->lines)
      for (std::string& w : text_words(line.text)) raw_words.push_back(std::move(w));
    std::vector<std::string> raw_txt;
    for (std::size_t i = 0; i < txt->size();) {
      while (i < txt->size() && std::isspace(static_cast<unsigned char>((*txt)[i]))) ++i;
      std::size_t start = i;
      while (i < txt->size() && !std::isspace(static_cast<unsigned char>((*txt)[i]))) ++i;
      if (i > start) raw_txt.push_back(txt->substr(start, i - start));
    }
    raw_matches.emplace_back(word_match(raw_words, raw_txt, 0), name);
  }
  ASSERT_FALSE(matches.empty());
  std::sort(matches.begin(), matches.end());
  std::sort(raw_matches.begin(), raw_matches.end());
  std::cout << "word match with pdftotext over " << matches.size() << " letters: worst " << matches.front().first
            << " (" << matches.front().second << "), median " << matches[matches.size() / 2].first
            << "; without normalising: worst " << raw_matches.front().first << " (" << raw_matches.front().second
            << "), median " << raw_matches[raw_matches.size() / 2].first << "\n";
}

}  // namespace
}  // namespace imr::letter

// Golden test over the letter layouts: every tests/golden/letters/<layout>/NAME.txt is read with
// read_letter_file and compared, field by field, with NAME.expected.json (the record as
// ../shared/docs/record.md defines it; all fields but "source" and "warnings"). The folder names
// the template that must recognise the letter. Adding a case is adding those two files.
//
// Also: a layout's template does not claim another layout's letters (detect() == 0), and
// dwc-2016, which shares some headings with the older layouts, never out-scores their own
// template on their letters.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "imr/base/files.h"
#include "imr/letter/document.h"
#include "imr/letter/json.h"
#include "imr/letter/reader.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace imr::letter {
namespace {

const fs::path kLetters = fs::path(IMR_SOURCE_DIR) / "tests" / "golden" / "letters";

struct Case {
  std::string layout;  // the folder: the template name the letter must be read with
  std::string name;    // NAME of NAME.txt
  fs::path text, expected;
};

std::vector<Case> all_cases() {
  std::vector<Case> out;
  if (!fs::exists(kLetters)) return out;
  for (const auto& e : fs::recursive_directory_iterator(kLetters)) {
    if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
    Case c;
    c.layout = e.path().parent_path().filename().string();
    c.name = e.path().stem().string();
    c.text = e.path();
    c.expected = e.path().parent_path() / (c.name + ".expected.json");
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.text < b.text; });
  return out;
}

// The record as compared: JSON without the fields this test does not pin.
json comparable(const Letter& l) {
  json j = json::parse(to_json_line(l));
  j.erase("source");
  j.erase("warnings");
  return j;
}

// One line per difference, each naming the field path ("items[1].reviewer_basis.citations[0].title").
void diff(const json& want, const json& got, const std::string& path, std::vector<std::string>& out) {
  auto at = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
  if (want.is_object() && got.is_object()) {
    for (const auto& [k, v] : want.items())
      diff(v, got.contains(k) ? got[k] : json(), at(k), out);
    for (const auto& [k, v] : got.items())
      if (!want.contains(k)) out.push_back(at(k) + ": not expected, got " + v.dump());
    return;
  }
  if (want.is_array() && got.is_array()) {
    if (want.size() != got.size())
      out.push_back(path + ": expected " + std::to_string(want.size()) + " entries, got " + std::to_string(got.size()));
    for (std::size_t i = 0; i < std::min(want.size(), got.size()); ++i)
      diff(want[i], got[i], path + "[" + std::to_string(i) + "]", out);
    return;
  }
  if (want != got) out.push_back(path + ":\n    expected " + want.dump() + "\n    got      " + got.dump());
}

const LetterTemplate* template_named(std::string_view name) {
  for (const auto* t : letter_templates())
    if (t->name() == name) return t;
  return nullptr;
}

Document document_of(const fs::path& p) {
  auto bytes = files::read_file(p.string());
  EXPECT_TRUE(bytes.ok()) << p;
  return document_from_text(bytes.ok() ? *bytes : std::string(), p.string());
}

class Layouts : public ::testing::TestWithParam<Case> {};

TEST_P(Layouts, ReadsAsExpected) {
  const Case& c = GetParam();
  ASSERT_TRUE(fs::exists(c.expected)) << "missing " << c.expected << " beside " << c.text;
  auto expected_text = files::read_file(c.expected.string());
  ASSERT_TRUE(expected_text.ok()) << expected_text.status().message();
  auto expected = letter_from_json(*expected_text);
  ASSERT_TRUE(expected.ok()) << c.expected << ": " << expected.status().message();
  EXPECT_EQ(expected->template_name, c.layout) << c.expected << ": \"template\" must name the folder's layout";

  auto got = read_letter_file(c.text.string());
  ASSERT_TRUE(got.ok()) << got.status().message();
  std::vector<std::string> diffs;
  diff(comparable(*expected), comparable(*got), "", diffs);
  std::ostringstream msg;
  for (const auto& d : diffs) msg << "  " << d << "\n";
  EXPECT_TRUE(diffs.empty()) << c.text << " differs from " << c.expected.filename() << ":\n" << msg.str();
}

TEST_P(Layouts, OnlyItsOwnTemplateClaimsIt) {
  const Case& c = GetParam();
  const LetterTemplate* own = template_named(c.layout);
  ASSERT_NE(own, nullptr) << "no template named after the folder " << c.layout;
  Document doc = document_of(c.text);
  int own_score = own->detect(doc);
  EXPECT_GT(own_score, 0);
  for (const auto* t : letter_templates()) {
    if (t == own) continue;
    int s = t->detect(doc);
    // dwc-2016 shares headings ("HOW THE IMR FINAL DETERMINATION WAS MADE", "Claims Administrator
    // guideline:") with the 2014 letters, so it may score them, but never above their own template.
    if (t->name() == "dwc-2016") EXPECT_LT(s, own_score) << "dwc-2016 out-scores " << c.layout;
    else EXPECT_EQ(s, 0) << t->name() << " claims a " << c.layout << " letter";
  }
}

std::string test_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.layout + "_" + info.param.name;
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Letters, Layouts, ::testing::ValuesIn(all_cases()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Layouts);

TEST(LayoutCases, EachOlderLayoutHasAtLeastThree) {
  std::map<std::string, int> count;
  for (const auto& c : all_cases()) ++count[c.layout];
  for (const char* layout : {"notice-2013", "maximus-imr", "medical-professional-review", "dwc-2016"})
    EXPECT_GE(count[layout], std::string_view(layout) == "dwc-2016" ? 1 : 3) << layout;
}

// The older layouts' templates claim none of the published 2016-2017 letters or the seeds.
TEST(LayoutCases, OlderTemplatesIgnoreSharedLetters) {
  const fs::path shared(IMR_SHARED_DIR);
  std::vector<fs::path> files;
  for (const auto& dir : {shared / "seeds", shared / "corpus" / "dev" / "text"}) {
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  if (files.empty()) GTEST_SKIP() << "SKIP: ../shared seeds and dev corpus not present";
  for (const auto& f : files) {
    Document doc = document_of(f);
    for (const char* name : {"notice-2013", "maximus-imr", "medical-professional-review"}) {
      const LetterTemplate* t = template_named(name);
      ASSERT_NE(t, nullptr) << name;
      EXPECT_EQ(t->detect(doc), 0) << name << " claims " << f;
    }
  }
}

}  // namespace
}  // namespace imr::letter

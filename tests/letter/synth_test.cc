// Synthetic letters: determinism, the shape of the generated corpus (distribution checks on 2,000
// letters), the files write_synthetic_letters lays out, vocabulary errors, and the reader on the
// generated letters.
#include "imr/letter/synth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "imr/base/files.h"
#include "imr/base/text.h"
#include "imr/letter/json.h"
#include "imr/letter/reader.h"

namespace fs = std::filesystem;

namespace imr::letter {
namespace {

LetterSynthesizer make(std::uint64_t seed, SynthShape shape = SynthShape::kMixed) {
  SynthOptions o;
  o.seed = seed;
  o.shape = shape;
  auto s = LetterSynthesizer::create(o);
  EXPECT_TRUE(s.ok()) << s.status().to_string();
  return std::move(s.value());
}

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Determinism

TEST(Synth, SameSeedSameBytesDifferentSeedDifferentLetters) {
  LetterSynthesizer a = make(42), b = make(42), c = make(43);
  SyntheticLetter x, y, z;
  int same_as_other_seed = 0;
  for (std::uint64_t i = 0; i < 200; ++i) {
    a.generate(i, x);
    b.generate(i, y);
    c.generate(i, z);
    ASSERT_EQ(x.text, y.text) << "letter " << i;
    ASSERT_EQ(to_json_line(x.expected), to_json_line(y.expected)) << "letter " << i;
    same_as_other_seed += x.text == z.text;
  }
  EXPECT_EQ(same_as_other_seed, 0);
}

TEST(Synth, LettersDoNotDependOnGenerationOrder) {
  LetterSynthesizer s = make(5);
  SyntheticLetter forward, alone;
  for (std::uint64_t i = 0; i < 50; ++i) s.generate(i, forward);
  LetterSynthesizer t = make(5);
  t.generate(49, alone);
  EXPECT_EQ(forward.text, alone.text);
}

TEST(Synth, CaseNumbersAreUniquePerSeed) {
  LetterSynthesizer s = make(9);
  SyntheticLetter l;
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    s.generate(i, l);
    ASSERT_EQ(l.case_number.size(), 12u);
    ASSERT_TRUE(l.case_number.starts_with("CM16-0")) << l.case_number;
    ASSERT_TRUE(seen.insert(l.case_number).second) << "repeated " << l.case_number << " at " << i;
  }
}

// ---------------------------------------------------------------------------------------------
// The generated corpus looks like the real one

struct Corpus {
  std::vector<SyntheticLetter> letters;
  std::size_t items = 0, partial = 0, overturned = 0, one_item = 0, seed_shape = 0, board_form = 0;
  std::size_t min_items = 1000, max_items = 0;
  std::map<std::string, int> forms;  // citation forms and other features seen
};

const Corpus& corpus_of_2000() {
  static const Corpus c = [] {
    Corpus c;
    LetterSynthesizer s = make(2016);
    c.letters.resize(2000);
    for (std::size_t i = 0; i < c.letters.size(); ++i) {
      SyntheticLetter& l = c.letters[i];
      s.generate(i, l);
      std::size_t n = l.expected.items.size();
      c.items += n;
      c.min_items = std::min(c.min_items, n);
      c.max_items = std::max(c.max_items, n);
      c.one_item += n == 1;
      c.seed_shape += l.shape == TextShape::kSeed;
      c.board_form += l.expected.reviewer.board_certified.value_or(false);
      if (contains(l.text, "Dr.  ")) ++c.forms["redaction gap"];
      for (const auto& it : l.expected.items) {
        c.partial += it.original_request.has_value();
        c.overturned += it.decision == Decision::kOverturned;
        for (const auto* b : {&it.claims_administrator_basis, &it.reviewer_basis}) {
          const std::string& t = (*b)->text;
          if (contains(t, "did not cite any medical evidence")) ++c.forms["no evidence cited"];
          if (contains(t, "Decision based on MTUS ") && contains(t, "Section(s): ")) ++c.forms["MTUS with sections"];
          if (contains(t, "Decision based on MTUS ACOEM Chapter ") && contains(t, "Page(s): ")) ++c.forms["MTUS ACOEM chapter pages"];
          if (contains(t, "Non-MTUS Citation Official Disability Guidelines (ODG)")) ++c.forms["ODG"];
          if (contains(t, "Non-MTUS Citation ACOEM ")) ++c.forms["ACOEM (not MTUS)"];
          for (const auto& cit : (*b)->citations)
            if (cit.source == "other") ++c.forms["other"];
          if ((*b)->citations.size() >= 2 && contains(t, ", and ")) ++c.forms["MTUS joined with and"];
          if ((*b)->citations.size() >= 2 && !contains(t, ", and ")) ++c.forms["two sentences"];
          if (contains(t, "did not base their decision on the MTUS.")) ++c.forms["did not base on MTUS"];
          if (contains(t, "based their decision on recommendation(s) outside of the MTUS")) ++c.forms["outside the MTUS"];
        }
      }
    }
    return c;
  }();
  return c;
}

TEST(SynthDistribution, ItemCounts) {
  const Corpus& c = corpus_of_2000();
  EXPECT_EQ(c.min_items, 1u);
  EXPECT_LE(c.max_items, 25u);
  EXPECT_GE(c.max_items, 15u);  // the long tail is there
  double one = double(c.one_item) / c.letters.size();
  EXPECT_NEAR(one, 0.56, 0.05);  // most letters dispute one item
  double mean = double(c.items) / c.letters.size();
  EXPECT_GT(mean, 1.8);
  EXPECT_LT(mean, 3.2);
}

TEST(SynthDistribution, PartialAndOverturnedShares) {
  const Corpus& c = corpus_of_2000();
  EXPECT_NEAR(double(c.partial) / c.items, 0.10, 0.025);
  EXPECT_NEAR(double(c.overturned) / c.items, 0.11, 0.025);
}

TEST(SynthDistribution, BothShapesAndBothCredentialForms) {
  const Corpus& c = corpus_of_2000();
  EXPECT_NEAR(double(c.seed_shape) / c.letters.size(), 0.3, 0.05);
  EXPECT_NEAR(double(c.board_form) / c.letters.size(), 0.2, 0.05);
  std::size_t list_form_in_seed = 0, board_in_header = 0;
  for (const auto& l : c.letters) {
    if (l.shape == TextShape::kSeed && !l.expected.reviewer.board_certified) ++list_form_in_seed;
    if (l.shape == TextShape::kHeader && l.expected.reviewer.board_certified) ++board_in_header;
  }
  EXPECT_GT(list_form_in_seed, 0u);
  EXPECT_GT(board_in_header, 0u);
}

TEST(SynthDistribution, EveryCitationFormAndRedactionGaps) {
  const Corpus& c = corpus_of_2000();
  for (const char* form : {"no evidence cited", "MTUS with sections", "MTUS ACOEM chapter pages", "ODG", "ACOEM (not MTUS)",
                           "other", "MTUS joined with and", "two sentences", "did not base on MTUS", "outside the MTUS",
                           "redaction gap"})
    EXPECT_GT(c.forms.count(form) ? c.forms.at(form) : 0, 10) << form;
}

TEST(SynthDistribution, TreatmentsOfEveryKind) {
  const Corpus& c = corpus_of_2000();
  // A request pattern per kind of treatment the brief names.
  std::map<std::string, std::vector<std::string>> kinds = {
      {"drug with strength and quantity", {"mg #"}},
      {"topical compound", {"% cream", "% gel", "% topical", "% transdermal", "% ultraderm", "% lipoderm"}},
      {"physical therapy sessions", {"Physical therapy"}},
      {"chiropractic", {"Chiropractic"}},
      {"acupuncture", {"cupuncture"}},
      {"imaging", {"MRI of the", "X-rays of the", "CT scan of the"}},
      {"EMG/NCV", {"EMG/NCV", "NCV of", "Electromyography"}},
      {"epidural injection", {"epidural steroid injection"}},
      {"facet", {"medial branch blocks", "Facet joint", "Radiofrequency ablation"}},
      {"trigger point", {"Trigger point"}},
      {"PRP", {"PRP"}},
      {"surgery", {"arthroscopy", "release", "fusion", "arthroplasty", "discectomy", "laminectomy"}},
      {"DME", {"TENS unit", "brace", "splint", "Cane", "Shower chair", "orthotics"}},
      {"consultation", {"consultation", "Referral to"}},
      {"drug screen or labs", {"drug screen", "drug test", "CBC", "panel"}},
      {"program", {"program", "Gym membership"}},
      {"home health", {"Home health"}},
      {"psychotherapy", {"Cognitive behavioral therapy", "Psychotherapy", "Biofeedback"}},
  };
  std::map<std::string, int> seen;
  for (const auto& l : c.letters)
    for (const auto& it : l.expected.items)
      for (const auto& [kind, patterns] : kinds)
        for (const auto& p : patterns)
          if (contains(it.request, p)) ++seen[kind];
  for (const auto& [kind, patterns] : kinds) EXPECT_GE(seen[kind], 5) << kind;
}

TEST(SynthDistribution, RecordsAreConsistentWithTheirLetters) {
  const Corpus& c = corpus_of_2000();
  for (const auto& l : c.letters) {
    const Letter& r = l.expected;
    ASSERT_TRUE(r.clinical_summary.has_value());
    const std::string& s = *r.clinical_summary;
    // Age and sex are stated in the summary's first sentence.
    std::string first = s.substr(0, s.find('.'));
    EXPECT_TRUE(contains(first, std::to_string(*r.patient.age) + " year old") ||
                contains(first, std::to_string(*r.patient.age) + "-year-old"))
        << first;
    bool male = r.patient.sex == Sex::kMale;
    EXPECT_TRUE(contains(first, male ? " male" : " female") || contains(first, male ? " man " : " woman "))
        << first;
    ASSERT_TRUE(r.date_of_injury.has_value());
    if (l.shape == TextShape::kHeader) {
      EXPECT_TRUE(r.case_number && r.date_assigned && r.decision_date && r.ur_denial_date && r.application_received &&
                  r.priority);
      EXPECT_LT(*r.date_of_injury, *r.ur_denial_date);
      EXPECT_LE(*r.ur_denial_date, *r.application_received);
      EXPECT_LE(*r.application_received, *r.date_assigned);
      EXPECT_LT(*r.date_assigned, *r.decision_date);
      EXPECT_TRUE(contains(l.text, "Case Number: " + *r.case_number + "\n"));
    } else {
      EXPECT_FALSE(r.case_number || r.date_assigned || r.decision_date || r.ur_denial_date || r.priority);
      EXPECT_FALSE(contains(l.text, "Case Number"));
    }
    for (const auto& it : r.items) {
      ASSERT_TRUE(it.rationale.has_value());
      bool not_necessary = contains(*it.rationale, "not medically necessary");
      if (it.decision == Decision::kUpheld) EXPECT_TRUE(not_necessary) << *it.rationale;
      else EXPECT_TRUE(!not_necessary && contains(*it.rationale, "medically necessary")) << *it.rationale;
      // Expected text is as the reader reports it: white space folded.
      EXPECT_EQ(*it.rationale, text::fold_space(*it.rationale));
      if (it.original_request) {
        EXPECT_TRUE(it.authorized_portion.has_value());
        EXPECT_TRUE(contains(text::fold_space(l.text), *it.original_request + " was the original request."));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Files on disk

TEST(SynthFiles, LayoutAndExpectedRecords) {
  fs::path dir = temp_dir("imr_synth_files");
  SynthOptions o;
  o.seed = 3;
  auto stats = write_synthetic_letters(o, 2500, dir.string());
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->letters, 2500u);
  for (const char* sub : {"000", "001", "002"}) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir / sub)) n += e.path().extension() == ".txt";
    EXPECT_EQ(n, std::string(sub) == "002" ? 500u : 1000u) << sub;
  }
  EXPECT_FALSE(fs::exists(dir / "003"));

  LetterSynthesizer s = make(3);
  SyntheticLetter g;
  std::ifstream in(dir / "expected.jsonl");
  std::string line;
  std::uint64_t i = 0;
  std::uint64_t bytes = 0;
  while (std::getline(in, line)) {
    auto rec = letter_from_json(line);
    ASSERT_TRUE(rec.ok()) << rec.status().to_string();
    // The fast writer and to_json_line agree byte for byte.
    ASSERT_EQ(to_json_line(*rec), line) << "line " << i + 1;
    s.generate(i, g);
    EXPECT_EQ(rec->source, std::string(i < 1000 ? "000" : i < 2000 ? "001" : "002") + "/" + g.case_number + ".txt");
    auto text = files::read_file((dir / rec->source).string());
    ASSERT_TRUE(text.ok()) << text.status().to_string();
    ASSERT_EQ(*text, g.text);
    bytes += text->size();
    g.expected.source = rec->source;
    ASSERT_EQ(*rec, g.expected);
    ++i;
  }
  EXPECT_EQ(i, 2500u);
  EXPECT_EQ(stats->bytes, bytes);
  fs::remove_all(dir);
}

TEST(SynthFiles, ShapeOptionForcesTheShape) {
  for (SynthShape shape : {SynthShape::kHeader, SynthShape::kSeed}) {
    LetterSynthesizer s = make(11, shape);
    SyntheticLetter l;
    for (std::uint64_t i = 0; i < 100; ++i) {
      s.generate(i, l);
      EXPECT_EQ(l.shape, shape == SynthShape::kHeader ? TextShape::kHeader : TextShape::kSeed);
    }
  }
}

TEST(SynthFiles, TooManyLettersForOneSeed) {
  auto r = write_synthetic_letters(SynthOptions{}, LetterSynthesizer::kMaxLetters + 1, temp_dir("imr_synth_max").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(SynthFiles, VocabularyErrorsNameFileAndLine) {
  fs::path dir = temp_dir("imr_synth_vocab");
  fs::create_directories(dir);
  fs::copy(fs::path(default_data_dir()) / "synth", dir / "synth");
  {
    std::ofstream out(dir / "synth" / "summary.txt", std::ios::app);
    out << "\n[plan]\nThe provider asked for {nonsense}.\n";
  }
  SynthOptions o;
  o.data_dir = dir.string();
  auto s = LetterSynthesizer::create(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(contains(s.status().message(), "summary.txt:")) << s.status().message();
  EXPECT_TRUE(contains(s.status().message(), "{nonsense}")) << s.status().message();

  fs::copy_file(fs::path(default_data_dir()) / "synth" / "summary.txt", dir / "synth" / "summary.txt",
                fs::copy_options::overwrite_existing);
  ASSERT_TRUE(LetterSynthesizer::create(o).ok());
  fs::remove(dir / "synth" / "drugs.tsv");
  s = LetterSynthesizer::create(o);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(contains(s.status().message(), "drugs.tsv")) << s.status().message();
  fs::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------
// The reader on generated letters: every letter reads back to its expected record.

TEST(SynthReader, GeneratedLettersReadBackToTheirRecords) {
  LetterSynthesizer s = make(77);
  SyntheticLetter l;
  std::map<std::string, int> by_field;
  std::vector<std::string> examples;
  int failed = 0;
  const int n = 1000;
  for (int i = 0; i < n; ++i) {
    s.generate(static_cast<std::uint64_t>(i), l);
    auto r = read_letter_bytes(l.text, l.case_number + ".txt");
    if (!r.ok()) {
      ++failed;
      ++by_field["unreadable"];
      if (examples.size() < 6) examples.push_back(l.case_number + ": " + r.status().to_string());
      continue;
    }
    Letter got = *r;
    got.source = l.expected.source;
    got.template_name = l.expected.template_name;
    got.warnings = l.expected.warnings;
    if (got == l.expected) continue;
    ++failed;
    std::string what;
    auto note = [&](const std::string& f, const std::string& detail) {
      ++by_field[f];
      if (what.empty()) what = f + ": " + detail;
    };
    const Letter& e = l.expected;
    if (got.case_number != e.case_number || got.date_assigned != e.date_assigned || got.decision_date != e.decision_date ||
        got.ur_denial_date != e.ur_denial_date || got.application_received != e.application_received ||
        got.priority != e.priority)
      note("header", "");
    if (got.date_of_injury != e.date_of_injury) note("date_of_injury", e.date_of_injury.value_or("null") + " vs " + got.date_of_injury.value_or("null"));
    if (!(got.reviewer == e.reviewer)) note("reviewer", "");
    if (!(got.patient == e.patient)) note("patient", "");
    if (got.clinical_summary != e.clinical_summary) note("clinical_summary", "");
    if (got.items.size() != e.items.size()) {
      note("items.count", std::to_string(e.items.size()) + " vs " + std::to_string(got.items.size()));
    } else {
      for (std::size_t k = 0; k < e.items.size(); ++k) {
        const auto& a = e.items[k];
        const auto& b = got.items[k];
        if (a.request != b.request || a.original_request != b.original_request || a.authorized_portion != b.authorized_portion)
          note("items.request", a.request + " vs " + b.request);
        if (a.decision != b.decision) note("items.decision", a.request);
        if (a.rationale != b.rationale) note("items.rationale", a.request);
        for (auto [x, y] : {std::pair{&a.claims_administrator_basis, &b.claims_administrator_basis},
                            std::pair{&a.reviewer_basis, &b.reviewer_basis}}) {
          if (*x == *y) continue;
          if ((*x)->text != (*y)->text) { note("items.basis.text", (*x)->text); continue; }
          for (std::size_t m = 0; m < std::min((*x)->citations.size(), (*y)->citations.size()); ++m)
            if (!((*x)->citations[m] == (*y)->citations[m]))
              note("items.basis.citations", "\"" + (*x)->citations[m].title + "\" read as \"" + (*y)->citations[m].title +
                                                "\" in: " + (*x)->text.substr(0, 200));
          if ((*x)->citations.size() != (*y)->citations.size()) note("items.basis.citations.count", (*x)->text);
        }
      }
    }
    if (examples.size() < 6) examples.push_back(l.case_number + " " + what);
  }
  std::string summary;
  for (const auto& [f, c] : by_field) summary += "\n  " + f + ": " + std::to_string(c);
  for (const auto& e : examples) summary += "\n  e.g. " + e;
  EXPECT_EQ(failed, 0) << failed << " of " << n << " generated letters did not read back" << summary;
}

}  // namespace
}  // namespace imr::letter

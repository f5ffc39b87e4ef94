// The guideline knowledge base as data (data/review/guidelines/*.json): every file loads through
// KnowledgeBase, its id is its file name, its vocabulary is the corpus normaliser's (subcategories,
// regions, catalog keys) and the fact vocabulary, and the invented requests of
// tests/review/treatment_match.tsv each reach the treatment file they name.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "imr/base/data.h"
#include "imr/corpus/normalize.h"
#include "imr/review/facts.h"
#include "imr/review/guidelines.h"

namespace imr::review {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> tsv_rows(const std::string& path, std::size_t min_fields) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) f.push_back(cell);
    if (f.size() >= min_fields) rows.push_back(f);
  }
  return rows;
}

const KnowledgeBase& kb() {
  static const KnowledgeBase* k = [] {
    auto r = KnowledgeBase::load();
    if (!r.ok()) {
      ADD_FAILURE() << r.status().to_string();
      std::abort();
    }
    return new KnowledgeBase(std::move(r).value());
  }();
  return *k;
}

std::set<std::string> catalog_keys() {
  std::set<std::string> keys;
  for (const auto& f : tsv_rows(data_path("normalize/guidelines.tsv"), 3))
    if (f[0] != "strip") keys.insert(f[1]);
  return keys;
}

std::set<std::string> taxonomy_names() {  // categories and subcategories
  std::set<std::string> names;
  for (const auto& f : tsv_rows(data_path("normalize/taxonomy.tsv"), 2)) {
    names.insert(f[0]);
    names.insert(f[1]);
  }
  return names;
}

std::set<std::string> region_names() {
  std::set<std::string> names = {"multiple", "unspecified"};
  for (const auto& f : tsv_rows(data_path("normalize/regions.tsv"), 2))
    if (f[0] != "none") names.insert(f[0]);
  return names;
}

TEST(KnowledgeBaseFiles, LoadAndCoverAtLeast45Treatments) {
  EXPECT_GE(kb().guidelines().size(), 45u);
}

TEST(KnowledgeBaseFiles, IdIsFileName) {
  for (const auto& g : kb().guidelines())
    EXPECT_EQ(fs::path(g.file).stem().string(), g.id) << g.file;
}

TEST(KnowledgeBaseFiles, CatalogKeysSourcesAndTitles) {
  const auto keys = catalog_keys();
  ASSERT_FALSE(keys.empty());
  for (const auto& g : kb().guidelines()) {
    ASSERT_FALSE(g.governing.empty()) << g.id;
    bool has_default = false;
    for (const auto& c : g.governing) {
      EXPECT_TRUE(keys.count(c.catalog_key)) << g.id << ": catalog_key \"" << c.catalog_key
                                             << "\" is not a key of data/normalize/guidelines.tsv";
      EXPECT_EQ(c.catalog_key.substr(0, c.catalog_key.find('/')), c.source) << g.id << ": " << c.catalog_key;
      EXPECT_FALSE(c.title.empty()) << g.id;
      EXPECT_FALSE(c.section.empty()) << g.id << ": " << c.catalog_key;
      has_default |= c.when_regions.empty();
    }
    // When no region entry holds, the engine takes the first entry: make that choice explicit.
    EXPECT_TRUE(has_default || g.governing.size() == 1) << g.id << ": no governing entry without when_regions";
  }
}

TEST(KnowledgeBaseFiles, SubcategoriesAndRegionsAreTheNormalisersNames) {
  const auto tax = taxonomy_names();
  const auto regions = region_names();
  for (const auto& g : kb().guidelines()) {
    for (const auto& s : g.subcategories) EXPECT_TRUE(tax.count(s)) << g.id << ": subcategory \"" << s << "\"";
    for (const auto& r : g.regions) EXPECT_TRUE(regions.count(r)) << g.id << ": region \"" << r << "\"";
    for (const auto& c : g.governing)
      for (const auto& r : c.when_regions) EXPECT_TRUE(regions.count(r)) << g.id << ": when_regions \"" << r << "\"";
  }
}

TEST(KnowledgeBaseFiles, CriteriaAndRationales) {
  // The engine's placeholders (review/engine.cc draft_rationale).
  static const std::set<std::string> placeholders = {"treatment", "request", "guideline", "section",
                                                     "unmet",     "met",     "unknown",   "status"};
  for (const auto& g : kb().guidelines()) {
    EXPECT_FALSE(g.name.empty()) << g.id;
    EXPECT_FALSE(g.criteria.empty()) << g.id << ": criteria are what the engine checks";
    for (const auto& c : g.criteria) {
      EXPECT_FALSE(c.text.empty()) << g.id << "/" << c.id;
      EXPECT_FALSE(c.section.empty()) << g.id << "/" << c.id << ": cite the guideline section";
    }
    for (const std::string* t : {&g.rationale_upheld, &g.rationale_overturned}) {
      EXPECT_FALSE(t->empty()) << g.id << ": rationale";
      EXPECT_TRUE(t->find("{treatment}") != std::string::npos || t->find("{request}") != std::string::npos)
          << g.id << ": " << *t;
      EXPECT_NE(t->find("medically necessary"), std::string::npos) << g.id << ": say the conclusion";
      for (std::size_t p = t->find('{'); p != std::string::npos; p = t->find('{', p + 1)) {
        std::size_t e = t->find('}', p);
        ASSERT_NE(e, std::string::npos) << g.id << ": unclosed placeholder";
        EXPECT_TRUE(placeholders.count(t->substr(p + 1, e - p - 1))) << g.id << ": " << t->substr(p, e - p + 1);
      }
    }
  }
}

TEST(KnowledgeBaseFiles, PerioperativeServicesDependOnAnOperation) {
  // A file marked perioperative is a service of an operation: it is never itself an operation,
  // and its criteria ask whether an operation is done or authorised (the fact the engine infers
  // when the case disputes the services but not the operation).
  int n = 0;
  for (const auto& g : kb().guidelines()) {
    if (!g.perioperative) continue;
    ++n;
    EXPECT_EQ(std::count(g.subcategories.begin(), g.subcategories.end(), "Surgical procedure"), 0) << g.id;
    bool asks = false;
    for (const auto& c : g.criteria)
      for (const auto& cond : c.conditions) asks = asks || cond.fact == "surgery_planned" || cond.fact == "surgery_done";
    EXPECT_TRUE(asks) << g.id << ": a perioperative file needs a criterion on surgery_planned or surgery_done";
  }
  EXPECT_GE(n, 8);
}

TEST(KnowledgeBaseFiles, CriteriaNamingJointSignsTestThem) {
  // Files whose criteria call for examination signs of a structural lesion (locking, giving way,
  // effusion, instability, a positive meniscal, ligament, labral or cuff-tear test) decide them on
  // the structural_joint_signs fact, not on neurological findings alone.
  auto yes = [](const char* name) {
    Fact f;
    f.name = name;
    f.kind = FactKind::kBool;
    f.flag = true;
    return f;
  };
  auto met_ids = [&](const char* id, const FactSet& facts) {
    std::set<std::string> out;
    const Guideline* g = kb().find(id);
    EXPECT_NE(g, nullptr) << id;
    if (!g) return out;
    for (const auto& r : evaluate(*g, facts))
      if (r.outcome == Outcome::kMet) out.insert(r.criterion->id);
    return out;
  };
  const FactSet signs = {{"structural_joint_signs", yes("structural_joint_signs")}};
  EXPECT_TRUE(met_ids("knee-mri", signs).count("mechanical-or-ligament-signs"));
  EXPECT_TRUE(met_ids("knee-mri", {}).empty());
  EXPECT_TRUE(met_ids("knee-arthroscopy", signs).count("not-degenerative"));
  EXPECT_TRUE(met_ids("shoulder-mri", signs).count("red-flags-or-neuro"));
  EXPECT_TRUE(met_ids("rotator-cuff-repair", signs).count("tear-and-weakness"));
  EXPECT_TRUE(met_ids("elbow-imaging", signs).count("red-flags-or-surgical"));
  const FactSet imaged = {{"imaging_done", yes("imaging_done")}};
  FactSet both = imaged;
  both["structural_joint_signs"] = yes("structural_joint_signs");
  EXPECT_FALSE(met_ids("knee-ligament-reconstruction", imaged).count("instability")) << "an MRI alone is not instability";
  EXPECT_TRUE(met_ids("knee-ligament-reconstruction", both).count("instability"));
}

TEST(KnowledgeBaseFiles, TreatmentMatchTable) {
  auto norm = corpus::Normalizer::load();
  ASSERT_TRUE(norm.ok()) << norm.status().to_string();
  auto facts = FactExtractor::load();
  ASSERT_TRUE(facts.ok()) << facts.status().to_string();
  const auto rows = tsv_rows(std::string(IMR_SOURCE_DIR) + "/tests/review/treatment_match.tsv", 2);
  ASSERT_GE(rows.size(), 150u);
  std::set<std::string> reached;
  int wrong = 0;
  for (const auto& r : rows) {
    ASSERT_TRUE(kb().find(r[1])) << "treatment_match.tsv names unknown id " << r[1];
    letter::DisputedItem item;
    item.request = r[0];
    const corpus::NormalizedItem n = norm->normalize(item);
    const Guideline* g = kb().match(r[0], n, facts->regions_in(r[0]));
    const std::string got = g ? g->id : "(none)";
    if (got != r[1]) {
      ++wrong;
      ADD_FAILURE() << "\"" << r[0] << "\" [" << n.subcategory << ", " << n.body_region << "]: expected " << r[1]
                    << ", got " << got;
    }
    reached.insert(r[1]);
  }
  std::printf("treatment_match.tsv: %zu requests, %zu matched, %zu treatment files named\n", rows.size(),
              rows.size() - wrong, reached.size());
  for (const auto& g : kb().guidelines())
    EXPECT_TRUE(reached.count(g.id)) << g.id << " is the expected match of no line of treatment_match.tsv";
}

}  // namespace
}  // namespace imr::review

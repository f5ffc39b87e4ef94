// The engine end to end on invented cases and synthetic letters: review, JSON, letter, precedents,
// the model (train, save, load, calibration), cross-validation and audit.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "imr/letter/json.h"
#include "imr/letter/writer.h"
#include "imr/review/audit.h"
#include "imr/review/model.h"
#include "review_testutil.h"

namespace imr::review {
namespace {

CaseFile mri_case(const std::string& summary) {
  CaseFile c;
  c.age = 45;
  c.sex = letter::Sex::kMale;
  c.date_of_injury = "2015-06-01";
  c.clinical_summary = summary;
  c.items.push_back({"MRI of the lumbar spine", std::nullopt});
  c.items.push_back({"Norco 10/325mg #90", std::nullopt});
  return c;
}

TEST(Engine, ReviewWithoutCorpusOrModel) {
  const auto& e = testing::test_engine();
  CaseFile c = mri_case("He has low back pain. There are no red flags. He has failed conservative care including physical "
                        "therapy. He takes Norco 10/325 mg three times a day with no documented functional improvement.");
  CaseReview r = e.review(c, nullptr, nullptr);
  ASSERT_EQ(r.items.size(), 2u);
  const auto& mri = r.items[0];
  ASSERT_NE(mri.analysis.guideline, nullptr);
  EXPECT_EQ(mri.analysis.guideline->id, "test-lumbar-mri");
  EXPECT_EQ(mri.decision, letter::Decision::kUpheld);
  ASSERT_FALSE(mri.citations.empty());
  EXPECT_EQ(mri.citations[0].title, "ACOEM Low Back Complaints (Chapter 12)");
  ASSERT_EQ(mri.analysis.criteria.size(), 2u);
  EXPECT_EQ(mri.analysis.criteria[1].outcome, Outcome::kMet);  // failed conservative care
  const auto& ev = mri.analysis.criteria[1].evidence;
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(c.clinical_summary.substr(ev[0].span.begin, ev[0].span.end - ev[0].span.begin), ev[0].evidence);
  EXPECT_NE(mri.rationale.find("not medically necessary"), std::string::npos);
  EXPECT_NE(mri.rationale.find("MRI of the lumbar spine"), std::string::npos);
  const auto& norco = r.items[1];
  ASSERT_NE(norco.analysis.guideline, nullptr);
  EXPECT_EQ(norco.analysis.criteria[0].outcome, Outcome::kUnmet);
  EXPECT_EQ(norco.analysis.criteria[2].outcome, Outcome::kMet);  // 30 MED
  EXPECT_EQ(norco.decision, letter::Decision::kUpheld);

  auto j = nlohmann::json::parse(review_to_json(r));
  for (const char* k : {"request", "decision", "p_overturn", "citations", "criteria", "rationale"})
    EXPECT_TRUE(j["items"][0].contains(k)) << k;
  EXPECT_EQ(j["items"][0]["decision"], "upheld");
  EXPECT_FALSE(review_to_text(r).empty());

  // The draft letter renders and reads back as a letter of the 2016 layout.
  letter::Letter l = review_to_letter(r);
  std::string text = letter::render_letter(l);
  EXPECT_NE(text.find("MRI of the lumbar spine"), std::string::npos);
  EXPECT_NE(text.find("not medically necessary"), std::string::npos);
}

TEST(Engine, PerioperativeServicesStandOrFallWithTheOperation) {
  // The shipped knowledge base: preoperative labs are a service of an operation.
  auto e = Engine::load();
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  CaseFile c;
  c.age = 59;
  c.clinical_summary = "The patient has a reducible umbilical hernia with pain rated 8/10.";
  c.items.push_back({"Pre-op labs: CBC", std::nullopt});
  CaseFacts facts = e->extractor().extract(c);
  ASSERT_FALSE(facts.facts.count("surgery_planned")) << "the summary does not say it";

  // Only the services are disputed: the operation itself went through utilization review.
  auto alone = e->analyze_case(c, facts, nullptr);
  ASSERT_EQ(alone.size(), 1u);
  ASSERT_NE(alone[0].guideline, nullptr);
  EXPECT_EQ(alone[0].guideline->id, "preoperative-labs");
  EXPECT_TRUE(alone[0].perioperative);
  EXPECT_FALSE(alone[0].operation_in_dispute);
  EXPECT_FALSE(alone[0].operation_estimate.has_value());
  ASSERT_TRUE(alone[0].facts.count("surgery_planned"));
  EXPECT_TRUE(alone[0].facts.at("surgery_planned").flag);
  bool checked = false;
  for (const auto& r : alone[0].criteria) {
    if (r.criterion->id != "surgery-authorised") continue;
    EXPECT_EQ(r.outcome, Outcome::kMet);
    checked = true;
  }
  EXPECT_TRUE(checked) << "preoperative-labs has a surgery-authorised criterion";

  // The operation is disputed too: the labs are no more likely to be overturned than it is.
  c.items.insert(c.items.begin(), {"Arthroscopic rotator cuff repair, right shoulder", std::nullopt});
  auto both = e->analyze_case(c, facts, nullptr);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_FALSE(both[0].perioperative);
  EXPECT_TRUE(both[1].perioperative);
  EXPECT_TRUE(both[1].operation_in_dispute);
  EXPECT_FALSE(both[1].facts.count("surgery_planned")) << "no inference while the operation is disputed";
  ASSERT_TRUE(both[1].operation_estimate.has_value());
  EXPECT_DOUBLE_EQ(*both[1].operation_estimate, rule_estimate(both[0]));
  EXPECT_LE(rule_estimate(both[1]), rule_estimate(both[0]));
  EXPECT_LT(rule_estimate(both[1]), rule_estimate(alone[0]));
  // One item analysed on its own sees its case the same way.
  ItemAnalysis one = e->analyze(c, facts, c.items[1], nullptr);
  EXPECT_EQ(one.operation_estimate, both[1].operation_estimate);

  // A treatment also given without an operation is a service of one only when the request says so.
  CaseFile cold;
  cold.clinical_summary = c.clinical_summary;
  cold.items.push_back({"Cold therapy unit rental for the right knee", std::nullopt});
  cold.items.push_back({"Associated surgical service: cold therapy unit for one week", std::nullopt});
  auto units = e->analyze_case(cold, e->extractor().extract(cold), nullptr);
  ASSERT_EQ(units.size(), 2u);
  ASSERT_NE(units[0].guideline, nullptr);
  ASSERT_NE(units[1].guideline, nullptr);
  EXPECT_EQ(units[0].guideline->id, "cold-therapy-unit");
  EXPECT_EQ(units[1].guideline->id, "cold-therapy-unit");
  EXPECT_FALSE(units[0].perioperative);
  EXPECT_FALSE(units[0].facts.count("surgery_planned"));
  EXPECT_TRUE(units[1].perioperative);
  EXPECT_TRUE(units[1].facts.count("surgery_planned"));
}

TEST(Engine, AllCriteriaMetSuggestsOverturn) {
  const auto& e = testing::test_engine();
  CaseFile c = mri_case("He has progressive neurologic deficit with foot drop. Conservative care has failed despite physical "
                        "therapy.");
  c.items.resize(1);
  CaseReview r = e.review(c, nullptr, nullptr);
  EXPECT_EQ(r.items[0].decision, letter::Decision::kOverturned) << review_to_text(r);
  EXPECT_NE(r.items[0].rationale.find("is medically necessary"), std::string::npos);
}

TEST(Engine, PrecedentsModelAndCrossValidation) {
  const auto& e = testing::test_engine();
  auto letters = testing::synthetic_letters(120);
  ASSERT_EQ(letters.size(), 120u);
  CorpusIndex ix = CorpusIndex::build(letters, e);
  EXPECT_GT(ix.size(), 120u);
  // A letter is never its own precedent.
  const auto& first = letters[0];
  auto p = ix.find(first.letter.items[0].request, "", first.items[0].normalized.subcategory,
                   first.items[0].normalized.body_region, 5, first.id);
  for (const auto& x : p.top) EXPECT_NE(x.item->letter_id, first.id);
  auto p2 = ix.find(first.letter.items[0].request, "", first.items[0].normalized.subcategory,
                    first.items[0].normalized.body_region, 5);
  ASSERT_FALSE(p2.top.empty());
  EXPECT_GE(p2.top[0].similarity, 1.0);  // itself

  auto examples = training_examples(e, letters, &ix);
  auto model = OutcomeModel::train(examples);
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  const std::string path = (std::filesystem::temp_directory_path() / "imr_review_test.model").string();
  ASSERT_TRUE(model->save(path).ok());
  auto loaded = OutcomeModel::load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  for (int i = 0; i < 10; ++i)
    EXPECT_NEAR(model->p_overturn(examples[i].features), loaded->p_overturn(examples[i].features), 1e-9);
  std::remove(path.c_str());
  EXPECT_FALSE(OutcomeModel::load("/nonexistent/model").ok());

  CaseReview r = e.review(case_from_letter(first.letter), &ix, &*loaded);
  for (const auto& it : r.items) {
    EXPECT_TRUE(it.from_model);
    EXPECT_GE(it.p_overturn, 0.0);
    EXPECT_LE(it.p_overturn, 1.0);
    EXPECT_FALSE(it.reasons.empty());
  }

  EvalOptions o;
  o.folds = 3;
  auto rep = cross_validate(e, letters, o);
  ASSERT_TRUE(rep.ok()) << rep.status().to_string();
  EXPECT_EQ(rep->letters, 120);
  EXPECT_GT(rep->items, 0);
  EXPECT_GE(rep->auc.value, 0.0);
  EXPECT_LE(rep->brier.value, 1.0);
  EXPECT_EQ(rep->auc.baseline, 0.5);
  // The per-item estimates are the ones the metrics were computed from.
  ASSERT_EQ(static_cast<int>(rep->predictions.size()), rep->items);
  double pairs = 0, won = 0, brier = 0;
  for (const auto& a : rep->predictions) {
    brier += (a.p_overturn - a.overturned) * (a.p_overturn - a.overturned);
    if (!a.overturned) continue;
    for (const auto& b : rep->predictions)
      if (!b.overturned) pairs += 1, won += a.p_overturn > b.p_overturn ? 1.0 : a.p_overturn == b.p_overturn ? 0.5 : 0.0;
  }
  EXPECT_NEAR(won / pairs, rep->auc.value, 1e-9);
  EXPECT_NEAR(brier / rep->items, rep->brier.value, 1e-9);
}

TEST(Model, NeedsBothOutcomes) {
  std::vector<TrainingExample> ex(4);
  auto m = OutcomeModel::train(ex);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kFailedPrecondition);
}

TEST(Audit, FindsContradictionsAndMissingCitations) {
  const auto& e = testing::test_engine();
  letter::Letter l;
  l.case_number = "CM00-0000001";
  l.clinical_summary = "Low back pain.";
  letter::DisputedItem a;
  a.request = "MRI of the lumbar spine";
  a.decision = letter::Decision::kOverturned;
  a.rationale = "The guidelines recommend imaging for red flags. In this case the patient has cauda equina syndrome. "
                "Therefore, the request is not medically necessary.";
  letter::Citation odg{"ODG", "Low Back", std::nullopt, {"MRIs"}, {}};
  a.reviewer_basis = letter::GuidelineBasis{"Decision based on ODG Low Back.", {odg}};
  letter::DisputedItem b;
  b.request = "Norco 10/325mg #60";
  b.decision = letter::Decision::kUpheld;
  b.rationale = "Therefore, the request is not medically necessary.";
  l.items = {a, b};
  auto sl = corpus::prepare_letter(l, e.normalizer());
  sl.id = 1;
  auto rep = audit(e, {sl});
  ASSERT_TRUE(rep.ok()) << rep.status().to_string();
  EXPECT_EQ(rep->items, 2);
  EXPECT_EQ(rep->findings[0].count, 1);  // overturned but "not medically necessary"
  EXPECT_EQ(rep->findings[1].count, 1);  // Norco cites nothing
  EXPECT_EQ(rep->findings[3].count, 1) << audit_to_text(*rep);  // red flags asserted, summary silent
  EXPECT_NE(audit_to_json(*rep).find("decision-contradicts-rationale"), std::string::npos);
}

TEST(Precedents, RequestSignatureDropsDosesAndOrder) {
  EXPECT_EQ(request_signature("Norco 10/325mg #60"), request_signature("norco 10/325 mg #90"));
  EXPECT_EQ(request_signature("MRI of the lumbar spine"), "lumbar mri of spine the");
  EXPECT_NE(request_signature("MRI of the lumbar spine"), request_signature("MRI of the cervical spine"));
  EXPECT_EQ(request_signature("12 x 3"), "");
}

TEST(Precedents, StatsSmoothTowardTheParentAndLeaveAFoldOut) {
  const auto& e = testing::test_engine();
  auto letters = testing::synthetic_letters(120);
  CorpusIndex ix = CorpusIndex::build(letters, e);
  const auto& first = letters[0];
  const auto& n = first.items[0].normalized;
  const std::string req = first.letter.items[0].request;
  const std::string tid = e.treatment_id(req, n);
  PrecedentStats all = ix.stats(tid, n.subcategory, n.body_region, req);
  ASSERT_GT(all.treatment_n, 0);
  EXPECT_GE(all.treatment_n, all.region_n);
  EXPECT_GE(all.region_n, all.request_n);
  EXPECT_GE(all.request_n, 1);  // the letter's own item is counted without a fold left out
  for (double r : {all.corpus_rate, all.treatment_rate, all.region_rate, all.request_rate}) {
    EXPECT_GT(r, 0.0);
    EXPECT_LT(r, 1.0);
  }
  // Leaving the letter's fold out removes its items from every level.
  const int fold = CorpusIndex::stat_fold(first.id);
  PrecedentStats oof = ix.stats(tid, n.subcategory, n.body_region, req, fold);
  EXPECT_LT(oof.treatment_n, all.treatment_n);
  EXPECT_LE(oof.request_n, all.request_n - 1);
  // A request the corpus has never seen gets its region's rate (nothing to move it).
  PrecedentStats unseen = ix.stats(tid, n.subcategory, n.body_region, "zzqx unheard of request");
  EXPECT_EQ(unseen.request_n, 0);
  EXPECT_DOUBLE_EQ(unseen.request_rate, unseen.region_rate);
  // Nothing at all for a treatment and subcategory the corpus lacks: the corpus rate.
  PrecedentStats none = ix.stats("no-such-treatment", "No such subcategory", "", "x");
  EXPECT_EQ(none.treatment_n, 0);
  EXPECT_DOUBLE_EQ(none.treatment_rate, none.corpus_rate);
}

TEST(Model, TrainingDoesNotDependOnThreads) {
  const auto& e = testing::test_engine();
  auto letters = testing::synthetic_letters(120);
  CorpusIndex ix = CorpusIndex::build(letters, e);
  auto one = training_examples(e, letters, &ix, 1);
  auto two = training_examples(e, letters, &ix, 2);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].group, two[i].group);
    EXPECT_EQ(one[i].overturned, two[i].overturned);
    EXPECT_EQ(one[i].features.values, two[i].features.values) << "item " << i;
  }
  TrainOptions o1, o2;
  o1.threads = 1;
  o2.threads = 2;
  auto m1 = OutcomeModel::train(one, o1);
  auto m2 = OutcomeModel::train(one, o2);
  ASSERT_TRUE(m1.ok() && m2.ok());
  EXPECT_EQ(m1->decision_threshold(), m2->decision_threshold());
  for (std::size_t i = 0; i < one.size(); i += 7)
    EXPECT_EQ(m1->p_overturn(one[i].features), m2->p_overturn(one[i].features));
}

TEST(Model, AveragesWithTheGuidelineRule) {
  const auto& e = testing::test_engine();
  auto letters = testing::synthetic_letters(120);
  CorpusIndex ix = CorpusIndex::build(letters, e);
  auto ex = training_examples(e, letters, &ix);
  // Each example carries the guideline rule's estimate of its item.
  CaseFile c0 = case_from_letter(letters[0].letter);
  auto a0 = e.analyze_case(c0, e.extractor().extract(c0), &ix);
  EXPECT_DOUBLE_EQ(item_features(c0, a0[0]).rule_estimate, rule_estimate(a0[0]));

  TrainOptions alone, mixed, rule_only, bad;
  alone.rule_weight = 0;
  mixed.rule_weight = 0.5;
  rule_only.rule_weight = 1;
  bad.rule_weight = 1.5;
  auto m0 = OutcomeModel::train(ex, alone), m5 = OutcomeModel::train(ex, mixed), m1 = OutcomeModel::train(ex, rule_only);
  ASSERT_TRUE(m0.ok() && m5.ok() && m1.ok());
  EXPECT_EQ(OutcomeModel::train(ex, bad).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(TrainOptions{}.rule_weight, 0.5);
  for (std::size_t i = 0; i < ex.size(); i += 5) {
    const auto& f = ex[i].features;
    EXPECT_GT(f.rule_estimate, 0.0);
    EXPECT_LT(f.rule_estimate, 1.0);
    EXPECT_NEAR(m5->p_overturn(f), 0.5 * m0->p_overturn(f) + 0.5 * f.rule_estimate, 1e-12);
    EXPECT_NEAR(m1->p_overturn(f), f.rule_estimate, 1e-12);
  }

  // The weight is saved with the model (version 3); a version 2 file is the model alone.
  const std::string path = (std::filesystem::temp_directory_path() / "imr_review_rule_weight.model").string();
  ASSERT_TRUE(m5->save(path).ok());
  auto loaded = OutcomeModel::load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->rule_weight(), 0.5);
  EXPECT_EQ(loaded->decision_threshold(), m5->decision_threshold());
  std::string text;
  {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  ASSERT_EQ(text.rfind("imr-outcome-model 3\n", 0), 0u);
  std::string v2 = "imr-outcome-model 2\n" + text.substr(text.find('\n') + 1);
  v2.erase(v2.find("rule_weight "), v2.find('\n', v2.find("rule_weight ")) - v2.find("rule_weight ") + 1);
  { std::ofstream(path, std::ios::trunc) << v2; }
  auto old = OutcomeModel::load(path);
  ASSERT_TRUE(old.ok()) << old.status().to_string();
  EXPECT_EQ(old->rule_weight(), 0.0);
  EXPECT_NEAR(old->p_overturn(ex[0].features), m0->p_overturn(ex[0].features), 1e-9);
  std::remove(path.c_str());
}

TEST(Model, FeaturesCarryStatusCriteriaAndPrecedents) {
  const auto& e = testing::test_engine();
  auto letters = testing::synthetic_letters(60);
  CorpusIndex ix = CorpusIndex::build(letters, e);
  CaseFile c = mri_case("He has low back pain. There are no red flags. He has failed conservative care.");
  CaseFacts facts = e.extractor().extract(c);
  auto analyses = e.analyze_case(c, facts, &ix);
  ASSERT_EQ(analyses.size(), 2u);
  ASSERT_TRUE(analyses[0].precedent_stats.has_value());
  SparseFeatures f = item_features(c, analyses[0], true);
  ASSERT_EQ(f.names.size(), f.values.size());
  bool cross = false, precedent = false;
  for (const auto& n : f.names) {
    cross = cross || (n.rfind("status=", 0) == 0 && n.find(" x criteria ") != std::string::npos);
    precedent = precedent || n == "precedent treatment log-odds" || n == "no precedents";
  }
  EXPECT_TRUE(cross);
  EXPECT_TRUE(precedent);
  for (std::size_t i = 1; i < f.values.size(); ++i) EXPECT_LT(f.values[i - 1].first, f.values[i].first);
  // Without an index there are no statistics, and the features say so.
  auto bare = e.analyze_case(c, facts, nullptr);
  EXPECT_FALSE(bare[0].precedent_stats.has_value());
}

TEST(Model, RejectsAnOlderModelVersion) {
  const std::string path = (std::filesystem::temp_directory_path() / "imr_review_test_v1.model").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("imr-outcome-model 1\nbias 0\nplatt -1 0\nthreshold 0.5\nweights 0\n", f);
    std::fclose(f);
  }
  auto m = OutcomeModel::load(path);
  std::remove(path.c_str());
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("retrain"), std::string::npos);
}

}  // namespace
}  // namespace imr::review

// The store's behaviour, the same cases on SQLite and on PostgreSQL (real databases, no mocks).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <map>
#include <set>

#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "imr/corpus/export.h"
#include "imr/corpus/store.h"
#include "store_testutil.h"

namespace imr::corpus {
namespace {

using testing::sample_letter;
using testing::sample_stored;
using testing::TestDb;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDb>(GetParam());
    if (!db_->available()) GTEST_SKIP() << testing::kSkipNoPostgres;
  }
  std::unique_ptr<Store> open() {
    auto s = Store::open(db_->url());
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Stores sample letters first..last (inclusive) in one batch.
  void put_samples(Store& store, int first, int last) {
    std::vector<StoredLetter> batch;
    for (int n = first; n <= last; ++n) batch.push_back(sample_stored(n));
    auto r = store.put_letters(batch);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  std::unique_ptr<TestDb> db_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

// --- migrations -------------------------------------------------------------------------------

TEST_P(StoreTest, FreshDatabaseIsMigratedToLatest) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM schema_version"), Store::latest_schema_version());
  EXPECT_EQ(db_->sql_int("SELECT max(version) FROM schema_version"), Store::latest_schema_version());
}

TEST_P(StoreTest, ExistingDatabaseKeepsDataAndIsNotMigratedAgain) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    put_samples(*store, 1, 3);
  }
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM schema_version"), Store::latest_schema_version());
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters"), 3);
  auto hits = store->search({"casemark2", {}, 5});
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  EXPECT_FALSE(hits->empty());
}

TEST_P(StoreTest, RefusesDatabaseNewerThanBinary) {
  { ASSERT_TRUE(open()); }
  db_->sql("INSERT INTO schema_version (version, applied_at) VALUES (" +
           std::to_string(Store::latest_schema_version() + 1) + ", '2030-01-01')");
  auto s = Store::open(db_->url());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("newer"), std::string::npos) << s.status().message();
}

// --- put / get --------------------------------------------------------------------------------

void expect_same_item(const StoredItem& a, const StoredItem& b) {
  EXPECT_EQ(a.normalized.category, b.normalized.category);
  EXPECT_EQ(a.normalized.subcategory, b.normalized.subcategory);
  EXPECT_EQ(a.normalized.body_region, b.normalized.body_region);
  ASSERT_EQ(a.normalized.drug.has_value(), b.normalized.drug.has_value());
  if (a.normalized.drug) {
    EXPECT_EQ(a.normalized.drug->name, b.normalized.drug->name);
    EXPECT_EQ(a.normalized.drug->strength, b.normalized.drug->strength);
    EXPECT_EQ(a.normalized.drug->quantity, b.normalized.drug->quantity);
  }
  EXPECT_EQ(a.normalized.retrospective, b.normalized.retrospective);
  EXPECT_EQ(a.normalized.sessions, b.normalized.sessions);
  for (auto [x, y] : {std::pair{&a.claims_administrator_catalog, &b.claims_administrator_catalog},
                      std::pair{&a.reviewer_catalog, &b.reviewer_catalog}}) {
    ASSERT_EQ(x->size(), y->size());
    for (std::size_t k = 0; k < x->size(); ++k) {
      EXPECT_EQ((*x)[k].key, (*y)[k].key);
      EXPECT_EQ((*x)[k].source, (*y)[k].source);
      EXPECT_EQ((*x)[k].guideline, (*y)[k].guideline);
      EXPECT_EQ((*x)[k].topic, (*y)[k].topic);
    }
  }
}

TEST_P(StoreTest, RoundTripsEveryField) {
  auto store = open();
  ASSERT_TRUE(store);
  std::vector<StoredLetter> batch;
  for (int n : {3, 4, 5}) batch.push_back(sample_stored(n));  // 4, 1 and 2 items; all field variants
  batch[1].letter.patient = {};                                 // absent values stay absent
  batch[1].letter.reviewer.board_certified.reset();
  batch[1].letter.priority.reset();
  batch[1].letter.items[0].rationale.reset();
  batch[1].letter.items[0].claims_administrator_basis.reset();
  batch[1].items[0].claims_administrator_catalog.clear();
  batch[2].letter.items[1].reviewer_basis = letter::GuidelineBasis{"", {}};  // present but empty
  batch[2].items[1].reviewer_catalog.clear();
  auto added = store->put_letters(batch);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  EXPECT_EQ(*added, (std::vector<bool>{true, true, true}));
  for (const auto& want : batch) {
    auto got = store->get_letter(want.key);
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_GT(got->id, 0);
    EXPECT_EQ(got->key, want.key);
    EXPECT_EQ(got->letter, want.letter);
    ASSERT_EQ(got->items.size(), want.items.size());
    for (std::size_t k = 0; k < want.items.size(); ++k) expect_same_item(got->items[k], want.items[k]);
    // By id and case-insensitively by case number.
    auto by_id = store->get_letter(std::to_string(got->id));
    ASSERT_TRUE(by_id.ok());
    EXPECT_EQ(by_id->key, want.key);
    std::string lower = want.key;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(store->get_letter(lower).ok());
  }
  auto missing = store->get_letter("CM99-0000000");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

// PostgreSQL receives rows as COPY text, where backslash, tab, newline and carriage return are
// syntax; array literals add quotes and braces. Every one must come back as it went in.
TEST_P(StoreTest, TextWithCopyAndArraySyntaxRoundTrips) {
  auto store = open();
  ASSERT_TRUE(store);
  const std::string nasty = "a\\b\tc\nd\re \\N {x,\"y\"} 'q' \\\\t end";
  StoredLetter sl = sample_stored(11);
  sl.letter.clinical_summary = nasty;
  sl.letter.items[0].request = "MRI " + nasty;
  sl.letter.items[0].rationale = nasty;
  sl.letter.reviewer.specialties = {nasty};
  sl.items[0].normalized.category = "Diagnostic tests";
  auto added = store->put_letters({sl});
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  auto got = store->get_letter(sl.key);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->letter, sl.letter);
  // Statistics groups (the rollup's keys) with the same characters.
  auto stats = store->stats(GroupBy::kSpecialty, {});
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  bool found = false;
  for (const auto& g : stats->groups) found = found || g.key == nasty;
  EXPECT_TRUE(found);
}

// put_letters gives ids after the largest stored one; letters and items keep increasing across
// batches, skipped duplicates take none, and a failed batch leaves the next batch's ids free.
TEST_P(StoreTest, IdsIncreaseAcrossBatchesAndDuplicatesTakeNone) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->put_letters({sample_stored(1), sample_stored(2)}).ok());
  auto r = store->put_letters({sample_stored(2), sample_stored(3), sample_stored(3), sample_stored(4)});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(*r, (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(db_->sql_int("SELECT max(id) FROM letters"), 4);
  EXPECT_EQ(db_->sql_int("SELECT count(DISTINCT id) FROM letters"), 4);
  std::int64_t items = 0;
  for (int n = 1; n <= 4; ++n) items += static_cast<std::int64_t>(sample_letter(n).items.size());
  EXPECT_EQ(db_->sql_int("SELECT max(id) FROM items"), items);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM items i JOIN letters l ON l.id = i.letter_id"), items);
  auto gen = store->generation();
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(*gen, 4);
}

// Two writers on one database (two ingests, two server processes) take turns: every letter is
// stored once, with its own items, whatever the interleaving of overlapping batches.
TEST_P(StoreTest, ConcurrentWritersStoreEachLetterOnce) {
  auto first = open();
  ASSERT_TRUE(first);
  std::array<std::unique_ptr<Store>, 2> stores;
  for (auto& s : stores) {
    s = open();
    ASSERT_TRUE(s);
  }
  std::array<int, 2> added_by{0, 0};
  std::array<std::string, 2> errors;
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&, w] {
      for (int round = 0; round < 10; ++round) {
        std::vector<StoredLetter> batch;
        for (int n = 1 + round * 3; n <= 6 + round * 3; ++n) batch.push_back(sample_stored(n));  // overlaps
        auto r = stores[w]->put_letters(batch);
        if (!r.ok()) {
          errors[w] = r.status().to_string();
          return;
        }
        for (bool a : *r) added_by[w] += a ? 1 : 0;
      }
    });
  for (auto& t : writers) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  const int letters = 6 + 9 * 3;  // samples 1..33
  EXPECT_EQ(added_by[0] + added_by[1], letters);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters"), letters);
  EXPECT_EQ(db_->sql_int("SELECT count(DISTINCT letter_key) FROM letters"), letters);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters l WHERE item_count <> "
                         "(SELECT count(*) FROM items i WHERE i.letter_id = l.id)"),
            0);
  auto stats = first->stats(GroupBy::kDecision, {});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->letters, letters);
}

TEST_P(StoreTest, EveryLetterHasAllItsItemsAndCitations) {
  auto store = open();
  ASSERT_TRUE(store);
  put_samples(*store, 1, 20);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters l WHERE item_count <> "
                         "(SELECT count(*) FROM items i WHERE i.letter_id = l.id)"),
            0);
  std::int64_t items = 0, citations = 0;
  for (int n = 1; n <= 20; ++n) {
    auto l = sample_letter(n);
    items += static_cast<std::int64_t>(l.items.size());
    for (const auto& it : l.items)
      citations += static_cast<std::int64_t>(it.claims_administrator_basis->citations.size() +
                                             it.reviewer_basis->citations.size());
  }
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM items"), items);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM citations"), citations);
  // No row without its parent (PostgreSQL declares no foreign keys on these: put_letters keeps
  // them whole).
  for (const char* orphans :
       {"SELECT count(*) FROM letter_texts t WHERE NOT EXISTS (SELECT 1 FROM letters l WHERE l.id = t.letter_id)",
        "SELECT count(*) FROM reviewer_credentials r WHERE NOT EXISTS (SELECT 1 FROM letters l WHERE l.id = r.letter_id)",
        "SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM letters l WHERE l.id = i.letter_id)",
        "SELECT count(*) FROM item_texts t WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = t.item_id)",
        "SELECT count(*) FROM citations c WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = c.item_id)",
        "SELECT count(*) FROM item_guidelines g WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = g.item_id)"})
    EXPECT_EQ(db_->sql_int(orphans), 0) << orphans;
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters l WHERE NOT EXISTS "
                         "(SELECT 1 FROM letter_texts t WHERE t.letter_id = l.id)"),
            0);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM items i WHERE NOT EXISTS "
                         "(SELECT 1 FROM item_texts t WHERE t.item_id = i.id)"),
            0);
}

// --- idempotency --------------------------------------------------------------------------------

TEST_P(StoreTest, SameLetterTwiceIsStoredOnce) {
  auto store = open();
  ASSERT_TRUE(store);
  auto r = store->put_letters({sample_stored(7), sample_stored(7)});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(*r, (std::vector<bool>{true, false}));
  r = store->put_letters({sample_stored(7), sample_stored(8)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<bool>{false, true}));
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters"), 2);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM items"),
            static_cast<std::int64_t>(sample_letter(7).items.size() + sample_letter(8).items.size()));
}

TEST_P(StoreTest, SameCaseNumberFromAnotherSourceIsAlreadyPresent) {
  auto store = open();
  ASSERT_TRUE(store);
  StoredLetter text = sample_stored(9);
  StoredLetter pdf = sample_stored(9);
  pdf.letter.source = "letters/sample-9.pdf";
  pdf.letter.clinical_summary = "Extracted differently from the PDF.";
  ASSERT_TRUE(store->put_letters({text}).ok());
  auto r = store->put_letters({pdf});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::vector<bool>{false});
  auto got = store->get_letter(text.key);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->letter.source, text.letter.source);  // the first copy stands
}

TEST_P(StoreTest, LetterWithoutCaseNumberIsKeyedByFingerprint) {
  auto store = open();
  ASSERT_TRUE(store);
  auto seed = [](int n) {
    letter::Letter l = sample_letter(n);
    l.case_number.reset();
    return l;
  };
  letter::Letter a = seed(11);
  letter::Letter b = seed(11);  // the same letter in another shape: spacing, case, punctuation
  b.source = "seeds/11.txt";
  b.clinical_summary = "  THE injured worker is a " + std::to_string(30 + 11 % 40) +
                       "-year-old female who sustained an industrial\ninjury.  Case marker casemark11. She reports "
                       "pain, and “quoted” words, commas, and more.";
  for (auto& it : b.items) it.request = " " + it.request + "  ";
  EXPECT_EQ(content_fingerprint(a), content_fingerprint(b));
  letter::Letter c = seed(11);
  c.items[0].decision = letter::Decision::kOverturned;  // a different letter
  EXPECT_NE(content_fingerprint(a), content_fingerprint(c));

  auto to_stored = [](letter::Letter l) {
    StoredLetter sl = sample_stored(11);
    sl.letter = std::move(l);
    sl.key = "fp:" + content_fingerprint(sl.letter);
    return sl;
  };
  auto r = store->put_letters({to_stored(a), to_stored(b), to_stored(c)});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(*r, (std::vector<bool>{true, false, true}));
  auto got = store->get_letter("fp:" + content_fingerprint(a));
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_FALSE(got->letter.case_number.has_value());
  EXPECT_EQ(got->letter.source, a.source);
}

TEST(PrepareLetter, KeysOnCaseNumberElseFingerprintAndCleansText) {
  auto normalizer = Normalizer::load();
  ASSERT_TRUE(normalizer.ok()) << normalizer.status().to_string();
  letter::Letter l = sample_letter(12);
  l.case_number = " cm16-9000012 ";
  l.items[0].request += std::string("\0\xff", 2);
  StoredLetter sl = prepare_letter(l, *normalizer);
  EXPECT_EQ(sl.key, "CM16-9000012");
  EXPECT_EQ(sl.items.size(), l.items.size());
  EXPECT_EQ(sl.letter.items[0].request.find('\0'), std::string::npos);
  EXPECT_EQ(sl.items[0].reviewer_catalog.size(), l.items[0].reviewer_basis->citations.size());
  l.case_number.reset();
  EXPECT_EQ(prepare_letter(l, *normalizer).key.rfind("fp:", 0), 0u);
  EXPECT_EQ(content_fingerprint(l).size(), 32u);
}

// --- search -------------------------------------------------------------------------------------

TEST_P(StoreTest, SearchRanksRequestMatchesFirstAndMarksSnippets) {
  auto store = open();
  ASSERT_TRUE(store);
  StoredLetter in_request = sample_stored(20);
  in_request.letter.items.resize(1);
  in_request.items.resize(1);
  in_request.letter.items[0].request = "Zolpidem 10mg #30";
  StoredLetter in_summary = sample_stored(21);
  in_summary.letter.clinical_summary = *in_summary.letter.clinical_summary + " She took zolpidem before.";
  put_samples(*store, 1, 10);
  ASSERT_TRUE(store->put_letters({in_summary, in_request}).ok());
  auto hits = store->search({"zolpidem", {}, 20});
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  ASSERT_EQ(hits->size(), 1 + in_summary.letter.items.size());
  EXPECT_EQ((*hits)[0].case_number, in_request.letter.case_number);
  EXPECT_EQ((*hits)[0].item, 0);
  EXPECT_EQ((*hits)[0].request, "Zolpidem 10mg #30");
  EXPECT_EQ((*hits)[0].category, in_request.items[0].normalized.category);
  EXPECT_NE((*hits)[0].snippet.find("[Zolpidem]"), std::string::npos) << (*hits)[0].snippet;
  for (std::size_t k = 1; k < hits->size(); ++k) {
    EXPECT_EQ((*hits)[k].case_number, in_summary.letter.case_number);
    EXPECT_GE((*hits)[0].score, (*hits)[k].score);
    EXPECT_NE((*hits)[k].snippet.find("[zolpidem]"), std::string::npos) << (*hits)[k].snippet;
  }
  // Every word must occur.
  auto both = store->search({"zolpidem casemark21", {}, 20});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), in_summary.letter.items.size());
  // Limit.
  auto one = store->search({"zolpidem", {}, 1});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

// Schema 7: PostgreSQL's search trigger reads the request from item_texts.request. A database
// from before it (the column absent) gets the column, empty in the stored rows, which keep their
// vectors; letters stored after the upgrade are found by their request words too. SQLite's
// migration 7 is empty: the same searches must hold there.
TEST_P(StoreTest, UpgradeToSchema7KeepsRequestsSearchable) {
  const bool postgres = GetParam() == "postgres";
  {
    auto store = open();
    ASSERT_TRUE(store);
    StoredLetter before = sample_stored(30);
    before.letter.items[0].request = "Quetiapine 25mg #60";
    put_samples(*store, 1, 5);
    ASSERT_TRUE(store->put_letters({before}).ok());
  }
  if (postgres) db_->sql("ALTER TABLE item_texts DROP COLUMN request");
  db_->sql("DELETE FROM schema_version WHERE version >= 7");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  if (postgres) {
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM item_texts WHERE request IS NOT NULL"), 0);
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM item_texts WHERE search_vector IS NULL"), 0);
  }
  StoredLetter after = sample_stored(31);
  after.letter.items[0].request = "Quetiapine 50mg #30";
  ASSERT_TRUE(store->put_letters({after}).ok());
  if (postgres) {
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM item_texts t JOIN items i ON i.id = t.item_id"
                           " WHERE i.letter_id = (SELECT max(id) FROM letters) AND t.request = i.request"),
              static_cast<std::int64_t>(after.letter.items.size()));
  }
  auto hits = store->search({"quetiapine", {}, 20});
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  ASSERT_EQ(hits->size(), 2u);
  for (const auto& hit : *hits) {
    EXPECT_EQ(hit.item, 0);
    EXPECT_NE(hit.snippet.find("[Quetiapine]"), std::string::npos) << hit.snippet;
  }
  EXPECT_NE((*hits)[0].case_number, (*hits)[1].case_number);
}

// Migration 8 (PostgreSQL): the planner knows how many rows a lower-cased filter keeps. Without
// statistics on `lower(catalog_key)` it guessed a fixed 0.5% for a guideline prefix, whatever
// the share, and chose plans for a rare guideline when it was a common one. The migration runs
// again on a store from before it (version 8 deleted, the statistics dropped). On SQLite the
// migration is empty; the filtered search must answer the same on both. (Tests run side by side,
// each in its own schema: catalog queries name this test's.)
TEST_P(StoreTest, UpgradeToSchema8EstimatesLowerCasedFilters) {
  const bool postgres = GetParam() == "postgres";
  {
    auto store = open();
    ASSERT_TRUE(store);
    put_samples(*store, 1, 80);
  }
  if (postgres) {
    for (const char* stat : {"item_guidelines_key_lower", "items_category_lower", "items_subcategory_lower",
                             "reviewer_credentials_value_lower"})
      db_->sql(std::string("DROP STATISTICS ") + stat);
  }
  db_->sql("DELETE FROM schema_version WHERE version >= 8");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  const std::int64_t mtus = db_->sql_int("SELECT count(*) FROM item_guidelines WHERE lower(catalog_key) LIKE 'mtus%'");
  const std::int64_t cited = db_->sql_int("SELECT count(*) FROM item_guidelines");
  ASSERT_GT(mtus, cited / 4) << "the samples must cite MTUS often for the estimate to matter";
  if (postgres) {
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM pg_statistic_ext WHERE stxname IN ('item_guidelines_key_lower',"
                           " 'items_category_lower', 'items_subcategory_lower', 'reviewer_credentials_value_lower')"
                           " AND stxnamespace = current_schema()::regnamespace"),
              4);
    db_->sql(R"sql(CREATE OR REPLACE FUNCTION imr_test_plan_rows(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO plan;
  RETURN (plan->0->'Plan'->>'Plan Rows')::bigint;
END $$)sql");
    const std::int64_t estimate = db_->sql_int(
        "SELECT imr_test_plan_rows('SELECT 1 FROM item_guidelines WHERE lower(catalog_key) LIKE ''mtus%''')");
    EXPECT_GE(estimate, mtus / 2) << "planner estimate " << estimate << " for " << mtus << " rows";
    EXPECT_LE(estimate, mtus * 2) << "planner estimate " << estimate << " for " << mtus << " rows";
  }
  Filters f;
  f.guideline = "MTUS";
  auto hits = store->search({"shoulder", f, 500});
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  ASSERT_FALSE(hits->empty()) << "the samples must mention shoulders";
  for (const auto& hit : *hits) {
    EXPECT_EQ(db_->sql_int("SELECT count(*) FROM item_guidelines g JOIN items i ON i.id = g.item_id JOIN letters l"
                           " ON l.id = i.letter_id WHERE lower(g.catalog_key) LIKE 'mtus%' AND i.position = " +
                           std::to_string(hit.item) + " AND l.case_number = '" + hit.case_number.value_or("") + "'"),
              1)
        << hit.case_number.value_or("(none)") << " item " << hit.item;
  }
}

// Filters with one or two fields set (designated initialisers would warn about the rest).
Filters where(void (*set)(Filters&)) {
  Filters f;
  set(f);
  return f;
}

TEST_P(StoreTest, SearchRanksOnlyTheNewestMatchesWhenTold) {
  auto store = open();
  ASSERT_TRUE(store);
  StoredLetter old_best = sample_stored(50);  // stored first: the best match, many mentions
  old_best.letter.items.resize(1);
  old_best.items.resize(1);
  old_best.letter.items[0].request = "Quixotic quixotic quixotic brace";
  ASSERT_TRUE(store->put_letters({old_best}).ok());
  for (int n = 51; n <= 55; ++n) {  // later, weaker matches: one mention in each rationale
    StoredLetter sl = sample_stored(n);
    for (auto& item : sl.letter.items) *item.rationale += " A quixotic aside.";
    ASSERT_TRUE(store->put_letters({sl}).ok());
  }
  put_samples(*store, 100, 140);  // letters without the word, so that it is a rare one
  SearchQuery all{"quixotic", {}, 3};
  all.max_ranked = 0;
  auto hits = store->search(all);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ(hits->front().case_number, old_best.letter.case_number);
  SearchQuery newest = all;
  newest.max_ranked = 2;
  hits = store->search(newest);
  ASSERT_TRUE(hits.ok());
  // Only the two newest matches are ranked; the old best match is not among them.
  ASSERT_EQ(hits->size(), 2u);
  for (const auto& h : *hits) {
    EXPECT_NE(h.case_number, old_best.letter.case_number);
    EXPECT_TRUE(h.case_number == sample_letter(55).case_number || h.case_number == sample_letter(54).case_number)
        << h.case_number.value_or("(none)");
  }
}

TEST_P(StoreTest, SearchFindsItemsThroughTheirLetterSummaryBelowItemsAboutTheWords) {
  auto store = open();
  ASSERT_TRUE(store);
  StoredLetter about = sample_stored(60);  // the item itself is about the words
  about.letter.items.resize(1);
  about.items.resize(1);
  about.letter.items[0].request = "Ketorolac injection";
  StoredLetter mentions = sample_stored(61);  // only the letter's summary mentions them
  *mentions.letter.clinical_summary += " Ketorolac injection was given in the emergency room.";
  put_samples(*store, 1, 5);
  ASSERT_TRUE(store->put_letters({mentions, about}).ok());
  auto hits = store->search({"ketorolac injection", {}, 50});
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  ASSERT_EQ(hits->size(), 1 + mentions.letter.items.size());
  EXPECT_EQ((*hits)[0].case_number, about.letter.case_number);
  EXPECT_NE((*hits)[0].snippet.find("[Ketorolac]"), std::string::npos) << (*hits)[0].snippet;
  for (std::size_t k = 1; k < hits->size(); ++k) {
    EXPECT_EQ((*hits)[k].case_number, mentions.letter.case_number);
    EXPECT_LT((*hits)[k].score, (*hits)[0].score);
    // The snippet shows where the item matched: its letter's summary.
    EXPECT_NE((*hits)[k].snippet.find("emergency"), std::string::npos) << (*hits)[k].snippet;
  }
  // Words split between an item's own text and its summary do not make a match.
  // ("casemark60" is only in letter 60's summary, "ketorolac" only in its request.)
  auto split = store->search({"ketorolac casemark60", {}, 50});
  ASSERT_TRUE(split.ok());
  EXPECT_TRUE(split->empty());
}

TEST_P(StoreTest, SearchFilters) {
  auto store = open();
  ASSERT_TRUE(store);
  put_samples(*store, 1, 40);
  auto count = [&](Filters f) {
    auto hits = store->search({"guidelines", f, 1000});
    EXPECT_TRUE(hits.ok()) << hits.status().to_string();
    return hits.ok() ? hits->size() : 0;
  };
  std::size_t total = count({}), upheld = 0, overturned = 0, opioids = 0, ortho = 0, odg = 0, march = 0;
  std::size_t items = 0;
  for (int n = 1; n <= 40; ++n) {
    StoredLetter sl = sample_stored(n);
    for (std::size_t k = 0; k < sl.items.size(); ++k) {
      ++items;
      bool up = sl.letter.items[k].decision == letter::Decision::kUpheld;
      (up ? upheld : overturned)++;
      if (sl.items[k].normalized.subcategory == "Opioids") ++opioids;
      if (sl.letter.reviewer.specialties[0] == "Orthopaedic Surgery") ++ortho;
      if (!sl.items[k].reviewer_catalog.empty()) ++odg;
      if (*sl.letter.decision_date >= "2016-03-01" && *sl.letter.decision_date <= "2016-03-31") ++march;
    }
  }
  EXPECT_EQ(total, items);
  EXPECT_EQ(count(where([](Filters& f) { f.decision = letter::Decision::kUpheld; })), upheld);
  EXPECT_EQ(count(where([](Filters& f) { f.decision = letter::Decision::kOverturned; })), overturned);
  EXPECT_EQ(count(where([](Filters& f) { f.category = "opioids"; })), opioids);  // subcategory, any case
  EXPECT_EQ(count(where([](Filters& f) { f.specialty = "orthopaedic surgery"; })), ortho);
  EXPECT_EQ(count(where([](Filters& f) { f.guideline = "ODG"; })), odg);
  EXPECT_EQ(count(where([](Filters& f) { f.guideline = "ODG/Pain (Chronic)"; })), odg);
  EXPECT_EQ(count(where([](Filters& f) { f.guideline = "ACOEM"; })), 0u);
  EXPECT_EQ(count(where([](Filters& f) { f.from = "2016-03-01"; f.to = "2016-03-31"; })), march);
  EXPECT_LE(count(where([](Filters& f) {
              f.decision = letter::Decision::kOverturned;
              f.category = "Opioids";
            })),
            opioids);
  auto bad = store->search({"guidelines", where([](Filters& f) { f.from = "03/01/2016"; }), 10});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

TEST_P(StoreTest, QueryTextIsNeverSyntax) {
  auto store = open();
  ASSERT_TRUE(store);
  put_samples(*store, 1, 12);
  StoredLetter accents = sample_stored(30);
  accents.letter.clinical_summary = "Le patient naïve souffre au café de Zürich; 東京 clinic.";
  ASSERT_TRUE(store->put_letters({accents}).ok());
  for (std::string q : {"\"shoulder", "shoulder\"", "MRI AND OR NOT", "(knee*", "request:shoulder", "NEAR(mri shoulder)",
                        "'; DROP TABLE letters; --", "shoulder -mri", "^mri", "mri + shoulder", "{request} : mri",
                        "naïve", "Zürich", "東京", "a\\b", "50% _x_", "shoulder & | !"}) {
    auto hits = store->search({q, {}, 5});
    EXPECT_TRUE(hits.ok()) << q << ": " << hits.status().to_string();
  }
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM letters"), 13);
  auto mri = store->search({"\"MRI\" AND (shoulder", {}, 100});
  ASSERT_TRUE(mri.ok());
  EXPECT_FALSE(mri->empty());
  for (const auto& h : *mri) EXPECT_EQ(h.request, "MRI of the right shoulder without contrast");
  auto unicode = store->search({"Zürich", {}, 5});
  ASSERT_TRUE(unicode.ok());
  ASSERT_FALSE(unicode->empty());
  EXPECT_EQ(unicode->front().case_number, accents.letter.case_number);
  for (std::string q : {"", "   ", "\"\" () * :", "%_%"}) {
    auto hits = store->search({q, {}, 5});
    ASSERT_FALSE(hits.ok()) << q;
    EXPECT_EQ(hits.status().code(), Code::kInvalidArgument);
  }
}

// --- stats --------------------------------------------------------------------------------------

TEST_P(StoreTest, StatsTotalsAndGroups) {
  auto store = open();
  ASSERT_TRUE(store);
  put_samples(*store, 1, 30);
  std::map<std::string, std::array<std::int64_t, 3>> by_category, by_month, by_specialty, by_guideline;
  std::int64_t items = 0, upheld = 0;
  for (int n = 1; n <= 30; ++n) {
    StoredLetter sl = sample_stored(n);
    for (std::size_t k = 0; k < sl.items.size(); ++k) {
      bool up = sl.letter.items[k].decision == letter::Decision::kUpheld;
      ++items;
      upheld += up;
      auto add = [&](auto& m, const std::string& key) {
        auto& g = m[key];
        ++g[0];
        ++g[up ? 1 : 2];
      };
      add(by_category, sl.items[k].normalized.category);
      add(by_month, sl.letter.decision_date->substr(0, 7));
      add(by_specialty, sl.letter.reviewer.specialties[0]);
      std::set<std::string> keys;
      for (const auto& c : sl.items[k].reviewer_catalog) keys.insert(c.key);
      if (keys.empty()) keys.insert("(none)");
      for (const auto& key : keys) add(by_guideline, key);
    }
  }
  auto check = [&](GroupBy by, const std::map<std::string, std::array<std::int64_t, 3>>& want) {
    auto st = store->stats(by, {});
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    EXPECT_EQ(st->letters, 30);
    EXPECT_EQ(st->items, items);
    EXPECT_EQ(st->upheld, upheld);
    EXPECT_EQ(st->overturned, items - upheld);
    ASSERT_EQ(st->groups.size(), want.size());
    for (std::size_t k = 0; k < st->groups.size(); ++k) {
      const auto& g = st->groups[k];
      ASSERT_TRUE(want.count(g.key)) << g.key;
      EXPECT_EQ(g.items, want.at(g.key)[0]) << g.key;
      EXPECT_EQ(g.upheld, want.at(g.key)[1]) << g.key;
      EXPECT_EQ(g.overturned, want.at(g.key)[2]) << g.key;
      if (k > 0) {
        EXPECT_GE(st->groups[k - 1].items, g.items);  // most items first
      }
    }
  };
  check(GroupBy::kCategory, by_category);
  check(GroupBy::kMonth, by_month);
  check(GroupBy::kSpecialty, by_specialty);
  check(GroupBy::kGuideline, by_guideline);
  auto dec = store->stats(GroupBy::kDecision, {});
  ASSERT_TRUE(dec.ok());
  ASSERT_EQ(dec->groups.size(), 2u);
  EXPECT_EQ(dec->groups[0].key, "upheld");
  EXPECT_EQ(dec->groups[0].items, upheld);
  auto sub = store->stats(GroupBy::kSubcategory, where([](Filters& f) { f.category = "Pharmaceuticals"; }));
  ASSERT_TRUE(sub.ok());
  ASSERT_EQ(sub->groups.size(), 1u);
  EXPECT_EQ(sub->groups[0].key, "Pharmaceuticals / Opioids");
  EXPECT_EQ(sub->items, by_category["Pharmaceuticals"][0]);
  auto none = store->stats(GroupBy::kBodyRegion, where([](Filters& f) { f.specialty = "Dermatology"; }));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->letters, 0);
  EXPECT_EQ(none->items, 0);
  EXPECT_TRUE(none->groups.empty());
  auto empty = store->stats(GroupBy::kNone, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->groups.empty());
}

// Unfiltered statistics come from stats_rollup (kept by put_letters, filled by migration 3);
// filtered ones from a GROUP BY. Both must give the same groups; a date filter that every
// sample passes forces the GROUP BY.
TEST_P(StoreTest, StatsRollupAgreesWithGroupByAndIsRebuiltByMigration) {
  std::map<GroupBy, Stats> before;
  const GroupBy all[] = {GroupBy::kNone,      GroupBy::kCategory, GroupBy::kSubcategory, GroupBy::kBodyRegion,
                         GroupBy::kGuideline, GroupBy::kSpecialty, GroupBy::kMonth,      GroupBy::kDecision};
  auto same = [](const Stats& a, const Stats& b, const char* what) {
    EXPECT_EQ(a.letters, b.letters) << what;
    EXPECT_EQ(a.items, b.items) << what;
    EXPECT_EQ(a.upheld, b.upheld) << what;
    EXPECT_EQ(a.overturned, b.overturned) << what;
    ASSERT_EQ(a.groups.size(), b.groups.size()) << what;
    for (std::size_t k = 0; k < a.groups.size(); ++k) {
      EXPECT_EQ(a.groups[k].key, b.groups[k].key) << what;
      EXPECT_EQ(a.groups[k].items, b.groups[k].items) << what << " " << a.groups[k].key;
      EXPECT_EQ(a.groups[k].upheld, b.groups[k].upheld) << what << " " << a.groups[k].key;
    }
  };
  {
    auto store = open();
    ASSERT_TRUE(store);
    put_samples(*store, 1, 20);
    put_samples(*store, 15, 40);  // overlapping batch: letters already present must not count twice
    for (GroupBy by : all) {
      auto rolled = store->stats(by, {});
      auto grouped = store->stats(by, where([](Filters& f) { f.from = "1900-01-01"; }));
      ASSERT_TRUE(rolled.ok() && grouped.ok());
      EXPECT_EQ(rolled->letters, 40);
      same(*rolled, *grouped, "rollup vs GROUP BY");
      before[by] = *rolled;
      for (letter::Decision d : {letter::Decision::kUpheld, letter::Decision::kOverturned}) {
        Filters only_decision;
        only_decision.decision = d;
        Filters scanned = only_decision;
        scanned.from = "1900-01-01";  // any other filter makes it a GROUP BY
        auto from_rollup = store->stats(by, only_decision);
        auto from_scan = store->stats(by, scanned);
        ASSERT_TRUE(from_rollup.ok() && from_scan.ok());
        EXPECT_GT(from_rollup->items, 0);
        same(*from_rollup, *from_scan, d == letter::Decision::kUpheld ? "rollup vs GROUP BY, upheld" : "rollup vs GROUP BY, overturned");
      }
    }
  }
  // A database from before the rollup: migration 3 fills it from the stored items (and the
  // later migrations run again, as they must be able to).
  db_->sql("DROP TABLE stats_rollup");
  db_->sql("DELETE FROM schema_version WHERE version >= 3");
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), Store::latest_schema_version());
  for (GroupBy by : all) {
    auto rebuilt = store->stats(by, {});
    ASSERT_TRUE(rebuilt.ok());
    same(*rebuilt, before[by], "migrated vs kept");
  }
}

// --- export -------------------------------------------------------------------------------------

// Splits RFC 4180 CSV into records of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& s) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field.push_back(c);
    }
  }
  if (!rows.back().empty() || !field.empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  (void)was_quoted;
  return rows;
}

TEST_P(StoreTest, ExportsEveryItemAsQuotedCsvAndJsonLines) {
  auto store = open();
  ASSERT_TRUE(store);
  StoredLetter tricky = sample_stored(40);
  tricky.letter.items[0].request = "Cream, \"compound\" 10%\nline two";
  tricky.letter.items[0].rationale = " leading space, trailing space ";
  put_samples(*store, 1, 6);
  ASSERT_TRUE(store->put_letters({tricky}).ok());
  std::size_t items = tricky.letter.items.size();
  for (int n = 1; n <= 6; ++n) items += sample_letter(n).items.size();

  std::ostringstream csv;
  ASSERT_TRUE(export_corpus(*store, ExportFormat::kCsv, csv).ok());
  auto rows = parse_csv(csv.str());
  ASSERT_EQ(rows.size(), items + 1);
  EXPECT_EQ(rows[0], export_columns());
  auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin());
  };
  bool found = false;
  for (const auto& r : rows) {
    ASSERT_EQ(r.size(), export_columns().size());
    if (r[col("case_number")] == *tricky.letter.case_number && r[col("item")] == "0") {
      found = true;
      EXPECT_EQ(r[col("request")], tricky.letter.items[0].request);
      EXPECT_EQ(r[col("rationale")], *tricky.letter.items[0].rationale);
      EXPECT_EQ(r[col("category")], tricky.items[0].normalized.category);
      EXPECT_EQ(r[col("reviewer_guidelines")], "ODG/Pain (Chronic); MTUS/Shoulder Complaints");
    }
  }
  EXPECT_TRUE(found);

  std::ostringstream jsonl;
  ASSERT_TRUE(export_corpus(*store, ExportFormat::kJsonl, jsonl).ok());
  std::istringstream lines(jsonl.str());
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_EQ(line.front(), '{');
  }
  EXPECT_EQ(n, items);
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
}

// --- errors -------------------------------------------------------------------------------------

TEST(StoreOpen, BadUrlsAndPathsFailWithClearErrors) {
  TestDb db("sqlite");
  auto scheme = Store::open("mysql://localhost/imr");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.status().code(), Code::kInvalidArgument);
  EXPECT_NE(scheme.status().message().find("mysql"), std::string::npos);

  EXPECT_EQ(Store::open("").status().code(), Code::kInvalidArgument);

  auto no_dir = Store::open(db.dir() + "/missing/dir/imr.db");
  ASSERT_FALSE(no_dir.ok());
  EXPECT_EQ(no_dir.status().code(), Code::kIoError);
  EXPECT_NE(no_dir.status().message().find("missing/dir/imr.db"), std::string::npos) << no_dir.status().message();

  auto absent = Store::open("sqlite:" + db.dir() + "/absent.db", OpenMode::kExisting);
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), Code::kNotFound);

  std::string text = db.dir() + "/notes.txt";
  std::ofstream(text) << "This is not a database, it is a text file with enough bytes to look like something.\n"
                      << std::string(200, 'x');
  auto not_db = Store::open(text);
  ASSERT_FALSE(not_db.ok());
  EXPECT_EQ(not_db.status().code(), Code::kUnrecognized) << not_db.status().to_string();
  EXPECT_NE(not_db.status().message().find("notes.txt"), std::string::npos);
  std::ifstream back(text);
  std::string first;
  std::getline(back, first);
  EXPECT_EQ(first.rfind("This is not a database", 0), 0u);  // nothing of it was lost

  auto dir = Store::open(db.dir());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), Code::kInvalidArgument);

  auto pg = Store::open("postgresql:///imr?host=" + db.dir() + "/no-socket-here&connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.status().code(), Code::kIoError) << pg.status().to_string();

  auto pw = Store::open("postgresql://user:secret@" + std::string("127.0.0.1:1/imr?connect_timeout=2"));
  ASSERT_FALSE(pw.ok());
  EXPECT_EQ(pw.status().message().find("secret"), std::string::npos) << pw.status().message();
}

TEST(StoreOpen, RefusesSqliteFileOfAnotherApplication) {
  TestDb db("sqlite");
  std::string path = db.dir() + "/other.db";
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, "CREATE TABLE notes (x); INSERT INTO notes VALUES (1)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
  auto s = Store::open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUnrecognized);
  EXPECT_NE(s.status().message().find("not an imr database"), std::string::npos) << s.status().message();
  ASSERT_EQ(sqlite3_open(path.c_str(), &h), SQLITE_OK);
  int rows = -1;
  sqlite3_exec(h, "SELECT count(*) FROM notes", [](void* p, int, char** v, char**) { *static_cast<int*>(p) = std::atoi(v[0]); return 0; }, &rows, nullptr);
  sqlite3_exec(h, "SELECT count(*) FROM sqlite_master WHERE name = 'letters'", [](void* p, int, char** v, char**) { if (std::atoi(v[0])) *static_cast<int*>(p) = -2; return 0; }, &rows, nullptr);
  sqlite3_close(h);
  EXPECT_EQ(rows, 1);
  // An empty file is a valid empty SQLite database: it becomes an imr database.
  std::string empty = db.dir() + "/empty.db";
  std::ofstream(empty).close();
  EXPECT_TRUE(Store::open(empty).ok());
}

TEST(ResolveDbUrl, FlagThenEnvironmentThenDefault) {
  unsetenv("IMR_DB");
  EXPECT_EQ(resolve_db_url(""), "imr.db");
  setenv("IMR_DB", "postgresql:///x", 1);
  EXPECT_EQ(resolve_db_url(""), "postgresql:///x");
  EXPECT_EQ(resolve_db_url("sqlite:a.db"), "sqlite:a.db");
  unsetenv("IMR_DB");
}

}  // namespace
}  // namespace imr::corpus

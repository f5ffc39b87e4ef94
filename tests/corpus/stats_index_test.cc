// StatsIndex gives exactly Store::stats's answers, for every grouping and many filters, on both
// backends (real databases), and keeps doing so as letters are added.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "imr/corpus/stats_index.h"
#include "imr/corpus/store.h"
#include "store_testutil.h"

namespace imr::corpus {
namespace {

using testing::sample_stored;
using testing::TestDb;

// Sample letters with the variety statistics must handle: letters without a decision date, two
// specialties, no specialty, items without a subcategory or without any cited guideline, a
// letter without items.
StoredLetter varied(int n) {
  StoredLetter sl = sample_stored(n);
  if (n % 5 == 0) sl.letter.decision_date.reset();
  if (n % 6 == 0) sl.letter.decision_date = "2017-0" + std::to_string(1 + n % 9) + "-15";
  if (n % 7 == 0) sl.letter.reviewer.specialties.push_back("Pain Medicine");
  if (n % 11 == 0) sl.letter.reviewer.specialties.clear();
  if (n % 4 == 1) sl.items[0].normalized.subcategory.clear();
  if (n % 3 == 2) {
    sl.items[0].reviewer_catalog.clear();
    sl.letter.items[0].reviewer_basis = letter::GuidelineBasis{"No guideline cited.", {}};
  }
  if (n == 13) {
    sl.letter.items.clear();
    sl.items.clear();
  }
  return sl;
}

std::string show(const Stats& s) {
  std::ostringstream o;
  o << "letters " << s.letters << " items " << s.items << " upheld " << s.upheld << " overturned " << s.overturned;
  for (const auto& g : s.groups) o << "\n  " << g.key << ": " << g.items << " " << g.upheld << " " << g.overturned;
  return o.str();
}

class StatsIndexTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDb>(GetParam());
    if (!db_->available()) GTEST_SKIP() << testing::kSkipNoPostgres;
    auto s = Store::open(db_->url());
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    store_ = std::move(*s);
  }
  void put(int first, int last) {
    std::vector<StoredLetter> batch;
    for (int n = first; n <= last; ++n) batch.push_back(varied(n));
    auto r = store_->put_letters(batch);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  // Compares the index with the store for every grouping under each filter.
  void expect_same(const StatsIndex& index) {
    std::vector<Filters> filters(1);  // none
    auto add = [&](auto&& set) {
      Filters f;
      set(f);
      filters.push_back(f);
    };
    add([](Filters& f) { f.decision = letter::Decision::kOverturned; });
    add([](Filters& f) { f.category = "physical medicine"; });
    add([](Filters& f) { f.category = " Opioids "; });
    add([](Filters& f) { f.guideline = "odg"; });
    add([](Filters& f) { f.guideline = "MTUS/Shoulder"; });
    add([](Filters& f) { f.specialty = "pain medicine"; });
    add([](Filters& f) { f.specialty = "Orthopaedic Surgery"; });
    add([](Filters& f) { f.from = "2016-06-01"; });
    add([](Filters& f) { f.to = "2016-03-31"; });
    add([](Filters& f) {
      f.from = "2016-02-01";
      f.to = "2017-12-31";
      f.decision = letter::Decision::kUpheld;
      f.category = "Injections";
    });
    add([](Filters& f) {
      f.guideline = "MTUS";
      f.specialty = "Family Practice";
      f.decision = letter::Decision::kOverturned;
    });
    add([](Filters& f) { f.category = "no such category"; });
    for (const Filters& f : filters)
      for (GroupBy by : {GroupBy::kNone, GroupBy::kCategory, GroupBy::kSubcategory, GroupBy::kBodyRegion,
                         GroupBy::kGuideline, GroupBy::kSpecialty, GroupBy::kMonth, GroupBy::kDecision}) {
        auto want = store_->stats(by, f);
        ASSERT_TRUE(want.ok()) << want.status().to_string();
        auto got = index.stats(by, f);
        ASSERT_TRUE(got.ok()) << got.status().to_string();
        EXPECT_EQ(show(*got), show(*want)) << "group " << static_cast<int>(by) << ", filter category "
                                           << f.category.value_or("-") << " guideline " << f.guideline.value_or("-")
                                           << " specialty " << f.specialty.value_or("-") << " from "
                                           << f.from.value_or("-") << " to " << f.to.value_or("-");
      }
  }
  std::unique_ptr<TestDb> db_;
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StatsIndexTest, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

TEST_P(StatsIndexTest, AnswersAsTheStoreForEveryGroupingAndFilter) {
  put(1, 60);
  StatsIndex index;
  ASSERT_TRUE(index.refresh(*store_).ok());
  auto gen = store_->generation();
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(index.loaded_through(), *gen);
  EXPECT_GT(index.memory_bytes(), 0u);
  expect_same(index);
}

TEST_P(StatsIndexTest, RefreshLoadsOnlyWhatWasAdded) {
  StatsIndex index;
  ASSERT_TRUE(index.refresh(*store_).ok());  // empty store
  EXPECT_EQ(index.loaded_through(), 0);
  auto empty = index.stats(GroupBy::kCategory, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->items, 0);
  EXPECT_TRUE(empty->groups.empty());
  put(1, 25);
  ASSERT_TRUE(index.refresh(*store_).ok());
  expect_same(index);
  put(26, 70);
  ASSERT_TRUE(index.refresh(*store_).ok());
  ASSERT_TRUE(index.refresh(*store_).ok());  // nothing new: nothing loaded twice
  expect_same(index);
}

TEST_P(StatsIndexTest, MalformedFiltersGiveTheStoresError) {
  StatsIndex index;
  ASSERT_TRUE(index.refresh(*store_).ok());
  for (auto set : {+[](Filters& f) { f.from = "2016-13-45x"; }, +[](Filters& f) { f.category = "  "; },
                   +[](Filters& f) { f.guideline = ""; }}) {
    Filters f;
    set(f);
    auto want = store_->stats(GroupBy::kCategory, f);
    auto got = index.stats(GroupBy::kCategory, f);
    ASSERT_FALSE(want.ok());
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(got.status().to_string(), want.status().to_string());
  }
}

// Saved chunks: an index loaded from them answers as the store, also after more letters are added
// and the last, partial chunk is rewritten. Small chunks (16 letters) so that a few dozen letters
// make several.
constexpr StatsIndexOptions kSmallChunks{16};

TEST_P(StatsIndexTest, SavedChunksLoadToTheSameAnswers) {
  put(1, 60);
  {
    StatsIndex built(kSmallChunks);
    ASSERT_TRUE(built.refresh(*store_).ok());
    EXPECT_EQ(built.unsaved_letters(), 60);
    ASSERT_TRUE(built.save(*store_).ok());
    EXPECT_EQ(built.unsaved_letters(), 0);
  }
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 4);  // 16 + 16 + 16 + 12 letters
  StatsIndex loaded(kSmallChunks);
  ASSERT_TRUE(loaded.load_saved(*store_).ok());
  EXPECT_EQ(loaded.loaded_through(), *store_->generation());
  EXPECT_EQ(loaded.unsaved_letters(), 0);  // nothing read from the tables
  expect_same(loaded);

  put(61, 75);  // the partial chunk fills up (16) and a new one starts (11)
  ASSERT_TRUE(loaded.refresh(*store_).ok());
  EXPECT_EQ(loaded.unsaved_letters(), 16 + 11);
  ASSERT_TRUE(loaded.save(*store_).ok());
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 5);
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), *store_->generation());

  StatsIndex again(kSmallChunks);
  ASSERT_TRUE(again.load_saved(*store_).ok());
  EXPECT_EQ(again.loaded_through(), *store_->generation());
  EXPECT_EQ(again.unsaved_letters(), 0);
  expect_same(again);
  ASSERT_TRUE(again.refresh(*store_).ok());  // nothing beyond the chunks
  EXPECT_EQ(again.unsaved_letters(), 0);
}

TEST_P(StatsIndexTest, UnreadableChunksAreReadFromTheTablesAndSavedAgain) {
  put(1, 60);
  {
    StatsIndex built(kSmallChunks);
    ASSERT_TRUE(built.refresh(*store_).ok());
    ASSERT_TRUE(built.save(*store_).ok());
  }
  auto second = db_->sql("SELECT after_letter_id FROM stats_index_chunks ORDER BY after_letter_id LIMIT 1 OFFSET 1");
  auto third = db_->sql("SELECT after_letter_id FROM stats_index_chunks ORDER BY after_letter_id LIMIT 1 OFFSET 2");
  // The second chunk cut short (a corrupt blob), the third in a format this imr does not know.
  db_->sql(std::string("UPDATE stats_index_chunks SET data = ") +
           (GetParam() == "sqlite" ? "substr(data, 1, 40)" : "substring(data from 1 for 40)") +
           " WHERE after_letter_id = " + second);
  db_->sql("UPDATE stats_index_chunks SET format = 99 WHERE after_letter_id = " + third);
  StatsIndex loaded(kSmallChunks);
  ASSERT_TRUE(loaded.load_saved(*store_).ok());
  EXPECT_EQ(loaded.loaded_through(), *store_->generation());
  EXPECT_EQ(loaded.unsaved_letters(), 32);  // the two chunks' letters, from the tables
  expect_same(loaded);
  ASSERT_TRUE(loaded.save(*store_).ok());

  StatsIndex again(kSmallChunks);
  ASSERT_TRUE(again.load_saved(*store_).ok());
  EXPECT_EQ(again.unsaved_letters(), 0);
  expect_same(again);

  // Without the first chunk nothing chains: everything comes from the tables, and load() saves
  // it again since that was more than a chunk.
  db_->sql("DELETE FROM stats_index_chunks WHERE after_letter_id = 0");
  StatsIndex rebuilt(kSmallChunks);
  ASSERT_TRUE(rebuilt.load_saved(*store_).ok());
  EXPECT_EQ(rebuilt.loaded_through(), 0);
  Status saved = internal_error("not set");
  ASSERT_TRUE(rebuilt.load(*store_, &saved).ok());
  EXPECT_TRUE(saved.ok()) << saved.to_string();
  EXPECT_EQ(rebuilt.unsaved_letters(), 0);
  expect_same(rebuilt);
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 4);
}

TEST_P(StatsIndexTest, UpdateSavedReadsOnlyTheTailAndRespectsItsBudget) {
  put(1, 40);
  ASSERT_TRUE(StatsIndex::update_saved(*store_, 1000, kSmallChunks).ok());
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 3);  // 16 + 16 + 8
  put(41, 45);
  ASSERT_TRUE(StatsIndex::update_saved(*store_, 5 + 16, kSmallChunks).ok());
  EXPECT_EQ(db_->sql_int("SELECT count(*) FROM stats_index_chunks"), 3);  // the last one rewritten: 13
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), *store_->generation());
  StatsIndex loaded(kSmallChunks);
  ASSERT_TRUE(loaded.load_saved(*store_).ok());
  EXPECT_EQ(loaded.unsaved_letters(), 0);
  EXPECT_EQ(loaded.loaded_through(), *store_->generation());
  expect_same(loaded);

  std::int64_t through = *store_->generation();
  put(46, 100);  // 55 letters beyond the chunks: more than the budget, nothing is read
  ASSERT_TRUE(StatsIndex::update_saved(*store_, 10, kSmallChunks).ok());
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), through);
  StatsIndex partly(kSmallChunks);
  Status saved;
  ASSERT_TRUE(partly.load(*store_, &saved).ok());  // the rest from the tables, and saved
  EXPECT_TRUE(saved.ok()) << saved.to_string();
  expect_same(partly);
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), *store_->generation());
}

// put_letters' facts of the letters it added are what the tables give back, field for field;
// letters already present (or twice in the batch) give none.
TEST_P(StatsIndexTest, FactsOfAddedLettersAreWhatTheTablesGiveBack) {
  put(1, 3);
  std::vector<StoredLetter> batch;
  for (int n = 1; n <= 30; ++n) batch.push_back(varied(n));  // 1..3 already stored
  batch.push_back(varied(17));                               // twice in the batch
  std::vector<StatsFacts> facts;
  auto added = store_->put_letters(batch, &facts);
  ASSERT_TRUE(added.ok()) << added.status().to_string();
  ASSERT_EQ(facts.size(), 27u);
  std::vector<StatsFacts> read;
  ASSERT_TRUE(store_->visit_stats_facts(3, [&](const StatsFacts& f) {
    read.push_back(f);
    return Status();
  }).ok());
  ASSERT_EQ(read.size(), facts.size());
  for (std::size_t k = 0; k < facts.size(); ++k) {
    const StatsFacts &a = facts[k], &b = read[k];
    SCOPED_TRACE("letter " + std::to_string(b.letter_id));
    EXPECT_EQ(a.letter_id, b.letter_id);
    EXPECT_EQ(a.decision_date, b.decision_date);
    EXPECT_EQ(a.specialties, b.specialties);
    EXPECT_EQ(a.subspecialties, b.subspecialties);
    ASSERT_EQ(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < a.items.size(); ++i) {
      EXPECT_EQ(a.items[i].category, b.items[i].category);
      EXPECT_EQ(a.items[i].subcategory, b.items[i].subcategory);
      EXPECT_EQ(a.items[i].body_region, b.items[i].body_region);
      EXPECT_EQ(a.items[i].decision, b.items[i].decision);
      auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
      };
      EXPECT_EQ(sorted(a.items[i].guidelines), sorted(b.items[i].guidelines));
    }
  }
  // A batch with nothing new gives no facts.
  ASSERT_TRUE(store_->put_letters({varied(5)}, &facts).ok());
  EXPECT_TRUE(facts.empty());
}

// The tail an ingest extends with the letters it stores saves what a refresh from the tables
// would; when another writer's letters come between, it reads them (and ours) from the tables.
TEST_P(StatsIndexTest, TailExtendedWithStoredLettersSavesWhatTheTablesSay) {
  put(1, 40);
  ASSERT_TRUE(StatsIndex::update_saved(*store_, 1000, kSmallChunks).ok());  // 16 + 16 + 8
  auto tail = StatsIndex::open_tail(*store_, 100, kSmallChunks);
  ASSERT_TRUE(tail.ok()) << tail.status().to_string();
  ASSERT_TRUE(*tail);
  EXPECT_EQ((*tail)->loaded_through(), 40);
  EXPECT_EQ((*tail)->unsaved_letters(), 0);  // the last chunk, loaded as saved
  auto put_and_add = [&](int first, int last) {
    std::vector<StoredLetter> batch;
    for (int n = first; n <= last; ++n) batch.push_back(varied(n));
    std::vector<StatsFacts> facts;
    ASSERT_TRUE(store_->put_letters(batch, &facts).ok());
    ASSERT_TRUE((*tail)->add_stored(*store_, facts).ok());
  };
  put_and_add(41, 52);
  EXPECT_EQ((*tail)->loaded_through(), 52);
  EXPECT_EQ((*tail)->unsaved_letters(), 8 + 12);  // the last chunk grown to 16, and a new one of 4
  put(53, 57);                                    // another writer
  put_and_add(58, 70);
  EXPECT_EQ((*tail)->loaded_through(), *store_->generation());
  ASSERT_TRUE((*tail)->save(*store_).ok());
  EXPECT_EQ(db_->sql_int("SELECT max(through_letter_id) FROM stats_index_chunks"), *store_->generation());

  StatsIndex loaded(kSmallChunks);
  ASSERT_TRUE(loaded.load_saved(*store_).ok());
  EXPECT_EQ(loaded.loaded_through(), *store_->generation());
  EXPECT_EQ(loaded.unsaved_letters(), 0);  // every letter from the saved chunks
  expect_same(loaded);

  // Too many letters beyond the saved chunks: no tail.
  put(71, 100);
  auto none = StatsIndex::open_tail(*store_, 10, kSmallChunks);
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_FALSE(*none);
}

TEST_P(StatsIndexTest, StoreKeepsChunksAsOpaqueBytesKeyedByTheirFirstLetter) {
  auto listed = [&](bool with_data) {
    std::vector<StatsIndexChunk> out;
    EXPECT_TRUE(store_
                    ->visit_stats_index_chunks(0, with_data,
                                               [&](const StatsIndexChunk& c) {
                                                 out.push_back(c);
                                                 return Status();
                                               })
                    .ok());
    return out;
  };
  std::string bytes("\0\x01\xff\\x'\"\n\0", 9);
  std::string longer(300000, '\xfe');
  for (std::int64_t after = 0; after < 200; after += 10)  // more than a page of the visit
    ASSERT_TRUE(store_->put_stats_index_chunk({after, after + 10, 1, after ? longer : bytes}).ok());
  auto all = listed(true);
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all[0].data, bytes);
  EXPECT_EQ(all[1].data, longer);
  EXPECT_EQ(all[19].after_letter_id, 190);
  EXPECT_EQ(all[19].through_letter_id, 200);
  EXPECT_TRUE(listed(false)[0].data.empty());

  ASSERT_TRUE(store_->put_stats_index_chunk({0, 5, 1, "shorter"}).ok());  // reaches less: kept as it was
  EXPECT_EQ(listed(true)[0].data, bytes);
  ASSERT_TRUE(store_->put_stats_index_chunk({0, 12, 2, "further"}).ok());
  EXPECT_EQ(listed(true)[0].data, "further");
  EXPECT_EQ(listed(true)[0].format, 2);
  EXPECT_EQ(store_->put_stats_index_chunk({7, 7, 1, "x"}).code(), Code::kInvalidArgument);
  std::vector<std::int64_t> from_55;
  ASSERT_TRUE(store_
                  ->visit_stats_index_chunks(55, false,
                                             [&](const StatsIndexChunk& c) {
                                               from_55.push_back(c.after_letter_id);
                                               return Status();
                                             })
                  .ok());
  ASSERT_FALSE(from_55.empty());
  EXPECT_EQ(from_55.front(), 60);
}

}  // namespace
}  // namespace imr::corpus

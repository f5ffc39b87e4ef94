// StatsIndex gives exactly Store::stats's answers, for every grouping and many filters, on both
// backends (real databases), and keeps doing so as letters are added.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace imr::corpus

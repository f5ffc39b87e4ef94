// Golden test: the five seed letters (../shared/seeds) against seeds/expected.jsonl.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "imr/letter/reader.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace imr::letter {
namespace {

const fs::path kSeeds = fs::path(IMR_SHARED_DIR) / "seeds";

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::vector<std::string> sources(const std::optional<GuidelineBasis>& b) {
  std::vector<std::string> out;
  if (!b) return out;
  for (const auto& c : b->citations)
    if (std::find(out.begin(), out.end(), c.source) == out.end()) out.push_back(c.source);
  return out;
}

TEST(Seeds, EveryExpectedRecordIsRead) {
  if (!fs::exists(kSeeds / "expected.jsonl")) GTEST_SKIP() << "SKIP: ../shared/seeds not present";
  std::ifstream in(kSeeds / "expected.jsonl");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json e = json::parse(line);
    std::string src = e["source"];
    SCOPED_TRACE(src);
    auto r = read_letter_file((kSeeds / src).string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    const Letter& l = *r;
    ++n;
    EXPECT_EQ(opt(l.case_number), e["case_number"]);
    EXPECT_EQ(l.priority ? json(to_string(*l.priority)) : json(nullptr), e["priority"]);
    EXPECT_EQ(opt(l.date_of_injury), e["date_of_injury"]);
    EXPECT_EQ(json(l.reviewer.licensure_states), e["licensure_states"]);
    EXPECT_EQ(json(l.reviewer.specialties), e["specialties"]);
    if (e.contains("subspecialties")) EXPECT_EQ(json(l.reviewer.subspecialties), e["subspecialties"]);
    EXPECT_EQ(l.reviewer.board_certified ? json(*l.reviewer.board_certified) : json(nullptr), e["board_certified"]);
    EXPECT_EQ(l.patient.age ? json(*l.patient.age) : json(nullptr), e["age"]);
    EXPECT_EQ(l.patient.sex ? json(to_string(*l.patient.sex)) : json(nullptr), e["sex"]);
    ASSERT_EQ(l.items.size(), e["items"].size());
    for (std::size_t i = 0; i < l.items.size(); ++i) {
      const auto& it = l.items[i];
      const json& ei = e["items"][i];
      EXPECT_EQ(it.request, ei["request"]);
      EXPECT_EQ(opt(it.original_request), ei["original_request"]);
      EXPECT_EQ(to_string(it.decision), ei["decision"]);
      EXPECT_EQ(json(sources(it.claims_administrator_basis)), ei["claims_administrator_sources"]);
      EXPECT_EQ(json(sources(it.reviewer_basis)), ei["reviewer_sources"]);
      EXPECT_TRUE(it.rationale && it.rationale->size() > 40) << "item " << i << " has no rationale";
    }
  }
  EXPECT_EQ(n, 5);
}

}  // namespace
}  // namespace imr::letter

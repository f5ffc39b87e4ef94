#include "sql_store.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "imr/base/text.h"

namespace imr::corpus::internal {
namespace {

std::string json_list(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }

std::vector<std::string> parse_list(const std::optional<std::string>& s) {
  if (!s || s->empty()) return {};
  auto j = nlohmann::json::parse(*s, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& e : j)
    if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::optional<int> to_opt_int(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return static_cast<int>(to_int(v));
}

bool is_iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// Filters compare names case-insensitively: the parameter is lower-cased here and the column
// through lower() (ASCII in SQLite; names in letters are ASCII).
std::string lower_param(const std::string& s) { return text::to_lower(text::trim(s)); }

std::string like_prefix(const std::string& s) {
  std::string out;
  for (char c : lower_param(s)) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "%";
}

}  // namespace

std::int64_t to_int(const std::optional<std::string>& v) {
  if (!v || v->empty()) return 0;
  return std::strtoll(v->c_str(), nullptr, 10);
}

SearchHit search_hit_from_row(const Row& r) {
  SearchHit h;
  h.case_number = r[0];
  h.letter_key = r[1].value_or("");
  h.item = static_cast<int>(to_int(r[2]));
  h.request = r[3].value_or("");
  h.decision = letter::parse_decision(r[4].value_or("")).value_or(letter::Decision::kUpheld);
  h.category = r[5].value_or("");
  return h;
}

std::string numbered_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += "$" + std::to_string(++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> query_words(const std::string& text) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      cur.push_back(c);
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  // Function words say nothing about what is searched for, and every word of a query must match:
  // "MRI and shoulder" would need an "and" in the item's own text. PostgreSQL's english
  // configuration drops its stop words; dropping these makes both backends read such a query
  // the same way. A query of nothing but function words keeps them.
  static const std::set<std::string, std::less<>> kFunctionWords = {
      "a",  "an", "and", "are", "as",   "at",    "be",   "by",   "for", "from", "in",   "into",
      "is", "it", "its", "of",  "on",   "or",    "than", "that", "the", "their", "this", "to",
      "was", "were", "with"};
  std::vector<std::string> meaningful;
  for (const auto& w : words)
    if (!kFunctionWords.count(text::to_lower(w))) meaningful.push_back(w);
  return meaningful.empty() ? words : meaningful;
}

Status check_filters(const Filters& f) {
  auto named = [](const std::optional<std::string>& v, const char* what) -> Status {
    if (v && text::trim(*v).empty()) return invalid_argument(std::string(what) + " filter is empty");
    return {};
  };
  IMR_RETURN_IF_ERROR(named(f.category, "category"));
  IMR_RETURN_IF_ERROR(named(f.guideline, "guideline"));
  IMR_RETURN_IF_ERROR(named(f.specialty, "specialty"));
  for (auto [v, name] : {std::pair{&f.from, "from"}, std::pair{&f.to, "to"}})
    if (*v && !is_iso_date(**v)) return invalid_argument(std::string("--") + name + " date '" + **v + "' is not YYYY-MM-DD");
  return {};
}

Result<std::string> filter_sql(const Filters& f, std::vector<Param>& params) {
  IMR_RETURN_IF_ERROR(check_filters(f));
  std::string sql;
  if (f.decision) {
    sql += " AND i.decision = ?";
    params.push_back(Param::of(std::string(letter::to_string(*f.decision))));
  }
  if (f.category) {
    sql += " AND (lower(i.category) = ? OR lower(i.subcategory) = ?)";
    params.push_back(Param::of(lower_param(*f.category)));
    params.push_back(Param::of(lower_param(*f.category)));
  }
  if (f.guideline) {
    sql += " AND EXISTS (SELECT 1 FROM item_guidelines g WHERE g.item_id = i.id AND lower(g.catalog_key) LIKE ? ESCAPE '\\')";
    params.push_back(Param::of(like_prefix(*f.guideline)));
  }
  if (f.specialty) {
    sql += " AND EXISTS (SELECT 1 FROM reviewer_credentials r WHERE r.letter_id = l.id"
           " AND r.kind IN ('specialty', 'subspecialty') AND lower(r.value) = ?)";
    params.push_back(Param::of(lower_param(*f.specialty)));
  }
  for (auto [v, op] : {std::pair{&f.from, ">="}, std::pair{&f.to, "<="}}) {
    if (!*v) continue;
    sql += std::string(" AND l.decision_date ") + op + " ?";
    params.push_back(Param::of(**v));
  }
  return sql;
}

// The group keys here and in count_rollup() must stay the same as stats()'s GROUP BY keys; the
// store tests compare the two on both backends.
const char* const kStatsRollupMigration = R"sql(
CREATE TABLE stats_rollup (
  dimension TEXT NOT NULL,
  group_key TEXT NOT NULL,
  upheld BIGINT NOT NULL,
  overturned BIGINT NOT NULL,
  PRIMARY KEY (dimension, group_key)
);
INSERT INTO stats_rollup (dimension, group_key, upheld, overturned)
  SELECT d, k, sum(u), sum(o) FROM (
    SELECT 'category' AS d, i.category AS k, CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END AS u,
           CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END AS o FROM items i
    UNION ALL
    SELECT 'subcategory', CASE WHEN i.subcategory = '' THEN i.category ELSE i.category || ' / ' || i.subcategory END,
           CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END, CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END
      FROM items i
    UNION ALL
    SELECT 'body-region', i.body_region, CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END,
           CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END FROM items i
    UNION ALL
    SELECT 'decision', i.decision, CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END,
           CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END FROM items i
    UNION ALL
    SELECT 'month', coalesce(substr(l.decision_date, 1, 7), '(none)'), CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END,
           CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END FROM items i JOIN letters l ON l.id = i.letter_id
    UNION ALL
    SELECT 'specialty', coalesce(r.value, '(none)'), CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END,
           CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END FROM items i JOIN letters l ON l.id = i.letter_id
      LEFT JOIN reviewer_credentials r ON r.letter_id = l.id AND r.kind = 'specialty'
    UNION ALL
    SELECT 'guideline', coalesce(g.catalog_key, '(none)'), CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END,
           CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END FROM items i
      LEFT JOIN item_guidelines g ON g.item_id = i.id
    UNION ALL
    SELECT 'letters', 'all', 1, 0 FROM letters
    UNION ALL
    SELECT 'letters', 'upheld', 1, 0 FROM letters l
      WHERE EXISTS (SELECT 1 FROM items i WHERE i.letter_id = l.id AND i.decision = 'upheld')
    UNION ALL
    SELECT 'letters', 'overturned', 1, 0 FROM letters l
      WHERE EXISTS (SELECT 1 FROM items i WHERE i.letter_id = l.id AND i.decision = 'overturned')
  ) AS counts GROUP BY d, k;
)sql";

bool filters_use_letters(const Filters& f) { return f.specialty || f.from || f.to; }

Result<std::optional<std::string>> SqlStore::scalar(const std::string& sql, const std::vector<Param>& params) {
  std::optional<std::string> out;
  bool seen = false;
  Status s = run(sql, params, [&](const Row& row) {
    if (!seen && !row.empty()) out = row[0];
    seen = true;
    return Status();
  });
  if (!s.ok()) return s;
  return out;
}

namespace {

// What visit_stats_facts reads back for the rows add_rows writes for `sl` as letter `letter_id`:
// the same values from the same fields (the two are compared by the stats index tests).
StatsFacts stats_facts_of(const StoredLetter& sl, std::int64_t letter_id) {
  StatsFacts f;
  f.letter_id = letter_id;
  f.decision_date = sl.letter.decision_date;
  f.specialties = sl.letter.reviewer.specialties;
  f.subspecialties = sl.letter.reviewer.subspecialties;
  f.items.reserve(sl.items.size());
  for (std::size_t k = 0; k < sl.items.size() && k < sl.letter.items.size(); ++k) {
    const NormalizedItem& n = sl.items[k].normalized;
    StatsFacts::Item it;
    it.category = n.category;
    it.subcategory = n.subcategory;
    it.body_region = n.body_region;
    it.decision = sl.letter.items[k].decision;
    std::set<std::string> cited;  // distinct keys, as item_guidelines keeps them (their order does not matter)
    for (const auto& cat : sl.items[k].reviewer_catalog) cited.insert(cat.key);
    it.guidelines.assign(cited.begin(), cited.end());
    f.items.push_back(std::move(it));
  }
  return f;
}

}  // namespace

Result<std::vector<bool>> SqlStore::put_letters(const std::vector<StoredLetter>& batch,
                                                std::vector<StatsFacts>* added_facts) {
  if (added_facts) added_facts->clear();
  std::vector<bool> added(batch.size(), false);
  if (batch.empty()) return added;
  IMR_RETURN_IF_ERROR(begin_write());
  auto fail = [&](Status s) {
    rollback();
    return s;
  };

  // Which letters are new: not stored yet, and the first of their key in the batch (the first copy
  // stands). begin_write holds the store's write lock, so no other writer adds a key meanwhile.
  std::unordered_set<std::string> seen;
  constexpr std::size_t kKeysPerQuery = 200;
  for (std::size_t from = 0; from < batch.size(); from += kKeysPerQuery) {
    std::size_t to = std::min(batch.size(), from + kKeysPerQuery);
    std::string sql = "SELECT letter_key FROM letters WHERE letter_key IN (";
    std::vector<Param> keys;
    for (std::size_t k = from; k < to; ++k) {
      sql += k == from ? "?" : ", ?";
      keys.push_back(Param::of(batch[k].key));
    }
    sql += ")";
    Status s = run(sql, keys, [&](const Row& r) {
      if (r[0]) seen.insert(*r[0]);
      return Status();
    });
    if (!s.ok()) return fail(s);
  }
  for (std::size_t k = 0; k < batch.size(); ++k) added[k] = seen.insert(batch[k].key).second;

  // Ids are given here, after the largest stored ones (the write lock makes them ours), so that
  // every table of the batch is written in one pass per table (PostgreSQL: one COPY each) without
  // a round trip for each new id.
  auto next_id = [&](const char* sql) -> Result<std::int64_t> {
    auto v = scalar(sql, {});
    if (!v.ok()) return v.status();
    return to_int(*v) + 1;
  };
  auto letter_id = next_id("SELECT coalesce(max(id), 0) FROM letters");
  if (!letter_id.ok()) return fail(letter_id.status());
  auto item_id = next_id("SELECT coalesce(max(id), 0) FROM items");
  if (!item_id.ok()) return fail(item_id.status());

  LetterRows rows(item_texts_request());
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> deltas;
  std::vector<StatsFacts> facts;
  for (std::size_t k = 0; k < batch.size(); ++k) {
    if (!added[k]) continue;
    if (added_facts) facts.push_back(stats_facts_of(batch[k], *letter_id));
    Status s = add_rows(batch[k], (*letter_id)++, *item_id, rows);
    if (!s.ok()) return fail(s.with_context(batch[k].letter.source));
    count_rollup(batch[k], deltas);
  }
  // Parents before children; item_texts after items and letter_texts after letters, as the
  // backends' full-text triggers read them.
  for (const RowBatch* b : {&rows.letters, &rows.letter_texts, &rows.credentials, &rows.items, &rows.item_texts,
                            &rows.citations, &rows.item_guidelines}) {
    if (b->rows.empty()) continue;
    Status s = insert_rows(*b);
    if (!s.ok()) return fail(s);
  }

  RowBatch rollup{"stats_rollup", {"dimension", "group_key", "upheld", "overturned"}, {}};
  for (const auto& [key, counts] : deltas)
    rollup.rows.push_back({Param::of(key.first), Param::of(key.second), Param::of(counts.first), Param::of(counts.second)});
  if (!rollup.rows.empty()) {
    Status s = add_to_rollup(rollup);
    if (!s.ok()) return fail(s);
  }
  Status s = commit();
  if (!s.ok()) return fail(s);
  if (added_facts) *added_facts = std::move(facts);
  return added;
}

Status SqlStore::insert_rows(const RowBatch& b) {
  std::string sql = "INSERT INTO " + b.table + " (";
  for (std::size_t c = 0; c < b.columns.size(); ++c) sql += (c ? ", " : "") + b.columns[c];
  sql += ") VALUES (";
  for (std::size_t c = 0; c < b.columns.size(); ++c) sql += c ? ", ?" : "?";
  sql += ")";
  for (const auto& row : b.rows) IMR_RETURN_IF_ERROR(run(sql, row, {}));
  return {};
}

Status SqlStore::add_to_rollup(const RowBatch& b) {
  for (const auto& row : b.rows)
    IMR_RETURN_IF_ERROR(
        run("INSERT INTO stats_rollup (dimension, group_key, upheld, overturned) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (dimension, group_key) DO UPDATE SET upheld = stats_rollup.upheld + excluded.upheld,"
            " overturned = stats_rollup.overturned + excluded.overturned",
            row, {}));
  return {};
}

SqlStore::LetterRows::LetterRows(bool with_request)
    : letters{"letters",
              {"id", "letter_key", "case_number", "source", "template", "date_assigned", "decision_date",
               "date_of_injury", "ur_denial_date", "application_received", "priority", "board_certified",
               "patient_age", "patient_sex", "warnings", "item_count"},
              {}},
      letter_texts{"letter_texts", {"letter_id", "clinical_summary"}, {}},
      credentials{"reviewer_credentials", {"letter_id", "kind", "position", "value"}, {}},
      items{"items",
            {"id", "letter_id", "position", "request", "decision", "category", "subcategory", "body_region",
             "drug_name", "drug_strength", "drug_quantity", "retrospective", "sessions"},
            {}},
      item_texts{"item_texts",
                 {"item_id", "original_request", "authorized_portion", "claims_administrator_basis",
                  "reviewer_basis", "rationale"},
                 {}},
      citations{"citations",
                {"item_id", "basis", "position", "source", "title", "edition", "sections", "pages", "catalog_key",
                 "catalog_source", "catalog_guideline", "catalog_topic"},
                {}},
      item_guidelines{"item_guidelines", {"item_id", "catalog_key"}, {}},
      item_texts_request(with_request) {
  if (item_texts_request) item_texts.columns.push_back("request");
}

Status SqlStore::add_rows(const StoredLetter& sl, std::int64_t letter_id, std::int64_t& next_item_id,
                          LetterRows& rows) {
  const letter::Letter& l = sl.letter;
  if (sl.items.size() != l.items.size())
    return internal_error("letter has " + std::to_string(l.items.size()) + " items but " +
                          std::to_string(sl.items.size()) + " normalised items");
  rows.letters.rows.push_back({
      Param::of(letter_id),
      Param::of(sl.key),
      Param::of(l.case_number),
      Param::of(l.source),
      Param::of(l.template_name),
      Param::of(l.date_assigned),
      Param::of(l.decision_date),
      Param::of(l.date_of_injury),
      Param::of(l.ur_denial_date),
      Param::of(l.application_received),
      l.priority ? Param::of(std::string(letter::to_string(*l.priority))) : Param::null(),
      l.reviewer.board_certified ? Param::of(std::int64_t{*l.reviewer.board_certified ? 1 : 0}) : Param::null(),
      Param::of(l.patient.age),
      l.patient.sex ? Param::of(std::string(letter::to_string(*l.patient.sex))) : Param::null(),
      Param::of(json_list(l.warnings)),
      Param::of(static_cast<std::int64_t>(l.items.size())),
  });
  rows.letter_texts.rows.push_back({Param::of(letter_id), Param::of(l.clinical_summary)});
  for (auto [list, kind] : {std::pair{&l.reviewer.licensure_states, "licensure_state"},
                            std::pair{&l.reviewer.specialties, "specialty"},
                            std::pair{&l.reviewer.subspecialties, "subspecialty"}}) {
    for (std::size_t k = 0; k < list->size(); ++k)
      rows.credentials.rows.push_back({Param::of(letter_id), Param::of(std::string(kind)),
                                       Param::of(static_cast<std::int64_t>(k)), Param::of((*list)[k])});
  }

  for (std::size_t k = 0; k < l.items.size(); ++k) {
    const letter::DisputedItem& it = l.items[k];
    const NormalizedItem& n = sl.items[k].normalized;
    auto basis_text = [](const std::optional<letter::GuidelineBasis>& b) {
      return b ? Param::of(b->text) : Param::null();
    };
    std::int64_t iid = next_item_id++;
    rows.items.rows.push_back(
        {Param::of(iid), Param::of(letter_id), Param::of(static_cast<std::int64_t>(k)), Param::of(it.request),
         Param::of(std::string(letter::to_string(it.decision))), Param::of(n.category), Param::of(n.subcategory),
         Param::of(n.body_region), n.drug ? Param::of(n.drug->name) : Param::null(),
         n.drug ? Param::of(n.drug->strength) : Param::null(), n.drug ? Param::of(n.drug->quantity) : Param::null(),
         Param::of(std::int64_t{n.retrospective ? 1 : 0}), Param::of(n.sessions)});
    rows.item_texts.rows.push_back({Param::of(iid), Param::of(it.original_request), Param::of(it.authorized_portion),
                                    basis_text(it.claims_administrator_basis), basis_text(it.reviewer_basis),
                                    Param::of(it.rationale)});
    if (rows.item_texts_request) rows.item_texts.rows.back().push_back(Param::of(it.request));
    for (auto [basis, catalog, name] :
         {std::tuple{&it.claims_administrator_basis, &sl.items[k].claims_administrator_catalog, "claims_administrator"},
          std::tuple{&it.reviewer_basis, &sl.items[k].reviewer_catalog, "reviewer"}}) {
      if (!*basis) continue;
      const auto& cites = (*basis)->citations;
      if (catalog->size() != cites.size()) return internal_error("citations and catalog entries differ in number");
      for (std::size_t c = 0; c < cites.size(); ++c) {
        const auto& ct = cites[c];
        const auto& cat = (*catalog)[c];
        rows.citations.rows.push_back({Param::of(iid), Param::of(std::string(name)),
                                       Param::of(static_cast<std::int64_t>(c)), Param::of(ct.source),
                                       Param::of(ct.title), Param::of(ct.edition), Param::of(json_list(ct.sections)),
                                       Param::of(json_list(ct.pages)), Param::of(cat.key), Param::of(cat.source),
                                       Param::of(cat.guideline), Param::of(cat.topic)});
      }
    }
    std::set<std::string> cited;  // distinct keys: (item_id, catalog_key) is the table's key
    for (const auto& cat : sl.items[k].reviewer_catalog)
      if (cited.insert(cat.key).second) rows.item_guidelines.rows.push_back({Param::of(iid), Param::of(cat.key)});
  }
  return {};
}

void SqlStore::count_rollup(
    const StoredLetter& sl,
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>>& deltas) {
  const letter::Letter& l = sl.letter;
  bool any_upheld = false, any_overturned = false;
  std::string month = l.decision_date ? l.decision_date->substr(0, 7) : "(none)";
  for (std::size_t k = 0; k < l.items.size(); ++k) {
    bool upheld = l.items[k].decision == letter::Decision::kUpheld;
    (upheld ? any_upheld : any_overturned) = true;
    auto add = [&](const char* dimension, const std::string& key) {
      auto& c = deltas[{dimension, key}];
      (upheld ? c.first : c.second) += 1;
    };
    const NormalizedItem& n = sl.items[k].normalized;
    add("category", n.category);
    add("subcategory", n.subcategory.empty() ? n.category : n.category + " / " + n.subcategory);
    add("body-region", n.body_region);
    add("decision", std::string(letter::to_string(l.items[k].decision)));
    add("month", month);
    for (const auto& s : l.reviewer.specialties) add("specialty", s);
    if (l.reviewer.specialties.empty()) add("specialty", "(none)");
    std::vector<std::string> keys;  // item_guidelines keeps each key once per item
    for (const auto& cat : sl.items[k].reviewer_catalog)
      if (std::find(keys.begin(), keys.end(), cat.key) == keys.end()) keys.push_back(cat.key);
    for (const auto& key : keys) add("guideline", key);
    if (keys.empty()) add("guideline", "(none)");
  }
  deltas[{"letters", "all"}].first += 1;
  if (any_upheld) deltas[{"letters", "upheld"}].first += 1;
  if (any_overturned) deltas[{"letters", "overturned"}].first += 1;
}

Result<Stats> SqlStore::rollup_stats(GroupBy by, std::optional<letter::Decision> decision) {
  static const std::map<GroupBy, const char*> kDimension = {
      {GroupBy::kCategory, "category"}, {GroupBy::kSubcategory, "subcategory"}, {GroupBy::kBodyRegion, "body-region"},
      {GroupBy::kGuideline, "guideline"}, {GroupBy::kSpecialty, "specialty"},  {GroupBy::kMonth, "month"},
      {GroupBy::kDecision, "decision"}};
  // With a decision filter only that decision's column counts; letters are those with an item of
  // that decision (the "letters" dimension keeps them under the decision's name).
  bool keep_upheld = !decision || *decision == letter::Decision::kUpheld;
  bool keep_overturned = !decision || *decision == letter::Decision::kOverturned;
  const std::string letters_key = decision ? letter::to_string(*decision) : "all";
  Stats st;
  IMR_RETURN_IF_ERROR(run("SELECT dimension, group_key, upheld, overturned FROM stats_rollup"
                          " WHERE dimension IN ('letters', 'decision')",
                          {}, [&](const Row& r) {
                            if (r[0] == "letters" && r[1] == letters_key) st.letters = to_int(r[2]);
                            if (r[0] == "decision") {
                              if (keep_upheld) st.upheld += to_int(r[2]);
                              if (keep_overturned) st.overturned += to_int(r[3]);
                            }
                            return Status();
                          }));
  st.items = st.upheld + st.overturned;
  if (by == GroupBy::kNone) return st;
  IMR_RETURN_IF_ERROR(run("SELECT group_key, upheld, overturned FROM stats_rollup WHERE dimension = ?",
                          {Param::of(std::string(kDimension.at(by)))}, [&](const Row& r) {
                            std::int64_t u = keep_upheld ? to_int(r[1]) : 0, o = keep_overturned ? to_int(r[2]) : 0;
                            if (u + o > 0) st.groups.push_back({r[0].value_or(""), u + o, u, o});
                            return Status();
                          }));
  // The GROUP BY's order: most items first, then the key (byte order).
  std::sort(st.groups.begin(), st.groups.end(), [](const StatsGroup& a, const StatsGroup& b) {
    return a.items != b.items ? a.items > b.items : a.key < b.key;
  });
  return st;
}

Result<std::vector<StoredLetter>> SqlStore::load_range(std::int64_t lo, std::int64_t hi) {
  std::vector<StoredLetter> out;
  std::unordered_map<std::int64_t, std::size_t> by_id;
  std::vector<Param> range = {Param::of(lo), Param::of(hi)};
  IMR_RETURN_IF_ERROR(run(
      "SELECT l.id, l.letter_key, l.case_number, l.source, l.template, l.date_assigned, l.decision_date,"
      " l.date_of_injury, l.ur_denial_date, l.application_received, l.priority, l.board_certified, l.patient_age,"
      " l.patient_sex, t.clinical_summary, l.warnings FROM letters l JOIN letter_texts t ON t.letter_id = l.id"
      " WHERE l.id BETWEEN ? AND ? ORDER BY l.id",
      range, [&](const Row& r) {
        StoredLetter sl;
        sl.id = to_int(r[0]);
        sl.key = r[1].value_or("");
        letter::Letter& l = sl.letter;
        l.case_number = r[2];
        l.source = r[3].value_or("");
        l.template_name = r[4].value_or("");
        l.date_assigned = r[5];
        l.decision_date = r[6];
        l.date_of_injury = r[7];
        l.ur_denial_date = r[8];
        l.application_received = r[9];
        if (r[10]) l.priority = letter::parse_priority(*r[10]);
        if (r[11]) l.reviewer.board_certified = to_int(r[11]) != 0;
        l.patient.age = to_opt_int(r[12]);
        if (r[13]) l.patient.sex = *r[13] == "female" ? letter::Sex::kFemale : letter::Sex::kMale;
        l.clinical_summary = r[14];
        l.warnings = parse_list(r[15]);
        by_id[sl.id] = out.size();
        out.push_back(std::move(sl));
        return Status();
      }));
  IMR_RETURN_IF_ERROR(run(
      "SELECT letter_id, kind, value FROM reviewer_credentials WHERE letter_id BETWEEN ? AND ?"
      " ORDER BY letter_id, kind, position",
      range, [&](const Row& r) {
        auto f = by_id.find(to_int(r[0]));
        if (f == by_id.end()) return Status();
        letter::Reviewer& rv = out[f->second].letter.reviewer;
        const std::string& kind = r[1].value_or("");
        auto& list = kind == "licensure_state" ? rv.licensure_states
                     : kind == "specialty"     ? rv.specialties
                                               : rv.subspecialties;
        list.push_back(r[2].value_or(""));
        return Status();
      }));
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> item_at;
  IMR_RETURN_IF_ERROR(run(
      "SELECT i.id, i.letter_id, i.request, t.original_request, t.authorized_portion, i.decision,"
      " t.claims_administrator_basis, t.reviewer_basis, t.rationale, i.category, i.subcategory, i.body_region,"
      " i.drug_name, i.drug_strength, i.drug_quantity, i.retrospective, i.sessions"
      " FROM items i JOIN item_texts t ON t.item_id = i.id WHERE i.letter_id BETWEEN ? AND ?"
      " ORDER BY i.letter_id, i.position",
      range, [&](const Row& r) {
        auto f = by_id.find(to_int(r[1]));
        if (f == by_id.end()) return Status();
        StoredLetter& sl = out[f->second];
        letter::DisputedItem it;
        it.request = r[2].value_or("");
        it.original_request = r[3];
        it.authorized_portion = r[4];
        it.decision = letter::parse_decision(r[5].value_or("")).value_or(letter::Decision::kUpheld);
        if (r[6]) it.claims_administrator_basis = letter::GuidelineBasis{*r[6], {}};
        if (r[7]) it.reviewer_basis = letter::GuidelineBasis{*r[7], {}};
        it.rationale = r[8];
        StoredItem si;
        si.normalized.category = r[9].value_or("");
        si.normalized.subcategory = r[10].value_or("");
        si.normalized.body_region = r[11].value_or("");
        if (r[12]) si.normalized.drug = Drug{*r[12], r[13], to_opt_int(r[14])};
        si.normalized.retrospective = to_int(r[15]) != 0;
        si.normalized.sessions = to_opt_int(r[16]);
        item_at[to_int(r[0])] = {f->second, sl.letter.items.size()};
        sl.letter.items.push_back(std::move(it));
        sl.items.push_back(std::move(si));
        return Status();
      }));
  IMR_RETURN_IF_ERROR(run(
      "SELECT c.item_id, c.basis, c.source, c.title, c.edition, c.sections, c.pages, c.catalog_key, c.catalog_source,"
      " c.catalog_guideline, c.catalog_topic FROM citations c JOIN items i ON i.id = c.item_id"
      " WHERE i.letter_id BETWEEN ? AND ? ORDER BY c.item_id, c.basis, c.position",
      range, [&](const Row& r) {
        auto f = item_at.find(to_int(r[0]));
        if (f == item_at.end()) return Status();
        StoredLetter& sl = out[f->second.first];
        letter::DisputedItem& it = sl.letter.items[f->second.second];
        StoredItem& si = sl.items[f->second.second];
        bool reviewer = r[1].value_or("") == "reviewer";
        auto& basis = reviewer ? it.reviewer_basis : it.claims_administrator_basis;
        if (!basis) basis = letter::GuidelineBasis{};
        letter::Citation c;
        c.source = r[2].value_or("");
        c.title = r[3].value_or("");
        c.edition = r[4];
        c.sections = parse_list(r[5]);
        c.pages = parse_list(r[6]);
        basis->citations.push_back(std::move(c));
        CatalogCitation cat{r[7].value_or(""), r[8].value_or(""), r[9].value_or(""), r[10]};
        (reviewer ? si.reviewer_catalog : si.claims_administrator_catalog).push_back(std::move(cat));
        return Status();
      }));
  return out;
}

Result<StoredLetter> SqlStore::get_letter(const std::string& key_or_id) {
  std::string key(text::trim(key_or_id));
  if (key.empty()) return invalid_argument("empty letter key");
  std::string lookup = key;
  if (!text::starts_with_icase(key, "fp:"))
    std::transform(lookup.begin(), lookup.end(), lookup.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  else
    lookup = "fp:" + text::to_lower(key.substr(3));
  auto id = scalar("SELECT id FROM letters WHERE letter_key = ?", {Param::of(lookup)});
  if (!id.ok()) return id.status();
  std::optional<std::int64_t> found;
  if (*id) {
    found = to_int(**id);
  } else if (std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isdigit(c); }) && key.size() < 19) {
    auto by_id = scalar("SELECT id FROM letters WHERE id = ?", {Param::of(std::stoll(key))});
    if (!by_id.ok()) return by_id.status();
    if (*by_id) found = to_int(**by_id);
  }
  if (!found) return not_found("no letter " + key + " in the corpus");
  auto letters = load_range(*found, *found);
  if (!letters.ok()) return letters.status();
  if (letters->empty()) return not_found("no letter " + key + " in the corpus");
  return std::move(letters->front());
}

Result<Stats> SqlStore::stats(GroupBy by, const Filters& filters) {
  std::vector<Param> params;
  auto where = filter_sql(filters, params);
  if (!where.ok()) return where.status();
  // No filter, or a decision filter alone: the rollup has both decisions' columns.
  if (answered_from_rollup(filters)) return rollup_stats(by, filters.decision);
  Stats st;
  static const std::string kCounts =
      "count(*), coalesce(sum(CASE WHEN i.decision = 'upheld' THEN 1 ELSE 0 END), 0),"
      " coalesce(sum(CASE WHEN i.decision = 'overturned' THEN 1 ELSE 0 END), 0)";
  // Join letters only when something needs it: the narrow items table (and its covering
  // indexes) is all most statistics read.
  bool need_letters = filters_use_letters(filters) || by == GroupBy::kMonth || by == GroupBy::kSpecialty;
  std::string from = need_letters ? " FROM items i JOIN letters l ON l.id = i.letter_id" : " FROM items i";
  bool filtered = !where->empty();
  IMR_RETURN_IF_ERROR(run(std::string("SELECT ") + (filtered ? "count(DISTINCT i.letter_id)" : "(SELECT count(*) FROM letters)") +
                              ", " + kCounts +
                              (filters_use_letters(filters) ? " FROM items i JOIN letters l ON l.id = i.letter_id"
                                                            : " FROM items i") +
                              " WHERE 1 = 1" + *where,
                          params, [&](const Row& r) {
                            st.letters = to_int(r[0]);
                            st.items = to_int(r[1]);
                            st.upheld = to_int(r[2]);
                            st.overturned = to_int(r[3]);
                            return Status();
                          }));
  if (by == GroupBy::kNone) return st;
  std::string key, join;
  switch (by) {
    case GroupBy::kNone: break;
    case GroupBy::kCategory: key = "i.category"; break;
    case GroupBy::kSubcategory:
      key = "CASE WHEN i.subcategory = '' THEN i.category ELSE i.category || ' / ' || i.subcategory END";
      break;
    case GroupBy::kBodyRegion: key = "i.body_region"; break;
    case GroupBy::kDecision: key = "i.decision"; break;
    case GroupBy::kMonth: key = "substr(l.decision_date, 1, 7)"; break;
    case GroupBy::kSpecialty:
      key = "r.value";
      join = " LEFT JOIN reviewer_credentials r ON r.letter_id = l.id AND r.kind = 'specialty'";
      break;
    case GroupBy::kGuideline:
      key = "gb.catalog_key";
      join = " LEFT JOIN item_guidelines gb ON gb.item_id = i.id";
      break;
  }
  std::string sql = "SELECT coalesce(" + key + ", '(none)') AS group_key, " + kCounts + from + join + " WHERE 1 = 1" +
                    *where + " GROUP BY 1 ORDER BY 2 DESC, 1";
  IMR_RETURN_IF_ERROR(run(sql,
                          params, [&](const Row& r) {
                            st.groups.push_back({r[0].value_or("(none)"), to_int(r[1]), to_int(r[2]), to_int(r[3])});
                            return Status();
                          }));
  return st;
}

Status SqlStore::visit_stats_facts(std::int64_t after_id, const std::function<Status(const StatsFacts&)>& visit) {
  // Pages of letters by id; each page reads its items, credentials and cited guidelines with one
  // range query each, so the whole corpus loads in a few thousand sequential reads.
  constexpr int kPage = 5000;
  for (;;) {
    std::vector<StatsFacts> page;
    IMR_RETURN_IF_ERROR(run("SELECT id, decision_date FROM letters WHERE id > ? ORDER BY id LIMIT ?",
                            {Param::of(after_id), Param::of(std::int64_t{kPage})}, [&](const Row& r) {
                              StatsFacts f;
                              f.letter_id = to_int(r[0]);
                              f.decision_date = r[1];
                              page.push_back(std::move(f));
                              return Status();
                            }));
    if (page.empty()) return {};
    std::int64_t lo = page.front().letter_id, hi = page.back().letter_id;
    auto at = [&](std::int64_t letter_id) -> StatsFacts* {
      auto it = std::lower_bound(page.begin(), page.end(), letter_id,
                                 [](const StatsFacts& f, std::int64_t id) { return f.letter_id < id; });
      return it != page.end() && it->letter_id == letter_id ? &*it : nullptr;
    };
    std::unordered_map<std::int64_t, std::pair<StatsFacts*, std::size_t>> item_at;  // item id -> (letter, index)
    IMR_RETURN_IF_ERROR(run("SELECT id, letter_id, category, subcategory, body_region, decision FROM items"
                            " WHERE letter_id BETWEEN ? AND ? ORDER BY letter_id, position",
                            {Param::of(lo), Param::of(hi)}, [&](const Row& r) {
                              StatsFacts* f = at(to_int(r[1]));
                              if (!f) return Status();
                              StatsFacts::Item it;
                              it.category = r[2].value_or("");
                              it.subcategory = r[3].value_or("");
                              it.body_region = r[4].value_or("");
                              it.decision = r[5].value_or("") == "overturned" ? letter::Decision::kOverturned
                                                                               : letter::Decision::kUpheld;
                              item_at[to_int(r[0])] = {f, f->items.size()};
                              f->items.push_back(std::move(it));
                              return Status();
                            }));
    IMR_RETURN_IF_ERROR(run("SELECT letter_id, kind, value FROM reviewer_credentials"
                            " WHERE letter_id BETWEEN ? AND ? AND kind IN ('specialty', 'subspecialty')"
                            " ORDER BY letter_id, kind, position",
                            {Param::of(lo), Param::of(hi)}, [&](const Row& r) {
                              StatsFacts* f = at(to_int(r[0]));
                              if (!f) return Status();
                              (r[1].value_or("") == "specialty" ? f->specialties : f->subspecialties)
                                  .push_back(r[2].value_or(""));
                              return Status();
                            }));
    IMR_RETURN_IF_ERROR(run("SELECT g.item_id, g.catalog_key FROM item_guidelines g JOIN items i ON i.id = g.item_id"
                            " WHERE i.letter_id BETWEEN ? AND ? ORDER BY g.item_id, g.catalog_key",
                            {Param::of(lo), Param::of(hi)}, [&](const Row& r) {
                              auto it = item_at.find(to_int(r[0]));
                              if (it == item_at.end()) return Status();
                              it->second.first->items[it->second.second].guidelines.push_back(r[1].value_or(""));
                              return Status();
                            }));
    for (const StatsFacts& f : page) IMR_RETURN_IF_ERROR(visit(f));
    after_id = hi;
  }
}

Status SqlStore::export_items(const std::function<Status(const ExportRow&)>& visit) {
  // Keyset pagination over letter ids: a few hundred letters in memory at a time, and no
  // long-lived cursor (a backend may hold only one statement open at a time).
  constexpr int kPage = 256;
  std::int64_t after = 0;
  for (;;) {
    std::vector<std::int64_t> ids;
    IMR_RETURN_IF_ERROR(run("SELECT id FROM letters WHERE id > ? ORDER BY id LIMIT ?",
                            {Param::of(after), Param::of(std::int64_t{kPage})}, [&](const Row& r) {
                              ids.push_back(to_int(r[0]));
                              return Status();
                            }));
    if (ids.empty()) return {};
    auto page = load_range(ids.front(), ids.back());
    if (!page.ok()) return page.status();
    for (const StoredLetter& sl : *page)
      for (std::size_t k = 0; k < sl.letter.items.size(); ++k)
        IMR_RETURN_IF_ERROR(visit(ExportRow{sl, static_cast<int>(k)}));
    after = ids.back();
  }
}

Status SqlStore::visit_stats_index_chunks(std::int64_t from, bool with_data,
                                          const std::function<Status(const StatsIndexChunk&)>& visit) {
  // A page of chunks at a time (each about 16 bytes a letter), read whole before it is visited:
  // no statement stays open while the visitor runs.
  constexpr int kPage = 8;
  const std::string sql = std::string("SELECT after_letter_id, through_letter_id, format, ") +
                          (with_data ? "data" : "NULL") +
                          " FROM stats_index_chunks WHERE after_letter_id >= ? ORDER BY after_letter_id LIMIT ?";
  for (;;) {
    std::vector<StatsIndexChunk> page;
    IMR_RETURN_IF_ERROR(run(sql, {Param::of(from), Param::of(std::int64_t{kPage})}, [&](const Row& r) {
      StatsIndexChunk c;
      c.after_letter_id = to_int(r[0]);
      c.through_letter_id = to_int(r[1]);
      c.format = static_cast<int>(to_int(r[2]));
      if (r[3]) c.data = *r[3];
      page.push_back(std::move(c));
      return Status();
    }));
    for (const StatsIndexChunk& c : page) IMR_RETURN_IF_ERROR(visit(c));
    if (page.size() < static_cast<std::size_t>(kPage)) return {};
    from = page.back().after_letter_id + 1;
  }
}

Status SqlStore::put_stats_index_chunk(const StatsIndexChunk& c) {
  if (c.through_letter_id <= c.after_letter_id)
    return invalid_argument("statistics index chunk after letter " + std::to_string(c.after_letter_id) +
                            " ends at " + std::to_string(c.through_letter_id));
  // Autocommit: one statement is one transaction on both backends.
  return run("INSERT INTO stats_index_chunks (after_letter_id, through_letter_id, format, data) VALUES (?, ?, ?, ?)"
             " ON CONFLICT (after_letter_id) DO UPDATE SET through_letter_id = excluded.through_letter_id,"
             " format = excluded.format, data = excluded.data"
             " WHERE excluded.through_letter_id >= stats_index_chunks.through_letter_id",
             {Param::of(c.after_letter_id), Param::of(c.through_letter_id), Param::of(std::int64_t{c.format}),
              Param::blob(c.data)},
             {});
}

Result<std::int64_t> SqlStore::generation() {
  auto v = scalar("SELECT max(id) FROM letters", {});
  if (!v.ok()) return v.status();
  return to_int(*v);
}

}  // namespace imr::corpus::internal

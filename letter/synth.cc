// Synthetic Final Determination Letters (see imr/letter/synth.h).
//
// How a letter is made: a case (dates, worker, body regions, reviewer) is drawn first; then the
// disputed items (a treatment line of treatments.tsv each, some partially authorised, some
// overturned), their guideline bases (citations drawn from guidelines.tsv for the item's region)
// and rationales (rationales.txt); then the clinical case summary (summary.txt), which states the
// worker's age, sex and injury date so the reader can find them. The record is rendered with
// render_letter; the expected record is the same record with white space folded, as the reader
// reports it, and without what the chosen shape does not carry.
//
// All vocabulary is in data/synth/ and is checked when loaded: every template slot must be known,
// every treatment must have a guideline row for every region it applies to.
#include "imr/letter/synth.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <semaphore>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "imr/base/data.h"
#include "imr/base/files.h"
#include "imr/base/text.h"

namespace imr::letter {
namespace {

// ---------------------------------------------------------------------------------------------
// Random numbers. std::mt19937_64 is specified bit for bit by the standard; the distributions
// below are ours because the standard library's differ between implementations.

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [0, n) by multiply-shift (Lemire); the bias for the small n used here is < 2^-50.
  // REQUIRES: n > 0.
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(engine_()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1)); }
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

 private:
  std::mt19937_64 engine_;
};

// A discrete distribution over 0..n-1 given integer weights.
class Weighted {
 public:
  void add(std::uint64_t weight) { cum_.push_back((cum_.empty() ? 0 : cum_.back()) + weight); }
  bool empty() const { return cum_.empty() || cum_.back() == 0; }
  std::size_t size() const { return cum_.size(); }
  // REQUIRES: !empty().
  std::size_t pick(Rng& rng) const {
    std::uint64_t r = rng.below(cum_.back());
    return static_cast<std::size_t>(std::upper_bound(cum_.begin(), cum_.end(), r) - cum_.begin());
  }

 private:
  std::vector<std::uint64_t> cum_;
};

// ---------------------------------------------------------------------------------------------
// Templates: text with {slot} placeholders and {a|b|c} inline alternatives.

enum class Slot : std::uint8_t {
  kLiteral, kChoice,
  kWorker, kWorkerCap, kAge, kSex, kPerson, kHe, kHeCap, kHis, kHisCap, kHim,
  kDoi, kMechanism, kDiagnoses, kComplaint, kExam, kExam2, kImagingFinding, kStudy,
  kRegion, kRegionCap, kSide, kSideCap, kOnSide, kVisitDate, kImgDate, kUrDate, kRfaDate, kDos,
  kPain, kPrior, kMeds, kRequests, kRedacted, kN, kDeg, kDeg2, kLevel, kCLevel, kTLevel,
  kCited, kRequest, kAuthorized, kOriginal, kDrug, kCompound, kQty, kQtyWords,
};

constexpr std::pair<std::string_view, Slot> kSlotNames[] = {
    {"worker", Slot::kWorker}, {"Worker", Slot::kWorkerCap}, {"age", Slot::kAge}, {"sex", Slot::kSex},
    {"person", Slot::kPerson}, {"he", Slot::kHe}, {"He", Slot::kHeCap}, {"his", Slot::kHis},
    {"His", Slot::kHisCap}, {"him", Slot::kHim}, {"doi", Slot::kDoi}, {"mechanism", Slot::kMechanism},
    {"diagnoses", Slot::kDiagnoses}, {"complaint", Slot::kComplaint}, {"exam", Slot::kExam},
    {"exam2", Slot::kExam2}, {"imaging_finding", Slot::kImagingFinding}, {"study", Slot::kStudy},
    {"region", Slot::kRegion}, {"Region", Slot::kRegionCap}, {"side", Slot::kSide}, {"Side", Slot::kSideCap},
    {"on_side", Slot::kOnSide},
    {"visit_date", Slot::kVisitDate}, {"img_date", Slot::kImgDate}, {"ur_date", Slot::kUrDate},
    {"rfa_date", Slot::kRfaDate}, {"dos", Slot::kDos}, {"pain", Slot::kPain}, {"prior", Slot::kPrior},
    {"meds", Slot::kMeds}, {"requests", Slot::kRequests}, {"redacted", Slot::kRedacted}, {"n", Slot::kN},
    {"deg", Slot::kDeg}, {"deg2", Slot::kDeg2}, {"level", Slot::kLevel}, {"clevel", Slot::kCLevel},
    {"tlevel", Slot::kTLevel}, {"cited", Slot::kCited}, {"request", Slot::kRequest},
    {"authorized", Slot::kAuthorized}, {"original", Slot::kOriginal}, {"drug", Slot::kDrug},
    {"compound", Slot::kCompound}, {"qty", Slot::kQty}, {"qtyw", Slot::kQtyWords},
};

struct Piece {
  Slot slot = Slot::kLiteral;
  std::string text;                  // kLiteral
  std::vector<std::string> choices;  // kChoice
};

struct Template {
  std::vector<Piece> pieces;
  bool has(Slot s) const {
    for (const auto& p : pieces)
      if (p.slot == s) return true;
    return false;
  }
};

// Parses one template; the error says what is wrong (the caller adds file and line).
Result<Template> parse_template(std::string_view s) {
  Template t;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t open = s.find('{', i);
    if (open != i) {
      std::size_t end = open == std::string_view::npos ? s.size() : open;
      if (s.substr(i, end - i).find('}') != std::string_view::npos) return invalid_argument("'}' without '{'");
      t.pieces.push_back({Slot::kLiteral, std::string(s.substr(i, end - i)), {}});
      i = end;
      continue;
    }
    std::size_t close = s.find('}', open);
    if (close == std::string_view::npos) return invalid_argument("'{' without '}'");
    std::string_view inner = s.substr(open + 1, close - open - 1);
    if (inner.find('{') != std::string_view::npos) return invalid_argument("nested '{'");
    if (inner.find('|') != std::string_view::npos) {
      Piece p{Slot::kChoice, {}, {}};
      std::size_t b = 0;
      for (;;) {
        std::size_t bar = inner.find('|', b);
        p.choices.emplace_back(inner.substr(b, bar == std::string_view::npos ? std::string_view::npos : bar - b));
        if (bar == std::string_view::npos) break;
        b = bar + 1;
      }
      t.pieces.push_back(std::move(p));
    } else {
      auto it = std::find_if(std::begin(kSlotNames), std::end(kSlotNames),
                             [&](const auto& e) { return e.first == inner; });
      if (it == std::end(kSlotNames)) return invalid_argument("unknown slot {" + std::string(inner) + "}");
      t.pieces.push_back({it->second, {}, {}});
    }
    i = close + 1;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Data files

struct DataLine {
  int number;
  std::string text;
};

// A data file's lines without comments ('#' first) and blank lines.
struct DataFile {
  std::string path;
  std::vector<DataLine> lines;
  Status error(int line, const std::string& why) const {
    return invalid_argument(path + ":" + std::to_string(line) + ": " + why);
  }
};

Result<DataFile> load_data_file(const std::string& path) {
  auto content = files::read_file(path);
  if (!content.ok()) return content.status();
  DataFile f{path, {}};
  int n = 0;
  for (std::string_view line : text::lines(*content)) {
    ++n;
    if (line.empty() || line[0] == '#' || text::trim(line).empty()) continue;
    // Plain ASCII keeps every letter byte-identical across platforms and the JSON simple.
    for (char c : line)
      if (static_cast<unsigned char>(c) >= 0x7F || (static_cast<unsigned char>(c) < 0x20 && c != '\t'))
        return f.error(n, "only printable ASCII and tabs are allowed");
    f.lines.push_back({n, std::string(line)});
  }
  return f;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (;;) {
    std::size_t e = s.find(sep, b);
    out.emplace_back(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
    if (e == std::string_view::npos) return out;
    b = e + 1;
  }
}

// "[name]" sections of templates.
using Sections = std::map<std::string, std::vector<Template>, std::less<>>;

Result<Sections> load_sections(const std::string& path) {
  auto f = load_data_file(path);
  if (!f.ok()) return f.status();
  Sections out;
  std::vector<Template>* current = nullptr;
  for (const auto& l : f->lines) {
    std::string_view t = text::trim(l.text);
    if (t.front() == '[' && t.back() == ']') {
      current = &out[std::string(t.substr(1, t.size() - 2))];
      continue;
    }
    if (!current) return f->error(l.number, "text before the first [section]");
    auto tpl = parse_template(t);
    if (!tpl.ok()) return f->error(l.number, tpl.status().message());
    current->push_back(std::move(*tpl));
  }
  return out;
}

// Plain lines of a section (no slots), e.g. state names.
Result<std::vector<std::string>> section_strings(const Sections& s, const std::string& file, const std::string& name) {
  auto it = s.find(name);
  if (it == s.end() || it->second.empty()) return invalid_argument(file + ": missing section [" + name + "]");
  std::vector<std::string> out;
  for (const auto& t : it->second) {
    std::string v;
    for (const auto& p : t.pieces) {
      if (p.slot != Slot::kLiteral) return invalid_argument(file + ": [" + name + "] must hold plain text");
      v += p.text;
    }
    out.push_back(std::move(v));
  }
  return out;
}

Result<const std::vector<Template>*> section(const Sections& s, const std::string& file, const std::string& name) {
  auto it = s.find(name);
  if (it == s.end() || it->second.empty()) return invalid_argument(file + ": missing section [" + name + "]");
  return &it->second;
}

const std::vector<Template>* optional_section(const Sections& s, const std::string& name) {
  auto it = s.find(name);
  return it == s.end() || it->second.empty() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

enum class CitationForm { kMtus, kChapter, kOdg, kAcoem, kOther };

// One citable guideline part, with the region's values already filled in.
struct CitationSource {
  CitationForm form;
  std::string title;
  std::string edition;               // empty when none
  std::vector<std::string> entries;  // sections, or pages for kChapter
};

struct Drug {
  std::string name;
  std::vector<std::string> strengths;
};

struct Region {
  std::string key;
  std::vector<std::string> names;
  bool sided = false;
  bool spine = false;
  std::map<std::string, std::string, std::less<>> values;  // mtus_title, mtus_ed, chapter, acoem ("-" = none)
  std::vector<std::string> pages, odg;
  const std::vector<Template>* diagnosis = nullptr;
  const std::vector<Template>* complaint = nullptr;
  const std::vector<Template>* exam = nullptr;
  const std::vector<Template>* imaging = nullptr;
  Weighted treatments;               // over treatment_ids
  std::vector<std::size_t> treatment_ids;
  Weighted countable;                // the same over the treatments that can be partially authorised
  std::vector<std::size_t> countable_ids;
  std::vector<std::size_t> specialty_ids, board_ids;  // reviewers sent cases in this region
};

struct Treatment {
  std::string kind;
  std::vector<int> qty;
  Template request;
  bool countable = false;            // the request carries {qty}/{qtyw} and a count >= 2: can be partially authorised
  std::vector<const Drug*> drugs;    // drugs.tsv rows of this kind
  std::vector<std::vector<CitationSource>> sources;  // by region index; empty where it does not apply
  const std::vector<Template>* rationale = nullptr;
  const std::vector<Template>* upheld = nullptr;      // optional kind-specific case sentences
  const std::vector<Template>* overturned = nullptr;
};

struct Params {
  double overturned_rate = 0.11, partial_rate = 0.10, seed_shape_rate = 0.3, board_form_rate = 0.2,
         expedited_rate = 0.02, no_citation_rate = 0.15, second_citation_rate = 0.3, and_join_rate = 0.4,
         preamble_rate = 0.6, redaction_rate = 0.25, mechanism_rate = 0.75, imaging_rate = 0.5,
         medications_rate = 0.6, exam_rate = 0.85;
  Weighted item_counts;   // index 0 = one item
  Weighted injury_years;  // index 0 = same year
  std::vector<int> widths;
};

struct Vocabulary {
  Params params;
  std::vector<Region> regions;
  Weighted region_weights;
  std::vector<Treatment> treatments;
  std::vector<std::unique_ptr<Drug>> drugs;
  Sections summary, rationales, words, region_words, compounds, reviewers;
  // Resolved sections, checked at load.
  const std::vector<Template>* summary_groups[11] = {};
  const std::vector<Template>* generic_upheld = nullptr;
  const std::vector<Template>* generic_overturned = nullptr;
  const std::vector<Template>* partial = nullptr;
  const std::vector<Template>* conclusion_upheld = nullptr;
  const std::vector<Template>* conclusion_overturned = nullptr;
  const std::vector<Template>* mechanisms = nullptr;
  const std::vector<Template>* priors = nullptr;
  std::vector<std::string> workers, studies, levels, clevels, tlevels, numbers;
  std::vector<std::string> ingredients, bases, amounts;
  std::vector<std::string> states;
  std::vector<std::vector<std::string>> specialty_lists;    // the list form's specialties
  std::vector<std::pair<std::string, std::string>> boards;  // specialty, subspecialty ("" = none)
};

enum SummaryGroup { kOpening, kMechanism, kDiagnosesGroup, kVisit, kExamGroup, kImaging, kTreatment, kMedications,
                    kRedactedGroup, kPlan, kUr };
constexpr const char* kSummaryGroupNames[] = {"opening", "mechanism", "diagnoses", "visit", "exam", "imaging",
                                              "treatment", "medications", "redacted", "plan", "ur"};

Status load_params(const std::string& path, Params& p) {
  auto f = load_data_file(path);
  if (!f.ok()) return f.status();
  std::map<std::string, double*, std::less<>> rates = {
      {"overturned_rate", &p.overturned_rate}, {"partial_rate", &p.partial_rate},
      {"seed_shape_rate", &p.seed_shape_rate}, {"board_form_rate", &p.board_form_rate},
      {"expedited_rate", &p.expedited_rate}, {"no_citation_rate", &p.no_citation_rate},
      {"second_citation_rate", &p.second_citation_rate}, {"and_join_rate", &p.and_join_rate},
      {"preamble_rate", &p.preamble_rate}, {"redaction_rate", &p.redaction_rate},
      {"mechanism_rate", &p.mechanism_rate}, {"imaging_rate", &p.imaging_rate},
      {"medications_rate", &p.medications_rate}, {"exam_rate", &p.exam_rate}};
  for (const auto& l : f->lines) {
    std::vector<std::string> cols = split(l.text, '\t');
    if (cols.size() != 2) return f->error(l.number, "expected: name<TAB>value(s)");
    std::vector<std::string> values = text::split_list(cols[1], ' ');
    std::vector<double> nums;
    for (const auto& v : values) {
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || d < 0) return f->error(l.number, "not a number: " + v);
      nums.push_back(d);
    }
    if (nums.empty()) return f->error(l.number, "no value");
    if (auto it = rates.find(cols[0]); it != rates.end()) {
      if (nums.size() != 1 || nums[0] > 1) return f->error(l.number, cols[0] + " must be one rate in [0, 1]");
      *it->second = nums[0];
    } else if (cols[0] == "item_count_weights" || cols[0] == "injury_age_weights") {
      Weighted& w = cols[0] == "item_count_weights" ? p.item_counts : p.injury_years;
      for (double d : nums) w.add(static_cast<std::uint64_t>(d));
      if (w.empty()) return f->error(l.number, "weights are all zero");
    } else if (cols[0] == "widths") {
      for (double d : nums) p.widths.push_back(static_cast<int>(d));
    } else {
      return f->error(l.number, "unknown parameter " + cols[0]);
    }
  }
  if (p.item_counts.empty() || p.injury_years.empty() || p.widths.empty())
    return invalid_argument(path + ": item_count_weights, injury_age_weights and widths are required");
  return {};
}

// Does a treatments.tsv "regions" filter admit this region?
bool admits(const std::vector<std::string>& filter, const Region& r) {
  for (const auto& f : filter) {
    if (f == "any" || f == r.key) return true;
    if (f == "body" && r.key != "psych") return true;
    if (f == "spine" && r.spine) return true;
    if (f == "sided" && r.sided) return true;
  }
  return false;
}

struct GuidelineRow {
  int line;
  std::string key;
  CitationForm form;
  std::string title, edition, entries;
};

// Fills a guideline row's {placeholders} from the region. nullopt when the region lacks a value.
std::optional<std::vector<CitationSource>> resolve(const GuidelineRow& row, const Region& r) {
  auto value = [&](const std::string& field) -> std::optional<std::string> {
    if (field.size() < 2 || field.front() != '{' || field.back() != '}') return field;
    auto it = r.values.find(std::string_view(field).substr(1, field.size() - 2));
    if (it == r.values.end() || it->second == "-") return std::nullopt;
    return it->second;
  };
  std::vector<std::string> titles;
  if (row.title == "{odg}") titles = r.odg;
  else if (auto t = value(row.title)) titles.push_back(*t);
  auto edition = value(row.edition);
  std::vector<std::string> entries;
  if (row.entries == "{pages}") entries = r.pages;
  else if (row.entries != "-") entries = split(row.entries, '|');
  if (titles.empty() || !edition || (row.entries == "{pages}" && entries.empty())) return std::nullopt;
  std::vector<CitationSource> out;
  for (const auto& t : titles)
    out.push_back({row.form, t, *edition == "-" ? std::string() : *edition, entries});
  return out;
}

Result<std::unique_ptr<Vocabulary>> load_vocabulary(const std::string& data_dir) {
  auto v = std::make_unique<Vocabulary>();
  const std::string dir = data_dir + "/synth/";
  IMR_RETURN_IF_ERROR(load_params(dir + "params.tsv", v->params));

  struct Loaded { const char* name; Sections* into; };
  for (Loaded l : {Loaded{"summary.txt", &v->summary}, Loaded{"rationales.txt", &v->rationales},
                   Loaded{"words.txt", &v->words}, Loaded{"regions.txt", &v->region_words},
                   Loaded{"compounds.txt", &v->compounds}, Loaded{"reviewers.txt", &v->reviewers}}) {
    auto s = load_sections(dir + l.name);
    if (!s.ok()) return s.status();
    *l.into = std::move(*s);
  }
  // Resolves a required section or returns its error from this function.
#define IMR_SECTION(var, sections, file, name)              \
  do {                                                      \
    auto r_ = section(sections, dir + file, name);          \
    if (!r_.ok()) return r_.status();                       \
    var = *r_;                                              \
  } while (0)
#define IMR_STRINGS(var, sections, file, name)              \
  do {                                                      \
    auto r_ = section_strings(sections, dir + file, name);  \
    if (!r_.ok()) return r_.status();                       \
    var = std::move(*r_);                                   \
  } while (0)
  for (int g = 0; g < 11; ++g) IMR_SECTION(v->summary_groups[g], v->summary, "summary.txt", kSummaryGroupNames[g]);
  IMR_SECTION(v->generic_upheld, v->rationales, "rationales.txt", "upheld");
  IMR_SECTION(v->generic_overturned, v->rationales, "rationales.txt", "overturned");
  IMR_SECTION(v->partial, v->rationales, "rationales.txt", "partial");
  IMR_SECTION(v->conclusion_upheld, v->rationales, "rationales.txt", "conclusion.upheld");
  IMR_SECTION(v->conclusion_overturned, v->rationales, "rationales.txt", "conclusion.overturned");
  IMR_SECTION(v->mechanisms, v->words, "words.txt", "mechanism");
  IMR_SECTION(v->priors, v->words, "words.txt", "prior");
  IMR_STRINGS(v->workers, v->words, "words.txt", "worker");
  IMR_STRINGS(v->studies, v->words, "words.txt", "study");
  IMR_STRINGS(v->levels, v->words, "words.txt", "level");
  IMR_STRINGS(v->clevels, v->words, "words.txt", "clevel");
  IMR_STRINGS(v->tlevels, v->words, "words.txt", "tlevel");
  IMR_STRINGS(v->numbers, v->words, "words.txt", "number");
  IMR_STRINGS(v->ingredients, v->compounds, "compounds.txt", "ingredient");
  IMR_STRINGS(v->bases, v->compounds, "compounds.txt", "base");
  IMR_STRINGS(v->amounts, v->compounds, "compounds.txt", "amount");
  IMR_STRINGS(v->states, v->reviewers, "reviewers.txt", "state");
  // Reviewers, each with the regions of the cases they are sent (matched to regions below).
  std::vector<std::vector<std::string>> specialty_filters, board_filters;
  {
    std::vector<std::string> lines;
    IMR_STRINGS(lines, v->reviewers, "reviewers.txt", "specialties");
    for (const auto& l : lines) {
      auto cols = split(l, '\t');
      if (cols.size() != 2) return invalid_argument(dir + "reviewers.txt: [specialties] lines are specialties<TAB>regions");
      v->specialty_lists.push_back(text::split_list(cols[0], ','));
      specialty_filters.push_back(split(cols[1], '|'));
    }
    IMR_STRINGS(lines, v->reviewers, "reviewers.txt", "board");
    for (const auto& l : lines) {
      auto cols = split(l, '\t');
      if (cols.size() != 3)
        return invalid_argument(dir + "reviewers.txt: [board] lines are specialty<TAB>subspecialty<TAB>regions");
      v->boards.emplace_back(cols[0], cols[1] == "-" ? std::string() : cols[1]);
      board_filters.push_back(split(cols[2], '|'));
    }
  }

  // regions.tsv
  {
    auto f = load_data_file(dir + "regions.tsv");
    if (!f.ok()) return f.status();
    for (const auto& l : f->lines) {
      auto c = split(l.text, '\t');
      if (c.size() != 11) return f->error(l.number, "expected 11 columns, found " + std::to_string(c.size()));
      Region r;
      r.key = c[0];
      int weight = std::atoi(c[1].c_str());
      if (weight <= 0) return f->error(l.number, "weight must be a positive number");
      r.names = split(c[2], '|');
      r.sided = c[3] == "y";
      r.values = {{"mtus_title", c[4]}, {"mtus_ed", c[5]}, {"chapter", c[6]}, {"acoem", c[10]}};
      if (c[7] != "-") r.pages = split(c[7], '|');
      r.odg = split(c[8], '|');
      r.spine = c[9] == "y";
      using Field = std::pair<const std::vector<Template>**, const char*>;
      for (auto [field, name] : {Field{&r.diagnosis, "diagnosis"}, Field{&r.complaint, "complaint"},
                                 Field{&r.exam, "exam"}, Field{&r.imaging, "imaging"}}) {
        auto s = section(v->region_words, dir + "regions.txt", r.key + "." + name);
        if (!s.ok()) return s.status();
        *field = *s;
      }
      for (std::size_t i = 0; i < specialty_filters.size(); ++i)
        if (admits(specialty_filters[i], r)) r.specialty_ids.push_back(i);
      for (std::size_t i = 0; i < board_filters.size(); ++i)
        if (admits(board_filters[i], r)) r.board_ids.push_back(i);
      if (r.specialty_ids.empty() || r.board_ids.empty())
        return invalid_argument(dir + "reviewers.txt: no reviewer of each form for region " + r.key);
      v->regions.push_back(std::move(r));
      v->region_weights.add(static_cast<std::uint64_t>(weight));
    }
    if (v->regions.empty()) return invalid_argument(dir + "regions.tsv: no regions");
  }

  // drugs.tsv
  std::map<std::string, std::vector<const Drug*>, std::less<>> drugs_by_class;
  {
    auto f = load_data_file(dir + "drugs.tsv");
    if (!f.ok()) return f.status();
    for (const auto& l : f->lines) {
      auto c = split(l.text, '\t');
      if (c.size() != 3) return f->error(l.number, "expected class<TAB>name<TAB>strengths");
      v->drugs.push_back(std::make_unique<Drug>(Drug{c[1], split(c[2], '|')}));
      drugs_by_class[c[0]].push_back(v->drugs.back().get());
    }
  }

  // guidelines.tsv
  std::map<std::string, std::vector<GuidelineRow>, std::less<>> rows_by_key;
  {
    auto f = load_data_file(dir + "guidelines.tsv");
    if (!f.ok()) return f.status();
    for (const auto& l : f->lines) {
      auto c = split(l.text, '\t');
      if (c.size() != 5) return f->error(l.number, "expected 5 columns, found " + std::to_string(c.size()));
      CitationForm form;
      if (c[1] == "mtus") form = CitationForm::kMtus;
      else if (c[1] == "chapter") form = CitationForm::kChapter;
      else if (c[1] == "odg") form = CitationForm::kOdg;
      else if (c[1] == "acoem") form = CitationForm::kAcoem;
      else if (c[1] == "other") form = CitationForm::kOther;
      else return f->error(l.number, "unknown form " + c[1]);
      if (form == CitationForm::kChapter && c[4] == "-") return f->error(l.number, "a chapter citation needs pages");
      rows_by_key[c[0]].push_back({l.number, c[0], form, c[2], c[3], c[4]});
    }
  }

  // treatments.tsv
  {
    auto f = load_data_file(dir + "treatments.tsv");
    if (!f.ok()) return f.status();
    for (const auto& l : f->lines) {
      auto c = split(l.text, '\t');
      if (c.size() != 6) return f->error(l.number, "expected 6 columns, found " + std::to_string(c.size()));
      Treatment t;
      t.kind = c[0];
      int weight = std::atoi(c[1].c_str());
      if (weight <= 0) return f->error(l.number, "weight must be a positive number");
      auto keys = split(c[2], '|');
      auto filter = split(c[3], '|');
      if (c[4] != "-")
        for (const auto& q : split(c[4], '|')) {
          int n = std::atoi(q.c_str());
          if (n <= 0) return f->error(l.number, "quantities must be positive numbers");
          t.qty.push_back(n);
        }
      auto tpl = parse_template(c[5]);
      if (!tpl.ok()) return f->error(l.number, tpl.status().message());
      t.request = std::move(*tpl);
      bool counted = t.request.has(Slot::kQty) || t.request.has(Slot::kQtyWords);
      if (counted && t.qty.empty()) return f->error(l.number, "{qty} in the request but no quantities");
      t.countable = counted && std::any_of(t.qty.begin(), t.qty.end(), [](int q) { return q >= 2; });
      for (int q : t.qty)
        if (t.request.has(Slot::kQtyWords) && q >= static_cast<int>(v->numbers.size()))
          return f->error(l.number, "{qtyw} quantity " + std::to_string(q) + " has no number word in words.txt");
      if (t.request.has(Slot::kDrug)) {
        auto d = drugs_by_class.find(t.kind);
        if (d == drugs_by_class.end()) return f->error(l.number, "{drug} but drugs.tsv has no " + t.kind);
        t.drugs = d->second;
      }
      t.rationale = optional_section(v->rationales, "rationale." + keys[0]);
      if (!t.rationale) return invalid_argument(dir + "rationales.txt: missing section [rationale." + keys[0] + "]");
      t.upheld = optional_section(v->rationales, "upheld." + keys[0]);
      t.overturned = optional_section(v->rationales, "overturned." + keys[0]);
      t.sources.resize(v->regions.size());
      bool applies = false;
      for (std::size_t ri = 0; ri < v->regions.size(); ++ri) {
        const Region& r = v->regions[ri];
        if (!admits(filter, r)) continue;
        for (const auto& k : keys) {
          auto rows = rows_by_key.find(k);
          if (rows == rows_by_key.end()) return f->error(l.number, "guideline key " + k + " is not in guidelines.tsv");
          for (const auto& row : rows->second)
            if (auto s = resolve(row, r)) t.sources[ri].insert(t.sources[ri].end(), s->begin(), s->end());
        }
        if (t.sources[ri].empty())
          return f->error(l.number, "no guideline row of " + c[2] + " applies to region " + r.key);
        applies = true;
      }
      if (!applies) return f->error(l.number, "the regions filter " + c[3] + " admits no region");
      std::size_t id = v->treatments.size();
      v->treatments.push_back(std::move(t));
      for (std::size_t ri = 0; ri < v->regions.size(); ++ri) {
        if (v->treatments[id].sources[ri].empty()) continue;
        v->regions[ri].treatment_ids.push_back(id);
        v->regions[ri].treatments.add(static_cast<std::uint64_t>(weight));
        if (v->treatments[id].countable) {
          v->regions[ri].countable_ids.push_back(id);
          v->regions[ri].countable.add(static_cast<std::uint64_t>(weight));
        }
      }
    }
  }
  for (const auto& r : v->regions) {
    if (r.treatments.empty()) return invalid_argument(dir + "treatments.tsv: no treatment applies to region " + r.key);
    if (r.countable.empty())
      return invalid_argument(dir + "treatments.tsv: no treatment with a count applies to region " + r.key +
                              " (partial authorisations need one)");
  }
#undef IMR_SECTION
#undef IMR_STRINGS
  return v;
}

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), after H. Hinnant's civil-calendar algorithms.

int days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
}

std::string iso_date(int day) {
  int y, m, d;
  civil_from_days(day, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// How one letter writes dates in its summary: 12/06/2004, 12/06/04, 12-6-04, 12-6-2004, December 6, 2004.
enum class DateStyle { kSlash4, kSlash2, kDash2, kDash4, kLong };

void append_date(std::string& out, int day, DateStyle style) {
  static const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                  "August", "September", "October", "November", "December"};
  int y, m, d;
  civil_from_days(day, y, m, d);
  char buf[32];
  switch (style) {
    case DateStyle::kSlash4: std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", m, d, y); break;
    case DateStyle::kSlash2: std::snprintf(buf, sizeof buf, "%02d/%02d/%02d", m, d, y % 100); break;
    case DateStyle::kDash2: std::snprintf(buf, sizeof buf, "%d-%d-%02d", m, d, y % 100); break;
    case DateStyle::kDash4: std::snprintf(buf, sizeof buf, "%d-%d-%04d", m, d, y); break;
    case DateStyle::kLong: std::snprintf(buf, sizeof buf, "%s %d, %04d", kMonths[m - 1], d, y); break;
  }
  out += buf;
}

// ---------------------------------------------------------------------------------------------
// Generation

void capitalize(std::string& s, std::size_t at) {
  if (at < s.size() && s[at] >= 'a' && s[at] <= 'z') s[at] = static_cast<char>(s[at] - 'a' + 'A');
}

// "a", "a and b", "a, b and c" (the Oxford comma in some letters).
std::string join_list(const std::vector<std::string>& v, bool oxford) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? (oxford && v.size() > 2 ? ", and " : " and ") : ", ";
    out += v[i];
  }
  return out;
}

// k distinct indices of [0, n), in random order. REQUIRES k <= n.
std::vector<std::size_t> distinct(Rng& rng, std::size_t n, std::size_t k) {
  std::vector<std::size_t> out;
  while (out.size() < k) {
    std::size_t i = rng.below(n);
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  }
  return out;
}

struct LetterRegion {
  const Region* region;
  std::string side;  // always set; written only when the region is sided
  std::string name;  // "left shoulder", "lumbar spine"
};

struct ItemPlan {
  const Treatment* treatment;
  std::size_t region_index;  // into Vocabulary::regions
  int region_slot;           // into the letter's regions
  bool partial;              // partially authorised (the treatment is countable)
};

// Everything a template may ask for while one letter is made.
struct Context {
  Context(const Vocabulary& vocabulary, Rng& r) : v(vocabulary), rng(r) {}
  const Vocabulary& v;
  Rng& rng;
  // Letter
  std::string worker;
  bool male = true;
  int age = 0;
  int doi = 0, visit = 0, img = 0, ur = 0, rfa = 0;
  DateStyle style = DateStyle::kSlash4;
  std::string diagnoses, prior, meds, requests;
  std::vector<LetterRegion> regions;
  int exam_a = 0, exam_b = 0;
  // Current region (summary: the main one; items: the item's)
  const LetterRegion* region = nullptr;
  // Current item
  const Treatment* treatment = nullptr;
  int qty = 0;
  std::string cited;
  const std::string* request = nullptr;
  const std::string* authorized = nullptr;
  const std::string* original = nullptr;

  void expand(const Template& t, std::string& out) {
    for (const Piece& p : t.pieces) {
      switch (p.slot) {
        case Slot::kLiteral: out += p.text; break;
        case Slot::kChoice: out += rng.pick(p.choices); break;
        case Slot::kWorker: out += worker; break;
        case Slot::kWorkerCap: out += worker; capitalize(out, out.size() - worker.size()); break;
        case Slot::kAge: out += std::to_string(age); break;
        case Slot::kSex: out += male ? "male" : "female"; break;
        case Slot::kPerson: out += male ? "man" : "woman"; break;
        case Slot::kHe: out += male ? "he" : "she"; break;
        case Slot::kHeCap: out += male ? "He" : "She"; break;
        case Slot::kHis: out += male ? "his" : "her"; break;
        case Slot::kHisCap: out += male ? "His" : "Her"; break;
        case Slot::kHim: out += male ? "him" : "her"; break;
        case Slot::kDoi: append_date(out, doi, style); break;
        case Slot::kMechanism: expand(rng.pick(*v.mechanisms), out); break;
        case Slot::kDiagnoses: out += diagnoses; break;
        case Slot::kComplaint: expand(rng.pick(*region->region->complaint), out); break;
        case Slot::kExam: expand((*region->region->exam)[exam_a], out); break;
        case Slot::kExam2: expand((*region->region->exam)[exam_b], out); break;
        case Slot::kImagingFinding: expand(rng.pick(*region->region->imaging), out); break;
        case Slot::kStudy: out += rng.pick(v.studies); break;
        case Slot::kRegion: out += region->name; break;
        case Slot::kRegionCap: out += region->name; capitalize(out, out.size() - region->name.size()); break;
        case Slot::kSide: out += region->side; break;
        case Slot::kSideCap: out += region->side; capitalize(out, out.size() - region->side.size()); break;
        case Slot::kOnSide:
          if (region->side == "bilateral") out += "bilaterally";
          else out.append("on the ").append(region->side);
          break;
        case Slot::kVisitDate: append_date(out, visit, style); break;
        case Slot::kImgDate: append_date(out, img, style); break;
        case Slot::kUrDate: append_date(out, ur, style); break;
        case Slot::kRfaDate: append_date(out, rfa, style); break;
        case Slot::kDos: append_date(out, doi + static_cast<int>(rng.below(static_cast<std::uint64_t>(ur - doi) + 1)), style); break;
        case Slot::kPain: out += std::to_string(rng.between(4, 9)); break;
        case Slot::kPrior: out += prior; break;
        case Slot::kMeds: out += meds; break;
        case Slot::kRequests: out += requests; break;
        case Slot::kRedacted: break;  // the name is what the public letter removed
        case Slot::kN: out += std::to_string(rng.between(2, 12)); break;
        case Slot::kDeg: out += std::to_string(rng.between(8, 15) * 10); break;
        case Slot::kDeg2: out += std::to_string(rng.between(4, 11) * 10); break;
        case Slot::kLevel: out += rng.pick(v.levels); break;
        case Slot::kCLevel: out += rng.pick(v.clevels); break;
        case Slot::kTLevel: out += rng.pick(v.tlevels); break;
        case Slot::kCited: out += cited; break;
        case Slot::kRequest: if (request) out += *request; break;
        case Slot::kAuthorized: if (authorized) out += *authorized; break;
        case Slot::kOriginal: if (original) out += *original; break;
        case Slot::kDrug: {
          const Drug* d = treatment && !treatment->drugs.empty() ? rng.pick(treatment->drugs) : nullptr;
          if (d) {
            out += d->name;
            out += ' ';
            out += rng.pick(d->strengths);
          }
          break;
        }
        case Slot::kCompound: append_compound(out); break;
        case Slot::kQty: out += std::to_string(qty); break;
        case Slot::kQtyWords:
          if (qty >= 0 && static_cast<std::size_t>(qty) < v.numbers.size()) out += v.numbers[qty];
          else out += std::to_string(qty);
          break;
      }
    }
  }

  // "Flurbiprofen 20%, Baclofen 2%, Lidocaine 5% cream 180gm"
  void append_compound(std::string& out) {
    std::size_t k = 2 + rng.below(3);
    if (k > v.ingredients.size()) k = v.ingredients.size();
    auto idx = distinct(rng, v.ingredients.size(), k);
    for (std::size_t i = 0; i < idx.size(); ++i) {
      if (i) out += ", ";
      out += v.ingredients[idx[i]];
      out += '%';
    }
    out += ' ';
    out += rng.pick(v.bases);
    out += ' ';
    out += rng.pick(v.amounts);
  }

  std::string sentence(const Template& t) {
    std::string s;
    expand(t, s);
    capitalize(s, 0);
    return s;
  }
};

// One citation: its text as the letter writes it (after "Decision based on " / "Non-MTUS
// Citation ") and the record the reader must produce from it.
struct DrawnCitation {
  Citation record;
  CitationForm form;
  std::string text;  // without the leading "MTUS " of MTUS forms (added by the paragraph)
};

DrawnCitation draw_citation(const CitationSource& s, Rng& rng) {
  DrawnCitation c;
  c.form = s.form;
  c.record.title = s.title;
  switch (s.form) {
    case CitationForm::kMtus: {
      c.record.source = "MTUS";
      c.record.edition = s.edition;
      std::size_t k = 0;
      if (!s.entries.empty()) {
        double u = rng.unit();
        k = u < 0.25 ? 0 : u < 0.85 ? 1 : 2;
        if (k > s.entries.size()) k = s.entries.size();
      }
      for (std::size_t i : distinct(rng, s.entries.size(), k)) c.record.sections.push_back(s.entries[i]);
      c.text = s.title + " " + s.edition;
      if (!c.record.sections.empty()) {
        c.text += ", Section(s): ";
        for (std::size_t i = 0; i < c.record.sections.size(); ++i) c.text += (i ? ", " : "") + c.record.sections[i];
      }
      break;
    }
    case CitationForm::kChapter: {
      c.record.source = "MTUS";
      std::size_t k = s.entries.size() > 1 && rng.chance(0.3) ? 2 : 1;
      auto idx = distinct(rng, s.entries.size(), k);
      std::sort(idx.begin(), idx.end());
      for (std::size_t i : idx) c.record.pages.push_back(s.entries[i]);
      c.text = "ACOEM Chapter " + s.edition + " " + s.title + " Page(s): ";
      for (std::size_t i = 0; i < c.record.pages.size(); ++i) c.text += (i ? ", " : "") + c.record.pages[i];
      break;
    }
    case CitationForm::kOdg:
    case CitationForm::kAcoem: {
      bool odg = s.form == CitationForm::kOdg;
      c.record.source = odg ? "ODG" : "ACOEM";
      if (!s.entries.empty() && rng.chance(0.75)) c.record.sections.push_back(rng.pick(s.entries));
      if (odg) c.text = rng.chance(0.7) ? "Official Disability Guidelines (ODG) " : "Official Disability Guidelines (ODG), ";
      else c.text = "ACOEM ";
      c.text += s.title;
      if (!c.record.sections.empty()) c.text += ", " + c.record.sections[0];
      break;
    }
    case CitationForm::kOther:
      c.record.source = "other";
      c.text = s.title;
      break;
  }
  return c;
}

bool is_mtus(CitationForm f) { return f == CitationForm::kMtus || f == CitationForm::kChapter; }

// A "Claims Administrator guideline:" or "MAXIMUS guideline:" paragraph.
GuidelineBasis draw_basis(const Params& p, const std::vector<CitationSource>& sources, bool claims_administrator,
                          Rng& rng) {
  const char* actor = claims_administrator ? "The Claims Administrator" : "The Expert Reviewer";
  GuidelineBasis b;
  if (rng.chance(p.no_citation_rate)) {
    b.text = std::string(actor) + " did not cite any medical evidence for its decision.";
    return b;
  }
  std::vector<DrawnCitation> cites;
  std::size_t first = rng.below(sources.size());
  cites.push_back(draw_citation(sources[first], rng));
  if (sources.size() > 1 && rng.chance(p.second_citation_rate)) {
    std::size_t second = rng.below(sources.size() - 1);
    if (second >= first) ++second;
    cites.push_back(draw_citation(sources[second], rng));
  }
  // The letters name MTUS citations before the others.
  std::stable_sort(cites.begin(), cites.end(),
                   [](const DrawnCitation& a, const DrawnCitation& b) { return is_mtus(a.form) && !is_mtus(b.form); });
  std::string& t = b.text;
  bool any_mtus = is_mtus(cites[0].form);
  if (!any_mtus && rng.chance(p.preamble_rate)) {
    t += actor;
    t += rng.chance(0.5) ? " did not base their decision on the MTUS. "
                         : " based their decision on recommendation(s) outside of the MTUS Guidelines. ";
  }
  bool joined = cites.size() == 2 && cites[0].form == CitationForm::kMtus && cites[1].form == CitationForm::kMtus &&
                rng.chance(p.and_join_rate);
  if (joined) {
    t += "Decision based on MTUS " + cites[0].text + ", and " + cites[1].text + ".";
  } else {
    for (std::size_t i = 0; i < cites.size(); ++i) {
      if (i) t += ' ';
      t += is_mtus(cites[i].form) ? "Decision based on MTUS " : "Decision based on Non-MTUS Citation ";
      t += cites[i].text;
      if (t.back() != '.') t += '.';
    }
  }
  for (auto& c : cites) b.citations.push_back(std::move(c.record));
  return b;
}

// How a rationale names the guideline the reviewer cited ("{cited} recommend ...").
std::string cited_phrase(const std::optional<GuidelineBasis>& basis) {
  if (!basis || basis->citations.empty()) return "The guidelines";
  const Citation& c = basis->citations[0];
  if (c.source == "MTUS") {
    if (c.edition) return "The California MTUS " + c.title + " guidelines";
    return "The MTUS/ACOEM " + c.title + " guidelines";
  }
  if (c.source == "ODG") return "The Official Disability Guidelines";
  if (c.source == "ACOEM") return "The ACOEM practice guidelines";
  return "The guidelines";
}

// Appends a sentence with the letter's sentence spacing.
void add_sentence(std::string& out, const std::string& s, std::string_view gap) {
  if (s.empty()) return;
  if (!out.empty()) out += gap;
  out += s;
}

// Folds runs of white space to one space and trims, as the reader reports text. The generator's
// text is single lines of ASCII, so only spaces and tabs occur; most strings have no run at all.
void fold_in_place(std::string& s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  bool clean = !s.empty() && !space(s.front()) && !space(s.back()) && s.find('\t') == std::string::npos &&
               s.find("  ") == std::string::npos;
  if (clean) return;
  std::size_t w = 0;
  bool pending = false;
  for (char c : s) {
    if (space(c)) {
      pending = w > 0;
      continue;
    }
    if (pending) s[w++] = ' ';
    pending = false;
    s[w++] = c;
  }
  s.resize(w);
}

// The expected record as one JSON line, in the key order and escaping of to_json_line (a test
// checks the two agree byte for byte). Written here because nlohmann::json's tree costs more
// per letter than generating the letter, and synth must write a million of them.
class JsonLine {
 public:
  explicit JsonLine(std::string& out) : out_(out) {}
  void str(std::string_view s) {
    out_ += '"';
    std::size_t plain = 0;  // start of the run of characters that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out_ += buf;
        }
      }
    }
    out_.append(s.data() + plain, s.size() - plain);
    out_ += '"';
  }
  void opt(const std::optional<std::string>& s) {
    if (s) str(*s);
    else out_ += "null";
  }
  void list(const std::vector<std::string>& v) {
    out_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out_ += ',';
      str(v[i]);
    }
    out_ += ']';
  }
  void key(std::string_view k) {
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void raw(std::string_view s) { out_ += s; }
  void basis(const std::optional<GuidelineBasis>& b) {
    if (!b) return raw("null");
    raw("{");
    key("text");
    str(b->text);
    raw(",");
    key("citations");
    raw("[");
    for (std::size_t i = 0; i < b->citations.size(); ++i) {
      const Citation& c = b->citations[i];
      raw(i ? ",{" : "{");
      key("source"); str(c.source); raw(",");
      key("title"); str(c.title); raw(",");
      key("edition"); opt(c.edition); raw(",");
      key("sections"); list(c.sections); raw(",");
      key("pages"); list(c.pages); raw("}");
    }
    raw("]}");
  }

 private:
  std::string& out_;
};

void append_json_line(const Letter& l, std::string& out) {
  JsonLine j(out);
  j.raw("{"); j.key("source"); j.str(l.source);
  j.raw(","); j.key("template"); j.str(l.template_name);
  j.raw(","); j.key("case_number"); j.opt(l.case_number);
  j.raw(","); j.key("date_assigned"); j.opt(l.date_assigned);
  j.raw(","); j.key("decision_date"); j.opt(l.decision_date);
  j.raw(","); j.key("date_of_injury"); j.opt(l.date_of_injury);
  j.raw(","); j.key("ur_denial_date"); j.opt(l.ur_denial_date);
  j.raw(","); j.key("application_received"); j.opt(l.application_received);
  j.raw(","); j.key("priority");
  if (l.priority) j.str(to_string(*l.priority)); else j.raw("null");
  j.raw(","); j.key("reviewer");
  j.raw("{"); j.key("licensure_states"); j.list(l.reviewer.licensure_states);
  j.raw(","); j.key("specialties"); j.list(l.reviewer.specialties);
  j.raw(","); j.key("subspecialties"); j.list(l.reviewer.subspecialties);
  j.raw(","); j.key("board_certified");
  j.raw(!l.reviewer.board_certified ? "null" : *l.reviewer.board_certified ? "true" : "false");
  j.raw("},"); j.key("patient");
  j.raw("{"); j.key("age");
  if (l.patient.age) j.raw(std::to_string(*l.patient.age)); else j.raw("null");
  j.raw(","); j.key("sex");
  if (l.patient.sex) j.str(to_string(*l.patient.sex)); else j.raw("null");
  j.raw("},"); j.key("clinical_summary"); j.opt(l.clinical_summary);
  j.raw(","); j.key("items"); j.raw("[");
  for (std::size_t i = 0; i < l.items.size(); ++i) {
    const DisputedItem& it = l.items[i];
    j.raw(i ? ",{" : "{");
    j.key("request"); j.str(it.request);
    j.raw(","); j.key("original_request"); j.opt(it.original_request);
    j.raw(","); j.key("authorized_portion"); j.opt(it.authorized_portion);
    j.raw(","); j.key("decision"); j.str(to_string(it.decision));
    j.raw(","); j.key("claims_administrator_basis"); j.basis(it.claims_administrator_basis);
    j.raw(","); j.key("reviewer_basis"); j.basis(it.reviewer_basis);
    j.raw(","); j.key("rationale"); j.opt(it.rationale);
    j.raw("}");
  }
  j.raw("],"); j.key("warnings"); j.list(l.warnings);
  j.raw("}");
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct LetterSynthesizer::Impl {
  SynthOptions options;
  std::unique_ptr<Vocabulary> vocab;
  std::uint64_t perm_a = 1, perm_b = 0;  // case number = (a * index + b) mod 10^6, a bijection

  void generate(std::uint64_t index, SyntheticLetter& out) const;
};

LetterSynthesizer::LetterSynthesizer(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
LetterSynthesizer::LetterSynthesizer(LetterSynthesizer&&) noexcept = default;
LetterSynthesizer& LetterSynthesizer::operator=(LetterSynthesizer&&) noexcept = default;
LetterSynthesizer::~LetterSynthesizer() = default;

Result<LetterSynthesizer> LetterSynthesizer::create(const SynthOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (impl->options.data_dir.empty()) impl->options.data_dir = default_data_dir();
  auto vocab = load_vocabulary(impl->options.data_dir);
  if (!vocab.ok()) return vocab.status();
  impl->vocab = std::move(*vocab);
  // a must be coprime with 10^6 (odd and not a multiple of 5) for the map to be a permutation.
  std::uint64_t a = splitmix64(options.seed ^ 0xC0FFEEull) % kMaxLetters;
  if (a % 2 == 0) ++a;
  while (a % 5 == 0) a += 2;
  impl->perm_a = a % kMaxLetters;
  impl->perm_b = splitmix64(options.seed ^ 0xBADC0DEull) % kMaxLetters;
  return LetterSynthesizer(std::move(impl));
}

void LetterSynthesizer::generate(std::uint64_t index, SyntheticLetter& out) const { impl_->generate(index, out); }

void LetterSynthesizer::Impl::generate(std::uint64_t index, SyntheticLetter& out) const {
  const Vocabulary& v = *vocab;
  const Params& p = v.params;
  Rng rng(splitmix64(options.seed * 0x9E3779B97F4A7C15ull ^ splitmix64(index)));
  Context ctx(v, rng);

  char case_number[16];
  std::snprintf(case_number, sizeof case_number, "CM16-0%06llu",
                static_cast<unsigned long long>((perm_a * (index % kMaxLetters) + perm_b) % kMaxLetters));
  out.case_number = case_number;
  out.shape = options.shape == SynthShape::kSeed     ? TextShape::kSeed
              : options.shape == SynthShape::kHeader ? TextShape::kHeader
              : rng.chance(p.seed_shape_rate)        ? TextShape::kSeed
                                                     : TextShape::kHeader;

  // Dates: a 2016 case (CM16) assigned in 2016; decided 21-39 days later (median near 27).
  const int assigned = days_from_civil(2016, 1, 4) + static_cast<int>(rng.below(350));
  const int decided = assigned + 21 + static_cast<int>((rng.below(10) + rng.below(10)));
  ctx.ur = assigned - 5 - static_cast<int>(rng.below(36));
  const int received = ctx.ur + 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(assigned - ctx.ur)));
  const int years = static_cast<int>(p.injury_years.pick(rng));
  ctx.doi = ctx.ur - 40 - years * 365 - static_cast<int>(rng.below(300));
  ctx.img = ctx.doi + static_cast<int>(rng.below(static_cast<std::uint64_t>(ctx.ur - ctx.doi - 20)));
  ctx.visit = ctx.ur - 7 - static_cast<int>(rng.below(25));
  if (ctx.visit <= ctx.doi) ctx.visit = ctx.doi + 1;
  ctx.rfa = ctx.ur - 1 - static_cast<int>(rng.below(6));
  static constexpr DateStyle kStyles[] = {DateStyle::kSlash4, DateStyle::kSlash4, DateStyle::kSlash4,
                                          DateStyle::kSlash2, DateStyle::kDash2, DateStyle::kDash4, DateStyle::kLong};
  ctx.style = kStyles[rng.below(std::size(kStyles))];

  // The worker.
  ctx.male = rng.chance(0.55);
  ctx.age = std::max(18 + years, 24 + rng.between(0, 22) + rng.between(0, 22));
  ctx.worker = rng.pick(v.workers);

  // Body regions: a main one, sometimes a second.
  {
    std::size_t main = v.region_weights.pick(rng);
    std::vector<std::size_t> chosen{main};
    if (rng.chance(0.35)) {
      std::size_t second = v.region_weights.pick(rng);
      if (second != main) chosen.push_back(second);
    }
    for (std::size_t ri : chosen) {
      const Region& r = v.regions[ri];
      LetterRegion lr{&r, {}, {}};
      double u = rng.unit();
      lr.side = !r.sided || u < 0.9 ? (u < 0.45 ? "left" : "right") : "bilateral";
      lr.name = r.sided ? lr.side + " " + rng.pick(r.names) : rng.pick(r.names);
      ctx.regions.push_back(std::move(lr));
    }
  }

  // Disputed items.
  std::vector<ItemPlan> plans;
  const std::size_t item_count = p.item_counts.pick(rng) + 1;
  for (std::size_t i = 0; i < item_count; ++i) {
    int slot = ctx.regions.size() > 1 && rng.chance(0.3) ? 1 : 0;
    const Region& r = *ctx.regions[slot].region;
    std::size_t ri = static_cast<std::size_t>(&r - v.regions.data());
    // Partial authorisation is decided first, so partial_rate is the share of all items.
    bool partial = rng.chance(p.partial_rate);
    const Treatment* t = partial ? &v.treatments[r.countable_ids[r.countable.pick(rng)]]
                                 : &v.treatments[r.treatment_ids[r.treatments.pick(rng)]];
    plans.push_back({t, ri, slot, partial});
  }

  Letter& rec = out.expected;
  rec = Letter{};
  rec.template_name = "dwc-2016";
  rec.items.resize(item_count);
  std::vector<std::string> request_names;
  for (std::size_t i = 0; i < item_count; ++i) {
    const ItemPlan& plan = plans[i];
    DisputedItem& item = rec.items[i];
    ctx.treatment = plan.treatment;
    ctx.region = &ctx.regions[plan.region_slot];
    ctx.qty = plan.treatment->qty.empty() ? 0 : rng.pick(plan.treatment->qty);
    while (plan.partial && ctx.qty < 2) ctx.qty = rng.pick(plan.treatment->qty);  // a count of 1 cannot be split
    item.decision = rng.chance(p.overturned_rate) ? Decision::kOverturned : Decision::kUpheld;
    if (!plan.partial) {
      ctx.expand(plan.treatment->request, item.request);
      fold_in_place(item.request);
    } else {
      // The same draws with three counts: the original, the authorised part, the remainder.
      static constexpr int kFractionsPerTwelve[] = {3, 4, 6, 8};
      int original = ctx.qty;
      int authorized = original * kFractionsPerTwelve[rng.below(4)] / 12;
      authorized = std::clamp(authorized, 1, original - 1);
      const Rng saved = rng;
      std::string a, b, c;
      ctx.qty = original;
      ctx.expand(plan.treatment->request, a);
      rng = saved;
      ctx.qty = authorized;
      ctx.expand(plan.treatment->request, b);
      rng = saved;
      ctx.qty = original - authorized;
      ctx.expand(plan.treatment->request, c);
      fold_in_place(a);
      fold_in_place(b);
      fold_in_place(c);
      item.original_request = std::move(a);
      item.authorized_portion = std::move(b);
      item.request = std::move(c);
    }
    request_names.push_back(item.original_request ? *item.original_request : item.request);
    const auto& sources = plan.treatment->sources[plan.region_index];
    item.claims_administrator_basis = draw_basis(p, sources, true, rng);
    item.reviewer_basis = draw_basis(p, sources, false, rng);
  }

  // Letter-wide summary values.
  const std::string_view gap = rng.chance(0.3) ? "  " : " ";
  {
    std::vector<std::string> dx;
    for (const auto& lr : ctx.regions) {
      ctx.region = &lr;
      std::size_t k = 1 + rng.below(lr.region == ctx.regions[0].region ? 3 : 2);
      k = std::min(k, lr.region->diagnosis->size());
      for (std::size_t i : distinct(rng, lr.region->diagnosis->size(), k)) {
        std::string d;
        ctx.expand((*lr.region->diagnosis)[i], d);
        dx.push_back(std::move(d));
      }
    }
    bool oxford = rng.chance(0.5);
    ctx.diagnoses = join_list(dx, oxford);
    std::vector<std::string> prior;
    for (std::size_t i : distinct(rng, v.priors->size(), std::min<std::size_t>(v.priors->size(), 2 + rng.below(3)))) {
      std::string s;
      ctx.expand((*v.priors)[i], s);
      prior.push_back(std::move(s));
    }
    ctx.prior = join_list(prior, oxford);
    std::vector<std::string> meds;
    for (std::size_t i : distinct(rng, v.drugs.size(), 2 + rng.below(3))) {
      const Drug& d = *v.drugs[i];
      meds.push_back(rng.chance(0.5) ? d.name + " " + rng.pick(d.strengths) : d.name);
    }
    ctx.meds = join_list(meds, oxford);
    if (request_names.size() <= 4) {
      ctx.requests = join_list(request_names, oxford);
    } else {
      std::vector<std::string> first(request_names.begin(), request_names.begin() + 3);
      first.push_back(std::to_string(request_names.size() - 3) + " other items");
      ctx.requests = join_list(first, oxford);
    }
    const Region& main = *ctx.regions[0].region;
    auto exams = distinct(rng, main.exam->size(), std::min<std::size_t>(2, main.exam->size()));
    ctx.exam_a = static_cast<int>(exams[0]);
    ctx.exam_b = static_cast<int>(exams.back());
  }

  // Rationales.
  for (std::size_t i = 0; i < item_count; ++i) {
    DisputedItem& item = rec.items[i];
    const Treatment& t = *plans[i].treatment;
    ctx.treatment = &t;
    ctx.region = &ctx.regions[plans[i].region_slot];
    ctx.cited = cited_phrase(item.reviewer_basis);
    ctx.request = &item.request;
    ctx.authorized = item.authorized_portion ? &*item.authorized_portion : nullptr;
    ctx.original = item.original_request ? &*item.original_request : nullptr;
    const bool upheld = item.decision == Decision::kUpheld;
    std::string r;
    std::size_t k = std::min<std::size_t>(t.rationale->size(), 1 + rng.below(2));
    for (std::size_t j : distinct(rng, t.rationale->size(), k)) add_sentence(r, ctx.sentence((*t.rationale)[j]), gap);
    const auto* specific = upheld ? t.upheld : t.overturned;
    const auto* generic = upheld ? v.generic_upheld : v.generic_overturned;
    if (specific && rng.chance(0.6)) add_sentence(r, ctx.sentence(rng.pick(*specific)), gap);
    k = std::min<std::size_t>(generic->size(), 1 + rng.below(2));
    for (std::size_t j : distinct(rng, generic->size(), k)) add_sentence(r, ctx.sentence((*generic)[j]), gap);
    if (item.original_request) add_sentence(r, ctx.sentence(rng.pick(*v.partial)), gap);
    add_sentence(r, ctx.sentence(rng.pick(upheld ? *v.conclusion_upheld : *v.conclusion_overturned)), gap);
    item.rationale = std::move(r);
  }
  ctx.request = ctx.authorized = ctx.original = nullptr;

  // Clinical case summary: the groups in order, each with its probability.
  {
    ctx.region = &ctx.regions[0];
    const double rates[] = {1.0, p.mechanism_rate, 0.9, 0.9, p.exam_rate, p.imaging_rate, 0.8,
                            p.medications_rate, p.redaction_rate, 0.7, 0.85};
    std::string s;
    for (int g = 0; g < 11; ++g) {
      if (g > 0 && !rng.chance(rates[g])) continue;
      add_sentence(s, ctx.sentence(rng.pick(*v.summary_groups[g])), gap);
    }
    rec.clinical_summary = std::move(s);
  }

  // Reviewer: from a specialty that treats the main region.
  const Region& main_region = *ctx.regions[0].region;
  if (rng.chance(p.board_form_rate)) {
    const auto& b = v.boards[rng.pick(main_region.board_ids)];
    rec.reviewer.board_certified = true;
    rec.reviewer.specialties = {b.first};
    if (!b.second.empty()) rec.reviewer.subspecialties = {b.second};
    rec.reviewer.licensure_states = {rng.chance(0.85) ? std::string("California") : rng.pick(v.states)};
    if (rng.chance(0.25)) {
      const std::string& other = rng.pick(v.states);
      if (other != rec.reviewer.licensure_states[0]) rec.reviewer.licensure_states.push_back(other);
    }
  } else {
    std::vector<std::string>& states = rec.reviewer.licensure_states;
    if (rng.chance(0.8)) states.push_back("California");
    std::size_t extra = states.empty() ? 1 + rng.below(3) : rng.below(3);
    for (std::size_t i = 0; i < extra; ++i) {
      const std::string& s = rng.pick(v.states);
      if (std::find(states.begin(), states.end(), s) == states.end())
        states.insert(states.begin() + static_cast<long>(rng.below(states.size() + 1)), s);
    }
    rec.reviewer.specialties = v.specialty_lists[rng.pick(main_region.specialty_ids)];
  }

  // Header.
  rec.case_number = out.case_number;
  rec.date_assigned = iso_date(assigned);
  rec.decision_date = iso_date(decided);
  rec.date_of_injury = iso_date(ctx.doi);
  rec.ur_denial_date = iso_date(ctx.ur);
  rec.application_received = iso_date(received);
  rec.priority = rng.chance(p.expedited_rate) ? Priority::kExpedited : Priority::kStandard;
  rec.patient.age = ctx.age;
  rec.patient.sex = ctx.male ? Sex::kMale : Sex::kFemale;

  RenderOptions ro;
  ro.shape = out.shape;
  ro.width = rng.pick(p.widths);
  out.text = render_letter(rec, ro);

  // The expected record: what the letter carries, as the reader reports it (white space folded).
  if (out.shape == TextShape::kSeed) {
    rec.case_number.reset();
    rec.date_assigned.reset();
    rec.decision_date.reset();
    rec.ur_denial_date.reset();
    rec.application_received.reset();
    rec.priority.reset();
  }
  fold_in_place(*rec.clinical_summary);
  for (auto& item : rec.items) {
    fold_in_place(*item.rationale);
    fold_in_place(item.claims_administrator_basis->text);
    fold_in_place(item.reviewer_basis->text);
  }
}

// ---------------------------------------------------------------------------------------------

std::string default_data_dir() { return data_dir(); }

namespace {

// Writes a whole file with plain POSIX calls, relative to its open directory: at a million small
// files, stdio's per-file buffer, the temp-file-and-rename of files::write_file and walking the
// full path again for every file cost more than the writing. `path` is for messages.
Status write_whole(int dir_fd, const char* name, const std::string& path, std::string_view data) {
  int fd = ::openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(path + ": cannot create: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = io_error(path + ": write failed: " + std::strerror(errno));
      ::close(fd);
      return s;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return io_error(path + ": write failed: " + std::strerror(errno));
  return {};
}

}  // namespace

Result<SynthStats> write_synthetic_letters(const SynthOptions& options, std::uint64_t count,
                                           const std::string& out_dir) {
  if (count > LetterSynthesizer::kMaxLetters)
    return invalid_argument("at most " + std::to_string(LetterSynthesizer::kMaxLetters) +
                            " letters per seed (case numbers have six free digits)");
  auto synth = LetterSynthesizer::create(options);
  if (!synth.ok()) return synth.status();
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return io_error(out_dir + ": cannot create directory: " + ec.message());
  const std::string expected_path = out_dir + "/expected.jsonl";
  std::FILE* expected = std::fopen(expected_path.c_str(), "wb");
  if (!expected) return io_error(expected_path + ": cannot create: " + std::strerror(errno));
  std::setvbuf(expected, nullptr, _IOFBF, 1 << 20);

  // Creating a small file costs the kernel about as much as generating the letter, so the two
  // overlap: a second thread generates letters into a ring of slots while this one writes them,
  // in index order. Memory is bounded by the ring whatever the count.
  struct Slot {
    SyntheticLetter letter;
    std::string rel;   // path relative to out_dir
    std::string json;  // the expected record's line
    bool end = false;  // no more letters
  };
  constexpr std::size_t kSlots = 64;
  std::vector<Slot> ring(kSlots);
  std::counting_semaphore<kSlots> free_slots(kSlots);
  std::counting_semaphore<kSlots> filled(0);
  std::atomic<bool> stop{false};

  std::thread producer([&] {
    std::uint64_t i = 0;
    for (; i < count && !stop.load(std::memory_order_relaxed); ++i) {
      free_slots.acquire();
      Slot& slot = ring[i % kSlots];
      synth->generate(i, slot.letter);
      char sub[32];
      std::snprintf(sub, sizeof sub, "%03llu/", static_cast<unsigned long long>(i / 1000));
      slot.rel.assign(sub).append(slot.letter.case_number).append(".txt");
      slot.letter.expected.source = slot.rel;
      slot.json.clear();
      append_json_line(slot.letter.expected, slot.json);
      slot.json += '\n';
      slot.end = false;
      filled.release();
    }
    free_slots.acquire();
    ring[i % kSlots].end = true;
    filled.release();
  });

  SynthStats stats;
  Status status;
  std::string path;
  int dir_fd = -1;  // the current subdirectory
  for (std::uint64_t i = 0;; ++i) {
    filled.acquire();
    Slot& slot = ring[i % kSlots];
    if (slot.end) break;
    if (status.ok()) {
      if (i % 1000 == 0) {
        std::string sub = out_dir + "/" + slot.rel.substr(0, slot.rel.find('/'));
        std::filesystem::create_directories(sub, ec);
        if (dir_fd >= 0) ::close(dir_fd);
        dir_fd = ec ? -1 : ::open(sub.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0) status = io_error(sub + ": cannot create directory: " + (ec ? ec.message() : std::strerror(errno)));
      }
      if (status.ok()) {
        path.assign(out_dir).append("/").append(slot.rel);
        status = write_whole(dir_fd, slot.rel.c_str() + slot.rel.find('/') + 1, path, slot.letter.text);
      }
      if (status.ok() && std::fwrite(slot.json.data(), 1, slot.json.size(), expected) != slot.json.size())
        status = io_error(expected_path + ": write failed: " + std::strerror(errno));
      if (status.ok()) {
        stats.bytes += slot.letter.text.size();
        ++stats.letters;
      } else {
        stop.store(true, std::memory_order_relaxed);  // drain what is in flight, write nothing more
      }
    }
    free_slots.release();
  }
  producer.join();
  if (dir_fd >= 0) ::close(dir_fd);
  if (std::fclose(expected) != 0 && status.ok()) status = io_error(expected_path + ": write failed");
  if (!status.ok()) return status;
  return stats;
}

}  // namespace imr::letter

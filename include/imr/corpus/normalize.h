// Normalisation of disputed items: what makes the corpus answerable by category, body region,
// drug and guideline. The rules are data files under data/normalize/ (loaded once, tested in
// tests/corpus/normalize_test.cc); this header is the only way the store and engine reach them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "imr/base/result.h"
#include "imr/letter/record.h"

namespace imr::corpus {

// DWC annual-report categories. `category` is one of:
//   "Pharmaceuticals", "DMEPOS", "Diagnostic tests", "Physical medicine", "Injections", "Surgery",
//   "Evaluation and management", "Behavioral health", "Programs", "Home health", "Other"
// `subcategory` is finer ("Opioids", "Imaging", "Acupuncture", "Epidural", ...), see data files.
struct Drug {
  std::string name;                     // generic or brand as written, lower-case ("norco")
  std::optional<std::string> strength;  // "10/325mg"
  std::optional<int> quantity;          // "#60" -> 60
};

struct NormalizedItem {
  std::string category;
  std::string subcategory;
  std::string body_region;  // cervical, thoracic, lumbar, shoulder, elbow, wrist/hand, hip, knee,
                            // ankle/foot, head, multiple, unspecified
  std::optional<Drug> drug;
  bool retrospective = false;
  std::optional<int> sessions;  // therapies: number of sessions or visits requested
};

// A citation mapped into the guideline catalog, e.g. key "MTUS/Chronic Pain Medical Treatment
// Guidelines", "MTUS/ACOEM Low Back Complaints (Chapter 12)", "ODG/Low Back".
struct CatalogCitation {
  std::string key;        // stable identifier used for grouping and statistics
  std::string source;     // MTUS | ODG | ACOEM | other
  std::string guideline;  // human-readable catalog name
  std::optional<std::string> topic;  // ODG topic or MTUS section when present
};

class Normalizer {
 public:
  // Loads the rules from `data_dir` (default: the build's IMR_DATA_DIR). kInvalidArgument naming
  // the file and line when a rule file is malformed.
  static Result<Normalizer> load(const std::string& data_dir = "");
  NormalizedItem normalize(const letter::DisputedItem& item) const;
  CatalogCitation catalog(const letter::Citation& citation) const;

  struct Rules;  // opaque
  Normalizer(const Normalizer&);
  Normalizer& operator=(const Normalizer&);
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;
  ~Normalizer();

 private:
  explicit Normalizer(Rules* rules);
  Rules* rules_;
};

}  // namespace imr::corpus

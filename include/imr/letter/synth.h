// Synthetic Final Determination Letters: realistic, varied letters written from the project's own
// vocabulary (data/synth/), each with the record reading it must give. They let the reader be
// tested and benchmarked on far more letters, and more kinds of letter, than the corpus holds.
//
// Determinism: a letter is a pure function of (seed, vocabulary files, index). The same seed gives
// byte-identical letters on every platform (the PRNG is std::mt19937_64 and every distribution is
// the generator's own, not the standard library's).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "imr/base/result.h"
#include "imr/letter/record.h"
#include "imr/letter/writer.h"

namespace imr::letter {

enum class SynthShape {
  kMixed,   // some letters in each shape (params.tsv seed_shape_rate in the seed shape)
  kHeader,  // every letter with the header block
  kSeed,    // every letter in the seed shape
};

struct SynthOptions {
  std::uint64_t seed = 1;
  SynthShape shape = SynthShape::kMixed;
  // Folder holding synth/ (the vocabulary); empty means default_data_dir().
  std::string data_dir;
};

// One generated letter.
struct SyntheticLetter {
  std::string case_number;  // "CM16-0xxxxxx"; unique among the letters of one seed
  TextShape shape = TextShape::kHeader;
  std::string text;         // the letter as render_letter wrote it
  // What reading `text` must give. source is empty (the caller names the file), template is
  // "dwc-2016", warnings empty. In the seed shape there is no header block, so case number,
  // dates other than the injury date (stated in the summary) and priority are absent.
  Letter expected;
};

class LetterSynthesizer {
 public:
  // Case numbers have six free digits, so one seed yields at most this many distinct letters.
  static constexpr std::uint64_t kMaxLetters = 1000000;

  // Loads and checks the vocabulary. Fails with kNotFound for a missing file and kInvalidArgument
  // for a malformed one, naming the file and line.
  static Result<LetterSynthesizer> create(const SynthOptions& options);

  LetterSynthesizer(LetterSynthesizer&&) noexcept;
  LetterSynthesizer& operator=(LetterSynthesizer&&) noexcept;
  ~LetterSynthesizer();

  // Letter number `index` of this seed. Independent of every other index, so letters may be
  // made in any order or on several threads (the object is immutable; generate is thread-safe).
  // `out` is overwritten; passing the same object again reuses its buffers.
  // REQUIRES: index < kMaxLetters.
  void generate(std::uint64_t index, SyntheticLetter& out) const;

 private:
  struct Impl;
  explicit LetterSynthesizer(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

struct SynthStats {
  std::uint64_t letters = 0;
  std::uint64_t bytes = 0;  // letter text written (expected.jsonl not counted)
};

// Writes letters 0..count-1 as out_dir/<nnn>/<case number>.txt, 1,000 letters per subdirectory
// (nnn = index / 1000, three digits), and out_dir/expected.jsonl: one record per letter in index
// order, whose "source" is the letter's path relative to out_dir. Streams: memory stays bounded
// whatever the count. Fails with kInvalidArgument when count > kMaxLetters and kIoError when a
// file cannot be written.
Result<SynthStats> write_synthetic_letters(const SynthOptions& options, std::uint64_t count,
                                           const std::string& out_dir);

// Where data files live: imr::data_dir() ($IMR_DATA_DIR when set, else the build's IMR_DATA_DIR).
std::string default_data_dir();

}  // namespace imr::letter

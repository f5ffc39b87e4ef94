// imr synth --count N --seed S --out DIR [--shape mixed|header|seed]: synthetic letters.
//
// Writes N generated letters under DIR (subdirectories of 1,000) and DIR/expected.jsonl, the
// record each letter must read back to. The same seed writes the same bytes.
#include <chrono>
#include <cstdio>
#include <iostream>

#include "imr/letter/synth.h"
#include "verbs.h"

namespace imr::cli {

void add_synth(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("synth", "Generate synthetic letters and the records they must read back to");
  static std::uint64_t count = 0;
  static std::uint64_t seed = 1;
  static std::string out_dir;
  static std::string shape = "mixed";
  cmd->add_option("--count", count, "How many letters (at most 1,000,000 per seed)")
      ->required()
      ->check(CLI::Range(std::uint64_t{0}, letter::LetterSynthesizer::kMaxLetters));
  cmd->add_option("--seed", seed, "Seed: the same seed gives the same letters");
  cmd->add_option("--out", out_dir, "Directory to write into (created if missing)")->required();
  cmd->add_option("--shape", shape, "mixed (default), header or seed")->check(CLI::IsMember({"mixed", "header", "seed"}));
  cmd->callback([&action] {
    action = [] {
      letter::SynthOptions options;
      options.seed = seed;
      options.shape = shape == "header" ? letter::SynthShape::kHeader
                      : shape == "seed" ? letter::SynthShape::kSeed
                                        : letter::SynthShape::kMixed;
      auto start = std::chrono::steady_clock::now();
      auto stats = letter::write_synthetic_letters(options, count, out_dir);
      if (!stats.ok()) {
        std::cerr << "imr synth: " << stats.status().message() << "\n";
        return exit_code(stats.status());
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "imr synth: wrote %llu letters (%.1f MB) and expected.jsonl to %s in %.2f s (%.0f letters/s)\n",
                   static_cast<unsigned long long>(stats->letters), static_cast<double>(stats->bytes) / 1e6,
                   out_dir.c_str(), seconds, seconds > 0 ? static_cast<double>(stats->letters) / seconds : 0.0);
      return 0;
    };
  });
}

}  // namespace imr::cli

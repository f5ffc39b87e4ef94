// imr render [--shape header|seed] [--width N] [--out DIR] [FILE.jsonl ...|-]: records -> letters.
//
// Reads records (JSON Lines, as `imr parse` prints them) from the files named, or standard input
// for "-" or no file, and writes each as a Final Determination Letter: to standard output, letters
// separated by a line holding one form feed, or with --out one file per record in DIR named after
// its case number (else its position in the input, from 1). A line that is not a record is
// reported on standard error with its input and line number; the others still render (exit 1).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "imr/base/files.h"
#include "imr/letter/json.h"
#include "imr/letter/writer.h"
#include "verbs.h"

namespace imr::cli {
namespace {

// A case number made safe as a file name (it comes from input).
std::string file_stem(const letter::Letter& l, std::size_t position) {
  std::string s = l.case_number.value_or("");
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  if (s.empty() || s[0] == '.') s = std::to_string(position);
  return s;
}

}  // namespace

void add_render(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("render", "Write records (JSON Lines) back as letter text");
  static std::vector<std::string> inputs;
  static std::string shape = "header";
  static std::string out_dir;
  static int width = letter::RenderOptions{}.width;
  cmd->add_option("inputs", inputs, "Record files (.jsonl); - or none for standard input");
  cmd->add_option("--shape", shape, "header: header block then the body (default); seed: the seed letters' shape")
      ->check(CLI::IsMember({"header", "seed"}));
  cmd->add_option("--width", width, "Wrap paragraphs at this many characters")->check(CLI::Range(20, 1000));
  cmd->add_option("--out", out_dir, "Write one <case number>.txt per record into this directory");
  cmd->callback([&action] {
    action = [] {
      letter::RenderOptions options;
      options.shape = shape == "seed" ? letter::TextShape::kSeed : letter::TextShape::kHeader;
      options.width = width;
      if (!out_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(out_dir, ec);
        if (ec) {
          std::cerr << "imr render: " << out_dir << ": cannot create directory: " << ec.message() << "\n";
          return exit_code(io_error(""));
        }
      }
      std::vector<std::string> names = inputs.empty() ? std::vector<std::string>{"-"} : inputs;
      int rc = 0;
      std::size_t position = 0;  // records rendered so far, all inputs
      std::set<std::string> used;
      for (const auto& name : names) {
        std::ifstream file;
        if (name != "-") {
          file.open(name, std::ios::binary);
          if (!file) {
            std::cerr << "imr render: " << name << ": cannot open\n";
            rc = std::max(rc, 1);
            continue;
          }
        }
        std::istream& in = name == "-" ? std::cin : file;
        const std::string shown = name == "-" ? "<stdin>" : name;
        std::string line;
        for (std::size_t line_no = 1; std::getline(in, line); ++line_no) {
          if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
          auto record = letter::letter_from_json(line);
          if (!record.ok()) {
            std::cerr << "imr render: " << shown << ":" << line_no << ": " << record.status().message() << "\n";
            rc = std::max(rc, 1);
            continue;
          }
          ++position;
          std::string text = letter::render_letter(*record, options);
          if (out_dir.empty()) {
            if (position > 1) std::fputs("\f\n", stdout);
            std::fwrite(text.data(), 1, text.size(), stdout);
            continue;
          }
          std::string stem = file_stem(*record, position);
          if (!used.insert(stem).second) stem += "-" + std::to_string(position);  // repeated case number
          used.insert(stem);
          Status s = files::write_file(out_dir + "/" + stem + ".txt", text);
          if (!s.ok()) {
            std::cerr << "imr render: " << s.message() << "\n";
            return exit_code(s);
          }
        }
      }
      std::fflush(stdout);
      return rc;
    };
  });
}

}  // namespace imr::cli

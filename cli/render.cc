// imr render [--shape header|seed] [--width N] [--out DIR] [--pdf] [--redact NAMES.json]
//            [--redact-name [ROLE:]NAME ...] [--redact-style role|gap|marker] [FILE.jsonl ...|-]
//
// Reads records (JSON Lines, as `imr parse` prints them) from the files named, or standard input
// for "-" or no file, and writes each as a Final Determination Letter: to standard output, letters
// separated by a line holding one form feed, or with --out one file per record in DIR named after
// its case number (else its position in the input, from 1). --pdf writes <name>.pdf files instead
// of text (pdf_writer.h) and needs --out. A line that is not a record is reported on standard
// error with its input and line number; the others still render (exit 1).
//
// Redaction (redact.h): --redact names a JSON file of parties ({"worker": "...", "physicians":
// [...], ...} or [{"name": ..., "role": ...}, ...]); --redact-name adds one, "worker:John Smith"
// with a role or a bare name (role other). Every record is redacted before it is rendered, so what
// is written is the public version. Bad party lists are a usage error (exit 2), before any output.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "imr/base/files.h"
#include "imr/letter/json.h"
#include "imr/letter/pdf_writer.h"
#include "imr/letter/redact.h"
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

// The parties from --redact and --redact-name.
Result<std::vector<letter::Party>> load_parties(const std::string& file, const std::vector<std::string>& names) {
  std::vector<letter::Party> parties;
  if (!file.empty()) {
    auto text = files::read_file(file);
    if (!text.ok()) return text.status();
    auto p = letter::parties_from_json(*text);
    if (!p.ok()) return p.status().with_context(file);
    parties = std::move(*p);
  }
  for (const std::string& n : names) {
    letter::Party party{n, letter::PartyRole::kOther};
    if (auto colon = n.find(':'); colon != std::string::npos) {
      if (auto role = letter::parse_party_role(n.substr(0, colon))) {
        party.role = *role;
        party.name = n.substr(colon + 1);
      }
    }
    parties.push_back(std::move(party));
  }
  // Checks every name now (a bad one is a usage error before anything is written).
  auto check = letter::redact_text("", parties);
  if (!check.ok()) return check.status();
  return parties;
}

}  // namespace

void add_render(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("render", "Write records (JSON Lines) back as letters (text or PDF), optionally redacted");
  static std::vector<std::string> inputs;
  static std::string shape = "header";
  static std::string out_dir;
  static int width = letter::RenderOptions{}.width;
  static bool pdf = false;
  static std::string redact_file;
  static std::vector<std::string> redact_names;
  static std::string redact_style = "role";
  cmd->add_option("inputs", inputs, "Record files (.jsonl); - or none for standard input");
  cmd->add_option("--shape", shape, "header: header block then the body (default); seed: the seed letters' shape")
      ->check(CLI::IsMember({"header", "seed"}));
  cmd->add_option("--width", width, "Wrap paragraphs at this many characters")->check(CLI::Range(20, 1000));
  cmd->add_option("--out", out_dir, "Write one <case number>.txt (or .pdf) per record into this directory");
  cmd->add_flag("--pdf", pdf, "Write PDF letters (2016 layout) into --out instead of text");
  cmd->add_option("--redact", redact_file,
                  "JSON file of parties whose names are removed: {\"worker\": ..., \"physicians\": [...], "
                  "\"employer\": ..., \"attorneys\": [...], \"other\": [...]}");
  cmd->add_option("--redact-name", redact_names, "A name to remove, as ROLE:NAME (worker, physician, employer, "
                                                 "attorney, other) or NAME; repeatable")
      ->allow_extra_args(false);  // one name per flag: the record files that follow are inputs
  cmd->add_option("--redact-style", redact_style, "role: role phrases (default); gap: name words cut out; marker: [REDACTED]")
      ->check(CLI::IsMember({"role", "gap", "marker"}));
  cmd->callback([&action] {
    action = [] {
      letter::RenderOptions options;
      options.shape = shape == "seed" ? letter::TextShape::kSeed : letter::TextShape::kHeader;
      options.width = width;
      if (pdf && out_dir.empty()) {
        std::cerr << "imr render: --pdf writes files: give --out DIR\n";
        return exit_code(invalid_argument(""));
      }
      const bool redacting = !redact_file.empty() || !redact_names.empty();
      std::vector<letter::Party> parties;
      letter::RedactOptions redact_options;
      redact_options.style = redact_style == "gap"      ? letter::RedactStyle::kGap
                             : redact_style == "marker" ? letter::RedactStyle::kMarker
                                                        : letter::RedactStyle::kRole;
      if (redacting) {
        auto p = load_parties(redact_file, redact_names);
        if (!p.ok()) {
          std::cerr << "imr render: " << p.status().message() << "\n";
          // An unreadable file is an I/O error; a malformed list is wrong usage.
          return exit_code(p.status().code() == Code::kIoError || p.status().code() == Code::kNotFound
                               ? p.status()
                               : invalid_argument(""));
        }
        parties = std::move(*p);
      }
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
          if (redacting) {
            auto red = letter::redact_letter(*record, parties, redact_options);
            if (!red.ok()) {  // names were checked above; this is a bug
              std::cerr << "imr render: " << red.status().message() << "\n";
              return exit_code(red.status());
            }
            record = std::move(red);
          }
          ++position;
          std::string content;
          if (pdf) {
            auto bytes = letter::render_letter_pdf(*record);
            if (!bytes.ok()) {
              std::cerr << "imr render: " << shown << ":" << line_no << ": " << bytes.status().message() << "\n";
              return exit_code(bytes.status());
            }
            content = std::move(*bytes);
          } else {
            content = letter::render_letter(*record, options);
          }
          if (out_dir.empty()) {
            if (position > 1) std::fputs("\f\n", stdout);
            std::fwrite(content.data(), 1, content.size(), stdout);
            continue;
          }
          std::string stem = file_stem(*record, position);
          if (!used.insert(stem).second) stem += "-" + std::to_string(position);  // repeated case number
          used.insert(stem);
          Status s = files::write_file(out_dir + "/" + stem + (pdf ? ".pdf" : ".txt"), content);
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

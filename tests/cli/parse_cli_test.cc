// `imr parse` on bad input, run as a child process the way a user runs it: every bad input gets
// exactly one stderr line naming the file and the reason, exit status 1 (2 for wrong usage), every
// good file's record is still printed, nothing crashes and nothing hangs (a watchdog kills the child
// after 60 s and fails the test). All inputs are written into a temp dir at test time.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// Running the binary

struct ChildRun {
  int exit_code = -1;      // valid when !signaled && !timed_out
  int signal = 0;          // the signal that ended the child, 0 when it exited
  bool timed_out = false;  // the watchdog killed it
  double seconds = 0;
  std::string out, err;

  std::vector<std::string> err_lines() const { return split_lines(err); }
  std::vector<std::string> out_lines() const { return split_lines(out); }
  static std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> v;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) v.push_back(line);
    return v;
  }
};

std::ostream& operator<<(std::ostream& os, const ChildRun& r) {
  return os << "exit " << r.exit_code << " signal " << r.signal << (r.timed_out ? " TIMED OUT" : "") << " after "
            << r.seconds << " s\n--- stderr ---\n"
            << r.err.substr(0, 4000) << "--- stdout (" << r.out.size() << " bytes) ---\n"
            << r.out.substr(0, 1000);
}

// fork/exec IMR_BINARY with `args`, collecting stdout and stderr; SIGKILL after `limit`.
ChildRun run_imr(const std::vector<std::string>& args, std::chrono::seconds limit = std::chrono::seconds(60)) {
  ChildRun r;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe: " << std::strerror(errno);
    return r;
  }
  std::vector<std::string> argv_s = {IMR_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  auto deadline = start + limit;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[1 << 16];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fds[k].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[k]->append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[k].fd);
        fds[k].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Inputs

// A small letter in the 2016 layout (header block one label per line), written for these tests.
struct Item {
  std::string request;
  bool overturned;
};

std::string letter_text(const std::string& case_number, int age, bool female, const std::vector<Item>& items,
                        const std::string& reviewer_guideline = "") {
  std::string s;
  s += "Case Number: " + case_number + "\n";
  s += "Date Assigned: 03/01/2016\n";
  s += "Decision Date: 03/28/2016\n";
  s += "Priority: Standard\n";
  s += "Date of Injury: 05/14/2012\n";
  s += "UR Denial Date: 02/19/2016\n";
  s += "Application Received: 02/24/2016\n\n";
  s += "HOW THE IMR FINAL DETERMINATION WAS MADE\n";
  s += "A physician with no tie to any party to this dispute read the whole case file and decided\n";
  s += "each disputed service on the medical evidence and the treatment guidelines.\n";
  s += "The Expert Reviewer has the following credentials:\n";
  s += "State(s) of Licensure: California\n";
  s += "Certification(s)/Specialty: Orthopedic Surgery\n";
  s += "CLINICAL CASE SUMMARY\n";
  s += "The expert reviewer developed the following clinical case summary based on a review of the\n";
  s += "case file, including all medical records:\n";
  s += "The injured worker is a " + std::to_string(age) + " year old " + (female ? "female" : "male") +
       " who hurt the lower back lifting crates at a\n";
  s += "warehouse on 05/14/2012. Physical therapy and anti-inflammatory medication helped for a while;\n";
  s += "the pain returned in the winter and now limits standing to twenty minutes.\n\n";
  s += "IMR ISSUES, DECISIONS AND RATIONALES\n";
  s += "The Final Determination was based on decisions for the disputed items/services set forth below:\n";
  for (const auto& it : items) {
    s += it.request + ": " + (it.overturned ? "Overturned" : "Upheld") + "\n";
    s += "Claims Administrator guideline: Decision based on MTUS Low Back Complaints 2004.\n";
    s += "MAXIMUS guideline: " +
         (reviewer_guideline.empty()
              ? std::string("Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Exercise.")
              : reviewer_guideline) +
         "\n";
    s += "Decision rationale: The guidelines support this service when the records show a clear\n";
    s += "functional goal. " + std::string(it.overturned ? "They do here, so the request is medically necessary."
                                                           : "They do not here, so the request is not medically necessary.") +
         "\n";
  }
  return s;
}

std::string case_number(int k) {
  char b[32];
  std::snprintf(b, sizeof b, "CM16-09%05d", k);
  return b;
}

std::string simple_letter(int k) {
  std::vector<Item> items;
  static const char* kRequests[] = {"Twelve sessions of aquatic therapy for the lumbar spine",
                                    "Lumbar epidural steroid injection at L4-L5",
                                    "Tramadol 50 mg, sixty tablets", "Home exercise kit", "MRI of the lumbar spine"};
  for (int i = 0; i <= k % 4; ++i) items.push_back({kRequests[(k + i) % 5], (k + i) % 3 == 0});
  return letter_text(case_number(k), 30 + k % 40, k % 2 == 0, items);
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// A valid PDF (offsets exact) with one page showing `lines` in Helvetica.
std::string make_pdf(const std::vector<std::string>& lines) {
  std::string content = "BT /F1 11 Tf 14 TL 50 780 Td\n";
  for (const auto& l : lines) {
    std::string esc;
    for (char c : l) {
      if (c == '(' || c == ')' || c == '\\') esc.push_back('\\');
      esc.push_back(c);
    }
    content += "(" + esc + ") Tj T*\n";
  }
  content += "ET\n";
  std::vector<std::string> objs = {
      "<</Type/Catalog/Pages 2 0 R>>",
      "<</Type/Pages/Kids[3 0 R]/Count 1>>",
      "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
      "<</Length " + std::to_string(content.size()) + ">>stream\n" + content + "endstream",
      "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char b[32];
    std::snprintf(b, sizeof b, "%010zu 00000 n \n", off);
    pdf += b;
  }
  pdf += "trailer\n<</Size " + std::to_string(objs.size() + 1) + "/Root 1 0 R>>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

class ParseCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "imr_parse_cli_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string write(const std::string& rel, const std::string& data) {
    fs::path p = dir_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    return p.string();
  }
  std::string mkdir(const std::string& rel) {
    fs::create_directories(dir_ / rel);
    return (dir_ / rel).string();
  }

  fs::path dir_;
};

// No crash, no hang: the common checks of every run.
void expect_survived(const ChildRun& r) {
  EXPECT_FALSE(r.timed_out) << r;
  EXPECT_EQ(r.signal, 0) << r;
  EXPECT_GE(r.exit_code, 0) << r;
  EXPECT_LT(r.exit_code, 128) << r;
}

// Exactly one stderr line names `path`, and it gives `reason`.
void expect_error_line(const ChildRun& r, const std::string& path, const std::string& reason) {
  std::vector<std::string> hits;
  for (const auto& l : r.err_lines()) {
    // The path must appear as a whole name (followed by ':'), not as a prefix of another path.
    if (l.find(path + ":") != std::string::npos) hits.push_back(l);
  }
  ASSERT_EQ(hits.size(), 1u) << "stderr lines naming " << path << "\n" << r;
  EXPECT_NE(hits[0].find(reason), std::string::npos) << "expected reason \"" << reason << "\" in: " << hits[0];
}

// The case numbers of the records on stdout, in order; every line must be a JSON object.
std::vector<std::string> case_numbers(const ChildRun& r) {
  std::vector<std::string> out;
  for (const auto& l : r.out_lines()) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    EXPECT_TRUE(j.is_object()) << "not a JSON record: " << l.substr(0, 200);
    if (!j.is_object()) continue;
    out.push_back(j.value("case_number", std::string("<none>")));
  }
  return out;
}

// One bad input alone: exit 1, one stderr line naming it with the reason, nothing on stdout.
void expect_rejected(const std::string& path, const std::string& reason) {
  ChildRun r = run_imr({"parse", path});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
  expect_error_line(r, path, reason);
  EXPECT_EQ(r.out, "") << r;
}

// ---------------------------------------------------------------------------------------------
// Usage errors: exit status 2

TEST(ParseCliUsage, NoVerbIsUsageError) {
  ChildRun r = run_imr({});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 2) << r;
}

TEST(ParseCliUsage, NoPathsIsUsageError) {
  ChildRun r = run_imr({"parse"});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_FALSE(r.err.empty()) << r;
}

TEST(ParseCliUsage, UnknownFlagIsUsageError) {
  ChildRun r = run_imr({"parse", "--no-such-flag", "/dev/null"});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r;
}

TEST(ParseCliUsage, BadJobsValueIsUsageError) {
  ChildRun r = run_imr({"parse", "--jobs", "many", "/dev/null"});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 2) << r;
}

// ---------------------------------------------------------------------------------------------
// One bad input at a time

TEST_F(ParseCliTest, EmptyFile) { expect_rejected(write("empty.txt", ""), "empty"); }

TEST_F(ParseCliTest, WhitespaceOnlyFile) { expect_rejected(write("blank.txt", "  \n\n\t \n"), "empty"); }

TEST_F(ParseCliTest, RandomBytesAsText) { expect_rejected(write("random.txt", random_bytes(4096, 1)), "binary"); }

TEST_F(ParseCliTest, RandomBytesAsPdf) { expect_rejected(write("random.pdf", random_bytes(4096, 2)), "not a PDF"); }

TEST_F(ParseCliTest, PdfHeaderThenGarbage) {
  expect_rejected(write("garbage.pdf", "%PDF-1.4\n" + random_bytes(8192, 3)), "PDF");
}

TEST_F(ParseCliTest, PdfMagicInTxtFile) {
  // The %PDF magic wins over the extension: reported as a PDF problem, not read as text.
  expect_rejected(write("looks-like-text.txt", "%PDF-1.7\n" + random_bytes(2048, 4)), "PDF");
}

TEST_F(ParseCliTest, TruncatedHandMadePdf) {
  std::string pdf = make_pdf({"CLINICAL CASE SUMMARY", "The injured worker is a 40 year old male."});
  expect_rejected(write("truncated.pdf", pdf.substr(0, pdf.size() / 2)), "PDF");
}

TEST_F(ParseCliTest, TruncatedCorpusPdf) {
  fs::path dev = fs::path(IMR_SHARED_DIR) / "corpus/dev/pdf";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "SKIP: " << dev << " absent (needs ../shared)";
  fs::path first;
  for (const auto& e : fs::directory_iterator(dev))
    if (e.path().extension() == ".pdf" && (first.empty() || e.path() < first)) first = e.path();
  if (first.empty()) GTEST_SKIP() << "SKIP: no PDF in " << dev;
  std::ifstream in(first, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  expect_rejected(write("half-a-letter.pdf", bytes.substr(0, bytes.size() / 2)), "PDF");
}

TEST_F(ParseCliTest, ValidPdfThatIsNoLetter) {
  expect_rejected(write("invoice.pdf", make_pdf({"INVOICE 1041", "Two boxes of printer paper: 18.00"})),
                  "not an IMR determination letter");
}

TEST_F(ParseCliTest, EncryptedPdf) {
  if (std::system("command -v qpdf >/dev/null 2>&1") != 0) GTEST_SKIP() << "SKIP: qpdf not installed";
  std::string plain = write("plain.pdf", make_pdf({"IMR ISSUES, DECISIONS AND RATIONALES"}));
  std::string locked = (dir_ / "locked.pdf").string();
  std::string cmd = "qpdf --encrypt secret secret 256 -- '" + plain + "' '" + locked + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  expect_rejected(locked, "password");
}

TEST_F(ParseCliTest, TextThatIsNoLetter) {
  expect_rejected(write("minutes.txt",
                        "Minutes of the garden club, April meeting.\n\nThe tomatoes went in early this year.\n"
                        "Next month: a talk on compost.\n"),
                  "not an IMR determination letter");
}

TEST_F(ParseCliTest, HugeSingleLine) {
  std::string line;
  while (line.size() < 300 * 1024) line += "the quick brown fox jumps over the lazy dog ";
  expect_rejected(write("one-line.txt", line), "not an IMR determination letter");
}

TEST_F(ParseCliTest, HugeSingleLineOfHeadings) {
  // Headings repeated on one line: the reader must not treat it as many lines nor take long.
  std::string line;
  while (line.size() < 300 * 1024)
    line += "IMR ISSUES, DECISIONS AND RATIONALES Claims Administrator guideline: Decision based on MTUS and ";
  ChildRun r = run_imr({"parse", write("heading-line.txt", line)});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.err_lines().size(), 1u) << r;
}

TEST_F(ParseCliTest, LetterWithHugeGuidelineLineStillReads) {
  // A 300 KB "MAXIMUS guideline:" paragraph on one line, full of the separators the citation
  // parser splits on: the letter must still read, in bounded time.
  std::string g = "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Exercise";
  while (g.size() < 300 * 1024) g += ", Opioids and Knee Complaints 2004 and Low Back, Section(s): Massage";
  std::string path = write("long-guideline.txt", letter_text("CM16-0900777", 44, true, {{"Massage therapy", false}}, g));
  ChildRun r = run_imr({"parse", path});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(case_numbers(r), std::vector<std::string>{"CM16-0900777"}) << r;
}

TEST_F(ParseCliTest, EmptyDirectory) { expect_rejected(mkdir("nothing-here"), "no letter files"); }

TEST_F(ParseCliTest, DirectoryWithoutLetterFiles) {
  write("other/readme.md", "not a letter");
  write("other/photo.jpg", random_bytes(100, 5));
  expect_rejected((dir_ / "other").string(), "no letter files");
}

TEST_F(ParseCliTest, NonexistentPath) { expect_rejected((dir_ / "no-such-file.txt").string(), "no such file"); }

// ---------------------------------------------------------------------------------------------
// Good and bad together

TEST_F(ParseCliTest, GoodLettersAlone) {
  std::string a = write("a.txt", simple_letter(1));
  std::string b = write("b.txt", simple_letter(2));
  ChildRun r = run_imr({"parse", a, b});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "") << r;
  EXPECT_EQ(case_numbers(r), (std::vector<std::string>{case_number(1), case_number(2)}));
  // Each record carries its items.
  auto first = nlohmann::json::parse(r.out_lines().at(0));
  EXPECT_EQ(first["items"].size(), 2u) << first.dump(2);
  EXPECT_EQ(first["template"], "dwc-2016");
}

TEST_F(ParseCliTest, MixedDirectoryReportsEachBadFileAndPrintsEveryGoodOne) {
  std::string root = mkdir("mixed");
  write("mixed/01-good.txt", simple_letter(11));
  write("mixed/02-empty.txt", "");
  write("mixed/03-good.txt", simple_letter(12));
  write("mixed/04-random.pdf", random_bytes(5000, 6));
  write("mixed/05-random.txt", random_bytes(5000, 7));
  write("mixed/06-notes.txt", "Shopping: bread, apples, lamp oil.\n");
  write("mixed/07-garbage.pdf", "%PDF-1.4\n" + random_bytes(3000, 8));
  write("mixed/sub/08-good.txt", simple_letter(13));
  write("mixed/sub/09-truncated.pdf", make_pdf({"half"}).substr(0, 200));
  write("mixed/sub/10-ignored.doc", random_bytes(300, 9));  // not .txt/.pdf: not an input
  write("mixed/zz-good.TXT", simple_letter(14));            // extensions match case-insensitively
  std::string missing = (dir_ / "missing.txt").string();

  ChildRun r = run_imr({"parse", "--jobs", "3", root, missing});
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(case_numbers(r),
            (std::vector<std::string>{case_number(11), case_number(12), case_number(13), case_number(14)}))
      << r;
  expect_error_line(r, root + "/02-empty.txt", "empty");
  expect_error_line(r, root + "/04-random.pdf", "not a PDF");
  expect_error_line(r, root + "/05-random.txt", "binary");
  expect_error_line(r, root + "/06-notes.txt", "not an IMR determination letter");
  expect_error_line(r, root + "/07-garbage.pdf", "PDF");
  expect_error_line(r, root + "/sub/09-truncated.pdf", "PDF");
  expect_error_line(r, missing, "no such file");
  EXPECT_EQ(r.err_lines().size(), 7u) << r;
  EXPECT_EQ(r.err.find("10-ignored.doc"), std::string::npos) << r;
}

TEST_F(ParseCliTest, BadInputsAsArgumentsKeepGoodOnes) {
  std::vector<std::string> args = {"parse"};
  args.push_back(write("first.txt", simple_letter(21)));
  args.push_back(write("empty.txt", ""));
  args.push_back(mkdir("void"));
  args.push_back(write("second.txt", simple_letter(22)));
  args.push_back((dir_ / "ghost.pdf").string());
  ChildRun r = run_imr(args);
  expect_survived(r);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(case_numbers(r), (std::vector<std::string>{case_number(21), case_number(22)})) << r;
  EXPECT_EQ(r.err_lines().size(), 3u) << r;
  expect_error_line(r, args[2], "empty");
  expect_error_line(r, args[3], "no letter files");
  expect_error_line(r, args[5], "no such file");
}

// ---------------------------------------------------------------------------------------------
// Determinism: the output does not depend on the number of workers

TEST_F(ParseCliTest, JobsOneAndFourGiveIdenticalOutput) {
  std::string root = mkdir("many");
  for (int k = 0; k < 60; ++k) {
    char name[64];
    std::snprintf(name, sizeof name, "many/%02d/letter-%03d.txt", k % 7, k);
    write(name, simple_letter(100 + k));
  }
  write("many/03/bad-empty.txt", "");
  write("many/05/bad-random.pdf", random_bytes(1000, 10));
  ChildRun one = run_imr({"parse", "--jobs", "1", root});
  ChildRun four = run_imr({"parse", "--jobs", "4", root});
  expect_survived(one);
  expect_survived(four);
  EXPECT_EQ(one.exit_code, 1) << one;
  EXPECT_EQ(four.exit_code, 1) << four;
  EXPECT_EQ(one.out_lines().size(), 60u) << one;
  EXPECT_TRUE(one.out == four.out) << "stdout differs between --jobs 1 and --jobs 4";
  EXPECT_EQ(one.err, four.err);
}

TEST(ParseCliCorpus, JobsOneAndFourIdenticalOnDevCorpus) {
  fs::path dev = fs::path(IMR_SHARED_DIR) / "corpus/dev/text";
  if (!fs::is_directory(dev)) GTEST_SKIP() << "SKIP: " << dev << " absent (needs ../shared)";
  ChildRun one = run_imr({"parse", "--jobs", "1", dev.string()});
  ChildRun four = run_imr({"parse", "--jobs", "4", dev.string()});
  expect_survived(one);
  expect_survived(four);
  EXPECT_FALSE(one.out.empty()) << one;
  EXPECT_TRUE(one.out == four.out) << "stdout differs between --jobs 1 and --jobs 4";
  EXPECT_EQ(one.exit_code, four.exit_code);
}

}  // namespace

#include "imr/base/files.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "imr/base/text.h"

namespace fs = std::filesystem;

namespace imr::files {

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return not_found(path + ": no such file");
  if (fs::is_directory(st)) return invalid_argument(path + ": is a directory");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return io_error(path + ": cannot open: " + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (data.size() + n > max_bytes) {
      std::fclose(f);
      return unrecognized(path + ": file is larger than " + std::to_string(max_bytes >> 20) + " MiB; not a letter");
    }
    data.append(buf, n);
  }
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) return io_error(path + ": read failed");
  return data;
}

Status write_file(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return io_error(path + ": cannot write");
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return io_error(path + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return io_error(path + ": rename failed: " + ec.message());
  return {};
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& args,
                                       const std::vector<std::string>& extensions,
                                       const std::function<void(const std::string&, const Status&)>& on_error) {
  std::vector<std::string> out;
  for (const auto& arg : args) {
    std::error_code ec;
    auto st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) { on_error(arg, not_found(arg + ": no such file or directory")); continue; }
    if (!fs::is_directory(st)) { out.push_back(arg); continue; }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) { on_error(arg, io_error(arg + ": cannot list directory: " + ec.message())); continue; }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec)) continue;
      std::string ext = text::to_lower(it->path().extension().string());
      if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) found.push_back(it->path().string());
    }
    if (found.empty()) { on_error(arg, unrecognized(arg + ": directory holds no letter files (" + [&] {
        std::string e; for (const auto& x : extensions) e += (e.empty() ? "" : ", ") + x; return e; }() + ")")); continue; }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace imr::files

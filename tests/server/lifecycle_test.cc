// Server::stop() at any moment of a server's life ends run(): before run() is entered (a signal
// during start-up; it used to be lost, leaving the server running), and while it serves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>

#include "imr/server/server.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

imr::server::ServerOptions options(const fs::path& dir) {
  imr::server::ServerOptions o;
  o.db_url = "sqlite:" + (dir / "imr.db").string();
  o.port = 0;
  o.threads = 2;
  o.web_dir = dir.string();  // an empty directory: no UI files, the API only
  return o;
}

class Lifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("imr-lifecycle-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(Lifecycle, StopBeforeRunIsNotLost) {
  auto srv = imr::server::Server::start(options(dir_));
  ASSERT_TRUE(srv.ok()) << srv.status().message();
  (*srv)->stop();
  auto ran = std::async(std::launch::async, [&] { return (*srv)->run(); });
  auto state = ran.wait_for(10s);
  if (state != std::future_status::ready) (*srv)->stop();  // so that a failure does not hang
  ASSERT_EQ(state, std::future_status::ready) << "run() kept serving after stop()";
  EXPECT_TRUE(ran.get().ok());
}

TEST_F(Lifecycle, StopWhileStartingOrServingEndsRun) {
  // stop() right after run() is entered (whether or not httplib's loop has started yet), and
  // after it has served for a while.
  for (auto delay : {0ms, 1ms, 50ms}) {
    auto srv = imr::server::Server::start(options(dir_));
    ASSERT_TRUE(srv.ok()) << srv.status().message();
    auto ran = std::async(std::launch::async, [&] { return (*srv)->run(); });
    std::this_thread::sleep_for(delay);
    (*srv)->stop();
    auto state = ran.wait_for(10s);
    if (state != std::future_status::ready) (*srv)->stop();  // so that a failure does not hang
    ASSERT_EQ(state, std::future_status::ready) << "run() kept serving after stop() at " << delay.count() << " ms";
    EXPECT_TRUE(ran.get().ok());
  }
}

}  // namespace

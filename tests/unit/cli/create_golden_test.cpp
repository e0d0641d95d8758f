// Golden test: `berth create` / `berth run` send the same /containers/create request as the
// docker CLI does for the same command line, and fail with the same texts and exit codes.
// data/create/*.json were recorded from /usr/local/bin/docker by record_create_goldens.py.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "base/json.h"
#include "fake_daemon.h"
#include "run_cli.h"

namespace berth::cli::testing {
namespace {

const std::string kDataDir = BERTH_TEST_DATA_DIR;
const std::string kFakeId(
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

// Env and Binds come out of Go maps in docker (random order): compare them sorted.
void normalize(OrderedJson& body) {
  auto sort_array = [](OrderedJson& a) {
    if (!a.is_array()) return;
    std::vector<std::string> items;
    for (const auto& v : a) items.push_back(v.get<std::string>());
    std::sort(items.begin(), items.end());
    a = items;
  };
  if (body.contains("Env")) sort_array(body["Env"]);
  if (body.contains("HostConfig") && body["HostConfig"].contains("Binds")) {
    sort_array(body["HostConfig"]["Binds"]);
  }
}

std::string mask_log_time(std::string text) {
  size_t pos = 0;
  while ((pos = text.find("time=\"", pos)) != std::string::npos) {
    size_t end = text.find('"', pos + 6);
    if (end == std::string::npos) break;
    text.replace(pos, end - pos + 1, "time=\"T\"");
    pos += 8;
  }
  return text;
}

class CreateGolden : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    ::setenv("BERTH_GOLDEN_ENV", "from-environment", 1);
    ::unsetenv("UNSET_VAR_FOR_GOLDEN");
    ::setenv("TZ", "UTC", 1);
    // No user config, no autostart of a daemon.
    ::setenv("BERTH_CONFIG", "/nonexistent-berth-config", 1);
    ::setenv("BERTH_NO_AUTOSTART", "1", 1);
    ::unsetenv("BERTH_HOST");
    ASSERT_EQ(::chdir(kDataDir.c_str()), 0);
  }
};

TEST_P(CreateGolden, MatchesDocker) {
  std::ifstream in(kDataDir + "/create/" + GetParam() + ".json");
  ASSERT_TRUE(in) << GetParam();
  std::stringstream ss;
  ss << in.rdbuf();
  OrderedJson golden = OrderedJson::parse(ss.str());
  std::remove("/tmp/berth-golden-cid");

  FakeDaemon daemon([](const RecordedRequest& r) -> std::optional<http::Response> {
    if (r.path == "/containers/create") {
      return http::Response::json(201, Json{{"Id", kFakeId}, {"Warnings", Json::array()}});
    }
    return std::nullopt;
  });
  std::vector<std::string> args = {"-H", daemon.host(), golden["command"].get<std::string>()};
  for (const auto& a : golden["args"]) args.push_back(a.get<std::string>());
  CliRun run = run_berth(args);
  std::remove("/tmp/berth-golden-cid");

  auto create = daemon.find("POST", "/containers/create");
  if (golden.contains("body")) {
    ASSERT_TRUE(create.has_value()) << "no create request; stderr: " << run.err;
    OrderedJson want = golden["body"];
    OrderedJson got = OrderedJson::parse(create->body);
    normalize(want);
    normalize(got);
    EXPECT_EQ(got, want) << "\n got: " << got.dump() << "\nwant: " << want.dump();
    EXPECT_EQ(create->query, golden["query"].get<std::string>());
  } else {
    EXPECT_FALSE(create.has_value()) << "unexpected create request: " << create->body;
  }
  EXPECT_EQ(run.exit, golden["exit"].get<int>()) << run.err;
  EXPECT_EQ(run.out, golden["stdout"].get<std::string>());
  // The fake daemon answers as the recording server did, so even its errors must match; only
  // logrus's timestamp differs.
  EXPECT_EQ(mask_log_time(run.err), mask_log_time(docker_to_berth(golden["stderr"].get<std::string>())));
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kDataDir + "/create")) {
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Docker, CreateGolden, ::testing::ValuesIn(cases()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace berth::cli::testing

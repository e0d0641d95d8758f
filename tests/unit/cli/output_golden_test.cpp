// Golden test: over the same daemon answers, berth prints what docker prints — tables, --format
// templates, JSON, inspect output, progress, errors and exit codes. data/output/*.json were
// recorded from docker 28 by data/record_output_goldens.py (canned answers, fixed clock).
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "base/json.h"
#include "base/strings.h"
#include "cli/format/units.h"
#include "client/config_file.h"
#include "fake_daemon.h"
#include "run_cli.h"

namespace berth::cli::testing {
namespace {

const std::string kDataDir = BERTH_TEST_DATA_DIR;

// The client half of `info` and `version` is berth's own, not docker's.
std::string server_part(const std::string& name, const std::string& text) {
  if (name != "info_server") return text;
  size_t pos = text.find("\nServer:");
  return pos == std::string::npos ? text : text.substr(pos);
}

// docker walks a map of repositories for `images`, so its row order varies from run to run:
// compare those tables as sets of rows (the header stays first).
std::string canonical(const std::string& name, std::string text) {
  if (!name.starts_with("images") && !name.starts_with("image_ls")) return text;
  std::vector<std::string> lines = split(text, '\n');
  bool table = !lines.empty() && lines[0].starts_with("REPOSITORY");
  std::sort(lines.begin() + (table ? 1 : 0), lines.end());
  return join(lines, "\n");
}

class OutputGolden : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    ::setenv("BERTH_CONFIG", "/nonexistent-berth-config", 1);
    ::setenv("BERTH_NO_AUTOSTART", "1", 1);
  }
  static void TearDownTestSuite() { set_now_for_test(0); }
};

TEST_P(OutputGolden, MatchesDocker) {
  std::ifstream in(kDataDir + "/output/" + GetParam() + ".json");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  Json golden = Json::parse(ss.str());
  set_now_for_test(golden["now"].get<int64_t>() * 1000000000LL);
  const Json answers = golden["answers"];
  FakeDaemon daemon([&answers](const RecordedRequest& r) -> std::optional<http::Response> {
    if (r.path == "/_ping") return std::nullopt;
    auto it = answers.find(r.method + " " + r.path);
    if (it == answers.end()) return http::Response::error(404, "page not found");
    http::Response resp;
    resp.status = (*it)["status"].get<int>();
    resp.headers.set("Content-Type", (*it)["type"].get<std::string>());
    resp.body = client::base64_decode((*it)["body"].get<std::string>()).value_or("");
    return resp;
  });
  std::vector<std::string> args = {"-H", daemon.host()};
  for (const auto& a : golden["args"]) args.push_back(a.get<std::string>());
  CliRun run = run_berth(args);
  EXPECT_EQ(canonical(GetParam(), server_part(GetParam(), run.out)),
            canonical(GetParam(), server_part(GetParam(), docker_to_berth(golden["stdout"].get<std::string>()))));
  EXPECT_EQ(run.err, docker_to_berth(golden["stderr"].get<std::string>()));
  EXPECT_EQ(run.exit, golden["exit"].get<int>());
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kDataDir + "/output")) {
    names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Docker, OutputGolden, ::testing::ValuesIn(cases()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace berth::cli::testing

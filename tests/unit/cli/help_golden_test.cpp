// Golden test: `berth <command> --help` reads as `docker <command> --help` (recorded from
// docker 28 by data/record_help_goldens.py), with "docker" read as "berth" and the few
// deliberate differences listed below.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "base/strings.h"
#include "run_cli.h"

namespace berth::cli::testing {
namespace {

const std::string kDataDir = BERTH_TEST_DATA_DIR;

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

// Where berth deliberately differs from docker.
std::string expected_help(const std::string& name, std::string text) {
  text = docker_to_berth(text);
  replace_all(text, "Show the Docker version information", "Show the Berth version information");
  // Cluster (swarm) volumes do not exist in berth.
  if (name == "volume") replace_all(text, "  update      Update a volume (cluster volumes only)\n", "");
  return text;
}

class HelpGolden : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    ::setenv("BERTH_CONFIG", "/nonexistent-berth-config", 1);
    ::setenv("BERTH_NO_AUTOSTART", "1", 1);
  }
};

TEST_P(HelpGolden, MatchesDocker) {
  std::ifstream in(kDataDir + "/help/" + GetParam() + ".txt");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> args = split(GetParam(), '_');
  args.push_back("--help");
  CliRun run = run_berth(args);
  EXPECT_EQ(run.exit, 0);
  EXPECT_EQ(run.out, expected_help(GetParam(), ss.str()));
  EXPECT_EQ(run.err, "");
}

// docker's root command: --help prints on stdout; with no command at all the same text goes to
// stderr, and both exit 0.
TEST_F(HelpGolden, RootHelpOnStdoutBareOnStderr) {
  CliRun help = run_berth({"--help"});
  EXPECT_EQ(help.exit, 0);
  EXPECT_EQ(help.err, "");
  EXPECT_TRUE(help.out.starts_with("Usage:  berth [OPTIONS] COMMAND\n")) << help.out;
  EXPECT_NE(help.out.find("\n  run         Create and run a new container from an image\n"),
            std::string::npos);
  CliRun bare = run_berth({});
  EXPECT_EQ(bare.exit, 0);
  EXPECT_EQ(bare.out, "");
  EXPECT_EQ(bare.err, help.out);
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(kDataDir + "/help")) {
    names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Docker, HelpGolden, ::testing::ValuesIn(cases()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace berth::cli::testing

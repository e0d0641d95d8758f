#include "registry/www_authenticate.h"

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/json.h"
#include "base/strings.h"

namespace berth::registry {
namespace {

struct GoldenCase {
  std::string header;
  std::vector<std::string> expected;
  int line = 0;
};

std::vector<GoldenCase> load_cases() {
  auto text = read_file(std::string(BERTH_TEST_DATA_DIR) + "/www_authenticate.golden");
  EXPECT_TRUE(text.ok());
  std::vector<GoldenCase> cases;
  int line_no = 0;
  for (const auto& line : split(text.value_or(""), '\n')) {
    ++line_no;
    if (line.starts_with("#")) continue;
    if (line.starts_with(">")) {
      std::string_view header(line);
      header.remove_prefix(1);
      if (header.starts_with(" ")) header.remove_prefix(1);
      cases.push_back({std::string(header), {}, line_no});
    } else if (!trim(line).empty() && !cases.empty()) {
      cases.back().expected.push_back(line);
    }
  }
  return cases;
}

std::vector<std::string> render(const std::vector<Challenge>& challenges) {
  std::vector<std::string> out;
  for (const auto& c : challenges) {
    Json params = Json::object();
    for (const auto& [k, v] : c.params) params[k] = v;
    out.push_back(c.scheme + " " + params.dump());
  }
  if (out.empty()) out.push_back("(none)");
  return out;
}

TEST(WwwAuthenticateTest, GoldenCases) {
  auto cases = load_cases();
  ASSERT_GE(cases.size(), 15u);
  for (const auto& c : cases) {
    EXPECT_EQ(render(parse_www_authenticate(c.header)), c.expected)
        << "golden case at line " << c.line << ": " << c.header;
  }
}

TEST(WwwAuthenticateTest, SeveralHeaders) {
  auto challenges = parse_www_authenticate(
      std::vector<std::string>{"Basic realm=\"a\"", "Bearer realm=\"b\",service=\"s\""});
  ASSERT_EQ(challenges.size(), 2u);
  const Challenge* bearer = find_challenge(challenges, "bearer");
  ASSERT_NE(bearer, nullptr);
  EXPECT_EQ(bearer->param("realm"), "b");
  EXPECT_EQ(bearer->param("service"), "s");
  EXPECT_EQ(bearer->param("scope"), "");
  EXPECT_EQ(find_challenge(challenges, "basic")->param("realm"), "a");
  EXPECT_EQ(find_challenge(challenges, "digest"), nullptr);
}

}  // namespace
}  // namespace berth::registry

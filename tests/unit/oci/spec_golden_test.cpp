// Data-driven tests over tests/unit/oci/data (see data/README.md):
//   valid/X.json    must parse, validate, and survive parse(to_json(spec)) == spec; for
//                   valid/X.canonical.json, to_json(parse(file)) must also equal the file's JSON.
//   invalid/X.json  must fail parse_spec_text or validate_spec with kInvalidArgument and the
//                   message in invalid/X.err (whole message; "contains: " marks a substring).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "oci/runtime_spec_json.h"
#include "oci/runtime_spec_validate.h"

namespace berth::oci {
namespace {

namespace fs = std::filesystem;

// The .json files in data/<dir>, sorted, as test parameters.
std::vector<std::string> data_files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(BERTH_TEST_DATA_DIR) / dir)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string data_path(const std::string& dir, const std::string& name, const char* ext) {
  return std::string(BERTH_TEST_DATA_DIR) + "/" + dir + "/" + name + ext;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

class ValidSpecTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ValidSpecTest, ParsesValidatesAndRoundTrips) {
  auto text = read_file(data_path("valid", GetParam(), ".json"));
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  auto spec = parse_spec_text(*text);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  Status valid = validate_spec(*spec);
  ASSERT_TRUE(valid.ok()) << valid.error().to_string();

  Json written = to_json(*spec);
  auto reparsed = parse_spec(written);
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().to_string();
  EXPECT_EQ(*reparsed, *spec) << written.dump(2);
  // Text, not just the Json value, must survive too.
  auto from_text = parse_spec_text(written.dump());
  ASSERT_TRUE(from_text.ok()) << from_text.error().to_string();
  EXPECT_EQ(*from_text, *spec);

  if (GetParam().ends_with(".canonical")) {
    EXPECT_EQ(written, Json::parse(*text)) << written.dump(2);
  }
}

INSTANTIATE_TEST_SUITE_P(Data, ValidSpecTest, ::testing::ValuesIn(data_files("valid")), test_name);

class InvalidSpecTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidSpecTest, FailsWithExpectedMessage) {
  auto text = read_file(data_path("invalid", GetParam(), ".json"));
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  auto expected_text = read_file(data_path("invalid", GetParam(), ".err"));
  ASSERT_TRUE(expected_text.ok()) << "missing " << GetParam() << ".err";
  std::string expected(trim(*expected_text));
  ASSERT_FALSE(expected.empty());

  auto spec = parse_spec_text(*text);
  Status status = spec.ok() ? validate_spec(*spec) : Status(spec.error());
  ASSERT_FALSE(status.ok()) << "accepted; expected: " << expected;
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);

  constexpr std::string_view kContains = "contains: ";
  if (expected.rfind(kContains, 0) == 0) {
    EXPECT_NE(status.error().message().find(expected.substr(kContains.size())), std::string::npos)
        << status.error().message();
  } else {
    EXPECT_EQ(status.error().message(), expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Data, InvalidSpecTest, ::testing::ValuesIn(data_files("invalid")),
                         test_name);

// Every invalid case has its expected message, and no .err is left without its case.
TEST(GoldenDataTest, EveryInvalidCaseHasAnErrFile) {
  std::vector<std::string> json_cases = data_files("invalid");
  for (const std::string& name : json_cases) {
    EXPECT_TRUE(path_exists(data_path("invalid", name, ".err"))) << name;
  }
  for (const auto& entry : fs::directory_iterator(fs::path(BERTH_TEST_DATA_DIR) / "invalid")) {
    if (entry.path().extension() != ".err") continue;
    std::string stem = entry.path().stem().string();
    EXPECT_TRUE(std::binary_search(json_cases.begin(), json_cases.end(), stem)) << stem;
  }
}

}  // namespace
}  // namespace berth::oci

#include "image/reference.h"

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/strings.h"

namespace berth::image {
namespace {

struct Row {
  std::vector<std::string> fields;
  int line = 0;
};

std::vector<Row> golden_rows() {
  auto text = read_file(std::string(BERTH_TEST_DATA_DIR) + "/references.txt");
  EXPECT_TRUE(text.ok());
  std::vector<Row> rows;
  int line_no = 0;
  for (const auto& line : split(*text, '\n')) {
    ++line_no;
    if (line.empty() || line.starts_with('#')) continue;
    Row row;
    row.line = line_no;
    // " | " separates fields; an empty input is a line starting with " | ".
    std::string_view rest = line;
    while (true) {
      size_t sep = rest.find(" | ");
      if (sep == std::string_view::npos) {
        row.fields.emplace_back(rest);
        break;
      }
      row.fields.emplace_back(rest.substr(0, sep));
      rest.remove_prefix(sep + 3);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(ReferenceTest, GoldenTable) {
  auto rows = golden_rows();
  ASSERT_GT(rows.size(), 60u);
  for (const auto& row : rows) {
    ASSERT_GE(row.fields.size(), 3u) << "line " << row.line;
    const std::string& input = row.fields[0];
    auto ref = Reference::parse_normalized(input);
    if (row.fields[1] == "ERROR") {
      ASSERT_FALSE(ref.ok()) << "line " << row.line << ": " << input << " parsed as "
                             << ref->string();
      EXPECT_EQ(ref.error().message(), row.fields[2]) << "line " << row.line;
      EXPECT_EQ(ref.error().code(), ErrorCode::kInvalidArgument);
      continue;
    }
    ASSERT_TRUE(ref.ok()) << "line " << row.line << ": " << input << ": " << ref.error().message();
    ASSERT_EQ(row.fields.size(), 4u) << "line " << row.line;
    EXPECT_EQ(ref->string(), row.fields[1]) << "line " << row.line;
    EXPECT_EQ(ref->familiar_string(), row.fields[2]) << "line " << row.line;
    EXPECT_EQ(ref->tag_or_latest().familiar_string(), row.fields[3]) << "line " << row.line;
    // The canonical form parses back to itself, strictly and normalised.
    auto again = Reference::parse(ref->string());
    ASSERT_TRUE(again.ok()) << ref->string();
    EXPECT_EQ(*again, *ref);
    EXPECT_EQ(Reference::parse_normalized(ref->familiar_string()).value(), *ref);
  }
}

TEST(ReferenceTest, Parts) {
  auto ref =
      Reference::parse_normalized("127.0.0.1:5000/team/app:v1@sha256:" + std::string(64, 'a'))
          .value();
  EXPECT_EQ(ref.domain(), "127.0.0.1:5000");
  EXPECT_EQ(ref.path(), "team/app");
  EXPECT_EQ(ref.tag(), "v1");
  ASSERT_TRUE(ref.digest());
  EXPECT_EQ(ref.digest()->hex(), std::string(64, 'a'));
  EXPECT_EQ(ref.name(), "127.0.0.1:5000/team/app");
  EXPECT_EQ(ref.familiar_name(), "127.0.0.1:5000/team/app");
  EXPECT_EQ(ref.with_tag("v2").string(), "127.0.0.1:5000/team/app:v2");
  EXPECT_EQ(ref.name_only().string(), "127.0.0.1:5000/team/app");
  auto hub = Reference::parse_normalized("busybox").value();
  EXPECT_EQ(hub.domain(), "docker.io");
  EXPECT_EQ(hub.path(), "library/busybox");
  EXPECT_FALSE(hub.has_tag());
  EXPECT_EQ(hub.familiar_name(), "busybox");
}

TEST(ReferenceTest, StrictParseKeepsNamesAsGiven) {
  auto ref = Reference::parse("busybox:1").value();
  EXPECT_EQ(ref.domain(), "");
  EXPECT_EQ(ref.path(), "busybox");
  auto upper = Reference::parse("Busybox");
  ASSERT_FALSE(upper.ok());
  EXPECT_EQ(upper.error().message(), "repository name must be lowercase");
  auto empty = Reference::parse("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message(), "repository name must have at least one component");
}

TEST(ReferenceTest, ImageSpecifier) {
  std::string hex(64, 'c');
  auto by_hex = parse_image_specifier(hex).value();
  ASSERT_TRUE(by_hex.id);
  EXPECT_EQ(by_hex.id->to_string(), "sha256:" + hex);
  auto by_digest = parse_image_specifier("sha256:" + hex).value();
  ASSERT_TRUE(by_digest.id);
  auto prefix = parse_image_specifier("3e2f21a89f").value();
  EXPECT_FALSE(prefix.id);
  ASSERT_TRUE(prefix.reference);
  EXPECT_EQ(prefix.reference->string(), "docker.io/library/3e2f21a89f");
  auto short_digest = parse_image_specifier("sha256:3e2f").value();
  EXPECT_FALSE(short_digest.id);
  EXPECT_FALSE(parse_image_specifier("Upper").ok());
}

TEST(ReferenceTest, TagValidity) {
  EXPECT_TRUE(is_valid_tag("latest"));
  EXPECT_TRUE(is_valid_tag("_x.Y-1"));
  EXPECT_TRUE(is_valid_tag(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_tag(std::string(129, 'a')));
  EXPECT_FALSE(is_valid_tag(""));
  EXPECT_FALSE(is_valid_tag(".x"));
  EXPECT_FALSE(is_valid_tag("a/b"));
}

}  // namespace
}  // namespace berth::image

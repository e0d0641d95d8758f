// The public API around templates: docker's format keywords and escapes, table rendering, and
// Template's value semantics.
#include <gtest/gtest.h>

#include "template/docker_format.h"
#include "template/template.h"

namespace berth::tmpl {
namespace {

TEST(DockerFormatTest, TableFormats) {
  EXPECT_TRUE(is_table_format("table {{.ID}}"));
  EXPECT_TRUE(is_table_format("table"));
  EXPECT_TRUE(is_table_format("tablefoo"));  // docker tests only the prefix
  EXPECT_FALSE(is_table_format(" table {{.ID}}"));
  EXPECT_FALSE(is_table_format("{{.ID}}"));
}

TEST(DockerFormatTest, JsonFormat) {
  EXPECT_TRUE(is_json_format("json"));
  EXPECT_FALSE(is_json_format("json "));
  EXPECT_FALSE(is_json_format("{{json .}}"));
}

TEST(DockerFormatTest, StripTablePrefix) {
  EXPECT_EQ(strip_table_prefix("table {{.ID}}\t{{.Names}}  "), "{{.ID}}\t{{.Names}}");
  EXPECT_EQ(strip_table_prefix("table"), "");
  EXPECT_EQ(strip_table_prefix(" {{.ID}} "), "{{.ID}}");
}

TEST(DockerFormatTest, ExpandEscapes) {
  EXPECT_EQ(expand_format_escapes(R"({{.ID}}\t{{.Names}}\n)"), "{{.ID}}\t{{.Names}}\n");
  EXPECT_EQ(expand_format_escapes(R"(a\\tb \x)"), "a\\\tb \\x");
}

TEST(DockerFormatTest, PrepareFormat) {
  EXPECT_EQ(prepare_format(R"(table {{.ID}}\t{{.Image}})"), "{{.ID}}\t{{.Image}}");
  EXPECT_EQ(prepare_format("json"), "{{json .}}");
  EXPECT_EQ(prepare_format("  {{.Names}}  "), "{{.Names}}");
  EXPECT_EQ(prepare_format(R"({{.Names}}\n)"), "{{.Names}}\n");
}

TEST(DockerFormatTest, FormatTable) {
  EXPECT_EQ(format_table("CONTAINER ID\tNAMES", {"3f4e5a6b7c8d\tweb-1", "9a8b\tdb"}),
            "CONTAINER ID   NAMES\n"
            "3f4e5a6b7c8d   web-1\n"
            "9a8b           db\n");
  EXPECT_EQ(format_table("NAMES", {}), "NAMES\n");
}

TEST(TemplateTest, ParseErrorsAreInvalidArgument) {
  Result<Template> t = Template::parse("{{.ID");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(t.error().message(), "template: :1: unclosed action");
}

TEST(TemplateTest, ExecuteErrorsAreInvalidArgument) {
  Result<Template> t = Template::parse("{{index .A 3}}");
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  Result<std::string> out = t->execute(Json::parse(R"({"A": [1]})"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
}

TEST(TemplateTest, CopiesShareTheParsedTree) {
  Result<Template> parsed = Template::parse("{{.Name}}:{{len .Args}}");
  ASSERT_TRUE(parsed.ok());
  Template copy = *parsed;
  Template moved = std::move(*parsed);
  Json data = Json::parse(R"({"Name": "x", "Args": [1, 2]})");
  EXPECT_EQ(*copy.execute(data), "x:2");
  EXPECT_EQ(*moved.execute(data), "x:2");
  EXPECT_EQ(copy.text(), "{{.Name}}:{{len .Args}}");
}

TEST(TemplateTest, ExecutesManyTimes) {
  Result<Template> t = Template::parse("{{range .}}{{.}},{{end}}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t->execute(Json::parse("[1, 2]")), "1,2,");
  EXPECT_EQ(*t->execute(Json::parse("[3]")), "3,");
  EXPECT_EQ(*t->execute(Json::parse("[]")), "");
}

TEST(TemplateTest, HeaderAndRowsMakeADockerTable) {
  Result<Template> t = Template::parse(prepare_format(R"(table {{.ID}}\t{{upper .Names}})"));
  ASSERT_TRUE(t.ok());
  std::string header =
      *t->execute_header(Json::parse(R"({"ID": "CONTAINER ID", "Names": "NAMES"})"));
  std::vector<std::string> rows = {*t->execute(Json::parse(R"({"ID": "abc", "Names": "web"})"))};
  EXPECT_EQ(format_table(header, rows), "CONTAINER ID   NAMES\nabc            WEB\n");
}

TEST(TemplateTest, DeepNestingIsBounded) {
  std::string parens = "{{" + std::string(2000, '(') + "1" + std::string(2000, ')') + "}}";
  Result<Template> t = Template::parse(parens);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "template: :1: max expression depth exceeded");

  std::string ifs;
  for (int i = 0; i < 2000; ++i) ifs += "{{if 1}}";
  for (int i = 0; i < 2000; ++i) ifs += "{{end}}";
  t = Template::parse(ifs);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "template: :1: max nesting depth exceeded");
}

TEST(TemplateTest, NestingWithinTheBoundExecutes) {
  std::string parens = "{{" + std::string(900, '(') + "1" + std::string(900, ')') + "}}";
  Result<Template> t = Template::parse(parens);
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(*t->execute(Json::object()), "1");

  std::string ifs;
  for (int i = 0; i < 900; ++i) ifs += "{{if 1}}";
  ifs += "x";
  for (int i = 0; i < 900; ++i) ifs += "{{end}}";
  t = Template::parse(ifs);
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(*t->execute(Json::object()), "x");
}

}  // namespace
}  // namespace berth::tmpl

#include "logging/log_attributes.h"

#include <gtest/gtest.h>

namespace berth::logging {
namespace {

ContainerInfo info() {
  ContainerInfo i;
  i.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  i.name = "/web";
  i.image_id = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
  i.image_name = "nginx:latest";
  i.entrypoint = "/docker-entrypoint.sh";
  i.args = {"nginx", "-g", "daemon off;"};
  i.env = {"PATH=/usr/bin", "APP_MODE=prod", "APP_ID=7", "EMPTY=", "NOVALUE"};
  i.labels = {{"com.example.team", "core"}, {"com.example.tier", "web"}, {"other", "x"}};
  i.daemon_name = "berth";
  return i;
}

TEST(LogAttributesTest, SelectsLabelsAndEnv) {
  auto a = extra_log_attributes(
      {{"labels", "com.example.team,missing"}, {"env", "APP_MODE,EMPTY,NOVALUE"}}, info());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<LogAttr>{
                    {"APP_MODE", "prod"}, {"EMPTY", ""}, {"com.example.team", "core"}}));
}

TEST(LogAttributesTest, SelectsByUnanchoredRegex) {
  auto a = extra_log_attributes({{"labels-regex", "example\\.t"}, {"env-regex", "^APP_"}}, info());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<LogAttr>{{"APP_ID", "7"},
                                      {"APP_MODE", "prod"},
                                      {"com.example.team", "core"},
                                      {"com.example.tier", "web"}}));
  auto bad = extra_log_attributes({{"env-regex", "("}}, info());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("error parsing regexp"), std::string::npos);
}

TEST(LogAttributesTest, ExpandsTagTemplates) {
  auto tag = [](const std::string& t) {
    auto r = parse_log_tag({{"tag", t}}, info());
    return r.ok() ? *r : "error: " + r.error().message();
  };
  EXPECT_EQ(tag(""), "");
  EXPECT_EQ(tag("{{.ID}}"), "0123456789ab");
  EXPECT_EQ(tag("{{.FullID}}"), info().id);
  EXPECT_EQ(tag("{{.Name}}"), "web");
  EXPECT_EQ(tag("{{.ImageID}}"), "fedcba987654");
  EXPECT_EQ(tag("{{.ImageName}}/{{ .Name }}"), "nginx:latest/web");
  EXPECT_EQ(tag("{{.Command}}"), "/docker-entrypoint.sh nginx -g daemon off;");
  EXPECT_EQ(tag("{{.DaemonName}}|static"), "berth|static");
  EXPECT_EQ(tag("{{.Nope}}"),
            "error: template: log-tag: can't evaluate field Nope in type *logger.Info");
  EXPECT_EQ(tag("{{.Name | upper}}"),
            "error: template: log-tag: unsupported action {{.Name | upper}}");
}

TEST(LogAttributesTest, TagJoinsTheAttributes) {
  auto a = log_attributes({{"tag", "{{.Name}}"}, {"labels", "other"}}, info());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<LogAttr>{{"other", "x"}, {"tag", "web"}}));
  a = log_attributes({}, info());
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->empty());
}

}  // namespace
}  // namespace berth::logging

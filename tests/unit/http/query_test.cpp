#include "http/query.h"

#include <gtest/gtest.h>

#include "http/api_version.h"
#include "http/headers.h"

namespace berth::http {
namespace {

TEST(QueryTest, ParsesRepeatedKeysAndEscapes) {
  auto q = QueryParams::parse("filters=%7B%22a%22%3A1%7D&all=1&name=a+b&name=c%20d&flag");
  ASSERT_TRUE(q.ok()) << q.error().to_string();
  EXPECT_EQ(q->value("filters"), "{\"a\":1}");
  EXPECT_EQ(q->value("all"), "1");
  auto names = q->get_all("name");
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "a b");
  EXPECT_EQ(names[1], "c d");
  EXPECT_TRUE(q->has("flag"));
  EXPECT_EQ(q->value("flag"), "");
  EXPECT_FALSE(q->has("missing"));
  EXPECT_EQ(q->value("missing", "dflt"), "dflt");
}

TEST(QueryTest, RejectsBadEscapeWithGoMessage) {
  auto q = QueryParams::parse("a=%zz");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().message(), "invalid URL escape \"%zz\"");
  EXPECT_FALSE(QueryParams::parse("a=%4").ok());
}

TEST(QueryTest, DockerBooleans) {
  auto q = QueryParams::parse(
               "t1=1&t2=true&t3=True&t4=yes&t5=anything&f1=0&f2=false&f3=no&f4=none&f5=&f6=FALSE")
               .take();
  for (auto key : {"t1", "t2", "t3", "t4", "t5"}) EXPECT_TRUE(q.get_bool(key)) << key;
  for (auto key : {"f1", "f2", "f3", "f4", "f5", "f6", "absent"})
    EXPECT_FALSE(q.get_bool(key)) << key;
  EXPECT_TRUE(q.get_bool("absent", true));
  EXPECT_FALSE(q.get_bool("f1", true));  // present: its value wins over the default
}

TEST(QueryTest, Integers) {
  auto q = QueryParams::parse("tail=100&bad=x&empty=").take();
  EXPECT_EQ(*q.get_int("tail", 0), 100);
  EXPECT_EQ(*q.get_int("absent", -1), -1);
  EXPECT_EQ(*q.get_int("empty", 7), 7);
  EXPECT_FALSE(q.get_int("bad", 0).ok());
}

TEST(QueryTest, EncodeSortsKeysAndEscapes) {
  QueryParams q;
  q.add("b", "x y");
  q.add("a", "1");
  q.add("b", "{\"k\":[\"v\"]}");
  EXPECT_EQ(q.encode(), "a=1&b=x+y&b=%7B%22k%22%3A%5B%22v%22%5D%7D");
  auto back = QueryParams::parse(q.encode()).take();
  EXPECT_EQ(back.get_all("b")[1], "{\"k\":[\"v\"]}");
}

TEST(QueryTest, PercentDecodeKeepsPlusInPaths) {
  EXPECT_EQ(*percent_decode("/images/a+b%2Fc", false), "/images/a+b/c");
  EXPECT_EQ(*percent_decode("a+b", true), "a b");
  EXPECT_EQ(path_escape("my image:tag/x"), "my%20image:tag%2Fx");
}

TEST(HeadersTest, CaseInsensitive) {
  Headers h;
  h.add("Content-Type", "application/json");
  h.add("X-Multi", "a");
  h.add("x-multi", "b");
  EXPECT_EQ(h.value("content-type"), "application/json");
  EXPECT_EQ(h.get_all("X-MULTI").size(), 2u);
  h.set("X-Multi", "c");
  EXPECT_EQ(h.get_all("x-multi").size(), 1u);
  h.remove("CONTENT-TYPE");
  EXPECT_FALSE(h.has("Content-Type"));
}

TEST(HeadersTest, Tokens) {
  Headers h{{"Connection", "keep-alive, Upgrade"}};
  EXPECT_TRUE(h.has_token("connection", "upgrade"));
  EXPECT_FALSE(h.has_token("connection", "close"));
}

TEST(HeadersTest, MergeMissingKeepsOwnValues) {
  Headers own{{"Server", "mine"}};
  Headers extra{{"server", "theirs"}, {"Api-Version", "1.47"}, {"X-Two", "1"}, {"X-Two", "2"}};
  own.merge_missing(extra);
  EXPECT_EQ(own.value("Server"), "mine");
  EXPECT_EQ(own.value("Api-Version"), "1.47");
  EXPECT_EQ(own.get_all("X-Two").size(), 2u);
}

TEST(ApiVersionTest, CompareAndPrefix) {
  EXPECT_LT(compare_api_versions("1.9", "1.10"), 0);
  EXPECT_EQ(compare_api_versions("1.47", "1.47.0"), 0);
  EXPECT_GT(compare_api_versions("1.48", "1.47"), 0);
  auto v = split_version_prefix("/v1.41/containers/json");
  EXPECT_EQ(v.version, "1.41");
  EXPECT_EQ(v.path, "/containers/json");
  EXPECT_FALSE(split_version_prefix("/volumes/v1").version);
  EXPECT_FALSE(split_version_prefix("/version").version);
  EXPECT_FALSE(split_version_prefix("/vx/info").version);
}

}  // namespace
}  // namespace berth::http

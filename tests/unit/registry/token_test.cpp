#include <gtest/gtest.h>

#include "registry/token_cache.h"
#include "registry/token_client.h"

namespace berth::registry {
namespace {

using namespace std::chrono_literals;

TEST(TokenResponseTest, AcceptsBothNames) {
  auto a =
      parse_token_response(R"({"token":"t1","expires_in":300,"issued_at":"2024-01-01T00:00:00Z"})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->token, "t1");
  EXPECT_EQ(a->expires_in, 300s);
  auto b = parse_token_response(R"({"access_token":"t2","refresh_token":"r2"})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->token, "t2");
  EXPECT_EQ(b->refresh_token, "r2");
  EXPECT_EQ(b->expires_in, 60s);  // the token spec's default
  auto c = parse_token_response(R"({"token":"t3","access_token":"t3","expires_in":0})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->expires_in, 60s);
  EXPECT_FALSE(parse_token_response(R"({"expires_in":60})").ok());
  EXPECT_FALSE(parse_token_response("not json").ok());
  EXPECT_FALSE(parse_token_response("[]").ok());
}

TEST(TokenCacheTest, ExpiresEarly) {
  auto now = std::chrono::steady_clock::time_point{} + 1000s;
  TokenCache cache([&] { return now; });
  std::string key = TokenCache::key("https://auth/token", "svc", {"repository:a:pull"}, "user:u");
  EXPECT_EQ(cache.get(key), std::nullopt);
  cache.put(key, "tok", 300s);
  EXPECT_EQ(cache.get(key), "tok");
  now += 269s;
  EXPECT_EQ(cache.get(key), "tok");
  now += 1s;  // 300 s less a 30 s margin
  EXPECT_EQ(cache.get(key), std::nullopt);

  cache.put(key, "short", 60s);  // margin: a tenth
  now += 53s;
  EXPECT_EQ(cache.get(key), "short");
  now += 1s;
  EXPECT_EQ(cache.get(key), std::nullopt);

  cache.put(key, "gone", 60s);
  cache.erase(key);
  EXPECT_EQ(cache.get(key), std::nullopt);
}

TEST(TokenCacheTest, KeysIgnoreScopeOrderButNotIdentity) {
  EXPECT_EQ(TokenCache::key("r", "s", {"repository:a:pull", "repository:b:pull"}, ""),
            TokenCache::key("r", "s",
                            {"repository:b:pull", "repository:a:pull", "repository:a:pull"}, ""));
  EXPECT_NE(TokenCache::key("r", "s", {"repository:a:pull"}, ""),
            TokenCache::key("r", "s", {"repository:a:pull,push"}, ""));
  EXPECT_NE(TokenCache::key("r", "s", {}, "user:a"), TokenCache::key("r", "s", {}, "user:b"));
  EXPECT_NE(TokenCache::key("r", "s1", {}, ""), TokenCache::key("r", "s2", {}, ""));
}

}  // namespace
}  // namespace berth::registry

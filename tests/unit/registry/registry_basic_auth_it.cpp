// Against the real registry with htpasswd (HTTP basic) auth.
#include "registry_it_util.h"
#include "test_pki.h"

namespace berth::registry {
namespace {

class BasicAuthRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_REGISTRY();
    std::string htpasswd = dir_.path() + "/htpasswd";
    ASSERT_TRUE(write_file(htpasswd, htpasswd_line("testuser", "testpass")).ok());
    RegistryConfig config;
    config.auth_yaml =
        "auth:\n  htpasswd:\n    realm: berth-basic-realm\n    path: " + htpasswd + "\n";
    auto r = RegistryProcess::start(dir_.path(), config);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    registry_ = r.take();
  }
  Repository repo(const std::string& path) const { return {registry_->host(), path}; }

  TempDir dir_;
  std::unique_ptr<RegistryProcess> registry_;
};

TEST_F(BasicAuthRegistryTest, Login) {
  Client client(test_options(), nullptr);
  auto ok = client.login(registry_->host(), Credentials{"testuser", "testpass", "", ""});
  EXPECT_TRUE(ok.ok()) << ok.error().to_string();

  auto wrong = client.login(registry_->host(), Credentials{"testuser", "wrong", "", ""});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(wrong.error().message(), "unauthorized: incorrect username or password");

  auto unknown = client.login(registry_->host(), Credentials{"nobody", "testpass", "", ""});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kPermissionDenied);
}

TEST_F(BasicAuthRegistryTest, AnonymousIsRefused) {
  Client client(test_options(), nullptr);
  EXPECT_TRUE(client.ping(registry_->host()).ok());  // reachable, even if we may not pull
  auto m = client.get_manifest(repo("berth/private"), "latest", accept_all());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(m.error().message(), "unauthorized: authentication required");
}

TEST_F(BasicAuthRegistryTest, PushAndPullWithStoredCredentials) {
  CredentialStore store(dir_.path() + "/config.json");
  ASSERT_TRUE(store.set(registry_->host(), Credentials{"testuser", "testpass", "", ""}).ok());
  Client client(test_options(), &store);
  EXPECT_TRUE(client.ping(registry_->host()).ok());
  Repository r = repo("berth/basic");
  Blob config("{}");
  Blob layer(random_bytes(70'000, 11));
  ASSERT_TRUE(
      client.push_blob(r, config.digest, config.size(), config.source(), std::nullopt, 0, nullptr)
          .ok());
  auto st = client.push_blob(r, layer.digest, layer.size(), layer.source(), std::nullopt, 30'000,
                             nullptr);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  auto digest = client.put_manifest(r, "v1", kOciManifest, image_manifest(config, {&layer}));
  ASSERT_TRUE(digest.ok()) << digest.error().to_string();
  auto m = client.get_manifest(r, "v1", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->digest, *digest);
  std::string got;
  store::StringWriter sink(&got);
  ASSERT_TRUE(client.fetch_blob(r, layer.digest, layer.size(), sink, nullptr).ok());
  EXPECT_EQ(got, layer.bytes);
  auto tags = client.list_tags(r);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, std::vector<std::string>{"v1"});
}

TEST_F(BasicAuthRegistryTest, WrongStoredCredentials) {
  CredentialStore store(dir_.path() + "/config.json");
  ASSERT_TRUE(store.set(registry_->host(), Credentials{"testuser", "stale", "", ""}).ok());
  Client client(test_options(), &store);
  auto ping = client.ping(registry_->host());
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ping.error().message(), "unauthorized: incorrect username or password");
  auto m = client.get_manifest(repo("berth/basic"), "v1", accept_all());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace berth::registry

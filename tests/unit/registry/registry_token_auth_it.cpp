// Against the real registry with token auth: a token server in the test issues RS256 JWTs
// (x5c-signed with a test certificate the registry trusts).
#include <atomic>
#include <thread>

#include "base/strings.h"
#include "registry/base64.h"
#include "registry_it_util.h"
#include "test_http_server.h"
#include "test_pki.h"

namespace berth::registry {
namespace {

constexpr const char* kService = "berth-test-registry";
constexpr const char* kIssuer = "berth-test-issuer";
constexpr const char* kUser = "testuser";
constexpr const char* kPassword = "testpass";
constexpr const char* kRefreshToken = "refresh-testuser";

// Grants everything asked for to testuser, and pull on public/* to anyone.
class TokenServer {
 public:
  TokenServer(CertKey signer, std::string x5c, bool access_token_field)
      : signer_(std::move(signer)),
        x5c_(std::move(x5c)),
        access_token_field_(access_token_field),
        http_([this](const TestRequest& r) { return handle(r); }) {}

  std::string realm() const { return http_.url() + "/token"; }
  std::vector<TestRequest> requests() const { return http_.requests(); }
  // The token requests whose scopes were exactly `scopes` (in any order).
  int count_scopes(std::vector<std::string> scopes) const {
    std::sort(scopes.begin(), scopes.end());
    int n = 0;
    for (const auto& r : requests()) {
      auto s = scopes_of(r);
      std::sort(s.begin(), s.end());
      n += s == scopes;
    }
    return n;
  }
  static std::vector<std::string> scopes_of(const TestRequest& r) {
    if (r.method == "POST") {
      auto form = parse_form(r.body);
      std::vector<std::string> out;
      for (const auto& s : split(form["scope"], ' ')) {
        if (!s.empty()) out.push_back(s);
      }
      return out;
    }
    return r.query_all("scope");
  }

 private:
  TestResponse handle(const TestRequest& r) {
    if (r.path != "/token") return TestResponse::json(404, "{}");
    bool authed = false;
    bool offline = false;
    if (r.method == "POST") {
      auto form = parse_form(r.body);
      if (form["grant_type"] != "refresh_token" || form["refresh_token"] != kRefreshToken)
        return TestResponse::json(401, R"({"error":"invalid_grant"})");
      authed = true;
      offline = form["access_type"] == "offline";
    } else {
      std::string auth = r.header("authorization");
      if (!auth.empty()) {
        if (auth != "Basic " + base64_encode(std::string(kUser) + ":" + kPassword))
          return TestResponse::json(401, R"({"details":"incorrect username or password"})");
        authed = true;
      }
      offline = r.query.count("offline_token") && r.query.at("offline_token") == "true";
    }
    Json access = Json::array();
    for (const auto& scope : scopes_of(r)) {
      auto parts = split(scope, ':');
      if (parts.size() != 3 || parts[0] != "repository") continue;
      Json actions = Json::array();
      for (const auto& action : split(parts[2], ',')) {
        if (authed || (parts[1].starts_with("public/") && action == "pull"))
          actions.push_back(action);
      }
      access.push_back({{"type", "repository"}, {"name", parts[1]}, {"actions", actions}});
    }
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    Json claims = {{"iss", kIssuer},
                   {"sub", authed ? kUser : ""},
                   {"aud", kService},
                   {"exp", now + 300},
                   {"nbf", now - 10},
                   {"iat", now},
                   {"jti", std::to_string(++serial_)},
                   {"access", access}};
    Json header = {{"typ", "JWT"}, {"alg", "RS256"}, {"x5c", Json::array({x5c_})}};
    auto jwt = sign_jwt_rs256(header, claims, signer_.key);
    if (!jwt.ok()) return TestResponse::json(500, "{}");
    Json body = {{access_token_field_ ? "access_token" : "token", *jwt}, {"expires_in", 300}};
    if (offline && authed) body["refresh_token"] = kRefreshToken;
    return TestResponse::json(200, body.dump());
  }

  CertKey signer_;
  std::string x5c_;
  bool access_token_field_;
  std::atomic<int> serial_{0};
  TestHttpServer http_;
};

class TokenAuthRegistryTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_REGISTRY();
    SKIP_WITHOUT_OPENSSL();
    auto signer = make_self_signed(dir_.path(), "token-signer");
    ASSERT_TRUE(signer.ok()) << signer.error().to_string();
    auto x5c = cert_der_base64(signer->cert);
    ASSERT_TRUE(x5c.ok());
    tokens_ = std::make_unique<TokenServer>(*signer, *x5c, GetParam());
    RegistryConfig config;
    config.auth_yaml = std::string("auth:\n  token:\n") + "    realm: " + tokens_->realm() + "\n" +
                       "    service: " + kService + "\n    issuer: " + kIssuer + "\n" +
                       "    rootcertbundle: " + signer->cert + "\n";
    auto r = RegistryProcess::start(dir_.path(), config);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    registry_ = r.take();
    store_ = std::make_unique<CredentialStore>(dir_.path() + "/config.json");
    ASSERT_TRUE(store_->set(registry_->host(), Credentials{kUser, kPassword, "", ""}).ok());
  }
  Repository repo(const std::string& path) const { return {registry_->host(), path}; }

  void push_image(Client& client, const Repository& r, const Blob& config, const Blob& layer,
                  const std::string& tag) {
    auto st = client.push_blob(r, config.digest, config.size(), config.source(), std::nullopt, 0,
                               nullptr);
    ASSERT_TRUE(st.ok()) << st.error().to_string() << "\n" << registry_->log();
    st = client.push_blob(r, layer.digest, layer.size(), layer.source(), std::nullopt, 0, nullptr);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    auto d = client.put_manifest(r, tag, kOciManifest, image_manifest(config, {&layer}));
    ASSERT_TRUE(d.ok()) << d.error().to_string();
  }

  TempDir dir_;
  std::unique_ptr<TokenServer> tokens_;
  std::unique_ptr<RegistryProcess> registry_;
  std::unique_ptr<CredentialStore> store_;
};

TEST_P(TokenAuthRegistryTest, PushAndPullWithPassword) {
  Client client(test_options(), store_.get());
  Repository r = repo("team/app");
  Blob config("{}");
  Blob layer(random_bytes(50'000, 21));
  push_image(client, r, config, layer, "v1");
  auto m = client.get_manifest(r, "v1", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  std::string got;
  store::StringWriter sink(&got);
  ASSERT_TRUE(client.fetch_blob(r, layer.digest, layer.size(), sink, nullptr).ok());
  EXPECT_EQ(got, layer.bytes);
  auto tags = client.list_tags(r);
  ASSERT_TRUE(tags.ok()) << tags.error().to_string();
  EXPECT_EQ(*tags, std::vector<std::string>{"v1"});

  // Tokens are cached per scope: one fetch for push, one for pull, however many requests.
  EXPECT_EQ(tokens_->count_scopes({"repository:team/app:pull,push"}), 1);
  EXPECT_EQ(tokens_->count_scopes({"repository:team/app:pull"}), 1);
  for (const auto& req : tokens_->requests()) {
    EXPECT_EQ(req.query.at("service"), kService);
    EXPECT_EQ(req.header("authorization"), "Basic " + base64_encode("testuser:testpass"));
  }
}

TEST_P(TokenAuthRegistryTest, ParallelTransfersFetchOneToken) {
  Repository r = repo("team/parallel");
  std::vector<std::unique_ptr<Blob>> blobs;
  for (unsigned i = 0; i < 6; ++i)
    blobs.push_back(std::make_unique<Blob>(random_bytes(20'000 + i, 200 + i)));
  Client pusher(test_options(), store_.get());
  for (const auto& b : blobs)
    ASSERT_TRUE(
        pusher.push_blob(r, b->digest, b->size(), b->source(), std::nullopt, 0, nullptr).ok());

  Client client(test_options(), store_.get());
  std::vector<std::thread> threads;
  std::vector<Status> results(blobs.size());
  std::vector<std::string> got(blobs.size());
  for (size_t i = 0; i < blobs.size(); ++i) {
    threads.emplace_back([&, i] {
      store::StringWriter sink(&got[i]);
      results[i] = client.fetch_blob(r, blobs[i]->digest, blobs[i]->size(), sink, nullptr);
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < blobs.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().to_string();
    EXPECT_EQ(got[i], blobs[i]->bytes);
  }
  EXPECT_EQ(tokens_->count_scopes({"repository:team/parallel:pull"}), 1);
}

TEST_P(TokenAuthRegistryTest, AnonymousPullsPublicButCannotPush) {
  Client owner(test_options(), store_.get());
  Blob config("{}");
  Blob layer(random_bytes(1000, 22));
  push_image(owner, repo("public/app"), config, layer, "latest");

  Client anonymous(test_options(), nullptr);
  auto m = anonymous.get_manifest(repo("public/app"), "latest", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  // A layer the registry has "already exists" with pull access alone; a new one needs push.
  ProgressLog progress;
  ASSERT_TRUE(anonymous
                  .push_blob(repo("public/app"), layer.digest, layer.size(), layer.source(),
                             std::nullopt, 0, progress.fn())
                  .ok());
  EXPECT_TRUE(progress.saw("Layer already exists"));
  Blob fresh(random_bytes(1000, 25));
  auto denied = anonymous.push_blob(repo("public/app"), fresh.digest, fresh.size(), fresh.source(),
                                    std::nullopt, 0, nullptr);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(denied.error().message().find("unauthorized"), std::string::npos)
      << denied.error().message();
  auto private_repo = anonymous.get_manifest(repo("team/secret"), "latest", accept_all());
  ASSERT_FALSE(private_repo.ok());
  EXPECT_EQ(private_repo.error().code(), ErrorCode::kPermissionDenied);
}

TEST_P(TokenAuthRegistryTest, CrossRepositoryMountAsksForBothScopes) {
  Client client(test_options(), store_.get());
  Blob layer(random_bytes(30'000, 23));
  ASSERT_TRUE(client
                  .push_blob(repo("team/src"), layer.digest, layer.size(), layer.source(),
                             std::nullopt, 0, nullptr)
                  .ok());
  ProgressLog progress;
  auto st = client.push_blob(repo("team/dst"), layer.digest, layer.size(), layer.source(),
                             repo("team/src"), 0, progress.fn());
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(progress.saw("Mounted from team/src"));
  EXPECT_EQ(tokens_->count_scopes({"repository:team/dst:pull,push", "repository:team/src:pull"}),
            1);
}

TEST_P(TokenAuthRegistryTest, Login) {
  Client client(test_options(), nullptr);
  std::string identity;
  auto ok = client.login(registry_->host(), Credentials{kUser, kPassword, "", ""}, &identity);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(identity, kRefreshToken);  // the refresh token docker would store instead
  auto wrong = client.login(registry_->host(), Credentials{kUser, "nope", "", ""});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(wrong.error().message(), "unauthorized: incorrect username or password");
  EXPECT_TRUE(client.ping(registry_->host()).ok());
}

TEST_P(TokenAuthRegistryTest, IdentityTokenUsesOAuthPost) {
  Client owner(test_options(), store_.get());
  Blob config("{}");
  Blob layer(random_bytes(1000, 24));
  push_image(owner, repo("team/oauth"), config, layer, "v1");

  CredentialStore with_token(dir_.path() + "/token.json");
  ASSERT_TRUE(with_token.set(registry_->host(), Credentials{"", "", kRefreshToken, ""}).ok());
  Client client(test_options(), &with_token);
  size_t before = tokens_->requests().size();
  auto m = client.get_manifest(repo("team/oauth"), "v1", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto requests = tokens_->requests();
  ASSERT_GT(requests.size(), before);
  const TestRequest& post = requests.back();
  EXPECT_EQ(post.method, "POST");
  auto form = parse_form(post.body);
  EXPECT_EQ(form["grant_type"], "refresh_token");
  EXPECT_EQ(form["service"], kService);
  EXPECT_EQ(form["scope"], "repository:team/oauth:pull");

  CredentialStore bad_token(dir_.path() + "/bad.json");
  ASSERT_TRUE(bad_token.set(registry_->host(), Credentials{"", "", "revoked", ""}).ok());
  Client bad(test_options(), &bad_token);
  auto denied = bad.get_manifest(repo("team/oauth"), "v1", accept_all());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code(), ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(TokenField, TokenAuthRegistryTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "access_token" : "token"; });

}  // namespace
}  // namespace berth::registry

// Against fake registries in the test: broken transfers, redirects, retries, pagination,
// mirrors and auth corner cases that a well-behaved registry does not produce.
#include <atomic>

#include "base/strings.h"
#include "registry/base64.h"
#include "registry/registry_url.h"
#include "registry_it_util.h"
#include "test_http_server.h"

namespace berth::registry {
namespace {

TestResponse v2_ok() {
  return TestResponse::json(200, "{}");
}

std::string blob_path_for(const Blob& b) {
  return "/v2/x/blobs/" + b.digest.to_string();
}

// "bytes=100-" -> 100; 0 when absent.
size_t range_start(const TestRequest& r) {
  std::string range = r.header("range");
  if (!range.starts_with("bytes=")) return 0;
  return std::stoul(range.substr(6, range.find('-') - 6));
}

RegistryOptions fast_options(int attempts = 3) {
  RegistryOptions o = test_options();
  o.max_attempts = attempts;
  o.initial_backoff_ms = 1;
  o.max_backoff_ms = 5;
  return o;
}

int count(const TestHttpServer& s, const std::string& method, const std::string& path_prefix) {
  int n = 0;
  for (const auto& r : s.requests()) n += r.method == method && r.path.starts_with(path_prefix);
  return n;
}

TEST(FakeRegistryTest, TruncatedBlobFailsClearlyWhenItCannotResume) {
  Blob blob(random_bytes(20'000, 41));
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    // Always the whole blob (Range ignored), always cut at half.
    TestResponse resp{200, {}, blob.bytes, blob.bytes.size() / 2};
    return resp;
  });
  Client client(fast_options(3), nullptr);
  std::string got;
  store::StringWriter sink(&got);
  ProgressLog progress;
  auto st = client.fetch_blob({server.host(), "x"}, blob.digest, blob.size(), sink, progress.fn());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(st.error().message().find("GET http://" + server.host() + blob_path_for(blob)),
            std::string::npos)
      << st.error().message();
  EXPECT_TRUE(progress.saw("Retrying in"));
  EXPECT_EQ(count(server, "GET", "/v2/x/blobs/"), 3);
  // The retries asked to resume after what the sink already had.
  auto requests = server.requests();
  EXPECT_EQ(requests.back().header("range"), "bytes=10000-");
  EXPECT_EQ(got, blob.bytes.substr(0, 10'000));
}

TEST(FakeRegistryTest, ResumesWithRangeAfterDroppedConnections) {
  Blob blob(random_bytes(35'000, 42));
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    size_t start = range_start(r);
    TestResponse resp;
    if (start > 0) {
      resp.status = 206;
      resp.headers.push_back(
          {"Content-Range",
           fmt::format("bytes {}-{}/{}", start, blob.bytes.size() - 1, blob.bytes.size())});
    }
    resp.body = blob.bytes.substr(start);
    resp.send_only = 10'000;  // each connection drops after 10000 bytes
    return resp;
  });
  Client client(fast_options(2), nullptr);
  std::string got;
  store::StringWriter sink(&got);
  auto st = client.fetch_blob({server.host(), "x"}, blob.digest, blob.size(), sink, nullptr);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(got, blob.bytes);
  std::vector<std::string> ranges;
  for (const auto& r : server.requests()) {
    if (r.path.starts_with("/v2/x/blobs/")) ranges.push_back(r.header("range"));
  }
  EXPECT_EQ(ranges, (std::vector<std::string>{"", "bytes=10000-", "bytes=20000-", "bytes=30000-"}));
}

TEST(FakeRegistryTest, SkipsWhatItHasWhenRangeIsIgnored) {
  Blob blob(random_bytes(30'000, 43));
  std::atomic<int> gets{0};
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    TestResponse resp{200, {}, blob.bytes, std::nullopt};
    if (++gets == 1) resp.send_only = 12'345;
    return resp;
  });
  Client client(fast_options(), nullptr);
  std::string got;
  store::StringWriter sink(&got);
  auto st = client.fetch_blob({server.host(), "x"}, blob.digest, blob.size(), sink, nullptr);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(got, blob.bytes);
  EXPECT_EQ(gets, 2);
}

TEST(FakeRegistryTest, WrongBlobBytesAreDataLoss) {
  Blob blob(random_bytes(10'000, 44));
  std::string served;
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    return TestResponse{200, {}, served, std::nullopt};
  });
  Client client(fast_options(), nullptr);

  served = blob.bytes;
  served[5] ^= 1;  // same size, other content
  std::string got;
  store::StringWriter sink(&got);
  auto st = client.fetch_blob({server.host(), "x"}, blob.digest, blob.size(), sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(st.error().message().find("digest mismatch"), std::string::npos);

  served = blob.bytes + "trailing garbage";  // longer than expected
  got.clear();
  st = client.fetch_blob({server.host(), "x"}, blob.digest, blob.size(), sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kDataLoss);
  EXPECT_LE(got.size(), blob.bytes.size());

  served = blob.bytes.substr(0, 9'000);  // shorter, and the server says so
  got.clear();
  st = client.fetch_blob({server.host(), "x"}, blob.digest, blob.size(), sink, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kDataLoss);
}

TEST(FakeRegistryTest, ManifestThatDoesNotMatchItsDigest) {
  std::string real =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})";
  std::string other =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"})";
  store::Digest real_digest = store::Digest::of(real);
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    TestResponse resp{200, {{"Content-Type", kOciManifest}}, other, std::nullopt};
    if (r.path.ends_with("/lying-tag"))
      resp.headers.push_back({"Docker-Content-Digest", real_digest.to_string()});
    return resp;
  });
  Client client(fast_options(), nullptr);
  Repository repo{server.host(), "x"};
  auto by_digest = client.get_manifest(repo, real_digest.to_string(), accept_all());
  ASSERT_FALSE(by_digest.ok());
  EXPECT_EQ(by_digest.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(by_digest.error().message().find(real_digest.to_string()), std::string::npos);

  auto lying = client.get_manifest(repo, "lying-tag", accept_all());
  ASSERT_FALSE(lying.ok());
  EXPECT_EQ(lying.error().code(), ErrorCode::kDataLoss);

  auto plain = client.get_manifest(repo, "plain-tag", accept_all());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->digest, store::Digest::of(other));
  EXPECT_EQ(plain->media_type, kOciManifest);
  auto accept = server.requests().back().header("accept");
  EXPECT_NE(accept.find(kOciIndex), std::string::npos) << accept;
}

TEST(FakeRegistryTest, VagueContentTypeFallsBackToTheDocument) {
  std::string body =
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json"})";
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    return TestResponse{
        200, {{"Content-Type", "application/json; charset=utf-8"}}, body, std::nullopt};
  });
  Client client(fast_options(), nullptr);
  auto m = client.get_manifest({server.host(), "x"}, "latest", accept_all());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->media_type, "application/vnd.docker.distribution.manifest.list.v2+json");
}

TEST(FakeRegistryTest, RedirectDoesNotCarryTheRegistryAuthorization) {
  Blob blob(random_bytes(5000, 45));
  std::string expected_auth = "Basic " + base64_encode("u:p");
  TestHttpServer storage([&](const TestRequest& r) {
    if (!r.header("authorization").empty()) return TestResponse::json(400, R"({"leak":true})");
    return TestResponse{200, {}, blob.bytes, std::nullopt};
  });
  TestHttpServer registry([&](const TestRequest& r) {
    if (r.header("authorization") != expected_auth)
      return TestResponse{401, {{"WWW-Authenticate", "Basic realm=\"fake\""}}, "", std::nullopt};
    if (r.path == "/v2/") return v2_ok();
    return TestResponse{
        307, {{"Location", storage.url() + "/bucket/blob?signature=abc"}}, "", std::nullopt};
  });
  CredentialStore store;
  ASSERT_TRUE(store.set(registry.host(), Credentials{"u", "p", "", ""}).ok());
  Client client(fast_options(), &store);
  std::string got;
  store::StringWriter sink(&got);
  auto st = client.fetch_blob({registry.host(), "x"}, blob.digest, blob.size(), sink, nullptr);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(got, blob.bytes);
  ASSERT_EQ(storage.requests().size(), 1u);
  EXPECT_EQ(storage.requests()[0].header("authorization"), "");
  EXPECT_EQ(storage.requests()[0].target, "/bucket/blob?signature=abc");
}

TEST(FakeRegistryTest, RetriesServerErrorsWithBackoff) {
  std::atomic<int> calls{0};
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    int n = ++calls;
    if (n == 1) return TestResponse{503, {}, "upstream down", std::nullopt};
    if (n == 2) return TestResponse{429, {{"Retry-After", "0"}}, "", std::nullopt};
    return TestResponse{200, {{"Content-Type", kOciManifest}}, "{}", std::nullopt};
  });
  Client client(fast_options(4), nullptr);
  auto m = client.get_manifest({server.host(), "x"}, "latest", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(calls, 3);

  TestHttpServer broken([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    return TestResponse::json(500,
                              R"({"errors":[{"code":"UNKNOWN","message":"storage failure"}]})");
  });
  auto failed = client.get_manifest({broken.host(), "x"}, "latest", accept_all());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(failed.error().message(), "unknown: storage failure");
  EXPECT_EQ(count(broken, "GET", "/v2/x/manifests/"), 4);

  // Client errors are not retried.
  TestHttpServer missing([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    return TestResponse::json(
        404,
        R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest tagged by \"nope\" is not found"}]})");
  });
  auto nope = client.get_manifest({missing.host(), "x"}, "nope", accept_all());
  ASSERT_FALSE(nope.ok());
  EXPECT_EQ(nope.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(nope.error().message(), "manifest unknown: manifest tagged by \"nope\" is not found");
  EXPECT_EQ(count(missing, "GET", "/v2/x/manifests/"), 1);
}

TEST(FakeRegistryTest, TagPagination) {
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    if (r.query.count("last") == 0)
      return TestResponse{200,
                          {{"Link", "</v2/x/tags/list?n=2&last=b>; rel=\"next\""}},
                          R"({"name":"x","tags":["a","b"]})",
                          std::nullopt};
    if (r.query.at("last") == "b")
      return TestResponse{
          200,
          {{"Link", "<" + std::string("/v2/x/tags/list?n=2&last=d") + ">; rel=\"next\""}},
          R"({"name":"x","tags":["c","d"]})",
          std::nullopt};
    return TestResponse::json(200, R"({"name":"x","tags":null})");
  });
  Client client(fast_options(), nullptr);
  auto tags = client.list_tags({server.host(), "x"});
  ASSERT_TRUE(tags.ok()) << tags.error().to_string();
  EXPECT_EQ(*tags, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(FakeRegistryTest, MirrorsComeFirstAndFallBack) {
  std::string manifest =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","from":"x"})";
  Blob blob(random_bytes(4000, 46));
  TestHttpServer upstream([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    if (r.path.find("/blobs/") != std::string::npos)
      return TestResponse{200, {}, blob.bytes, std::nullopt};
    return TestResponse{200, {{"Content-Type", kOciManifest}}, manifest, std::nullopt};
  });
  TestHttpServer mirror([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    if (r.path.find("/blobs/") != std::string::npos)
      return TestResponse::json(
          404, R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]})");
    return TestResponse{200, {{"Content-Type", kOciManifest}}, manifest, std::nullopt};
  });
  int dead_port = free_port();
  RegistryOptions o = fast_options();
  o.mirrors[upstream.host()] = {"http://127.0.0.1:" + std::to_string(dead_port), mirror.url()};
  Client client(o, nullptr);
  Repository repo{upstream.host(), "library/x"};

  auto m = client.get_manifest(repo, "latest", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(count(mirror, "GET", "/v2/library/x/manifests/latest"), 1);
  EXPECT_EQ(count(upstream, "GET", "/v2/library/x/manifests/"), 0);  // the mirror had it

  std::string got;
  store::StringWriter sink(&got);
  auto st = client.fetch_blob(repo, blob.digest, blob.size(), sink, nullptr);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(got, blob.bytes);
  EXPECT_EQ(count(mirror, "GET", "/v2/library/x/blobs/"), 1);    // tried, 404
  EXPECT_EQ(count(upstream, "GET", "/v2/library/x/blobs/"), 1);  // then the registry

  // Pushes never go to mirrors.
  auto pushed = client.put_manifest(repo, "v2", kOciManifest, manifest);
  EXPECT_EQ(count(mirror, "PUT", "/"), 0);
  (void)pushed;
}

TEST(FakeRegistryTest, ConnectionRefusedNamesTheUrl) {
  int port = free_port();
  Client client(fast_options(2), nullptr);
  auto st = client.ping("127.0.0.1:" + std::to_string(port));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kUnavailable);
  // Insecure (loopback): both schemes were tried and both are named.
  EXPECT_NE(st.error().message().find("https://127.0.0.1:" + std::to_string(port) + "/v2/"),
            std::string::npos)
      << st.error().message();
  EXPECT_NE(st.error().message().find("http://127.0.0.1:" + std::to_string(port) + "/v2/"),
            std::string::npos)
      << st.error().message();
}

TEST(FakeRegistryTest, StaleTokenIsRefreshedOnce) {
  std::atomic<int> issued{0};
  TestHttpServer tokens([&](const TestRequest&) {
    return TestResponse::json(
        200, R"({"token":"tok-)" + std::to_string(++issued) + R"(","expires_in":3600})");
  });
  std::string challenge = "Bearer realm=\"" + tokens.url() + "/token\",service=\"fake\"";
  TestHttpServer registry([&](const TestRequest& r) {
    // Only the second token is good (the first was "revoked").
    if (r.path != "/v2/" && r.header("authorization") == "Bearer tok-2")
      return TestResponse{200, {{"Content-Type", kOciManifest}}, "{}", std::nullopt};
    return TestResponse{
        401,
        {{"WWW-Authenticate", challenge + ",scope=\"repository:x:pull\""}},
        R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
        std::nullopt};
  });
  Client client(fast_options(), nullptr);
  auto m = client.get_manifest({registry.host(), "x"}, "latest", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(issued, 2);
  for (const auto& r : tokens.requests()) {
    EXPECT_EQ(r.query.at("service"), "fake");
    EXPECT_EQ(r.query_all("scope"), std::vector<std::string>{"repository:x:pull"});
  }

  // A registry that never accepts: one refresh, then the registry's error.
  issued = 100;
  auto denied = client.get_manifest({registry.host(), "y"}, "latest", accept_all());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(denied.error().message(), "unauthorized: authentication required");
  EXPECT_EQ(issued, 102);
}

TEST(FakeRegistryTest, RegistryTokenIsSentAsIs) {
  TestHttpServer registry([&](const TestRequest& r) {
    if (r.header("authorization") != "Bearer fixed-registry-token")
      return TestResponse{401,
                          {{"WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:1/token\""}},
                          "",
                          std::nullopt};
    return TestResponse{200, {{"Content-Type", kOciManifest}}, "{}", std::nullopt};
  });
  CredentialStore store;
  ASSERT_TRUE(store.set(registry.host(), Credentials{"", "", "", "fixed-registry-token"}).ok());
  Client client(fast_options(), &store);
  auto m = client.get_manifest({registry.host(), "x"}, "latest", accept_all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();  // no token server involved (its realm is dead)
}

TEST(FakeRegistryTest, ChunkedUploadHonoursMinimumChunkAndRelativeLocations) {
  Blob blob(random_bytes(12'000, 47));
  std::string received;
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    if (r.method == "HEAD") return TestResponse{404, {}, "", std::nullopt};
    if (r.method == "POST")
      return TestResponse{
          202,
          {{"Location", "/v2/x/blobs/uploads/u1?_state=s0"}, {"OCI-Chunk-Min-Length", "5000"}},
          "",
          std::nullopt};
    if (r.method == "PATCH") {
      received += r.body;
      return TestResponse{
          202,
          {{"Location", "/v2/x/blobs/uploads/u1?_state=s" + std::to_string(received.size())},
           {"Range", "0-" + std::to_string(received.size() - 1)}},
          "",
          std::nullopt};
    }
    if (r.method == "PUT")
      return TestResponse{
          201, {{"Docker-Content-Digest", blob.digest.to_string()}}, "", std::nullopt};
    return TestResponse::json(400, "{}");
  });
  Client client(fast_options(), nullptr);
  auto st = client.push_blob({server.host(), "x"}, blob.digest, blob.size(), blob.source(),
                             std::nullopt, 1000, nullptr);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(received, blob.bytes);
  std::vector<std::string> ranges;
  std::string put_target;
  for (const auto& r : server.requests()) {
    if (r.method == "PATCH") ranges.push_back(r.header("content-range"));
    if (r.method == "PUT") put_target = r.target;
  }
  EXPECT_EQ(ranges, (std::vector<std::string>{"0-4999", "5000-9999", "10000-11999"}));
  EXPECT_EQ(put_target,
            "/v2/x/blobs/uploads/u1?_state=s12000&digest=" + query_escape(blob.digest.to_string()));
}

TEST(FakeRegistryTest, ShortUploadSourceIsNotRetried) {
  Blob blob(random_bytes(5000, 48));
  TestHttpServer server([&](const TestRequest& r) {
    if (r.path == "/v2/") return v2_ok();
    if (r.method == "HEAD") return TestResponse{404, {}, "", std::nullopt};
    if (r.method == "POST")
      return TestResponse{202, {{"Location", "/v2/x/blobs/uploads/u1"}}, "", std::nullopt};
    return TestResponse{201, {}, "", std::nullopt};
  });
  int opened = 0;
  std::string half = blob.bytes.substr(0, 2500);
  auto short_source = [&]() -> Result<std::unique_ptr<store::Reader>> {
    ++opened;
    return std::unique_ptr<store::Reader>(std::make_unique<store::StringReader>(half));
  };
  Client client(fast_options(), nullptr);
  auto st = client.push_blob({server.host(), "x"}, blob.digest, blob.size(), short_source,
                             std::nullopt, 0, nullptr);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(count(server, "DELETE", "/v2/x/blobs/uploads/"), 1);  // the session was cancelled
}

}  // namespace
}  // namespace berth::registry

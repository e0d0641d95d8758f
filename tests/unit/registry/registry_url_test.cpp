#include "registry/registry_url.h"

#include <gtest/gtest.h>

#include "registry/session.h"

namespace berth::registry {
namespace {

TEST(RegistryUrlTest, ApiHost) {
  EXPECT_EQ(api_host("docker.io"), "registry-1.docker.io");
  EXPECT_EQ(api_host("index.docker.io"), "registry-1.docker.io");
  EXPECT_EQ(api_host("ghcr.io"), "ghcr.io");
  EXPECT_EQ(api_host("127.0.0.1:5000"), "127.0.0.1:5000");
  EXPECT_EQ(normalize_registry("Registry-1.Docker.IO"), "docker.io");
}

TEST(RegistryUrlTest, Paths) {
  EXPECT_EQ(manifest_path("library/busybox", "latest"), "/v2/library/busybox/manifests/latest");
  EXPECT_EQ(blob_path("a/b", "sha256:abc"), "/v2/a/b/blobs/sha256:abc");
  EXPECT_EQ(upload_path("a/b"), "/v2/a/b/blobs/uploads/");
  EXPECT_EQ(tags_path("a"), "/v2/a/tags/list");
  EXPECT_EQ(repository_scope("library/busybox", "pull,push"),
            "repository:library/busybox:pull,push");
}

TEST(RegistryUrlTest, Queries) {
  EXPECT_EQ(query_escape("sha256:ab/c d+e~f"), "sha256%3Aab%2Fc%20d%2Be~f");
  EXPECT_EQ(append_query("http://r/v2/x/blobs/uploads/", "mount", "sha256:1"),
            "http://r/v2/x/blobs/uploads/?mount=sha256%3A1");
  // Upload Locations carry their own state query.
  EXPECT_EQ(append_query("http://r/v2/x/blobs/uploads/u?_state=abc", "digest", "sha256:1"),
            "http://r/v2/x/blobs/uploads/u?_state=abc&digest=sha256%3A1");
  EXPECT_EQ(append_query("http://r/p?", "a", "b"), "http://r/p?a=b");
}

TEST(RegistryUrlTest, ResolveAndOrigin) {
  EXPECT_EQ(
      resolve_url("https://r.example:5000/v2/x/blobs/uploads/", "/v2/x/blobs/uploads/uuid?_state=s")
          .value(),
      "https://r.example:5000/v2/x/blobs/uploads/uuid?_state=s");
  EXPECT_EQ(resolve_url("https://r.example/v2/x/blobs/sha256:1", "https://cdn.example/blob?sig=1")
                .value(),
            "https://cdn.example/blob?sig=1");
  EXPECT_EQ(resolve_url("http://r/v2/x/tags/list", "?n=2&last=b").value(),
            "http://r/v2/x/tags/list?n=2&last=b");

  auto p = parse_url("https://Registry.Example/v2/").value();
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.host, "registry.example");
  EXPECT_EQ(p.origin, "https://registry.example:443");
  EXPECT_EQ(parse_url("http://127.0.0.1:5000/x").value().host, "127.0.0.1:5000");
  EXPECT_EQ(parse_url("http://[::1]:5000/x").value().host, "[::1]:5000");
  // Same host, other port: another origin (the Authorization header must not follow).
  EXPECT_NE(parse_url("http://127.0.0.1:5000/").value().origin,
            parse_url("http://127.0.0.1:5001/").value().origin);
  EXPECT_EQ(parse_url("https://r/").value().origin, parse_url("https://r:443/x").value().origin);
  EXPECT_FALSE(parse_url("not a url").ok());
}

TEST(RegistryUrlTest, LinkNext) {
  EXPECT_EQ(link_next(R"(</v2/x/tags/list?n=2&last=b>; rel="next")"), "/v2/x/tags/list?n=2&last=b");
  EXPECT_EQ(link_next(R"(<https://r/a>; rel="prev", <https://r/b>; rel="next")"), "https://r/b");
  EXPECT_EQ(link_next(R"(<https://r/b>; rel=next)"), "https://r/b");
  EXPECT_EQ(link_next(R"(<https://r/a>; rel="prev")"), std::nullopt);
  EXPECT_EQ(link_next(""), std::nullopt);
}

TEST(RegistryUrlTest, ValidatesNames) {
  for (const char* good : {"busybox", "library/busybox", "a/b-c/d_e.f", "a__b", "0x/y"})
    EXPECT_TRUE(validate_repository_path(good).ok()) << good;
  for (const char* bad :
       {"", "Busybox", "a//b", "/a", "a/", "a/../b", "a?b", "a b", "-a", "a/b%2f"})
    EXPECT_FALSE(validate_repository_path(bad).ok()) << bad;
  for (const char* good :
       {"latest", "v1.2.3-rc_1", "_x",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})
    EXPECT_TRUE(validate_reference(good).ok()) << good;
  for (const char* bad : {"", ".x", "-x", "a/b", "sha256:nothex", "a?b"})
    EXPECT_FALSE(validate_reference(bad).ok()) << bad;
  EXPECT_FALSE(validate_reference(std::string(129, 'a')).ok());
}

}  // namespace
}  // namespace berth::registry

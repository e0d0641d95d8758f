#include <gtest/gtest.h>

#include <map>

#include "client/host.h"

namespace berth::client {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ParseHost, DockerRules) {
  EXPECT_EQ(*parse_host("", false), "unix:///run/berth/berth.sock");
  EXPECT_EQ(*parse_host("unix://", false), "unix:///run/berth/berth.sock");
  EXPECT_EQ(*parse_host("unix:///tmp/x.sock", false), "unix:///tmp/x.sock");
  EXPECT_EQ(*parse_host("tcp://1.2.3.4", false), "tcp://1.2.3.4:2375");
  EXPECT_EQ(*parse_host("tcp://1.2.3.4", true), "tcp://1.2.3.4:2376");
  EXPECT_EQ(*parse_host("tcp://:9000", false), "tcp://localhost:9000");
  EXPECT_EQ(*parse_host("1.2.3.4:5555", false), "tcp://1.2.3.4:5555");
  EXPECT_EQ(*parse_host("tcp://[::1]:2375", false), "tcp://[::1]:2375");
  EXPECT_EQ(*parse_host("tcp://[::1]", false), "tcp://[::1]:2375");
  EXPECT_EQ(*parse_host("tcp://host:2375/path", false), "tcp://host:2375/path");
  EXPECT_EQ(parse_host("foo://x", false).error().message(),
            "invalid bind address format: foo://x");
  EXPECT_EQ(parse_host("tcp://host:notaport", false).error().message(),
            "invalid bind address format: host:notaport");
  EXPECT_FALSE(parse_host("unix://a://b", false).ok());
}

TEST(ResolveEndpoint, FlagThenEnvThenDefault) {
  HostOptions o;
  auto e = resolve_endpoint(o, env_of({}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "unix:///run/berth/berth.sock");
  EXPECT_TRUE(e->is_default);
  EXPECT_FALSE(e->tls);

  e = resolve_endpoint(o, env_of({{"BERTH_HOST", "tcp://10.0.0.1"}}));
  EXPECT_EQ(e->host, "tcp://10.0.0.1:2375");
  EXPECT_FALSE(e->is_default);

  o.hosts = {"unix:///flag.sock"};
  e = resolve_endpoint(o, env_of({{"BERTH_HOST", "tcp://10.0.0.1"}}));
  EXPECT_EQ(e->host, "unix:///flag.sock");

  o.hosts = {"a", "b"};
  EXPECT_EQ(resolve_endpoint(o, env_of({})).error().message(), "Specify only one -H");
}

TEST(ResolveEndpoint, Tls) {
  HostOptions o;
  o.hosts = {"tcp://example.com"};
  o.tls_verify = true;
  o.tls_ca_cert = "/certs/ca.pem";
  o.tls_cert = "/certs/cert.pem";
  o.tls_key = "/certs/key.pem";
  auto e = resolve_endpoint(o, env_of({}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "tcp://example.com:2376");
  ASSERT_TRUE(e->tls);
  EXPECT_EQ(e->tls->ca_file, "/certs/ca.pem");
  EXPECT_EQ(e->tls->cert_file, "/certs/cert.pem");
  EXPECT_FALSE(e->tls->insecure_skip_verify);

  // --tls without --tlsverify: encrypted, not verified.
  HostOptions t;
  t.hosts = {"tcp://example.com:2376"};
  t.tls = true;
  e = resolve_endpoint(t, env_of({}));
  ASSERT_TRUE(e->tls);
  EXPECT_TRUE(e->tls->insecure_skip_verify);

  // BERTH_TLS_VERIFY turns verification on, like DOCKER_TLS_VERIFY.
  HostOptions v;
  v.hosts = {"tcp://example.com:2376"};
  e = resolve_endpoint(v, env_of({{"BERTH_TLS_VERIFY", "1"}, {"BERTH_CERT_PATH", "/nonexistent"}}));
  ASSERT_TRUE(e->tls);
  EXPECT_FALSE(e->tls->insecure_skip_verify);
}

TEST(UnixSocketPath, OnlyForUnixHosts) {
  EXPECT_EQ(unix_socket_path("unix:///run/x.sock"), "/run/x.sock");
  EXPECT_EQ(unix_socket_path("tcp://h:1"), "");
}

}  // namespace
}  // namespace berth::client

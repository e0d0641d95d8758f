// Against the real registry over HTTPS with a test CA: trusted through certs.d, refused
// without it, and mutual TLS with a client certificate.
#include "registry_it_util.h"
#include "test_pki.h"

namespace berth::registry {
namespace {

class TlsRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_REGISTRY();
    SKIP_WITHOUT_OPENSSL();
    auto ca = make_self_signed(dir_.path(), "test-ca");
    ASSERT_TRUE(ca.ok()) << ca.error().to_string();
    ca_ = *ca;
    auto server = make_signed_cert(dir_.path(), "registry", ca_);
    ASSERT_TRUE(server.ok()) << server.error().to_string();
    server_ = *server;
  }

  void start(bool require_client_cert) {
    RegistryConfig config;
    config.tls_cert = server_.cert;
    config.tls_key = server_.key;
    if (require_client_cert) config.client_ca = ca_.cert;
    auto r = RegistryProcess::start(dir_.path(), config);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    registry_ = r.take();
  }

  // A certs.d holding the CA (and a client certificate) for the registry's host:port.
  std::string certs_dir(bool with_client_cert) {
    std::string dir = dir_.path() + "/certs.d";
    std::string host_dir = dir + "/" + registry_->host();
    EXPECT_TRUE(make_dirs(host_dir).ok());
    EXPECT_TRUE(write_file(host_dir + "/ca.crt", read_file(ca_.cert).value()).ok());
    if (with_client_cert) {
      auto client = make_signed_cert(dir_.path(), "client", ca_, true);
      EXPECT_TRUE(client.ok());
      EXPECT_TRUE(write_file(host_dir + "/client.cert", read_file(client->cert).value()).ok());
      EXPECT_TRUE(write_file(host_dir + "/client.key", read_file(client->key).value()).ok());
    }
    return dir;
  }

  RegistryOptions secure_options() {
    RegistryOptions o = test_options();
    o.loopback_insecure = false;  // otherwise 127.0.0.1 skips verification, as in dockerd
    o.max_attempts = 2;
    return o;
  }

  void round_trip(Client& client) {
    Repository r{registry_->host(), "berth/tls"};
    Blob layer(random_bytes(40'000, 31));
    auto st =
        client.push_blob(r, layer.digest, layer.size(), layer.source(), std::nullopt, 0, nullptr);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    std::string got;
    store::StringWriter sink(&got);
    st = client.fetch_blob(r, layer.digest, layer.size(), sink, nullptr);
    ASSERT_TRUE(st.ok()) << st.error().to_string();
    EXPECT_EQ(got, layer.bytes);
  }

  TempDir dir_;
  CertKey ca_;
  CertKey server_;
  std::unique_ptr<RegistryProcess> registry_;
};

TEST_F(TlsRegistryTest, UntrustedCertificateIsAClearError) {
  start(false);
  Client client(secure_options(), nullptr);
  auto st = client.ping(registry_->host());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kFailedPrecondition);
  const std::string& msg = st.error().message();
  EXPECT_NE(msg.find("https://" + registry_->host() + "/v2/"), std::string::npos) << msg;
  EXPECT_NE(msg.find("certificate"), std::string::npos) << msg;
  EXPECT_NE(msg.find("certs.d/" + registry_->host() + "/ca.crt"), std::string::npos) << msg;
}

TEST_F(TlsRegistryTest, TrustedThroughCertsDir) {
  start(false);
  RegistryOptions o = secure_options();
  o.certs_dir = certs_dir(false);
  Client client(o, nullptr);
  ASSERT_TRUE(client.ping(registry_->host()).ok());
  round_trip(client);
}

TEST_F(TlsRegistryTest, InsecureRegistrySkipsVerification) {
  start(false);
  RegistryOptions o = test_options();  // 127.0.0.0/8 is insecure by default
  Client client(o, nullptr);
  ASSERT_TRUE(client.ping(registry_->host()).ok());
  round_trip(client);
}

TEST_F(TlsRegistryTest, ClientCertificate) {
  start(true);
  RegistryOptions with_cert = secure_options();
  with_cert.certs_dir = certs_dir(true);
  Client client(with_cert, nullptr);
  ASSERT_TRUE(client.ping(registry_->host()).ok());
  round_trip(client);

  // The CA alone is not enough when the registry wants a client certificate.
  TempDir other;
  std::string host_dir = other.path() + "/" + registry_->host();
  ASSERT_TRUE(make_dirs(host_dir).ok());
  ASSERT_TRUE(write_file(host_dir + "/ca.crt", read_file(ca_.cert).value()).ok());
  RegistryOptions without_cert = secure_options();
  without_cert.certs_dir = other.path();
  Client refused(without_cert, nullptr);
  EXPECT_FALSE(refused.ping(registry_->host()).ok());
}

}  // namespace
}  // namespace berth::registry

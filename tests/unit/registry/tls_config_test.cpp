#include "registry/tls_config.h"

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "registry_test_util.h"

namespace berth::registry {
namespace {

TEST(TlsConfigTest, ReadsCertsDir) {
  TempDir dir;
  std::string host_dir = dir.path() + "/registry.example:5000";
  ASSERT_TRUE(make_dirs(host_dir).ok());
  ASSERT_TRUE(write_file(host_dir + "/ca.crt", "CA ONE").ok());
  ASSERT_TRUE(write_file(host_dir + "/extra.crt", "CA TWO\n").ok());
  ASSERT_TRUE(write_file(host_dir + "/client.cert", "CERT").ok());
  ASSERT_TRUE(write_file(host_dir + "/client.key", "KEY").ok());
  auto config = load_tls_config(dir.path(), "registry.example:5000");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_TRUE(config->verify);
  EXPECT_EQ(config->extra_ca_pem, "CA ONE\nCA TWO\n");
  EXPECT_EQ(config->client_cert_path, host_dir + "/client.cert");
  EXPECT_EQ(config->client_key_path, host_dir + "/client.key");

  auto none = load_tls_config(dir.path(), "other.example");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->extra_ca_pem.empty());
  EXPECT_TRUE(none->client_cert_path.empty());
  EXPECT_TRUE(load_tls_config("/nonexistent/certs.d", "x").ok());
}

TEST(TlsConfigTest, CertWithoutKeyIsAnError) {
  TempDir dir;
  ASSERT_TRUE(make_dirs(dir.path() + "/h").ok());
  ASSERT_TRUE(write_file(dir.path() + "/h/client.cert", "CERT").ok());
  EXPECT_FALSE(load_tls_config(dir.path(), "h").ok());
  TempDir dir2;
  ASSERT_TRUE(make_dirs(dir2.path() + "/h").ok());
  ASSERT_TRUE(write_file(dir2.path() + "/h/client.key", "KEY").ok());
  EXPECT_FALSE(load_tls_config(dir2.path(), "h").ok());
}

}  // namespace
}  // namespace berth::registry

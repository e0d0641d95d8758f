#include "registry/base64.h"

#include <gtest/gtest.h>

#include "registry/credential_store.h"

namespace berth::registry {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded).value(), plain);
  }
}

TEST(Base64Test, UrlAlphabetUnpadded) {
  std::string bytes("\xfb\xff\xfe", 3);
  EXPECT_EQ(base64_encode(bytes), "+//+");
  EXPECT_EQ(base64url_encode(bytes), "-__-");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64_decode("-__-").value(), bytes);
  EXPECT_EQ(base64_decode("Zg").value(), "f");  // unpadded is accepted
  EXPECT_EQ(base64_decode("Zm9v\nYmFy").value(), "foobar");
}

TEST(Base64Test, RejectsGarbage) {
  EXPECT_FALSE(base64_decode("Zm9v!").ok());
  EXPECT_FALSE(base64_decode("Z").ok());
  EXPECT_FALSE(base64_decode("Zg=a").ok());
  EXPECT_FALSE(base64_decode("Zg===").ok());
}

TEST(Base64Test, DockerAuthField) {
  // `echo -n 'user:p@ss:word' | base64` — the password may contain ':'.
  EXPECT_EQ(encode_auth("user", "p@ss:word"), "dXNlcjpwQHNzOndvcmQ=");
  auto decoded = decode_auth("dXNlcjpwQHNzOndvcmQ=");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->first, "user");
  EXPECT_EQ(decoded->second, "p@ss:word");
  EXPECT_FALSE(decode_auth(base64_encode("nocolon")).ok());
  EXPECT_FALSE(decode_auth("not base64!").ok());
}

}  // namespace
}  // namespace berth::registry

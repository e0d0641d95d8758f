#include "test_pki.h"

#include <crypt.h>

#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "base/file_util.h"
#include "registry/base64.h"
#include "registry_process.h"

namespace berth::registry {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

}  // namespace

Result<CertKey> make_self_signed(const std::string& dir, const std::string& name) {
  CertKey out{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  TRY(run_shell("openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=" + name +
                " -keyout " + out.key + " -out " + out.cert));
  return out;
}

Result<CertKey> make_signed_cert(const std::string& dir, const std::string& name, const CertKey& ca,
                                 bool client) {
  CertKey out{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  std::string csr = dir + "/" + name + ".csr";
  std::string ext = dir + "/" + name + ".ext";
  TRY(write_file(
      ext, client ? "extendedKeyUsage=clientAuth\n"
                  : "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"));
  TRY(run_shell("openssl req -newkey rsa:2048 -nodes -sha256 -subj /CN=" + name + " -keyout " +
                out.key + " -out " + csr));
  TRY(run_shell("openssl x509 -req -sha256 -days 2 -in " + csr + " -CA " + ca.cert + " -CAkey " +
                ca.key + " -CAcreateserial -extfile " + ext + " -out " + out.cert));
  return out;
}

Result<std::string> cert_der_base64(const std::string& cert_pem_path) {
  std::string pem = TRY(read_file(cert_pem_path));
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (!cert) return make_error(ErrorCode::kInvalidArgument, "cannot parse {}", cert_pem_path);
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  X509_free(cert);
  return base64_encode(bytes);
}

Result<std::string> sign_jwt_rs256(const Json& header, const Json& claims,
                                   const std::string& key_pem_path) {
  std::string pem = TRY(read_file(key_pem_path));
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!key) return make_error(ErrorCode::kInvalidArgument, "cannot parse {}", key_pem_path);
  std::string signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t sig_len = 0;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &sig_len,
                           reinterpret_cast<const unsigned char*>(signing_input.data()),
                           signing_input.size()) == 1;
  std::string sig(sig_len, '\0');
  ok = ok && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                            reinterpret_cast<const unsigned char*>(signing_input.data()),
                            signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  if (!ok) return make_error(ErrorCode::kInternal, "RS256 signing failed");
  sig.resize(sig_len);
  return signing_input + "." + base64url_encode(sig);
}

std::string htpasswd_line(const std::string& user, const std::string& password) {
  // Cost 5 keeps the registry's bcrypt check fast in tests.
  char* salt = crypt_gensalt_ra("$2b$", 5, nullptr, 0);
  crypt_data data{};
  std::string hash = crypt_r(password.c_str(), salt, &data);
  free(salt);
  return user + ":" + hash + "\n";
}

}  // namespace berth::registry

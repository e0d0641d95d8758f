// Keys, certificates, JWTs and htpasswd lines for the registry integration tests, made with the
// openssl command, OpenSSL's EVP API and libcrypt's bcrypt.
#pragma once

#include <string>

#include "base/json.h"
#include "base/result.h"

namespace berth::registry {

struct CertKey {
  std::string cert;  // PEM path
  std::string key;   // PEM path
};

// A self-signed CA (also usable as a JWT signing certificate).
Result<CertKey> make_self_signed(const std::string& dir, const std::string& name);
// A certificate for 127.0.0.1/localhost signed by `ca`; `client` makes it a client certificate.
Result<CertKey> make_signed_cert(const std::string& dir, const std::string& name, const CertKey& ca,
                                 bool client = false);

// base64 (standard) of the certificate's DER, as a JWT x5c entry holds it.
Result<std::string> cert_der_base64(const std::string& cert_pem_path);
// header.claims.signature with RS256.
Result<std::string> sign_jwt_rs256(const Json& header, const Json& claims,
                                   const std::string& key_pem_path);

// "user:$2b$..." for an htpasswd file (bcrypt, which the registry requires).
std::string htpasswd_line(const std::string& user, const std::string& password);

}  // namespace berth::registry

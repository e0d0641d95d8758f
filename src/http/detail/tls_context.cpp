#include "http/detail/tls_context.h"

namespace berth::http::detail {

namespace {

constexpr auto kOptions = ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1 | ssl::context::single_dh_use;

Error tls_error(const boost::system::system_error& e, std::string_view what,
                std::string_view file) {
  return Error(ErrorCode::kInvalidArgument, fmt::format("{} {}: {}", what, file, e.what()));
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_tls_context(const TlsServerConfig& config) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(kOptions);
  try {
    ctx->use_certificate_chain_file(config.cert_file);
  } catch (const boost::system::system_error& e) {
    return tls_error(e, "TLS certificate", config.cert_file);
  }
  try {
    ctx->use_private_key_file(config.key_file, ssl::context::pem);
  } catch (const boost::system::system_error& e) {
    return tls_error(e, "TLS key", config.key_file);
  }
  if (config.verify_client) {
    if (config.ca_file.empty()) {
      return Error(ErrorCode::kInvalidArgument, "TLS client verification needs a CA file");
    }
    try {
      ctx->load_verify_file(config.ca_file);
    } catch (const boost::system::system_error& e) {
      return tls_error(e, "TLS CA", config.ca_file);
    }
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  } else {
    ctx->set_verify_mode(ssl::verify_none);
  }
  return ctx;
}

Result<std::shared_ptr<ssl::context>> make_client_tls_context(const TlsClientConfig& config) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(kOptions);
  if (config.insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_verify_mode(ssl::verify_peer);
    try {
      if (config.ca_file.empty()) {
        ctx->set_default_verify_paths();
      } else {
        ctx->load_verify_file(config.ca_file);
      }
    } catch (const boost::system::system_error& e) {
      return tls_error(e, "TLS CA", config.ca_file);
    }
  }
  if (!config.cert_file.empty()) {
    try {
      ctx->use_certificate_chain_file(config.cert_file);
    } catch (const boost::system::system_error& e) {
      return tls_error(e, "TLS certificate", config.cert_file);
    }
    try {
      ctx->use_private_key_file(config.key_file, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
      return tls_error(e, "TLS key", config.key_file);
    }
  }
  return ctx;
}

}  // namespace berth::http::detail

// Private: OpenSSL contexts from the PEM-file configs. TLS 1.2 minimum, as docker's
// tlsconfig defaults.
#pragma once

#include <memory>

#include "base/result.h"
#include "http/detail/asio.h"
#include "http/tls_config.h"

namespace berth::http::detail {

Result<std::shared_ptr<ssl::context>> make_server_tls_context(const TlsServerConfig& config);
Result<std::shared_ptr<ssl::context>> make_client_tls_context(const TlsClientConfig& config);

}  // namespace berth::http::detail

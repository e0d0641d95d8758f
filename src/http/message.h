// Plain message types shared by the server and the client.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "http/headers.h"

namespace berth::http {

// A complete response: what a handler sends in one piece and what HttpClient::request returns.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // `value` serialised as dockerd does (json.Encoder: one line, trailing newline),
  // Content-Type: application/json.
  static Response json(int status, const Json& value);
  // dockerd's error body: {"message":"..."}.
  static Response error(int status, std::string_view message);
  // Body as text/plain; charset=utf-8.
  static Response text(int status, std::string body);
};

// Who is on the other end of a server connection.
struct PeerInfo {
  enum class Transport { kUnix, kTcp };
  Transport transport = Transport::kUnix;
  // "1.2.3.4:5678" / "[::1]:5678" for TCP; the listening socket's path for unix sockets.
  std::string address;
  bool tls = false;
  // The verified client certificate's subject ("/CN=client"), when TLS with client certs.
  std::string tls_subject;
  // SO_PEERCRED of a unix-socket peer.
  std::optional<int> pid;
  std::optional<unsigned> uid;
  std::optional<unsigned> gid;
};

}  // namespace berth::http

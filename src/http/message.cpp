#include "http/message.h"

namespace berth::http {

Response Response::json(int status, const Json& value) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  r.body += '\n';
  return r;
}

Response Response::error(int status, std::string_view message) {
  return json(status, Json{{"message", message}});
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

}  // namespace berth::http

#include "client/exec.h"

#include "client/containers.h"
#include "http/query.h"

namespace berth::client {

Result<std::string> exec_create(Client& c, const std::string& container,
                                const OrderedJson& config) {
  http::Headers headers;
  headers.set("Content-Type", "application/json");
  http::Response r =
      TRY(c.call("POST", container_path(container, "/exec"), {}, config.dump(), headers));
  Json j = TRY(parse_json(r.body, "exec create response"));
  return j.value("Id", "");
}

namespace {
Json start_body(bool detach, bool tty, int height, int width) {
  Json body = {{"Detach", detach}, {"Tty", tty}};
  if (height > 0 || width > 0) body["ConsoleSize"] = {height, width};
  return body;
}
}  // namespace

Result<std::unique_ptr<http::HijackedConnection>> exec_start_attached(Client& c,
                                                                      const std::string& exec_id,
                                                                      bool tty, int height,
                                                                      int width) {
  return c.hijack("/exec/" + http::path_escape(exec_id) + "/start", {},
                  start_body(false, tty, height, width).dump(), "application/json");
}

Status exec_start_detached(Client& c, const std::string& exec_id, bool tty) {
  TRY(c.post_json("/exec/" + http::path_escape(exec_id) + "/start", {},
                  start_body(true, tty, 0, 0)));
  return ok_status();
}

Status exec_resize(Client& c, const std::string& exec_id, int height, int width) {
  http::QueryParams q;
  q.set("h", std::to_string(height));
  q.set("w", std::to_string(width));
  TRY(c.call("POST", "/exec/" + http::path_escape(exec_id) + "/resize", q));
  return ok_status();
}

Result<Json> exec_inspect(Client& c, const std::string& exec_id) {
  return c.get_json("/exec/" + http::path_escape(exec_id) + "/json");
}

}  // namespace berth::client

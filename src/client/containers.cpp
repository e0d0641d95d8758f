#include "client/containers.h"

#include "base/strings.h"
#include "base/time_format.h"
#include "client/config_file.h"
#include "client/timestamp.h"
#include "http/query.h"

namespace berth::client {

std::string container_path(const std::string& id, std::string_view suffix) {
  return "/containers/" + http::path_escape(id) + std::string(suffix);
}

Result<Json> container_list(Client& c, const ContainerListOptions& o) {
  http::QueryParams q;
  if (o.all) q.set("all", "1");
  if (o.limit != -1) q.set("limit", std::to_string(o.limit));
  if (o.size) q.set("size", "1");
  if (!o.filters.empty()) q.set("filters", o.filters.to_json());
  return c.get_json("/containers/json", q);
}

Result<CreateResult> container_create(Client& c, const OrderedJson& body, const std::string& name,
                                      const std::string& platform) {
  http::QueryParams q;
  if (!name.empty()) q.set("name", name);
  if (!platform.empty()) q.set("platform", platform);
  http::Headers headers;
  headers.set("Content-Type", "application/json");
  http::Response r = TRY(c.call("POST", "/containers/create", q, body.dump(), headers));
  Json j = TRY(parse_json(r.body, "create response"));
  CreateResult out;
  out.id = j.value("Id", "");
  if (auto w = j.find("Warnings"); w != j.end() && w->is_array()) {
    for (const auto& s : *w) {
      if (s.is_string()) out.warnings.push_back(s.get<std::string>());
    }
  }
  return out;
}

Result<std::string> container_inspect_raw(Client& c, const std::string& id, bool size) {
  http::QueryParams q;
  if (size) q.set("size", "1");
  http::Response r = TRY(c.call("GET", container_path(id, "/json"), q));
  return r.body;
}

Result<Json> container_inspect(Client& c, const std::string& id, bool size) {
  std::string body = TRY(container_inspect_raw(c, id, size));
  return parse_json(body, "container inspect");
}

Status container_start(Client& c, const std::string& id, const std::string& detach_keys) {
  http::QueryParams q;
  if (!detach_keys.empty()) q.set("detachKeys", detach_keys);
  TRY(c.call("POST", container_path(id, "/start"), q));
  return ok_status();
}

namespace {
http::QueryParams stop_query(std::optional<int64_t> timeout, const std::string& signal) {
  http::QueryParams q;
  if (timeout) q.set("t", std::to_string(*timeout));
  if (!signal.empty()) q.set("signal", signal);
  return q;
}
}  // namespace

Status container_stop(Client& c, const std::string& id, std::optional<int64_t> timeout,
                      const std::string& signal) {
  TRY(c.call("POST", container_path(id, "/stop"), stop_query(timeout, signal)));
  return ok_status();
}

Status container_restart(Client& c, const std::string& id, std::optional<int64_t> timeout,
                         const std::string& signal) {
  TRY(c.call("POST", container_path(id, "/restart"), stop_query(timeout, signal)));
  return ok_status();
}

Status container_kill(Client& c, const std::string& id, const std::string& signal) {
  http::QueryParams q;
  if (!signal.empty()) q.set("signal", signal);
  TRY(c.call("POST", container_path(id, "/kill"), q));
  return ok_status();
}

Status container_remove(Client& c, const std::string& id, bool force, bool volumes, bool link) {
  http::QueryParams q;
  if (volumes) q.set("v", "1");
  if (link) q.set("link", "1");
  if (force) q.set("force", "1");
  TRY(c.call("DELETE", container_path(id), q));
  return ok_status();
}

Status container_pause(Client& c, const std::string& id) {
  TRY(c.call("POST", container_path(id, "/pause")));
  return ok_status();
}

Status container_unpause(Client& c, const std::string& id) {
  TRY(c.call("POST", container_path(id, "/unpause")));
  return ok_status();
}

Status container_rename(Client& c, const std::string& id, const std::string& new_name) {
  http::QueryParams q;
  q.set("name", new_name);
  TRY(c.call("POST", container_path(id, "/rename"), q));
  return ok_status();
}

Result<Json> container_update(Client& c, const std::string& id, const Json& body) {
  return c.post_json(container_path(id, "/update"), {}, body);
}

Result<Json> container_top(Client& c, const std::string& id, const std::string& ps_args) {
  http::QueryParams q;
  if (!ps_args.empty()) q.set("ps_args", ps_args);
  return c.get_json(container_path(id, "/top"), q);
}

Result<Json> container_changes(Client& c, const std::string& id) {
  return c.get_json(container_path(id, "/changes"));
}

Result<Json> container_prune(Client& c, const Filters& filters) {
  http::QueryParams q;
  if (!filters.empty()) q.set("filters", filters.to_json());
  return c.post_json("/containers/prune", q);
}

Status container_resize(Client& c, const std::string& id, int height, int width) {
  http::QueryParams q;
  q.set("h", std::to_string(height));
  q.set("w", std::to_string(width));
  TRY(c.call("POST", container_path(id, "/resize"), q));
  return ok_status();
}

Result<std::unique_ptr<http::ResponseStream>> container_logs(Client& c, const std::string& id,
                                                             const LogsOptions& o) {
  http::QueryParams q;
  if (o.show_stdout) q.set("stdout", "1");
  if (o.show_stderr) q.set("stderr", "1");
  if (o.follow) q.set("follow", "1");
  if (o.timestamps) q.set("timestamps", "1");
  if (o.details) q.set("details", "1");
  // The client resolves relative and RFC 3339 times, as docker's does.
  int64_t now = unix_nanos_now();
  if (!o.since.empty()) q.set("since", TRY(get_timestamp(o.since, now)));
  if (!o.until.empty()) q.set("until", TRY(get_timestamp(o.until, now)));
  q.set("tail", o.tail);
  return c.stream("GET", container_path(id, "/logs"), q);
}

Result<std::unique_ptr<http::HijackedConnection>> container_attach(Client& c,
                                                                   const std::string& id,
                                                                   const AttachOptions& o) {
  http::QueryParams q;
  if (o.stream) q.set("stream", "1");
  if (o.attach_stdin) q.set("stdin", "1");
  if (o.attach_stdout) q.set("stdout", "1");
  if (o.attach_stderr) q.set("stderr", "1");
  if (o.logs) q.set("logs", "1");
  if (!o.detach_keys.empty()) q.set("detachKeys", o.detach_keys);
  return c.hijack(container_path(id, "/attach"), q, {}, "text/plain");
}

Result<std::unique_ptr<http::ResponseStream>> container_wait(Client& c, const std::string& id,
                                                             const std::string& condition) {
  http::QueryParams q;
  if (!condition.empty()) q.set("condition", condition);
  return c.stream("POST", container_path(id, "/wait"), q);
}

Result<WaitResult> read_wait_result(http::ResponseStream& stream) {
  std::string body = TRY(stream.read_all(1 << 20));
  Json j = TRY(parse_json(body, "wait response"));
  WaitResult out;
  out.status_code = j.value("StatusCode", int64_t{0});
  if (auto e = j.find("Error"); e != j.end() && e->is_object()) {
    out.error = e->value("Message", "");
  }
  return out;
}

Result<std::unique_ptr<http::ResponseStream>> container_stats(Client& c, const std::string& id,
                                                              bool stream, bool one_shot) {
  http::QueryParams q;
  q.set("stream", stream ? "1" : "0");
  if (one_shot) q.set("one-shot", "1");
  return c.stream("GET", container_path(id, "/stats"), q);
}

Result<std::unique_ptr<http::ResponseStream>> container_export(Client& c, const std::string& id) {
  return c.stream("GET", container_path(id, "/export"));
}

namespace {
Result<Json> decode_path_stat(const http::Headers& headers) {
  std::string_view header = headers.value("X-Docker-Container-Path-Stat");
  if (header.empty()) return Json::object();
  std::string decoded = TRY(base64_decode(header));
  return parse_json(decoded, "container path stat");
}
}  // namespace

Result<Json> container_stat_path(Client& c, const std::string& id, const std::string& path) {
  http::QueryParams q;
  q.set("path", path);
  http::Response r = TRY(c.call("HEAD", container_path(id, "/archive"), q));
  return decode_path_stat(r.headers);
}

Result<ArchiveDownload> copy_from_container(Client& c, const std::string& id,
                                            const std::string& path) {
  http::QueryParams q;
  q.set("path", path);
  ArchiveDownload out;
  out.body = TRY(c.stream("GET", container_path(id, "/archive"), q));
  out.stat = TRY(decode_path_stat(out.body->headers()));
  return out;
}

Status copy_to_container(Client& c, const std::string& id, const std::string& path,
                         http::BodyReader& tar, bool no_overwrite_dir_non_dir, bool copy_uid_gid) {
  http::QueryParams q;
  q.set("path", path);
  if (no_overwrite_dir_non_dir) q.set("noOverwriteDirNonDir", "true");
  if (copy_uid_gid) q.set("copyUIDGID", "true");
  http::Headers headers;
  headers.set("Content-Type", "application/x-tar");
  auto s = TRY(c.stream("PUT", container_path(id, "/archive"), q, {}, headers, &tar));
  (void)s->read_all(1 << 20);
  return ok_status();
}

Result<std::string> container_commit(Client& c, const std::string& id, const CommitOptions& o) {
  http::QueryParams q;
  q.set("container", id);
  if (!o.reference.empty()) {
    // Split "repo:tag" at a colon after the last slash (a registry port is not a tag).
    std::string ref = o.reference;
    size_t slash = ref.rfind('/');
    size_t colon = ref.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      q.set("repo", ref.substr(0, colon));
      q.set("tag", ref.substr(colon + 1));
    } else {
      q.set("repo", ref);
    }
  }
  if (!o.comment.empty()) q.set("comment", o.comment);
  if (!o.author.empty()) q.set("author", o.author);
  for (const auto& ch : o.changes) q.add("changes", ch);
  if (!o.pause) q.set("pause", "0");
  Json body = o.config.is_null() ? Json::object() : o.config;
  Json r = TRY(c.post_json("/commit", q, body));
  return r.value("Id", "");
}

}  // namespace berth::client

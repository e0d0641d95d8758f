#include "client/images.h"

#include "http/query.h"

namespace berth::client {

RefParts split_reference(const std::string& ref) {
  RefParts out;
  if (size_t at = ref.find('@'); at != std::string::npos) {
    out.name = ref.substr(0, at);
    out.tag = ref.substr(at + 1);
    return out;
  }
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    out.name = ref.substr(0, colon);
    out.tag = ref.substr(colon + 1);
  } else {
    out.name = ref;
  }
  return out;
}

namespace {
http::Headers auth_headers(const std::string& registry_auth) {
  http::Headers h;
  h.set("X-Registry-Auth", registry_auth.empty() ? "e30=" : registry_auth);
  return h;
}

std::string image_path(const std::string& ref, std::string_view suffix) {
  return "/images/" + ref + std::string(suffix);
}
}  // namespace

Result<std::unique_ptr<http::ResponseStream>> image_pull(Client& c, const std::string& ref,
                                                         bool all_tags,
                                                         const std::string& platform,
                                                         const std::string& registry_auth) {
  RefParts parts = split_reference(ref);
  http::QueryParams q;
  q.set("fromImage", parts.name);
  if (!all_tags) q.set("tag", parts.tag.empty() ? "latest" : parts.tag);
  if (!platform.empty()) q.set("platform", platform);
  return c.stream("POST", "/images/create", q, {}, auth_headers(registry_auth));
}

Result<std::unique_ptr<http::ResponseStream>> image_push(Client& c, const std::string& ref,
                                                         bool all_tags,
                                                         const std::string& platform,
                                                         const std::string& registry_auth) {
  RefParts parts = split_reference(ref);
  http::QueryParams q;
  if (!all_tags && !parts.tag.empty()) q.set("tag", parts.tag);
  if (!all_tags && parts.tag.empty()) q.set("tag", "latest");
  if (!platform.empty()) q.set("platform", platform);
  return c.stream("POST", image_path(parts.name, "/push"), q, {}, auth_headers(registry_auth));
}

Result<Json> image_list(Client& c, const ImageListOptions& o) {
  http::QueryParams q;
  if (o.all) q.set("all", "1");
  if (o.digests) q.set("digests", "1");
  if (o.shared_size) q.set("shared-size", "1");
  if (!o.filters.empty()) q.set("filters", o.filters.to_json());
  return c.get_json("/images/json", q);
}

Result<std::string> image_inspect_raw(Client& c, const std::string& ref) {
  http::Response r = TRY(c.call("GET", image_path(ref, "/json")));
  return r.body;
}

Result<Json> image_inspect(Client& c, const std::string& ref) {
  std::string body = TRY(image_inspect_raw(c, ref));
  return parse_json(body, "image inspect");
}

Result<Json> image_history(Client& c, const std::string& ref) {
  return c.get_json(image_path(ref, "/history"));
}

Status image_tag(Client& c, const std::string& source, const std::string& target) {
  RefParts parts = split_reference(target);
  http::QueryParams q;
  q.set("repo", parts.name);
  if (!parts.tag.empty()) q.set("tag", parts.tag);
  TRY(c.call("POST", image_path(source, "/tag"), q));
  return ok_status();
}

Result<Json> image_remove(Client& c, const std::string& ref, bool force, bool no_prune) {
  http::QueryParams q;
  if (force) q.set("force", "1");
  if (no_prune) q.set("noprune", "1");
  http::Response r = TRY(c.call("DELETE", image_path(ref, ""), q));
  if (r.body.empty()) return Json::array();
  return parse_json(r.body, "image remove");
}

Result<Json> image_prune(Client& c, const Filters& filters) {
  http::QueryParams q;
  if (!filters.empty()) q.set("filters", filters.to_json());
  return c.post_json("/images/prune", q);
}

Result<std::unique_ptr<http::ResponseStream>> image_save(Client& c,
                                                         const std::vector<std::string>& refs,
                                                         const std::string& platform) {
  http::QueryParams q;
  for (const auto& r : refs) q.add("names", r);
  if (!platform.empty()) q.set("platform", platform);
  return c.stream("GET", "/images/get", q);
}

Result<std::unique_ptr<http::ResponseStream>> image_load(Client& c, http::BodyReader& tar,
                                                         bool quiet) {
  http::QueryParams q;
  if (quiet) q.set("quiet", "1");
  http::Headers h;
  h.set("Content-Type", "application/x-tar");
  return c.stream("POST", "/images/load", q, {}, h, &tar);
}

Result<std::unique_ptr<http::ResponseStream>> image_import(Client& c, const ImportOptions& o,
                                                           http::BodyReader* body) {
  http::QueryParams q;
  q.set("fromSrc", o.source);
  if (!o.reference.empty()) {
    RefParts parts = split_reference(o.reference);
    q.set("repo", parts.name);
    if (!parts.tag.empty()) q.set("tag", parts.tag);
  }
  if (!o.message.empty()) q.set("message", o.message);
  for (const auto& ch : o.changes) q.add("changes", ch);
  if (!o.platform.empty()) q.set("platform", o.platform);
  http::Headers h;
  h.set("Content-Type", "application/x-tar");
  return c.stream("POST", "/images/create", q, {}, h, body);
}

}  // namespace berth::client

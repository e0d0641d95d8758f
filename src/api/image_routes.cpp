// /images/*, /auth: the image service through the API, with Docker's streaming progress.
#include <stop_token>

#include "api/api_context.h"
#include "api/api_errors.h"
#include "api/body_stream.h"
#include "base/strings.h"
#include "image/image_service.h"
#include "image/registry_client_api.h"
#include "registry/base64.h"
#include "registry/client.h"
#include "registry/credential_store.h"

namespace berth::api {
namespace {

// X-Registry-Auth: base64url(JSON {username, password, serveraddress, identitytoken, ...}).
std::optional<registry::Credentials> request_credentials(const http::Request& r) {
  std::string_view header = r.header("X-Registry-Auth");
  if (header.empty()) return std::nullopt;
  std::string b64(header);
  for (char& c : b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b64.size() % 4) b64.push_back('=');
  auto decoded = registry::base64_decode(b64);
  if (!decoded.ok()) return std::nullopt;
  auto j = parse_json(*decoded, "X-Registry-Auth");
  if (!j.ok() || !j->is_object()) return std::nullopt;
  registry::Credentials c;
  c.username = j->value("username", std::string());
  c.password = j->value("password", std::string());
  c.identity_token = j->value("identitytoken", std::string());
  c.registry_token = j->value("registrytoken", std::string());
  if (c.username.empty() && c.password.empty() && c.identity_token.empty() &&
      c.registry_token.empty())
    return std::nullopt;
  return c;
}

// A registry client for one request: the daemon's options and stored credentials, overlaid
// by the credentials the client sent for `registry_host`.
struct RequestRegistry {
  std::unique_ptr<registry::CredentialStore> credentials;
  std::unique_ptr<registry::Client> client;
  std::unique_ptr<image::RegistryClientApi> api;
};

RequestRegistry make_registry(ApiContext& ctx, const http::Request& r, const std::string& name) {
  RequestRegistry out;
  auto store = registry::CredentialStore::load_default();
  out.credentials = std::make_unique<registry::CredentialStore>(
      store.ok() ? std::move(*store) : registry::CredentialStore(registry::CredentialStore::default_path()));
  if (auto creds = request_credentials(r)) {
    auto ref = image::Reference::parse_normalized(name);
    if (ref.ok()) (void)out.credentials->set(ref->domain(), *creds);
  }
  registry::RegistryOptions options;
  options.insecure_registries = ctx.config->insecure_registries;
  for (const auto& m : ctx.config->registry_mirrors) options.mirrors["docker.io"].push_back(m);
  out.client = std::make_unique<registry::Client>(options, out.credentials.get());
  out.api = std::make_unique<image::RegistryClientApi>(*out.client);
  return out;
}

// Streams Docker's JSON progress; an error after the stream began becomes an error message.
class ProgressStream {
 public:
  explicit ProgressStream(http::ResponseWriter& w) : w_(w) {}
  Status begin() {
    return w_.begin_stream(200, http::Headers({{"Content-Type", "application/json"}}));
  }
  image::ProgressFn fn() {
    return [this](const image::JsonMessage& m) {
      (void)w_.write_chunk(image::encode_json_message(m) + "\r\n");
    };
  }
  void finish(const Status& status) {
    if (!status.ok()) {
      image::JsonMessage m;
      m.error = status.error().to_string();
      (void)w_.write_chunk(image::encode_json_message(m) + "\r\n");
    }
    (void)w_.end_stream();
  }

 private:
  http::ResponseWriter& w_;
};

std::stop_source stop_on_disconnect(http::ResponseWriter& w) {
  std::stop_source source;
  w.on_client_gone([source]() mutable { source.request_stop(); });
  return source;
}

Result<std::optional<image::Platform>> platform_param(const http::Request& r) {
  std::string_view text = r.query().value("platform");
  if (text.empty()) return std::optional<image::Platform>();
  return std::optional<image::Platform>(TRY(image::parse_platform(text)));
}

}  // namespace

void register_image_routes(http::Router& router, ApiContext& ctx) {
  router.post("/images/create", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::string from_image(r.query().value("fromImage"));
      std::string from_src(r.query().value("fromSrc"));
      std::string tag(r.query().value("tag"));
      auto platform = TRY(platform_param(r));
      auto stop = stop_on_disconnect(w);
      ProgressStream progress(w);
      if (!from_src.empty()) {
        image::ImportRequest request;
        request.repository = std::string(r.query().value("repo"));
        if (!tag.empty() && !request.repository.empty()) request.repository += ":" + tag;
        for (auto change : r.query().get_all("changes")) request.changes.emplace_back(change);
        request.message = std::string(r.query().value("message"));
        request.platform = platform;
        request.stop = stop.get_token();
        TRY(progress.begin());
        Result<store::Digest> id = Error(ErrorCode::kUnknown, "");
        if (from_src == "-") {
          BodyStream body(r);
          id = ctx.image_service->import(body, request, progress.fn());
        } else {
          id = ctx.image_service->import_from(from_src, request, progress.fn());
        }
        if (id.ok()) {
          image::JsonMessage m;
          m.status = id->to_string();
          progress.fn()(m);
        }
        progress.finish(id.ok() ? Status{} : Status(id.error()));
        return {};
      }
      if (from_image.empty())
        return Error(ErrorCode::kInvalidArgument, "fromImage or fromSrc is required");
      std::string name = from_image;
      if (!tag.empty()) name += (tag.rfind("sha256:", 0) == 0 ? "@" : ":") + tag;
      auto registry = make_registry(ctx, r, name);
      image::PullRequest request;
      request.platform = platform;
      request.registry = registry.api.get();
      // `docker pull -a` sends no tag at all: every tag of the repository.
      size_t last_slash = name.rfind('/');
      bool has_tag = name.find(':', last_slash == std::string::npos ? 0 : last_slash) != std::string::npos;
      request.all_tags = !r.query().has("tag") && !has_tag && name.find('@') == std::string::npos;
      request.stop = stop.get_token();
      TRY(progress.begin());
      auto pulled = ctx.image_service->pull(name, request, progress.fn());
      progress.finish(pulled.ok() ? Status{} : Status(pulled.error()));
      return {};
    });
  }, http::RouteOptions{.stream_body = true});

  router.get("/images/json", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      image::ListOptions options;
      options.all = r.query().get_bool("all");
      options.filters = TRY(image::parse_filters(r.query().value("filters")));
      options.shared_size = r.query().get_bool("shared-size");
      options.container_count = [&ctx](const store::Digest& id) {
        int64_t n = 0;
        for (const auto& entry : ctx.containers->store().list()) {
          std::lock_guard lock(entry->mutex);
          if (entry->c.image_id == id.to_string()) ++n;
        }
        return n;
      };
      auto images = TRY(ctx.image_service->list(options));
      OrderedJson out = OrderedJson::array();
      for (const auto& s : images) out.push_back(image::summary_json(s));
      return w.send(http::Response{200, http::Headers({{"Content-Type", "application/json"}}), out.dump()});
    });
  });

  router.post("/images/load", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      image::LoadOptions options;
      options.quiet = r.query().get_bool("quiet");
      auto platform = TRY(platform_param(r));
      options.platform = platform;
      auto stop = stop_on_disconnect(w);
      options.stop = stop.get_token();
      ProgressStream progress(w);
      TRY(progress.begin());
      BodyStream body(r);
      auto loaded = ctx.image_service->load(body, options, progress.fn());
      progress.finish(loaded.ok() ? Status{} : Status(loaded.error()));
      return {};
    });
  }, http::RouteOptions{.stream_body = true});

  auto save = [&ctx](http::ResponseWriter& w, const std::vector<std::string>& names) -> Status {
    // Check the names before the 200 goes out, so a bad one is a proper 404.
    for (const auto& n : names) TRY(ctx.image_service->store().resolve(n));
    TRY(w.begin_stream(200, http::Headers({{"Content-Type", "application/x-tar"}})));
    ChunkWriter out(w);
    auto stop = stop_on_disconnect(w);
    // Once the tar has started, an error can only cut it short (docker's CLI reports it then).
    (void)ctx.image_service->save(names, out, stop.get_token());
    (void)w.end_stream();
    return Status{};
  };
  router.get("/images/get", [save](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::vector<std::string> names;
      for (auto n : r.query().get_all("names")) names.emplace_back(n);
      return save(w, names);
    });
  });

  router.post("/images/prune", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto filters = TRY(image::parse_filters(r.query().value("filters")));
      auto report = TRY(ctx.image_service->prune(filters));
      OrderedJson deleted = OrderedJson::array();
      for (const auto& d : report.deleted) deleted.push_back(image::delete_item_json(d));
      OrderedJson out;
      out["ImagesDeleted"] = report.deleted.empty() ? OrderedJson(nullptr) : deleted;
      out["SpaceReclaimed"] = report.space_reclaimed;
      return w.send(http::Response{200, http::Headers({{"Content-Type", "application/json"}}), out.dump()});
    });
  });

  router.get("/images/search", [](http::Request&, http::ResponseWriter& w) {
    (void)w.send_error(501, "image search is not supported: Berth has no index to search");
  });

  router.get("/images/{name:.*}/json", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto out = TRY(ctx.image_service->inspect(std::string(r.param("name"))));
      return w.send(http::Response{200, http::Headers({{"Content-Type", "application/json"}}), out.dump()});
    });
  });

  router.get("/images/{name:.*}/history", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto items = TRY(ctx.image_service->history(std::string(r.param("name"))));
      OrderedJson out = OrderedJson::array();
      for (const auto& item : items) out.push_back(image::history_json(item));
      return w.send(http::Response{200, http::Headers({{"Content-Type", "application/json"}}), out.dump()});
    });
  });

  router.get("/images/{name:.*}/get", [save](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status { return save(w, {std::string(r.param("name"))}); });
  });

  router.post("/images/{name:.*}/push", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::string name(r.param("name"));
      std::string tag(r.query().value("tag"));
      if (!tag.empty()) name += ":" + tag;
      TRY(ctx.image_service->store().resolve(name));
      auto registry = make_registry(ctx, r, name);
      image::PushRequest request;
      request.registry = registry.api.get();
      auto stop = stop_on_disconnect(w);
      request.stop = stop.get_token();
      ProgressStream progress(w);
      TRY(progress.begin());
      auto pushed = ctx.image_service->push(name, request, progress.fn());
      progress.finish(pushed.ok() ? Status{} : Status(pushed.error()));
      return {};
    });
  });

  router.post("/images/{name:.*}/tag", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::string target(r.query().value("repo"));
      std::string tag(r.query().value("tag"));
      if (!tag.empty()) target += ":" + tag;
      TRY(ctx.image_service->tag(std::string(r.param("name")), target));
      return w.send_status(201);
    });
  });

  router.del("/images/{name:.*}", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      image::RemoveOptions options;
      options.force = r.query().get_bool("force");
      options.prune_parents = !r.query().get_bool("noprune");
      auto items = TRY(ctx.image_service->remove(std::string(r.param("name")), options));
      OrderedJson out = OrderedJson::array();
      for (const auto& d : items) out.push_back(image::delete_item_json(d));
      return w.send(http::Response{200, http::Headers({{"Content-Type", "application/json"}}), out.dump()});
    });
  });

  router.post("/auth", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Json body = TRY(parse_json(r.body(), "auth config"));
      registry::Credentials creds;
      creds.username = body.value("username", std::string());
      creds.password = body.value("password", std::string());
      creds.identity_token = body.value("identitytoken", std::string());
      std::string server = body.value("serveraddress", std::string("https://index.docker.io/v1/"));
      std::string host = server;
      for (const char* scheme : {"https://", "http://"}) {
        if (host.rfind(scheme, 0) == 0) host = host.substr(std::string(scheme).size());
      }
      host = host.substr(0, host.find('/'));
      if (host == "index.docker.io") host = "docker.io";
      registry::RegistryOptions options;
      options.insecure_registries = ctx.config->insecure_registries;
      registry::CredentialStore empty(registry::CredentialStore::default_path());
      registry::Client client(options, &empty);
      std::string identity;
      auto st = client.login(host, creds, &identity);
      if (!st.ok()) {
        if (st.error().code() == ErrorCode::kPermissionDenied)
          return Error(ErrorCode::kPermissionDenied, "login attempt to " + server +
                                                         " failed with status: 401 Unauthorized");
        return std::move(st).error();
      }
      return w.send_json(200, {{"Status", "Login Succeeded"}, {"IdentityToken", identity}});
    });
  });
}

}  // namespace berth::api

// docker cp and export: HEAD/GET/PUT /containers/{id}/archive and GET /containers/{id}/export.
#include <sys/stat.h>

#include "api/api_context.h"
#include "api/api_errors.h"
#include "api/body_stream.h"
#include "base/file_util.h"
#include "base/time_format.h"
#include "cspec/container_user.h"
#include "daemon/container_fs.h"
#include "registry/base64.h"
#include "store/archive/copy.h"
#include "store/archive/layer_diff.h"

namespace berth::api {
namespace {

// Go's os.FileMode bits for a stat(2) mode, as the path-stat header carries them.
uint32_t go_file_mode(mode_t mode) {
  uint32_t out = mode & 0777;
  switch (mode & S_IFMT) {
    case S_IFDIR: out |= 1u << 31; break;
    case S_IFLNK: out |= 1u << 27; break;
    case S_IFIFO: out |= 1u << 25; break;
    case S_IFSOCK: out |= 1u << 24; break;
    case S_IFBLK: out |= 1u << 26; break;
    case S_IFCHR: out |= (1u << 26) | (1u << 21); break;
    default: break;
  }
  if (mode & S_ISUID) out |= 1u << 23;
  if (mode & S_ISGID) out |= 1u << 22;
  if (mode & S_ISVTX) out |= 1u << 20;
  return out;
}

// The name the path's last element has, as docker cp expects it ("." for "dir/.").
std::string requested_name(const std::string& path) {
  if (path == "." || (path.size() >= 2 && path.compare(path.size() - 2, 2, "/.") == 0)) return ".";
  std::string clean = clean_path("/" + path);
  return clean == "/" ? "/" : basename(clean);
}

Error file_not_found(const std::string& path, std::string_view container) {
  return make_error(ErrorCode::kNotFound, "Could not find the file {} in container {}", path, container);
}

struct Located {
  std::unique_ptr<daemon::ContainerFs> fs;
  daemon::ContainerFs::Target target;
  store::PathStat stat;
};

Result<Located> locate(ApiContext& ctx, const http::Request& r, bool as_entry) {
  std::string path(r.query().value("path"));
  if (path.empty()) return Error(ErrorCode::kInvalidArgument, "path cannot be empty");
  auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
  Located l;
  l.fs = TRY(daemon::ContainerFs::open(*ctx.containers, entry));
  l.target = TRY(l.fs->resolve(path, as_entry));
  auto stat = store::stat_in_root(l.target.root_fd, l.target.path);
  if (!stat.ok()) {
    if (stat.error().code() == ErrorCode::kNotFound) return file_not_found(path, r.param("id"));
    return stat.error();
  }
  l.stat = *stat;
  l.stat.name = requested_name(path);
  return l;
}

std::string stat_header(const store::PathStat& s) {
  Json j = {{"name", s.name},
            {"size", s.size},
            {"mode", go_file_mode(s.mode)},
            {"mtime", format_rfc3339_nano_ns(s.mtime_sec * 1'000'000'000 + s.mtime_nsec)},
            {"linkTarget", s.link_target}};
  return registry::base64_encode(j.dump());
}

}  // namespace

void register_archive_routes(http::Router& router, ApiContext& ctx) {
  router.head("/containers/{id}/archive", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Located l = TRY(locate(ctx, r, true));
      http::Response response{200, {}, {}};
      response.headers.set("X-Docker-Container-Path-Stat", stat_header(l.stat));
      response.headers.set("Content-Type", "application/json");
      return w.send(std::move(response));
    });
  });

  router.get("/containers/{id}/archive", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      Located l = TRY(locate(ctx, r, true));
      TRY(w.begin_stream(200, http::Headers({{"Content-Type", "application/x-tar"},
                                             {"X-Docker-Container-Path-Stat", stat_header(l.stat)}})));
      store::CopyOutOptions options;
      options.archive_name = l.stat.name == "/" ? "." : l.stat.name;
      ChunkWriter out(w);
      auto written = store::write_tar_path(l.target.root_fd, l.target.path, out, options);
      if (!written.ok()) return w.end_stream();  // the client sees a truncated archive
      return w.end_stream();
    });
  });

  router.put("/containers/{id}/archive", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      std::string path(r.query().value("path"));
      if (path.empty()) return Error(ErrorCode::kInvalidArgument, "path cannot be empty");
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      auto fs = TRY(daemon::ContainerFs::open(*ctx.containers, entry));
      auto target = TRY(fs->resolve(path, false));
      auto stat = store::stat_in_root(target.root_fd, target.path, true);
      if (!stat.ok()) {
        if (stat.error().code() == ErrorCode::kNotFound) return file_not_found(path, r.param("id"));
        return stat.error();
      }
      if (!S_ISDIR(stat->mode)) return Error(ErrorCode::kInvalidArgument, "extraction point is not a directory");
      if (target.read_only) {
        return Error(ErrorCode::kPermissionDenied, target.in_mount ? "mounted volume is marked read-only"
                                                                   : "container rootfs is marked read-only");
      }
      store::ExtractOptions options;
      options.no_overwrite_dir_non_dir = r.query().get_bool("noOverwriteDirNonDir");
      options.preserve_ownership = true;
      if (r.query().get_bool("copyUIDGID")) {
        // The container's user owns what is copied in (docker cp -a).
        std::string user;
        Json host_config;
        {
          std::lock_guard lock(entry->mutex);
          user = entry->c.config.value("User", std::string());
          host_config = entry->c.host_config;
        }
        auto accounts = TRY(cspec::read_account_files(fs->root_path()));
        auto resolved = TRY(cspec::resolve_user(user, {}, accounts));
        options.preserve_ownership = false;
        options.owner = {resolved.uid, resolved.gid};
      }
      BodyStream body(r);
      auto extracted = store::extract_tar_to(body, target.root_fd, target.path, options);
      // A body that is not a readable tar is the client's mistake (400), not the daemon's.
      if (!extracted.ok()) {
        if (extracted.error().code() != ErrorCode::kDataLoss) return extracted.error();
        return Error(ErrorCode::kInvalidArgument, extracted.error().message());
      }
      return w.send_status(200);
    });
  }, http::RouteOptions{.stream_body = true});

  router.get("/containers/{id}/export", [&ctx](http::Request& r, http::ResponseWriter& w) {
    respond(w, [&]() -> Status {
      auto entry = TRY(ctx.containers->store().lookup(r.param("id")));
      auto fs = TRY(daemon::ContainerFs::open(*ctx.containers, entry));
      TRY(w.begin_stream(200, http::Headers({{"Content-Type", "application/x-tar"}})));
      ChunkWriter out(w);
      (void)store::write_tar(fs->root_path(), out);
      return w.end_stream();
    });
  });
}

}  // namespace berth::api

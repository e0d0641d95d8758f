// ImageService: the image module's facade, what the daemon exposes through the Docker Engine
// API (/images/*) and what the CLI needs: pull, push, tag, rmi, list, inspect, history, prune,
// save, load, import. Every long operation takes a progress callback (Docker's JSON messages,
// forwarded verbatim by the daemon) and a std::stop_token (the client went away).
//
// Thread safety: every method may be called concurrently.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "image/filters.h"
#include "image/http_fetch.h"
#include "image/image_query.h"
#include "image/image_remove.h"
#include "image/image_store.h"
#include "image/load.h"
#include "image/platform.h"
#include "image/progress.h"
#include "image/pull.h"
#include "image/push.h"
#include "image/registry_api.h"
#include "store/stream.h"

namespace berth::image {

struct ImageServiceOptions {
  std::string root;                     // /var/lib/berth
  state::Database* database = nullptr;  // the daemon's; null: <root>/berth.db
  store::SnapshotterOptions snapshotter;
  bool sync_layers = true;  // see ImageStoreOptions::sync_layers
  // The registry used when a request does not bring its own (e.g. with per-request auth).
  RegistryApi* registry = nullptr;
  // ChainIDs containers build on, and the containers using an image (the daemon knows).
  std::function<std::set<store::Digest>()> layer_users;
  ImageUsersFn image_users;
  UrlFetcher fetch_url;  // null: libcurl
};

struct PullRequest {
  std::optional<Platform> platform;
  bool all_tags = false;            // `docker pull -a`
  RegistryApi* registry = nullptr;  // overrides the service's (credentials of this request)
  std::stop_token stop;
};

struct PushRequest {
  RegistryApi* registry = nullptr;
  std::stop_token stop;
};

struct ImportRequest {
  std::string repository;  // "name[:tag]" or empty
  std::vector<std::string> changes;
  std::string message;
  std::optional<Platform> platform;
  std::stop_token stop;
};

class ImageService {
 public:
  static Result<std::unique_ptr<ImageService>> open(const ImageServiceOptions& options);

  ImageStore& store() { return *store_; }

  // POST /images/create?fromImage=: `name` as given ("busybox", "busybox:1.36",
  // "busybox@sha256:..."). The callback receives Docker's JSON messages.
  Result<std::vector<PullResult>> pull(const std::string& name, const PullRequest& request,
                                       const ProgressFn& progress);
  // POST /images/{name}/push: `name` with a tag pushes that tag, without one every tag.
  Result<std::vector<PushedTag>> push(const std::string& name, const PushRequest& request,
                                      const ProgressFn& progress);
  // POST /images/{name}/tag: `target` is "repo[:tag]".
  Status tag(const std::string& source, const std::string& target);
  // DELETE /images/{name}.
  Result<std::vector<DeleteItem>> remove(const std::string& name, const RemoveOptions& options);
  // GET /images/json.
  Result<std::vector<ImageSummary>> list(const ListOptions& options);
  // GET /images/{name}/json.
  Result<OrderedJson> inspect(const std::string& name);
  // GET /images/{name}/history.
  Result<std::vector<HistoryItem>> history(const std::string& name);
  // POST /images/prune.
  Result<PruneReport> prune(const Filters& filters);
  // GET /images/get, /images/{name}/get.
  Status save(const std::vector<std::string>& names, store::Writer& out,
              const std::stop_token& stop = {});
  // POST /images/load.
  Result<LoadResult> load(store::Reader& archive, const LoadOptions& options,
                          const ProgressFn& progress);
  // POST /images/create?fromSrc=-: the request body.
  Result<store::Digest> import(store::Reader& tarball, const ImportRequest& request,
                               const ProgressFn& progress);
  // POST /images/create?fromSrc=<url>, or a path on the daemon's host (`docker import file`
  // from a local CLI streams the file instead).
  Result<store::Digest> import_from(const std::string& source, const ImportRequest& request,
                                    const ProgressFn& progress);

 private:
  ImageService() = default;
  RegistryApi* registry_for(RegistryApi* override_registry) const;

  std::unique_ptr<ImageStore> store_;
  ImageServiceOptions options_;
};

}  // namespace berth::image

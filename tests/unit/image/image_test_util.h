// Helpers for the image tests: temporary stores, layer tarballs, and FakeRegistry, an
// in-memory RegistryApi with fault injection (corrupt, truncated or lying blobs).
#pragma once

#include <unistd.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../store/store_test_util.h"
#include "image/image_store.h"
#include "image/media_types.h"
#include "image/registry_api.h"
#include "store/archive/compression.h"

namespace berth::image::test {

using store::test::TarBuilder;
using store::test::TempDir;

inline std::unique_ptr<ImageStore> open_store(const std::string& root,
                                              std::function<std::set<store::Digest>()> users = {}) {
  ImageStoreOptions options;
  options.root = root;
  options.snapshotter.rootless = ::geteuid() != 0;
  options.layer_users = std::move(users);
  auto s = ImageStore::open(options);
  EXPECT_TRUE(s.ok()) << s.error().to_string();
  return s.ok() ? s.take() : nullptr;
}

// What a store holds, to compare before and after an operation that must change nothing.
struct StoreCounts {
  size_t images = 0;
  size_t blobs = 0;
  size_t layers = 0;
  size_t ingests = 0;
  bool operator==(const StoreCounts&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const StoreCounts& c) {
  return os << "{images " << c.images << ", blobs " << c.blobs << ", layers " << c.layers
            << ", ingests " << c.ingests << "}";
}

inline StoreCounts counts(ImageStore& s) {
  StoreCounts c;
  c.images = s.list()->size();
  c.blobs = s.content().list()->size();
  c.layers = s.snapshots().list_layers()->size();
  auto ingest = store::fs::open_dir(s.content().root() + "/ingest");
  if (ingest.ok()) c.ingests = store::fs::list_dir(ingest->get())->size();
  return c;
}

inline std::string compress(const std::string& data, store::Compression c) {
  std::string out;
  store::StringWriter sink(&out);
  store::CompressingWriter w(sink, c);
  EXPECT_TRUE(w.write(data).ok());
  EXPECT_TRUE(w.finish().ok());
  return out;
}

// A small root filesystem tar with a file whose content tells layers apart.
inline std::string rootfs_tar(const std::string& marker) {
  TarBuilder t;
  t.dir("etc")
      .file("etc/marker", marker)
      .dir("bin")
      .file("bin/tool", "#!/bin/sh\necho " + marker, 0755);
  return t.tar();
}

// An in-memory registry. Blobs and manifests are per registry (not per repository), but
// stat_blob and mounts follow which repositories a blob was pushed to.
class FakeRegistry final : public RegistryApi {
 public:
  struct Calls {
    int fetches = 0;
    int pushes = 0;
    int mounts = 0;
  };

  // --- setup ---
  void put_blob(const RemoteRepository& repo, const std::string& bytes) {
    std::lock_guard lock(mutex_);
    auto d = store::Digest::of(bytes);
    blobs_[d] = bytes;
    where_[d].insert(repo.path);
  }
  store::Digest put_manifest_bytes(const RemoteRepository& repo, const std::string& ref,
                                   const std::string& media_type, const std::string& bytes) {
    std::lock_guard lock(mutex_);
    auto d = store::Digest::of(bytes);
    manifests_[key(repo, d.to_string())] = {media_type, d, bytes};
    if (!ref.empty()) manifests_[key(repo, ref)] = {media_type, d, bytes};
    return d;
  }
  // Faults.
  void corrupt_blob(const store::Digest& d) { blobs_[d].back() ^= 0x55; }
  void truncate_blob(const store::Digest& d, size_t keep) { blobs_[d].resize(keep); }
  void fail_fetch_after(const store::Digest& d, size_t bytes) { fail_after_[d] = bytes; }
  // Blobs served from urls (foreign layers): url -> bytes.
  std::map<std::string, std::string> urls;

  Calls calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  bool has_blob(const std::string& path, const store::Digest& d) {
    std::lock_guard lock(mutex_);
    return where_.contains(d) && where_[d].contains(path);
  }
  std::string blob(const store::Digest& d) {
    std::lock_guard lock(mutex_);
    return blobs_.at(d);
  }
  std::optional<RemoteManifest> manifest(const RemoteRepository& repo, const std::string& ref) {
    std::lock_guard lock(mutex_);
    auto it = manifests_.find(key(repo, ref));
    if (it == manifests_.end()) return std::nullopt;
    return it->second;
  }

  // --- RegistryApi ---
  Result<RemoteManifest> get_manifest(const RemoteRepository& repo, const std::string& ref,
                                      const std::vector<std::string>&) override {
    std::lock_guard lock(mutex_);
    auto it = manifests_.find(key(repo, ref));
    if (it == manifests_.end()) {
      return Error(ErrorCode::kNotFound, "manifest unknown: manifest unknown");
    }
    return it->second;
  }
  Result<std::optional<int64_t>> stat_blob(const RemoteRepository& repo,
                                           const store::Digest& d) override {
    std::lock_guard lock(mutex_);
    if (!where_.contains(d) || !where_[d].contains(repo.path)) return std::optional<int64_t>();
    return std::optional<int64_t>(static_cast<int64_t>(blobs_[d].size()));
  }
  Status fetch_blob(const RemoteRepository&, const store::Digest& d, int64_t expected_size,
                    store::Writer& sink, const TransferProgressFn& progress) override {
    std::string bytes;
    std::optional<size_t> fail_after;
    {
      std::lock_guard lock(mutex_);
      ++calls_.fetches;
      auto it = blobs_.find(d);
      if (it == blobs_.end())
        return Error(ErrorCode::kNotFound, "blob unknown: blob unknown to registry");
      bytes = it->second;
      if (fail_after_.contains(d)) fail_after = fail_after_[d];
    }
    size_t sent = 0;
    while (sent < bytes.size()) {
      size_t n = std::min<size_t>(16 << 10, bytes.size() - sent);
      if (fail_after && sent + n > *fail_after) {
        return Error(ErrorCode::kUnavailable, "connection reset by peer");
      }
      TRY(sink.write(std::string_view(bytes).substr(sent, n)));
      sent += n;
      if (progress) progress(static_cast<int64_t>(sent), expected_size);
    }
    // As the real client: size and digest are checked at the end.
    if (expected_size >= 0 && static_cast<int64_t>(bytes.size()) != expected_size) {
      return make_error(ErrorCode::kDataLoss, "blob {}: size {} does not match expected {}",
                        d.to_string(), bytes.size(), expected_size);
    }
    if (store::Digest::of(bytes) != d) {
      return make_error(ErrorCode::kDataLoss, "blob {}: digest mismatch", d.to_string());
    }
    return {};
  }
  Result<PushOutcome> push_blob(
      const RemoteRepository& repo, const store::Digest& d, int64_t size,
      const std::function<Result<std::unique_ptr<store::Reader>>()>& open_source,
      const std::optional<RemoteRepository>& mount_from,
      const TransferProgressFn& progress) override {
    {
      std::lock_guard lock(mutex_);
      if (where_.contains(d) && where_[d].contains(repo.path)) return PushOutcome::kExisted;
      if (mount_from && mount_from->registry == repo.registry && where_.contains(d) &&
          where_[d].contains(mount_from->path)) {
        where_[d].insert(repo.path);
        ++calls_.mounts;
        return PushOutcome::kMounted;
      }
    }
    auto reader = TRY(open_source());
    std::string bytes;
    store::StringWriter sink(&bytes);
    TRY(store::copy_stream(*reader, sink));
    if (progress) progress(static_cast<int64_t>(bytes.size()), size);
    if (static_cast<int64_t>(bytes.size()) != size || store::Digest::of(bytes) != d) {
      return Error(ErrorCode::kInvalidArgument,
                   "digest invalid: provided digest did not match uploaded content");
    }
    std::lock_guard lock(mutex_);
    ++calls_.pushes;
    blobs_[d] = bytes;
    where_[d].insert(repo.path);
    return PushOutcome::kPushed;
  }
  Result<store::Digest> put_manifest(const RemoteRepository& repo, const std::string& ref,
                                     const std::string& media_type,
                                     const std::string& bytes) override {
    return put_manifest_bytes(repo, ref, media_type, bytes);
  }
  Result<std::vector<std::string>> list_tags(const RemoteRepository& repo) override {
    std::lock_guard lock(mutex_);
    std::vector<std::string> tags;
    std::string prefix = repo.registry + "/" + repo.path + ":";
    for (const auto& [k, v] : manifests_) {
      if (k.starts_with(prefix) && !k.substr(prefix.size()).starts_with("sha256:")) {
        tags.push_back(k.substr(prefix.size()));
      }
    }
    return tags;
  }

  // A fetcher for foreign layers' urls.
  Status fetch_url(const std::string& url, store::Writer& sink, const TransferProgressFn&) {
    auto it = urls.find(url);
    if (it == urls.end()) return Error(ErrorCode::kNotFound, "GET " + url + ": 404");
    return sink.write(it->second);
  }

 private:
  static std::string key(const RemoteRepository& repo, const std::string& ref) {
    return repo.registry + "/" + repo.path + ":" + ref;
  }

  std::mutex mutex_;
  std::map<store::Digest, std::string> blobs_;
  std::map<store::Digest, std::set<std::string>> where_;
  std::map<std::string, RemoteManifest> manifests_;
  std::map<store::Digest, size_t> fail_after_;
  Calls calls_;
};

}  // namespace berth::image::test

#include "image/image_config.h"
#include "image/manifest.h"

namespace berth::image::test {

struct Published {
  store::Digest manifest_digest;
  store::Digest config_digest;
  std::vector<store::Digest> diff_ids;
  std::vector<store::Digest> layer_digests;
  std::string manifest_bytes;
  std::string config_bytes;
};

// Puts an image made of `layer_tars` (uncompressed tars, bottom first) into `reg`:
// the compressed layers, a config and a Docker or OCI manifest, tagged `tag` (may be empty).
inline Published publish_image(FakeRegistry& reg, const RemoteRepository& repo,
                               const std::string& tag, const std::vector<std::string>& layer_tars,
                               store::Compression compression = store::Compression::kGzip,
                               bool oci = false, const std::string& arch = "amd64",
                               const std::string& variant = "") {
  Published p;
  ImageManifest m;
  m.media_type = oci ? media::kOciManifest : media::kDockerManifest;
  ImageConfig config;
  config.architecture = arch;
  config.variant = variant;
  config.os = "linux";
  config.created_ns = 1'600'000'000'000'000'000;
  ContainerConfig cc;
  cc.cmd = std::vector<std::string>{"/bin/tool"};
  config.config = cc;
  for (const auto& tar : layer_tars) {
    std::string blob = compression == store::Compression::kNone ? tar : compress(tar, compression);
    reg.put_blob(repo, blob);
    auto diff = store::Digest::of(tar);
    config.diff_ids.push_back(diff);
    config.history.push_back(HistoryEntry{config.created_ns, "ADD layer", "", "", false});
    p.diff_ids.push_back(diff);
    p.layer_digests.push_back(store::Digest::of(blob));
    m.layers.push_back(Descriptor{std::string(media::layer_media_type(compression, oci)),
                                  store::Digest::of(blob), static_cast<int64_t>(blob.size())});
  }
  p.config_bytes = serialize_image_config(config);
  reg.put_blob(repo, p.config_bytes);
  p.config_digest = store::Digest::of(p.config_bytes);
  m.config = Descriptor{std::string(oci ? media::kOciConfig : media::kDockerConfig),
                        p.config_digest, static_cast<int64_t>(p.config_bytes.size())};
  p.manifest_bytes = serialize_manifest(m);
  p.manifest_digest = reg.put_manifest_bytes(repo, tag, m.media_type, p.manifest_bytes);
  return p;
}

}  // namespace berth::image::test

namespace berth::image::test {

inline std::string slurp_or(const std::string& path) {
  auto r = read_file(path);
  return r.ok() ? *r : "<missing>";
}

}  // namespace berth::image::test

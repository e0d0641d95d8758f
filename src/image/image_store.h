// The image store: the one place that wires image metadata (SQLite, through state/), blobs
// (store::ContentStore) and unpacked layers (store::OverlaySnapshotter) together.
//
//   <root>/content/     blobs: manifests, configs, compressed layers
//   <root>/snapshots/   layers by ChainID (and containers' active snapshots)
//   <root>/tmp/         staging for `load` (emptied on open)
//   <root>/berth.db     metadata, unless the daemon passes its own database
//
// Metadata (tables in image_schema.cpp): images by ID (the config digest) with their layers'
// DiffIDs and ChainIDs, size, platform, labels and parent; tags and repo digests -> image ID;
// the manifests each image came with; which compressed blobs hold each DiffID; which registry
// repositories each blob is known to exist in (for cross-repository mounts on push). Every
// change is one transaction, written only after the blobs and layers it names are durable, so
// a crash leaves either the old or the new state, plus at worst unreferenced files for GC.
//
// Nothing is reference-counted. Garbage collection computes what is reachable from the
// database, from in-flight operations (leases) and from the layer users the daemon reports
// (containers), and removes the rest.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "image/image_config.h"
#include "image/reference.h"
#include "state/database.h"
#include "store/content/content_store.h"
#include "store/digest.h"
#include "store/snapshot/overlay_snapshotter.h"

namespace berth::image {

struct ImageLayer {
  store::Digest diff_id;
  store::Digest chain_id;
};

// A compressed (or not) blob that holds a layer: what manifests name.
struct LayerBlob {
  store::Digest diff_id;
  store::Digest digest;
  std::string media_type;
  int64_t size = 0;
  std::vector<std::string> urls;  // foreign layers
};

struct ManifestRecord {
  store::Digest digest;
  std::string media_type;
  int64_t size = 0;
};

// A registry repository a blob is known to be in ("127.0.0.1:5000", "team/app").
struct BlobSource {
  store::Digest digest;
  std::string registry;
  std::string repository;
};

enum class ManifestFormat { kDocker, kOci };

struct ImageRecord {
  store::Digest id;
  std::string config_media_type;
  Platform platform;
  std::optional<int64_t> created_ns;
  int64_t size = 0;
  std::vector<ImageLayer> layers;
  std::optional<store::Digest> top_layer;  // the ChainID of the whole stack
  std::optional<store::Digest> parent;
  ManifestFormat format = ManifestFormat::kDocker;
  int64_t added_ns = 0;
  std::optional<int64_t> last_tag_time_ns;
  std::map<std::string, std::string> labels;
  std::vector<Reference> tags;     // sorted
  std::vector<Reference> digests;  // repo digests, sorted
  std::vector<ManifestRecord> manifests;
};

// Everything one pull, load, import or commit records, in one transaction.
struct NewImage {
  store::Digest id;
  std::string config_media_type;
  ImageConfig config;
  std::vector<ImageLayer> layers;
  int64_t size = 0;
  std::optional<store::Digest> parent;
  ManifestFormat format = ManifestFormat::kDocker;
  std::vector<ManifestRecord> manifests;
  std::vector<LayerBlob> layer_blobs;
  std::vector<BlobSource> sources;
  std::vector<Reference> tags;          // set (moved from other images if needed)
  std::vector<Reference> repo_digests;  // name@digest
};

struct CommitResult {
  bool created = false;  // the image was not in the store before
  // Tags that pointed at another image before, with that image's ID.
  std::vector<std::pair<Reference, store::Digest>> moved_tags;
};

struct GcResult {
  std::vector<store::Digest> removed_layers;  // ChainIDs
  uint64_t layer_bytes = 0;
  uint64_t blobs_removed = 0;
  uint64_t blob_bytes = 0;
};

struct ImageStoreOptions {
  std::string root;
  // The daemon's database; when null the store opens <root>/berth.db itself.
  state::Database* database = nullptr;
  store::SnapshotterOptions snapshotter;
  // Flush unpacked layers to disk (syncfs) before recording an image that uses them. The store
  // renames a layer into place but does not fsync its files; without this a power loss right
  // after a pull could leave a recorded image over a layer with empty files. Off only for
  // throwaway stores (tests, benchmarks that measure without it).
  bool sync_layers = true;
  // ChainIDs that something outside the store builds on (containers' parents, the builder's
  // in-progress layers): garbage collection keeps them and everything below.
  std::function<std::set<store::Digest>()> layer_users;
};

class ImageStore;

// Pins blobs and layers an operation is creating or relying on, so a concurrent GC keeps them
// until the operation has committed its metadata (or failed). Released on destruction.
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  void pin_blob(const store::Digest& digest);
  void pin_layer(const store::Digest& chain_id);

 private:
  friend class ImageStore;
  Lease(ImageStore* store, uint64_t id) : store_(store), id_(id) {}
  ImageStore* store_;
  uint64_t id_;
};

class ImageStore {
 public:
  static Result<std::unique_ptr<ImageStore>> open(const ImageStoreOptions& options);
  ~ImageStore();

  store::ContentStore& content() { return *content_; }
  store::OverlaySnapshotter& snapshots() { return *snapshots_; }
  state::Database& database() { return *db_; }
  const std::string& root() const { return root_; }
  // Makes unpacked layers durable (see ImageStoreOptions::sync_layers); call before commit().
  Status sync_layers();
  // A fresh private directory under <root>/tmp for staging (the caller removes it).
  Result<std::string> make_temp_dir(std::string_view prefix);

  // --- queries ---
  Result<ImageRecord> get(const store::Digest& id);
  bool exists(const store::Digest& id);
  // Finds an image by tag, repo digest, full ID or unique ID prefix, as `docker` does:
  // "busybox" -> docker.io/library/busybox:latest. kNotFound: "No such image: busybox:latest".
  Result<ImageRecord> resolve(std::string_view name_or_id);
  // The image a tag or repo digest points to (kNotFound when none).
  Result<store::Digest> lookup_reference(const Reference& ref);
  Result<std::vector<ImageRecord>> list();
  // The tags of one repository ("docker.io/library/busybox"), sorted, with their images.
  Result<std::vector<std::pair<Reference, store::Digest>>> repository_tags(const std::string& name);
  // IDs of images whose parent is `id`.
  Result<std::vector<store::Digest>> children(const store::Digest& id);
  Result<std::vector<LayerBlob>> layer_blobs(const store::Digest& diff_id);
  Result<std::vector<BlobSource>> blob_sources(const store::Digest& digest);
  // The config blob of an image, parsed.
  Result<ImageConfig> config(const store::Digest& id);
  Result<std::string> config_bytes(const store::Digest& id);

  // --- changes (each one transaction) ---
  Result<CommitResult> commit(const NewImage& image);
  // Several images in one transaction (a `load` of a multi-image archive is all or nothing).
  Result<std::vector<CommitResult>> commit_all(const std::vector<NewImage>& images);
  // Points `ref` (a tag or name@digest) at `id`, replacing what it pointed to.
  Status add_reference(const Reference& ref, const store::Digest& id);
  // Removes a tag or repo digest; kNotFound when absent.
  Status remove_reference(const Reference& ref);
  Status add_layer_blob(const LayerBlob& blob);
  Status add_blob_source(const BlobSource& source);
  Status add_manifest(const store::Digest& image_id, const ManifestRecord& manifest);
  // Deletes the image's metadata (references included). Files go at the next GC.
  Status remove_image(const store::Digest& id);

  // --- garbage collection ---
  Lease lease();
  // Removes blobs and layers nothing references. Safe to call at any time.
  Result<GcResult> collect_garbage();

 private:
  friend class Lease;
  struct Pins {
    std::set<store::Digest> blobs;
    std::set<store::Digest> layers;
  };
  ImageStore() = default;

  Result<ImageRecord> read_image(state::Session& session, const store::Digest& id);
  Result<std::optional<store::Digest>> find_by_prefix(std::string_view hex_prefix);
  void release(uint64_t lease_id);
  void pin(uint64_t lease_id, const store::Digest& digest, bool layer);

  std::string root_;
  std::unique_ptr<state::Database> owned_db_;
  state::Database* db_ = nullptr;
  std::optional<store::ContentStore> content_;
  std::optional<store::OverlaySnapshotter> snapshots_;
  std::function<std::set<store::Digest>()> layer_users_;
  bool sync_layers_ = true;

  // GC and pinning exclude each other, so a pin either precedes a collection (and is seen) or
  // follows it (and the pinned object is created after the collection).
  std::mutex gc_mutex_;
  std::map<uint64_t, Pins> leases_;
  uint64_t next_lease_ = 1;
};

std::string_view manifest_format_name(ManifestFormat f);

}  // namespace berth::image

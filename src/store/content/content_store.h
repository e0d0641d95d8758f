// The content store: immutable, content-addressed blobs under a root directory.
//
//   <root>/blobs/<alg>/<hex>   committed blobs, mode 0444, never modified
//   <root>/ingest/<sha256(ref)> writes in progress, each flock()ed by its writer
//
// Writes follow ingest -> verify -> fsync -> rename (containerd's design), so a crash never
// leaves a partial blob under a digest; open() deletes ingest files no live writer holds.
// Deletion is garbage collection: the caller (the image store) computes which digests are
// reachable and passes them to garbage_collect().
//
// Thread safety: every method may be called concurrently. Writers with different refs are
// independent; a second writer for a ref in use gets kConflict. Two writers committing the same
// digest both succeed (the first rename wins; the second finds the blob there).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "store/content/content_writer.h"
#include "store/digest.h"

namespace berth::store {

struct BlobInfo {
  Digest digest;
  uint64_t size = 0;
  int64_t modified_unix_nanos = 0;  // when it was committed
};

struct GcStats {
  uint64_t blobs_removed = 0;
  uint64_t bytes_freed = 0;
};

class ContentStore {
 public:
  // Opens (creating if needed) a store rooted at `root`, and removes stale ingest files left by
  // a crash.
  static Result<ContentStore> open(const std::string& root);

  const std::string& root() const { return root_; }

  // Starts an ingest under `ref` (any string naming the upload, e.g. the expected digest or a
  // registry URL). With `expected`, commit() checks the digest (and hashes with its algorithm);
  // with `expected_size`, the size. kConflict if a writer for `ref` is live.
  Result<ContentWriter> writer(std::string_view ref, std::optional<Digest> expected = std::nullopt,
                               std::optional<uint64_t> expected_size = std::nullopt);

  bool exists(const Digest& digest) const;
  // kNotFound when absent.
  Result<BlobInfo> info(const Digest& digest) const;
  // A read-only fd of the blob.
  Result<UniqueFd> open_blob(const Digest& digest) const;
  // The whole blob; kResourceExhausted when it is larger than `max_size` (manifests and configs
  // come from untrusted registries, so callers always bound them).
  Result<std::string> read_blob(const Digest& digest, uint64_t max_size) const;
  // Writes a small blob in one call; returns its digest (checked against `expected` if given).
  Result<Digest> write_blob(std::string_view bytes, std::optional<Digest> expected = std::nullopt);
  // Every committed blob, sorted by digest.
  Result<std::vector<BlobInfo>> list() const;
  // Removes a blob; kNotFound when absent.
  Status remove(const Digest& digest);
  // Removes every blob whose digest is not in `keep`. The caller must keep new writes from
  // racing with the reachability it computed (e.g. hold its image lock while collecting).
  Result<GcStats> garbage_collect(const std::set<Digest>& keep);

  // Where a blob lives (whether or not it exists); for diagnostics and bind-mounting.
  std::string blob_path(const Digest& digest) const;

 private:
  explicit ContentStore(std::string root) : root_(std::move(root)) {}
  Status remove_stale_ingests();

  std::string root_;
};

}  // namespace berth::store

// Leases and garbage collection.
#include <algorithm>

#include "base/log.h"
#include "image/image_store.h"

namespace berth::image {

Lease::Lease(Lease&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)), id_(other.id_) {}

Lease::~Lease() {
  if (store_ != nullptr) store_->release(id_);
}

void Lease::pin_blob(const store::Digest& digest) {
  store_->pin(id_, digest, false);
}

void Lease::pin_layer(const store::Digest& chain_id) {
  store_->pin(id_, chain_id, true);
}

Lease ImageStore::lease() {
  std::lock_guard lock(gc_mutex_);
  uint64_t id = next_lease_++;
  leases_[id];
  return Lease(this, id);
}

void ImageStore::release(uint64_t lease_id) {
  std::lock_guard lock(gc_mutex_);
  leases_.erase(lease_id);
}

void ImageStore::pin(uint64_t lease_id, const store::Digest& digest, bool layer) {
  std::lock_guard lock(gc_mutex_);
  auto& pins = leases_[lease_id];
  (layer ? pins.layers : pins.blobs).insert(digest);
}

Result<GcResult> ImageStore::collect_garbage() {
  std::lock_guard lock(gc_mutex_);
  std::set<store::Digest> keep_blobs;
  std::set<store::Digest> keep_layers;
  {
    auto session = db_->session();
    // Unused layer blob rows first, so the blob set below is exactly what images need.
    TRY(session.exec(
        "DELETE FROM layer_blobs WHERE diff_id NOT IN (SELECT diff_id FROM image_layers);"
        "DELETE FROM blob_sources WHERE digest NOT IN (SELECT digest FROM layer_blobs)"
        " AND digest NOT IN (SELECT id FROM images)"));
    auto collect = [&](const char* sql, std::set<store::Digest>& into) -> Status {
      auto st = TRY(session.prepare(sql));
      while (TRY(st.step())) {
        auto d = store::Digest::parse(st.column_text(0));
        if (d.ok()) into.insert(d.take());
      }
      return {};
    };
    TRY(collect("SELECT id FROM images", keep_blobs));
    TRY(collect("SELECT digest FROM manifests", keep_blobs));
    TRY(collect("SELECT digest FROM layer_blobs", keep_blobs));
    TRY(collect("SELECT top_layer FROM images WHERE top_layer IS NOT NULL", keep_layers));
  }
  for (const auto& [id, pins] : leases_) {
    keep_blobs.insert(pins.blobs.begin(), pins.blobs.end());
    keep_layers.insert(pins.layers.begin(), pins.layers.end());
  }
  if (layer_users_) {
    auto users = layer_users_();
    keep_layers.insert(users.begin(), users.end());
  }

  GcResult result;
  auto before = TRY(snapshots_->list_layers());
  auto blobs = TRY(content_->garbage_collect(keep_blobs));
  result.blobs_removed = blobs.blobs_removed;
  result.blob_bytes = blobs.bytes_freed;
  auto pruned = TRY(snapshots_->prune_layers(keep_layers));
  result.layer_bytes = pruned.bytes_freed;
  if (pruned.layers_removed > 0) {
    // Report the removed layers top-down, as Docker lists them after "Deleted: <image>".
    std::sort(before.begin(), before.end(), [](const auto& a, const auto& b) {
      return a.created_unix_nanos > b.created_unix_nanos;
    });
    for (const auto& layer : before) {
      if (!snapshots_->has_layer(layer.chain_id)) result.removed_layers.push_back(layer.chain_id);
    }
  }
  if (result.blobs_removed > 0 || !result.removed_layers.empty()) {
    log::debug("image gc: removed {} blobs ({} bytes), {} layers ({} bytes)", result.blobs_removed,
               result.blob_bytes, result.removed_layers.size(), result.layer_bytes);
  }
  return result;
}

}  // namespace berth::image

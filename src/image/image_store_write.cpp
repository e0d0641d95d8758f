// The image store's metadata changes, each one transaction.
#include "base/time_format.h"
#include "image/image_store.h"

namespace berth::image {

namespace {

std::string urls_json(const std::vector<std::string>& urls) {
  return Json(urls).dump();
}

Status insert_layer_blob(state::Session& s, const LayerBlob& b) {
  return s.execute(
      "INSERT OR IGNORE INTO layer_blobs(diff_id, digest, media_type, size, urls) "
      "VALUES (?, ?, ?, ?, ?)",
      b.diff_id.to_string(), b.digest.to_string(), b.media_type, b.size, urls_json(b.urls));
}

Status insert_source(state::Session& s, const BlobSource& src) {
  return s.execute(
      "INSERT OR IGNORE INTO blob_sources(digest, registry, repository) VALUES (?, ?, ?)",
      src.digest.to_string(), src.registry, src.repository);
}

Status insert_manifest(state::Session& s, const store::Digest& image_id, const ManifestRecord& m) {
  return s.execute(
      "INSERT OR IGNORE INTO manifests(digest, image_id, media_type, size) VALUES (?, ?, ?, ?)",
      m.digest.to_string(), image_id.to_string(), m.media_type, m.size);
}

// Points a tag or digest reference at `id`; returns the image it pointed at before, if another.
Result<std::optional<store::Digest>> upsert_reference(state::Session& s, const Reference& ref,
                                                      const store::Digest& id, int64_t now) {
  bool digest = ref.has_digest();
  std::string name = digest ? ref.with_digest(*ref.digest()).string() : ref.string();
  std::optional<store::Digest> previous;
  {
    auto st = TRY(s.prepare(digest ? "SELECT image_id FROM repo_digests WHERE name = ?"
                                   : "SELECT image_id FROM tags WHERE name = ?"));
    TRY(st.bind_all(name));
    if (TRY(st.step())) {
      auto d = TRY(store::Digest::parse(st.column_text(0)));
      if (d != id) previous = d;
    }
  }
  if (digest) {
    TRY(s.execute(
        "INSERT INTO repo_digests(name, repository, digest, image_id, created) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id",
        name, ref.name(), ref.digest()->to_string(), id.to_string(), now));
  } else {
    TRY(s.execute(
        "INSERT INTO tags(name, repository, tag, image_id, created) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, created = excluded.created",
        name, ref.name(), ref.tag(), id.to_string(), now));
  }
  return previous;
}

Status check_reference(const Reference& ref) {
  if (ref.domain().empty() || (!ref.has_tag() && !ref.has_digest())) {
    return make_error(ErrorCode::kInvalidArgument, "reference {} needs a tag or digest",
                      ref.string());
  }
  return {};
}

Status check_new_image(const NewImage& image) {
  for (const auto& ref : image.tags) TRY(check_reference(ref));
  for (const auto& ref : image.repo_digests) TRY(check_reference(ref));
  if (image.layers.size() != image.config.diff_ids.size()) {
    return make_error(ErrorCode::kInvalidArgument, "image {}: {} layers for {} diff_ids",
                      image.id.to_string(), image.layers.size(), image.config.diff_ids.size());
  }
  return {};
}

Result<CommitResult> commit_in(state::Session& session, const NewImage& image, int64_t now) {
  CommitResult result;
  {
    auto st = TRY(session.prepare("SELECT 1 FROM images WHERE id = ?"));
    TRY(st.bind_all(image.id.to_string()));
    result.created = !TRY(st.step());
  }
  if (result.created) {
    const ImageConfig& c = image.config;
    std::optional<std::string> top;
    if (!image.layers.empty()) top = image.layers.back().chain_id.to_string();
    std::optional<std::string> parent;
    if (image.parent) parent = image.parent->to_string();
    TRY(session.execute(
        "INSERT INTO images(id, config_media_type, os, architecture, variant, os_version, "
        "created, size, top_layer, parent, format, added) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        image.id.to_string(), image.config_media_type, c.os, c.architecture, c.variant,
        c.os_version, c.created_ns, image.size, top, parent,
        std::string(manifest_format_name(image.format)), now));
    for (size_t i = 0; i < image.layers.size(); ++i) {
      TRY(session.execute(
          "INSERT INTO image_layers(image_id, position, diff_id, chain_id) VALUES (?, ?, ?, ?)",
          image.id.to_string(), static_cast<int64_t>(i), image.layers[i].diff_id.to_string(),
          image.layers[i].chain_id.to_string()));
    }
    if (c.config && c.config->labels) {
      for (const auto& [k, v] : *c.config->labels) {
        TRY(session.execute("INSERT INTO image_labels(image_id, key, value) VALUES (?, ?, ?)",
                            image.id.to_string(), k, v));
      }
    }
  }
  for (const auto& m : image.manifests) TRY(insert_manifest(session, image.id, m));
  for (const auto& b : image.layer_blobs) TRY(insert_layer_blob(session, b));
  for (const auto& src : image.sources) TRY(insert_source(session, src));
  for (const auto& ref : image.tags) {
    if (auto prev = TRY(upsert_reference(session, ref, image.id, now))) {
      result.moved_tags.emplace_back(ref, *prev);
    }
  }
  for (const auto& ref : image.repo_digests) TRY(upsert_reference(session, ref, image.id, now));
  return result;
}

}  // namespace

Result<CommitResult> ImageStore::commit(const NewImage& image) {
  auto all = TRY(commit_all({image}));
  return std::move(all.front());
}

Result<std::vector<CommitResult>> ImageStore::commit_all(const std::vector<NewImage>& images) {
  for (const auto& image : images) TRY(check_new_image(image));
  int64_t now = unix_nanos_now();
  std::vector<CommitResult> results;
  auto session = db_->session();
  auto tx = TRY(session.begin());
  for (const auto& image : images) results.push_back(TRY(commit_in(session, image, now)));
  TRY(tx.commit());
  return results;
}

Status ImageStore::add_reference(const Reference& ref, const store::Digest& id) {
  TRY(check_reference(ref));
  int64_t now = unix_nanos_now();
  auto session = db_->session();
  auto tx = TRY(session.begin());
  {
    auto st = TRY(session.prepare("SELECT 1 FROM images WHERE id = ?"));
    TRY(st.bind_all(id.to_string()));
    if (!TRY(st.step())) {
      return make_error(ErrorCode::kNotFound, "No such image: {}", id.to_string());
    }
  }
  TRY(upsert_reference(session, ref, id, now));
  if (!ref.has_digest()) {
    TRY(session.execute("UPDATE images SET last_tag_time = ? WHERE id = ?", now, id.to_string()));
  }
  return tx.commit();
}

Status ImageStore::remove_reference(const Reference& ref) {
  auto session = db_->session();
  auto tx = TRY(session.begin());
  if (ref.has_digest()) {
    TRY(session.execute("DELETE FROM repo_digests WHERE name = ?",
                        ref.with_digest(*ref.digest()).string()));
  } else {
    TRY(session.execute("DELETE FROM tags WHERE name = ?", ref.tag_or_latest().string()));
  }
  if (session.changes() == 0) {
    return make_error(ErrorCode::kNotFound, "No such image: {}",
                      ref.tag_or_latest().familiar_string());
  }
  return tx.commit();
}

Status ImageStore::add_layer_blob(const LayerBlob& blob) {
  auto session = db_->session();
  return insert_layer_blob(session, blob);
}

Status ImageStore::add_blob_source(const BlobSource& source) {
  auto session = db_->session();
  return insert_source(session, source);
}

Status ImageStore::add_manifest(const store::Digest& image_id, const ManifestRecord& manifest) {
  auto session = db_->session();
  return insert_manifest(session, image_id, manifest);
}

Status ImageStore::remove_image(const store::Digest& id) {
  auto session = db_->session();
  auto tx = TRY(session.begin());
  // References, layers, labels and manifests go with it (ON DELETE CASCADE).
  TRY(session.execute("DELETE FROM images WHERE id = ?", id.to_string()));
  if (session.changes() == 0) {
    return make_error(ErrorCode::kNotFound, "No such image: {}", id.to_string());
  }
  return tx.commit();
}

}  // namespace berth::image

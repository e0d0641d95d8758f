#include "image/image_store.h"

#include <unistd.h>

#include <algorithm>

#include "base/file_util.h"
#include "base/log.h"
#include "image/image_schema.h"
#include "image/progress.h"
#include "state/migrations.h"
#include "store/fs/dir_ops.h"

namespace berth::image {

namespace {

constexpr const char* kTmp = "tmp";

Result<store::Digest> digest_column(const state::Statement& st, int index) {
  return store::Digest::parse(st.column_text(index));
}

std::optional<store::Digest> optional_digest(const state::Statement& st, int index) {
  auto text = st.column_optional_text(index);
  if (!text) return std::nullopt;
  auto d = store::Digest::parse(*text);
  if (!d.ok()) return std::nullopt;
  return d.take();
}

bool is_hex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Error no_such_image(std::string_view what) {
  return make_error(ErrorCode::kNotFound, "No such image: {}", what);
}

}  // namespace

std::string_view manifest_format_name(ManifestFormat f) {
  return f == ManifestFormat::kOci ? "oci" : "docker";
}

Result<std::unique_ptr<ImageStore>> ImageStore::open(const ImageStoreOptions& options) {
  std::unique_ptr<ImageStore> s(new ImageStore());
  s->root_ = options.root;
  TRY_CTX(make_dirs(options.root, 0711), "image store " + options.root);
  // Staging left by an interrupted load.
  std::string tmp = path_join(options.root, kTmp);
  TRY(remove_all(tmp));
  TRY(make_dirs(tmp, 0700));
  s->content_.emplace(TRY(store::ContentStore::open(path_join(options.root, "content"))));
  s->snapshots_.emplace(TRY(
      store::OverlaySnapshotter::open(path_join(options.root, "snapshots"), options.snapshotter)));
  if (options.database != nullptr) {
    s->db_ = options.database;
  } else {
    s->owned_db_ = TRY(state::Database::open(path_join(options.root, "berth.db")));
    s->db_ = s->owned_db_.get();
  }
  TRY_CTX(state::migrate(*s->db_, "image", image_migrations()), "image store");
  s->layer_users_ = options.layer_users;
  s->sync_layers_ = options.sync_layers;
  return s;
}

Status ImageStore::sync_layers() {
  if (!sync_layers_) return {};
  auto fd = TRY(store::fs::open_dir(snapshots_->root()));
  if (::syncfs(fd.get()) != 0) return errno_error("syncfs " + snapshots_->root());
  return {};
}

ImageStore::~ImageStore() = default;

Result<std::string> ImageStore::make_temp_dir(std::string_view prefix) {
  std::string path =
      path_join(path_join(root_, kTmp), std::string(prefix) + "-" + store::fs::random_id(12));
  if (::mkdir(path.c_str(), 0700) != 0) return errno_error("mkdir " + path);
  return path;
}

Result<ImageRecord> ImageStore::read_image(state::Session& session, const store::Digest& id) {
  ImageRecord r;
  {
    auto st = TRY(session.prepare(
        "SELECT config_media_type, os, architecture, variant, os_version, created, size, "
        "top_layer, parent, format, added, last_tag_time FROM images WHERE id = ?"));
    TRY(st.bind_all(id.to_string()));
    if (!TRY(st.step())) return no_such_image(id.to_string());
    r.id = id;
    r.config_media_type = st.column_text(0);
    r.platform.os = st.column_text(1);
    r.platform.architecture = st.column_text(2);
    r.platform.variant = st.column_text(3);
    r.platform.os_version = st.column_text(4);
    r.created_ns = st.column_optional_int64(5);
    r.size = st.column_int64(6);
    r.top_layer = optional_digest(st, 7);
    r.parent = optional_digest(st, 8);
    r.format = st.column_text(9) == "oci" ? ManifestFormat::kOci : ManifestFormat::kDocker;
    r.added_ns = st.column_int64(10);
    r.last_tag_time_ns = st.column_optional_int64(11);
  }
  {
    auto st = TRY(session.prepare(
        "SELECT diff_id, chain_id FROM image_layers WHERE image_id = ? ORDER BY position"));
    TRY(st.bind_all(id.to_string()));
    while (TRY(st.step())) {
      r.layers.push_back({TRY(digest_column(st, 0)), TRY(digest_column(st, 1))});
    }
  }
  {
    auto st = TRY(session.prepare("SELECT key, value FROM image_labels WHERE image_id = ?"));
    TRY(st.bind_all(id.to_string()));
    while (TRY(st.step())) r.labels[st.column_text(0)] = st.column_text(1);
  }
  for (auto [table, out] : {std::pair{"tags", &r.tags}, std::pair{"repo_digests", &r.digests}}) {
    auto st = TRY(session.prepare(std::string("SELECT name FROM ") + table +
                                  " WHERE image_id = ? ORDER BY name"));
    TRY(st.bind_all(id.to_string()));
    while (TRY(st.step())) {
      auto ref = Reference::parse(st.column_text(0));
      if (ref.ok()) out->push_back(ref.take());
    }
  }
  {
    auto st = TRY(session.prepare(
        "SELECT digest, media_type, size FROM manifests WHERE image_id = ? ORDER BY rowid"));
    TRY(st.bind_all(id.to_string()));
    while (TRY(st.step())) {
      r.manifests.push_back({TRY(digest_column(st, 0)), st.column_text(1), st.column_int64(2)});
    }
  }
  return r;
}

Result<ImageRecord> ImageStore::get(const store::Digest& id) {
  auto session = db_->session();
  return read_image(session, id);
}

bool ImageStore::exists(const store::Digest& id) {
  auto session = db_->session();
  auto st = session.prepare("SELECT 1 FROM images WHERE id = ?");
  if (!st.ok() || !st->bind_all(id.to_string()).ok()) return false;
  auto row = st->step();
  return row.ok() && *row;
}

Result<store::Digest> ImageStore::lookup_reference(const Reference& ref) {
  auto session = db_->session();
  const char* sql = ref.has_digest() ? "SELECT image_id FROM repo_digests WHERE name = ?"
                                     : "SELECT image_id FROM tags WHERE name = ?";
  // A reference with both tag and digest is looked up by its digest, as Docker does.
  std::string name =
      ref.has_digest() ? ref.with_digest(*ref.digest()).string() : ref.tag_or_latest().string();
  auto st = TRY(session.prepare(sql));
  TRY(st.bind_all(name));
  if (!TRY(st.step())) return no_such_image(ref.tag_or_latest().familiar_string());
  return digest_column(st, 0);
}

Result<std::optional<store::Digest>> ImageStore::find_by_prefix(std::string_view hex_prefix) {
  auto session = db_->session();
  auto st = TRY(session.prepare("SELECT id FROM images WHERE id GLOB ? LIMIT 2"));
  TRY(st.bind_all("sha256:" + std::string(hex_prefix) + "*"));
  std::optional<store::Digest> found;
  while (TRY(st.step())) {
    if (found) {
      return make_error(ErrorCode::kInvalidArgument, "ambiguous image ID prefix {}", hex_prefix);
    }
    found = TRY(digest_column(st, 0));
  }
  return found;
}

Result<ImageRecord> ImageStore::resolve(std::string_view text) {
  auto spec = TRY(parse_image_specifier(text));
  if (spec.id) {
    if (!exists(*spec.id)) return no_such_image(spec.id->to_string());
    return get(*spec.id);
  }
  const Reference& ref = *spec.reference;
  auto by_ref = lookup_reference(ref);
  if (by_ref.ok()) return get(*by_ref);
  if (by_ref.error().code() != ErrorCode::kNotFound) return by_ref.error();
  // An ID prefix ("3e2f21a89f", "sha256:3e2f21a8").
  std::string_view prefix = text;
  if (prefix.starts_with("sha256:")) prefix.remove_prefix(7);
  if (is_hex(prefix)) {
    if (auto id = TRY(find_by_prefix(prefix))) return get(*id);
  }
  return by_ref.error();
}

Result<std::vector<ImageRecord>> ImageStore::list() {
  auto session = db_->session();
  std::vector<store::Digest> ids;
  {
    auto st = TRY(session.prepare("SELECT id FROM images ORDER BY created DESC, id"));
    while (TRY(st.step())) ids.push_back(TRY(digest_column(st, 0)));
  }
  std::vector<ImageRecord> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(TRY(read_image(session, id)));
  return out;
}

Result<std::vector<std::pair<Reference, store::Digest>>> ImageStore::repository_tags(
    const std::string& name) {
  auto session = db_->session();
  auto st =
      TRY(session.prepare("SELECT name, image_id FROM tags WHERE repository = ? ORDER BY tag"));
  TRY(st.bind_all(name));
  std::vector<std::pair<Reference, store::Digest>> out;
  while (TRY(st.step())) {
    auto ref = Reference::parse(st.column_text(0));
    if (ref.ok()) out.emplace_back(ref.take(), TRY(digest_column(st, 1)));
  }
  return out;
}

Result<std::vector<store::Digest>> ImageStore::children(const store::Digest& id) {
  auto session = db_->session();
  auto st = TRY(session.prepare("SELECT id FROM images WHERE parent = ? ORDER BY id"));
  TRY(st.bind_all(id.to_string()));
  std::vector<store::Digest> out;
  while (TRY(st.step())) out.push_back(TRY(digest_column(st, 0)));
  return out;
}

Result<std::vector<LayerBlob>> ImageStore::layer_blobs(const store::Digest& diff_id) {
  auto session = db_->session();
  auto st = TRY(session.prepare(
      "SELECT digest, media_type, size, urls FROM layer_blobs WHERE diff_id = ? ORDER BY rowid"));
  TRY(st.bind_all(diff_id.to_string()));
  std::vector<LayerBlob> out;
  while (TRY(st.step())) {
    LayerBlob b;
    b.diff_id = diff_id;
    b.digest = TRY(digest_column(st, 0));
    b.media_type = st.column_text(1);
    b.size = st.column_int64(2);
    auto urls = parse_json(st.column_text(3), "layer urls");
    if (urls.ok() && urls->is_array()) {
      for (const auto& u : *urls) {
        if (u.is_string()) b.urls.push_back(u.get<std::string>());
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<BlobSource>> ImageStore::blob_sources(const store::Digest& digest) {
  auto session = db_->session();
  auto st = TRY(session.prepare(
      "SELECT registry, repository FROM blob_sources WHERE digest = ? ORDER BY rowid"));
  TRY(st.bind_all(digest.to_string()));
  std::vector<BlobSource> out;
  while (TRY(st.step())) out.push_back({digest, st.column_text(0), st.column_text(1)});
  return out;
}

Result<std::string> ImageStore::config_bytes(const store::Digest& id) {
  // Configs are small; 32 MiB bounds a corrupt or hostile one.
  return content_->read_blob(id, 32 << 20);
}

Result<ImageConfig> ImageStore::config(const store::Digest& id) {
  std::string bytes = TRY_CTX(config_bytes(id), "image " + short_id(id.to_string()));
  return parse_image_config(bytes);
}

}  // namespace berth::image

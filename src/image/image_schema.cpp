#include "image/image_schema.h"

namespace berth::image {

namespace {

// Digests are stored as text ("sha256:<hex>"); times as Unix nanoseconds.
constexpr state::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE images (
  id                TEXT PRIMARY KEY,          -- the config digest
  config_media_type TEXT NOT NULL,
  os                TEXT NOT NULL,
  architecture      TEXT NOT NULL,
  variant           TEXT NOT NULL DEFAULT '',
  os_version        TEXT NOT NULL DEFAULT '',
  created           INTEGER,                   -- from the config; NULL when it has none
  size              INTEGER NOT NULL,          -- bytes of the unpacked layers
  top_layer         TEXT,                      -- ChainID of the stack; NULL without layers
  parent            TEXT,                      -- the image this was built from (builder)
  format            TEXT NOT NULL CHECK (format IN ('docker', 'oci')),
  added             INTEGER NOT NULL,
  last_tag_time     INTEGER
);
CREATE INDEX images_parent ON images(parent);

CREATE TABLE image_layers (
  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,                   -- 0 = bottom
  diff_id  TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  PRIMARY KEY (image_id, position)
);
CREATE INDEX image_layers_diff_id ON image_layers(diff_id);

CREATE TABLE image_labels (
  image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  key      TEXT NOT NULL,
  value    TEXT NOT NULL,
  PRIMARY KEY (image_id, key)
);

-- repo:tag -> image ("docker.io/library/busybox:latest").
CREATE TABLE tags (
  name       TEXT PRIMARY KEY,
  repository TEXT NOT NULL,
  tag        TEXT NOT NULL,
  image_id   TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  created    INTEGER NOT NULL
);
CREATE INDEX tags_image ON tags(image_id);

-- repo@digest -> image; the digest is of the manifest or index the image was pulled or pushed as.
CREATE TABLE repo_digests (
  name       TEXT PRIMARY KEY,
  repository TEXT NOT NULL,
  digest     TEXT NOT NULL,
  image_id   TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  created    INTEGER NOT NULL
);
CREATE INDEX repo_digests_image ON repo_digests(image_id);

-- Manifests (and indexes) kept in the content store for an image.
CREATE TABLE manifests (
  digest     TEXT NOT NULL,
  image_id   TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  PRIMARY KEY (digest, image_id)
);
CREATE INDEX manifests_image ON manifests(image_id);

-- Blobs holding a layer (one DiffID may exist compressed several ways).
CREATE TABLE layer_blobs (
  diff_id    TEXT NOT NULL,
  digest     TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  urls       TEXT NOT NULL DEFAULT '[]',       -- JSON array, for foreign layers
  PRIMARY KEY (diff_id, digest)
);
CREATE INDEX layer_blobs_digest ON layer_blobs(digest);

-- Registry repositories a blob is known to exist in.
CREATE TABLE blob_sources (
  digest     TEXT NOT NULL,
  registry   TEXT NOT NULL,
  repository TEXT NOT NULL,
  PRIMARY KEY (digest, registry, repository)
);
)sql"},
};

}  // namespace

std::span<const state::Migration> image_migrations() {
  return kMigrations;
}

}  // namespace berth::image

// Internal: the image store's SQLite schema, as state::migrate() scripts (component "image").
#pragma once

#include <span>

#include "state/migrations.h"

namespace berth::image {

std::span<const state::Migration> image_migrations();

}  // namespace berth::image

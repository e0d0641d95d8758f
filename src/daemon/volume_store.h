// The volumes table: one row per volume, its metadata as JSON.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "daemon/volume.h"
#include "state/database.h"

namespace berth::daemon {

class VolumeStore {
 public:
  static Result<std::unique_ptr<VolumeStore>> open(state::Database& db);

  Result<std::vector<Volume>> load();
  Status put(const Volume& volume);
  Status remove(const std::string& name);

 private:
  explicit VolumeStore(state::Database& db) : db_(db) {}

  state::Database& db_;
};

}  // namespace berth::daemon

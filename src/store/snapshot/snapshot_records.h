// Internal: the JSON files beside each layer and active snapshot.
#pragma once

#include <optional>
#include <string>

#include "base/result.h"
#include "store/snapshot/overlay_snapshotter.h"

namespace berth::store {

struct LayerRecord {
  LayerInfo info;
  std::string link;  // the name under <root>/l/
};

inline constexpr const char* kLayerRecordFile = "layer.json";
inline constexpr const char* kActiveRecordFile = "active.json";

std::string layer_record_json(const LayerRecord& record);
// `dir` is the layer directory (layers/<hex>); info.path is set to its fs/.
Result<LayerRecord> read_layer_record(const std::string& dir);

std::string active_record_json(const ActiveInfo& info);
Result<ActiveInfo> read_active_record(const std::string& dir, const std::string& key);

}  // namespace berth::store

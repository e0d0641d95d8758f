// Read-side views of the image store, shaped as the Docker Engine API returns them:
// ImageSummary (GET /images/json), ImageInspect (GET /images/{name}/json) and
// HistoryResponseItem (GET /images/{name}/history).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "image/filters.h"
#include "image/image_store.h"

namespace berth::image {

struct ImageSummary {
  std::string id;
  std::string parent_id;
  std::vector<std::string> repo_tags;     // familiar ("busybox:latest")
  std::vector<std::string> repo_digests;  // familiar ("busybox@sha256:...")
  int64_t created = 0;                    // Unix seconds
  int64_t size = 0;
  int64_t shared_size = -1;
  std::optional<std::map<std::string, std::string>> labels;
  int64_t containers = -1;
};

struct ListOptions {
  bool all = false;  // intermediate (untagged parent) images too
  Filters filters;   // dangling, label, before, since, reference, until
  bool shared_size = false;
  // Containers per image, when the caller can tell (the daemon); unset: -1.
  std::function<int64_t(const store::Digest&)> container_count;
};

Result<std::vector<ImageSummary>> list_images(ImageStore& store, const ListOptions& options);
OrderedJson summary_json(const ImageSummary& s);

// The ImageInspect object (API v1.47).
Result<OrderedJson> inspect_image(ImageStore& store, const ImageRecord& image);

struct HistoryItem {
  std::string id;  // the image ID for the top entry (and local parents), else "<missing>"
  int64_t created = 0;
  std::string created_by;
  std::optional<std::vector<std::string>> tags;
  int64_t size = 0;
  std::string comment;
};

Result<std::vector<HistoryItem>> image_history(ImageStore& store, const ImageRecord& image);
OrderedJson history_json(const HistoryItem& item);

}  // namespace berth::image

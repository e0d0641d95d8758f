// `docker rmi` and `docker image prune`, with Docker's rules: removing a reference untags; the
// image itself goes with its last reference (or when named by ID), unless a container uses it
// or it has children; the answer lists {"Untagged": ...} and {"Deleted": ...} entries (image
// ID, then the layers that went with it). Conflicts read as Docker's:
//   conflict: unable to delete 1234abcd5678 (must be forced) - image is referenced in multiple
//   repositories conflict: unable to delete 1234abcd5678 (cannot be forced) - image is being used
//   by running container 0123abcd4567
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "image/filters.h"
#include "image/image_store.h"

namespace berth::image {

struct DeleteItem {
  std::string untagged;
  std::string deleted;
};

OrderedJson delete_item_json(const DeleteItem& item);

// A container created from an image (the daemon knows them; the image store does not).
struct ContainerUser {
  std::string id;
  bool running = false;
};
using ImageUsersFn = std::function<std::vector<ContainerUser>(const store::Digest& image_id)>;

struct RemoveOptions {
  bool force = false;
  bool prune_parents = true;  // the API's !noprune: also delete untagged parents
};

Result<std::vector<DeleteItem>> remove_image(ImageStore& store, std::string_view name,
                                             const RemoveOptions& options,
                                             const ImageUsersFn& users);

struct PruneReport {
  std::vector<DeleteItem> deleted;
  uint64_t space_reclaimed = 0;
};

// Filters: dangling (default true: untagged images only; false: every unused image, -a),
// until, label, label!. Images used by containers are kept.
Result<PruneReport> prune_images(ImageStore& store, const Filters& filters,
                                 const ImageUsersFn& users);

}  // namespace berth::image

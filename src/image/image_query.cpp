#include "image/image_query.h"

#include <algorithm>

#include "base/file_util.h"
#include "base/time_format.h"
#include "store/snapshot/chain_id.h"

namespace berth::image {

namespace {

std::vector<std::string> familiar(const std::vector<Reference>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.familiar_string());
  return out;
}

int64_t created_seconds(const ImageRecord& r) {
  return r.created_ns ? *r.created_ns / 1'000'000'000 : 0;
}

// before/since name images; compared by creation time, as Docker does.
Result<std::optional<int64_t>> reference_time(ImageStore& store, const Filters& filters,
                                              const std::string& key) {
  auto it = filters.find(key);
  if (it == filters.end() || it->second.empty()) return std::optional<int64_t>();
  std::optional<int64_t> result;
  for (const auto& name : it->second) {
    auto image = TRY(store.resolve(name));
    int64_t t = image.created_ns.value_or(0);
    // before: the earliest bound wins; since: the latest.
    if (!result || (key == "before" ? t < *result : t > *result)) result = t;
  }
  return result;
}

}  // namespace

Result<std::vector<ImageSummary>> list_images(ImageStore& store, const ListOptions& options) {
  const Filters& f = options.filters;
  TRY(check_filter_keys(f, {"dangling", "label", "before", "since", "reference", "until"}));
  auto dangling = TRY(dangling_filter(f));
  auto before = TRY(reference_time(store, f, "before"));
  auto since = TRY(reference_time(store, f, "since"));
  std::optional<int64_t> until;
  if (auto it = f.find("until"); it != f.end() && !it->second.empty()) {
    until = TRY(parse_until(it->second.front(), unix_nanos_now()));
  }
  std::vector<std::string> patterns;
  if (auto it = f.find("reference"); it != f.end()) patterns = it->second;

  auto images = TRY(store.list());
  std::set<store::Digest> parents;
  for (const auto& img : images) {
    if (img.parent) parents.insert(*img.parent);
  }
  // Layer use counts, for SharedSize.
  std::map<store::Digest, int> layer_users;
  if (options.shared_size) {
    for (const auto& img : images) {
      for (const auto& l : img.layers) ++layer_users[l.chain_id];
    }
  }

  std::vector<ImageSummary> out;
  for (const auto& img : images) {
    bool untagged = img.tags.empty() && img.digests.empty();
    if (!options.all && untagged && parents.contains(img.id)) continue;  // intermediate
    if (dangling && *dangling != img.tags.empty()) continue;
    if (!labels_match(f, img.labels)) continue;
    int64_t created = img.created_ns.value_or(0);
    if (before && created >= *before) continue;
    if (since && created <= *since) continue;
    if (until && created > *until) continue;
    if (!patterns.empty()) {
      bool any = false;
      for (const auto& t : img.tags) {
        for (const auto& p : patterns) {
          any = any || reference_matches(p, t.familiar_string(), t.familiar_name());
        }
      }
      if (!any) continue;
    }
    ImageSummary s;
    s.id = img.id.to_string();
    s.parent_id = img.parent ? img.parent->to_string() : "";
    s.repo_tags = familiar(img.tags);
    s.repo_digests = familiar(img.digests);
    s.created = created_seconds(img);
    s.size = img.size;
    if (!img.labels.empty()) s.labels = img.labels;
    if (options.container_count) s.containers = options.container_count(img.id);
    if (options.shared_size) {
      s.shared_size = 0;
      for (const auto& l : img.layers) {
        if (layer_users[l.chain_id] > 1) {
          auto info = store.snapshots().layer(l.chain_id);
          if (info.ok()) s.shared_size += static_cast<int64_t>(info->size);
        }
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

OrderedJson summary_json(const ImageSummary& s) {
  OrderedJson j = OrderedJson::object();
  j["Containers"] = s.containers;
  j["Created"] = s.created;
  j["Id"] = s.id;
  j["Labels"] = s.labels ? OrderedJson(*s.labels) : OrderedJson(nullptr);
  j["ParentId"] = s.parent_id;
  j["RepoDigests"] = s.repo_digests;
  j["RepoTags"] = s.repo_tags;
  j["SharedSize"] = s.shared_size;
  j["Size"] = s.size;
  return j;
}

Result<OrderedJson> inspect_image(ImageStore& store, const ImageRecord& image) {
  auto config = TRY(store.config(image.id));
  OrderedJson j = OrderedJson::object();
  j["Id"] = image.id.to_string();
  j["RepoTags"] = familiar(image.tags);
  j["RepoDigests"] = familiar(image.digests);
  j["Parent"] = image.parent ? image.parent->to_string() : "";
  j["Comment"] = config.comment;
  if (config.created_ns) j["Created"] = format_rfc3339_nano_ns(*config.created_ns);
  j["DockerVersion"] = config.docker_version;
  j["Author"] = config.author;
  j["Config"] = config.config ? container_config_json(*config.config) : OrderedJson(nullptr);
  j["Architecture"] = config.architecture;
  if (!config.variant.empty()) j["Variant"] = config.variant;
  j["Os"] = config.os;
  if (!config.os_version.empty()) j["OsVersion"] = config.os_version;
  j["Size"] = image.size;

  // overlay2's view of the stack: the top layer is the "upper", the rest the lowers.
  OrderedJson driver = OrderedJson::object();
  if (image.top_layer) {
    auto dirs = TRY(store.snapshots().layer_dirs(*image.top_layer));
    OrderedJson data = OrderedJson::object();
    std::string top_dir = dirname(dirs.back());
    if (dirs.size() > 1) {
      std::vector<std::string> lowers(dirs.rbegin() + 1, dirs.rend());
      std::string joined;
      for (const auto& l : lowers) joined += (joined.empty() ? "" : ":") + l;
      data["LowerDir"] = joined;
    }
    data["MergedDir"] = top_dir + "/merged";
    data["UpperDir"] = dirs.back();
    data["WorkDir"] = top_dir + "/work";
    driver["Data"] = std::move(data);
  } else {
    driver["Data"] = nullptr;
  }
  driver["Name"] = "overlay2";
  j["GraphDriver"] = std::move(driver);

  OrderedJson rootfs = OrderedJson::object();
  rootfs["Type"] = config.rootfs_type;
  OrderedJson layers = OrderedJson::array();
  for (const auto& d : config.diff_ids) layers.push_back(d.to_string());
  rootfs["Layers"] = std::move(layers);
  j["RootFS"] = std::move(rootfs);
  OrderedJson metadata = OrderedJson::object();
  metadata["LastTagTime"] = image.last_tag_time_ns ? format_rfc3339_nano_ns(*image.last_tag_time_ns)
                                                   : std::string("0001-01-01T00:00:00Z");
  j["Metadata"] = std::move(metadata);
  return j;
}

Result<std::vector<HistoryItem>> image_history(ImageStore& store, const ImageRecord& image) {
  auto config = TRY(store.config(image.id));
  std::vector<HistoryItem> items;
  size_t layer = 0;
  std::optional<store::Digest> chain;
  for (const auto& h : config.history) {
    HistoryItem item;
    item.id = "<missing>";
    if (!h.empty_layer) {
      if (layer >= config.diff_ids.size()) {
        return Error(ErrorCode::kDataLoss, "too many non-empty layers in History section");
      }
      chain = chain ? store::chain_id(*chain, config.diff_ids[layer]) : config.diff_ids[layer];
      auto info = store.snapshots().layer(*chain);
      if (info.ok()) item.size = static_cast<int64_t>(info->size);
      ++layer;
    }
    item.created = h.created_ns ? *h.created_ns / 1'000'000'000 : 0;
    item.created_by = h.created_by;
    item.comment = h.comment;
    items.push_back(std::move(item));
  }
  std::reverse(items.begin(), items.end());
  // The top entry is the image itself; entries below get IDs only where the local parent
  // chain (builder images) knows them.
  std::optional<ImageRecord> current = image;
  for (auto& item : items) {
    if (!current) break;
    item.id = current->id.to_string();
    std::vector<std::string> tags;
    for (const auto& t : current->tags) tags.push_back(t.familiar_string());
    if (!tags.empty()) item.tags = std::move(tags);
    if (!current->parent) break;
    auto parent = store.get(*current->parent);
    if (!parent.ok()) break;
    current = parent.take();
  }
  return items;
}

OrderedJson history_json(const HistoryItem& item) {
  OrderedJson j = OrderedJson::object();
  j["Id"] = item.id;
  j["Created"] = item.created;
  j["CreatedBy"] = item.created_by;
  j["Tags"] = item.tags ? OrderedJson(*item.tags) : OrderedJson(nullptr);
  j["Size"] = item.size;
  j["Comment"] = item.comment;
  return j;
}

}  // namespace berth::image

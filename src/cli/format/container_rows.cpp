#include "cli/format/container_rows.h"

#include <algorithm>
#include <vector>

#include "base/strings.h"
#include "cli/format/ports.h"
#include "cli/format/reference.h"
#include "cli/format/units.h"

namespace berth::cli {
namespace {

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t num(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

std::string image_field(const Json& c, bool trunc) {
  std::string image = str(c, "Image");
  if (image.empty()) return "<no image>";
  if (!trunc) return image;
  std::string trunc_id = truncate_id(str(c, "ImageID"));
  if (trunc_id == truncate_id(image)) return trunc_id;
  auto ref = parse_normalized_named(image);
  if (!ref.ok()) return image;
  ImageReference r = *ref;
  r.digest.clear();
  return r.familiar();
}

}  // namespace

ListRow container_row(const Json& c, bool trunc) {
  Json f = Json::object();
  std::string id = str(c, "Id");
  f["ID"] = trunc ? truncate_id(id) : id;

  std::vector<std::string> names;
  if (auto it = c.find("Names"); it != c.end() && it->is_array()) {
    for (const auto& n : *it) {
      std::string s = n.get<std::string>();
      names.push_back(s.empty() ? s : s.substr(1));
    }
  }
  if (trunc) {
    for (const auto& n : names) {
      if (n.find('/') == std::string::npos) {
        names = {n};
        break;
      }
    }
  }
  f["Names"] = join(names, ",");
  f["Image"] = image_field(c, trunc);
  std::string command = str(c, "Command");
  f["Command"] = go_quote(trunc ? ellipsis(command, 20) : command);
  int64_t created = num(c, "Created");
  f["CreatedAt"] = go_time_string(created);
  f["RunningFor"] = time_ago(created);
  f["Ports"] = displayable_ports(c.value("Ports", Json::array()));
  f["State"] = str(c, "State");
  f["Status"] = str(c, "Status");
  int64_t size_rw = num(c, "SizeRw");
  int64_t size_root = num(c, "SizeRootFs");
  std::string size = human_size(static_cast<double>(size_rw), 3);
  if (size_root > 0) size += " (virtual " + human_size(static_cast<double>(size_root), 3) + ")";
  f["Size"] = size;

  ListRow row;
  std::vector<std::string> labels;
  if (auto it = c.find("Labels"); it != c.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      std::string value = v.is_string() ? v.get<std::string>() : "";
      labels.push_back(k + "=" + value);
      row.labels[k] = value;
    }
  }
  std::sort(labels.begin(), labels.end());
  f["Labels"] = join(labels, ",");

  std::vector<std::string> mounts;
  int local_volumes = 0;
  if (auto it = c.find("Mounts"); it != c.end() && it->is_array()) {
    for (const auto& m : *it) {
      std::string name = str(m, "Name");
      if (name.empty()) name = str(m, "Source");
      mounts.push_back(trunc ? ellipsis(name, 15) : name);
      if (str(m, "Driver") == "local") ++local_volumes;
    }
  }
  f["Mounts"] = join(mounts, ",");
  f["LocalVolumes"] = std::to_string(local_volumes);

  std::vector<std::string> networks;
  if (auto ns = c.find("NetworkSettings"); ns != c.end() && ns->is_object()) {
    if (auto nets = ns->find("Networks"); nets != ns->end() && nets->is_object()) {
      for (const auto& [k, v] : nets->items()) networks.push_back(k);
    }
  }
  f["Networks"] = join(networks, ",");
  f["Platform"] = nullptr;
  if (auto d = c.find("ImageManifestDescriptor"); d != c.end() && d->is_object()) {
    if (auto p = d->find("platform"); p != d->end() && p->is_object()) f["Platform"] = *p;
  }
  row.fields = std::move(f);
  return row;
}

Json container_header() {
  return Json{{"ID", "CONTAINER ID"},   {"Names", "NAMES"},       {"Image", "IMAGE"},
              {"Command", "COMMAND"},   {"CreatedAt", "CREATED AT"}, {"RunningFor", "CREATED"},
              {"Ports", "PORTS"},       {"State", "STATE"},       {"Status", "STATUS"},
              {"Size", "SIZE"},         {"Labels", "LABELS"},     {"Mounts", "MOUNTS"},
              {"LocalVolumes", "LOCAL VOLUMES"}, {"Networks", "NETWORKS"},
              {"Platform", "PLATFORM"}};
}

}  // namespace berth::cli

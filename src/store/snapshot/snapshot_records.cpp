#include "store/snapshot/snapshot_records.h"

#include "base/file_util.h"
#include "base/json.h"

namespace berth::store {

namespace {

Result<std::optional<Digest>> optional_digest(const Json& j, const char* field) {
  if (!j.contains(field) || !j[field].is_string() || j[field].get<std::string>().empty()) {
    return std::optional<Digest>();
  }
  return std::optional<Digest>(TRY(Digest::parse(j[field].get<std::string>())));
}

}  // namespace

std::string layer_record_json(const LayerRecord& r) {
  OrderedJson j;
  j["chain_id"] = r.info.chain_id.to_string();
  j["diff_id"] = r.info.diff_id.to_string();
  j["parent"] = r.info.parent ? r.info.parent->to_string() : "";
  j["size"] = r.info.size;
  j["link"] = r.link;
  j["created"] = r.info.created_unix_nanos;
  return j.dump();
}

Result<LayerRecord> read_layer_record(const std::string& dir) {
  std::string path = path_join(dir, kLayerRecordFile);
  auto text = TRY(read_file(path));
  auto j = TRY(parse_json(text, path));
  LayerRecord r;
  try {
    r.info.chain_id = TRY(Digest::parse(j.at("chain_id").get<std::string>()));
    r.info.diff_id = TRY(Digest::parse(j.at("diff_id").get<std::string>()));
    r.info.parent = TRY(optional_digest(j, "parent"));
    r.info.size = j.at("size").get<uint64_t>();
    r.info.created_unix_nanos = j.value("created", int64_t{0});
    r.link = j.at("link").get<std::string>();
  } catch (const Json::exception& e) {
    return make_error(ErrorCode::kDataLoss, "{}: {}", path, e.what());
  }
  r.info.path = path_join(dir, "fs");
  return r;
}

std::string active_record_json(const ActiveInfo& info) {
  OrderedJson j;
  j["key"] = info.key;
  j["parent"] = info.parent ? info.parent->to_string() : "";
  j["created"] = info.created_unix_nanos;
  return j.dump();
}

Result<ActiveInfo> read_active_record(const std::string& dir, const std::string& key) {
  std::string path = path_join(dir, kActiveRecordFile);
  auto text = TRY(read_file(path));
  auto j = TRY(parse_json(text, path));
  ActiveInfo info;
  info.key = key;
  info.parent = TRY(optional_digest(j, "parent"));
  info.created_unix_nanos = j.value("created", int64_t{0});
  info.upper = path_join(dir, "upper");
  info.work = path_join(dir, "work");
  return info;
}

}  // namespace berth::store

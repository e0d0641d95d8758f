// linux.resources (and the resources.json that `update --resources` takes) <-> oci::Resources.
#include "oci/runtime_spec_json.h"
#include "oci/spec_json_parts.h"

namespace berth::oci {

namespace {

// runc writes -1 for "any" major/minor in device rules; the spec's way is to leave it out.
// Reading both as absent means consumers see one form.
Status read_device_number(const ObjectReader& r, std::string_view key,
                          std::optional<int64_t>* out) {
  TRY(r.get(key, out));
  if (out->has_value() && **out == -1) out->reset();
  return {};
}

}  // namespace

Status read_value(const Json& json, const std::string& path, DeviceCgroupRule* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("allow", &out->allow));
  TRY(r.get("type", &out->type));
  TRY(read_device_number(r, "major", &out->major));
  TRY(read_device_number(r, "minor", &out->minor));
  TRY(r.get("access", &out->access));
  return {};
}

Json write_value(const DeviceCgroupRule& rule) {
  Json out = {{"allow", rule.allow}};
  put_string(out, "type", rule.type);
  put_optional(out, "major", rule.major);
  put_optional(out, "minor", rule.minor);
  put_string(out, "access", rule.access);
  return out;
}

Status read_value(const Json& json, const std::string& path, MemoryResources* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("limit", &out->limit));
  TRY(r.get("reservation", &out->reservation));
  TRY(r.get("swap", &out->swap));
  TRY(r.get("kernel", &out->kernel));
  TRY(r.get("kernelTCP", &out->kernel_tcp));
  TRY(r.get("swappiness", &out->swappiness));
  TRY(r.get("disableOOMKiller", &out->disable_oom_killer));
  TRY(r.get("useHierarchy", &out->use_hierarchy));
  TRY(r.get("checkBeforeUpdate", &out->check_before_update));
  return {};
}

Json write_value(const MemoryResources& memory) {
  Json out = Json::object();
  put_optional(out, "limit", memory.limit);
  put_optional(out, "reservation", memory.reservation);
  put_optional(out, "swap", memory.swap);
  put_optional(out, "kernel", memory.kernel);
  put_optional(out, "kernelTCP", memory.kernel_tcp);
  put_optional(out, "swappiness", memory.swappiness);
  put_optional(out, "disableOOMKiller", memory.disable_oom_killer);
  put_optional(out, "useHierarchy", memory.use_hierarchy);
  put_optional(out, "checkBeforeUpdate", memory.check_before_update);
  return out;
}

Status read_value(const Json& json, const std::string& path, CpuResources* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("shares", &out->shares));
  TRY(r.get("quota", &out->quota));
  TRY(r.get("burst", &out->burst));
  TRY(r.get("period", &out->period));
  TRY(r.get("realtimeRuntime", &out->realtime_runtime));
  TRY(r.get("realtimePeriod", &out->realtime_period));
  TRY(r.get("cpus", &out->cpus));
  TRY(r.get("mems", &out->mems));
  TRY(r.get("idle", &out->idle));
  return {};
}

Json write_value(const CpuResources& cpu) {
  Json out = Json::object();
  put_optional(out, "shares", cpu.shares);
  put_optional(out, "quota", cpu.quota);
  put_optional(out, "burst", cpu.burst);
  put_optional(out, "period", cpu.period);
  put_optional(out, "realtimeRuntime", cpu.realtime_runtime);
  put_optional(out, "realtimePeriod", cpu.realtime_period);
  put_string(out, "cpus", cpu.cpus);
  put_string(out, "mems", cpu.mems);
  put_optional(out, "idle", cpu.idle);
  return out;
}

Status read_value(const Json& json, const std::string& path, PidsResources* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("limit", &out->limit));
  return {};
}

Json write_value(const PidsResources& pids) {
  return {{"limit", pids.limit}};
}

Status read_value(const Json& json, const std::string& path, WeightDevice* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("major", &out->major));
  TRY(r.require("minor", &out->minor));
  TRY(r.get("weight", &out->weight));
  TRY(r.get("leafWeight", &out->leaf_weight));
  return {};
}

Json write_value(const WeightDevice& device) {
  Json out = {{"major", device.major}, {"minor", device.minor}};
  put_optional(out, "weight", device.weight);
  put_optional(out, "leafWeight", device.leaf_weight);
  return out;
}

Status read_value(const Json& json, const std::string& path, ThrottleDevice* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.require("major", &out->major));
  TRY(r.require("minor", &out->minor));
  TRY(r.require("rate", &out->rate));
  return {};
}

Json write_value(const ThrottleDevice& device) {
  return {{"major", device.major}, {"minor", device.minor}, {"rate", device.rate}};
}

Status read_value(const Json& json, const std::string& path, BlockIoResources* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("weight", &out->weight));
  TRY(r.get("leafWeight", &out->leaf_weight));
  TRY(r.get("weightDevice", &out->weight_device));
  TRY(r.get("throttleReadBpsDevice", &out->throttle_read_bps_device));
  TRY(r.get("throttleWriteBpsDevice", &out->throttle_write_bps_device));
  TRY(r.get("throttleReadIOPSDevice", &out->throttle_read_iops_device));
  TRY(r.get("throttleWriteIOPSDevice", &out->throttle_write_iops_device));
  return {};
}

Json write_value(const BlockIoResources& block_io) {
  Json out = Json::object();
  put_optional(out, "weight", block_io.weight);
  put_optional(out, "leafWeight", block_io.leaf_weight);
  put_array(out, "weightDevice", block_io.weight_device);
  put_array(out, "throttleReadBpsDevice", block_io.throttle_read_bps_device);
  put_array(out, "throttleWriteBpsDevice", block_io.throttle_write_bps_device);
  put_array(out, "throttleReadIOPSDevice", block_io.throttle_read_iops_device);
  put_array(out, "throttleWriteIOPSDevice", block_io.throttle_write_iops_device);
  return out;
}

Status read_value(const Json& json, const std::string& path, HugepageLimit* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("pageSize", &out->page_size));
  TRY(r.require("limit", &out->limit));
  return {};
}

Json write_value(const HugepageLimit& limit) {
  return {{"pageSize", limit.page_size}, {"limit", limit.limit}};
}

Status read_value(const Json& json, const std::string& path, NetworkPriority* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("name", &out->name));
  TRY(r.require("priority", &out->priority));
  return {};
}

Json write_value(const NetworkPriority& priority) {
  return {{"name", priority.name}, {"priority", priority.priority}};
}

Status read_value(const Json& json, const std::string& path, NetworkResources* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("classID", &out->class_id));
  TRY(r.get("priorities", &out->priorities));
  return {};
}

Json write_value(const NetworkResources& network) {
  Json out = Json::object();
  put_optional(out, "classID", network.class_id);
  put_array(out, "priorities", network.priorities);
  return out;
}

Status read_value(const Json& json, const std::string& path, RdmaLimit* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("hcaHandles", &out->hca_handles));
  TRY(r.get("hcaObjects", &out->hca_objects));
  return {};
}

Json write_value(const RdmaLimit& limit) {
  Json out = Json::object();
  put_optional(out, "hcaHandles", limit.hca_handles);
  put_optional(out, "hcaObjects", limit.hca_objects);
  return out;
}

Status read_value(const Json& json, const std::string& path, Resources* out) {
  auto r = TRY(ObjectReader::open(json, path));
  TRY(r.get("devices", &out->devices));
  TRY(r.get("memory", &out->memory));
  TRY(r.get("cpu", &out->cpu));
  TRY(r.get("pids", &out->pids));
  TRY(r.get("blockIO", &out->block_io));
  TRY(r.get("hugepageLimits", &out->hugepage_limits));
  TRY(r.get("network", &out->network));
  TRY(r.get("unified", &out->unified));
  TRY(r.get("rdma", &out->rdma));
  return {};
}

Json write_value(const Resources& resources) {
  Json out = Json::object();
  put_array(out, "devices", resources.devices);
  put_optional(out, "memory", resources.memory);
  put_optional(out, "cpu", resources.cpu);
  put_optional(out, "pids", resources.pids);
  put_optional(out, "blockIO", resources.block_io);
  put_array(out, "hugepageLimits", resources.hugepage_limits);
  put_optional(out, "network", resources.network);
  put_map(out, "unified", resources.unified);
  put_map(out, "rdma", resources.rdma);
  return out;
}

Result<Resources> parse_resources(const Json& json) {
  Resources resources;
  TRY(read_value(json, "linux.resources", &resources));
  return resources;
}

Json to_json(const Resources& resources) {
  return write_value(resources);
}

}  // namespace berth::oci

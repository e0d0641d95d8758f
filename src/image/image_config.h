// The image configuration (OCI config.md) with the fields Docker adds: container_config,
// docker_version, container, parent, comment, and in config: Healthcheck, OnBuild, StopSignal,
// ArgsEscaped, Shell and the container.Config fields Docker writes.
//
// A config blob is immutable (its digest is the image ID), so parsing never has to re-serialise
// it; serialize_image_config() is for configs Berth creates (import, commit).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "image/platform.h"
#include "store/digest.h"

namespace berth::image {

struct HealthConfig {
  std::vector<std::string> test;  // ["NONE"], ["CMD", ...], ["CMD-SHELL", "..."]
  int64_t interval_ns = 0;
  int64_t timeout_ns = 0;
  int64_t start_period_ns = 0;
  int64_t start_interval_ns = 0;
  int64_t retries = 0;

  bool operator==(const HealthConfig&) const = default;
};

// Docker's container.Config as images carry it ("config" and "container_config"). Optional
// lists keep null apart from [] (CMD [] differs from no CMD).
struct ContainerConfig {
  std::string hostname;
  std::string domainname;
  std::string user;
  bool attach_stdin = false;
  bool attach_stdout = false;
  bool attach_stderr = false;
  std::optional<std::vector<std::string>> exposed_ports;  // "80/tcp"
  bool tty = false;
  bool open_stdin = false;
  bool stdin_once = false;
  std::optional<std::vector<std::string>> env;
  std::optional<std::vector<std::string>> cmd;
  std::optional<HealthConfig> healthcheck;
  bool args_escaped = false;
  std::string image;
  std::optional<std::vector<std::string>> volumes;
  std::string working_dir;
  std::optional<std::vector<std::string>> entrypoint;
  bool network_disabled = false;
  std::string mac_address;
  std::optional<std::vector<std::string>> on_build;
  std::optional<std::map<std::string, std::string>> labels;
  std::string stop_signal;
  std::optional<int64_t> stop_timeout;
  std::optional<std::vector<std::string>> shell;

  bool operator==(const ContainerConfig&) const = default;
};

struct HistoryEntry {
  std::optional<int64_t> created_ns;  // unix nanos
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;

  bool operator==(const HistoryEntry&) const = default;
};

struct ImageConfig {
  std::optional<int64_t> created_ns;
  std::string author;
  std::string architecture;
  std::string os;
  std::string os_version;
  std::vector<std::string> os_features;
  std::string variant;
  std::optional<ContainerConfig> config;
  std::string rootfs_type = "layers";
  std::vector<store::Digest> diff_ids;
  std::vector<HistoryEntry> history;
  // Docker's additions.
  std::string id;
  std::string parent;
  std::string comment;
  std::string container;
  std::optional<ContainerConfig> container_config;
  std::string docker_version;

  Platform platform() const { return Platform{os, architecture, variant, os_version, os_features}; }
  bool operator==(const ImageConfig&) const = default;
};

// Parses and validates: rootfs.type must be "layers" and every diff_id a digest; timestamps
// RFC 3339. An empty os reads as "linux" (old Docker configs omit it).
Result<ImageConfig> parse_image_config(std::string_view bytes);

// Compact JSON in Docker's field order (image.Image), config written in full as Docker does.
std::string serialize_image_config(const ImageConfig& config);

// container.Config as Docker's API shows it (ImageInspect.Config): every field, nulls included
// (minus the deprecated ones that API v1.47 omits when empty).
OrderedJson container_config_json(const ContainerConfig& c);
Result<ContainerConfig> parse_container_config(const Json& j, std::string_view path);

}  // namespace berth::image

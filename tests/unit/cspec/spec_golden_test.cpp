// Data-driven tests over tests/unit/cspec/data/spec/*.json (see data/README.md): each case runs a
// create request through the engine's whole path -- split, validate, merge with the image
// config, adapt the HostConfig, resolve the mounts as the daemon would, build the OCI spec -- and
// compares what comes out with the case's expectations.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "cspec/adapt_host_config.h"
#include "cspec/build_oci_spec.h"
#include "cspec/create_request.h"
#include "cspec/merge_image_config.h"
#include "cspec/mount_request.h"
#include "cspec/validate_create.h"
#include "cspec_test_util.h"
#include "oci/runtime_spec_json.h"
#include "oci/runtime_spec_validate.h"
#include "security/default_seccomp_profile.h"

namespace berth::cspec::test {
namespace {

namespace fs = std::filesystem;

std::string data_dir() {
  return std::string(BERTH_TEST_DATA_DIR) + "/spec";
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(data_dir())) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

// Replaces ${NAME} placeholders in every string of `value`.
Json substitute(const Json& value, const std::map<std::string, std::string>& vars) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (const auto& [name, replacement] : vars) {
      std::string key = "${" + name + "}";
      for (size_t pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
        text.replace(pos, key.size(), replacement);
        pos += replacement.size();
      }
    }
    return text;
  }
  if (value.is_array() || value.is_object()) {
    Json out = value;
    for (auto& item : out) item = substitute(item, vars);
    return out;
  }
  return value;
}

// The reverse, for writing expectations back (BERTH_CSPEC_UPDATE=1).
Json unsubstitute(const Json& value, const std::map<std::string, std::string>& vars) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    for (const auto& [name, replacement] : vars) {
      if (replacement.empty()) continue;
      for (size_t pos = text.find(replacement); pos != std::string::npos;
           pos = text.find(replacement, pos)) {
        std::string key = "${" + name + "}";
        text.replace(pos, replacement.size(), key);
        pos += key.size();
      }
    }
    return text;
  }
  if (value.is_array() || value.is_object()) {
    Json out = value;
    for (auto& item : out) item = unsubstitute(item, vars);
    return out;
  }
  return value;
}

HostInfo host_from(const Json& overrides, const std::string& dev_dir) {
  HostInfo host = test_host();
  host.dev_dir = dev_dir;
  if (!overrides.is_object()) return host;
  if (overrides.value("cgroup", "v2") == "v1") {
    host.cgroup_mode = CgroupMode::kV1;
    host.cgroup = default_cgroup_features(CgroupMode::kV1);
  }
  host.apparmor = overrides.value("apparmor", false);
  host.apparmor_default_profile = overrides.value("apparmor_default_profile", "");
  host.kernel_major = overrides.value("kernel_major", host.kernel_major);
  host.kernel_minor = overrides.value("kernel_minor", host.kernel_minor);
  host.daemon.init = overrides.value("daemon_init", false);
  host.daemon.no_new_privileges = overrides.value("daemon_no_new_privileges", false);
  // Capabilities missing from the engine's bounding set, by number (a restricted host).
  for (const auto& cap : overrides.value("bounding_set_lacks", Json::array())) {
    host.bounding_set &= ~(uint64_t{1} << cap.get<int>());
  }
  return host;
}

// What the daemon does between create and start for mounts: volumes live under the data root.
std::vector<MountPoint> mount_points(const std::vector<MountRequest>& requests) {
  std::vector<MountPoint> out;
  for (const MountRequest& r : requests) {
    MountPoint p;
    p.type = r.type;
    p.destination = r.destination;
    p.rw = !r.read_only;
    p.propagation = r.propagation;
    p.non_recursive = r.non_recursive;
    p.read_only_non_recursive = r.read_only_non_recursive;
    p.read_only_force_recursive = r.read_only_force_recursive;
    p.tmpfs_data = r.tmpfs_data;
    if (r.type == "bind") p.source = r.source;
    if (r.type == "volume") {
      std::string name = r.source.empty() ? "anon" : r.source;
      p.source = "/var/lib/berth/volumes/" + name + "/_data";
    }
    out.push_back(std::move(p));
  }
  return out;
}

void build_rootfs(const TempDir& root, const Json& files) {
  root.mkdir("rootfs");
  if (!files.is_object()) return;
  for (const auto& [path, content] : files.items()) {
    if (content.is_object() && content.contains("symlink")) {
      root.symlink("rootfs/" + path, content["symlink"].get<std::string>());
    } else if (content.is_object() && content.contains("dir")) {
      root.mkdir("rootfs/" + path);
    } else {
      root.write("rootfs/" + path, content.get<std::string>());
    }
  }
}

class SpecGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecGoldenTest, MatchesExpectations) {
  std::string path = data_dir() + "/" + GetParam() + ".json";
  auto text = read_file(path);
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  auto parsed = parse_json(*text, path);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  Json test_case = *parsed;
  const bool update = std::getenv("BERTH_CSPEC_UPDATE") != nullptr;

  TempDir dir;
  build_rootfs(dir, test_case.value("rootfs", Json::object()));
  dir.mkdir("dev");
  std::map<std::string, std::string> vars = {
      {"ROOTFS", dir / "rootfs"}, {"ID", kTestId}, {"TMP", dir.path()}};
  HostInfo host = host_from(test_case.value("host", Json::object()), dir / "dev");
  Json expect = substitute(test_case.value("expect", Json::object()), vars);
  std::string want_error = expect.value("error", "");
  std::string stage;
  Json actual = Json::object();

  auto check_error = [&](const Error& error, const std::string& at) {
    EXPECT_EQ(error.message(), want_error) << "stage " << at;
    EXPECT_EQ(expect.value("error_stage", ""), at);
    EXPECT_EQ(error.code(), expect.value("error_code", "kInvalidArgument") == "kInvalidArgument"
                                ? ErrorCode::kInvalidArgument
                                : ErrorCode::kFailedPrecondition);
    if (update) {
      test_case["expect"]["error"] = unsubstitute(error.message(), vars);
      test_case["expect"]["error_stage"] = at;
    }
  };

  Json body = substitute(test_case["request"], vars);
  auto request = split_create_body(body);
  ASSERT_TRUE(request.ok()) << request.error().to_string();
  auto warnings = validate_create_request(*request, host);
  if (!warnings.ok()) {
    check_error(warnings.error(), "validate");
  } else {
    actual["warnings"] = *warnings;
    MergeOptions merge;
    merge.container_id = kTestId;
    merge.host_network = request->host_config.value("NetworkMode", "") == "host";
    merge.host_hostname = host.hostname;
    auto config =
        merge_image_config(request->config, test_case.value("image", Json(nullptr)), merge);
    if (!config.ok()) {
      check_error(config.error(), "merge");
    } else {
      actual["config"] = *config;
      auto host_config = adapt_host_config(request->host_config, host);
      ASSERT_TRUE(host_config.ok()) << host_config.error().to_string();
      actual["host_config"] = *host_config;
      auto requests = read_mount_requests(request->host_config, host.daemon);
      ASSERT_TRUE(requests.ok()) << requests.error().to_string();

      StartInput input;
      input.id = kTestId;
      input.name = "test";
      input.config = *config;
      input.host_config = *host_config;
      input.rootfs = dir / "rootfs";
      input.host = host;
      input.mounts = mount_points(*requests);
      Json start = substitute(test_case.value("start", Json::object()), vars);
      input.hostname_path = start.value("hostname_path", "");
      input.hosts_path = start.value("hosts_path", "");
      input.resolv_conf_path = start.value("resolv_conf_path", "");
      input.init_path = start.value("init_path", "");
      input.netns_path = start.value("netns_path", "");
      input.shm_path = start.value("shm_path", "");
      input.cgroups_path = start.value("cgroups_path", "");
      if (start.contains("namespace_paths")) {
        input.namespace_paths = start["namespace_paths"].get<std::map<std::string, std::string>>();
      }
      auto spec = build_oci_spec(input);
      if (!spec.ok()) {
        check_error(spec.error(), "build");
      } else {
        EXPECT_TRUE(want_error.empty()) << "expected error " << want_error;
        ASSERT_TRUE(oci::validate_spec(*spec).ok());
        Json spec_json = oci::to_json(*spec);
        // The default profile is the security module's; here it only has to be the one for the
        // container's capabilities.
        if (spec->linux && spec->linux->seccomp && spec->process && spec->process->capabilities &&
            *spec->linux->seccomp ==
                security::docker_default_seccomp(spec->process->capabilities->bounding)) {
          spec_json["linux"]["seccomp"] = "<default>";
        }
        actual["spec"] = spec_json;
      }
    }
  }

  std::string where;
  if (expect.contains("warnings")) {
    EXPECT_EQ(actual["warnings"], expect["warnings"]);
  }
  if (expect.contains("config")) {
    EXPECT_EQ(actual["config"], expect["config"]) << actual["config"].dump(2);
  }
  if (expect.contains("host_config")) {
    EXPECT_TRUE(json_contains(actual["host_config"], expect["host_config"], &where)) << where;
  }
  if (expect.contains("spec")) {
    EXPECT_EQ(actual["spec"], expect["spec"]) << actual["spec"].dump(2);
  }
  if (expect.contains("mounts")) {
    EXPECT_EQ(actual["spec"]["mounts"], expect["mounts"]) << actual["spec"]["mounts"].dump(2);
  }
  if (expect.contains("spec_subset")) {
    EXPECT_TRUE(json_contains(actual["spec"], expect["spec_subset"], &where))
        << where << "\n"
        << actual["spec"].dump(2);
  }
  if (update) {
    for (const char* key : {"warnings", "config", "spec"}) {
      if (test_case["expect"].contains(key) && actual.contains(key)) {
        test_case["expect"][key] = unsubstitute(actual[key], vars);
      }
    }
    if (test_case["expect"].contains("mounts") && actual.contains("spec")) {
      test_case["expect"]["mounts"] = unsubstitute(actual["spec"]["mounts"], vars);
    }
    ASSERT_TRUE(write_file(path, test_case.dump(2) + "\n").ok());
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SpecGoldenTest, ::testing::ValuesIn(case_names()), test_name);

}  // namespace
}  // namespace berth::cspec::test

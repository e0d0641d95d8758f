// dockerd's create-time errors, case by case from data/validation_errors.json: each case is a
// Config, HostConfig and NetworkingConfig (missing ones empty) and the exact error message.
#include "cspec/validate_create.h"

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "cspec_test_util.h"

namespace berth::cspec {
namespace {

Json load_cases() {
  auto text = read_file(std::string(BERTH_TEST_DATA_DIR) + "/validation_errors.json");
  EXPECT_TRUE(text.ok());
  auto json = parse_json(text.ok() ? *text : "[]", "validation_errors.json");
  EXPECT_TRUE(json.ok());
  return json.ok() ? *json : Json::array();
}

HostInfo host_for(const Json& overrides) {
  HostInfo host = test::test_host();
  if (overrides.is_object() && overrides.value("cgroup", "v2") == "v1") {
    host.cgroup_mode = CgroupMode::kV1;
    host.cgroup = default_cgroup_features(CgroupMode::kV1);
  }
  return host;
}

TEST(ValidateCreateTest, DockersErrors) {
  Json cases = load_cases();
  ASSERT_GT(cases.size(), 50u);
  for (const Json& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    CreateRequest request;
    request.config = c.value("config", Json::object());
    request.config["Cmd"] = request.config.value("Cmd", Json({"true"}));
    request.host_config = c.value("host_config", Json::object());
    request.networking_config = c.value("networking_config", Json::object());
    auto result = validate_create_request(request, host_for(c.value("host", Json())));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message(), c["error"].get<std::string>());
  }
}

TEST(ValidateCreateTest, ValidRequestsPass) {
  test::TempDir dir;
  CreateRequest request;
  request.config = {{"Cmd", {"sh"}},
                    {"Env", {"A=1", "B"}},
                    {"WorkingDir", "/srv"},
                    {"StopSignal", "SIGRTMIN+3"},
                    {"ExposedPorts", {{"80/tcp", Json::object()}}},
                    {"Healthcheck", {{"Test", {"NONE"}}}}};
  request.host_config = {
      {"Binds", {"/srv:/srv:ro", "data:/data"}},
      {"Mounts", {{{"Type", "bind"}, {"Source", dir.path()}, {"Target", "/x"}}}},
      {"Tmpfs", {{"/run", "rw,noexec,size=65536k"}}},
      {"PortBindings", {{"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "8080"}}}}}},
      {"RestartPolicy", {{"Name", "on-failure"}, {"MaximumRetryCount", 3}}},
      {"ExtraHosts", {"db:10.0.0.2", "gw:host-gateway", "v6:fe80::1"}},
      {"Dns", {"1.1.1.1", "2606:4700:4700::1111"}},
      {"CapAdd", {"NET_ADMIN"}},
      {"CapDrop", {"ALL"}},
      {"Memory", 67108864},
      {"MemorySwap", -1},
      {"NanoCpus", 1500000000},
      {"CpusetCpus", "0,2-3"},
      {"PidsLimit", 100},
      {"Ulimits", {{{"Name", "nofile"}, {"Soft", 1024}, {"Hard", -1}}}},
      {"Devices",
       {{{"PathOnHost", "/dev/fuse"},
         {"PathInContainer", "/dev/fuse"},
         {"CgroupPermissions", "rwm"}}}},
      {"DeviceCgroupRules", {"c 10:229 rwm", "a *:* r"}},
      {"SecurityOpt", {"no-new-privileges=true", "seccomp=unconfined"}},
      {"Sysctls", {{"net.ipv4.ip_forward", "1"}}},
      {"OomScoreAdj", -500},
      {"IpcMode", "shareable"},
      {"CgroupnsMode", "host"}};
  request.networking_config = {
      {"EndpointsConfig",
       {{"mynet",
         {{"IPAMConfig", {{"IPv4Address", "10.1.0.5"}, {"IPv6Address", "fd00::5"}}},
          {"MacAddress", "02:42:ac:11:00:02"},
          {"Aliases", {"web"}}}}}}};
  auto result = validate_create_request(request, test::test_host());
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_TRUE(result->empty());
}

TEST(ValidateCreateTest, WarningsForWhatTheHostLacks) {
  CreateRequest request;
  request.config = {{"Cmd", {"sh"}}};
  request.host_config = {{"NetworkMode", "host"},
                         {"PortBindings", {{"80/tcp", {{{"HostPort", "80"}}}}}},
                         {"MemorySwappiness", 10},
                         {"OomKillDisable", true},
                         {"CpuPercent", 50}};
  auto result = validate_create_request(request, test::test_host());
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(*result,
            (std::vector<std::string>{
                "Your kernel does not support memory swappiness capabilities or the cgroup is not "
                "mounted. Memory swappiness discarded.",
                "Your kernel does not support OomKillDisable. OomKillDisable discarded.",
                "linux does not support CPU percent. Percent discarded.",
                "Published ports are discarded when using host network mode"}));
}

TEST(ValidateCreateTest, ShortFormWithoutNetworking) {
  EXPECT_TRUE(validate_create_request({{"Cmd", {"true"}}}, nullptr, test::test_host()).ok());
  auto bad = validate_create_request({{"Cmd", {"true"}}}, {{"Memory", 1}}, test::test_host());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "Minimum memory limit allowed is 6MB");
}

}  // namespace
}  // namespace berth::cspec

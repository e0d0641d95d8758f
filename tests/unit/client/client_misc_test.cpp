#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "base/json.h"
#include "client/api_error.h"
#include "client/config_file.h"
#include "client/daemon_launcher.h"
#include "client/filters.h"
#include "client/images.h"
#include "client/timestamp.h"

namespace berth::client {
namespace {

TEST(Filters, EncodesAsDocker) {
  Filters f;
  EXPECT_EQ(f.to_json(), "");
  ASSERT_TRUE(f.parse_flag("Status = running").ok());
  ASSERT_TRUE(f.parse_flag("label=a=b").ok());
  ASSERT_TRUE(f.parse_flag("status=exited").ok());
  EXPECT_EQ(f.to_json(), R"({"label":{"a=b":true},"status":{"exited":true,"running":true}})");
  EXPECT_EQ(f.parse_flag("nonsense").error().message(),
            "bad format of filter (expected name=value)");
  EXPECT_TRUE(f.parse_flag("").ok());
}

TEST(ApiError, DaemonMessageAndStatus) {
  Error e = api_error(404, R"({"message":"No such container: x"})");
  EXPECT_EQ(e.message(), "Error response from daemon: No such container: x");
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(status_for_code(e.code()), 404);
  EXPECT_EQ(daemon_message(e), "No such container: x");
  EXPECT_EQ(api_error(409, "conflict text\n").message(), "Error response from daemon: conflict text");
  EXPECT_EQ(api_error(404, "", "/v1.47/x").message(),
            "Error response from daemon: request returned Not Found for API route and version "
            "/v1.47/x, check if the server supports the requested API version");
  EXPECT_EQ(code_for_status(500), ErrorCode::kInternal);
  EXPECT_EQ(code_for_status(400), ErrorCode::kInvalidArgument);
}

TEST(Base64, GoEncodings) {
  EXPECT_EQ(base64_encode("{}", true), "e30=");
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64_encode("\xfb\xff", false), "+/8=");
  EXPECT_EQ(base64_encode("\xfb\xff", true), "-_8=");
  EXPECT_EQ(*base64_decode("dXNlcjpwYXNz"), "user:pass");
  EXPECT_FALSE(base64_decode("!!").ok());
}

TEST(RegistryAuth, EncodesAuthConfig) {
  AuthConfig none;
  EXPECT_EQ(encode_registry_auth(none), "e30=");
  AuthConfig a;
  a.username = "u";
  a.password = "p";
  a.server_address = "https://index.docker.io/v1/";
  Json decoded = Json::parse(*base64_decode(encode_registry_auth(a)));
  EXPECT_EQ(decoded, (Json{{"username", "u"}, {"password", "p"},
                           {"serveraddress", "https://index.docker.io/v1/"}}));
  EXPECT_EQ(registry_host_of("busybox"), "docker.io");
  EXPECT_EQ(registry_host_of("library/busybox"), "docker.io");
  EXPECT_EQ(registry_host_of("localhost:5000/x"), "localhost:5000");
  EXPECT_EQ(registry_host_of("ghcr.io/o/x:1"), "ghcr.io");
  EXPECT_EQ(auth_key_for_host("docker.io"), "https://index.docker.io/v1/");
}

TEST(ConfigFile, StoresAndReadsCredentials) {
  std::string dir = std::filesystem::temp_directory_path() / ("berth-cfg-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto cf = ConfigFile::load(dir);
    ASSERT_TRUE(cf.ok());
    EXPECT_FALSE(cf->has_auth("localhost:5000"));
    AuthConfig a;
    a.username = "alice";
    a.password = "s3cret";
    a.server_address = "localhost:5000";
    ASSERT_TRUE(cf->store_auth(a).ok());
  }
  {
    auto cf = ConfigFile::load(dir);
    ASSERT_TRUE(cf.ok());
    AuthConfig got = cf->get_auth("localhost:5000");
    EXPECT_EQ(got.username, "alice");
    EXPECT_EQ(got.password, "s3cret");
    std::ifstream in(dir + "/config.json");
    std::stringstream ss;
    ss << in.rdbuf();
    Json j = Json::parse(ss.str());
    EXPECT_EQ(j["auths"]["localhost:5000"]["auth"], "YWxpY2U6czNjcmV0");
    ASSERT_TRUE(cf->erase_auth("localhost:5000").ok());
    EXPECT_FALSE(cf->has_auth("localhost:5000"));
  }
  std::filesystem::remove_all(dir);
}

TEST(ConfigFile, DefaultDirectory) {
  auto env = [](std::map<std::string, std::string> m) {
    return [m](std::string_view k) -> std::optional<std::string> {
      auto it = m.find(std::string(k));
      return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  EXPECT_EQ(ConfigFile::default_dir(env({{"HOME", "/home/u"}})), "/home/u/.docker");
  EXPECT_EQ(ConfigFile::default_dir(env({{"HOME", "/home/u"}, {"DOCKER_CONFIG", "/d"}})), "/d");
  EXPECT_EQ(ConfigFile::default_dir(env({{"BERTH_CONFIG", "/b"}, {"DOCKER_CONFIG", "/d"}})), "/b");
}

TEST(SplitReference, AsDockerSendsIt) {
  EXPECT_EQ(split_reference("busybox").name, "busybox");
  EXPECT_EQ(split_reference("busybox").tag, "");
  EXPECT_EQ(split_reference("busybox:1.36").tag, "1.36");
  EXPECT_EQ(split_reference("localhost:5000/x").name, "localhost:5000/x");
  EXPECT_EQ(split_reference("localhost:5000/x:v").tag, "v");
  EXPECT_EQ(split_reference("x@sha256:abc").tag, "sha256:abc");
}

TEST(Timestamp, GetTimestamp) {
  const int64_t now = 1700000000LL * 1000000000LL;
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(*get_timestamp("10m", now), "1699999400");
  EXPECT_EQ(*get_timestamp("1h30m", now), "1699994600");
  EXPECT_EQ(*get_timestamp("1700000000", now), "1700000000");
  EXPECT_EQ(*get_timestamp("1700000000.5", now), "1700000000.5");
  EXPECT_EQ(*get_timestamp("2023-11-14T22:13:20Z", now), "1700000000.000000000");
  EXPECT_EQ(*get_timestamp("2023-11-14T22:13:20.25Z", now), "1700000000.250000000");
  EXPECT_EQ(*get_timestamp("2023-11-15T00:13:20+02:00", now), "1700000000.000000000");
  EXPECT_EQ(*get_timestamp("2023-11-14", now), "1699920000.000000000");
  EXPECT_EQ(*get_timestamp("2023-11-14T22:13", now), "1699999980.000000000");
  EXPECT_EQ(get_timestamp("yesterday", now).error().message(),
            "failed to parse value as time or duration: \"yesterday\"");
}

TEST(DaemonLauncher, StartsAndWaits) {
  std::string dir = std::filesystem::temp_directory_path() / ("berth-launch-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string marker = dir + "/started";
  std::string script = dir + "/berthd";
  {
    std::ofstream s(script);
    s << "#!/bin/sh\necho starting; touch " << marker << "\nsleep 1\n";
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  LaunchOptions o;
  o.berthd = script;
  o.log_files = {dir + "/berthd.log"};
  o.timeout = std::chrono::seconds(10);
  Status st = launch_daemon(o, [&] { return std::filesystem::exists(marker); });
  EXPECT_TRUE(st.ok()) << st.error().message();
  std::filesystem::remove_all(dir);
}

TEST(DaemonLauncher, ReportsEarlyExitWithLogTail) {
  std::string dir = std::filesystem::temp_directory_path() / ("berth-launch2-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string script = dir + "/berthd";
  {
    std::ofstream s(script);
    s << "#!/bin/sh\necho 'berthd: cannot open database: permission denied' >&2\nexit 3\n";
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  LaunchOptions o;
  o.berthd = script;
  o.log_files = {dir + "/berthd.log"};
  Status st = launch_daemon(o, [] { return false; });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("exited during start-up with exit status 3"), std::string::npos)
      << st.error().message();
  EXPECT_NE(st.error().message().find("cannot open database: permission denied"), std::string::npos)
      << st.error().message();
  std::filesystem::remove_all(dir);
}

TEST(DaemonLauncher, TimesOut) {
  std::string dir = std::filesystem::temp_directory_path() / ("berth-launch3-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string script = dir + "/berthd";
  {
    std::ofstream s(script);
    s << "#!/bin/sh\nexec sleep 5\n";
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  LaunchOptions o;
  o.berthd = script;
  o.log_files = {dir + "/berthd.log"};
  o.timeout = std::chrono::milliseconds(300);
  Status st = launch_daemon(o, [] { return false; });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("did not answer within 300 ms"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::client

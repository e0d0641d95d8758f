#include "cspec/merge_image_config.h"

#include <gtest/gtest.h>

#include "cspec_test_util.h"

namespace berth::cspec {
namespace {

using test::kTestId;

Json merged(const Json& user, const Json& image) {
  auto out = merge_image_config(user, image, kTestId);
  EXPECT_TRUE(out.ok()) << out.error().to_string();
  return out.ok() ? *out : Json();
}

const Json kImage = {
    {"User", "app"},
    {"Env", {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "MODE=image"}},
    {"Entrypoint", {"/entrypoint.sh"}},
    {"Cmd", {"serve", "--port=80"}},
    {"WorkingDir", "/srv"},
    {"Labels", {{"org.opencontainers.image.title", "app"}, {"tier", "image"}}},
    {"ExposedPorts", {{"80/tcp", Json::object()}}},
    {"Volumes", {{"/data", Json::object()}}},
    {"StopSignal", "SIGQUIT"},
    {"OnBuild", {"RUN make"}},
    {"Shell", {"/bin/bash", "-c"}},
    {"Healthcheck",
     {{"Test", {"CMD", "curl", "-f", "http://localhost/"}},
      {"Interval", 30000000000},
      {"Timeout", 5000000000},
      {"Retries", 3}}},
};

TEST(MergeImageConfigTest, EmptyRequestTakesTheImagesSettings) {
  Json out = merged({{"Image", "app:1"}}, kImage);
  EXPECT_EQ(out["Hostname"], "0123456789ab");
  EXPECT_EQ(out["User"], "app");
  EXPECT_EQ(out["Env"], kImage["Env"]);
  EXPECT_EQ(out["Entrypoint"], kImage["Entrypoint"]);
  EXPECT_EQ(out["Cmd"], kImage["Cmd"]);
  EXPECT_EQ(out["WorkingDir"], "/srv");
  EXPECT_EQ(out["Labels"], kImage["Labels"]);
  EXPECT_EQ(out["ExposedPorts"], kImage["ExposedPorts"]);
  EXPECT_EQ(out["Volumes"], kImage["Volumes"]);
  EXPECT_EQ(out["StopSignal"], "SIGQUIT");
  EXPECT_EQ(out["Healthcheck"], kImage["Healthcheck"]);
  EXPECT_EQ(out["Image"], "app:1");
  // dockerd does not copy these from the image into the container's Config.
  EXPECT_TRUE(out["OnBuild"].is_null());
  EXPECT_FALSE(out.contains("Shell"));
  EXPECT_FALSE(out.contains("ArgsEscaped"));
}

TEST(MergeImageConfigTest, ContainerValuesWin) {
  Json out = merged({{"User", "1000:1000"},
                     {"Env", {"MODE=container", "EXTRA=1"}},
                     {"WorkingDir", "/work/./x/../y/"},
                     {"Labels", {{"tier", "container"}}},
                     {"ExposedPorts", {{"443/tcp", Json::object()}}},
                     {"Volumes", {{"/cache", Json::object()}}},
                     {"StopSignal", "SIGTERM"},
                     {"Hostname", "web"},
                     {"Domainname", "example.com"}},
                    kImage);
  EXPECT_EQ(out["User"], "1000:1000");
  EXPECT_EQ(out["Env"], Json({"MODE=container", "EXTRA=1", "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}));
  EXPECT_EQ(out["WorkingDir"], "/work/y");
  EXPECT_EQ(out["Labels"],
            Json({{"org.opencontainers.image.title", "app"}, {"tier", "container"}}));
  EXPECT_EQ(out["ExposedPorts"], Json({{"443/tcp", Json::object()}, {"80/tcp", Json::object()}}));
  EXPECT_EQ(out["Volumes"], Json({{"/cache", Json::object()}, {"/data", Json::object()}}));
  EXPECT_EQ(out["StopSignal"], "SIGTERM");
  EXPECT_EQ(out["Hostname"], "web");
  EXPECT_EQ(out["Domainname"], "example.com");
}

TEST(MergeImageConfigTest, CmdReplacesOnlyTheImagesCmd) {
  Json out = merged({{"Cmd", {"worker"}}}, kImage);
  EXPECT_EQ(out["Entrypoint"], kImage["Entrypoint"]);
  EXPECT_EQ(out["Cmd"], Json({"worker"}));
}

TEST(MergeImageConfigTest, EntrypointResetsTheImagesCmd) {
  Json out = merged({{"Entrypoint", {"/bin/sh"}}}, kImage);
  EXPECT_EQ(out["Entrypoint"], Json({"/bin/sh"}));
  EXPECT_TRUE(out["Cmd"].is_null());
  Json both = merged({{"Entrypoint", {"/bin/sh"}}, {"Cmd", {"-c", "date"}}}, kImage);
  EXPECT_EQ(both["Cmd"], Json({"-c", "date"}));
}

TEST(MergeImageConfigTest, StringFormsAreOneElementLists) {
  Json out = merged({{"Entrypoint", "/bin/sh -c"}, {"Cmd", "date"}}, kImage);
  EXPECT_EQ(out["Entrypoint"], Json({"/bin/sh -c"}));
  EXPECT_EQ(out["Cmd"], Json({"date"}));
}

TEST(MergeImageConfigTest, EmptyStringEntrypointClearsIt) {
  // docker run --entrypoint "" image cmd
  Json out = merged({{"Entrypoint", {""}}, {"Cmd", {"ls"}}}, kImage);
  EXPECT_TRUE(out["Entrypoint"].is_null());
  EXPECT_EQ(out["Cmd"], Json({"ls"}));
  // Without a command nothing is left to run.
  auto none = merge_image_config({{"Entrypoint", {""}}}, kImage, kTestId);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(none.error().message(), "no command specified");
}

TEST(MergeImageConfigTest, EmptyEntrypointListKeepsTheImagesCmd) {
  Json out = merged({{"Entrypoint", Json::array()}}, kImage);
  EXPECT_EQ(out["Entrypoint"], Json::array());
  EXPECT_EQ(out["Cmd"], kImage["Cmd"]);
}

TEST(MergeImageConfigTest, NoCommandAnywhere) {
  auto out = merge_image_config({{"Image", "scratch"}}, nullptr, kTestId);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().message(), "no command specified");
}

TEST(MergeImageConfigTest, HealthcheckFieldsOverrideOneByOne) {
  Json out = merged({{"Healthcheck", {{"Interval", 1000000000}, {"Retries", 0}}}}, kImage);
  EXPECT_EQ(out["Healthcheck"]["Test"], kImage["Healthcheck"]["Test"]);
  EXPECT_EQ(out["Healthcheck"]["Interval"], 1000000000);
  EXPECT_EQ(out["Healthcheck"]["Timeout"], 5000000000);
  EXPECT_EQ(out["Healthcheck"]["Retries"], 3);
  Json disabled = merged({{"Healthcheck", {{"Test", {"NONE"}}}}}, kImage);
  EXPECT_EQ(disabled["Healthcheck"]["Test"], Json({"NONE"}));
}

TEST(MergeImageConfigTest, HostNetworkTakesTheHostsName) {
  MergeOptions options;
  options.container_id = kTestId;
  options.host_network = true;
  options.host_hostname = "node1";
  auto out = merge_image_config({{"Cmd", {"true"}}}, nullptr, options);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)["Hostname"], "node1");
}

TEST(MergeImageConfigTest, ShapeMatchesDockersJson) {
  Json out = merged({{"Cmd", {"true"}}, {"Volumes", Json::object()}}, nullptr);
  Json want = {{"Hostname", "0123456789ab"},
               {"Domainname", ""},
               {"User", ""},
               {"AttachStdin", false},
               {"AttachStdout", false},
               {"AttachStderr", false},
               {"Tty", false},
               {"OpenStdin", false},
               {"StdinOnce", false},
               {"Env", nullptr},
               {"Cmd", {"true"}},
               {"Image", ""},
               {"Volumes", nullptr},
               {"WorkingDir", ""},
               {"Entrypoint", nullptr},
               {"OnBuild", nullptr},
               {"Labels", Json::object()}};
  EXPECT_EQ(out, want) << out.dump(2);
}

TEST(MergeImageConfigTest, WrongTypesAreGoDecodeErrors) {
  auto out = merge_image_config({{"Env", "A=1"}}, nullptr, kTestId);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().message(),
            "json: cannot unmarshal string into Go struct field Config.Env of type []string");
}

}  // namespace
}  // namespace berth::cspec

// Namespace names, load_spec from a bundle, and what to_json leaves out.
#include "oci/runtime_spec.h"

#include <stdlib.h>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "oci/runtime_spec_json.h"
#include "oci/runtime_spec_validate.h"
#include "oci/spec_names.h"

namespace berth::oci {
namespace {

TEST(NamespaceTypeTest, NamesRoundTrip) {
  for (NamespaceType type :
       {NamespaceType::kPid, NamespaceType::kNetwork, NamespaceType::kMount, NamespaceType::kIpc,
        NamespaceType::kUts, NamespaceType::kUser, NamespaceType::kCgroup, NamespaceType::kTime}) {
    EXPECT_EQ(namespace_type_from_name(namespace_type_name(type)), type);
  }
  EXPECT_STREQ(namespace_type_name(NamespaceType::kNetwork), "network");
  EXPECT_EQ(namespace_type_from_name("net"), std::nullopt);
  EXPECT_EQ(namespace_type_from_name("PID"), std::nullopt);
}

TEST(NamespaceTypeTest, FindNamespace) {
  Spec spec;
  EXPECT_EQ(find_namespace(spec, NamespaceType::kPid), nullptr);
  spec.linux = Linux{};
  spec.linux->namespaces = {{NamespaceType::kPid, ""}, {NamespaceType::kNetwork, "/run/netns/a"}};
  ASSERT_NE(find_namespace(spec, NamespaceType::kNetwork), nullptr);
  EXPECT_EQ(find_namespace(spec, NamespaceType::kNetwork)->path, "/run/netns/a");
  EXPECT_EQ(find_namespace(spec, NamespaceType::kUser), nullptr);
}

TEST(SpecNamesTest, CapabilitiesInKernelOrder) {
  auto caps = capability_names();
  ASSERT_EQ(caps.size(), 41u);
  EXPECT_EQ(caps[0], "CAP_CHOWN");
  EXPECT_EQ(caps[21], "CAP_SYS_ADMIN");
  EXPECT_EQ(caps[40], "CAP_CHECKPOINT_RESTORE");
  EXPECT_TRUE(is_known_capability("CAP_BPF"));
  EXPECT_FALSE(is_known_capability("BPF"));
  EXPECT_TRUE(is_known_rlimit("RLIMIT_RTTIME"));
  EXPECT_FALSE(is_known_rlimit("RLIMIT_NOFILES"));
}

class LoadSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-oci-bundle-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    bundle_ = tmpl;
  }
  void TearDown() override { ASSERT_TRUE(remove_all(bundle_).ok()); }
  std::string bundle_;
};

TEST_F(LoadSpecTest, ReadsConfigJson) {
  ASSERT_TRUE(
      write_file(bundle_ + "/config.json", R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"}})")
          .ok());
  auto spec = load_spec(bundle_);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  EXPECT_EQ(spec->oci_version, "1.2.0");
  EXPECT_EQ(spec->root->path, "rootfs");
}

TEST_F(LoadSpecTest, MissingConfigIsNotFound) {
  auto spec = load_spec(bundle_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(spec.error().message(), "load spec: bundle " + bundle_ + " has no config.json");
}

TEST_F(LoadSpecTest, BrokenJsonNamesTheFile) {
  ASSERT_TRUE(write_file(bundle_ + "/config.json", "{\"ociVersion\": ").ok());
  auto spec = load_spec(bundle_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(spec.error().message().rfind(
                "load spec: " + bundle_ + "/config.json: config: invalid JSON: ", 0),
            0u)
      << spec.error().message();
}

TEST_F(LoadSpecTest, TypeErrorNamesTheFileAndField) {
  ASSERT_TRUE(write_file(bundle_ + "/config.json", R"({"ociVersion": 1})").ok());
  auto spec = load_spec(bundle_);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.error().message(),
            "load spec: " + bundle_ + "/config.json: ociVersion: expected a string, got integer");
}

TEST(ToJsonTest, EmitsOnlyWhatIsSet) {
  Spec spec;
  spec.oci_version = "1.2.0";
  spec.root = Root{"rootfs", false};
  EXPECT_EQ(to_json(spec), Json::parse(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"}})"));

  spec.linux = Linux{};
  spec.linux->resources = Resources{};
  spec.linux->resources->memory = MemoryResources{};
  spec.linux->resources->memory->limit = 0;  // set to zero is still set
  spec.linux->devices = {Device{.type = "p", .path = "/dev/fifo"},
                         Device{.type = "c", .path = "/dev/null", .major = 1, .minor = 3}};
  Json written = to_json(spec);
  EXPECT_EQ(written["linux"]["resources"], Json::parse(R"({"memory": {"limit": 0}})"));
  EXPECT_EQ(written["linux"]["devices"][0], Json::parse(R"({"type": "p", "path": "/dev/fifo"})"));
  EXPECT_EQ(written["linux"]["devices"][1],
            Json::parse(R"({"type": "c", "path": "/dev/null", "major": 1, "minor": 3})"));
}

TEST(ParseSpecTest, NullMeansAbsentAndUnknownIsIgnored) {
  auto spec = parse_spec_text(R"({
    "ociVersion": "1.2.0",
    "root": {"path": "rootfs", "readonly": null},
    "process": null,
    "hooks": null,
    "mounts": null,
    "windows": {"layerFolders": ["C:\\x"]},
    "linux": {"seccomp": null, "resources": {"memory": null, "futureController": {"a": 1}}}
  })");
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  EXPECT_FALSE(spec->process.has_value());
  EXPECT_FALSE(spec->hooks.has_value());
  EXPECT_FALSE(spec->root->readonly);
  EXPECT_FALSE(spec->linux->seccomp.has_value());
  ASSERT_TRUE(spec->linux->resources.has_value());
  EXPECT_FALSE(spec->linux->resources->memory.has_value());
}

TEST(ValidateSpecTest, ProcessIsOptionalWhenNotRequired) {
  auto spec = parse_spec_text(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"}})");
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  Status required = validate_spec(*spec);
  ASSERT_FALSE(required.ok());
  EXPECT_EQ(required.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(required.error().message(), "process: required");
  EXPECT_TRUE(validate_spec(*spec, ValidateOptions{.require_process = false}).ok());
}

}  // namespace
}  // namespace berth::oci

#include "oci/default_spec.h"

#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "oci/runtime_spec_json.h"
#include "oci/runtime_spec_validate.h"

namespace berth::oci {
namespace {

const Mount* find_mount(const Spec& spec, const std::string& destination) {
  for (const Mount& mount : spec.mounts) {
    if (mount.destination == destination) return &mount;
  }
  return nullptr;
}

bool has_option(const Mount& mount, const std::string& option) {
  return std::find(mount.options.begin(), mount.options.end(), option) != mount.options.end();
}

TEST(DefaultSpecTest, ValidatesAndRoundTrips) {
  for (bool rootless : {false, true}) {
    SCOPED_TRACE(rootless ? "rootless" : "root");
    Spec spec = default_spec(rootless);
    Status valid = validate_spec(spec);
    ASSERT_TRUE(valid.ok()) << valid.error().to_string();
    auto reparsed = parse_spec(to_json(spec));
    ASSERT_TRUE(reparsed.ok()) << reparsed.error().to_string();
    EXPECT_EQ(*reparsed, spec);
  }
}

TEST(DefaultSpecTest, HasRuncDefaults) {
  Spec spec = default_spec(false);
  EXPECT_EQ(spec.oci_version, kRuntimeSpecVersion);
  ASSERT_TRUE(spec.process.has_value());
  const Process& process = *spec.process;
  EXPECT_TRUE(process.terminal);
  EXPECT_EQ(process.args, std::vector<std::string>{"sh"});
  EXPECT_EQ(process.cwd, "/");
  EXPECT_EQ(process.env, (std::vector<std::string>{
                             "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                             "TERM=xterm"}));
  EXPECT_EQ(process.user, User{});
  std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  ASSERT_TRUE(process.capabilities.has_value());
  EXPECT_EQ(process.capabilities->bounding, caps);
  EXPECT_EQ(process.capabilities->effective, caps);
  EXPECT_EQ(process.capabilities->permitted, caps);
  EXPECT_TRUE(process.capabilities->inheritable.empty());
  EXPECT_TRUE(process.capabilities->ambient.empty());
  EXPECT_EQ(process.rlimits, (std::vector<Rlimit>{{"RLIMIT_NOFILE", 1024, 1024}}));
  EXPECT_TRUE(process.no_new_privileges);

  EXPECT_EQ(spec.root, (Root{"rootfs", true}));
  EXPECT_EQ(spec.hostname, "berth");

  std::vector<std::string> destinations;
  for (const Mount& mount : spec.mounts) destinations.push_back(mount.destination);
  EXPECT_EQ(destinations, (std::vector<std::string>{"/proc", "/dev", "/dev/pts", "/dev/shm",
                                                    "/dev/mqueue", "/sys", "/sys/fs/cgroup"}));
  EXPECT_TRUE(has_option(*find_mount(spec, "/dev/pts"), "gid=5"));
  EXPECT_EQ(find_mount(spec, "/sys")->type, "sysfs");

  ASSERT_TRUE(spec.linux.has_value());
  for (NamespaceType type : {NamespaceType::kPid, NamespaceType::kNetwork, NamespaceType::kIpc,
                             NamespaceType::kUts, NamespaceType::kMount, NamespaceType::kCgroup}) {
    const Namespace* ns = find_namespace(spec, type);
    ASSERT_NE(ns, nullptr) << namespace_type_name(type);
    EXPECT_TRUE(ns->path.empty());
  }
  EXPECT_EQ(find_namespace(spec, NamespaceType::kUser), nullptr);
  EXPECT_EQ(spec.linux->masked_paths.size(), 10u);
  EXPECT_EQ(spec.linux->readonly_paths.size(), 5u);
  ASSERT_TRUE(spec.linux->resources.has_value());
  ASSERT_EQ(spec.linux->resources->devices.size(), 1u);
  EXPECT_FALSE(spec.linux->resources->devices[0].allow);
  EXPECT_EQ(spec.linux->resources->devices[0].access, "rwm");
}

TEST(DefaultSpecTest, RootlessMapsTheCallerAndDropsWhatNeedsRoot) {
  Spec spec = default_spec(true);
  ASSERT_TRUE(spec.linux.has_value());
  const Linux& linux_config = *spec.linux;

  const Namespace* user_ns = find_namespace(spec, NamespaceType::kUser);
  ASSERT_NE(user_ns, nullptr);
  EXPECT_TRUE(user_ns->path.empty());
  EXPECT_EQ(find_namespace(spec, NamespaceType::kNetwork), nullptr);
  EXPECT_EQ(linux_config.uid_mappings, (std::vector<IdMapping>{{0, ::geteuid(), 1}}));
  EXPECT_EQ(linux_config.gid_mappings, (std::vector<IdMapping>{{0, ::getegid(), 1}}));

  const Mount* sys = find_mount(spec, "/sys");
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ(sys->source, "/sys");
  EXPECT_EQ(sys->options, (std::vector<std::string>{"rbind", "nosuid", "noexec", "nodev", "ro"}));
  EXPECT_FALSE(has_option(*find_mount(spec, "/dev/pts"), "gid=5"));
  EXPECT_EQ(find_mount(spec, "/sys/fs/cgroup"), nullptr);
  EXPECT_FALSE(linux_config.resources.has_value());

  // Everything else is as for root.
  Spec root_spec = default_spec(false);
  EXPECT_EQ(spec.process, root_spec.process);
  EXPECT_EQ(spec.linux->masked_paths, root_spec.linux->masked_paths);
  EXPECT_EQ(spec.linux->readonly_paths, root_spec.linux->readonly_paths);
}

TEST(DefaultSpecTest, MakeRootlessUsesTheGivenIds) {
  Spec spec = default_spec(false);
  make_rootless(&spec, 1000, 100);
  EXPECT_EQ(spec.linux->uid_mappings, (std::vector<IdMapping>{{0, 1000, 1}}));
  EXPECT_EQ(spec.linux->gid_mappings, (std::vector<IdMapping>{{0, 100, 1}}));
  // Applying it twice adds no second user namespace.
  make_rootless(&spec, 1000, 100);
  EXPECT_EQ(std::count_if(spec.linux->namespaces.begin(), spec.linux->namespaces.end(),
                          [](const Namespace& ns) { return ns.type == NamespaceType::kUser; }),
            1);
  EXPECT_TRUE(validate_spec(spec).ok());
}

}  // namespace
}  // namespace berth::oci

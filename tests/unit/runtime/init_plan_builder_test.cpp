// The parent's plan for the container init: namespaces -> clone/unshare flags and joins,
// mounts -> steps, devices, sysctls, propagation. No root needed: nothing is mounted.
#include "runtime/init_plan_builder.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "cgroups/layout.h"
#include "oci/runtime_spec_json.h"

namespace berth::runtime {
namespace {

class InitPlanBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-plan-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    bundle_ = tmpl;
    ASSERT_TRUE(make_dirs(bundle_ + "/rootfs").ok());
    ASSERT_TRUE(make_dirs(bundle_ + "/data").ok());
    ASSERT_TRUE(write_file(bundle_ + "/file.txt", "x").ok());
    layout_ = cgroups::make_hybrid_layout("/cg", {"cpu,cpuacct", "memory", "pids"}, {"hugetlb"});
    context_.container_id = "c1";
    context_.bundle = bundle_;
    context_.rootfs = bundle_ + "/rootfs";
    context_.cgroup_layout = &layout_;
    context_.cgroup_path = "/berth/c1";
  }
  void TearDown() override { ASSERT_TRUE(remove_all(bundle_).ok()); }

  // A spec from config.json text; `linux` and `mounts` are spliced in.
  static oci::Spec spec(const std::string& linux, const std::string& mounts = "[]",
                        const std::string& extra = "") {
    std::string text = R"({"ociVersion": "1.2.0",
      "process": {"args": ["sh"], "cwd": "/", "env": ["PATH=/bin:/usr/bin"],
                  "user": {"uid": 0, "gid": 0}},
      "root": {"path": "rootfs"}, "mounts": )" +
                       mounts + R"(, "linux": )" + linux + extra + "}";
    auto parsed = oci::parse_spec_text(text);
    EXPECT_TRUE(parsed.ok()) << parsed.error().to_string() << "\n" << text;
    return parsed.ok() ? *parsed : oci::Spec{};
  }
  static std::string namespaces(const std::string& list) {
    return R"({"namespaces": )" + list + "}";
  }
  Result<PlannedInit> plan(const oci::Spec& s) { return build_init_plan(s, context_); }

  std::string bundle_;
  cgroups::Layout layout_;
  PlanContext context_;
};

constexpr const char* kAllNew =
    R"([{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
        {"type": "mount"}, {"type": "cgroup"}])";

TEST_F(InitPlanBuilderTest, NewNamespacesAreCloneFlags) {
  auto p = plan(spec(namespaces(kAllNew)));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->plan.clone_flags,
            CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS);
  EXPECT_EQ(p->plan.unshare_flags, 0);
  // cgroup: unshared after the parent moved the init into its cgroup.
  EXPECT_TRUE(p->plan.new_cgroup_ns);
  EXPECT_FALSE(p->plan.new_user_ns);
  EXPECT_FALSE(p->plan.fork_for_pid_ns);
  EXPECT_TRUE(p->plan.joins.empty());
  EXPECT_FALSE(p->join_pid_ns);
}

TEST_F(InitPlanBuilderTest, NewUserNamespaceAlone) {
  auto p = plan(spec(R"({"namespaces": [{"type": "user"}, {"type": "mount"}, {"type": "pid"}],
      "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
      "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]})"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->plan.clone_flags, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID);
  EXPECT_TRUE(p->plan.new_user_ns);
  EXPECT_TRUE(p->plan.bind_devices);  // no mknod in a user namespace
}

TEST_F(InitPlanBuilderTest, NewUserNamespaceWithJoinedOnesUnsharesAfterJoining) {
  auto p = plan(spec(R"({"namespaces": [{"type": "user"}, {"type": "mount"}, {"type": "pid"},
      {"type": "network", "path": "/proc/self/ns/net"}],
      "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
      "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]})"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->plan.clone_flags, 0);
  EXPECT_EQ(p->plan.unshare_flags, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID);
  EXPECT_TRUE(p->plan.fork_for_pid_ns);
  ASSERT_EQ(p->plan.joins.size(), 1u);
  EXPECT_EQ(p->plan.joins[0].type, CLONE_NEWNET);
  EXPECT_TRUE(p->plan.joins[0].fd);
}

TEST_F(InitPlanBuilderTest, JoinedUserNamespaceComesFirstAndMountLast) {
  auto p = plan(spec(R"({"namespaces": [{"type": "mount"},
      {"type": "ipc", "path": "/proc/self/ns/ipc"},
      {"type": "user", "path": "/proc/self/ns/user"},
      {"type": "uts", "path": "/proc/self/ns/uts"}]})"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  ASSERT_EQ(p->plan.joins.size(), 3u);
  EXPECT_EQ(p->plan.joins[0].type, CLONE_NEWUSER);
  EXPECT_TRUE(p->plan.join_user_ns);
  EXPECT_EQ(p->plan.unshare_flags, CLONE_NEWNS);
  EXPECT_EQ(p->plan.clone_flags, 0);
}

TEST_F(InitPlanBuilderTest, JoinedPidNamespaceIsEnteredByTheParent) {
  auto p = plan(
      spec(namespaces(R"([{"type": "mount"}, {"type": "pid", "path": "/proc/self/ns/pid"}])")));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_TRUE(p->join_pid_ns);
  EXPECT_TRUE(p->plan.joins.empty());
  EXPECT_EQ(p->plan.clone_flags, CLONE_NEWNS);
}

TEST_F(InitPlanBuilderTest, NamespaceErrorsNameTheField) {
  auto no_mount = plan(spec(namespaces(R"([{"type": "pid"}])")));
  ASSERT_FALSE(no_mount.ok());
  EXPECT_NE(no_mount.error().to_string().find("linux.namespaces"), std::string::npos);
  auto bad_path =
      plan(spec(namespaces(R"([{"type": "mount"}, {"type": "network", "path": "/nope"}])")));
  ASSERT_FALSE(bad_path.ok());
  EXPECT_NE(bad_path.error().to_string().find("/nope"), std::string::npos);
}

TEST_F(InitPlanBuilderTest, MountsBecomeSteps) {
  auto p = plan(spec(namespaces(kAllNew), R"([
      {"destination": "/proc", "type": "proc", "source": "proc"},
      {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
       "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
      {"destination": "/data/", "type": "bind", "source": "data", "options": ["rbind", "ro", "rshared"]},
      {"destination": "/etc/file", "type": "none", "source": "file.txt", "options": ["bind"]},
      {"destination": "/tmp", "type": "tmpfs", "options": ["tmpcopyup", "rnoexec"]}])"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  const auto& m = p->plan.mounts;
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].kind, MountStep::Kind::kMount);
  EXPECT_EQ(m[0].fstype, "proc");
  EXPECT_EQ(m[0].destination, "/proc");
  EXPECT_EQ(m[1].flags, static_cast<unsigned long>(MS_NOSUID | MS_STRICTATIME));
  EXPECT_EQ(m[1].data, "mode=755,size=65536k");
  EXPECT_EQ(m[2].kind, MountStep::Kind::kBind);
  EXPECT_EQ(m[2].source, bundle_ + "/data");  // relative to the bundle
  EXPECT_EQ(m[2].destination, "/data");       // cleaned
  EXPECT_EQ(m[2].flags, static_cast<unsigned long>(MS_BIND | MS_REC));
  EXPECT_EQ(m[2].remount_flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_EQ(m[2].propagation, static_cast<unsigned long>(MS_SHARED | MS_REC));
  EXPECT_FALSE(m[2].dest_is_file);
  EXPECT_EQ(m[3].kind, MountStep::Kind::kBind);
  EXPECT_TRUE(m[3].dest_is_file);
  EXPECT_EQ(m[3].remount_flags, 0UL);
  EXPECT_EQ(m[4].source, "tmpfs");  // a missing source defaults to the type
  EXPECT_TRUE(m[4].tmpcopyup);
  EXPECT_NE(m[4].recursive_attr_set, 0u);
  // /dev is a tmpfs: the runtime creates the device nodes.
  EXPECT_TRUE(p->plan.create_devices);
}

TEST_F(InitPlanBuilderTest, BadBindSourceNamesTheMount) {
  auto p = plan(spec(namespaces(kAllNew), R"([
      {"destination": "/proc", "type": "proc", "source": "proc"},
      {"destination": "/x", "type": "bind", "source": "/no/such/dir", "options": ["bind"]}])"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().to_string().find("mounts[1]"), std::string::npos);
  EXPECT_NE(p.error().to_string().find("/no/such/dir"), std::string::npos);
}

TEST_F(InitPlanBuilderTest, CgroupMountOnAHybridHost) {
  auto p = plan(spec(namespaces(kAllNew), R"([{"destination": "/sys/fs/cgroup",
      "type": "cgroup", "source": "cgroup", "options": ["ro"]}])"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  const auto& m = p->plan.mounts;
  // tmpfs, a bind per v1 hierarchy (+ symlinks for co-mounted ones), cgroup2, then ro remount.
  ASSERT_EQ(m.size(), 8u);
  EXPECT_EQ(m[0].fstype, "tmpfs");
  EXPECT_EQ(m[0].destination, "/sys/fs/cgroup");
  EXPECT_EQ(m[1].kind, MountStep::Kind::kBind);
  EXPECT_EQ(m[1].source, "/cg/cpu,cpuacct/berth/c1");
  EXPECT_EQ(m[1].destination, "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_TRUE(m[1].remount_flags & MS_RDONLY);
  EXPECT_EQ(m[2].kind, MountStep::Kind::kSymlink);
  EXPECT_EQ(m[2].destination, "/sys/fs/cgroup/cpu");
  EXPECT_EQ(m[2].source, "cpu,cpuacct");
  EXPECT_EQ(m[3].destination, "/sys/fs/cgroup/cpuacct");
  EXPECT_EQ(m[4].source, "/cg/memory/berth/c1");
  EXPECT_EQ(m[5].source, "/cg/pids/berth/c1");
  EXPECT_EQ(m[6].source, "/cg/unified/berth/c1");
  EXPECT_TRUE(m[6].skip_if_missing_source);
  EXPECT_EQ(m[7].kind, MountStep::Kind::kRemount);
  EXPECT_TRUE(m[7].flags & MS_RDONLY);
}

TEST_F(InitPlanBuilderTest, CgroupMountOnAV2Host) {
  cgroups::Layout v2 = cgroups::make_v2_layout("/cg2");
  context_.cgroup_layout = &v2;
  const char* mount =
      R"([{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup"}])";
  auto with_ns = plan(spec(namespaces(kAllNew), mount));
  ASSERT_TRUE(with_ns.ok());
  ASSERT_EQ(with_ns->plan.mounts.size(), 1u);
  EXPECT_EQ(with_ns->plan.mounts[0].fstype, "cgroup2");
  auto without = plan(spec(namespaces(R"([{"type": "mount"}])"), mount));
  ASSERT_TRUE(without.ok());
  ASSERT_EQ(without->plan.mounts.size(), 1u);
  EXPECT_EQ(without->plan.mounts[0].kind, MountStep::Kind::kBind);
  EXPECT_EQ(without->plan.mounts[0].source, "/cg2/berth/c1");
}

TEST_F(InitPlanBuilderTest, IdmappedBinds) {
  auto p = plan(spec(namespaces(kAllNew), R"([{"destination": "/m", "type": "bind",
      "source": "data", "options": ["rbind", "ridmap"],
      "uidMappings": [{"containerID": 0, "hostID": 5000, "size": 10}],
      "gidMappings": [{"containerID": 0, "hostID": 6000, "size": 10}]}])"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  const auto& step = p->plan.mounts[0];
  EXPECT_EQ(step.kind, MountStep::Kind::kIdmappedBind);
  EXPECT_TRUE(step.recursive_idmap);
  ASSERT_EQ(step.uid_mappings.size(), 1u);
  EXPECT_EQ(step.uid_mappings[0].host_id, 5000u);
  EXPECT_EQ(step.gid_mappings[0].host_id, 6000u);
  EXPECT_EQ(step.tree_fd, -1);  // made by prepare_idmapped_mounts, with root

  auto tmpfs = plan(spec(namespaces(kAllNew), R"([{"destination": "/m", "type": "tmpfs",
      "uidMappings": [{"containerID": 0, "hostID": 5000, "size": 10}],
      "gidMappings": [{"containerID": 0, "hostID": 6000, "size": 10}]}])"));
  ASSERT_FALSE(tmpfs.ok());
  EXPECT_NE(tmpfs.error().to_string().find("mounts[0]"), std::string::npos);
}

TEST_F(InitPlanBuilderTest, Devices) {
  auto p = plan(spec(R"({"namespaces": [{"type": "mount"}], "devices": [
      {"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 384},
      {"path": "/dev/sda", "type": "b", "major": 8, "minor": 0, "uid": 7, "gid": 8},
      {"path": "/dev/fifo", "type": "p", "major": 0, "minor": 0}]})"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  const auto& devices = p->plan.devices;
  ASSERT_EQ(devices.size(), 8u);  // six defaults (one overridden) + two
  EXPECT_EQ(devices[0].path, "/dev/null");
  EXPECT_EQ(devices[0].mode, static_cast<mode_t>(S_IFCHR | 0600));
  EXPECT_EQ(devices[5].path, "/dev/tty");
  EXPECT_EQ(devices[5].rdev, makedev(5, 0));
  EXPECT_EQ(devices[6].mode, static_cast<mode_t>(S_IFBLK | 0666));
  EXPECT_EQ(devices[6].rdev, makedev(8, 0));
  EXPECT_EQ(devices[6].uid, 7u);
  EXPECT_EQ(devices[6].gid, 8u);
  EXPECT_EQ(devices[7].mode & S_IFMT, static_cast<mode_t>(S_IFIFO));
  EXPECT_FALSE(p->plan.bind_devices);
  EXPECT_EQ(p->default_device_rules.size(), default_device_cgroup_rules().size());
}

TEST_F(InitPlanBuilderTest, BoundDevNeedsNoNodes) {
  auto p = plan(spec(namespaces(R"([{"type": "mount"}])"),
                     R"([{"destination": "/dev", "type": "bind", "source": "/dev",
                          "options": ["rbind"]}])"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_FALSE(p->plan.create_devices);
  EXPECT_TRUE(p->plan.devices.empty());
}

TEST_F(InitPlanBuilderTest, SysctlPaths) {
  EXPECT_EQ(sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
  EXPECT_EQ(sysctl_path("kernel.msgmax"), "/proc/sys/kernel/msgmax");
  EXPECT_EQ(sysctl_path("net.ipv4.conf.eth0/1.rp_filter"),
            "/proc/sys/net/ipv4/conf/eth0/1/rp_filter");
  auto p = plan(spec(R"({"namespaces": [{"type": "mount"}, {"type": "network"}, {"type": "ipc"}],
      "sysctl": {"net.ipv4.ip_forward": "1", "kernel.msgmax": "8192"}})"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  ASSERT_EQ(p->plan.sysctls.size(), 2u);
  EXPECT_EQ(p->plan.sysctls[0].path, "/proc/sys/kernel/msgmax");
  EXPECT_EQ(p->plan.sysctls[0].value, "8192");
  EXPECT_EQ(p->plan.sysctls[1].path, "/proc/sys/net/ipv4/ip_forward");
}

TEST_F(InitPlanBuilderTest, RootfsPropagation) {
  auto dflt = plan(spec(namespaces(kAllNew)));
  ASSERT_TRUE(dflt.ok());
  EXPECT_EQ(dflt->plan.root_propagation, static_cast<unsigned long>(MS_SLAVE | MS_REC));
  EXPECT_EQ(dflt->plan.final_propagation, 0UL);
  EXPECT_EQ(dflt->plan.private_mount, "");
  // shared (as runc): "/" gets the mode itself, so binds of shared host mounts stay their
  // peers; the mount holding the rootfs is made private so the rootfs bind does not leak.
  auto shared = plan(spec(R"({"namespaces": [{"type": "mount"}], "rootfsPropagation": "shared"})"));
  ASSERT_TRUE(shared.ok()) << shared.error().to_string();
  EXPECT_EQ(shared->plan.root_propagation, static_cast<unsigned long>(MS_SHARED));
  EXPECT_EQ(shared->plan.final_propagation, static_cast<unsigned long>(MS_SHARED));
  EXPECT_FALSE(shared->plan.private_mount.empty());
  auto rshared = plan(spec(R"({"namespaces": [{"type": "mount"}], "rootfsPropagation": "rshared"})"));
  ASSERT_TRUE(rshared.ok());
  EXPECT_EQ(rshared->plan.root_propagation, static_cast<unsigned long>(MS_SHARED | MS_REC));
  auto priv = plan(spec(R"({"namespaces": [{"type": "mount"}], "rootfsPropagation": "rprivate"})"));
  ASSERT_TRUE(priv.ok());
  EXPECT_EQ(priv->plan.root_propagation, static_cast<unsigned long>(MS_PRIVATE | MS_REC));
}

TEST_F(InitPlanBuilderTest, HostnameReadonlyRootAndHooks) {
  auto p = plan(spec(namespaces(kAllNew), "[]",
                     R"(, "hostname": "box", "domainname": "example.org",
                        "hooks": {"createRuntime": [{"path": "/bin/true"}],
                                  "startContainer": [{"path": "/bin/true", "timeout": 3}]})"));
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_TRUE(p->plan.set_hostname);
  EXPECT_EQ(p->plan.hostname, "box");
  EXPECT_EQ(p->plan.domainname, "example.org");
  EXPECT_TRUE(p->plan.wait_for_hooks);
  ASSERT_EQ(p->plan.start_container_hooks.size(), 1u);
  EXPECT_EQ(p->plan.start_container_hooks[0].timeout_seconds, 3);
  EXPECT_FALSE(p->plan.state_buffer.empty());
  EXPECT_TRUE(p->plan.new_session_keyring);
  EXPECT_EQ(p->plan.keyring_name, "c1");
}

}  // namespace
}  // namespace berth::runtime

// The pieces build_oci_spec assembles: namespaces, sysctls, mounts, resources, rlimits, security
// options and the HostConfig defaults.
#include <gtest/gtest.h>

#include "cspec/adapt_host_config.h"
#include "cspec/resources.h"
#include "cspec/security_opts.h"
#include "cspec/spec_mounts.h"
#include "cspec/spec_namespaces.h"
#include "cspec/sysctls.h"
#include "cspec/ulimits.h"
#include "cspec_test_util.h"

namespace berth::cspec {
namespace {

using oci::NamespaceType;

StartInput input_with(const Json& host_config) {
  StartInput input;
  input.id = test::kTestId;
  input.config = {{"Hostname", "0123456789ab"}, {"Cmd", {"sh"}}};
  input.host_config = host_config;
  input.host = test::test_host();
  return input;
}

std::string describe(const std::vector<oci::Namespace>& list) {
  std::string out;
  for (const auto& ns : list) {
    out += oci::namespace_type_name(ns.type);
    if (!ns.path.empty()) out += "=" + ns.path;
    out += " ";
  }
  return out;
}

TEST(SpecNamespacesTest, DefaultsAndCgroupNamespace) {
  auto list = container_namespaces(input_with({{"CgroupnsMode", "private"}}));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(describe(*list), "mount network uts pid ipc cgroup ");
  auto host_cgroupns = container_namespaces(input_with({{"CgroupnsMode", "host"}}));
  EXPECT_EQ(describe(*host_cgroupns), "mount network uts pid ipc ");
}

TEST(SpecNamespacesTest, HostModesRemoveNamespaces) {
  auto list = container_namespaces(input_with(
      {{"NetworkMode", "host"}, {"IpcMode", "host"}, {"PidMode", "host"}, {"UTSMode", "host"}}));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(describe(*list), "mount ");
}

TEST(SpecNamespacesTest, ContainerModesJoinByPath) {
  StartInput input = input_with(
      {{"NetworkMode", "container:db"}, {"IpcMode", "container:db"}, {"PidMode", "container:db"}});
  input.namespace_paths = {
      {"network", "/proc/42/ns/net"}, {"ipc", "/proc/42/ns/ipc"}, {"pid", "/proc/42/ns/pid"}};
  auto list = container_namespaces(input);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(describe(*list),
            "mount network=/proc/42/ns/net uts pid=/proc/42/ns/pid ipc=/proc/42/ns/ipc ");
  input.namespace_paths.erase("pid");
  auto missing = container_namespaces(input);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(missing.error().message(),
            "failed to join PID namespace: no namespace path for container db");
}

TEST(SpecNamespacesTest, PreparedNetworkNamespaceAndDisabledNetworking) {
  StartInput input = input_with({{"NetworkMode", "bridge"}});
  input.netns_path = "/run/berth/netns/x";
  auto list = container_namespaces(input);
  EXPECT_EQ(describe(*list), "mount network=/run/berth/netns/x uts pid ipc ");
  input.config["NetworkDisabled"] = true;
  EXPECT_EQ(describe(*container_namespaces(input)), "mount network uts pid ipc ");
}

TEST(SysctlsTest, DefaultsOnlyWithAPrivateNetwork) {
  HostInfo host = test::test_host();
  auto bridge = container_sysctls(
      {{"Domainname", "example.com"}},
      {{"NetworkMode", "bridge"}, {"Sysctls", {{"net.core.somaxconn", "1024"}}}}, host);
  ASSERT_TRUE(bridge.ok());
  EXPECT_EQ(*bridge,
            (std::map<std::string, std::string>{{"kernel.domainname", "example.com"},
                                                {"net.core.somaxconn", "1024"},
                                                {"net.ipv4.ip_unprivileged_port_start", "0"},
                                                {"net.ipv4.ping_group_range", "0 2147483647"}}));
  auto host_net = container_sysctls({}, {{"NetworkMode", "host"}}, host);
  EXPECT_TRUE(host_net->empty());
  host.in_user_namespace = true;
  host.has_ip_unprivileged_port_start = false;
  EXPECT_TRUE(container_sysctls({}, {{"NetworkMode", "none"}}, host)->empty());
}

TEST(SysctlsTest, RuncsNamespaceRules) {
  std::vector<oci::Namespace> all = {
      {NamespaceType::kNetwork, ""}, {NamespaceType::kIpc, ""}, {NamespaceType::kUts, ""}};
  std::vector<oci::Namespace> none;
  EXPECT_TRUE(check_sysctls({{"net.ipv4.ip_forward", "1"},
                             {"kernel.shmmax", "1"},
                             {"fs.mqueue.msg_max", "1"},
                             {"kernel.domainname", "x"}},
                            all)
                  .ok());
  struct Case {
    const char* key;
    const std::vector<oci::Namespace>* namespaces;
    const char* error;
  };
  const Case cases[] = {
      {"kernel.shmmax", &none,
       "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace"},
      {"net.ipv4.ip_forward", &none,
       "sysctl \"net.ipv4.ip_forward\" is not allowed in the hosts network namespace"},
      {"kernel.hostname", &all,
       "sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field"},
      {"vm.max_map_count", &all,
       "sysctl \"vm.max_map_count\" is not in a separate kernel namespace"},
      {"kernel.domainname", &none,
       "sysctl \"kernel.domainname\" is not in a separate kernel namespace"},
  };
  for (const Case& c : cases) {
    auto status = check_sysctls({{c.key, "1"}}, *c.namespaces);
    ASSERT_FALSE(status.ok()) << c.key;
    EXPECT_EQ(status.error().message(), c.error);
  }
}

std::string describe(const std::vector<oci::Mount>& mounts) {
  std::string out;
  for (const auto& m : mounts) {
    out += m.destination + " " + m.type + " " + m.source + " [";
    for (size_t i = 0; i < m.options.size(); ++i) out += (i ? "," : "") + m.options[i];
    out += "]\n";
  }
  return out;
}

TEST(SpecMountsTest, UserMountsReplaceDefaultsAndSortByDepth) {
  StartInput input = input_with({{"ShmSize", 1024}, {"IpcMode", "private"}});
  input.hosts_path = "/c/hosts";
  MountPoint deep{"bind", "/src/deep", "/a/b/c", false, "rprivate"};
  MountPoint top{"volume", "/v/_data", "/a", true, ""};
  MountPoint over_hosts{"bind", "/my/hosts", "/etc/hosts", true, "rprivate"};
  MountPoint shm{"tmpfs", "", "/dev/shm", true, "", false, false, false, "size=1m"};
  input.mounts = {deep, top, over_hosts, shm};
  auto mounts = container_mounts(input, false);
  ASSERT_TRUE(mounts.ok()) << mounts.error().to_string();
  EXPECT_EQ(describe(mounts->mounts),
            "/proc proc proc [nosuid,noexec,nodev]\n"
            "/dev tmpfs tmpfs [nosuid,strictatime,mode=755,size=65536k]\n"
            "/dev/pts devpts devpts [nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5]\n"
            "/sys sysfs sysfs [nosuid,noexec,nodev,ro]\n"
            "/sys/fs/cgroup cgroup cgroup [ro,nosuid,noexec,nodev]\n"
            "/dev/mqueue mqueue mqueue [nosuid,noexec,nodev]\n"
            "/a bind /v/_data [rbind]\n"
            "/etc/hosts bind /my/hosts [rbind,rprivate]\n"
            "/dev/shm tmpfs tmpfs [noexec,nosuid,nodev,rprivate,size=1m]\n"
            "/a/b/c bind /src/deep [rbind,rro,rprivate]\n");
  EXPECT_EQ(mounts->rootfs_propagation, "");
}

TEST(SpecMountsTest, ReadOnlyRootAndOldKernels) {
  StartInput input = input_with({{"ReadonlyRootfs", true}, {"IpcMode", "none"}});
  input.host.kernel_major = 5;
  input.host.kernel_minor = 10;
  input.resolv_conf_path = "/c/resolv.conf";
  input.mounts = {MountPoint{"bind", "/data", "/data", true, "rprivate"}};
  auto mounts = container_mounts(input, true);
  input.init_path = "/usr/libexec/berth-init";
  ASSERT_FALSE(mounts.ok());  // --init without an init binary
  mounts = container_mounts(input, true);
  ASSERT_TRUE(mounts.ok()) << mounts.error().to_string();
  EXPECT_EQ(describe(mounts->mounts),
            "/proc proc proc [nosuid,noexec,nodev]\n"
            "/dev tmpfs tmpfs [nosuid,strictatime,mode=755,size=65536k]\n"
            "/dev/pts devpts devpts [nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5]\n"
            "/sys sysfs sysfs [nosuid,noexec,nodev,ro]\n"
            "/sys/fs/cgroup cgroup cgroup [ro,nosuid,noexec,nodev]\n"
            "/dev/mqueue mqueue mqueue [nosuid,noexec,nodev]\n"
            "/sbin/docker-init bind /usr/libexec/berth-init [bind,ro]\n"
            "/data bind /data [rbind,rprivate]\n"
            "/etc/resolv.conf bind /c/resolv.conf [rbind,ro,rprivate]\n");
}

TEST(SpecMountsTest, SharedAndSlavePropagationSetTheRootsPropagation) {
  StartInput input = input_with({});
  input.mounts = {MountPoint{"bind", "/mnt", "/mnt", true, "rslave"}};
  EXPECT_EQ(container_mounts(input, false)->rootfs_propagation, "rslave");
  input.mounts.push_back(MountPoint{"bind", "/srv", "/srv", true, "rshared"});
  EXPECT_EQ(container_mounts(input, false)->rootfs_propagation, "shared");
}

TEST(SpecMountsTest, SharedIpcBindsTheShmPathAndDevReplacesAllOfDev) {
  StartInput input = input_with({{"IpcMode", "shareable"}});
  input.shm_path = "/var/lib/berth/containers/x/mounts/shm";
  auto mounts = container_mounts(input, false);
  ASSERT_TRUE(mounts.ok());
  EXPECT_EQ(mounts->mounts.back().destination, "/dev/shm");
  EXPECT_EQ(mounts->mounts.back().source, input.shm_path);
  EXPECT_EQ(mounts->mounts.back().options, (std::vector<std::string>{"rbind", "rprivate"}));

  StartInput dev = input_with({{"Tmpfs", {{"/dev", "size=1m"}}}});
  auto replaced = container_mounts(dev, false);
  ASSERT_TRUE(replaced.ok());
  for (const auto& m : replaced->mounts) EXPECT_FALSE(m.destination.starts_with("/dev/"));
}

TEST(SpecMountsTest, PrivilegedMakesSysAndCgroupWritable) {
  auto mounts = container_mounts(input_with({{"Privileged", true}}), false);
  ASSERT_TRUE(mounts.ok());
  EXPECT_EQ(mounts->mounts[3].options, (std::vector<std::string>{"nosuid", "noexec", "nodev"}));
  EXPECT_EQ(mounts->mounts[4].options, (std::vector<std::string>{"nosuid", "noexec", "nodev"}));
}

TEST(ResourcesTest, DockersTranslation) {
  Json hc = {{"Memory", 67108864},
             {"MemorySwap", -1},
             {"MemoryReservation", 33554432},
             {"MemorySwappiness", 10},
             {"OomKillDisable", false},
             {"KernelMemory", 1 << 30},
             {"NanoCpus", 1500000000},
             {"CpuShares", 512},
             {"CpusetCpus", "0-1"},
             {"PidsLimit", 0},
             {"BlkioWeight", 300},
             {"BlkioDeviceReadBps", {{{"Path", "/dev/null"}, {"Rate", 1048576}}}}};
  auto r = container_resources(hc);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r->memory);
  EXPECT_EQ(r->memory->limit, 67108864);
  EXPECT_FALSE(r->memory->swap);  // -1: left unlimited
  EXPECT_EQ(r->memory->reservation, 33554432);
  EXPECT_EQ(r->memory->swappiness, 10u);
  EXPECT_EQ(r->memory->disable_oom_killer, false);
  EXPECT_FALSE(r->memory->kernel);
  ASSERT_TRUE(r->cpu);
  EXPECT_EQ(r->cpu->period, 100000u);
  EXPECT_EQ(r->cpu->quota, 150000);
  EXPECT_EQ(r->cpu->shares, 512u);
  EXPECT_EQ(r->cpu->cpus, "0-1");
  ASSERT_TRUE(r->pids);
  EXPECT_EQ(r->pids->limit, -1);
  ASSERT_TRUE(r->block_io);
  EXPECT_EQ(r->block_io->weight, 300);
  ASSERT_EQ(r->block_io->throttle_read_bps_device.size(), 1u);
  EXPECT_EQ(r->block_io->throttle_read_bps_device[0].major, 1);
  EXPECT_EQ(r->block_io->throttle_read_bps_device[0].rate, 1048576u);

  auto empty = container_resources(Json::object());
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->memory);
  EXPECT_FALSE(empty->cpu);
  EXPECT_FALSE(empty->pids);
  EXPECT_TRUE(empty->block_io);  // dockerd always sets blockIO

  auto missing =
      container_resources({{"BlkioWeightDevice", {{{"Path", "/dev/nope"}, {"Weight", 10}}}}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "stat /dev/nope: No such file or directory");
}

TEST(UlimitsTest, RlimitsWithDaemonDefaults) {
  DaemonDefaults daemon;
  daemon.ulimits = {{"nproc", 100, 200}, {"nofile", 1, 2}};
  Json hc = {{"Ulimits",
              {{{"Name", "nofile"}, {"Soft", 1024}, {"Hard", 2048}},
               {{"Name", "core"}, {"Soft", -1}, {"Hard", -1}}}}};
  auto rlimits = container_rlimits(hc, daemon);
  ASSERT_TRUE(rlimits.ok());
  ASSERT_EQ(rlimits->size(), 3u);
  EXPECT_EQ((*rlimits)[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ((*rlimits)[0].soft, 1024u);
  EXPECT_EQ((*rlimits)[1].type, "RLIMIT_CORE");
  EXPECT_EQ((*rlimits)[1].hard, UINT64_MAX);
  EXPECT_EQ((*rlimits)[2].type, "RLIMIT_NPROC");
  EXPECT_TRUE(container_rlimits(Json::object(), DaemonDefaults{})->empty());
}

TEST(SecurityOptsTest, DockersParsing) {
  DaemonDefaults daemon;
  auto opts = parse_security_opts({"no-new-privileges", "seccomp=unconfined", "apparmor=custom",
                                   "label=disable", "systempaths=unconfined"},
                                  daemon);
  ASSERT_TRUE(opts.ok());
  EXPECT_TRUE(opts->no_new_privileges);
  EXPECT_EQ(opts->seccomp_profile, "unconfined");
  EXPECT_EQ(opts->apparmor_profile, "custom");
  EXPECT_TRUE(opts->unconfined_system_paths);
  EXPECT_FALSE(parse_security_opts({"no-new-privileges=false"}, daemon)->no_new_privileges);
  EXPECT_TRUE(parse_security_opts({"no-new-privileges:true"}, daemon)->no_new_privileges);
  auto json = parse_security_opts({R"(seccomp={"defaultAction":"SCMP_ACT_ALLOW"})"}, daemon);
  EXPECT_EQ(json->seccomp_profile, R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  EXPECT_EQ(parse_security_opts({"bogus"}, daemon).error().message(),
            "invalid --security-opt 1: \"bogus\"");
  EXPECT_EQ(parse_security_opts({"foo=bar"}, daemon).error().message(),
            "invalid --security-opt 2: \"foo=bar\"");
  EXPECT_EQ(parse_security_opts({"no-new-privileges=maybe"}, daemon).error().message(),
            "invalid --security-opt 2: \"no-new-privileges=maybe\"");
}

TEST(AdaptHostConfigTest, DockersDefaults) {
  HostInfo host = test::test_host();
  auto hc = adapt_host_config({{"Memory", 67108864}}, host);
  ASSERT_TRUE(hc.ok()) << hc.error().to_string();
  EXPECT_EQ((*hc)["MemorySwap"], 134217728);
  EXPECT_EQ((*hc)["ShmSize"], 67108864);
  EXPECT_EQ((*hc)["IpcMode"], "private");
  EXPECT_EQ((*hc)["CgroupnsMode"], "private");
  EXPECT_EQ((*hc)["NetworkMode"], "default");
  EXPECT_EQ((*hc)["RestartPolicy"], Json({{"Name", "no"}, {"MaximumRetryCount", 0}}));
  EXPECT_EQ((*hc)["OomKillDisable"], false);
  EXPECT_EQ((*hc)["MaskedPaths"], Json(docker_masked_paths()));
  EXPECT_EQ((*hc)["ReadonlyPaths"], Json(docker_readonly_paths()));
  EXPECT_TRUE((*hc)["Binds"].is_null());
  EXPECT_EQ((*hc)["ConsoleSize"], Json({0, 0}));
  EXPECT_FALSE(hc->contains("Tmpfs"));
  EXPECT_FALSE(hc->contains("Init"));

  host.cgroup_mode = CgroupMode::kV1;
  host.cgroup = default_cgroup_features(CgroupMode::kV1);
  auto v1 = adapt_host_config({{"Privileged", true}, {"Init", false}}, host);
  EXPECT_EQ((*v1)["CgroupnsMode"], "host");
  EXPECT_TRUE((*v1)["MaskedPaths"].is_null());
  EXPECT_EQ((*v1)["Init"], false);
  auto unconfined = adapt_host_config({{"SecurityOpt", {"systempaths=unconfined"}}}, host);
  EXPECT_EQ((*unconfined)["MaskedPaths"], Json::array());
}

TEST(AdaptHostConfigTest, DropsWhatTheHostCannotDo) {
  HostInfo host = test::test_host();  // cgroup v2: no swappiness, no OOM-killer switch
  auto hc = adapt_host_config({{"MemorySwappiness", 50}, {"OomKillDisable", true}}, host);
  ASSERT_TRUE(hc.ok());
  EXPECT_TRUE((*hc)["MemorySwappiness"].is_null());
  EXPECT_EQ((*hc)["OomKillDisable"], false);
}

}  // namespace
}  // namespace berth::cspec

namespace berth::cspec {
namespace {

TEST(HostInfoTest, DetectsThisMachine) {
  auto host = detect_host_info();
  ASSERT_TRUE(host.ok()) << host.error().to_string();
  EXPECT_GE(host->ncpu, 1);
  EXPECT_GT(host->mem_total, 0);
  EXPECT_GE(host->last_cap, 36);
  EXPECT_GE(host->kernel_major, 4);
  EXPECT_FALSE(host->cpuset_cpus.empty());
  EXPECT_FALSE(host->arch.empty());
  EXPECT_EQ(host->cgroup.memory_swappiness, host->cgroup_mode != CgroupMode::kV2);
}

TEST(HostInfoTest, KernelComparison) {
  HostInfo host;
  host.kernel_major = 5;
  host.kernel_minor = 12;
  EXPECT_TRUE(kernel_at_least(host, 5, 12));
  EXPECT_TRUE(kernel_at_least(host, 4, 20));
  EXPECT_FALSE(kernel_at_least(host, 5, 13));
  EXPECT_FALSE(kernel_at_least(host, 6, 0));
}

}  // namespace
}  // namespace berth::cspec

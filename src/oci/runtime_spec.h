// The OCI runtime-spec v1.2 configuration (config.json) as plain C++ values.
// Parsing and serialisation are declared in runtime_spec_json.h, validation in
// runtime_spec_validate.h; nothing here does I/O. Field names follow the spec's JSON names in
// snake_case. Every struct compares with ==, so a round trip through JSON can be checked.
// std::optional marks properties whose absence means something different from a zero value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::oci {

inline constexpr const char* kRuntimeSpecVersion = "1.2.0";

struct IdMapping {
  uint32_t container_id = 0;
  uint32_t host_id = 0;
  uint32_t size = 0;

  bool operator==(const IdMapping&) const = default;
};

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additional_gids;
  std::string username;

  bool operator==(const User&) const = default;
};

struct ConsoleSize {
  uint32_t height = 0;
  uint32_t width = 0;

  bool operator==(const ConsoleSize&) const = default;
};

struct Capabilities {
  std::vector<std::string> bounding;
  std::vector<std::string> effective;
  std::vector<std::string> inheritable;
  std::vector<std::string> permitted;
  std::vector<std::string> ambient;

  bool operator==(const Capabilities&) const = default;
};

struct Rlimit {
  std::string type;  // "RLIMIT_NOFILE", ...
  uint64_t hard = 0;
  uint64_t soft = 0;

  bool operator==(const Rlimit&) const = default;
};

struct IoPriority {
  std::string io_class;  // JSON "class": IOPRIO_CLASS_RT | IOPRIO_CLASS_BE | IOPRIO_CLASS_IDLE
  int priority = 0;

  bool operator==(const IoPriority&) const = default;
};

struct Scheduler {
  std::string policy;  // SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE,
                       // SCHED_DEADLINE
  int32_t nice = 0;
  int32_t priority = 0;
  std::vector<std::string> flags;
  uint64_t runtime = 0;
  uint64_t deadline = 0;
  uint64_t period = 0;

  bool operator==(const Scheduler&) const = default;
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> console_size;
  std::string cwd;
  std::vector<std::string> env;
  std::vector<std::string> args;
  std::vector<Rlimit> rlimits;
  std::string apparmor_profile;
  std::optional<Capabilities> capabilities;
  bool no_new_privileges = false;
  std::optional<int> oom_score_adj;
  std::optional<Scheduler> scheduler;
  std::string selinux_label;
  std::optional<IoPriority> io_priority;
  User user;

  bool operator==(const Process&) const = default;
};

struct Root {
  std::string path;
  bool readonly = false;

  bool operator==(const Root&) const = default;
};

struct Mount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;
  std::vector<IdMapping> uid_mappings;
  std::vector<IdMapping> gid_mappings;

  bool operator==(const Mount&) const = default;
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds; > 0 when set

  bool operator==(const Hook&) const = default;
};

struct Hooks {
  std::vector<Hook> prestart;  // deprecated, still honoured (run with createRuntime)
  std::vector<Hook> create_runtime;
  std::vector<Hook> create_container;
  std::vector<Hook> start_container;
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;

  bool operator==(const Hooks&) const = default;
};

enum class NamespaceType { kPid, kNetwork, kMount, kIpc, kUts, kUser, kCgroup, kTime };

struct Namespace {
  NamespaceType type = NamespaceType::kPid;
  std::string path;  // empty: create a new namespace; otherwise join the one at this path

  bool operator==(const Namespace&) const = default;
};

struct Device {
  std::string type;  // "c", "b", "u" or "p"
  std::string path;
  int64_t major = 0;  // required (by the parser) for "c", "b" and "u"
  int64_t minor = 0;
  std::optional<uint32_t> file_mode;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;

  bool operator==(const Device&) const = default;
};

// linux.resources.devices[]: the device cgroup allow/deny list, applied in order.
struct DeviceCgroupRule {
  bool allow = false;
  std::string type;              // "a", "c" or "b"; empty means "a"
  std::optional<int64_t> major;  // absent: any (the parser reads runc's -1 as absent)
  std::optional<int64_t> minor;
  std::string access;  // subset of "rwm"; empty means "rwm"

  bool operator==(const DeviceCgroupRule&) const = default;
};

struct MemoryResources {
  std::optional<int64_t> limit;
  std::optional<int64_t> reservation;
  std::optional<int64_t> swap;  // memory+swap, as in cgroup v1's memsw; -1 unlimited
  std::optional<int64_t> kernel;
  std::optional<int64_t> kernel_tcp;
  std::optional<uint64_t> swappiness;
  std::optional<bool> disable_oom_killer;
  std::optional<bool> use_hierarchy;
  std::optional<bool> check_before_update;

  bool operator==(const MemoryResources&) const = default;
};

struct CpuResources {
  std::optional<uint64_t> shares;
  std::optional<int64_t> quota;
  std::optional<uint64_t> burst;
  std::optional<uint64_t> period;
  std::optional<int64_t> realtime_runtime;
  std::optional<uint64_t> realtime_period;
  std::string cpus;
  std::string mems;
  std::optional<int64_t> idle;

  bool operator==(const CpuResources&) const = default;
};

struct PidsResources {
  int64_t limit = 0;  // <= 0: unlimited

  bool operator==(const PidsResources&) const = default;
};

struct WeightDevice {
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;

  bool operator==(const WeightDevice&) const = default;
};

struct ThrottleDevice {
  int64_t major = 0;
  int64_t minor = 0;
  uint64_t rate = 0;

  bool operator==(const ThrottleDevice&) const = default;
};

struct BlockIoResources {
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;
  std::vector<WeightDevice> weight_device;
  std::vector<ThrottleDevice> throttle_read_bps_device;
  std::vector<ThrottleDevice> throttle_write_bps_device;
  std::vector<ThrottleDevice> throttle_read_iops_device;
  std::vector<ThrottleDevice> throttle_write_iops_device;

  bool operator==(const BlockIoResources&) const = default;
};

struct HugepageLimit {
  std::string page_size;  // "2MB", "1GB", ...
  uint64_t limit = 0;

  bool operator==(const HugepageLimit&) const = default;
};

struct NetworkPriority {
  std::string name;
  uint32_t priority = 0;

  bool operator==(const NetworkPriority&) const = default;
};

struct NetworkResources {
  std::optional<uint32_t> class_id;
  std::vector<NetworkPriority> priorities;

  bool operator==(const NetworkResources&) const = default;
};

// linux.resources.rdma values, keyed by device name; at least one limit is set.
struct RdmaLimit {
  std::optional<uint32_t> hca_handles;
  std::optional<uint32_t> hca_objects;

  bool operator==(const RdmaLimit&) const = default;
};

struct Resources {
  std::vector<DeviceCgroupRule> devices;
  std::optional<MemoryResources> memory;
  std::optional<CpuResources> cpu;
  std::optional<PidsResources> pids;
  std::optional<BlockIoResources> block_io;
  std::vector<HugepageLimit> hugepage_limits;
  std::optional<NetworkResources> network;
  std::map<std::string, std::string> unified;  // cgroup v2 file name -> value
  std::map<std::string, RdmaLimit> rdma;       // device name -> limits

  bool operator==(const Resources&) const = default;
};

struct SeccompArg {
  uint32_t index = 0;
  uint64_t value = 0;
  uint64_t value_two = 0;
  std::string op;  // SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT,
                   // SCMP_CMP_MASKED_EQ

  bool operator==(const SeccompArg&) const = default;
};

struct SeccompSyscall {
  std::vector<std::string> names;
  std::string action;  // SCMP_ACT_*
  std::optional<uint32_t> errno_ret;
  std::vector<SeccompArg> args;

  bool operator==(const SeccompSyscall&) const = default;
};

struct Seccomp {
  std::string default_action;
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // SCMP_ARCH_*
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::string listener_path;
  std::string listener_metadata;
  std::vector<SeccompSyscall> syscalls;

  bool operator==(const Seccomp&) const = default;
};

struct TimeOffset {
  int64_t secs = 0;
  uint32_t nanosecs = 0;

  bool operator==(const TimeOffset&) const = default;
};

struct Personality {
  std::string domain;  // LINUX or LINUX32
  std::vector<std::string> flags;

  bool operator==(const Personality&) const = default;
};

// linux.intelRdt: resctrl class of service and monitoring.
struct IntelRdt {
  std::string clos_id;  // JSON "closID"
  std::string l3_cache_schema;
  std::string mem_bw_schema;
  bool enable_cmt = false;  // JSON "enableCMT"
  bool enable_mbm = false;  // JSON "enableMBM"

  bool operator==(const IntelRdt&) const = default;
};

struct Linux {
  std::vector<IdMapping> uid_mappings;
  std::vector<IdMapping> gid_mappings;
  std::map<std::string, std::string> sysctl;
  std::optional<Resources> resources;
  std::string cgroups_path;
  std::vector<Namespace> namespaces;
  std::vector<Device> devices;
  std::optional<Seccomp> seccomp;
  std::string rootfs_propagation;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::string mount_label;
  std::map<std::string, TimeOffset> time_offsets;  // "boottime" / "monotonic"
  std::optional<Personality> personality;
  std::optional<IntelRdt> intel_rdt;

  bool operator==(const Linux&) const = default;
};

struct Spec {
  std::string oci_version;
  std::optional<Process> process;
  std::optional<Root> root;
  std::string hostname;
  std::string domainname;
  std::vector<Mount> mounts;
  std::optional<Hooks> hooks;
  std::map<std::string, std::string> annotations;
  std::optional<Linux> linux;

  bool operator==(const Spec&) const = default;
};

// Namespace type <-> spec name ("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time").
const char* namespace_type_name(NamespaceType type);
std::optional<NamespaceType> namespace_type_from_name(const std::string& name);

// The namespace entry of `type` in spec.linux, or nullptr.
const Namespace* find_namespace(const Spec& spec, NamespaceType type);

}  // namespace berth::oci

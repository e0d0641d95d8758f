// spec and features.
#include <seccomp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "base/file_util.h"
#include "commands.h"
#include "oci/default_spec.h"
#include "oci/runtime_spec_json.h"
#include "security/capabilities.h"

namespace berth::runtime_cli {
namespace {

int do_spec(const std::string& bundle, bool rootless) {
  std::string path = path_join(bundle.empty() ? "." : bundle, "config.json");
  if (path_exists(path))
    return report(Error(ErrorCode::kAlreadyExists, "File " + path + " exists. Remove it first"));
  oci::Spec spec = oci::default_spec(rootless);
  auto st = write_file(path, oci::to_json(spec).dump(2) + "\n", 0666 & ~0022);
  return st.ok() ? 0 : report(st.error());
}

OrderedJson features_json() {
  OrderedJson f;
  f["ociVersionMin"] = "1.0.0";
  f["ociVersionMax"] = oci::kRuntimeSpecVersion;
  f["hooks"] = {"prestart",       "createRuntime", "createContainer",
                "startContainer", "poststart",     "poststop"};
  f["mountOptions"] = {"async",         "atime",        "bind",       "defaults",    "dev",
                       "diratime",      "dirsync",      "exec",       "iversion",    "lazytime",
                       "loud",          "mand",         "noatime",    "nodev",       "nodiratime",
                       "noexec",        "noiversion",   "nolazytime", "nomand",      "norelatime",
                       "nostrictatime", "nosuid",       "private",    "rbind",       "rdev",
                       "rdiratime",     "relatime",     "remount",    "rexec",       "rnoatime",
                       "rnodev",        "rnodiratime",  "rnoexec",    "rnosuid",     "ro",
                       "rprivate",      "rrelatime",    "rro",        "rrw",         "rshared",
                       "rslave",        "rstrictatime", "rsuid",      "runbindable", "rw",
                       "shared",        "silent",       "slave",      "strictatime", "suid",
                       "sync",          "tmpcopyup",    "unbindable", "idmap",       "ridmap"};
  OrderedJson linux;
  linux["namespaces"] = {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"};
  std::vector<std::string> caps;
  for (int c = 0; c <= security::kMaxKnownCap; ++c) caps.emplace_back(security::capability_name(c));
  linux["capabilities"] = caps;
  linux["cgroup"] = {
      {"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}, {"rdma", false}};
  const scmp_version* v = seccomp_version();
  linux["seccomp"] = {
      {"enabled", true},
      {"actions",
       {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
        "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"}},
      {"operators",
       {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
        "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
      {"archs",
       {"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_ARM"}},
      {"knownFlags",
       {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}},
      {"supportedFlags",
       {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}}};
  struct stat st {};
  bool apparmor = ::stat("/sys/kernel/security/apparmor", &st) == 0;
  linux["apparmor"] = {{"enabled", apparmor}};
  linux["selinux"] = {{"enabled", false}};
  linux["intelRdt"] = {{"enabled", false}};
  linux["mountExtensions"] = {{"idmap", {{"enabled", true}}}};
  f["linux"] = linux;
  f["annotations"] = {
      {"io.github.seccomp.libseccomp.version",
       std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->micro)},
      {"org.berth.runtime.version", BERTH_VERSION}};
  return f;
}

}  // namespace

void add_spec_commands(CLI::App& app, Globals& /*g*/, Action& action) {
  static std::string bundle;
  static bool rootless = false;
  auto* spec = app.add_subcommand("spec", "write a default config.json");
  spec->add_option("-b,--bundle", bundle, "directory to write config.json to");
  spec->add_flag("--rootless", rootless, "a spec for a rootless container");
  spec->callback([&] { action = [&] { return do_spec(bundle, rootless); }; });

  auto* features = app.add_subcommand("features", "print the runtime's features (JSON)");
  features->callback([&] {
    action = [] {
      std::cout << features_json().dump(4) << std::endl;
      return 0;
    };
  });
}

}  // namespace berth::runtime_cli

// Loading a cgroup device program and attaching it in place of the previous one (bpf(2)).
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {

// License string for the kernel: it only gates GPL-only helpers, which this program calls none of.
constexpr char kLicense[] = "GPL";

uint64_t ptr_to_u64(const void* p) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p));
}

int sys_bpf(int cmd, bpf_attr& attr) {
  return static_cast<int>(::syscall(__NR_bpf, cmd, &attr, sizeof(attr)));
}

int load_with_log(const std::vector<bpf_insn>& program, std::string* log) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = ptr_to_u64(program.data());
  attr.insn_cnt = static_cast<uint32_t>(program.size());
  attr.license = ptr_to_u64(kLicense);
  if (log) {
    attr.log_buf = ptr_to_u64(log->data());
    attr.log_size = static_cast<uint32_t>(log->size());
    attr.log_level = 1;
  }
  std::strncpy(attr.prog_name, kDeviceProgramName, sizeof(attr.prog_name) - 1);
  return sys_bpf(BPF_PROG_LOAD, attr);
}

Result<UniqueFd> load(const std::vector<bpf_insn>& program) {
  int fd = load_with_log(program, nullptr);
  if (fd >= 0) return UniqueFd(fd);
  int err = errno;
  // Load again with a log only to explain the failure: the verifier's words name the problem.
  std::string log(size_t{64} * 1024, '\0');
  UniqueFd retry(load_with_log(program, &log));
  std::string verifier(trim(std::string_view(log.c_str())));
  return errno_error(err, "load device eBPF program" +
                              (verifier.empty() ? std::string() : " (verifier: " + verifier + ")"));
}

// Programs attached directly to the cgroup (not inherited) under our name.
Result<std::vector<UniqueFd>> ours_attached(int cgroup_fd) {
  uint32_t ids[64] = {};
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = ptr_to_u64(ids);
  attr.query.prog_cnt = 64;
  if (sys_bpf(BPF_PROG_QUERY, attr) != 0) return errno_error("query device eBPF programs");
  std::vector<UniqueFd> out;
  for (uint32_t i = 0; i < attr.query.prog_cnt && i < 64; ++i) {
    bpf_attr by_id;
    std::memset(&by_id, 0, sizeof(by_id));
    by_id.prog_id = ids[i];
    UniqueFd fd(sys_bpf(BPF_PROG_GET_FD_BY_ID, by_id));
    if (!fd) continue;  // detached meanwhile
    bpf_prog_info info;
    std::memset(&info, 0, sizeof(info));
    bpf_attr get_info;
    std::memset(&get_info, 0, sizeof(get_info));
    get_info.info.bpf_fd = static_cast<uint32_t>(fd.get());
    get_info.info.info_len = sizeof(info);
    get_info.info.info = ptr_to_u64(&info);
    if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, get_info) != 0) continue;
    if (std::strncmp(info.name, kDeviceProgramName, sizeof(info.name)) == 0)
      out.push_back(std::move(fd));
  }
  return out;
}

Status attach(int cgroup_fd, int prog_fd, bool attach_it) {
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.attach_bpf_fd = static_cast<uint32_t>(prog_fd);
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (attach_it) attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf(attach_it ? BPF_PROG_ATTACH : BPF_PROG_DETACH, attr) != 0)
    return errno_error(attach_it ? "attach device eBPF program" : "detach old device eBPF program");
  return {};
}

}  // namespace

Status attach_device_program(const std::string& dir, const std::vector<bpf_insn>& program) {
  if (auto* recorder = CgroupWriteRecorder::active()) {
    recorder->on_device_program(dir, program);
    return {};
  }
  UniqueFd cgroup(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!cgroup) return errno_error("open " + dir);
  UniqueFd prog = TRY(load(program));
  auto previous = TRY(ours_attached(cgroup.get()));
  // The new program goes on first: with ALLOW_MULTI both run (a request must pass both), so
  // no device is reachable in between that neither old nor new rules allow.
  TRY(attach(cgroup.get(), prog.get(), true));
  for (const auto& old : previous) TRY(attach(cgroup.get(), old.get(), false));
  return {};
}

}  // namespace berth::cgroups::v2

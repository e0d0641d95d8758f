// The cgroup v2 device controller: a BPF_PROG_TYPE_CGROUP_DEVICE program compiled from a
// DevicePolicy (device_rules.h). Instructions are emitted here directly; no libbpf.
//
// The program reads struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; } where
// access_type is (access << 16) | device type, and returns 1 to allow, 0 to deny:
//
//   r2 = type, r3 = access, r4 = major, r5 = minor
//   for each exception:   (any failed test jumps to the next exception)
//     type == T?  major == M?  minor == m?  access test?   -> r0 = verdict; exit
//   r0 = default; exit
//
// With a default-deny policy an exception allows a request when it covers every requested bit;
// with default-allow it denies when it shares any bit — the v1 kernel's two match functions.
#pragma once

#include <linux/bpf.h>

#include <string>
#include <vector>

#include "cgroups/device_rules.h"

namespace berth::cgroups {

std::vector<bpf_insn> device_policy_program(const DevicePolicy& policy);

// One instruction per line in a small assembler syntax, for golden tests and debugging.
std::string disassemble(const std::vector<bpf_insn>& program);

}  // namespace berth::cgroups

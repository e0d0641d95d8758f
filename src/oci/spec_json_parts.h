// Readers and writers for each part of config.json, shared by the files that implement
// runtime_spec_json.h (one file per section: process, resources, linux, seccomp, the rest).
// Internal to the oci module.
//
// The parser checks JSON types and ranges, and the presence of REQUIRED properties whose absence
// the C++ type cannot show (numbers and booleans, such as rlimit soft/hard or a device rule's
// "allow"). Required strings and every semantic rule are left to runtime_spec_validate.
#pragma once

#include <string>

#include "base/json.h"
#include "base/result.h"
#include "oci/json_reader.h"
#include "oci/json_writer.h"
#include "oci/runtime_spec.h"

namespace berth::oci {

// process_json.cpp
Status read_value(const Json& json, const std::string& path, User* out);
Status read_value(const Json& json, const std::string& path, ConsoleSize* out);
Status read_value(const Json& json, const std::string& path, Capabilities* out);
Status read_value(const Json& json, const std::string& path, Rlimit* out);
Status read_value(const Json& json, const std::string& path, IoPriority* out);
Status read_value(const Json& json, const std::string& path, Scheduler* out);
Status read_value(const Json& json, const std::string& path, Process* out);
Json write_value(const User& user);
Json write_value(const ConsoleSize& size);
Json write_value(const Capabilities& caps);
Json write_value(const Rlimit& rlimit);
Json write_value(const IoPriority& priority);
Json write_value(const Scheduler& scheduler);
Json write_value(const Process& process);

// resources_json.cpp
Status read_value(const Json& json, const std::string& path, DeviceCgroupRule* out);
Status read_value(const Json& json, const std::string& path, MemoryResources* out);
Status read_value(const Json& json, const std::string& path, CpuResources* out);
Status read_value(const Json& json, const std::string& path, PidsResources* out);
Status read_value(const Json& json, const std::string& path, WeightDevice* out);
Status read_value(const Json& json, const std::string& path, ThrottleDevice* out);
Status read_value(const Json& json, const std::string& path, BlockIoResources* out);
Status read_value(const Json& json, const std::string& path, HugepageLimit* out);
Status read_value(const Json& json, const std::string& path, NetworkPriority* out);
Status read_value(const Json& json, const std::string& path, NetworkResources* out);
Status read_value(const Json& json, const std::string& path, RdmaLimit* out);
Status read_value(const Json& json, const std::string& path, Resources* out);
Json write_value(const DeviceCgroupRule& rule);
Json write_value(const MemoryResources& memory);
Json write_value(const CpuResources& cpu);
Json write_value(const PidsResources& pids);
Json write_value(const WeightDevice& device);
Json write_value(const ThrottleDevice& device);
Json write_value(const BlockIoResources& block_io);
Json write_value(const HugepageLimit& limit);
Json write_value(const NetworkPriority& priority);
Json write_value(const NetworkResources& network);
Json write_value(const RdmaLimit& limit);
Json write_value(const Resources& resources);

// seccomp_json.cpp
Status read_value(const Json& json, const std::string& path, SeccompArg* out);
Status read_value(const Json& json, const std::string& path, SeccompSyscall* out);
Status read_value(const Json& json, const std::string& path, Seccomp* out);
Json write_value(const SeccompArg& arg);
Json write_value(const SeccompSyscall& syscall);
Json write_value(const Seccomp& seccomp);

// linux_json.cpp
Status read_value(const Json& json, const std::string& path, IdMapping* out);
Status read_value(const Json& json, const std::string& path, Namespace* out);
Status read_value(const Json& json, const std::string& path, Device* out);
Status read_value(const Json& json, const std::string& path, TimeOffset* out);
Status read_value(const Json& json, const std::string& path, Personality* out);
Status read_value(const Json& json, const std::string& path, IntelRdt* out);
Status read_value(const Json& json, const std::string& path, Linux* out);
Json write_value(const IdMapping& mapping);
Json write_value(const Namespace& ns);
Json write_value(const Device& device);
Json write_value(const TimeOffset& offset);
Json write_value(const Personality& personality);
Json write_value(const IntelRdt& rdt);
Json write_value(const Linux& linux_config);

// runtime_spec_json.cpp
Status read_value(const Json& json, const std::string& path, Root* out);
Status read_value(const Json& json, const std::string& path, Mount* out);
Status read_value(const Json& json, const std::string& path, Hook* out);
Status read_value(const Json& json, const std::string& path, Hooks* out);
Json write_value(const Root& root);
Json write_value(const Mount& mount);
Json write_value(const Hook& hook);
Json write_value(const Hooks& hooks);

}  // namespace berth::oci

// parse_process / parse_resources on their own (exec --process, update --resources), with
// validate_process / validate_resources.
#include <gtest/gtest.h>

#include "oci/runtime_spec_json.h"
#include "oci/runtime_spec_validate.h"

namespace berth::oci {
namespace {

std::string parse_process_error(const char* text) {
  auto process = parse_process(Json::parse(text));
  if (process.ok()) return "ok";
  return process.error().message();
}

std::string parse_resources_error(const char* text) {
  auto resources = parse_resources(Json::parse(text));
  if (resources.ok()) return "ok";
  return resources.error().message();
}

std::string validate_process_error(const char* text, const Spec* spec = nullptr) {
  auto process = parse_process(Json::parse(text));
  if (!process.ok()) return "parse: " + process.error().message();
  Status status = validate_process(*process, spec);
  return status.ok() ? "ok" : status.error().message();
}

std::string validate_resources_error(const char* text) {
  auto resources = parse_resources(Json::parse(text));
  if (!resources.ok()) return "parse: " + resources.error().message();
  Status status = validate_resources(*resources);
  return status.ok() ? "ok" : status.error().message();
}

TEST(ParseProcessTest, ReadsAnExecProcess) {
  auto process = parse_process(Json::parse(R"({
    "terminal": true,
    "consoleSize": {"height": 40, "width": 120},
    "user": {"uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [4, 27]},
    "args": ["/bin/sh", "-c", "id"],
    "env": ["PATH=/bin", "HOME=/home/u"],
    "cwd": "/home/u",
    "capabilities": {"bounding": ["CAP_KILL"], "ambient": ["CAP_NET_RAW"]},
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 1024}],
    "noNewPrivileges": true,
    "oomScoreAdj": -500,
    "apparmorProfile": "berth-default",
    "selinuxLabel": "system_u:system_r:container_t:s0",
    "scheduler": {"policy": "SCHED_RR", "priority": 20},
    "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
    "someFutureField": {"x": 1}
  })"));
  ASSERT_TRUE(process.ok()) << process.error().to_string();
  EXPECT_TRUE(process->terminal);
  EXPECT_EQ(process->console_size, (ConsoleSize{40, 120}));
  EXPECT_EQ(process->user.uid, 1000u);
  EXPECT_EQ(process->user.umask, 18u);
  EXPECT_EQ(process->user.additional_gids, (std::vector<uint32_t>{4, 27}));
  EXPECT_EQ(process->args.size(), 3u);
  EXPECT_EQ(process->capabilities->ambient, std::vector<std::string>{"CAP_NET_RAW"});
  EXPECT_TRUE(process->capabilities->effective.empty());
  EXPECT_EQ(process->rlimits[0], (Rlimit{"RLIMIT_NOFILE", 4096, 1024}));
  EXPECT_EQ(process->oom_score_adj, -500);
  EXPECT_EQ(process->scheduler->policy, "SCHED_RR");
  EXPECT_EQ(process->scheduler->priority, 20);
  EXPECT_EQ(process->io_priority, (IoPriority{"IOPRIO_CLASS_BE", 4}));
  EXPECT_TRUE(validate_process(*process).ok());

  auto again = parse_process(to_json(*process));
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(*again, *process);
}

TEST(ParseProcessTest, AbsentAndNullMeanUnset) {
  auto process = parse_process(Json::parse(
      R"({"args": ["true"], "cwd": "/", "oomScoreAdj": null, "capabilities": null,
          "env": null, "user": null})"));
  ASSERT_TRUE(process.ok()) << process.error().to_string();
  EXPECT_FALSE(process->oom_score_adj.has_value());
  EXPECT_FALSE(process->capabilities.has_value());
  EXPECT_TRUE(process->env.empty());
  EXPECT_EQ(process->user, User{});
  // Unset optionals are left out when written back.
  Json written = to_json(*process);
  EXPECT_FALSE(written.contains("oomScoreAdj"));
  EXPECT_FALSE(written.contains("capabilities"));
  EXPECT_FALSE(written.contains("terminal"));
  EXPECT_EQ(written["args"], Json::array({"true"}));
}

TEST(ParseProcessTest, TypeErrorsNameTheField) {
  EXPECT_EQ(parse_process_error("[]"), "process: expected an object, got array");
  EXPECT_EQ(parse_process_error(R"({"args": "sh"})"),
            "process.args: expected an array, got string");
  EXPECT_EQ(parse_process_error(R"({"args": ["sh", 1]})"),
            "process.args[1]: expected a string, got integer");
  EXPECT_EQ(parse_process_error(R"({"user": {"uid": -1}})"),
            "process.user.uid: expected a uint32, got -1");
  EXPECT_EQ(parse_process_error(R"({"user": {"additionalGids": [1, 4294967296]}})"),
            "process.user.additionalGids[1]: expected a uint32, got 4294967296");
  EXPECT_EQ(parse_process_error(R"({"consoleSize": {"height": 1}})"),
            "process.consoleSize.width: required");
  EXPECT_EQ(parse_process_error(R"({"scheduler": {"policy": "SCHED_RR", "nice": 2147483648}})"),
            "process.scheduler.nice: expected an int32, got 2147483648");
  EXPECT_EQ(parse_process_error(R"({"ioPriority": {"class": "IOPRIO_CLASS_BE"}})"),
            "process.ioPriority.priority: required");
  EXPECT_EQ(parse_process_error(R"({"noNewPrivileges": 1})"),
            "process.noNewPrivileges: expected a boolean, got integer");
  EXPECT_EQ(parse_process_error(R"({"rlimits": [{"type": "RLIMIT_CORE", "hard": 1.5}]})"),
            "process.rlimits[0].hard: expected a uint64, got 1.5");
}

TEST(ValidateProcessTest, Rules) {
  EXPECT_EQ(validate_process_error(R"({"args": ["sh"], "cwd": "/"})"), "ok");
  EXPECT_EQ(validate_process_error(R"({"cwd": "/"})"), "process.args: must not be empty");
  EXPECT_EQ(validate_process_error(R"({"args": ["sh"]})"),
            "process.cwd: must be an absolute path, got \"\"");
  EXPECT_EQ(validate_process_error(R"({"args": ["sh\u0000x"], "cwd": "/"})"),
            "process.args[0]: contains a NUL byte: \"sh\\x00x\"");
  EXPECT_EQ(validate_process_error(R"({"args": ["sh"], "cwd": "/", "env": ["A=1", "B"]})"),
            "process.env[1]: missing '=' in \"B\"");
  EXPECT_EQ(
      validate_process_error(
          R"({"args": ["sh"], "cwd": "/", "scheduler": {"policy": "SCHED_OTHER", "nice": 20}})"),
      "process.scheduler.nice: must be between -20 and 19, got 20");
  EXPECT_EQ(validate_process_error(R"({"args": ["sh"], "cwd": "/", "user": {"umask": 511}})"),
            "ok");
  EXPECT_EQ(validate_process_error(
                R"({"args": ["sh"], "cwd": "/", "capabilities": {"permitted": ["cap_kill"]}})"),
            "process.capabilities.permitted[0]: unknown capability \"cap_kill\"");
}

TEST(ValidateProcessTest, ExecUserMustBeMappedInTheContainer) {
  Spec container;
  container.linux = Linux{};
  container.linux->namespaces = {Namespace{NamespaceType::kUser, ""}};
  container.linux->uid_mappings = {IdMapping{0, 100000, 65536}};
  container.linux->gid_mappings = {IdMapping{0, 100000, 65536}};
  const char* inside = R"({"args": ["id"], "cwd": "/", "user": {"uid": 65535, "gid": 0}})";
  const char* outside = R"({"args": ["id"], "cwd": "/", "user": {"uid": 65536, "gid": 0}})";
  const char* bad_group =
      R"({"args": ["id"], "cwd": "/", "user": {"uid": 0, "gid": 0, "additionalGids": [70000]}})";
  EXPECT_EQ(validate_process_error(inside, &container), "ok");
  EXPECT_EQ(validate_process_error(outside, &container),
            "process.user.uid: 65536 is not mapped by linux.uidMappings");
  EXPECT_EQ(validate_process_error(bad_group, &container),
            "process.user.additionalGids[0]: 70000 is not mapped by linux.gidMappings");
  // Without the container's spec there is nothing to check against.
  EXPECT_EQ(validate_process_error(outside), "ok");
}

TEST(ParseResourcesTest, ReadsAnUpdate) {
  auto resources = parse_resources(Json::parse(R"({
    "memory": {"limit": 268435456, "swap": -1, "reservation": 0, "disableOOMKiller": false},
    "cpu": {"shares": 512, "quota": -1, "period": 100000, "cpus": "0-3,6", "mems": "0"},
    "pids": {"limit": 100},
    "blockIO": {"weight": 300, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
    "devices": [{"allow": false, "access": "rwm"},
                {"allow": true, "type": "c", "major": -1, "minor": -1, "access": "m"}],
    "unified": {"memory.high": "200M"},
    "rdma": {"mlx5_0": {"hcaHandles": 2}}
  })"));
  ASSERT_TRUE(resources.ok()) << resources.error().to_string();
  EXPECT_EQ(resources->memory->limit, 268435456);
  EXPECT_EQ(resources->memory->swap, -1);
  EXPECT_EQ(resources->memory->reservation, 0);
  EXPECT_EQ(resources->memory->disable_oom_killer, false);
  EXPECT_FALSE(resources->memory->kernel.has_value());
  EXPECT_EQ(resources->cpu->quota, -1);
  EXPECT_EQ(resources->cpu->cpus, "0-3,6");
  EXPECT_EQ(resources->pids->limit, 100);
  EXPECT_EQ(resources->block_io->weight, 300);
  EXPECT_EQ(resources->block_io->throttle_read_bps_device[0].rate, 1048576u);
  ASSERT_EQ(resources->devices.size(), 2u);
  // runc's -1 wildcard reads as "any", the same as leaving the number out.
  EXPECT_FALSE(resources->devices[1].major.has_value());
  EXPECT_FALSE(resources->devices[1].minor.has_value());
  EXPECT_EQ(resources->unified.at("memory.high"), "200M");
  EXPECT_EQ(resources->rdma.at("mlx5_0").hca_handles, 2u);
  EXPECT_TRUE(validate_resources(*resources).ok());

  Json written = to_json(*resources);
  EXPECT_FALSE(written["memory"].contains("kernel"));
  EXPECT_EQ(written["memory"]["disableOOMKiller"], false);  // set, even though false
  auto again = parse_resources(written);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(*again, *resources);
}

TEST(ParseResourcesTest, TypeAndRangeErrors) {
  EXPECT_EQ(parse_resources_error(R"("x")"), "linux.resources: expected an object, got string");
  EXPECT_EQ(parse_resources_error(R"({"memory": {"limit": "1g"}})"),
            "linux.resources.memory.limit: expected an integer, got string");
  EXPECT_EQ(parse_resources_error(R"({"memory": {"limit": 9223372036854775808}})"),
            "linux.resources.memory.limit: expected an int64, got 9223372036854775808");
  EXPECT_EQ(parse_resources_error(R"({"memory": {"swappiness": -1}})"),
            "linux.resources.memory.swappiness: expected a uint64, got -1");
  EXPECT_EQ(parse_resources_error(R"({"blockIO": {"leafWeight": 65536}})"),
            "linux.resources.blockIO.leafWeight: expected a uint16, got 65536");
  EXPECT_EQ(parse_resources_error(R"({"blockIO": {"weightDevice": [{"major": 8, "weight": 1}]}})"),
            "linux.resources.blockIO.weightDevice[0].minor: required");
  EXPECT_EQ(parse_resources_error(R"({"network": {"classID": 4294967296}})"),
            "linux.resources.network.classID: expected a uint32, got 4294967296");
  EXPECT_EQ(parse_resources_error(R"({"unified": {"cpu.max": 100000}})"),
            "linux.resources.unified.cpu.max: expected a string, got integer");
  EXPECT_EQ(parse_resources_error(R"({"cpu": {"cpus": ["0"]}})"),
            "linux.resources.cpu.cpus: expected a string, got array");
  EXPECT_EQ(parse_resources_error(R"({"devices": [{"allow": "yes"}]})"),
            "linux.resources.devices[0].allow: expected a boolean, got string");
  EXPECT_EQ(parse_resources_error(R"({"hugepageLimits": [{"pageSize": "2MB"}]})"),
            "linux.resources.hugepageLimits[0].limit: required");
  EXPECT_EQ(parse_resources_error(R"({"memory": {"limit": null}})"), "ok");
}

TEST(ValidateResourcesTest, Rules) {
  EXPECT_EQ(validate_resources_error(R"({"memory": {"limit": 200, "swap": 100}})"),
            "linux.resources.memory.swap: memory+swap limit must be at least the memory limit");
  EXPECT_EQ(validate_resources_error(R"({"memory": {"limit": 200, "swap": -1}})"), "ok");
  EXPECT_EQ(validate_resources_error(R"({"memory": {"limit": -1, "swap": 100}})"), "ok");
  EXPECT_EQ(validate_resources_error(R"({"memory": {"limit": 200, "swap": 200}})"), "ok");
  EXPECT_EQ(validate_resources_error(R"({"cpu": {"quota": 50000}})"), "ok");
  EXPECT_EQ(validate_resources_error(R"({"cpu": {"period": 0}})"),
            "linux.resources.cpu.period: must be greater than zero");
  EXPECT_EQ(validate_resources_error(R"({"cpu": {"cpus": "3-1"}})"),
            "linux.resources.cpu.cpus: not a CPU list like \"0-3,8\": \"3-1\"");
  EXPECT_EQ(validate_resources_error(R"({"cpu": {"cpus": "0,"}})"),
            "linux.resources.cpu.cpus: not a CPU list like \"0-3,8\": \"0,\"");
  EXPECT_EQ(validate_resources_error(R"({"devices": [{"allow": true, "access": "rw"}]})"), "ok");
  EXPECT_EQ(validate_resources_error(R"({"devices": [{"allow": true, "major": -2}]})"),
            "linux.resources.devices[0].major: must not be negative, got -2");
  EXPECT_EQ(validate_resources_error(R"({"unified": {"memory.max": "max", "io.weight": "50"}})"),
            "ok");
  EXPECT_EQ(validate_resources_error(R"({"unified": {"max": "1"}})"),
            "linux.resources.unified.max: must be a cgroup v2 file name like \"memory.max\"");
}

}  // namespace
}  // namespace berth::oci

"""linux.resources and cgroupsPath on this host's hybrid cgroups (v1 controllers + cgroup2 with
hugetlb), observed from inside the container through its /sys/fs/cgroup, and `update`."""

import json
import os


from conftest import cgroup_dirs

LONG_RUNNING = 'trap "exit 0" TERM; sleep 1000 & wait'
MiB = 1024 * 1024


def cat_inside(rt, b, *files):
    b.sh(" ; ".join(f"cat /sys/fs/cgroup/{f}" for f in files)).save()
    return rt.run(b).stdout.splitlines()


def test_memory_limits(rt, bundle):
    b = bundle()
    b.linux["resources"]["memory"] = {"limit": 64 * MiB, "reservation": 32 * MiB,
                                      "swap": 96 * MiB, "disableOOMKiller": True,
                                      "swappiness": 10}
    files = ["memory/memory.limit_in_bytes", "memory/memory.soft_limit_in_bytes",
             "memory/memory.swappiness"]
    if os.path.exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"):
        files.append("memory/memory.memsw.limit_in_bytes")
    out = cat_inside(rt, b, *files, "memory/memory.oom_control")
    assert out[0] == str(64 * MiB)
    assert out[1] == str(32 * MiB)
    assert out[2] == "10"
    if len(files) == 4:
        assert out[3] == str(96 * MiB)
    assert "oom_kill_disable 1" in out


def test_cpu_limits(rt, bundle):
    b = bundle()
    b.linux["resources"]["cpu"] = {"shares": 512, "quota": 50000, "period": 100000,
                                   "cpus": "0", "mems": "0"}
    out = cat_inside(rt, b, "cpu/cpu.shares", "cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us",
                     "cpuset/cpuset.cpus", "cpuset/cpuset.mems")
    assert out == ["512", "50000", "100000", "0", "0"]


def test_pids_limit_is_enforced(rt, bundle):
    b = bundle()
    b.linux["resources"]["pids"] = {"limit": 5}
    assert cat_inside(rt, b, "pids/pids.max") == ["5"]
    b.sh("for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done 2>&1; kill $(jobs -p) 2>/dev/null; "
         "true").save()
    out = rt.run(b, check=False).stdout
    assert "Resource temporarily unavailable" in out or "can't fork" in out


def test_block_io_throttle(rt, bundle):
    dev = os.stat("/").st_dev
    major, minor = os.major(dev), os.minor(dev)
    b = bundle()
    b.linux["resources"]["blockIO"] = {
        "throttleReadBpsDevice": [{"major": major, "minor": minor, "rate": 1048576}],
        "throttleWriteIOPSDevice": [{"major": major, "minor": minor, "rate": 100}]}
    out = cat_inside(rt, b, "blkio/blkio.throttle.read_bps_device",
                     "blkio/blkio.throttle.write_iops_device")
    assert out == [f"{major}:{minor} 1048576", f"{major}:{minor} 100"]


def test_block_io_weight(rt, bundle):
    b = bundle()
    b.linux["resources"]["blockIO"] = {"weight": 300}
    # Non-root blkio cgroups have blkio.weight (CFQ) or blkio.bfq.weight (BFQ).
    b.sh("cat /sys/fs/cgroup/blkio/blkio.weight 2>/dev/null || "
         "cat /sys/fs/cgroup/blkio/blkio.bfq.weight").save()
    p = rt.run(b, check=False)
    if p.returncode == 0:
        assert p.stdout.split()[-1] == "300"
    else:
        # No proportional-weight I/O scheduler: one clear error naming the field.
        assert "weight" in p.stderr
        assert rt.list_ids() == []


def hugepage_sizes():
    return [d.split("-")[1] for d in os.listdir("/sys/kernel/mm/hugepages")]


def test_hugepage_limits_on_cgroup2(rt, bundle):
    b = bundle()
    b.linux["resources"]["hugepageLimits"] = [{"pageSize": "2MB", "limit": 8 * 2 * MiB}]
    out = cat_inside(rt, b, "unified/hugetlb.2MB.max")
    assert out == [str(16 * MiB)]


def test_unified_key_values(rt, bundle):
    b = bundle()
    b.linux["resources"]["unified"] = {"hugetlb.2MB.max": str(4 * MiB)}
    assert cat_inside(rt, b, "unified/hugetlb.2MB.max") == [str(4 * MiB)]


def test_unified_key_of_a_v1_controller_is_a_clear_error(rt, bundle):
    b = bundle().sh("true")
    b.linux["resources"]["unified"] = {"memory.high": "1000000"}
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "memory.high" in p.stderr
    assert rt.list_ids() == []


def test_cgroups_path(rt, bundle, marker):
    b = bundle().sh("cat /proc/self/cgroup")
    path = f"/berth-it/{marker}/inner"
    b.linux["cgroupsPath"] = path
    b.drop_namespace("cgroup")
    b.save()
    rt.cgroup_paths.append(path)
    try:
        out = rt.run(b).stdout
        for line in out.splitlines():
            if ":memory:" in line or ":pids:" in line:
                assert line.endswith(path), line
        assert not cgroup_dirs(path)
    finally:
        for d in cgroup_dirs(f"/berth-it/{marker}"):
            os.rmdir(d)
        for d in cgroup_dirs("/berth-it"):
            try:
                os.rmdir(d)
            except OSError:  # another test run's cgroup is still in it
                pass


def test_memory_limit_oom_kills(rt, bundle):
    b = bundle()
    b.linux["resources"]["memory"] = {"limit": 16 * MiB, "swap": 16 * MiB}
    # The shell holds 64 MiB of command output in memory: it must be OOM-killed.
    b.sh("x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived").save()
    b.drop_namespace("pid")  # so that SIGKILL of the init shows as its exit status
    b.save()
    cid = rt.new_id()
    p = rt("run", "--keep", "--bundle", b.path, cid, check=False)
    assert p.returncode == 137
    assert "survived" not in p.stdout
    control = open(f"/sys/fs/cgroup/memory/{cid}/memory.oom_control").read()
    assert "oom_kill 1" in control or "oom_kill 2" in control
    rt("delete", cid)


def test_update_from_json_and_flags(rt, bundle):
    b = bundle().sh(LONG_RUNNING)
    b.linux["resources"]["memory"] = {"limit": 64 * MiB}
    b.linux["resources"]["pids"] = {"limit": 100}
    b.save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    resources = {"memory": {"limit": 128 * MiB}, "cpu": {"shares": 256, "quota": 20000,
                                                         "period": 100000},
                 "pids": {"limit": 42}}
    rt("update", "--resources", "-", cid, input=json.dumps(resources))

    def host(f):
        return open(f"/sys/fs/cgroup/{f.split('.')[0]}/{cid}/{f}").read().strip()

    assert host("memory.limit_in_bytes") == str(128 * MiB)
    assert host("pids.max") == "42"
    assert host("cpu.shares") == "256" and host("cpu.cfs_quota_us") == "20000"
    # Flags, and a resources file.
    rt("update", "--memory", "96M", "--pids-limit", "7", "--cpu-quota", "30000", cid)
    assert host("memory.limit_in_bytes") == str(96 * MiB)
    assert host("pids.max") == "7" and host("cpu.cfs_quota_us") == "30000"
    assert host("cpu.shares") == "256"  # unchanged
    # Seen from inside, too.
    out = rt("exec", cid, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes").stdout
    assert out.strip() == str(96 * MiB)
    p = rt("update", "--resources", "-", cid, input="{not json", check=False)
    assert p.returncode != 0
    p = rt("update", "--resources", "-", cid, input='{"cpu": {"period": 0}}', check=False)
    assert p.returncode != 0 and "period" in p.stderr
    rt("delete", "--force", cid)


def test_update_of_a_stopped_container_fails(rt, bundle):
    b = bundle().sh("true").save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    rt.wait_status(cid, "stopped")
    p = rt("update", "--pids-limit", "5", cid, check=False)
    assert p.returncode != 0 and "not running" in p.stderr
    rt("delete", cid)

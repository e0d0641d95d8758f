"""The docker CLI against berthd: inspection and control of running containers (top, stats,
port, rename, update, inspect, ps, wait, pause, info, version)."""
import json
import os
import pathlib

import pytest

from engine_ops_util import wait_for


def cgroup_file(pid, controller, name):
    """The host path of `name` in the cgroup (v1 `controller`, or v2) of process `pid`."""
    for line in open(f"/proc/{pid}/cgroup"):
        _, controllers, path = line.rstrip("\n").split(":", 2)
        if controller in controllers.split(","):
            return pathlib.Path("/sys/fs/cgroup", controller, path.lstrip("/"), name)
        if controllers == "" and pathlib.Path("/sys/fs/cgroup/cgroup.controllers").exists():
            return pathlib.Path("/sys/fs/cgroup", path.lstrip("/"), name)
    pytest.fail(f"no {controller} cgroup for pid {pid}")


def test_version_and_info(daemon):
    v = json.loads(daemon.dk("version", "--format", "{{json .}}"))
    assert v["Server"]["ApiVersion"]
    assert v["Server"]["Os"] == "linux"
    info = json.loads(daemon.dk("info", "--format", "{{json .}}"))
    assert info["Images"] >= 1
    assert info["ServerVersion"] == v["Server"]["Version"]
    text = daemon.dk("info")
    assert "Containers:" in text and "Server Version:" in text


def test_top_shows_the_container_processes(daemon):
    cid = daemon.run_bg("sleep", "301")
    out = daemon.dk("top", cid)
    header, *rows = out.splitlines()
    assert "PID" in header and "CMD" in header
    assert any("sleep 301" in row for row in rows)
    out = daemon.dk("top", cid, "-o", "pid,comm")
    assert out.splitlines()[0].split() == ["PID", "COMMAND"]
    assert any(row.split()[-1] == "sleep" for row in out.splitlines()[1:])
    stopped = daemon.dk("create", "busybox")
    p = daemon.docker("top", stopped)
    assert p.returncode != 0 and "is not running" in p.stderr


def test_stats_no_stream(daemon):
    cid = daemon.run_bg("sleep", "302", name="statsme")
    out = daemon.dk("stats", "--no-stream", cid)
    lines = out.splitlines()
    assert "CPU %" in lines[0] and "MEM USAGE / LIMIT" in lines[0]
    assert lines[1].split()[1] == "statsme"
    fmt = daemon.dk("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}} {{.MemUsage}}", cid)
    name, pids, mem = fmt.split(" ", 2)
    assert name == "statsme" and int(pids) >= 1 and "/" in mem
    js = json.loads(daemon.dk("stats", "--no-stream", "--format", "{{json .}}", cid))
    assert js["ID"] == cid[:12] and js["CPUPerc"].endswith("%")
    # A busy container shows CPU use (no-stream primes precpu_stats with a first sample).
    busy = daemon.dk("run", "-d", "--cpus", "0.5", "-m", "32m", "busybox", "sh", "-c",
                     "while :; do :; done")
    try:
        out = daemon.dk("stats", "--no-stream", "--format", "{{.CPUPerc}} {{.MemUsage}}", busy)
        cpu, mem = out.split(" ", 1)
        assert 5.0 < float(cpu.rstrip("%")) < 80.0, out
        assert mem.endswith("/ 32MiB"), out
    finally:
        daemon.dk("rm", "-f", busy)


def test_port(daemon):
    cid = daemon.dk("run", "-d", "-p", "127.0.0.1::8080", "-p", "9090/udp", "busybox",
                    "sleep", "303")
    out = daemon.dk("port", cid)
    assert "8080/tcp -> 127.0.0.1:" in out
    host_port = daemon.dk("port", cid, "8080")
    assert host_port.startswith("127.0.0.1:") and int(host_port.split(":")[1]) > 0
    p = daemon.docker("port", cid, "7777")
    assert p.returncode != 0 and "No public port" in p.stderr


def test_rename(daemon):
    cid = daemon.run_bg("sleep", "304", name="before")
    daemon.dk("rename", "before", "after")
    assert daemon.dk("inspect", "-f", "{{.Name}}", cid) == "/after"
    assert daemon.docker("inspect", "before").returncode != 0
    daemon.run_bg("sleep", "304", name="taken")
    p = daemon.docker("rename", "after", "taken")
    assert p.returncode != 0 and "already in use" in p.stderr
    p = daemon.docker("rename", "nosuchthing", "x")
    assert p.returncode != 0 and "No such container" in p.stderr


def test_update_changes_cgroup_limits(daemon):
    cid = daemon.run_bg("sleep", "305")
    pid = int(daemon.dk("inspect", "-f", "{{.State.Pid}}", cid))
    assert pid > 0 and os.path.exists(f"/proc/{pid}")
    daemon.dk("update", "-m", "64m", "--memory-swap", "128m", "--cpus", "0.5",
              "--pids-limit", "77", "--restart", "on-failure:3", cid)
    hc = json.loads(daemon.dk("inspect", "-f", "{{json .HostConfig}}", cid))
    assert hc["Memory"] == 64 << 20
    assert hc["NanoCpus"] == 500_000_000
    assert hc["PidsLimit"] == 77
    assert hc["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    mem = cgroup_file(pid, "memory", "memory.limit_in_bytes")
    if not mem.exists():
        mem = mem.with_name("memory.max")
    assert int(mem.read_text()) == 64 << 20
    pids = cgroup_file(pid, "pids", "pids.max")
    assert pids.read_text().strip() == "77"
    quota = cgroup_file(pid, "cpu", "cpu.cfs_quota_us")
    period = cgroup_file(pid, "cpu", "cpu.cfs_period_us")
    if quota.exists():
        assert int(quota.read_text()) * 2 == int(period.read_text())
    # A stopped container keeps the new limits for its next start.
    stopped = daemon.dk("create", "busybox")
    daemon.dk("update", "--pids-limit", "55", stopped)
    assert daemon.dk("inspect", "-f", "{{.HostConfig.PidsLimit}}", stopped) == "55"
    p = daemon.docker("update", "-m", "64m", "nosuch")
    assert p.returncode != 0 and "No such container" in p.stderr


def test_update_restart_policy_takes_effect(daemon):
    cid = daemon.dk("run", "-d", "busybox", "sh", "-c",
                    "while [ ! -f /tmp/go ]; do sleep 0.05; done; exit 3")
    daemon.dk("update", "--restart", "on-failure:1", cid)
    daemon.dk("exec", cid, "touch", "/tmp/go")

    def settled():
        out = daemon.dk("inspect", "-f", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}",
                        cid)
        return out if out == "1 exited 3" else None
    wait_for(settled, timeout=30, what="one restart, then the exit to stick")


def test_inspect_variants(daemon):
    cid = daemon.run_bg("sleep", "306")
    assert int(daemon.dk("inspect", "-f", "{{.State.Pid}}", cid)) > 0
    sized = json.loads(daemon.dk("inspect", "--size", cid))[0]
    assert "SizeRw" in sized and sized["SizeRootFs"] >= sized["SizeRw"] >= 0
    assert sized["SizeRootFs"] > 0
    assert daemon.dk("inspect", "--type", "container", "-f", "{{.Id}}", cid) == cid
    p = daemon.docker("inspect", "--type", "image", cid)
    assert p.returncode != 0
    image = json.loads(daemon.dk("inspect", "--type", "image", "busybox"))[0]
    assert image["Id"].startswith("sha256:")
    p = daemon.docker("inspect", "--type", "container", "x")
    assert p.returncode != 0 and "No such container: x" in p.stderr


def test_ps_flags_and_filters(daemon):
    run = daemon.run_bg("sleep", "307", name="ps-running")
    labelled = daemon.dk("run", "-d", "--name", "ps-label", "--label", "tier=web", "busybox",
                         "sleep", "307")
    exited = daemon.dk("run", "-d", "--name", "ps-exited", "busybox", "sh", "-c", "exit 3")
    assert daemon.dk("wait", exited) == "3"
    created = daemon.dk("create", "--name", "ps-created", "busybox")

    running_ids = daemon.dk("ps", "-q").split()
    assert run[:12] in running_ids and exited[:12] not in running_ids
    all_ids = daemon.dk("ps", "-aq").split()
    assert {run[:12], exited[:12], created[:12]} <= set(all_ids)
    assert daemon.dk("ps", "-aq", "--no-trunc").split()[0] == created
    assert daemon.dk("ps", "-lq") == created[:12]
    assert daemon.dk("ps", "-q", "-n", "2").split() == [created[:12], exited[:12]]

    def q(*flt):
        args = ["ps", "-aq"]
        for f in flt:
            args += ["--filter", f]
        return daemon.dk(*args).split()

    assert q("status=exited", "name=ps-") == [exited[:12]]
    assert q("status=created", "name=ps-created") == [created[:12]]
    assert q("exited=3", "name=ps-") == [exited[:12]]
    assert q("label=tier=web") == [labelled[:12]]
    assert q("label=tier") == [labelled[:12]]
    assert q("id=" + run[:10]) == [run[:12]]
    assert q("name=ps-running") == [run[:12]]
    assert set(q("name=ps-")) == {run[:12], labelled[:12], exited[:12], created[:12]}
    assert set(q("ancestor=busybox", "name=ps-")) == {run[:12], labelled[:12], exited[:12],
                                                      created[:12]}
    assert q("ancestor=nosuchimage") == []
    p = daemon.docker("ps", "--filter", "bogus=1")
    assert p.returncode != 0 and "bogus" in p.stderr

    table = daemon.dk("ps", "-a", "--filter", "name=ps-exited", "--format",
                      "table {{.Names}}\t{{.Status}}")
    lines = table.splitlines()
    assert lines[0].split() == ["NAMES", "STATUS"]
    assert lines[1].startswith("ps-exited") and "Exited (3)" in lines[1]
    js = json.loads(daemon.dk("ps", "--filter", "name=ps-label", "--format", "json"))
    assert js["Names"] == "ps-label" and js["State"] == "running" and "tier=web" in js["Labels"]
    sized = daemon.dk("ps", "-s", "--filter", "name=ps-running", "--format", "{{.Size}}")
    assert "virtual" in sized
    notrunc = daemon.dk("ps", "--no-trunc", "--filter", "name=ps-running",
                        "--format", "{{.ID}} {{.Command}}")
    assert notrunc == f'{run} "sleep 307"'


def test_ps_port_network_volume_filters(daemon):
    web = daemon.dk("run", "-d", "--name", "pf-web", "-p", "127.0.0.1::80", "--expose", "9000",
                    "-v", "pfvol:/data", "busybox", "sleep", "600")
    host_port = int(daemon.dk("port", web, "80").rsplit(":", 1)[1])
    plain = daemon.dk("run", "-d", "--name", "pf-plain", "--network", "none", "busybox",
                      "sleep", "600")

    def q(flt):
        return daemon.dk("ps", "-q", "--no-trunc", "--filter", "name=pf-", "--filter", flt).split()

    assert q(f"publish={host_port}") == [web]
    assert q(f"publish={host_port}/tcp") == [web]
    assert q(f"publish={host_port - 1}-{host_port + 1}") == [web]
    assert q(f"publish={host_port}/udp") == []
    assert q("expose=80") == [web]
    assert q("expose=9000/tcp") == [web]
    assert q("expose=81") == []
    assert q("network=bridge") == [web]
    assert q("network=none") == [plain]
    bridge_id = daemon.dk("network", "inspect", "-f", "{{.Id}}", "bridge")
    assert q("network=" + bridge_id[:8]) == [web]
    assert q("volume=pfvol") == [web]
    assert q("volume=/data") == [web]
    assert q("volume=nosuchvolume") == []
    assert q("is-task=true") == []
    assert set(q("is-task=false")) == {web, plain}


def test_wait_returns_exit_code(daemon):
    cid = daemon.dk("run", "-d", "busybox", "sh", "-c", "exit 42")
    assert daemon.dk("wait", cid) == "42"
    assert daemon.dk("inspect", "-f", "{{.State.ExitCode}}", cid) == "42"
    p = daemon.docker("wait", "nosuch")
    assert p.returncode != 0 and "No such container" in p.stderr


def test_pause_unpause(daemon):
    cid = daemon.run_bg("sleep", "308")
    daemon.dk("pause", cid)
    assert daemon.dk("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", cid) == \
        "paused true"
    pid = int(daemon.dk("inspect", "-f", "{{.State.Pid}}", cid))

    freezer = cgroup_file(pid, "freezer", "freezer.state")
    if freezer.exists():  # cgroup v1; v2 has cgroup.freeze instead
        wait_for(lambda: freezer.read_text().strip() == "FROZEN", what="the cgroup to freeze")
    else:
        assert cgroup_file(pid, "", "cgroup.freeze").read_text().strip() == "1"
    p = daemon.docker("pause", cid)
    assert p.returncode != 0 and "already paused" in p.stderr
    assert "Paused" in daemon.dk("ps", "--filter", "id=" + cid, "--format", "{{.Status}}")
    daemon.dk("unpause", cid)
    assert daemon.dk("inspect", "-f", "{{.State.Status}}", cid) == "running"
    p = daemon.docker("unpause", cid)
    assert p.returncode != 0 and "is not paused" in p.stderr

"""The lifecycle commands: create, start, run, state, kill, delete, pause, resume, list, ps."""

import json
import os
import signal

import pytest

from conftest import cgroup_dirs, pid_alive, wait_for

# A container init that lives until it is told to stop: `wait` returns on SIGTERM (pid 1 of a
# pid namespace ignores signals it has no handler for, hence the trap).
LONG_RUNNING = 'trap "exit 3" TERM; sleep 1000 & wait'


def test_run_prints_output_and_exits_with_its_status(rt, bundle):
    b = bundle().sh("echo hello from $(hostname); exit 7").save()
    p = rt.run(b, check=False)
    assert p.returncode == 7
    assert p.stdout == "hello from berth\n"


def test_run_of_a_signalled_process_exits_128_plus_signal(rt, bundle):
    # pid 1 of a pid namespace is immune to its own signals: share the host's pid namespace.
    b = bundle().sh("kill -USR1 $$").save()
    b.drop_namespace("pid")
    b.save()
    p = rt.run(b, check=False)
    assert p.returncode == 128 + signal.SIGUSR1
    b.sh("kill -KILL $$").save()
    p = rt.run(b, check=False)
    assert p.returncode == 137


def test_create_start_state_delete(rt, bundle, workdir):
    b = bundle().sh("echo started > /started; " + LONG_RUNNING).save()
    pid_file = workdir / "init.pid"
    cid = rt.new_id()
    rt("create", "--bundle", b.path, "--pid-file", pid_file, cid)
    st = rt.state(cid)
    assert st["status"] == "created"
    assert st["id"] == cid
    assert st["ociVersion"].startswith("1.")
    assert st["bundle"] == b.path
    pid = int(pid_file.read_text())
    assert st["pid"] == pid and pid_alive(pid)
    assert not (b.rootfs / "started").exists()  # created, not started
    assert cgroup_dirs("/" + cid)  # the cgroup exists from create on

    rt("start", cid)
    wait_for(lambda: (b.rootfs / "started").exists(), what="the process to run")
    assert rt.state(cid)["status"] == "running"
    p = rt("start", cid, check=False)
    assert p.returncode != 0 and "running" in p.stderr

    p = rt("delete", cid, check=False)
    assert p.returncode != 0 and "not stopped" in p.stderr
    rt("kill", cid, "TERM")
    rt.wait_status(cid, "stopped")
    st = rt.state(cid)
    assert st["pid"] == 0
    rt("delete", cid)
    assert not pid_alive(pid)
    assert not cgroup_dirs("/" + cid)
    p = rt("state", cid, check=False)
    assert p.returncode != 0 and "does not exist" in p.stderr


@pytest.mark.parametrize("sig", ["KILL", "SIGKILL", "9", "sigkill"])
def test_kill_accepts_signal_names_and_numbers(rt, bundle, sig):
    b = bundle().sh(LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    rt("kill", cid, sig)
    rt.wait_status(cid, "stopped")
    rt("delete", cid)


def test_kill_default_signal_is_term_and_bad_signal_is_refused(rt, bundle):
    b = bundle().sh(LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    p = rt("kill", cid, "SIGNOPE", check=False)
    assert p.returncode != 0 and "SIGNOPE" in p.stderr
    assert rt.status(cid) == "running"
    rt("kill", cid)  # SIGTERM: the trap exits
    rt.wait_status(cid, "stopped")
    rt("delete", cid)


def test_kill_of_a_created_container(rt, bundle):
    b = bundle().sh("exit 0").save()
    cid = rt.create(b)
    pid = rt.state(cid)["pid"]
    rt("kill", cid, "KILL")
    rt.wait_status(cid, "stopped")
    assert rt.state(cid)["pid"] == 0
    p = rt("start", cid, check=False)
    assert p.returncode != 0
    rt("delete", cid)
    assert not pid_alive(pid)


def test_delete_of_a_created_container_kills_its_init(rt, bundle):
    b = bundle().sh("exit 0").save()
    cid = rt.create(b)
    pid = rt.state(cid)["pid"]
    rt("delete", cid)
    assert not pid_alive(pid)
    assert not cgroup_dirs("/" + cid)


def test_delete_after_the_init_exited_reaps_and_removes_the_cgroup(rt, bundle):
    b = bundle().sh("exit 0").save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    rt.wait_status(cid, "stopped")
    assert rt.state(cid)["status"] == "stopped"
    rt("delete", cid)
    assert not cgroup_dirs("/" + cid)
    assert rt.list_ids() == []


def test_delete_force_of_a_running_container(rt, bundle):
    b = bundle().sh(LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    pid = rt.state(cid)["pid"]
    rt("delete", "--force", cid)
    assert not pid_alive(pid)
    assert not cgroup_dirs("/" + cid)


def test_run_detached_returns_at_once_and_the_container_runs(rt, bundle):
    b = bundle().sh("echo ran > /ran; " + LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "--detach", "--bundle", b.path, cid)
    wait_for(lambda: (b.rootfs / "ran").exists(), what="the container to run")
    assert rt.state(cid)["status"] == "running"
    rt("kill", cid, "KILL")
    rt.wait_status(cid, "stopped")
    rt("delete", cid)


def test_duplicate_id_and_invalid_ids_are_refused(rt, bundle):
    b = bundle().sh("exit 0").save()
    cid = rt.create(b)
    p = rt("create", "--bundle", b.path, cid, check=False)
    assert p.returncode != 0 and "exists" in p.stderr
    assert rt.state(cid)["status"] == "created"
    for bad in ["a/b", "..", "a b"]:
        p = rt("create", "--bundle", b.path, bad, check=False)
        assert p.returncode != 0 and "container id" in p.stderr
    rt("delete", cid)


def test_pause_freezes_and_resume_thaws(rt, bundle):
    b = bundle().sh("while :; do :; done").save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    pid = rt.state(cid)["pid"]

    def cpu_ns():
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])

    start = cpu_ns()
    wait_for(lambda: cpu_ns() > start, what="the loop to burn cpu")
    rt("pause", cid)
    assert rt.state(cid)["status"] == "paused"
    assert open(f"/sys/fs/cgroup/freezer/{cid}/freezer.state").read().strip() == "FROZEN"
    frozen_at = cpu_ns()
    # A frozen task gets no cpu: give it a few scheduler ticks to prove it.
    os.sched_yield()
    wait_for(lambda: (open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] in "DS"),
             what="the frozen task to sleep")
    assert cpu_ns() == frozen_at
    p = rt("exec", cid, "true", check=False)
    assert p.returncode != 0 and "paused" in p.stderr
    p = rt("pause", cid, check=False)
    assert p.returncode != 0
    rt("resume", cid)
    assert rt.state(cid)["status"] == "running"
    wait_for(lambda: cpu_ns() > frozen_at, what="the loop to run again")
    p = rt("resume", cid, check=False)
    assert p.returncode != 0 and "not paused" in p.stderr
    rt("delete", "--force", cid)


def test_kill_all_signals_every_process(rt, bundle):
    # Without a pid namespace, killing the init would orphan its children: --all must reach
    # every process in the cgroup.
    b = bundle().sh("sleep 1000 & sleep 1000 & echo ready > /ready; wait").save()
    b.drop_namespace("pid")
    b.save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    wait_for(lambda: (b.rootfs / "ready").exists(), what="the children to start")
    pids = json.loads(rt("ps", "--format", "json", cid).stdout)
    assert len(pids) == 3
    assert all(pid_alive(p) for p in pids)
    rt("kill", "--all", cid, "KILL")
    wait_for(lambda: not any(pid_alive(p) for p in pids), what="every process to die")
    rt.wait_status(cid, "stopped")
    assert json.loads(rt("ps", "--format", "json", cid).stdout) == []
    rt("delete", cid)


def test_list_table_and_json(rt, bundle):
    b = bundle().sh(LONG_RUNNING).save()
    running = rt.new_id()
    rt("run", "-d", "--bundle", b.path, running)
    created = rt.create(bundle().sh("exit 0").save())
    table = rt("list").stdout.splitlines()
    assert table[0].split() == ["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]
    rows = {line.split()[0]: line.split() for line in table[1:]}
    assert rows[running][2] == "running" and rows[created][2] == "created"
    assert int(rows[running][1]) == rt.state(running)["pid"]
    entries = {e["id"]: e for e in json.loads(rt("list", "--format", "json").stdout)}
    assert set(entries) == {running, created}
    assert entries[running]["status"] == "running"
    assert entries[created]["bundle"].endswith("/b1")
    assert sorted(rt.list_ids()) == sorted([running, created])
    rt("delete", "--force", running)
    rt("delete", created)
    assert json.loads(rt("list", "--format", "json").stdout) == []


def test_ps_json_and_table(rt, bundle):
    b = bundle().sh("sleep 1000 & echo ready > /ready; wait").save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    wait_for(lambda: (b.rootfs / "ready").exists(), what="the child")
    init = rt.state(cid)["pid"]
    pids = json.loads(rt("ps", "--format", "json", cid).stdout)
    assert init in pids and len(pids) == 2
    table = rt("ps", cid).stdout.splitlines()
    assert "PID" in table[0].split()
    assert len(table) == 3 and any("sleep 1000" in line for line in table)
    rt("delete", "--force", cid)


def test_events_stats_prints_one_json_stats_event(rt, bundle):
    b = bundle().sh(LONG_RUNNING).save()
    b.linux["resources"]["memory"] = {"limit": 64 * 1024 * 1024}
    b.linux["resources"]["pids"] = {"limit": 50}
    b.save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    lines = rt("events", "--stats", cid).stdout.splitlines()
    assert len(lines) == 1
    ev = json.loads(lines[0])
    assert ev["type"] == "stats" and ev["id"] == cid
    data = ev["data"]
    assert data["pids"]["current"] >= 1
    assert data["pids"]["limit"] == 50
    assert data["memory"]["usage"]["limit"] == 64 * 1024 * 1024
    assert data["memory"]["usage"]["usage"] > 0
    assert data["cpu"]["usage"]["total"] > 0
    rt("delete", "--force", cid)
    p = rt("events", "--stats", cid, check=False)
    assert p.returncode != 0


def test_session_keyring(rt, bundle):
    # Each container gets a session keyring named after it, unless --no-new-keyring.
    b = bundle().sh("true").save()
    cid = rt.create(b)
    assert any(line.split()[-2].rstrip(":") == cid
               for line in open("/proc/keys").read().splitlines())
    rt("delete", cid)
    cid = rt.new_id()
    rt("create", "--no-new-keyring", "--bundle", b.path, cid)
    assert not any(cid in line for line in open("/proc/keys").read().splitlines())
    rt("delete", cid)


def test_delete_force_of_a_paused_container(rt, bundle):
    b = bundle().sh("sleep 1000 & " + LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    pid = rt.state(cid)["pid"]
    rt("pause", cid)
    assert rt.state(cid)["status"] == "paused"
    p = rt("delete", cid, check=False)
    assert p.returncode != 0 and "paused" in p.stderr
    rt("delete", "--force", cid)
    assert not pid_alive(pid)
    assert not cgroup_dirs("/" + cid)


def test_kill_all_of_a_paused_container(rt, bundle):
    b = bundle().sh("sleep 1000 & " + LONG_RUNNING).save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    pids = json.loads(rt("ps", "--format", "json", cid).stdout)
    rt("pause", cid)
    rt("kill", "--all", cid, "KILL")
    wait_for(lambda: not any(pid_alive(p) for p in pids), what="every process to die")
    rt.wait_status(cid, "stopped")
    rt("delete", cid)

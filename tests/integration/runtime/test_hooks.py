"""OCI hooks: every kind, in order, with the state on stdin, env, args and timeouts."""

import json
import os
import time

from conftest import wait_for

LONG_RUNNING = 'trap "exit 0" TERM; sleep 1000 & wait'


def add_logging_hook(b, kind, log, extra_env=None):
    # The state JSON arrives on stdin without a trailing newline: one line per hook.
    env = ["HOOK_KIND=" + kind] + (extra_env or [])
    b.add_hook(kind, "/bin/sh", ["sh", "-c", f'echo "$HOOK_KIND $0 $(cat)" >> {log}', "arg0"],
               env=env)


def read_log(path):
    entries = []
    for line in path.read_text().splitlines():
        kind, arg0, state = line.split(" ", 2)
        assert arg0 == "arg0"
        entries.append((kind, json.loads(state)))
    return entries


def test_hooks_run_in_order_with_the_state(rt, bundle):
    b = bundle().sh("echo process >> /hooks.log; " + LONG_RUNNING)
    host_log = b.rootfs / "hooks.log"
    b.config["annotations"] = {"org.example/key": "value"}
    for kind in ("prestart", "createRuntime", "createContainer", "poststart", "poststop"):
        add_logging_hook(b, kind, host_log)
    # startContainer runs inside the container, after pivot_root: container paths.
    add_logging_hook(b, "startContainer", "/hooks.log")
    b.save()

    cid = rt.create(b)
    pid = rt.state(cid)["pid"]
    entries = read_log(host_log)
    assert [k for k, _ in entries] == ["prestart", "createRuntime", "createContainer"]
    for kind, state in entries:
        assert state["id"] == cid and state["bundle"] == b.path
        assert state["status"] == "creating", kind
        assert state["pid"] == pid, kind
        assert state["annotations"] == {"org.example/key": "value"}
        assert state["ociVersion"].startswith("1.")

    rt("start", cid)
    wait_for(lambda: len(host_log.read_text().splitlines()) >= 6,
             what="startContainer, the process and poststart")
    lines = host_log.read_text().splitlines()
    kinds = [line.split()[0] for line in lines]
    assert kinds[3] == "startContainer"
    assert sorted(kinds[4:6]) == ["poststart", "process"]
    entries = dict((k, s) for k, s in read_log_skipping(host_log))
    assert entries["startContainer"]["status"] == "created"
    assert entries["startContainer"]["pid"] == 1  # as seen inside the container
    assert entries["poststart"]["status"] == "running"
    assert entries["poststart"]["pid"] == pid

    rt("kill", cid, "TERM")
    rt.wait_status(cid, "stopped")
    rt("delete", cid)
    entries = read_log_skipping(host_log)
    assert entries[-1][0] == "poststop"
    assert entries[-1][1]["status"] == "stopped" and entries[-1][1]["id"] == cid


def read_log_skipping(path):
    """read_log without the container process's own line."""
    out = []
    for line in path.read_text().splitlines():
        if line == "process":
            continue
        kind, _, state = line.split(" ", 2)
        out.append((kind, json.loads(state)))
    return out


def test_create_container_hook_runs_in_the_container_mount_namespace(rt, bundle, workdir):
    b = bundle().sh("true")
    out = workdir / "ns.txt"
    # Before pivot_root: host paths still resolve, but the namespace is the container's.
    b.add_hook("createContainer", "/bin/sh",
               ["sh", "-c", f"readlink /proc/self/ns/mnt /proc/self/ns/uts > {out}"])
    b.add_hook("createRuntime", "/bin/sh",
               ["sh", "-c", f"readlink /proc/self/ns/mnt >> {workdir}/rt.txt"])
    b.save()
    cid = rt.create(b)
    pid = rt.state(cid)["pid"]
    ns = out.read_text().split()
    assert ns[0] == os.readlink(f"/proc/{pid}/ns/mnt")
    assert ns[1] == os.readlink(f"/proc/{pid}/ns/uts")
    assert (workdir / "rt.txt").read_text().strip() == os.readlink("/proc/self/ns/mnt")
    rt("delete", cid)


def test_failing_create_runtime_hook_fails_create_and_leaves_nothing(rt, bundle):
    b = bundle().sh("true")
    b.add_hook("createRuntime", "/bin/sh", ["sh", "-c", "exit 3"])
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0
    assert "createRuntime" in p.stderr and "3" in p.stderr
    assert rt.list_ids() == []


def test_missing_hook_binary_fails_create(rt, bundle, workdir):
    b = bundle().sh("true")
    b.add_hook("prestart", str(workdir / "no-such-hook"))
    b.save()
    p = rt.create(b, check=False)
    assert p.returncode != 0 and "prestart" in p.stderr
    assert rt.list_ids() == []


def test_hook_timeout(rt, bundle):
    b = bundle().sh("true")
    b.add_hook("createContainer", "/bin/sleep", ["sleep", "60"], timeout=1)
    b.save()
    started = time.monotonic()
    p = rt.create(b, check=False)
    assert time.monotonic() - started < 20
    assert p.returncode != 0 and "timed out" in p.stderr
    assert rt.list_ids() == []


def test_failing_poststart_hook_is_a_warning(rt, bundle):
    b = bundle().sh(LONG_RUNNING)
    b.add_hook("poststart", "/bin/false")
    b.save()
    cid = rt.create(b)
    p = rt("start", cid)
    assert "poststart" in p.stderr
    assert rt.status(cid) == "running"
    rt("delete", "--force", cid)


def test_failing_start_container_hook_stops_the_container(rt, bundle):
    b = bundle().sh("echo ran > /ran")
    b.add_hook("startContainer", "/bin/false")
    b.save()
    p = rt.run(b, check=False)
    assert p.returncode != 0
    assert "startContainer" in p.stderr
    assert not (b.rootfs / "ran").exists()


def test_poststop_runs_on_delete_of_a_created_container(rt, bundle, workdir):
    b = bundle().sh("true")
    log = workdir / "poststop.log"
    add_logging_hook(b, "poststop", log)
    b.save()
    cid = rt.create(b)
    rt("delete", cid)
    entries = read_log(log)
    assert [k for k, _ in entries] == ["poststop"]
    assert entries[0][1]["id"] == cid

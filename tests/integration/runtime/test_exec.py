"""exec: args or --process, -d, --pid-file, --cwd, --env, --user, --cap, --no-new-privs; and the
sealed-memfd defence (CVE-2019-5736) checked from inside a container."""

import hashlib
import json
import os
import signal
import subprocess

from conftest import pid_alive, wait_for

LONG_RUNNING = 'trap "exit 0" TERM; sleep 1000 & wait'
ALL_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
            "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
            "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
            "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"]


def host_caps():
    """ALL_CAPS less those the test runner itself lacks (a sandbox may have dropped some)."""
    with open("/proc/self/status") as f:
        bounding = int(status_field(f.read(), "CapBnd"), 16)
    return [c for i, c in enumerate(ALL_CAPS) if bounding & (1 << i)]


def running(rt, bundle, configure=None):
    b = bundle().sh(LONG_RUNNING)
    if configure:
        configure(b)
    b.save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    return cid, b


def status_field(text, name):
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{name} not in {text}")


def test_exec_args_output_and_exit_status(rt, bundle):
    cid, _ = running(rt, bundle)
    p = rt("exec", cid, "sh", "-c", "echo $$ in $(hostname); exit 5", check=False)
    assert p.returncode == 5
    words = p.stdout.split()
    assert words[1:] == ["in", "berth"] and words[0] != "1"
    # Flags after the command belong to the command.
    assert rt("exec", cid, "echo", "-n", "--cwd", "x").stdout == "--cwd x"
    rt("delete", "--force", cid)


def test_exec_joins_the_containers_namespaces_and_cgroup(rt, bundle):
    cid, _ = running(rt, bundle)
    init = rt.state(cid)["pid"]
    out = rt("exec", cid, "sh", "-c", "for n in pid net ipc uts mnt cgroup; do "
             "readlink /proc/self/ns/$n; done").stdout.split()
    expected = [os.readlink(f"/proc/{init}/ns/{n}")
                for n in ("pid_for_children", "net", "ipc", "uts", "mnt", "cgroup")]
    assert out == expected
    rt("delete", "--force", cid)


def test_exec_flags(rt, bundle):
    cid, _ = running(rt, bundle)
    out = rt("exec", "--cwd", "/tmp", "--env", "FOO=bar", "-e", "BAZ=1", "--user", "1000:1001",
             "--additional-gids", "7", cid, "sh", "-c",
             "pwd; echo $FOO$BAZ; id -u; id -g; id -G").stdout.splitlines()
    assert out[0] == "/tmp"
    assert out[1] == "bar1"
    assert out[2:4] == ["1000", "1001"]
    assert sorted(out[4].split()) == ["1001", "7"]
    rt("delete", "--force", cid)


def test_exec_cap_and_no_new_privs(rt, bundle):
    def no_nnp(b):
        b.process["noNewPrivileges"] = False

    cid, _ = running(rt, bundle, no_nnp)
    status = rt("exec", cid, "cat", "/proc/self/status").stdout
    assert status_field(status, "NoNewPrivs") == "0"
    assert not int(status_field(status, "CapEff"), 16) & (1 << 21)
    status = rt("exec", "--cap", "CAP_SYS_ADMIN", "--no-new-privs", cid, "cat",
                "/proc/self/status").stdout
    assert status_field(status, "NoNewPrivs") == "1"
    assert int(status_field(status, "CapEff"), 16) & (1 << 21)
    assert int(status_field(status, "CapBnd"), 16) & (1 << 21)
    rt("delete", "--force", cid)


def test_exec_process_file(rt, bundle, workdir):
    cid, _ = running(rt, bundle)
    process = {"terminal": False, "user": {"uid": 2, "gid": 3}, "cwd": "/etc",
               "args": ["sh", "-c", "echo $(id -u):$(id -g) $(pwd) $X"],
               "env": ["PATH=/bin:/usr/bin", "X=from-file"]}
    (workdir / "process.json").write_text(json.dumps(process))
    out = rt("exec", "--process", workdir / "process.json", cid).stdout
    assert out == "2:3 /etc from-file\n"
    (workdir / "bad.json").write_text(json.dumps({"cwd": "/", "args": []}))
    p = rt("exec", "--process", workdir / "bad.json", cid, check=False)
    assert p.returncode != 0 and "args" in p.stderr
    rt("delete", "--force", cid)


def test_exec_detached_with_pid_file(rt, bundle, workdir):
    cid, b = running(rt, bundle)
    pid_file = workdir / "exec.pid"
    rt("exec", "-d", "--pid-file", pid_file, cid, "sh", "-c",
       'trap "exit 0" TERM; echo up > /exec-up; sleep 1000 & wait')
    pid = int(pid_file.read_text())
    assert pid_alive(pid)
    wait_for(lambda: (b.rootfs / "exec-up").exists(), what="the exec'd process")
    assert pid in json.loads(rt("ps", "--format", "json", cid).stdout)
    init = rt.state(cid)["pid"]
    assert os.readlink(f"/proc/{pid}/ns/pid") == os.readlink(f"/proc/{init}/ns/pid")
    rt("delete", "--force", cid)
    wait_for(lambda: not pid_alive(pid), what="the exec'd process to die with the container")


def test_exec_forwards_signals_in_the_foreground(rt, bundle):
    cid, b = running(rt, bundle)
    proc = rt.popen("exec", cid, "sh", "-c",
                    'trap "echo got TERM; exit 9" TERM; echo ready > /ready; '
                    'sleep 1000 >/dev/null 2>&1 & wait',
                    stdout=subprocess.PIPE, text=True)
    wait_for(lambda: (b.rootfs / "ready").exists(), what="the exec'd shell")
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 9 and out == "got TERM\n"
    rt("delete", "--force", cid)


def test_exec_into_a_stopped_container_fails(rt, bundle):
    b = bundle().sh("true").save()
    cid = rt.new_id()
    rt("run", "-d", "--bundle", b.path, cid)
    rt.wait_status(cid, "stopped")
    p = rt("exec", cid, "true", check=False)
    assert p.returncode != 0 and "stopped" in p.stderr
    rt("delete", cid)


def test_exec_of_a_missing_program_fails_clearly(rt, bundle):
    cid, _ = running(rt, bundle)
    before = json.loads(rt("ps", "--format", "json", cid).stdout)
    p = rt("exec", cid, "no-such-program", check=False)
    assert p.returncode != 0 and "no-such-program" in p.stderr
    assert json.loads(rt("ps", "--format", "json", cid).stdout) == before
    rt("delete", "--force", cid)


def test_runtime_binary_cannot_be_overwritten_from_a_container(rt, bundle, berth_bin):
    """CVE-2019-5736: a created container's init is still the runtime. From inside (an exec
    with every capability), /proc/1/exe must not be the binary on disk (a sealed memfd copy
    or the binary through a read-only overlay mounted nowhere) and must not be writable."""
    binary = berth_bin / "berth-runtime"
    digest = hashlib.sha256(binary.read_bytes()).hexdigest()
    b = bundle().sh("true")
    b.process["capabilities"] = {k: host_caps() for k in ("bounding", "effective", "permitted")}
    b.process["noNewPrivileges"] = False
    b.save()
    cid = rt.create(b)
    p = rt("exec", cid, "sh", "-c",
           "readlink /proc/1/exe; (echo x >> /proc/1/exe) 2>&1; echo rc=$?; "
           "(exec 3<>/proc/1/exe) 2>&1; echo rc=$?", check=False)
    lines = p.stdout.splitlines()
    assert lines[0] != str(binary) and ("memfd:" in lines[0] or
                                        lines[0] == "/" + binary.name), lines
    assert lines.count("rc=1") == 2 or lines.count("rc=2") == 2, lines
    assert hashlib.sha256(binary.read_bytes()).hexdigest() == digest
    # From the host too: the init's exe is sealed against writes.
    init = rt.state(cid)["pid"]
    try:
        fd = os.open(f"/proc/{init}/exe", os.O_WRONLY)
    except OSError:
        pass
    else:
        os.close(fd)
        raise AssertionError("the init's exe opened for writing")
    rt("delete", cid)


def test_sealed_memfd_fallback(rt, bundle):
    """Without a usable empty overlay layer the runtime copies itself into a sealed memfd."""
    layer = "/run/berth-runtime-empty"
    os.makedirs(layer, mode=0o555, exist_ok=True)
    os.chmod(layer, 0o775)  # group-writable: refused as an overlay layer
    try:
        b = bundle().sh("true")
        b.process["capabilities"] = {k: host_caps() for k in ("bounding", "effective",
                                                              "permitted")}
        b.save()
        cid = rt.create(b)
        out = rt("exec", cid, "sh", "-c", "readlink /proc/1/exe; (echo x >> /proc/1/exe) 2>&1; "
                 "echo rc=$?").stdout.splitlines()
    finally:
        os.chmod(layer, 0o555)
    assert out[0].startswith("/memfd:berth-runtime"), out
    assert out[-1] == "rc=1"
    rt("delete", cid)

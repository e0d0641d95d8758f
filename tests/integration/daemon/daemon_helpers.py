"""Helpers for berthd's robustness tests: the shared berthd fixture library and ways to see
what containers leave on the host (shim processes, cgroups, mounts, veths)."""
import importlib.util
import os
import pathlib
import subprocess

HERE = pathlib.Path(__file__).resolve().parent


def _load(name, path):
    # Loaded by path: every test area's conftest is named "conftest", so a plain import is
    # ambiguous.
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fixture_lib = _load("berth_berthd_fixture_for_daemon", HERE.parent / "berthd_fixture.py")
shared = _load("berth_integration_conftest_for_daemon", HERE.parent / "conftest.py")
wait_for = shared.wait_for
pid_alive = shared.pid_alive


def shim_pids(daemon):
    """Live berth-shim processes serving bundles under this daemon's exec root."""
    needle = (daemon.tmp + "/exec/").encode()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if len(argv) >= 2 and argv[0].endswith(b"berth-shim") and argv[1].startswith(needle):
            if pid_alive(int(entry)):
                pids.append(int(entry))
    return pids


def shim_pid(daemon, cid):
    """The pid in the container's shim.pid (0 when there is none)."""
    try:
        return int(open(f"{daemon.tmp}/exec/containers/{cid}/shim.pid").read().strip())
    except (OSError, ValueError):
        return 0


def cgroups_of(ids, max_depth=4):
    """cgroup directories, in any hierarchy, whose name contains one of `ids`."""
    found = []
    root = "/sys/fs/cgroup"
    base_depth = root.count("/")
    for dirpath, dirnames, _ in os.walk(root):
        if dirpath.count("/") - base_depth >= max_depth:
            dirnames[:] = []
        for name in dirnames:
            if any(cid in name for cid in ids):
                found.append(os.path.join(dirpath, name))
    return found


def mounts_under(path):
    return [line.split()[4] for line in open("/proc/self/mountinfo") if path in line]


def bridge_ports(bridge):
    """Interfaces (the containers' host-side veths) enslaved to `bridge`."""
    out = subprocess.run(["ip", "-o", "link", "show", "master", bridge], capture_output=True,
                         text=True).stdout
    return [line.split(":")[1].strip() for line in out.splitlines() if line.strip()]

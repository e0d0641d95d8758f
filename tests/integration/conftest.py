"""Shared fixtures for Berth's integration tests (root, real kernel).

- `berth_bin`: the directory with Berth's binaries (BERTH_BIN_DIR, default build-asan/bin).
- `busybox_rootfs`: the cached busybox rootfs from scripts/make-busybox-rootfs.sh.
- `rt`: a RuntimeCli over berth-runtime with a per-test --root; at teardown it force-deletes what
  the test left and asserts that nothing leaked (state dirs, cgroups, mounts, processes).
- `bundle`: a factory of bundles (a copy of the busybox rootfs + a config.json as a dict).
"""

import itertools
import json
import os
import pathlib
import secrets
import subprocess
import tempfile
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CGROUP_ROOT = pathlib.Path("/sys/fs/cgroup")


def pytest_collection_modifyitems(config, items):
    if os.geteuid() != 0:
        skip = pytest.mark.skip(reason="integration tests need root")
        for item in items:
            item.add_marker(skip)


def wait_for(predicate, timeout=10.0, what="condition"):
    """Polls `predicate` until it returns a truthy value; fails the test after `timeout`."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(delay)  # polling interval of an observable condition, not synchronisation
        delay = min(delay * 2, 0.1)


def pid_alive(pid):
    """True when `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def cgroup_dirs(path):
    """Every existing directory of cgroup `path` (e.g. "/abc") across the host's hierarchies."""
    found = []
    for hierarchy in sorted(CGROUP_ROOT.iterdir()):
        d = hierarchy / path.lstrip("/")
        if hierarchy.is_dir() and d.is_dir():
            found.append(str(d))
    return found


def processes_with_marker(marker):
    """Pids whose environment holds `marker` (set on every runtime and container we start)."""
    needle = marker.encode()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if needle in f.read():
                    if pid_alive(int(entry)):
                        pids.append(int(entry))
        except OSError:
            continue
    return pids


class RuntimeCli:
    """berth-runtime with a private --root; remembers every id and cgroup it may have made."""

    def __init__(self, binary, root, marker):
        self.binary = str(binary)
        self.root = str(root)
        self.marker = marker
        self.ids = []
        self.cgroup_paths = []
        self.env = dict(os.environ, BERTH_TEST_MARKER=marker)
        self.env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")

    def argv(self, *args, globals_=()):
        return [self.binary, "--root", self.root, *globals_, *map(str, args)]

    def __call__(self, *args, check=True, input=None, timeout=60, globals_=(), **kw):
        """Runs a command to completion; returns the CompletedProcess (text mode).

        Output goes through temp files, not pipes: a container created by the command inherits
        its stdio and may hold it open long after the command returned.
        """
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            kw.setdefault("stdout", out)
            kw.setdefault("stderr", err)
            p = subprocess.run(self.argv(*args, globals_=globals_), input=input,
                               timeout=timeout, env=self.env, text=True, **kw)
            out.seek(0)
            err.seek(0)
            if kw["stdout"] is out:
                p.stdout = out.read()
            if kw["stderr"] is err:
                p.stderr = err.read()
        if check and p.returncode != 0:
            raise AssertionError(
                f"berth-runtime {' '.join(map(str, args))} exited {p.returncode}\n"
                f"stdout: {p.stdout}\nstderr: {p.stderr}")
        return p

    def popen(self, *args, globals_=(), **kw):
        return subprocess.Popen(self.argv(*args, globals_=globals_), env=self.env, **kw)

    def new_id(self, name="c"):
        cid = f"{self.marker}-{name}-{len(self.ids)}"
        self.ids.append(cid)
        self.cgroup_paths.append("/" + cid)
        return cid

    def state(self, cid):
        return json.loads(self("state", cid).stdout)

    def status(self, cid):
        p = self("state", cid, check=False)
        if p.returncode != 0:
            return None
        return json.loads(p.stdout)["status"]

    def wait_status(self, cid, status, timeout=10.0):
        if status == "stopped":
            # Cheaper than polling `state`: watch the init, then confirm once.
            pid = self.state(cid)["pid"]
            if pid:
                wait_for(lambda: not pid_alive(pid), timeout, f"{cid}'s init to exit")
        wait_for(lambda: self.status(cid) == status, timeout, f"{cid} to be {status}")

    def run(self, bundle, cid=None, check=True, timeout=60, **kw):
        """`run` in the foreground; returns the CompletedProcess."""
        cid = cid or self.new_id()
        return self("run", "--bundle", bundle.path, cid, check=check, timeout=timeout, **kw)

    def create(self, bundle, cid=None, *extra, check=True, **kw):
        cid = cid or self.new_id()
        p = self("create", "--bundle", bundle.path, *extra, cid, check=check, **kw)
        return cid if check else p

    def list_ids(self):
        p = self("list", "-q", check=False)
        return [line for line in p.stdout.splitlines() if line]

    def cleanup_and_check(self):
        problems = []
        leftovers = os.listdir(self.root) if os.path.isdir(self.root) else []
        for cid in leftovers:
            p = self("delete", "--force", cid, check=False)
            if p.returncode != 0:
                problems.append(f"delete --force {cid}: {p.stderr.strip()}")
        leftovers = os.listdir(self.root) if os.path.isdir(self.root) else []
        if leftovers:
            problems.append(f"state dirs left in {self.root}: {leftovers}")
        for path in self.cgroup_paths:
            dirs = cgroup_dirs(path)
            if dirs:
                problems.append(f"cgroup directories left: {dirs}")
        leaked = processes_with_marker(self.marker)
        if leaked:
            problems.append(f"processes left: {leaked}")
            for path in self.cgroup_paths:  # frozen tasks die only once thawed
                state = CGROUP_ROOT / "freezer" / path.lstrip("/") / "freezer.state"
                if state.exists():
                    state.write_text("THAWED")
            for pid in leaked:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
        # Best effort, so that one failure does not leave debris for the next run.
        for path in self.cgroup_paths:
            for d in cgroup_dirs(path):
                try:
                    os.rmdir(d)
                except OSError:
                    pass
        return problems


def default_config():
    """A config.json like `runc spec` writes, with the process set to not use a terminal."""
    return {
        "ociVersion": "1.2.0",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": ["sh"],
            "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "TERM=xterm"],
            "cwd": "/",
            "capabilities": {k: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
                             for k in ("bounding", "effective", "permitted")},
            "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
            "noNewPrivileges": True,
        },
        "root": {"path": "rootfs", "readonly": False},
        "hostname": "berth",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
                         "gid=5"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
             "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
        ],
        "linux": {
            "resources": {"devices": [{"allow": False, "access": "rwm"}]},
            "namespaces": [{"type": t} for t in
                           ("pid", "network", "ipc", "uts", "mount", "cgroup")],
            "maskedPaths": ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                            "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
            "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                              "/proc/sysrq-trigger"],
        },
    }


class Bundle:
    def __init__(self, path, marker):
        self.path = str(path)
        self.rootfs = pathlib.Path(path) / "rootfs"
        self.config = default_config()
        self.config["process"]["env"].append(f"BERTH_TEST_MARKER={marker}")

    @property
    def process(self):
        return self.config["process"]

    @property
    def linux(self):
        return self.config["linux"]

    def set_args(self, *args):
        self.config["process"]["args"] = list(args)
        return self

    def sh(self, script):
        return self.set_args("sh", "-c", script)

    def namespaces(self):
        return [ns["type"] for ns in self.linux["namespaces"]]

    def set_namespace(self, ns_type, path=None):
        self.linux["namespaces"] = [ns for ns in self.linux["namespaces"]
                                    if ns["type"] != ns_type]
        entry = {"type": ns_type}
        if path:
            entry["path"] = path
        self.linux["namespaces"].append(entry)

    def drop_namespace(self, ns_type):
        self.linux["namespaces"] = [ns for ns in self.linux["namespaces"]
                                    if ns["type"] != ns_type]

    def add_hook(self, kind, path, args=None, env=None, timeout=None):
        hook = {"path": path}
        if args is not None:
            hook["args"] = args
        if env is not None:
            hook["env"] = env
        if timeout is not None:
            hook["timeout"] = timeout
        self.config.setdefault("hooks", {}).setdefault(kind, []).append(hook)

    def save(self):
        with open(os.path.join(self.path, "config.json"), "w") as f:
            json.dump(self.config, f, indent=1)
        return self


@pytest.fixture(scope="session")
def berth_bin():
    d = pathlib.Path(os.environ.get("BERTH_BIN_DIR", REPO / "build-asan" / "bin"))
    if not (d / "berth-runtime").exists():
        pytest.fail(f"berth-runtime not found in {d}: set BERTH_BIN_DIR")
    return d


@pytest.fixture(scope="session")
def busybox_rootfs():
    out = subprocess.run([str(REPO / "scripts" / "make-busybox-rootfs.sh")], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    return pathlib.Path(out)


_counter = itertools.count()


@pytest.fixture
def marker():
    """A string unique to this test: container ids start with it, processes carry it."""
    return f"bt{secrets.token_hex(3)}{next(_counter)}"


@pytest.fixture
def workdir():
    """A fresh directory for the test's bundles and state, traversable by every uid (containers
    in user namespaces reach their rootfs as an unprivileged host uid). Short, so unix socket
    paths under it stay below 108 bytes."""
    d = pathlib.Path(tempfile.mkdtemp(prefix="berth-it-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    # --one-file-system: never descend into a mount a failed test may have left behind.
    subprocess.run(["rm", "-rf", "--one-file-system", str(d)], check=False)


@pytest.fixture
def rt(berth_bin, workdir, marker):
    cli = RuntimeCli(berth_bin / "berth-runtime", workdir / "state", marker)
    yield cli
    problems = cli.cleanup_and_check()
    mounts = [line for line in open("/proc/self/mountinfo") if str(workdir) in line]
    if mounts:
        problems.append(f"mounts left on the host: {mounts}")
        for line in mounts:
            subprocess.run(["umount", "-l", line.split()[4]], check=False)
    assert not problems, "\n".join(problems)


@pytest.fixture
def bundle(workdir, busybox_rootfs, marker):
    """bundle(name="b") -> a new Bundle with its own copy of the busybox rootfs."""
    made = []

    def make(name="b"):
        path = workdir / f"{name}{len(made)}"
        path.mkdir()
        subprocess.run(["cp", "-a", str(busybox_rootfs), str(path / "rootfs")], check=True)
        b = Bundle(path, marker)
        made.append(b)
        return b

    return make

"""containerd (Debian's 1.6, its runc v2 shim) drives berth-runtime end to end: a private
containerd on its own socket and root dir, a busybox image imported from an OCI archive built
here, then `ctr run --runc-binary berth-runtime`, detached tasks, ps, exec, kill, pause."""

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile

import pytest

from conftest import cgroup_dirs, wait_for

IMAGE = "docker.io/berth-test/busybox:latest"

CONFIG_TOML = """version = 2
root = "{root}/root"
state = "{root}/state"
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]
[grpc]
  address = "{root}/c.sock"
[ttrpc]
  address = "{root}/c.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
"""


def blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = layout / "blobs" / "sha256" / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def build_oci_archive(rootfs, out_path, work):
    """An OCI image layout (one uncompressed layer: the busybox rootfs) as a tar for ctr."""
    layout = work / "layout"
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in sorted(os.listdir(rootfs)):
            tar.add(os.path.join(rootfs, entry), arcname=entry)
    layer_desc = blob(layout, layer.getvalue())
    config = {"architecture": "amd64", "os": "linux",
              "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                         "Cmd": ["sh"]},
              "rootfs": {"type": "layers", "diff_ids": [layer_desc["digest"]]}}
    config_desc = blob(layout, json.dumps(config).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": dict(config_desc, mediaType="application/vnd.oci.image.config.v1+json"),
                "layers": [dict(layer_desc, mediaType="application/vnd.oci.image.layer.v1.tar")]}
    manifest_desc = blob(layout, json.dumps(manifest).encode())
    index = {"schemaVersion": 2, "manifests": [dict(
        manifest_desc, mediaType="application/vnd.oci.image.manifest.v1+json",
        platform={"architecture": "amd64", "os": "linux"},
        annotations={"io.containerd.image.name": IMAGE,
                     "org.opencontainers.image.ref.name": "latest"})]}
    (layout / "index.json").write_text(json.dumps(index))
    (layout / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    with tarfile.open(out_path, "w") as tar:
        for entry in sorted(os.listdir(layout)):
            tar.add(layout / entry, arcname=entry)


class Containerd:
    def __init__(self, root, runtime, marker):
        self.root = root
        self.runtime = str(runtime)
        self.namespace = f"berth-{marker}"
        self.runc_root = root / "runc"
        self.env = dict(os.environ, BERTH_TEST_MARKER=marker)
        (root / "config.toml").write_text(CONFIG_TOML.format(root=root))
        self.log = open(root / "containerd.log", "w")
        self.proc = subprocess.Popen(["containerd", "--config", str(root / "config.toml")],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        wait_for(lambda: self.proc.poll() is not None or self.ctr("version", check=False)
                 .returncode == 0, timeout=60, what="containerd to serve")
        assert self.proc.poll() is None, (root / "containerd.log").read_text()

    def ctr(self, *args, check=True, timeout=120, **kw):
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        p = subprocess.run(["ctr", "--address", str(self.root / "c.sock"), "--namespace",
                            self.namespace, *map(str, args)], text=True, timeout=timeout,
                           env=self.env, **kw)
        if check and p.returncode != 0:
            raise AssertionError(f"ctr {' '.join(map(str, args))} exited {p.returncode}\n"
                                 f"{p.stdout}\n{p.stderr}\n--- containerd log:\n"
                                 f"{(self.root / 'containerd.log').read_text()[-4000:]}")
        return p

    def run_flags(self):
        return ["--runc-binary", self.runtime, "--runc-root", self.runc_root]

    def task_status(self, cid):
        for line in self.ctr("task", "ls").stdout.splitlines()[1:]:
            fields = line.split()
            if fields and fields[0] == cid:
                return fields[2]
        return None

    def stop(self):
        # Whatever a failed test left: tasks, containers, then the daemon and its shims.
        for line in self.ctr("task", "ls", "-q", check=False).stdout.split():
            self.ctr("task", "kill", "-s", "SIGKILL", line, check=False)
            wait_for(lambda: self.task_status(line) in (None, "STOPPED"), timeout=30,
                     what="a leftover task to stop")
            self.ctr("task", "delete", line, check=False)
        for line in self.ctr("container", "ls", "-q", check=False).stdout.split():
            self.ctr("container", "delete", line, check=False)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shims = subprocess.run(["pgrep", "-f", f"containerd-shim-runc-v2 -namespace "
                                f"{self.namespace}"], stdout=subprocess.PIPE, text=True)
        for pid in shims.stdout.split():
            os.kill(int(pid), signal.SIGKILL)
        for d in cgroup_dirs("/" + self.namespace):
            for sub in sorted(os.listdir(d)):
                if os.path.isdir(os.path.join(d, sub)):
                    os.rmdir(os.path.join(d, sub))
            os.rmdir(d)
        subprocess.run(["umount", "-R", str(self.root / "state")], stderr=subprocess.DEVNULL,
                       check=False)
        subprocess.run(["rm", "-rf", "--one-file-system", str(self.root)], check=False)


@pytest.fixture(scope="module")
def containerd(berth_bin, busybox_rootfs):
    if shutil.which("containerd") is None or shutil.which("ctr") is None:
        pytest.fail("containerd and ctr are required (apt-get install containerd)")
    root = tempfile.mkdtemp(prefix="berth-ctrd-", dir="/tmp")
    from pathlib import Path
    root = Path(root)
    marker = "ctrd" + os.urandom(3).hex()
    daemon = Containerd(root, berth_bin / "berth-runtime", marker)
    try:
        build_oci_archive(busybox_rootfs, root / "image.tar", root)
        daemon.ctr("image", "import", root / "image.tar")
        assert IMAGE in daemon.ctr("image", "ls", "-q").stdout
        yield daemon
    finally:
        daemon.stop()
    assert not cgroup_dirs("/" + daemon.namespace)


def test_ctr_run_rm_prints_output_and_exit_code(containerd):
    p = containerd.ctr("run", *containerd.run_flags(), "--rm", IMAGE, "ctr-echo",
                       "sh", "-c", "echo hello from pid $$; exit 3", check=False)
    assert p.stdout == "hello from pid 1\n", p.stderr
    assert p.returncode == 3
    assert containerd.ctr("container", "ls", "-q").stdout.strip() == ""
    # The shim drove our runtime: its state root was berth-runtime's.
    assert (containerd.runc_root / containerd.namespace).is_dir()
    assert os.listdir(containerd.runc_root / containerd.namespace) == []


def test_ctr_detached_task_ps_exec_pause_kill(containerd):
    cid = "ctr-detached"
    containerd.ctr("run", *containerd.run_flags(), "-d", IMAGE, cid, "sh", "-c",
                   'trap "exit 7" TERM; sleep 1000 & wait')
    wait_for(lambda: containerd.task_status(cid) == "RUNNING", what="the task to run")
    state = json.loads(subprocess.run(
        [containerd.runtime, "--root", str(containerd.runc_root / containerd.namespace), "state",
         cid], stdout=subprocess.PIPE, text=True, check=True).stdout)
    assert state["status"] == "running"
    init = state["pid"]

    ps = containerd.ctr("task", "ps", cid).stdout.split()
    assert str(init) in ps

    out = containerd.ctr("task", "exec", "--exec-id", "e1", cid, "sh", "-c",
                         "echo exec as $(id -u) beside $(cat /proc/1/cmdline | tr '\\0' ' ')").stdout
    assert out == "exec as 0 beside sh -c trap \"exit 7\" TERM; sleep 1000 & wait\n"
    p = containerd.ctr("task", "exec", "--exec-id", "e2", cid, "sh", "-c", "exit 4",
                       check=False)
    assert p.returncode == 4

    containerd.ctr("task", "pause", cid)
    assert containerd.task_status(cid) == "PAUSED"
    containerd.ctr("task", "resume", cid)
    assert containerd.task_status(cid) == "RUNNING"

    containerd.ctr("task", "kill", cid)  # SIGTERM
    wait_for(lambda: containerd.task_status(cid) == "STOPPED", what="the task to stop")
    out = containerd.ctr("task", "delete", cid).stdout
    assert "7" in out or out == ""
    containerd.ctr("container", "delete", cid)
    assert not cgroup_dirs(f"/{containerd.namespace}/{cid}")


def test_ctr_kill_all(containerd):
    cid = "ctr-killall"
    containerd.ctr("run", *containerd.run_flags(), "-d", IMAGE, cid, "sh", "-c",
                   "sleep 1000 & sleep 1000 & wait")
    wait_for(lambda: len(containerd.ctr("task", "ps", cid).stdout.splitlines()) >= 4,
             what="the children")
    containerd.ctr("task", "kill", "--all", "--signal", "SIGKILL", cid)
    wait_for(lambda: containerd.task_status(cid) == "STOPPED", what="the task to stop")
    containerd.ctr("task", "delete", cid)
    containerd.ctr("container", "delete", cid)


def test_ctr_run_failure_reports_the_runtime_error(containerd):
    p = containerd.ctr("run", *containerd.run_flags(), "--rm", IMAGE, "ctr-fail",
                       "no-such-binary", check=False)
    assert p.returncode != 0
    assert "no-such-binary" in p.stderr
    containerd.ctr("container", "delete", "ctr-fail", check=False)

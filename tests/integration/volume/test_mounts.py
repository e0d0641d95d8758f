"""Volumes, binds and tmpfs mounts inside containers: persistence, the copy of the image's
content into a new volume (and nocopy), read-only mounts, tmpfs sizes, bind sources that are
created or refused, propagation and --volumes-from."""
import json
import os
import shutil
import subprocess
import tempfile
import time

import pytest


@pytest.fixture
def host_dir():
    d = tempfile.mkdtemp(prefix="berth-bind-")
    yield d
    subprocess.run(["umount", "-R", "-l", d], capture_output=True)
    shutil.rmtree(d, ignore_errors=True)


def test_data_persists_across_containers(vol):
    name = "persist-" + vol.tag
    vol.ok("run", "--name", "writer", "-v", f"{name}:/data", "busybox", "sh", "-c",
           "echo kept > /data/note")
    vol.ok("rm", "writer")
    assert vol.sh("cat /data/note", "-v", f"{name}:/data").stdout == "kept\n"
    # --mount spelling, and a second container at the same time.
    vol.ok("run", "-d", "--name", "holder", "--mount", f"source={name},target=/d", "busybox",
           "sleep", "60")
    try:
        assert vol.sh("cat /x/note", "--mount", f"type=volume,src={name},dst=/x").stdout == "kept\n"
    finally:
        vol.docker("rm", "-f", "holder")
        vol.docker("volume", "rm", name)


def test_new_volume_is_populated_from_the_image(vol):
    name = "etc-" + vol.tag
    p = vol.sh("ls /etc", "-v", f"{name}:/etc")
    assert {"passwd", "group"} <= set(p.stdout.split()), p.stdout + p.stderr
    data = f"{vol.data_root}/volumes/{name}/_data"
    assert os.path.exists(data + "/passwd")
    # Only an empty volume is filled: what is in it now stays as it is.
    os.unlink(data + "/group")
    p = vol.sh("ls /etc", "-v", f"{name}:/etc")
    assert "passwd" in p.stdout.split() and "group" not in p.stdout.split()
    vol.ok("volume", "rm", name)
    # nocopy: the volume stays empty. (Not /etc: hosts, hostname and resolv.conf are mounted
    # there, which leaves their mount points in the volume, as with Docker.)
    assert "httpd" in vol.sh("ls /usr/sbin").stdout.split()
    empty = "nocopy-" + vol.tag
    p = vol.sh("ls -A /usr/sbin | wc -l", "-v", f"{empty}:/usr/sbin:nocopy")
    assert p.stdout.strip() == "0", p.stdout + p.stderr
    p = vol.sh("ls -A /usr/sbin | wc -l", "--mount",
               f"type=volume,src={empty}2,dst=/usr/sbin,volume-nocopy")
    assert p.stdout.strip() == "0", p.stdout + p.stderr
    vol.ok("volume", "rm", empty, empty + "2")


def test_read_only_volume_and_bind(vol, host_dir):
    name = "ro-" + vol.tag
    p = vol.sh("touch /data/x; echo rc=$?; grep ' /data ' /proc/mounts", "-v", f"{name}:/data:ro")
    assert "rc=0" not in p.stdout and "Read-only" in p.stderr, p.stdout + p.stderr
    assert " ro," in p.stdout, p.stdout
    p = vol.sh("touch /b/x; echo rc=$?", "--mount", f"type=bind,src={host_dir},dst=/b,readonly")
    assert "rc=0" not in p.stdout
    assert os.listdir(host_dir) == []
    vol.ok("volume", "rm", name)


def test_tmpfs_mount_size_limit(vol):
    p = vol.sh("grep ' /scratch ' /proc/mounts; "
               "dd if=/dev/zero of=/scratch/a bs=1k count=512 && echo small=ok; "
               "dd if=/dev/zero of=/scratch/b bs=1k count=2048; echo big=$?",
               "--mount", "type=tmpfs,destination=/scratch,tmpfs-size=1m")
    assert "tmpfs" in p.stdout and "size=1024k" in p.stdout, p.stdout + p.stderr
    assert "small=ok" in p.stdout
    assert "big=0" not in p.stdout and "No space left" in p.stderr, p.stdout + p.stderr
    p = vol.sh("grep ' /t ' /proc/mounts", "--tmpfs", "/t:size=64k,mode=1770")
    assert "size=64k" in p.stdout and "mode=1770" in p.stdout, p.stdout


def test_bind_source_created_or_refused(vol, host_dir):
    missing = host_dir + "/made/by/berthd"
    p = vol.sh("echo hi > /x/f", "-v", f"{missing}:/x")
    assert p.returncode == 0, p.stderr
    assert open(missing + "/f").read() == "hi\n"
    gone = host_dir + "/not-there"
    p = vol.docker("run", "--rm", "--mount", f"type=bind,src={gone},dst=/x", "busybox", "true")
    assert p.returncode != 0
    assert "bind source path does not exist" in p.stderr, p.stderr
    assert not os.path.exists(gone)


def _shared_bind(path):
    """Makes `path` a shared mount: rshared needs a shared source."""
    subprocess.run(["mount", "--bind", path, path], check=True)
    subprocess.run(["mount", "--make-shared", path], check=True)


def _wait_path(path, what):
    deadline = time.monotonic() + 20
    while not os.path.exists(path):
        assert time.monotonic() < deadline, what
        time.sleep(0.1)  # polling for the propagated mount


def test_bind_propagation_rshared_host_to_container(vol, host_dir):
    _shared_bind(host_dir)
    os.mkdir(host_dir + "/sub")
    vol.ok("run", "-d", "--name", "prop-in", "--mount",
           f"type=bind,src={host_dir},dst=/shared,bind-propagation=rshared", "busybox",
           "sleep", "60")
    try:
        mounts = json.loads(vol.ok("inspect", "prop-in"))[0]["Mounts"]
        assert mounts[0]["Propagation"] == "rshared"
        # A mount made on the host after the start shows up in the container.
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", host_dir + "/sub"], check=True)
        with open(host_dir + "/sub/marker", "w") as f:
            f.write("from-host\n")
        p = vol.docker("exec", "prop-in", "cat", "/shared/sub/marker")
        assert p.stdout == "from-host\n", p.stderr
    finally:
        vol.docker("rm", "-f", "prop-in")


def test_bind_propagation_rshared_container_to_host(vol, host_dir):
    _shared_bind(host_dir)
    vol.ok("run", "-d", "--cap-add", "SYS_ADMIN", "--name", "prop-out", "--mount",
           f"type=bind,src={host_dir},dst=/shared,bind-propagation=rshared", "busybox",
           "sh", "-c", "mkdir -p /shared/sub && mount -t tmpfs tmpfs /shared/sub && "
           "echo from-container > /shared/sub/marker && sleep 60")
    try:
        vol.docker("logs", "prop-out")
        _wait_path(host_dir + "/sub/marker", "the container's mount did not propagate")
    finally:
        vol.docker("rm", "-f", "prop-out")


def test_volumes_from(vol, host_dir):
    name = "shared-" + vol.tag
    vol.ok("create", "--name", "source-ctr", "-v", f"{name}:/data", "-v", f"{host_dir}:/bind",
           "-v", "/anon", "busybox", "true")
    try:
        p = vol.sh("echo a > /data/a; echo b > /bind/b; echo c > /anon/c; ls /data /bind /anon",
                   "--volumes-from", "source-ctr")
        assert p.returncode == 0, p.stderr
        assert os.path.exists(host_dir + "/b")
        assert vol.sh("cat /data/a", "-v", f"{name}:/data").stdout == "a\n"
        p = vol.sh("touch /data/z; echo rc=$?", "--volumes-from", "source-ctr:ro")
        assert "rc=0" not in p.stdout
        mounts = json.loads(vol.ok("inspect", "source-ctr"))[0]["Mounts"]
        anon = [m["Name"] for m in mounts if m["Destination"] == "/anon"][0]
        assert vol.sh("cat /anon/c", "--volumes-from", "source-ctr").stdout == "c\n"
        p = vol.docker("run", "--rm", "--volumes-from", "no-such-ctr", "busybox", "true")
        assert p.returncode != 0
    finally:
        vol.docker("rm", "-f", "-v", "source-ctr")
    assert anon not in vol.volumes()
    vol.ok("volume", "rm", name)

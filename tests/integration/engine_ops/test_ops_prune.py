"""container prune, system df and system prune through the docker CLI (own berthd: these remove
what other tests would still use)."""
import json

from engine_ops_util import wait_for


def test_container_prune_removes_only_stopped(daemon):
    running = daemon.run_bg("sleep", "600")
    done = daemon.dk("run", "-d", "busybox", "true")
    assert daemon.dk("wait", done) == "0"
    kept = daemon.dk("run", "-d", "--label", "keep=yes", "busybox", "true")
    assert daemon.dk("wait", kept) == "0"
    created = daemon.dk("create", "busybox")
    out = daemon.dk("container", "prune", "-f", "--filter", "label!=keep=yes")
    assert done in out and created in out and "Total reclaimed space" in out
    remaining = daemon.dk("ps", "-aq", "--no-trunc").split()
    assert running in remaining and kept in remaining
    assert done not in remaining and created not in remaining
    out = daemon.dk("container", "prune", "-f")
    assert kept in out
    assert daemon.dk("ps", "-aq", "--no-trunc").split() == [running]


def test_system_df(daemon):
    cid = daemon.dk("run", "-d", "-v", "dfvol:/data", "busybox", "sh", "-c",
                    "head -c 100000 /dev/zero > /big; echo x > /data/x; sleep 600")
    wait_for(lambda: daemon.docker("exec", cid, "test", "-s", "/big").returncode == 0,
             what="the container to write /big")
    text = daemon.dk("system", "df")
    header, *rows = text.splitlines()
    assert header.split()[:2] == ["TYPE", "TOTAL"]
    kinds = [r.split()[0] for r in rows]
    assert kinds[:3] == ["Images", "Containers", "Local"]
    verbose = daemon.dk("system", "df", "-v")
    assert "busybox" in verbose and cid[:12] in verbose
    volumes = verbose.split("Local Volumes space usage:")[1].split("Build cache")[0]
    assert any(line.split()[:2] == ["dfvol", "1"] for line in volumes.splitlines())
    data = [json.loads(line) for line in daemon.dk("system", "df", "--format", "{{json .}}")
            .splitlines()]
    containers = next(d for d in data if d["Type"] == "Containers")
    assert int(containers["TotalCount"]) >= 1 and int(containers["Active"]) >= 1
    assert containers["Size"] != "0B"
    local = next(d for d in data if d["Type"] == "Local Volumes")
    assert int(local["TotalCount"]) == 1 and int(local["Active"]) == 1


def test_system_prune(daemon):
    stopped = daemon.dk("run", "-d", "busybox", "sh", "-c", "echo data > /f")
    assert daemon.dk("wait", stopped) == "0"
    dangling = daemon.dk("commit", stopped)  # no tag: a dangling image
    running = daemon.run_bg("sleep", "600")
    out = daemon.dk("system", "prune", "-f")
    assert "Deleted Containers" in out and stopped in out
    assert "Deleted Images" in out and dangling.split(":")[1] in out
    assert "Total reclaimed space" in out
    remaining = daemon.dk("ps", "-aq", "--no-trunc").split()
    assert running in remaining and stopped not in remaining
    assert daemon.dk("ps", "-aq", "--filter", "status=exited") == ""
    assert daemon.docker("image", "inspect", dangling).returncode != 0
    # Tagged images are not dangling; the running container's image stays too.
    assert daemon.dk("images", "-q", "busybox")

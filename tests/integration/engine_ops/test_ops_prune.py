"""container prune, system df and system prune through the docker CLI (own berthd: these remove
what other tests would still use)."""
import json


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
    cid = daemon.dk("run", "-d", "busybox", "sh", "-c", "head -c 100000 /dev/zero > /big; sleep 600")
    daemon.dk("exec", cid, "ls", "/big")
    text = daemon.dk("system", "df")
    header, *rows = text.splitlines()
    assert header.split()[:2] == ["TYPE", "TOTAL"]
    kinds = [r.split()[0] for r in rows]
    assert kinds[:2] == ["Images", "Containers"]
    verbose = daemon.dk("system", "df", "-v")
    assert "busybox" in verbose and cid[:12] in verbose
    data = [json.loads(line) for line in daemon.dk("system", "df", "--format", "{{json .}}")
            .splitlines()]
    containers = next(d for d in data if d["Type"] == "Containers")
    assert int(containers["TotalCount"]) >= 1 and int(containers["Active"]) >= 1
    assert containers["Size"] != "0B"


def test_system_prune(daemon):
    daemon.dk("tag", "busybox", "dangling-soon:1")
    stopped = daemon.dk("run", "-d", "busybox", "true")
    assert daemon.dk("wait", stopped) == "0"
    running = daemon.run_bg("sleep", "600")
    out = daemon.dk("system", "prune", "-f")
    assert "Deleted Containers" in out and stopped in out
    assert "Total reclaimed space" in out
    assert running in daemon.dk("ps", "-aq", "--no-trunc").split()
    assert stopped not in daemon.dk("ps", "-aq", "--no-trunc").split()
    # Tagged images are not dangling: busybox survives.
    assert daemon.dk("images", "-q", "busybox")

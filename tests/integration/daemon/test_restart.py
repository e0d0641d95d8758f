"""berthd can die (kill -9) and come back: containers keep running under their shims, logs keep
flowing, exits that happened meanwhile are recorded with their real exit codes, and restart
policies are applied when berthd starts again."""
import json
import os
import shutil
import signal
import subprocess
import tempfile

import pytest

from daemon_helpers import mounts_under, pid_alive, shim_pid, wait_for

# Prints a numbered line every 0.2 s; sh as pid 1 ignores SIGTERM, so stop with -t 1.
TICKER = "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done"


@pytest.fixture
def gate_dir():
    """A host directory the test writes into to tell a container when to exit."""
    d = tempfile.mkdtemp(prefix="berth-dmn-gate-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def inspect(clients, name):
    p = clients.docker("inspect", name, check=True)
    return json.loads(p.stdout)[0]


def kill_berthd(daemon):
    os.kill(daemon.proc.pid, signal.SIGKILL)
    daemon.proc.wait(timeout=30)


def log_lines(daemon, cid):
    """The json-file log as the shim writes it (readable while berthd is down)."""
    path = f"{daemon.tmp}/data/containers/{cid}/{cid}-json.log"
    try:
        return [json.loads(line)["log"] for line in open(path)]
    except FileNotFoundError:
        return []


def ticks(text_lines):
    return [int(line.split()[1]) for line in text_lines if line.startswith("line ")]


def test_containers_survive_a_berthd_kill(daemon, gate_dir):
    c = daemon.clients
    gate = gate_dir
    ticker = c.docker("run", "-d", "--name", "ticker", "busybox", "sh", "-c", TICKER,
                      check=True).stdout.strip()
    quitter = c.docker("run", "-d", "--name", "quitter", "-v", f"{gate}:/gate", "busybox", "sh",
                       "-c", "while [ ! -e /gate/go ]; do sleep 0.05; done; exit 7",
                       check=True).stdout.strip()
    # --rm: removed once berthd learns of the exit, even if that is after a restart.
    autorm = c.docker("run", "-d", "--rm", "-v", f"{gate}:/gate", "busybox", "sh", "-c",
                      "while [ ! -e /gate/go ]; do sleep 0.05; done; exit 1",
                      check=True).stdout.strip()
    pids = {cid: inspect(c, cid)["State"]["Pid"] for cid in (ticker, quitter, autorm)}
    shims = {cid: shim_pid(daemon, cid) for cid in (ticker, quitter, autorm)}
    assert all(pids.values()) and all(shims.values())
    wait_for(lambda: len(log_lines(daemon, ticker)) >= 2, 10, "the ticker's first lines")

    kill_berthd(daemon)
    for cid in (ticker, quitter, autorm):
        assert pid_alive(pids[cid]), f"{cid}'s process died with berthd"
        assert pid_alive(shims[cid]), f"{cid}'s shim died with berthd"
    lines_at_kill = len(log_lines(daemon, ticker))
    # The quitter exits while berthd is down: its shim records the exit and goes.
    open(os.path.join(gate, "go"), "w").close()
    for cid in (quitter, autorm):
        wait_for(lambda: not pid_alive(pids[cid]), 10, "a gated container to exit")
        wait_for(lambda: not pid_alive(shims[cid]), 10, "its shim to exit")
    # Logs keep flowing into the json-file log with nobody but the shim there.
    wait_for(lambda: len(log_lines(daemon, ticker)) >= lines_at_kill + 3, 10,
             "the ticker to log while berthd is down")
    written_while_down = ticks(log_lines(daemon, ticker))[lines_at_kill:]

    daemon.start()
    ps = c.docker("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.State}} {{.Status}}",
                  check=True).stdout
    states = {line.split()[0]: line.split(None, 1)[1] for line in ps.splitlines()}
    assert states[ticker].startswith("running Up"), ps
    assert states[quitter].startswith("exited Exited (7)"), ps
    wait_for(lambda: autorm not in c.docker("ps", "-aq", "--no-trunc").stdout, 10,
             "the --rm container to be removed")
    st = inspect(c, quitter)["State"]
    assert (st["Status"], st["ExitCode"], st["Running"], st["Pid"]) == ("exited", 7, False, 0)
    st = inspect(c, ticker)["State"]
    assert (st["Status"], st["Pid"]) == ("running", pids[ticker])

    logged = ticks(c.docker("logs", ticker, check=True).stdout.splitlines())
    assert set(written_while_down) <= set(logged)
    assert logged == list(range(len(logged))), "lines lost or repeated across the restart"
    wait_for(lambda: len(c.docker("logs", ticker).stdout.splitlines()) > len(logged) + 2, 10,
             "the ticker's log to keep growing after the restart")

    # The restored daemon still controls both.
    assert c.docker("stop", "-t", "1", ticker).returncode == 0
    assert inspect(c, ticker)["State"]["Status"] == "exited"
    assert not pid_alive(pids[ticker])
    wait_for(lambda: not pid_alive(shims[ticker]), 10, "the ticker's shim to exit")
    assert c.docker("rm", ticker, quitter).returncode == 0
    assert c.docker("ps", "-aq").stdout.strip() == ""


def test_restart_policy_applies_to_exits_while_berthd_was_down(daemon, gate_dir):
    c = daemon.clients
    gate = gate_dir
    # First run: wait for the gate, then fail. Later runs: keep running.
    script = ("if [ -e /gate/ran ]; then exec sleep 100000; fi; touch /gate/ran; "
              "while [ ! -e /gate/go ]; do sleep 0.05; done; exit 3")
    cid = c.docker("run", "-d", "--restart", "always", "-v", f"{gate}:/gate", "busybox", "sh",
                   "-c", script, check=True).stdout.strip()
    # A container that was stopped by hand with policy "no" must stay stopped.
    idle = c.docker("run", "-d", "busybox", "sleep", "100000", check=True).stdout.strip()
    assert c.docker("kill", idle).returncode == 0
    first_pid = inspect(c, cid)["State"]["Pid"]
    first_shim = shim_pid(daemon, cid)
    wait_for(lambda: os.path.exists(os.path.join(gate, "ran")), 10, "the first run")

    kill_berthd(daemon)
    open(os.path.join(gate, "go"), "w").close()
    wait_for(lambda: not pid_alive(first_pid), 10, "the first run to exit")
    wait_for(lambda: not pid_alive(first_shim), 10, "its shim to exit")

    daemon.start()

    def restarted():
        st = inspect(c, cid)["State"]
        return st["Status"] == "running" and st["Pid"] not in (0, first_pid) and st

    st = wait_for(restarted, 30, "the --restart always container to be started again")
    assert pid_alive(st["Pid"])
    assert pid_alive(shim_pid(daemon, cid))
    assert inspect(c, idle)["State"]["Status"] == "exited"
    assert c.docker("rm", "-f", cid, idle).returncode == 0
    assert not pid_alive(st["Pid"])


def test_what_an_interrupted_start_left_is_removed(daemon):
    c = daemon.clients
    cid = c.docker("create", "busybox", "sleep", "100000", check=True).stdout.strip()
    kill_berthd(daemon)
    # What berthd dying in the middle of `start` leaves behind: the bundle, its rootfs mounted.
    bundle = f"{daemon.tmp}/exec/containers/{cid}"
    os.makedirs(bundle + "/rootfs")
    subprocess.run(["mount", "-t", "tmpfs", "stale", bundle + "/rootfs"], check=True)

    daemon.start()  # reconciliation runs before the API answers
    assert mounts_under(bundle) == []
    assert not os.path.exists(bundle)
    assert inspect(c, cid)["State"]["Status"] == "created"
    # And the next start mounts the real rootfs, once.
    assert c.docker("start", cid).returncode == 0
    rootfs_mounts = [line.split() for line in open("/proc/self/mountinfo")
                     if line.split()[4] == bundle + "/rootfs"]
    assert [m[m.index("-") + 1] for m in rootfs_mounts] == ["overlay"]
    assert c.docker("rm", "-f", cid).returncode == 0
    assert mounts_under(bundle) == []


def test_sigterm_stops_berthd_promptly_and_leaves_containers_running(daemon):
    c = daemon.clients
    # `docker run -d` sends a wait before the start and then hangs up: that wait must not keep
    # a request handler (and so the shutdown) busy until the container exits.
    running = c.docker("run", "-d", "busybox", "sleep", "100000", check=True).stdout.strip()
    paused = c.docker("run", "-d", "busybox", "sleep", "100000", check=True).stdout.strip()
    assert c.docker("pause", paused).returncode == 0
    pids = {cid: inspect(c, cid)["State"]["Pid"] for cid in (running, paused)}

    daemon.proc.send_signal(signal.SIGTERM)
    assert daemon.proc.wait(timeout=10) == 0
    assert all(pid_alive(pid) for pid in pids.values())

    daemon.start()
    st = inspect(c, paused)["State"]
    assert (st["Status"], st["Paused"], st["Pid"]) == ("paused", True, pids[paused])
    assert c.docker("unpause", paused).returncode == 0
    assert inspect(c, running)["State"]["Status"] == "running"
    assert c.docker("rm", "-f", running, paused).returncode == 0
    assert not any(pid_alive(pid) for pid in pids.values())


def test_a_killed_shim_is_an_exit_and_takes_its_container_along(daemon):
    c = daemon.clients
    cid = c.docker("run", "-d", "busybox", "sleep", "100000", check=True).stdout.strip()
    pid = inspect(c, cid)["State"]["Pid"]
    os.kill(shim_pid(daemon, cid), signal.SIGKILL)
    wait_for(lambda: inspect(c, cid)["State"]["Status"] == "exited", 10, "the exit to be seen")
    assert inspect(c, cid)["State"]["ExitCode"] == 255  # no exit.json: the status is unknown
    wait_for(lambda: not pid_alive(pid), 10, "the container's process to be killed")
    assert mounts_under(f"{daemon.tmp}/exec/containers/{cid}") == []
    assert c.docker("rm", cid).returncode == 0

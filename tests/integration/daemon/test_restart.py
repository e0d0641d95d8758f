"""berthd can die (kill -9) and come back: containers keep running under their shims, logs keep
flowing, exits that happened meanwhile are recorded with their real exit codes, and restart
policies are applied when berthd starts again."""
import json
import os
import shutil
import signal
import tempfile

import pytest

from daemon_helpers import pid_alive, shim_pid, wait_for

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
    pids = {cid: inspect(c, cid)["State"]["Pid"] for cid in (ticker, quitter)}
    shims = {cid: shim_pid(daemon, cid) for cid in (ticker, quitter)}
    assert all(pids.values()) and all(shims.values())
    wait_for(lambda: len(log_lines(daemon, ticker)) >= 2, 10, "the ticker's first lines")

    kill_berthd(daemon)
    for cid in (ticker, quitter):
        assert pid_alive(pids[cid]), f"{cid}'s process died with berthd"
        assert pid_alive(shims[cid]), f"{cid}'s shim died with berthd"
    lines_at_kill = len(log_lines(daemon, ticker))
    # The quitter exits while berthd is down: its shim records the exit and goes.
    open(os.path.join(gate, "go"), "w").close()
    wait_for(lambda: not pid_alive(pids[quitter]), 10, "the quitter to exit")
    wait_for(lambda: not pid_alive(shims[quitter]), 10, "the quitter's shim to exit")
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

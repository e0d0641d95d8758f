"""Stopping and signalling containers (docker stop/kill, --stop-signal), --init, restart
policies and --rm, through the docker CLI."""
import time

from engine_helpers import PtyProcess, inspect, name, past_events, state, wait_for

# A shell at pid 1 that installs its traps, says so, and idles in short sleeps so that a
# trapped signal is handled promptly.
IDLE = "echo ready; while true; do sleep 0.05; done"


def run_ready(engine, *args, script):
    """`docker run -d` of a shell `script` (which ends in IDLE); returns once it is ready."""
    c = name("s")
    engine.docker("run", "-d", "--name", c, *args, "busybox", "sh", "-c", script, check=True)
    wait_for(lambda: "ready" in engine.docker("logs", c).stdout, 60, f"{c} to be ready")
    return c


def test_stop_delivers_term_to_a_trapping_process(engine):
    c = run_ready(engine, script="trap 'exit 3' TERM; " + IDLE)
    started = time.monotonic()
    p = engine.docker("stop", "-t", "60", c)
    elapsed = time.monotonic() - started
    assert p.returncode == 0, p.stderr
    assert elapsed < 30  # it exited on TERM, not at the end of the grace period
    st = state(engine, c)
    assert (st["Status"], st["ExitCode"], st["OOMKilled"]) == ("exited", 3, False)


def test_stop_kills_a_process_that_ignores_term_after_the_timeout(engine):
    c = run_ready(engine, script="trap '' TERM; " + IDLE)
    started = time.monotonic()
    assert engine.docker("stop", "-t", "1", c).returncode == 0
    assert time.monotonic() - started >= 1
    st = state(engine, c)
    assert (st["Status"], st["ExitCode"]) == ("exited", 137)


def test_stop_signal_option(engine):
    c = run_ready(engine, "--stop-signal", "USR1", script="trap 'exit 5' USR1; " + IDLE)
    assert inspect(engine, c, "{{.Config.StopSignal}}") == "USR1"
    assert engine.docker("stop", "-t", "60", c).returncode == 0
    assert state(engine, c)["ExitCode"] == 5


def test_stop_with_an_explicit_signal(engine):
    c = run_ready(engine, script="trap 'exit 8' HUP; " + IDLE)
    assert engine.docker("stop", "-s", "HUP", "-t", "60", c).returncode == 0
    assert state(engine, c)["ExitCode"] == 8


def test_kill_with_a_signal(engine):
    c = run_ready(engine, script="trap 'echo got-usr2' USR2; trap 'exit 12' INT; " + IDLE)
    assert engine.docker("kill", "-s", "12", c).returncode == 0  # SIGUSR2 by number
    wait_for(lambda: "got-usr2" in engine.docker("logs", c).stdout, 60, "the USR2 trap")
    assert state(engine, c)["Running"] is True
    assert engine.docker("kill", "--signal", "SIGINT", c).returncode == 0
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to exit")
    assert state(engine, c)["ExitCode"] == 12


def test_kill_defaults_to_sigkill(engine):
    c = run_ready(engine, script="trap '' TERM INT HUP; " + IDLE)
    assert engine.docker("kill", c).returncode == 0
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to exit")
    assert state(engine, c)["ExitCode"] == 137


def test_kill_a_stopped_container_fails(engine):
    c = name("s")
    engine.docker("create", "--name", c, "busybox", "true", check=True)
    p = engine.docker("kill", c)
    assert p.returncode != 0 and "is not running" in p.stderr


def test_kill_with_an_invalid_signal_fails(engine):
    c = run_ready(engine, script=IDLE)
    p = engine.docker("kill", "-s", "NOSUCHSIG", c)
    assert p.returncode != 0
    assert state(engine, c)["Running"] is True
    engine.docker("rm", "-f", c, check=True)


# --- --init ---------------------------------------------------------------------------------

def zombies(engine, c):
    """The pids of the zombies in container `c`."""
    p = engine.docker("exec", c, "sh", "-c",
                      "for s in /proc/[0-9]*/stat; do cat $s 2>/dev/null; echo; done")
    assert p.returncode == 0, p.stderr
    found = []
    for line in p.stdout.splitlines():
        if ")" in line:
            pid = line.split()[0]
            status = line.rsplit(")", 1)[1].split()[0]
            if status == "Z":
                found.append(pid)
    return found


def make_orphans(engine, c, count=3):
    """Background children of an exec'd shell that exits at once: they are re-parented to the
    container's pid 1, which must reap them when they exit."""
    script = " ".join(["sleep 0.1 </dev/null >/dev/null 2>&1 &"] * count) + " exit 0"
    assert engine.docker("exec", c, "sh", "-c", script).returncode == 0


def sleeps(engine, c):
    p = engine.docker("exec", c, "sh", "-c", "cat /proc/[0-9]*/comm 2>/dev/null")
    return p.stdout.split().count("sleep")


def test_init_runs_berth_init_as_pid_1_and_reaps_zombies(engine):
    c = name("i")
    engine.docker("run", "-d", "--init", "--name", c, "busybox", "sleep", "100000", check=True)
    cmdline = engine.docker("exec", c, "cat", "/proc/1/cmdline", check=True).stdout
    assert cmdline.split("\0")[0] == "/sbin/docker-init"
    assert "sleep\x00100000" in cmdline
    # The binary at /sbin/docker-init is berth-init.
    assert "berth-init" in engine.docker("exec", c, "/sbin/docker-init").stderr
    make_orphans(engine, c)
    # The orphans exit after 0.1 s; berth-init reaps them, so none stays a zombie.
    wait_for(lambda: sleeps(engine, c) == 1, 60, "the orphans to exit")
    wait_for(lambda: not zombies(engine, c), 60, "the zombies to be reaped")
    assert inspect(engine, c, "{{.HostConfig.Init}}") == "true"
    engine.docker("rm", "-f", c, check=True)


def test_without_init_orphans_stay_zombies(engine):
    # The same orphans under `sleep` as pid 1, which never waits: zombies. Shows that the test
    # above observes reaping.
    c = name("i")
    engine.docker("run", "-d", "--name", c, "busybox", "sleep", "100000", check=True)
    make_orphans(engine, c)
    wait_for(lambda: len(zombies(engine, c)) == 3, 60, "the orphans to become zombies")
    engine.docker("rm", "-f", c, check=True)


def test_init_forwards_stop_signals_and_exit_codes(engine):
    c = run_ready(engine, "--init", script="trap 'exit 3' TERM; " + IDLE)
    assert engine.docker("stop", "-t", "60", c).returncode == 0
    assert state(engine, c)["ExitCode"] == 3
    p = engine.docker("run", "--rm", "--init", "busybox", "sh", "-c", "exit 42")
    assert p.returncode == 42


# --- restart policies and --rm --------------------------------------------------------------

def restart_count(engine, c):
    return int(inspect(engine, c, "{{.RestartCount}}"))


def test_restart_on_failure_gives_up_after_the_maximum(engine):
    c = name("r")
    engine.docker("run", "-d", "--restart", "on-failure:2", "--name", c, "busybox", "sh", "-c",
                  "echo run; exit 1", check=True)
    wait_for(lambda: engine.docker("logs", c).stdout.count("run") == 3, 60, "three runs")
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to stay exited")
    assert restart_count(engine, c) == 2
    assert state(engine, c)["ExitCode"] == 1
    assert past_events(engine, "container=" + c, "event=start") == ["start"] * 3
    # A start by hand begins the count anew: three more runs.
    engine.docker("start", c, check=True)
    wait_for(lambda: engine.docker("logs", c).stdout.count("run") == 6, 60, "three more runs")
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to stay exited")
    assert restart_count(engine, c) == 2


def test_restart_on_failure_does_not_restart_a_success(engine):
    c = name("r")
    engine.docker("run", "-d", "--restart", "on-failure", "--name", c, "busybox", "true",
                  check=True)
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to exit")
    assert restart_count(engine, c) == 0
    assert state(engine, c)["ExitCode"] == 0


def test_restart_always_restarts_after_a_clean_exit(engine):
    c = name("r")
    engine.docker("run", "-d", "--restart", "always", "--name", c, "busybox", "sh", "-c",
                  "echo run; exit 0", check=True)
    wait_for(lambda: restart_count(engine, c) >= 2, 60, "two restarts")
    assert engine.docker("logs", c).stdout.count("run") >= 2
    assert engine.docker("stop", "-t", "1", c).returncode == 0
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to stay stopped")
    engine.docker("rm", "-f", c, check=True)


def test_unless_stopped_restarts_but_not_after_docker_stop(engine):
    c = name("r")
    engine.docker("run", "-d", "--restart", "unless-stopped", "--name", c, "busybox", "sh",
                  "-c", "echo run; if [ -e /tmp/stay ]; then " + IDLE + "; fi; touch /tmp/stay",
                  check=True)
    # The first run exits 0 and is restarted; the second stays up.
    wait_for(lambda: restart_count(engine, c) == 1 and state(engine, c)["Running"], 60,
             "the restart")
    wait_for(lambda: "ready" in engine.docker("logs", c).stdout, 60, "the second run")
    assert engine.docker("stop", "-t", "1", c).returncode == 0
    st = state(engine, c)
    assert (st["Status"], st["ExitCode"]) == ("exited", 137)
    # No restart follows: the container stays exited while a restart would long have come
    # (the first back-off is 100 ms).
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        assert state(engine, c)["Status"] == "exited"
    assert restart_count(engine, c) == 1


def test_rm_removes_the_container_when_it_exits(engine):
    c = name("r")
    p = engine.docker("run", "--rm", "--name", c, "busybox", "sh", "-c", "echo bye; exit 2")
    assert (p.returncode, p.stdout) == (2, "bye\n")
    assert engine.docker("inspect", c).returncode != 0


def test_rm_detached(engine):
    c = name("r")
    engine.docker("run", "-d", "--rm", "--name", c, "busybox", "sh", "-c",
                  "while [ ! -e /tmp/go ]; do sleep 0.05; done", check=True)
    assert engine.docker("inspect", c).returncode == 0
    engine.docker("exec", c, "touch", "/tmp/go", check=True)
    wait_for(lambda: engine.docker("inspect", c).returncode != 0, 60, f"{c} to be removed")


def test_init_with_a_terminal(engine):
    # berth-init hands the terminal to the command's process group: an interactive shell under
    # --init works like one without.
    term = PtyProcess(engine, "run", "--rm", "-it", "--init", "busybox", "sh")
    try:
        term.expect("# ")
        term.send("echo pgrp-ok=$((5*5))\n")
        term.expect("pgrp-ok=25")
        term.send("exit 6\n")
        assert term.wait() == 6, term.output
    finally:
        term.close()


def test_docker_kill_is_not_undone_by_restart_always(engine):
    c = run_ready(engine, "--restart", "always", script="trap 'exit 1' USR1; " + IDLE)
    assert engine.docker("kill", c).returncode == 0
    wait_for(lambda: state(engine, c)["Status"] == "exited", 60, f"{c} to exit")
    # dockerd cancels the policy on `docker kill`: no restart comes (the first back-off is
    # 100 ms).
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        assert state(engine, c)["Status"] == "exited"
    assert (restart_count(engine, c), state(engine, c)["ExitCode"]) == (0, 137)
    # A signal that is not a stop leaves the policy alone.
    engine.docker("start", c, check=True)
    wait_for(lambda: engine.docker("logs", c).stdout.count("ready") == 2, 60, "the second run")
    assert engine.docker("kill", "-s", "USR1", c).returncode == 0
    wait_for(lambda: restart_count(engine, c) == 1, 60, "the restart after USR1")
    engine.docker("rm", "-f", c, check=True)

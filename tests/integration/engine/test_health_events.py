"""Healthchecks (status, log, start period, health_status events), OOM kills, and the
`docker events` stream, through the docker CLI."""
import os
import subprocess
import threading
import time

import pytest

from engine_helpers import inspect, name, past_events, state, wait_for


def health(engine, c):
    return state(engine, c).get("Health") or {}


def test_passing_healthcheck_becomes_healthy(engine):
    c = name("h")
    engine.docker("run", "-d", "--name", c, "--health-cmd", "echo fine",
                  "--health-interval", "200ms", "busybox", "sleep", "100000", check=True)
    wait_for(lambda: health(engine, c).get("Status") == "healthy", 60, f"{c} to be healthy")
    h = health(engine, c)
    assert h["FailingStreak"] == 0
    assert h["Log"] and h["Log"][-1]["ExitCode"] == 0
    assert h["Log"][-1]["Output"] == "fine\n"
    assert "(healthy)" in engine.docker("ps", "--filter", "name=" + c,
                                        "--format", "{{.Status}}").stdout
    engine.docker("rm", "-f", c, check=True)


def test_failing_healthcheck_becomes_unhealthy_with_its_log(engine):
    c = name("h")
    engine.docker("run", "-d", "--name", c, "--health-cmd", "echo broken; exit 1",
                  "--health-interval", "200ms", "--health-retries", "2",
                  "busybox", "sleep", "100000", check=True)
    assert health(engine, c)["Status"] in ("starting", "unhealthy")
    wait_for(lambda: health(engine, c).get("Status") == "unhealthy", 60, f"{c} to be unhealthy")
    h = health(engine, c)
    assert h["FailingStreak"] >= 2
    assert 1 <= len(h["Log"]) <= 5
    last = h["Log"][-1]
    assert (last["ExitCode"], last["Output"]) == (1, "broken\n")
    assert last["Start"] <= last["End"]
    engine.docker("rm", "-f", c, check=True)


def test_failures_in_the_start_period_do_not_count(engine):
    c = name("h")
    engine.docker("run", "-d", "--name", c, "--health-cmd", "exit 1", "--health-interval",
                  "100ms", "--health-retries", "1", "--health-start-period", "10m",
                  "busybox", "sleep", "100000", check=True)
    wait_for(lambda: len(health(engine, c).get("Log") or []) >= 3, 60, "three probes")
    h = health(engine, c)
    assert (h["Status"], h["FailingStreak"]) == ("starting", 0)
    engine.docker("rm", "-f", c, check=True)


def test_healthcheck_timeout(engine):
    c = name("h")
    engine.docker("run", "-d", "--name", c, "--health-cmd", "sleep 30", "--health-interval",
                  "100ms", "--health-timeout", "300ms", "--health-retries", "1",
                  "busybox", "sleep", "100000", check=True)
    wait_for(lambda: health(engine, c).get("Status") == "unhealthy", 60, f"{c} to be unhealthy")
    last = health(engine, c)["Log"][-1]
    assert last["ExitCode"] == -1
    assert "Health check exceeded timeout (300ms)" in last["Output"]
    engine.docker("rm", "-f", c, check=True)


def test_health_status_events(engine):
    t0 = str(int(time.time()) - 1)
    good, bad = name("h"), name("h")
    engine.docker("run", "-d", "--name", good, "--health-cmd", "true", "--health-interval",
                  "200ms", "busybox", "sleep", "100000", check=True)
    engine.docker("run", "-d", "--name", bad, "--health-cmd", "false", "--health-interval",
                  "200ms", "--health-retries", "1", "busybox", "sleep", "100000", check=True)
    wait_for(lambda: health(engine, good).get("Status") == "healthy", 60, "healthy")
    wait_for(lambda: health(engine, bad).get("Status") == "unhealthy", 60, "unhealthy")

    def events(*filters):
        return past_events(engine, *filters, since=t0,
                           fmt="{{.Actor.Attributes.name}} {{.Status}}")

    assert events("event=health_status", "container=" + good) == \
        [f"{good} health_status: healthy"]
    assert events("event=health_status", "container=" + bad) == \
        [f"{bad} health_status: unhealthy"]
    both = events("event=health_status")
    assert f"{good} health_status: healthy" in both and f"{bad} health_status: unhealthy" in both
    engine.docker("rm", "-f", good, bad, check=True)


# --- OOM ------------------------------------------------------------------------------------

def memory_cgroup_reason():
    if os.path.isdir("/sys/fs/cgroup/memory"):
        return None
    try:
        if "memory" in open("/sys/fs/cgroup/cgroup.controllers").read().split():
            return None
    except OSError:
        pass
    return "the memory cgroup controller is not available on this host"


def test_oom_kill_is_reported(engine):
    reason = memory_cgroup_reason()
    if reason:
        pytest.skip(reason)
    c = name("o")
    # `tail` of an endless line holds all of it in memory.
    p = engine.docker("run", "--name", c, "-m", "8m", "--memory-swap", "8m", "busybox",
                      "tail", "/dev/zero", timeout=120)
    assert p.returncode == 137, p.stderr
    st = state(engine, c)
    assert (st["ExitCode"], st["OOMKilled"]) == (137, True)
    assert "oom" in past_events(engine, "container=" + c)
    engine.docker("rm", c, check=True)


# --- docker events --------------------------------------------------------------------------

def test_events_stream_a_container_lifecycle(engine):
    c = name("v")
    # --since replays what happened after the subscription's start time, so no event is lost
    # between starting the stream and running the container.
    t0 = str(time.time() - 1)
    proc = engine.docker_popen("events", "--since", t0, "--filter", "type=container",
                               "--filter", "container=" + c,
                               "--format", "{{.Action}} {{.Actor.Attributes.name}}",
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    done = threading.Event()

    def pump():
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("destroy"):
                done.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        p = engine.docker("run", "--rm", "--name", c, "busybox", "sh", "-c", "exit 3")
        assert p.returncode == 3
        assert done.wait(60), lines
    finally:
        proc.kill()
        proc.wait()
    actions = [line.split()[0] for line in lines]
    assert all(line.split()[1] == c for line in lines)
    for earlier, later in (("create", "start"), ("start", "die"), ("die", "destroy")):
        assert actions.index(earlier) < actions.index(later), actions
    assert "attach" in actions


def test_events_die_carries_the_exit_code(engine):
    c = name("v")
    t0 = str(time.time() - 1)
    engine.docker("run", "--name", c, "busybox", "sh", "-c", "exit 9")
    assert past_events(engine, "container=" + c, "event=die", since=t0,
                       fmt="{{.Actor.Attributes.exitCode}}") == ["9"]
    assert inspect(engine, c, "{{.State.ExitCode}}") == "9"
    engine.docker("rm", c, check=True)

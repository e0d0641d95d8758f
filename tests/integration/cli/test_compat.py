"""The same scenarios through `berth` and the docker CLI against one berthd: what users see
(stdout, stderr, exit codes) must match, IDs and times aside."""
import os
import re
import tempfile
import time
import uuid

import pytest
from berthd_fixture import wait_for

ID = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{12}\b")


# "14 seconds ago" from one client can be "15 seconds ago" from the next: such ages (and the
# column padding that follows their width) are compared masked.
AGO = re.compile(r"\b(\d+|Less than a|About an?) (second|minute|hour|day|week|month|year)s? ago\b")


def mask_ages(text):
    return re.sub(r" {2,}", "  ", AGO.sub("<age>", text))


def same(b, d, mask_ids=False, mask_times=False):
    out_b, out_d = b.stdout, d.stdout
    err_b, err_d = b.stderr.replace("berth", "docker"), d.stderr
    if mask_ids:
        out_b, out_d = ID.sub("<id>", out_b), ID.sub("<id>", out_d)
        err_b, err_d = ID.sub("<id>", err_b), ID.sub("<id>", err_d)
    if mask_times:
        out_b, out_d = mask_ages(out_b), mask_ages(out_d)
    assert (b.returncode, out_b, err_b) == (d.returncode, out_d, err_d)


def name():
    return "t" + uuid.uuid4().hex[:10]


def test_version_reports_the_same_server(berthd):
    b, d = berthd.both("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}}")
    same(b, d)


@pytest.mark.parametrize("cmd, code", [
    (["echo", "hello"], 0),
    (["sh", "-c", "echo out; echo err >&2; exit 3"], 3),
    (["/nonexistent"], 127),
])
def test_run_output_and_exit_codes(berthd, cmd, code):
    b, d = berthd.both("run", "--rm", "busybox", *cmd)
    assert b.returncode == code
    assert (b.returncode, b.stdout, b.stderr != "") == (d.returncode, d.stdout, d.stderr != "")


def test_run_stdin(berthd):
    b, d = berthd.both("run", "--rm", "-i", "busybox", "wc", "-c", input="12345")
    same(b, d)


def test_run_options_reach_the_container(berthd):
    args = ["run", "--rm", "-e", "A=1", "-w", "/tmp", "-u", "1:2", "--hostname", "h1", "busybox",
            "sh", "-c", "echo $A $(pwd) $(id -u):$(id -g) $(hostname)"]
    b, d = berthd.both(*args)
    same(b, d)
    assert b.stdout == "1 /tmp 1:2 h1\n"


def test_detached_lifecycle(berthd):
    for cli in (berthd.berth, berthd.docker):
        n = name()
        r = cli("run", "-d", "--name", n, "-l", "k=v", "busybox", "sh", "-c", "echo ready; sleep 300")
        assert r.returncode == 0 and len(r.stdout.strip()) == 64
    b, d = berthd.both("ps", "--format", "{{.Image}} {{.Command}} {{.Labels}} {{.State}}")
    same(b, d)
    names = berthd.berth("ps", "-q").stdout.split()
    for n in names:
        b, d = berthd.both("inspect", "-f", "{{.State.Running}} {{.Config.Labels}}", n)
        same(b, d)
        # The container says "ready" in its own time; compare once it has.
        wait_for(lambda: berthd.berth("logs", n).stdout == "ready\n", what=f"{n} logging ready")
        b, d = berthd.both("logs", n)
        same(b, d)
        b, d = berthd.both("exec", n, "echo", "in")
        same(b, d)
        b, d = berthd.both("top", n)
        assert b.returncode == d.returncode == 0
        b, d = berthd.both("stop", "-t", "1", n)
        same(b, d)
        # The first removal takes it; then both clients report the same missing container.
        r = berthd.berth("rm", n)
        assert (r.returncode, r.stdout, r.stderr) == (0, n + "\n", "")
        b, d = berthd.both("rm", n)
        same(b, d)


def test_errors_match(berthd):
    for args in (["rm", "nosuch"], ["inspect", "nosuch"], ["logs", "nosuch"], ["stop", "nosuch"],
                 ["rmi", "nosuch:latest"], ["network", "rm", "nosuch"], ["volume", "rm", "nosuch"],
                 ["start", "nosuch"], ["port", "nosuch"], ["run", "--bogus", "busybox"],
                 ["image", "inspect", "nosuch"], ["inspect", "--type", "image", "nosuch"]):
        b, d = berthd.both(*args)
        same(b, d)


def test_images_and_history(berthd):
    for args in (["images"], ["images", "-q"], ["images", "--format", "{{json .}}"],
                 ["history", "busybox"], ["image", "inspect", "-f", "{{.Config.Cmd}}", "busybox"]):
        b, d = berthd.both(*args)
        same(b, d, mask_times=True)


def test_networks_and_volumes(berthd):
    net, vol = name(), name()
    b, d = berthd.berth("network", "create", net), berthd.docker("network", "ls", "-q")
    assert b.returncode == 0
    b, d = berthd.both("network", "ls")
    same(b, d)
    b, d = berthd.both("network", "inspect", "-f", "{{.Name}} {{.Driver}}", net)
    same(b, d)
    assert berthd.berth("network", "rm", net).stdout == net + "\n"
    assert berthd.docker("volume", "create", vol).stdout == vol + "\n"
    b, d = berthd.both("volume", "ls")
    same(b, d)
    b, d = berthd.both("volume", "inspect", vol)
    same(b, d)
    assert berthd.berth("volume", "rm", vol).stdout == vol + "\n"


def test_cp_both_directions(berthd):
    n = name()
    berthd.berth("run", "-d", "--name", n, "busybox", "sleep", "300", check=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.txt")
        with open(src, "w") as f:
            f.write("payload\n")
        assert berthd.berth("cp", src, n + ":/tmp/").returncode == 0
        assert berthd.berth("exec", n, "cat", "/tmp/in.txt").stdout == "payload\n"
        out = os.path.join(tmp, "out.txt")
        assert berthd.berth("cp", n + ":/tmp/in.txt", out).returncode == 0
        assert open(out).read() == "payload\n"
        # Tar streams: `cp ctr:path -` gives the archive docker gives.
        b, d = berthd.both("cp", n + ":/tmp/in.txt", "-")
        assert b.returncode == d.returncode == 0 and b.stdout[:100] == d.stdout[:100]
    berthd.berth("rm", "-f", n)


def test_create_start_attach(berthd):
    n = name()
    berthd.berth("create", "--name", n, "busybox", "echo", "created", check=True)
    r = berthd.berth("start", "-a", n)
    assert (r.returncode, r.stdout) == (0, "created\n")
    b, d = berthd.both("wait", n)
    same(b, d)
    berthd.berth("rm", n, check=True)


def test_system_views(berthd):
    for args in (["system", "df"], ["info", "--format", "{{.Containers}} {{.Images}}"]):
        b, d = berthd.both(*args)
        same(b, d)


DOCKER_WORD = re.compile(r"(?<![\w\-/.])docker(?![\w\-.])")


@pytest.mark.parametrize("command", [["run"], ["exec"], ["ps"], ["container", "ls"], ["network"]])
def test_help_matches_docker(berthd, command):
    # Against a Linux daemon docker hides its Windows-only flags, as berth never shows them.
    b, d = berthd.both(*command, "--help")
    assert (b.returncode, b.stderr) == (d.returncode, d.stderr) == (0, "")
    assert b.stdout == DOCKER_WORD.sub("berth", d.stdout)


def test_events_match(berthd):
    # A closed window in the past: both clients are sent the same events.
    n = name()
    berthd.berth("run", "--rm", "--name", n, "-l", "z=1", "-l", "a=2", "busybox", "true", check=True)
    end = int(time.time()) + 1  # whole seconds: the next one covers what happened so far
    wait_for(lambda: time.time() > end, what="the window to close")
    until = str(end)
    for fmt in ([], ["--format", "{{json .}}"], ["--format", "{{.Action}} {{.Actor.Attributes.name}}"]):
        b, d = berthd.both("events", "--since", "0", "--until", until, "--filter", "container=" + n,
                           *fmt)
        same(b, d)
        assert n in b.stdout
